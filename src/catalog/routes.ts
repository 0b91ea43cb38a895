import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../platform/errors.ts';
import { fromMinor } from '../platform/money.ts';
import { PageQuery } from '../platform/pagination.ts';
import { Amount, IdParams, minorUnits } from '../platform/schemas.ts';
import type { Category } from './model.ts';
import { IMAGE_CONTENT_TYPES } from './model.ts';
import { MAX_IMAGE_BYTES, type ImageFiles } from './images.ts';
import type { CatalogService, ProductView } from './service.ts';
import { AppError, badRequest } from '../platform/errors.ts';

const ImageSchema = z.object({ url: z.string(), alt: z.string() }).meta({ id: 'ProductImage' });

export const CategorySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    slug: z.string(),
    parentId: z.uuid().nullable().meta({ description: 'null for a top-level category' }),
    position: z.number().int().meta({ description: 'order among its siblings, lowest first' }),
  })
  .meta({ id: 'Category' });

const categoryJson = (c: Category): z.infer<typeof CategorySchema> => ({
  id: c.id,
  name: c.name,
  slug: c.slug,
  parentId: c.parentId,
  position: c.position,
});

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
    imageUrl: z.string().nullable().meta({ description: "the first image's url, or null" }),
    images: z.array(ImageSchema).meta({ description: 'in the order the shop shows them' }),
    categoryId: z.uuid().nullable(),
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
    images: p.images,
    categoryId: p.categoryId,
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

/** An image elsewhere on the web, or one Orderly serves itself (an upload, a demo picture). */
const SITE_PATH = /^\/(?!\/)(?!.*\.\.)[A-Za-z0-9._~/-]{1,500}$/;
const isWebUrl = (value: string) => {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
};
const ImageAddress = z
  .string()
  .max(2000)
  .refine((v) => SITE_PATH.test(v) || isWebUrl(v), 'must be an http(s) URL or a path on this site')
  .meta({ description: 'an http(s) URL, or a path on this site such as /uploads/…' });
/** v1's single image: an absolute http(s) URL, as it always was; `images` also takes site paths. */
const ImageUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .nullable();
const Images = z
  .array(z.strictObject({ url: ImageAddress, alt: z.string().trim().max(300).default('') }))
  .max(20)
  .meta({ description: 'the images in order; the first is the one lists show' });
const CategoryId = z.uuid().nullable();
const Slug = z
  .string()
  .trim()
  .max(100)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lowercase letters and digits joined by single hyphens');
const Price = Amount;
const VariantBody = {
  price: Price.optional(),
  weightGrams: WeightGrams.optional(),
  taxCategory: TaxCategory.optional(),
};

