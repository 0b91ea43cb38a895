import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../platform/db.ts';
import { ErrorBody } from '../platform/errors.ts';
import { requireUser } from '../platform/http.ts';
import { IdParams } from '../platform/schemas.ts';
import { available, isLowStock, type StockLevel, type StockRequest } from './model.ts';
import type { InventoryService, TransferRecord, VariantDirectory } from './service.ts';

export const StockLevelSchema = z
  .object({
    productId: z.uuid(),
    variantId: z.uuid(),
    onHand: z.number().int(),
    reserved: z.number().int(),
    available: z.number().int(),
    lowStock: z.boolean(),
    locationId: z.uuid().optional().meta({ description: 'the location adjusted; absent in totals' }),
  })
  .meta({ id: 'StockLevel' });

const StockAdjustment = z.strictObject({
  operation: z.enum(['set', 'add']),
  quantity: z.number().int().min(0).max(1_000_000),
  locationId: z
    .uuid()
    .optional()
    .meta({ description: 'where the stock is; the highest-priority active location when absent' }),
});

const StockLocationSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    code: z.string(),
    priority: z.number().int().meta({ description: '1 is tried first when placing an order' }),
    active: z.boolean(),
  })
  .meta({ id: 'StockLocation' });

const LocationName = z.string().trim().min(1).max(100);
const Priority = z.number().int().min(1).max(1_000_000);

const AllocationRuleSchema = z
  .object({
    rule: z.enum(['priority', 'whole_order']).meta({
      description:
        'priority: each variant from the first location that has all of it; whole_order: the first location that has the whole order, else as priority',
    }),
  })
  .meta({ id: 'AllocationRule' });

const TransferItem = z.strictObject({
  variantId: z.uuid(),
  quantity: z.number().int().min(1).max(1_000_000),
});

const StockTransferSchema = z
  .object({
    id: z.uuid(),
    fromLocationId: z.uuid(),
    toLocationId: z.uuid(),
    note: z.string().nullable(),
    createdAt: z.iso.datetime(),
    items: z.array(TransferItem.extend({ sku: z.string(), name: z.string() })),
  })
  .meta({ id: 'StockTransfer' });

const adminErrors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };

const stockJson = (level: StockLevel & { locationId?: string }) => ({
  productId: level.productId,
  variantId: level.variantId,
  onHand: level.onHand,
  reserved: level.reserved,
  available: available(level),
  lowStock: isLowStock(level),
  ...(level.locationId !== undefined && { locationId: level.locationId }),
});

