import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../platform/errors.ts';
import { requireUser } from '../platform/http.ts';
import { Id, IdParams } from '../platform/schemas.ts';
import type { TaxRate } from './model.ts';
import type { TaxService } from './service.ts';

const Category = z
  .string()
  .trim()
  .regex(/^[a-z0-9_-]{1,50}$/, 'must be lower-case letters, digits, _ or -')
  .nullable()
  .meta({
    description: "the tax category of the products it applies to (`reduced`); null: the zone's standard rate",
  });
const Name = z.string().trim().min(1).max(100).meta({ description: 'shown on receipts: VAT, Sales tax' });
const BasisPoints = z.number().int().min(0).max(10_000).meta({ description: '825 = 8.25 %' });

export const TaxRateSchema = z
  .object({
    id: z.uuid(),
    zoneId: z.uuid(),
    category: z.string().nullable(),
    name: z.string(),
    rateBasisPoints: z.number().int(),
  })
  .meta({ id: 'TaxRate' });

const rateJson = (r: TaxRate): z.infer<typeof TaxRateSchema> => ({ ...r });

const adminErrors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody } as const;

/** The admin's tax rates per shipping zone. */
export const taxRoutes =
  (tax: TaxService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/admin/tax/rates',
      {
        config: { auth: 'admin', permission: 'settings' },
        schema: {
          operationId: 'listTaxRates',
          tags: ['Tax'],
          summary: "Tax rates, of one zone or all, each zone's standard rate first (admin)",
          querystring: z.object({ zoneId: Id.optional() }),
          response: {
            200: z.object({
              items: z.array(TaxRateSchema),
              pricesIncludeTax: z.boolean().meta({ description: 'the shop setting PRICES_INCLUDE_TAX' }),
            }),
            ...adminErrors,
          },
        },
      },
      async (request) => ({
        items: (await tax.list(request.query.zoneId)).map(rateJson),
        pricesIncludeTax: tax.pricesIncludeTax,
      }),
    );

    app.post(
      '/admin/tax/rates',
      {
        config: { auth: 'admin', permission: 'settings' },
        schema: {
          operationId: 'createTaxRate',
          tags: ['Tax'],
          summary: "Add a zone's standard rate or a rate for a tax category (admin)",
          body: z.strictObject({
            zoneId: Id,
            category: Category.default(null),
            name: Name,
            rateBasisPoints: BasisPoints,
          }),
          response: { 201: TaxRateSchema, ...adminErrors, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (request, reply) =>
        reply.code(201).send(rateJson(await tax.create(request.body, requireUser(request).id))),
    );

    app.patch(
      '/admin/tax/rates/:id',
      {
        config: { auth: 'admin', permission: 'settings' },
        schema: {
          operationId: 'updateTaxRate',
          tags: ['Tax'],
          summary: "Change a tax rate's name, category or rate (admin)",
          params: IdParams,
          body: z.strictObject({
            category: Category.optional(),
            name: Name.optional(),
            rateBasisPoints: BasisPoints.optional(),
          }),
          response: { 200: TaxRateSchema, ...adminErrors, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (request) => rateJson(await tax.update(request.params.id, request.body, requireUser(request).id)),
    );

    app.delete(
      '/admin/tax/rates/:id',
      {
        config: { auth: 'admin', permission: 'settings' },
        schema: {
          operationId: 'deleteTaxRate',
          tags: ['Tax'],
          summary: 'Delete a tax rate (admin)',
          params: IdParams,
          response: { 204: z.null().meta({ description: 'Deleted' }), ...adminErrors, 404: ErrorBody },
        },
      },
      async (request, reply) => {
        await tax.remove(request.params.id, requireUser(request).id);
        return reply.code(204).send(null);
      },
    );
  };