export const catalogRoutes =
  (catalog: CatalogService, images: ImageFiles): FastifyPluginAsyncZod =>
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
          querystring: z.object({
            search: z.string().trim().max(100).optional(),
            category: z
              .string()
              .trim()
              .min(1)
              .max(100)
              .optional()
              .meta({ description: "a category's id or slug; its sub-categories' products are included" }),
            sort: z.enum(['name', 'price_asc', 'price_desc', 'newest']).default('name').meta({
              description: 'price sorts use the lowest variant price; a cursor belongs to its sort',
            }),
            status: z
              .enum(['all', 'active', 'archived'])
              .default('all')
              .meta({ description: 'admins: which products; others always see the active ones only' }),
            ...PageQuery,
          }),
          response: {
            200: z.object({ items: z.array(ProductSchema), nextCursor: z.string().nullable() }),
            400: ErrorBody,
            404: ErrorBody.meta({ description: 'no category with this id or slug' }),
          },
        },
      },
      async (request) => {
        const { status, ...query } = request.query;
        const admin = request.user?.role === 'admin';
        const page = await catalog.list({
          ...query,
          includeInactive: admin && status !== 'active',
          archivedOnly: admin && status === 'archived',
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
        config: { auth: 'admin', permission: 'catalog' },
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
            imageUrl: ImageUrl.optional().meta({ description: 'a single image; or give images' }),
            images: Images.optional(),
            categoryId: CategoryId.optional(),
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
        config: { auth: 'admin', permission: 'catalog' },
        schema: {
          operationId: 'updateProduct',
          tags: ['Catalog'],
          summary: 'Change a product (admin)',
          params: IdParams,
          body: z.strictObject({
            name: z.string().trim().min(1).max(200).optional(),
            description: z.string().max(5000).optional(),
            price: Amount.optional(),
            imageUrl: ImageUrl.optional().meta({
              description:
                'replaces the first image and keeps the others; with images, must be its first url',
            }),
            images: Images.optional().meta({ description: 'replaces every image, in this order' }),
            categoryId: CategoryId.optional(),
            active: z
              .boolean()
              .optional()
              .meta({ description: 'false archives the product: it is no longer sold' }),
          }),
          response: {
            200: ProductSchema,
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
            404: ErrorBody,
            409: ErrorBody,
          },
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

    app.post(
      '/products/:id/variants',
      {
        config: { auth: 'admin', permission: 'catalog' },
        schema: {
          operationId: 'addVariant',
          tags: ['Catalog'],
          summary:
            'Add a variant to a product with options; a new option value is added to the option (admin)',
          params: IdParams,
          body: z.strictObject({
            sku: Sku,
            options: z
              .record(OptionName, z.string().trim().min(1).max(50))
              .meta({ description: "one value for each of the product's options" }),
            price: Price,
            weightGrams: WeightGrams.default(0),
            taxCategory: TaxCategory.default(null),
            initialStock: z.number().int().min(0).max(1_000_000).default(0),
            lowStockThreshold: z.number().int().min(0).max(1_000_000).optional(),
          }),
          response: {
            201: ProductSchema,
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
            404: ErrorBody,
            409: ErrorBody.meta({ description: 'SKU or combination taken, or a product without options' }),
          },
        },
      },
      async (request, reply) => {
        const { price, ...rest } = request.body;
        const product = await catalog.addVariant(
          request.params.id,
          { ...rest, priceMinor: minorUnits(price, catalog.currency, 'body.price') },
          request.user?.id ?? null,
        );
        return reply.code(201).send(productJson(product));
      },
    );

    app.patch(
      '/variants/:id',
      {
        config: { auth: 'admin', permission: 'catalog' },
        schema: {
          operationId: 'updateVariant',
          tags: ['Catalog'],
          summary:
            "Change a variant's price, weight, tax category or whether it is sold; answers its product (admin)",
          params: IdParams,
          body: z.strictObject({ ...VariantBody, active: z.boolean().optional() }),
          response: { 200: ProductSchema, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
        },
      },
      async (request) => {
        const { price, ...rest } = request.body;
        const changes = {
          ...rest,
          ...(price !== undefined && { priceMinor: minorUnits(price, catalog.currency, 'body.price') }),
        };
        return productJson(await catalog.updateVariant(request.params.id, changes, request.user?.id ?? null));
      },
    );

    app.get(
      '/categories',
      {
        config: { auth: 'public' },
        schema: {
          operationId: 'listCategories',
          tags: ['Catalog'],
          summary: 'Every category of the catalog tree, in display order',
          security: [],
          response: { 200: z.object({ items: z.array(CategorySchema) }) },
        },
      },
      async () => ({ items: (await catalog.listCategories()).map(categoryJson) }),
    );

    app.post(
      '/admin/categories',
      {
        config: { auth: 'admin', permission: 'catalog' },
        schema: {
          operationId: 'createCategory',
          tags: ['Catalog'],
          summary: 'Add a category, at most three levels deep (admin)',
          body: z.strictObject({
            name: z.string().trim().min(1).max(100),
            slug: Slug.optional().meta({ description: 'made from the name when not given' }),
            parentId: CategoryId.default(null),
            position: z.number().int().min(0).max(10_000).default(0),
          }),
          response: { 201: CategorySchema, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody },
        },
      },
      async (request, reply) => {
        const category = await catalog.createCategory(request.body, request.user?.id ?? null);
        return reply.code(201).send(categoryJson(category));
      },
    );

    app.patch(
      '/admin/categories/:id',
      {
        config: { auth: 'admin', permission: 'catalog' },
        schema: {
          operationId: 'updateCategory',
          tags: ['Catalog'],
          summary: 'Rename, move or reorder a category (admin)',
          params: IdParams,
          body: z.strictObject({
            name: z.string().trim().min(1).max(100).optional(),
            slug: Slug.optional(),
            parentId: CategoryId.optional(),
            position: z.number().int().min(0).max(10_000).optional(),
          }),
          response: {
            200: CategorySchema,
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
            404: ErrorBody,
            409: ErrorBody,
          },
        },
      },
      async (request) =>
        categoryJson(await catalog.updateCategory(request.params.id, request.body, request.user?.id ?? null)),
    );

    app.delete(
      '/admin/categories/:id',
      {
        config: { auth: 'admin', permission: 'catalog' },
        schema: {
          operationId: 'deleteCategory',
          tags: ['Catalog'],
          summary: 'Delete an empty category (admin)',
          params: IdParams,
          response: {
            204: z.null().meta({ description: 'deleted' }),
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
            404: ErrorBody,
            409: ErrorBody.meta({ description: 'it still has products or sub-categories' }),
          },
        },
      },
      async (request, reply) => {
        await catalog.deleteCategory(request.params.id, request.user?.id ?? null);
        return reply.code(204).send(null);
      },
    );

    await app.register(async (uploads) => {
      const types = Object.values(IMAGE_CONTENT_TYPES);
      // Any body reaches the handler as bytes, so a wrong type gets an answer that names the right ones.
      uploads.removeAllContentTypeParsers();
      uploads.addContentTypeParser(
        '*',
        { parseAs: 'buffer', bodyLimit: MAX_IMAGE_BYTES },
        (_request, body, done) => {
          done(null, body);
        },
      );
      uploads.post(
        '/admin/images',
        {
          config: { auth: 'admin', permission: 'catalog' },
          bodyLimit: MAX_IMAGE_BYTES,
          schema: {
            operationId: 'uploadImage',
            tags: ['Catalog'],
            summary:
              'Upload a product image: the raw bytes as image/png, image/jpeg or image/webp, up to 2 MiB (admin)',
            response: {
              201: z.object({
                url: z.string().meta({ description: 'where Orderly serves it: /uploads/<name>' }),
              }),
              400: ErrorBody,
              401: ErrorBody,
              403: ErrorBody,
              413: ErrorBody,
              415: ErrorBody,
            },
          },
        },
        async (request, reply) => {
          const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
          if (!types.includes(type)) {
            throw new AppError(415, 'unsupported_media_type', `Send the image as ${types.join(', ')}.`, {
              types,
            });
          }
          const body: unknown = request.body;
          if (!Buffer.isBuffer(body) || body.length === 0)
            throw badRequest('invalid_image', 'The request has no image.');
          return reply.code(201).send(await images.save(body));
        },
      );
    });
  };
