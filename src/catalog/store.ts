import { sql, type Selectable } from 'kysely';
import type { Db } from '../platform/db.ts';
import type { ProductTable, ProductVariantTable } from '../platform/schema.ts';
import { likePattern } from '../platform/pagination.ts';
import type {
  Category,
  Product,
  ProductOption,
  ProductSort,
  SellableVariant,
  Variant,
  VariantInput,
} from './model.ts';

const productColumns = [
  'id',
  'sku',
  'name',
  'description',
  'price_minor',
  'currency',
  'image_url',
  'images',
  'category_id',
  'active',
  'created_at',
] as const;
type ProductRow = Pick<Selectable<ProductTable>, (typeof productColumns)[number]>;

const variantColumns = [
  'id',
  'product_id',
  'sku',
  'options',
  'title',
  'price_minor',
  'weight_grams',
  'tax_category',
  'active',
] as const;
type VariantRow = Pick<Selectable<ProductVariantTable>, (typeof variantColumns)[number]>;

const toVariant = (row: VariantRow): Variant => ({
  id: row.id,
  productId: row.product_id,
  sku: row.sku,
  options: row.options,
  title: row.title,
  priceMinor: row.price_minor,
  weightGrams: row.weight_grams,
  taxCategory: row.tax_category,
  active: row.active,
});

/** Products with their options and variants: two more statements for any number of products. */
async function assemble(db: Db, rows: readonly ProductRow[]): Promise<Product[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [options, variants] = await Promise.all([
    db
      .selectFrom('product_option')
      .select(['product_id', 'name', 'values'])
      .where('product_id', 'in', ids)
      .orderBy('product_id')
      .orderBy('position')
      .execute(),
    db
      .selectFrom('product_variant')
      .select(variantColumns)
      .where('product_id', 'in', ids)
      .orderBy('product_id')
      .orderBy('position')
      .orderBy('id')
      .execute(),
  ]);
  const optionsOf = new Map<string, ProductOption[]>();
  for (const o of options) {
    optionsOf.set(o.product_id, [...(optionsOf.get(o.product_id) ?? []), { name: o.name, values: o.values }]);
  }
  const variantsOf = new Map<string, Variant[]>();
  for (const v of variants)
    variantsOf.set(v.product_id, [...(variantsOf.get(v.product_id) ?? []), toVariant(v)]);
  return rows.map((row) => ({
    id: row.id,
    sku: row.sku,
    name: row.name,
    description: row.description,
    priceMinor: row.price_minor,
    currency: row.currency,
    imageUrl: row.image_url,
    images: row.images,
    categoryId: row.category_id,
    active: row.active,
    createdAt: row.created_at,
    options: optionsOf.get(row.id) ?? [],
    variants: variantsOf.get(row.id) ?? [],
  }));
}

/** Where a page starts: the sort key of the last product of the page before. */
export type ProductKey =
  | { sort: 'name'; name: string; id: string }
  | { sort: 'price_asc' | 'price_desc'; priceMinor: number; id: string }
  /** `createdAt` as PostgreSQL prints it, to the microsecond (a JS Date would drop those) */
  | { sort: 'newest'; createdAt: string; id: string };

export interface ListedProduct {
  product: Product;
  /** `created_at` to the microsecond, for the next page's key */
  createdKey: string;
}

export async function list(
  db: Db,
  query: {
    search?: string | undefined;
    includeInactive: boolean;
    archivedOnly: boolean;
    /** null: every category, or none */
    categoryIds: readonly string[] | null;
    sort: ProductSort;
    limit: number;
    after: ProductKey | null;
  },
): Promise<ListedProduct[]> {
  let q = db
    .selectFrom('product')
    .select(productColumns)
    .select(sql<string>`created_at::text`.as('created_key'));
  if (query.archivedOnly) q = q.where('active', '=', false);
  else if (!query.includeInactive) q = q.where('active', '=', true);
  if (query.categoryIds) q = q.where('category_id', 'in', query.categoryIds);
  if (query.search) {
    const pattern = likePattern(query.search);
    q = q.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('sku', 'ilike', pattern)]));
  }
  const after = query.after;
  if (after?.sort === 'name') {
    q = q.where((eb) =>
      eb.or([eb('name', '>', after.name), eb.and([eb('name', '=', after.name), eb('id', '>', after.id)])]),
    );
  } else if (after?.sort === 'price_asc' || after?.sort === 'price_desc') {
    const op = after.sort === 'price_asc' ? '>' : '<';
    q = q.where((eb) =>
      eb.or([
        eb('price_minor', op, after.priceMinor),
        eb.and([eb('price_minor', '=', after.priceMinor), eb('id', op, after.id)]),
      ]),
    );
  } else if (after?.sort === 'newest') {
    const at = sql<Date>`${after.createdAt}::timestamptz`;
    q = q.where((eb) =>
      eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', after.id)])]),
    );
  }
  switch (query.sort) {
    case 'name':
      q = q.orderBy('name').orderBy('id');
      break;
    case 'price_asc':
      q = q.orderBy('price_minor').orderBy('id');
      break;
    case 'price_desc':
      q = q.orderBy('price_minor', 'desc').orderBy('id', 'desc');
      break;
    case 'newest':
      q = q.orderBy('created_at', 'desc').orderBy('id', 'desc');
      break;
  }
  const rows = await q.limit(query.limit).execute();
  const products = await assemble(db, rows);
  return products.map((product, i) => ({ product, createdKey: rows[i]?.created_key ?? '' }));
}

