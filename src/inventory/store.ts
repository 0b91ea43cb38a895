import { sql } from 'kysely';
import type { Db } from '../platform/db.ts';
import { takeLock } from '../platform/locks.ts';
import type { StockLevel, StockRequest } from './model.ts';

interface LevelRow {
  variant_id: string;
  product_id: string;
  on_hand: number;
  reserved: number;
  low_stock_threshold: number;
}

const toLevel = (r: LevelRow): StockLevel => ({
  variantId: r.variant_id,
  productId: r.product_id,
  onHand: r.on_hand,
  reserved: r.reserved,
  lowStockThreshold: r.low_stock_threshold,
});

const levelColumns = ['variant_id', 'product_id', 'on_hand', 'reserved', 'low_stock_threshold'] as const;

export async function levels(db: Db, variantIds: readonly string[]): Promise<StockLevel[]> {
  if (variantIds.length === 0) return [];
  const rows = await db
    .selectFrom('stock_level')
    .select(levelColumns)
    .where('variant_id', 'in', variantIds)
    .execute();
  return rows.map(toLevel);
}

/** Locks the rows in variant-id order (the caller passes them sorted) and returns them. */
export async function lockLevels(trx: Db, variantIds: readonly string[]): Promise<StockLevel[]> {
  takeLock(trx, 'stock');
  const rows = await trx
    .selectFrom('stock_level')
    .select(levelColumns)
    .where('variant_id', 'in', variantIds)
    .orderBy('variant_id')
    .forUpdate()
    .execute();
  return rows.map(toLevel);
}

/**
 * After `lockLevels`: adds to `reserved` with the atomic conditional update that makes
 * overselling impossible (`on_hand - reserved >= quantity`, and the CHECKs on the table refuse it
 * anyway), and records the reservations, in one statement. It runs after the lock statement, so
 * its snapshot sees the newest version of every locked row. Returns the variant ids that moved;
 * the caller passes requests it has checked against the locked levels, so all of them move.
 */
export async function addReserved(
  trx: Db,
  orderId: string,
  requests: readonly StockRequest[],
  expiresAt: Date,
): Promise<string[]> {
  const { rows } = await sql<{ variant_id: string }>`
    with moved as (
      update stock_level s
         set reserved = s.reserved + r.quantity, updated_at = now()
        from unnest(${requests.map((r) => r.variantId)}::uuid[], ${requests.map((r) => r.quantity)}::int[])
             as r(variant_id, quantity)
       where s.variant_id = r.variant_id and s.on_hand - s.reserved >= r.quantity
      returning s.variant_id, r.quantity
    ), held as (
      insert into stock_reservation (order_id, variant_id, quantity, status, expires_at)
      select ${orderId}, variant_id, quantity, 'active', ${expiresAt} from moved
    )
    select variant_id from moved`.execute(trx);
  return rows.map((r) => r.variant_id);
}

/** Locks, in variant-id order, the stock rows of an order's active reservations. */
export async function lockForOrder(trx: Db, orderId: string): Promise<void> {
  takeLock(trx, 'stock');
  await sql`
    select s.variant_id from stock_level s
     where s.variant_id in (select variant_id from stock_reservation where order_id = ${orderId} and status = 'active')
     order by s.variant_id
       for update`.execute(trx);
}

/**
 * Ends an order's active reservations: `committed` turns them into a sale (on hand and reserved
 * both go down), `released` gives them back. Returns what moved, per variant.
 */
export async function settleReservations(
  trx: Db,
  orderId: string,
  outcome: 'committed' | 'released',
): Promise<StockRequest[]> {
  const onHandChange = outcome === 'committed' ? sql`s.on_hand - r.quantity` : sql`s.on_hand`;
  const { rows } = await sql<{ variant_id: string; quantity: number }>`
    with r as (
      update stock_reservation set status = ${outcome}
       where order_id = ${orderId} and status = 'active'
      returning variant_id, quantity
    ), totals as (
      select variant_id, sum(quantity)::int as quantity from r group by variant_id
    )
    update stock_level s
       set on_hand = ${onHandChange}, reserved = s.reserved - r.quantity, updated_at = now()
      from totals r
     where s.variant_id = r.variant_id
    returning s.variant_id, r.quantity`.execute(trx);
  return rows.map((r) => ({ variantId: r.variant_id, quantity: r.quantity }));
}

