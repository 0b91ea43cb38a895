import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../platform/errors.ts';
import { requireUser } from '../platform/http.ts';
import { IdParams } from '../platform/schemas.ts';
import { available, isLowStock, type StockLevel } from './model.ts';
import type { InventoryService, VariantDirectory } from './service.ts';

export const StockLevelSchema = z
  .object({
    productId: z.uuid(),
    variantId: z.uuid(),
    onHand: z.number().int(),
    reserved: z.number().int(),
    available: z.number().int(),
    lowStock: z.boolean(),
  })
  .meta({ id: 'StockLevel' });

const StockAdjustment = z.strictObject({
  operation: z.enum(['set', 'add']),
  quantity: z.number().int().min(0).max(1_000_000),
});

const stockJson = (level: StockLevel) => ({
  productId: level.productId,
  variantId: level.variantId,
  onHand: level.onHand,
  reserved: level.reserved,
  available: available(level),
  lowStock: isLowStock(level),
});

export const inventoryRoutes =
  (inventory: InventoryService, variants: VariantDirectory): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/products/:id/stock',
      {
        config: { auth: 'admin', permission: 'inventory' },
        schema: {
          operationId: 'adjustStock',
          tags: ['Inventory'],
          summary: 'Set or replenish the stock on hand of a product without options (admin)',
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
          querystring: z.object({
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
          },
        },
      },
      async (request) => {
        const rows = await inventory.list(
          {
            search: request.query.search,
            lowStockOnly: request.query.lowStock === 'true',
            limit: request.query.limit,
          },
          variants,
        );
        return { items: rows.map((r) => ({ ...stockJson(r), sku: r.sku, name: r.name })) };
      },
    );
  };
