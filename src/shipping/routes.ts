import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../platform/errors.ts';
import { requireUser } from '../platform/http.ts';
import { fromMinor } from '../platform/money.ts';
import { Amount, CountryCode, IdParams, minorUnits } from '../platform/schemas.ts';
import type { ShippingMethod, ShippingRate } from './model.ts';
import type { ShippingService, ZoneWithMethods } from './service.ts';

const Region = z.string().trim().min(1).max(100).nullable().meta({
  description:
    'a region of the country, written as addresses give it in `state` (CA); null: the whole country',
});

const AreaInput = z.strictObject({ country: CountryCode, region: Region.default(null) });
const Areas = z.array(AreaInput).min(1).max(300);
const ZoneName = z.string().trim().min(1).max(100);
const MethodName = z.string().trim().min(1).max(100);
const Position = z.number().int().min(0).max(10_000);
const Grams = z.number().int().min(1).max(10_000_000);

const RateInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('flat'), price: Amount }),
  z.strictObject({
    kind: z.literal('free_above'),
    price: Amount,
    freeAbove: Amount.meta({ description: 'free when the items subtotal is at least this' }),
  }),
  z.strictObject({
    kind: z.literal('weight_bands'),
    bands: z
      .array(z.strictObject({ upToGrams: Grams, price: Amount }))
      .min(1)
      .max(50)
      .meta({ description: 'the lightest band holding the basket weight prices it; none: not offered' }),
  }),
]);
type RateInput = z.infer<typeof RateInput>;

const RateSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('flat'), price: z.number() }),
    z.object({ kind: z.literal('free_above'), price: z.number(), freeAbove: z.number() }),
    z.object({
      kind: z.literal('weight_bands'),
      bands: z.array(z.object({ upToGrams: z.number().int(), price: z.number() })),
    }),
  ])
  .meta({ id: 'ShippingRate' });

export const ShippingMethodSchema = z
  .object({
    id: z.uuid(),
    zoneId: z.uuid(),
    name: z.string(),
    rate: RateSchema,
    currency: z.string(),
    active: z.boolean(),
    position: z.number().int(),
  })
  .meta({ id: 'ShippingMethod' });

export const ShippingZoneSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    areas: z.array(z.object({ country: z.string(), region: z.string().nullable() })),
    methods: z.array(ShippingMethodSchema),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'ShippingZone' });

function rateJson(rate: ShippingRate, currency: string): z.infer<typeof RateSchema> {
  switch (rate.kind) {
    case 'flat':
      return { kind: 'flat', price: fromMinor(rate.priceMinor, currency) };
    case 'free_above':
      return {
        kind: 'free_above',
        price: fromMinor(rate.priceMinor, currency),
        freeAbove: fromMinor(rate.freeAboveMinor, currency),
      };
    case 'weight_bands':
      return {
        kind: 'weight_bands',
        bands: rate.bands.map((b) => ({ upToGrams: b.upToGrams, price: fromMinor(b.priceMinor, currency) })),
      };
  }
}

function rateMinor(rate: RateInput, currency: string): ShippingRate {
  switch (rate.kind) {
    case 'flat':
      return { kind: 'flat', priceMinor: minorUnits(rate.price, currency, 'body.rate.price') };
    case 'free_above':
      return {
        kind: 'free_above',
        priceMinor: minorUnits(rate.price, currency, 'body.rate.price'),
        freeAboveMinor: minorUnits(rate.freeAbove, currency, 'body.rate.freeAbove'),
      };
    case 'weight_bands':
      return {
        kind: 'weight_bands',
        bands: rate.bands.map((b, i) => ({
          upToGrams: b.upToGrams,
          priceMinor: minorUnits(b.price, currency, `body.rate.bands.${i}.price`),
        })),
      };
  }
}

const methodJson = (m: ShippingMethod, currency: string): z.infer<typeof ShippingMethodSchema> => ({
  id: m.id,
  zoneId: m.zoneId,
  name: m.name,
  rate: rateJson(m.rate, currency),
  currency,
  active: m.active,
  position: m.position,
});

const zoneJson = (z: ZoneWithMethods, currency: string): z.infer<typeof ShippingZoneSchema> => ({
  id: z.id,
  name: z.name,
  areas: z.areas,
  methods: z.methods.map((m) => methodJson(m, currency)),
  createdAt: z.createdAt.toISOString(),
});

const adminErrors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody } as const;