/** Ids of the products whose name or SKU, or one of whose variants' SKU, contains `search`. */
export async function productIdsMatching(db: Db, search: string): Promise<string[]> {
  const pattern = likePattern(search);
  const { rows } = await sql<{ id: string }>`
    select id from product where name ilike ${pattern} or sku ilike ${pattern}
    union
    select product_id from product_variant where sku ilike ${pattern}`.execute(db);
  return rows.map((r) => r.id);
}

/** Ids of the variants whose SKU, or whose product's name or SKU, contains `search`. */
export async function variantIdsMatching(db: Db, search: string): Promise<string[]> {
  const pattern = likePattern(search);
  const { rows } = await sql<{ id: string }>`
    select v.id from product_variant v join product p on p.id = v.product_id
     where v.sku ilike ${pattern} or p.name ilike ${pattern} or p.sku ilike ${pattern}`.execute(db);
  return rows.map((r) => r.id);
}

/** With `forUpdate`, the product rows stay locked until the caller's transaction ends. */
export async function findMany(db: Db, ids: readonly string[], forUpdate = false): Promise<Product[]> {
  if (ids.length === 0) return [];
  let q = db.selectFrom('product').select(productColumns).where('id', 'in', ids);
  if (forUpdate) q = q.forUpdate();
  return assemble(db, await q.execute());
}

/**
 * Variants by id with what they take from their product, in one statement. An id may also name
 * a product: then every variant of that product comes back, for the caller to tell "the only
 * one" from "which one?".
 */
export async function findSellable(db: Db, ids: readonly string[]): Promise<SellableVariant[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<{
    id: string;
    product_id: string;
    name: string;
    title: string;
    sku: string;
    price_minor: number;
    currency: string;
    image_url: string | null;
    active: boolean;
    weight_grams: number;
    tax_category: string | null;
  }>`
    select v.id, v.product_id, p.name, v.title, v.sku, v.price_minor, p.currency, p.image_url,
           (v.active and p.active) as active, v.weight_grams, v.tax_category
      from product_variant v join product p on p.id = v.product_id
     where v.id = any(${ids}::uuid[]) or v.product_id = any(${ids}::uuid[])`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    productId: r.product_id,
    name: r.name,
    title: r.title,
    sku: r.sku,
    priceMinor: r.price_minor,
    currency: r.currency,
    imageUrl: r.image_url,
    active: r.active,
    weightGrams: r.weight_grams,
    taxCategory: r.tax_category,
  }));
}

/**
 * A product with its options and variants. The first variant of a product without options takes
 * the product's id (ADR 0025). Undefined when the product's SKU is taken; a variant SKU that is
 * taken fails the statement with a unique violation on `product_variant_sku_key`.
 */
export async function insert(
  trx: Db,
  product: Pick<Product, 'sku' | 'name' | 'description' | 'currency' | 'images' | 'categoryId' | 'active'> & {
    priceMinor: number;
  },
  options: readonly ProductOption[],
  variants: readonly (VariantInput & { title: string })[],
): Promise<Product | undefined> {
  const row = await trx
    .insertInto('product')
    .values({
      sku: product.sku,
      name: product.name,
      description: product.description,
      price_minor: product.priceMinor,
      currency: product.currency,
      image_url: product.images[0]?.url ?? null,
      images: JSON.stringify(product.images),
      category_id: product.categoryId,
      active: product.active,
    })
    .onConflict((oc) => oc.column('sku').doNothing())
    .returning(productColumns)
    .executeTakeFirst();
  if (!row) return undefined;
  if (options.length > 0) {
    await trx
      .insertInto('product_option')
      .values(
        options.map((o, position) => ({ product_id: row.id, position, name: o.name, values: o.values })),
      )
      .execute();
  }
  await trx
    .insertInto('product_variant')
    .values(
      variants.map((v, position) => ({
        ...(options.length === 0 && { id: row.id }),
        product_id: row.id,
        sku: v.sku,
        options: JSON.stringify(v.options),
        title: v.title,
        price_minor: v.priceMinor,
        weight_grams: v.weightGrams,
        tax_category: v.taxCategory,
        position,
      })),
    )
    .execute();
  const [created] = await assemble(trx, [row]);
  return created;
}

