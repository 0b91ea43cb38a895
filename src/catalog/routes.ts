import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../platform/errors.ts';
import { fromMinor } from '../platform/money.ts';
import { PageQuery } from '../platform/pagination.ts';
import { Amount, IdParams, minorUnits } from '../platform/schemas.ts';
import type { CatalogService, ProductView } from './service.ts';

const VariantSchema = z
  .object({
    id: z.uuid(),
    sku: z.string(),
    options: z
      .record(z.string(), z.string())
      .meta({ description: 'option name → value; {} for a default variant' }),
    title: z.string().meta({ description: 'the values in the options\' order, "M / Blue"' }),
    price: z.number(),
    weightGrams: z.number().int(),
    taxCategory: z.string().nullable(),
    available: z.number().int(),
    lowStock: z.boolean(),
    active: z.boolean(),
  })
  .meta({ id: 'Variant' });

export const ProductSchema = z
  .object({
    id: z.uuid(),
    sku: z.string(),
    name: z.string(),
    description: z.string(),
    price: z.number().meta({ description: 'decimal amount in the currency; the lowest variant price' }),
    currency: z.string(),
    imageUrl: z.string().nullable(),
    available: z.number().int().meta({ description: 'on hand minus reserved, over the variants on sale' }),
    lowStock: z.boolean(),
    active: z.boolean(),
    options: z.array(z.object({ name: z.string(), values: z.array(z.string()) })),
    variants: z.array(VariantSchema).meta({ description: 'one for a product without options' }),
  })
  .meta({ id: 'Product' });

export function productJson(p: ProductView): z.infer<typeof ProductSchema> {
  return {
    id: p.id,
    sku: p.sku,
    name: p.name,
    description: p.description,
    price: fromMinor(p.priceMinor, p.currency),
    currency: p.currency,
    imageUrl: p.imageUrl,
    available: p.available,
    lowStock: p.lowStock,
    active: p.active,
    options: p.options,
    variants: p.variants.map((v) => ({
      id: v.id,
      sku: v.sku,
      options: v.options,
      title: v.title,
      price: fromMinor(v.priceMinor, p.currency),
      weightGrams: v.weightGrams,
      taxCategory: v.taxCategory,
      available: v.available,
      lowStock: v.lowStock,
      active: v.active,
    })),
  };
}

const Sku = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._-]{1,64}$/);
const OptionName = z.string().trim().min(1).max(50);
const WeightGrams = z.number().int().min(0).max(10_000_000);
const TaxCategory = z.string().trim().min(1).max(50).nullable();

const ImageUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .nullable();

export const catalogRoutes =
  (catalog: CatalogService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/products',
      {
        config: { auth: 'public' },
        schema: {
          operationId: 'listProducts',
          tags: ['Catalog'],
          summary: 'Browse the catalog, with the quantity each product has available',
          security: [],
          querystring: z.object({ search: z.string().trim().max(100).optional(), ...PageQuery }),
          response: {
            200: z.object({ items: z.array(ProductSchema), nextCursor: z.string().nullable() }),
            400: ErrorBody,
          },
        },
      },
      async (request) => {
        const page = await catalog.list({
          ...request.query,
          includeInactive: request.user?.role === 'admin',
        });
        return { items: page.items.map(productJson), nextCursor: page.nextCursor };
      },
    );

    app.get(
      '/products/:id',
      {
        config: { auth: 'public' },
        schema: {
          operationId: 'getProduct',
          tags: ['Catalog'],
          summary: 'One product',
          security: [],
          params: IdParams,
          response: { 200: ProductSchema, 400: ErrorBody, 404: ErrorBody },
        },
      },
      async (request) => productJson(await catalog.get(request.params.id, request.user?.role === 'admin')),
    );

    app.post(
      '/products',
      {
        config: { auth: 'admin' },
        schema: {
          operationId: 'createProduct',
          tags: ['Catalog'],
          summary: 'Add a product with its initial stock (admin)',
          body: z.strictObject({
            sku: Sku.meta({ description: 'the style number; a product without options is sold under it' }),
            name: z.string().trim().min(1).max(200),
            description: z.string().max(5000).default(''),
            price: Amount.meta({
              description: 'the price of a product without options; ignored with variants',
            }),
            currency: z
              .string()
              .regex(/^[A-Z]{3}$/)
              .optional(),
            imageUrl: ImageUrl.default(null),
            initialStock: z.number().int().min(0).max(1_000_000).default(0),
            lowStockThreshold: z.number().int().min(0).max(1_000_000).optional(),
            weightGrams: WeightGrams.optional(),
            taxCategory: TaxCategory.optional(),
            options: z
              .array(
                z.strictObject({
                  name: OptionName,
                  values: z.array(z.string().trim().min(1).max(50)).min(1).max(50),
                }),
              )
              .max(3)
              .optional()
              .meta({ description: 'Size, Colour…; with options, give one variant per combination sold' }),
            variants: z
              .array(
                z.strictObject({
                  sku: Sku,
                  options: z.record(OptionName, z.string().trim().min(1).max(50)),
                  price: Amount,
                  weightGrams: WeightGrams.default(0),
                  taxCategory: TaxCategory.default(null),
                  initialStock: z.number().int().min(0).max(1_000_000).default(0),
                }),
              )
              .max(100)
              .optional(),
          }),
          response: { 201: ProductSchema, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const currency = body.currency ?? catalog.currency;
        const product = await catalog.create(
          {
            ...body,
            currency,
            priceMinor: minorUnits(body.price, currency, 'body.price'),
            variants: body.variants?.map((v, i) => ({
              ...v,
              priceMinor: minorUnits(v.price, currency, `body.variants.${i}.price`),
            })),
          },
          request.user?.id ?? null,
        );
        return reply.code(201).send(productJson(product));
      },
    );

    app.patch(
      '/products/:id',
      {
        config: { auth: 'admin' },
        schema: {
          operationId: 'updateProduct',
          tags: ['Catalog'],
          summary: 'Change a product (admin)',
          params: IdParams,
          body: z.strictObject({
            name: z.string().trim().min(1).max(200).optional(),
            description: z.string().max(5000).optional(),
            price: Amount.optional(),
            imageUrl: ImageUrl.optional(),
            active: z.boolean().optional(),
          }),
          response: { 200: ProductSchema, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
        },
      },
      async (request) => {
        const { price, ...rest } = request.body;
        const changes = {
          ...rest,
          ...(price !== undefined && { priceMinor: minorUnits(price, catalog.currency, 'body.price') }),
        };
        return productJson(await catalog.update(request.params.id, changes, request.user?.id ?? null));
      },
    );
  };
