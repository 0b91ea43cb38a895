import type { Selectable } from 'kysely';
import type { Db } from '../platform/db.ts';
import type { TaxRateTable } from '../platform/schema.ts';
import type { TaxRate } from './model.ts';

const columns = ['id', 'zone_id', 'category', 'name', 'rate_basis_points'] as const;
type Row = Pick<Selectable<TaxRateTable>, (typeof columns)[number]>;

const toRate = (row: Row): TaxRate => ({
  id: row.id,
  zoneId: row.zone_id,
  category: row.category,
  name: row.name,
  rateBasisPoints: row.rate_basis_points,
});

/** The standard rate first, then the categories by name. */
export async function list(db: Db, zoneId?: string): Promise<TaxRate[]> {
  let q = db.selectFrom('tax_rate').select(columns);
  if (zoneId !== undefined) q = q.where('zone_id', '=', zoneId);
  const rows = await q
    .orderBy('zone_id')
    .orderBy('category', (ob) => ob.nullsFirst())
    .orderBy('name')
    .execute();
  return rows.map(toRate);
}

export async function find(db: Db, id: string): Promise<TaxRate | undefined> {
  const row = await db.selectFrom('tax_rate').select(columns).where('id', '=', id).executeTakeFirst();
  return row && toRate(row);
}

export async function insert(db: Db, rate: Omit<TaxRate, 'id'>): Promise<TaxRate> {
  const row = await db
    .insertInto('tax_rate')
    .values({
      zone_id: rate.zoneId,
      category: rate.category,
      name: rate.name,
      rate_basis_points: rate.rateBasisPoints,
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toRate(row);
}

export async function update(
  db: Db,
  id: string,
  changes: Partial<Pick<TaxRate, 'category' | 'name' | 'rateBasisPoints'>>,
): Promise<TaxRate | undefined> {
  const row = await db
    .updateTable('tax_rate')
    .set({
      ...(changes.category !== undefined && { category: changes.category }),
      ...(changes.name !== undefined && { name: changes.name }),
      ...(changes.rateBasisPoints !== undefined && { rate_basis_points: changes.rateBasisPoints }),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirst();
  return row && toRate(row);
}

export async function remove(db: Db, id: string): Promise<TaxRate | undefined> {
  const row = await db.deleteFrom('tax_rate').where('id', '=', id).returning(columns).executeTakeFirst();
  return row && toRate(row);
}
