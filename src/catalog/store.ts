import type { Db } from '../platform/db.ts';
import type { ProductTable } from '../platform/schema.ts';
import type { Selectable } from 'kysely';
import { likePattern } from '../platform/pagination.ts';
import type { Product } from './model.ts';

const columns = [
  'id',
  'sku',
  'name',
  'description',
  'price_minor',
  'currency',
  'image_url',
  'active',
] as const;
type Row = Pick<Selectable<ProductTable>, (typeof columns)[number]>;

export function toProduct(row: Row): Product {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    description: row.description,
    priceMinor: row.price_minor,
    currency: row.currency,
    imageUrl: row.image_url,
    active: row.active,
  };
}

export async function list(
  db: Db,
  query: {
    search?: string | undefined;
    includeInactive: boolean;
    limit: number;
    after: [string, string] | null;
  },
): Promise<Product[]> {
  let q = db.selectFrom('product').select(columns);
  if (!query.includeInactive) q = q.where('active', '=', true);
  if (query.search) {
    const pattern = likePattern(query.search);
    q = q.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('sku', 'ilike', pattern)]));
  }
  if (query.after) {
    const [name, id] = query.after;
    q = q.where((eb) => eb.or([eb('name', '>', name), eb.and([eb('name', '=', name), eb('id', '>', id)])]));
  }
  const rows = await q.orderBy('name').orderBy('id').limit(query.limit).execute();
  return rows.map(toProduct);
}

/** Ids of the products whose name or SKU contains `search` (case-insensitive), active or not. */
export async function idsMatching(db: Db, search: string): Promise<string[]> {
  const pattern = likePattern(search);
  const rows = await db
    .selectFrom('product')
    .select('id')
    .where((eb) => eb.or([eb('name', 'ilike', pattern), eb('sku', 'ilike', pattern)]))
    .execute();
  return rows.map((r) => r.id);
}

/** With `forUpdate`, the rows stay locked until the caller's transaction ends. */
export async function findMany(db: Db, ids: readonly string[], forUpdate = false): Promise<Product[]> {
  if (ids.length === 0) return [];
  let q = db.selectFrom('product').select(columns).where('id', 'in', ids);
  if (forUpdate) q = q.forUpdate();
  const rows = await q.execute();
  return rows.map(toProduct);
}

export async function insert(db: Db, product: Omit<Product, 'id'>): Promise<Product | undefined> {
  const row = await db
    .insertInto('product')
    .values({
      sku: product.sku,
      name: product.name,
      description: product.description,
      price_minor: product.priceMinor,
      currency: product.currency,
      image_url: product.imageUrl,
      active: product.active,
    })
    .onConflict((oc) => oc.column('sku').doNothing())
    .returning(columns)
    .executeTakeFirst();
  return row && toProduct(row);
}

export async function update(
  db: Db,
  id: string,
  changes: Partial<Pick<Product, 'name' | 'description' | 'priceMinor' | 'imageUrl' | 'active'>>,
): Promise<Product | undefined> {
  const row = await db
    .updateTable('product')
    .set({
      ...(changes.name !== undefined && { name: changes.name }),
      ...(changes.description !== undefined && { description: changes.description }),
      ...(changes.priceMinor !== undefined && { price_minor: changes.priceMinor }),
      ...(changes.imageUrl !== undefined && { image_url: changes.imageUrl }),
      ...(changes.active !== undefined && { active: changes.active }),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirst();
  return row && toProduct(row);
}

export async function count(db: Db): Promise<number> {
  const row = await db
    .selectFrom('product')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