export async function update(
  trx: Db,
  id: string,
  changes: Partial<Pick<Product, 'name' | 'description' | 'images' | 'categoryId' | 'active'>>,
): Promise<void> {
  await trx
    .updateTable('product')
    .set({
      ...(changes.name !== undefined && { name: changes.name }),
      ...(changes.description !== undefined && { description: changes.description }),
      ...(changes.images !== undefined && {
        images: JSON.stringify(changes.images),
        image_url: changes.images[0]?.url ?? null,
      }),
      ...(changes.categoryId !== undefined && { category_id: changes.categoryId }),
      ...(changes.active !== undefined && { active: changes.active }),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

export async function updateVariant(
  trx: Db,
  id: string,
  changes: Partial<Pick<Variant, 'priceMinor' | 'weightGrams' | 'taxCategory' | 'active'>>,
): Promise<void> {
  await trx
    .updateTable('product_variant')
    .set({
      ...(changes.priceMinor !== undefined && { price_minor: changes.priceMinor }),
      ...(changes.weightGrams !== undefined && { weight_grams: changes.weightGrams }),
      ...(changes.taxCategory !== undefined && { tax_category: changes.taxCategory }),
      ...(changes.active !== undefined && { active: changes.active }),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

/** Keeps the product's "from" price equal to its lowest variant price (the rule in model.ts). */
export async function setLowestPrice(trx: Db, productId: string, priceMinor: number): Promise<void> {
  await trx
    .updateTable('product')
    .set({ price_minor: priceMinor, updated_at: new Date() })
    .where('id', '=', productId)
    .execute();
}

export async function count(db: Db): Promise<number> {
  const row = await db
    .selectFrom('product')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * A new variant of an existing product, last in its order, and the product's option values as
 * they are with it. A SKU or a combination already taken fails the statement with a unique
 * violation (`product_variant_sku_key`, `product_variant_product_id_options_key`).
 */
export async function insertVariant(
  trx: Db,
  productId: string,
  variant: VariantInput & { title: string },
  options: readonly ProductOption[],
): Promise<Variant> {
  for (const [position, o] of options.entries()) {
    await trx
      .updateTable('product_option')
      .set({ values: o.values })
      .where('product_id', '=', productId)
      .where('position', '=', position)
      .execute();
  }
  const row = await trx
    .insertInto('product_variant')
    .values((eb) => ({
      product_id: productId,
      sku: variant.sku,
      options: JSON.stringify(variant.options),
      title: variant.title,
      price_minor: variant.priceMinor,
      weight_grams: variant.weightGrams,
      tax_category: variant.taxCategory,
      position: eb
        .selectFrom('product_variant')
        .select(sql<number>`coalesce(max(position), -1) + 1`.as('next'))
        .where('product_id', '=', productId),
    }))
    .returning(variantColumns)
    .executeTakeFirstOrThrow();
  return toVariant(row);
}

/** The variant and its product's id; undefined when there is no such variant. */
export async function findVariant(db: Db, id: string): Promise<Variant | undefined> {
  const row = await db
    .selectFrom('product_variant')
    .select(variantColumns)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toVariant(row) : undefined;
}

const categoryColumns = ['id', 'name', 'slug', 'parent_id', 'position'] as const;
const toCategory = (row: {
  id: string;
  name: string;
  slug: string;
  parent_id: string | null;
  position: number;
}): Category => ({
  id: row.id,
  name: row.name,
  slug: row.slug,
  parentId: row.parent_id,
  position: row.position,
});

/**
 * Every category, parents before their children's siblings in display order. With `forUpdate`
 * the rows stay locked until the transaction ends, so two moves cannot build a tree too deep.
 */
export async function listCategories(db: Db, forUpdate = false): Promise<Category[]> {
  let q = db.selectFrom('category').select(categoryColumns).orderBy('position').orderBy('name').orderBy('id');
  if (forUpdate) q = q.forUpdate();
  return (await q.execute()).map(toCategory);
}

/** Undefined when the slug is taken. */
export async function insertCategory(trx: Db, category: Omit<Category, 'id'>): Promise<Category | undefined> {
  const row = await trx
    .insertInto('category')
    .values({
      name: category.name,
      slug: category.slug,
      parent_id: category.parentId,
      position: category.position,
    })
    .onConflict((oc) => oc.column('slug').doNothing())
    .returning(categoryColumns)
    .executeTakeFirst();
  return row ? toCategory(row) : undefined;
}

/** A slug already taken fails with a unique violation on `category_slug_key`. */
export async function updateCategory(
  trx: Db,
  id: string,
  changes: Partial<Omit<Category, 'id'>>,
): Promise<void> {
  await trx
    .updateTable('category')
    .set({
      ...(changes.name !== undefined && { name: changes.name }),
      ...(changes.slug !== undefined && { slug: changes.slug }),
      ...(changes.parentId !== undefined && { parent_id: changes.parentId }),
      ...(changes.position !== undefined && { position: changes.position }),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

/** Whether any product, archived or not, is in the category. */
export async function categoryHasProducts(db: Db, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('product')
    .select('id')
    .where('category_id', '=', id)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function deleteCategory(trx: Db, id: string): Promise<void> {
  await trx.deleteFrom('category').where('id', '=', id).execute();
}