/** Sold units going back on the shelf (a cancelled or reduced order that had been paid). */
export async function restock(trx: Db, requests: readonly StockRequest[]): Promise<void> {
  await sql`
    update stock_level s
       set on_hand = s.on_hand + r.quantity, updated_at = now()
      from unnest(${requests.map((r) => r.variantId)}::uuid[], ${requests.map((r) => r.quantity)}::int[])
           as r(variant_id, quantity)
     where s.variant_id = r.variant_id`.execute(trx);
}

export async function initialize(
  trx: Db,
  variant: { variantId: string; productId: string },
  onHand: number,
  lowStockThreshold: number,
): Promise<void> {
  await trx
    .insertInto('stock_level')
    .values({
      variant_id: variant.variantId,
      product_id: variant.productId,
      on_hand: onHand,
      low_stock_threshold: lowStockThreshold,
    })
    .execute();
}

/** The variants a product has stock levels for (one for a product without options). */
export async function variantsOfProduct(db: Db, productId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('stock_level')
    .select('variant_id')
    .where('product_id', '=', productId)
    .execute();
  return rows.map((r) => r.variant_id);
}

/** Sets on hand (`set`) or adds to it (`add`); refuses to go below what is reserved. */
export async function adjust(
  trx: Db,
  variantId: string,
  operation: 'set' | 'add',
  quantity: number,
): Promise<{ level: StockLevel; previousOnHand: number } | 'not_found' | 'below_reserved'> {
  const current = await trx
    .selectFrom('stock_level')
    .select(levelColumns)
    .where('variant_id', '=', variantId)
    .forUpdate()
    .executeTakeFirst();
  if (!current) return 'not_found';
  const onHand = operation === 'set' ? quantity : current.on_hand + quantity;
  if (onHand < current.reserved) return 'below_reserved';
  const row = await trx
    .updateTable('stock_level')
    .set({ on_hand: onHand, updated_at: new Date() })
    .where('variant_id', '=', variantId)
    .returning(levelColumns)
    .executeTakeFirstOrThrow();
  return { level: toLevel(row), previousOnHand: current.on_hand };
}

/**
 * Stock levels, lowest available first, for the admin's list: among `variantIds` when given, only
 * those at or below their threshold with `lowStockOnly`. With `available`, exactly the levels
 * with that many available (a page's last tie, which the caller orders by name).
 */
export async function list(
  db: Db,
  query: { variantIds?: readonly string[]; lowStockOnly: boolean; limit?: number; available?: number },
): Promise<StockLevel[]> {
  let q = db.selectFrom('stock_level').select(levelColumns);
  if (query.variantIds) q = q.where('variant_id', 'in', query.variantIds);
  if (query.lowStockOnly) q = q.where(sql<boolean>`on_hand - reserved <= low_stock_threshold`);
  if (query.available !== undefined) q = q.where(sql<boolean>`on_hand - reserved = ${query.available}`);
  q = q.orderBy(sql`on_hand - reserved`).orderBy('variant_id');
  if (query.limit !== undefined) q = q.limit(query.limit);
  return (await q.execute()).map(toLevel);
}

/** Reservations holding stock now, and those of them past their expiry (waiting for the sweeper). */
export async function reservationCounts(db: Db): Promise<{ active: number; units: number; overdue: number }> {
  const { rows } = await sql<{ active: number; units: number; overdue: number }>`
    select count(*)::int as active,
           coalesce(sum(quantity), 0)::int as units,
           (count(*) filter (where expires_at < now()))::int as overdue
      from stock_reservation
     where status = 'active'`.execute(db);
  return rows[0] ?? { active: 0, units: 0, overdue: 0 };
}

/** Orders holding reservations that have expired, oldest first; `skip locked` lets several sweepers share. */
export async function ordersWithExpiredReservations(db: Db, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('stock_reservation')
    .select('order_id')
    .distinct()
    .where('status', '=', 'active')
    .where('expires_at', '<', new Date())
    .limit(limit)
    .execute();
  return rows.map((r) => r.order_id);
}

export async function activeReservations(trx: Db, orderId: string): Promise<StockRequest[]> {
  const rows = await trx
    .selectFrom('stock_reservation')
    .select(['variant_id', 'quantity'])
    .where('order_id', '=', orderId)
    .where('status', '=', 'active')
    .execute();
  return rows.map((r) => ({ variantId: r.variant_id, quantity: r.quantity }));
}