/** The admin's shipping zones and methods; prices in the shop's currency. */
export const shippingRoutes =
  (shipping: ShippingService, currency: string): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/admin/shipping/zones',
      {
        config: { auth: 'admin', permission: 'settings' },
        schema: {
          operationId: 'listShippingZones',
          tags: ['Shipping'],
          summary: 'Every shipping zone with its areas and methods, active or not (admin)',
          response: { 200: z.object({ items: z.array(ShippingZoneSchema) }), 401: ErrorBody, 403: ErrorBody },
        },
      },
      async () => ({ items: (await shipping.listZones()).map((z) => zoneJson(z, currency)) }),
    );

    app.post(
      '/admin/shipping/zones',
      {
        config: { auth: 'admin', permission: 'settings' },
        schema: {
          operationId: 'createShippingZone',
          tags: ['Shipping'],
          summary: 'Add a zone the shop delivers to: countries, or regions of them (admin)',
          body: z.strictObject({ name: ZoneName, areas: Areas }),
          response: { 201: ShippingZoneSchema, ...adminErrors, 409: ErrorBody },
        },
      },
      async (request, reply) => {
        const zone = await shipping.createZone(request.body, requireUser(request).id);
        return reply.code(201).send(zoneJson(zone, currency));
      },
    );

    app.patch(
      '/admin/shipping/zones/:id',
      {
        config: { auth: 'admin', permission: 'settings' },
        schema: {
          operationId: 'updateShippingZone',
          tags: ['Shipping'],
          summary: 'Rename a zone or replace its areas (admin)',
          params: IdParams,
          body: z.strictObject({ name: ZoneName.optional(), areas: Areas.optional() }),
          response: { 200: ShippingZoneSchema, ...adminErrors, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (request) =>
        zoneJson(
          await shipping.updateZone(request.params.id, request.body, requireUser(request).id),
          currency,
        ),
    );

    app.delete(
      '/admin/shipping/zones/:id',
      {
        config: { auth: 'admin', permission: 'settings' },
        schema: {
          operationId: 'deleteShippingZone',
          tags: ['Shipping'],
          summary: 'Delete a zone with its areas and methods; refused while it has tax rates (admin)',
          params: IdParams,
          response: {
            204: z.null().meta({ description: 'Deleted' }),
            ...adminErrors,
            404: ErrorBody,
            409: ErrorBody,
          },
        },
      },
      async (request, reply) => {
        await shipping.deleteZone(request.params.id, requireUser(request).id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/admin/shipping/zones/:id/methods',
      {
        config: { auth: 'admin', permission: 'settings' },
        schema: {
          operationId: 'createShippingMethod',
          tags: ['Shipping'],
          summary: 'Add a shipping method to a zone: flat, free above a subtotal, or by weight bands (admin)',
          params: IdParams,
          body: z.strictObject({ name: MethodName, rate: RateInput, position: Position.default(0) }),
          response: { 201: ShippingMethodSchema, ...adminErrors, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (request, reply) => {
        const { rate, ...rest } = request.body;
        const method = await shipping.createMethod(
          request.params.id,
          { ...rest, rate: rateMinor(rate, currency) },
          requireUser(request).id,
        );
        return reply.code(201).send(methodJson(method, currency));
      },
    );

    app.patch(
      '/admin/shipping/methods/:id',
      {
        config: { auth: 'admin', permission: 'settings' },
        schema: {
          operationId: 'updateShippingMethod',
          tags: ['Shipping'],
          summary: "Change a shipping method's name, rate, position, or bring it back into use (admin)",
          params: IdParams,
          body: z.strictObject({
            name: MethodName.optional(),
            rate: RateInput.optional(),
            position: Position.optional(),
            active: z.boolean().optional(),
          }),
          response: { 200: ShippingMethodSchema, ...adminErrors, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (request) => {
        const { rate, ...rest } = request.body;
        const changes = { ...rest, ...(rate !== undefined && { rate: rateMinor(rate, currency) }) };
        return methodJson(
          await shipping.updateMethod(request.params.id, changes, requireUser(request).id),
          currency,
        );
      },
    );

    app.post(
      '/admin/shipping/methods/:id/deactivate',
      {
        config: { auth: 'admin', permission: 'settings' },
        schema: {
          operationId: 'deactivateShippingMethod',
          tags: ['Shipping'],
          summary: 'Stop offering a shipping method; orders that used it keep it (admin)',
          params: IdParams,
          response: { 200: ShippingMethodSchema, ...adminErrors, 404: ErrorBody },
        },
      },
      async (request) =>
        methodJson(
          await shipping.updateMethod(request.params.id, { active: false }, requireUser(request).id),
          currency,
        ),
    );
  };