export const inventoryRoutes =
  (inventory: InventoryService, variants: VariantDirectory, db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/products/:id/stock',
      {
        config: { auth: 'admin', permission: 'inventory' },
        schema: {
          operationId: 'adjustStock',
          tags: ['Inventory'],
          summary: 'Set or replenish the stock on hand of a product without options (admin)',
          description: 'At `locationId`, or at the highest-priority active location when it is absent.',
          params: IdParams,
          body: StockAdjustment,
          response: {
            200: StockLevelSchema,
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
            404: ErrorBody,
            409: ErrorBody,
          },
        },
      },
      async (request) =>
        stockJson(
          await inventory.adjust(
            await inventory.soleVariantOf(request.params.id),
            request.body.operation,
            request.body.quantity,
            requireUser(request).id,
            request.body.locationId,
          ),
        ),
    );

    app.post(
      '/variants/:id/stock',
      {
        config: { auth: 'admin', permission: 'inventory' },
        schema: {
          operationId: 'adjustVariantStock',
          tags: ['Inventory'],
          summary: 'Set or replenish the stock on hand of one variant (admin)',
          description: 'At `locationId`, or at the highest-priority active location when it is absent.',
          params: IdParams,
          body: StockAdjustment,
          response: {
            200: StockLevelSchema,
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
            404: ErrorBody,
            409: ErrorBody,
          },
        },
      },
      async (request) =>
        stockJson(
          await inventory.adjust(
            request.params.id,
            request.body.operation,
            request.body.quantity,
            requireUser(request).id,
            request.body.locationId,
          ),
        ),
    );

    app.get(
      '/admin/inventory',
      {
        config: { auth: 'admin', permission: 'orders.read' },
        schema: {
          operationId: 'listInventory',
          tags: ['Inventory'],
          summary: 'Stock on hand, reserved and available for every product, lowest first (admin)',
          description:
            'Each variant added up over its locations, or with `locationId` what that location holds (every variant, 0 where it has none).',
          querystring: z.object({
            locationId: z.uuid().optional(),
            search: z.string().trim().max(100).optional(),
            lowStock: z.enum(['true', 'false']).optional(),
            limit: z.coerce.number().int().min(1).max(500).default(200),
          }),
          response: {
            200: z.object({
              items: z.array(StockLevelSchema.extend({ sku: z.string(), name: z.string() })),
            }),
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
            404: ErrorBody,
          },
        },
      },
      async (request) => {
        const rows = await inventory.list(
          {
            search: request.query.search,
            lowStockOnly: request.query.lowStock === 'true',
            limit: request.query.limit,
            locationId: request.query.locationId,
          },
          variants,
        );
        return { items: rows.map((r) => ({ ...stockJson(r), sku: r.sku, name: r.name })) };
      },
    );

    app.get(
      '/admin/stock-locations',
      {
        config: { auth: 'admin', permission: 'orders.read' },
        schema: {
          operationId: 'listStockLocations',
          tags: ['Inventory'],
          summary: 'The stock locations, highest priority first (admin)',
          description: 'Every location, active or not; placement takes stock from active ones only.',
          response: {
            200: z.object({ items: z.array(StockLocationSchema) }),
            401: ErrorBody,
            403: ErrorBody,
          },
        },
      },
      async () => ({ items: await inventory.listLocations(db) }),
    );

    app.post(
      '/admin/stock-locations',
      {
        config: { auth: 'admin', permission: 'inventory' },
        schema: {
          operationId: 'createStockLocation',
          tags: ['Inventory'],
          summary: 'Add a stock location (admin)',
          description:
            'A new warehouse or shop floor, empty; last in priority unless `priority` is given. Stock arrives by adjusting or transferring.',
          body: z.strictObject({
            name: LocationName,
            code: z
              .string()
              .trim()
              .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$/, 'letters, digits, - and _, at most 20')
              .transform((c) => c.toUpperCase()),
            priority: Priority.optional(),
            active: z.boolean().optional(),
          }),
          response: { 201: StockLocationSchema, ...adminErrors, 409: ErrorBody },
        },
      },
      async (request, reply) => {
        const location = await inventory.createLocation(request.body, requireUser(request).id);
        return reply.code(201).send(location);
      },
    );

    app.patch(
      '/admin/stock-locations/:id',
      {
        config: { auth: 'admin', permission: 'inventory' },
        schema: {
          operationId: 'updateStockLocation',
          tags: ['Inventory'],
          summary: 'Rename, reorder, activate or deactivate a stock location (admin)',
          description:
            'A location holding stock, reservations or paid units not yet shipped cannot be deactivated (409 location_in_use), nor the last active one.',
          params: IdParams,
          body: z.strictObject({
            name: LocationName.optional(),
            priority: Priority.optional(),
            active: z.boolean().optional(),
          }),
          response: { 200: StockLocationSchema, ...adminErrors, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (request) => inventory.updateLocation(request.params.id, request.body, requireUser(request).id),
    );

    app.get(
      '/admin/inventory/allocation-rule',
      {
        config: { auth: 'admin', permission: 'orders.read' },
        schema: {
          operationId: 'getAllocationRule',
          tags: ['Inventory'],
          summary: 'How placement chooses the location of each variant (admin)',
          description: 'A variant is never split across locations.',
          response: { 200: AllocationRuleSchema, 401: ErrorBody, 403: ErrorBody },
        },
      },
      async () => ({ rule: await inventory.allocationRule() }),
    );

    app.put(
      '/admin/inventory/allocation-rule',
      {
        config: { auth: 'admin', permission: 'inventory' },
        schema: {
          operationId: 'setAllocationRule',
          tags: ['Inventory'],
          summary: 'Choose how placement picks stock locations (admin)',
          description: 'Applies to orders placed from now on; existing reservations stay where they are.',
          body: z.strictObject({ rule: AllocationRuleSchema.shape.rule }),
          response: { 200: AllocationRuleSchema, ...adminErrors },
        },
      },
      async (request) => ({
        rule: await inventory.setAllocationRule(request.body.rule, requireUser(request).id),
      }),
    );

    const transferJson = async (transfers: readonly TransferRecord[]) => {
      const named = await variants.findMany([
        ...new Set(transfers.flatMap((t) => t.items.map((i) => i.variantId))),
      ]);
      const item = (i: StockRequest) => ({
        ...i,
        sku: named.get(i.variantId)?.sku ?? '',
        name: named.get(i.variantId)?.name ?? '',
      });
      return transfers.map((t) => ({
        id: t.id,
        fromLocationId: t.fromLocationId,
        toLocationId: t.toLocationId,
        note: t.note,
        createdAt: t.createdAt.toISOString(),
        items: t.items.map(item),
      }));
    };

    app.post(
      '/admin/stock-transfers',
      {
        config: { auth: 'admin', permission: 'inventory' },
        schema: {
          operationId: 'transferStock',
          tags: ['Inventory'],
          summary: 'Move free units from one stock location to another (admin)',
          description:
            'Only units on hand and not reserved move. When the source has too few of any variant nothing moves: 409 insufficient_stock_at_location with the shortages.',
          body: z.strictObject({
            fromLocationId: z.uuid(),
            toLocationId: z.uuid(),
            items: z.array(TransferItem).min(1).max(100),
            note: z.string().trim().max(500).optional(),
          }),
          response: { 201: StockTransferSchema, ...adminErrors, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (request, reply) => {
        const transfer = await inventory.transfer(request.body, requireUser(request).id);
        const [json] = await transferJson([transfer]);
        return reply.code(201).send(json);
      },
    );

    app.get(
      '/admin/stock-transfers',
      {
        config: { auth: 'admin', permission: 'orders.read' },
        schema: {
          operationId: 'listStockTransfers',
          tags: ['Inventory'],
          summary: 'Stock transfers, newest first (admin)',
          description:
            'With `locationId`, those from or to that location; `before` is the last id of the previous page.',
          querystring: z.object({
            locationId: z.uuid().optional(),
            before: z.uuid().optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
          response: { 200: z.object({ items: z.array(StockTransferSchema) }), ...adminErrors },
        },
      },
      async (request) => ({ items: await transferJson(await inventory.listTransfers(request.query)) }),
    );
  };
