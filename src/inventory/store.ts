import { sql } from 'kysely';
import type { Db, StatementPart } from '../platform/db.ts';
import { takeLock } from '../platform/locks.ts';
import type { Allocation, AllocationRule, StockLevel, StockLocation, StockRequest } from './model.ts';

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

/** Each variant's stock added up over its locations (an inactive location holds none). */
export async function levels(db: Db, variantIds: readonly string[]): Promise<StockLevel[]> {
  if (variantIds.length === 0) return [];
  const rows = await db
    .selectFrom('stock_level')
    .select((eb) => [
      'variant_id',
      'product_id',
      sql<number>`sum(on_hand)::int`.as('on_hand'),
      sql<number>`sum(reserved)::int`.as('reserved'),
      eb.fn.max('low_stock_threshold').as('low_stock_threshold'),
    ])
    .where('variant_id', 'in', variantIds)
    .groupBy(['variant_id', 'product_id'])
    .execute();
  return rows.map(toLevel);
}

/** A variant's stock at one location, as the reservation rule sees it. */
export interface LocatedLevel {
  variantId: string;
  locationId: string;
  onHand: number;
  reserved: number;
  priority: number;
}

/**
 * Locks the variants' rows at the active locations, in (variant, location) order, and reads the
 * allocation rule in the same statement: placement costs no more round trips than with one location.
 */
export async function lockForReservation(
  trx: Db,
  variantIds: readonly string[],
): Promise<{ rule: AllocationRule; levels: LocatedLevel[] }> {
  takeLock(trx, 'stock');
  const { rows } = await sql<{
    variant_id: string;
    location_id: string;
    on_hand: number;
    reserved: number;
    priority: number;
    rule: AllocationRule;
  }>`
    select s.variant_id, s.location_id, s.on_hand, s.reserved, l.priority,
           (select allocation_rule from inventory_setting) as rule
      from stock_level s join stock_location l on l.id = s.location_id
     where s.variant_id = any(${variantIds}::uuid[]) and l.active
     order by s.variant_id, s.location_id
       for update of s`.execute(trx);
  return {
    rule: rows[0]?.rule ?? 'priority',
    levels: rows.map((r) => ({
      variantId: r.variant_id,
      locationId: r.location_id,
      onHand: r.on_hand,
      reserved: r.reserved,
      priority: r.priority,
    })),
  };
}

/** Locks the variants' rows at every location, in (variant, location) order. */
export async function lockLevels(trx: Db, variantIds: readonly string[]): Promise<LocatedLevel[]> {
  takeLock(trx, 'stock');
  const { rows } = await sql<{
    variant_id: string;
    location_id: string;
    on_hand: number;
    reserved: number;
    priority: number;
  }>`
    select s.variant_id, s.location_id, s.on_hand, s.reserved, l.priority
      from stock_level s join stock_location l on l.id = s.location_id
     where s.variant_id = any(${variantIds}::uuid[])
     order by s.variant_id, s.location_id
       for update of s`.execute(trx);
  return rows.map((r) => ({
    variantId: r.variant_id,
    locationId: r.location_id,
    onHand: r.on_hand,
    reserved: r.reserved,
    priority: r.priority,
  }));
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
  allocations: readonly Allocation[],
  expiresAt: Date,
): Promise<string[]> {
  const { rows } = await sql<{ variant_id: string }>`
    with ${reservationCtes(orderId, allocations, expiresAt)}
    select variant_id from stock_moved`.execute(trx);
  return rows.map((r) => r.variant_id);
}

/**
 * `addReserved` as a part of another context's statement (placement's order insert, ADR 0042):
 * `done` hears how many allocations moved. The order's row, which the reservations reference,
 * is written by the same statement; PostgreSQL checks the reference at its end.
 */
export function addReservedPart(
  orderId: string,
  allocations: readonly Allocation[],
  expiresAt: Date,
  done: (moved: number) => void,
): StatementPart {
  return {
    ctes: [reservationCtes(orderId, allocations, expiresAt)],
    column: sql`(select count(*)::int from stock_moved)`,
    done: (value) => done(Number(value)),
  };
}

function reservationCtes(orderId: string, allocations: readonly Allocation[], expiresAt: Date) {
  return sql`stock_moved as (
      update stock_level s
         set reserved = s.reserved + r.quantity, updated_at = now()
        from unnest(${allocations.map((r) => r.variantId)}::uuid[], ${allocations.map((r) => r.locationId)}::uuid[],
                    ${allocations.map((r) => r.quantity)}::int[])
             as r(variant_id, location_id, quantity)
       where s.variant_id = r.variant_id and s.location_id = r.location_id and s.on_hand - s.reserved >= r.quantity
      returning s.variant_id, s.location_id, r.quantity
    ), stock_held as (
      insert into stock_reservation (order_id, variant_id, location_id, quantity, status, expires_at)
      select ${orderId}, variant_id, location_id, quantity, 'active', ${expiresAt} from stock_moved
    )`;
}

/** Locks, in (variant, location) order, the stock rows of an order's active reservations. */
/**
 * Ends an order's active reservations: `committed` turns them into a sale (on hand and reserved
 * both go down), `released` gives them back. Returns what moved, per variant. One statement that
 * first locks the stock rows the reservations hold, in (variant, location) order like every other
 * stock lock: `locked` is read whole by `r`'s condition before any reservation moves, so the
 * final UPDATE only touches rows already locked, and no two orders settling can deadlock. Under
 * READ COMMITTED the UPDATE applies to the newest version of each locked row.
 */
export async function settleReservations(
  trx: Db,
  orderId: string,
  outcome: 'committed' | 'released',
): Promise<Allocation[]> {
  takeLock(trx, 'stock');
  const onHandChange = outcome === 'committed' ? sql`s.on_hand - r.quantity` : sql`s.on_hand`;
  const { rows } = await sql<{ variant_id: string; location_id: string; quantity: number }>`
    with locked as (
      select s.variant_id from stock_level s
       where (s.variant_id, s.location_id) in
             (select variant_id, location_id from stock_reservation where order_id = ${orderId} and status = 'active')
       order by s.variant_id, s.location_id
         for update
    ), r as (
      update stock_reservation set status = ${outcome}
       where order_id = ${orderId} and status = 'active' and (select count(*) from locked) >= 0
      returning variant_id, location_id, quantity
    ), totals as (
      select variant_id, location_id, sum(quantity)::int as quantity from r group by variant_id, location_id
    )
    update stock_level s
       set on_hand = ${onHandChange}, reserved = s.reserved - r.quantity, updated_at = now()
      from totals r
     where s.variant_id = r.variant_id and s.location_id = r.location_id
    returning s.variant_id, s.location_id, r.quantity`.execute(trx);
  return rows.map((r) => ({ variantId: r.variant_id, locationId: r.location_id, quantity: r.quantity }));
}

/** A committed reservation row with units the order still holds (neither shipped nor put back). */
export interface OpenCommitment {
  id: string;
  variantId: string;
  locationId: string;
  open: number;
}

/** The order's committed units not yet shipped or put back, newest first, of the given variants. */
export async function openCommitments(
  trx: Db,
  orderId: string,
  variantIds?: readonly string[],
): Promise<OpenCommitment[]> {
  let q = trx
    .selectFrom('stock_reservation')
    .select(['id', 'variant_id', 'location_id', sql<number>`quantity - shipped - restocked`.as('open')])
    .where('order_id', '=', orderId)
    .where('status', '=', 'committed')
    .where(sql<boolean>`quantity - shipped - restocked > 0`);
  if (variantIds) q = q.where('variant_id', 'in', variantIds);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, variantId: r.variant_id, locationId: r.location_id, open: r.open }));
}

/** Marks committed units shipped (`shipped`) or put back (`restocked`), per reservation row. */
export async function settleCommitments(
  trx: Db,
  column: 'shipped' | 'restocked',
  takes: ReadonlyArray<{ id: string; quantity: number }>,
): Promise<void> {
  if (takes.length === 0) return;
  await sql`
    update stock_reservation r
       set ${sql.ref(column)} = r.${sql.ref(column)} + t.quantity
      from unnest(${takes.map((t) => t.id)}::uuid[], ${takes.map((t) => t.quantity)}::int[]) as t(id, quantity)
     where r.id = t.id`.execute(trx);
}

/**
 * Adds `change` (negative: takes away) to on hand at each (variant, location), creating a level
 * where a variant had none there. A decrease is conditional on the free units (`on_hand -
 * reserved >= quantity`). One row per (variant, location); returns the pairs that moved.
 */
export async function moveOnHand(
  trx: Db,
  changes: ReadonlyArray<{ variantId: string; locationId: string; change: number }>,
): Promise<Array<{ variantId: string; locationId: string }>> {
  if (changes.length === 0) return [];
  takeLock(trx, 'stock');
  const { rows } = await sql<{ variant_id: string; location_id: string }>`
    with c as (
      select * from unnest(${changes.map((c) => c.variantId)}::uuid[], ${changes.map((c) => c.locationId)}::uuid[],
                           ${changes.map((c) => c.change)}::int[]) as c(variant_id, location_id, change)
    ), variant as (
      select variant_id, min(product_id::text)::uuid as product_id, max(low_stock_threshold) as threshold
        from stock_level where variant_id in (select variant_id from c) group by variant_id
    ), taken as (
      update stock_level s set on_hand = s.on_hand + c.change, updated_at = now()
        from c
       where c.change < 0 and s.variant_id = c.variant_id and s.location_id = c.location_id
         and s.on_hand - s.reserved >= -c.change
      returning s.variant_id, s.location_id
    ), added as (
      insert into stock_level as s (variant_id, location_id, product_id, on_hand, low_stock_threshold)
      select c.variant_id, c.location_id, v.product_id, c.change, v.threshold
        from c join variant v on v.variant_id = c.variant_id
       where c.change >= 0
       order by c.variant_id, c.location_id
      on conflict (variant_id, location_id) do update
         set on_hand = s.on_hand + excluded.on_hand, updated_at = now()
      returning s.variant_id, s.location_id
    )
    select * from taken union all select * from added`.execute(trx);
  return rows.map((r) => ({ variantId: r.variant_id, locationId: r.location_id }));
}

export async function initialize(
  trx: Db,
  variant: { variantId: string; productId: string },
  locationId: string,
  onHand: number,
  lowStockThreshold: number,
): Promise<void> {
  await trx
    .insertInto('stock_level')
    .values({
      variant_id: variant.variantId,
      location_id: locationId,
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
    .distinct()
    .where('product_id', '=', productId)
    .execute();
  return rows.map((r) => r.variant_id);
}

/** Sets on hand (`set`) or adds to it (`add`) at one location; refuses to go below what is reserved. */
export async function adjust(
  trx: Db,
  variantId: string,
  locationId: string,
  operation: 'set' | 'add',
  quantity: number,
): Promise<{ level: StockLevel; previousOnHand: number } | 'not_found' | 'below_reserved'> {
  takeLock(trx, 'stock');
  const rows = await trx
    .selectFrom('stock_level')
    .select([...levelColumns, 'location_id'])
    .where('variant_id', '=', variantId)
    .orderBy('location_id')
    .forUpdate()
    .execute();
  const any = rows[0];
  if (!any) return 'not_found';
  const current = rows.find((r) => r.location_id === locationId) ?? { ...any, on_hand: 0, reserved: 0 };
  const onHand = operation === 'set' ? quantity : current.on_hand + quantity;
  if (onHand < current.reserved) return 'below_reserved';
  const row = await trx
    .insertInto('stock_level')
    .values({
      variant_id: variantId,
      location_id: locationId,
      product_id: any.product_id,
      on_hand: onHand,
      low_stock_threshold: any.low_stock_threshold,
    })
    .onConflict((oc) =>
      oc.columns(['variant_id', 'location_id']).doUpdateSet({ on_hand: onHand, updated_at: new Date() }),
    )
    .returning(levelColumns)
    .executeTakeFirstOrThrow();
  return { level: toLevel(row), previousOnHand: current.on_hand };
}

/**
 * Stock levels, lowest available first, for the admin's list: each variant's total over its
 * locations, or with `locationId` what that location has (every variant, none there counting 0);
 * among `variantIds` when given, only those at or below their threshold with `lowStockOnly`.
 * With `available`, exactly the levels with that many available (a page's last tie, which the
 * caller orders by name).
 */
export async function list(
  db: Db,
  query: {
    locationId?: string | undefined;
    variantIds?: readonly string[];
    lowStockOnly: boolean;
    limit?: number;
    available?: number;
  },
): Promise<StockLevel[]> {
  const here = query.locationId === undefined ? sql`true` : sql`s.location_id = ${query.locationId}`;
  const filters = [sql`true`];
  if (query.variantIds) filters.push(sql`v.variant_id = any(${query.variantIds}::uuid[])`);
  if (query.lowStockOnly) filters.push(sql`t.on_hand - t.reserved <= v.low_stock_threshold`);
  if (query.available !== undefined) filters.push(sql`t.on_hand - t.reserved = ${query.available}`);
  const { rows } = await sql<LevelRow>`
    select v.variant_id, v.product_id, t.on_hand, t.reserved, v.low_stock_threshold
      from (select variant_id, min(product_id::text)::uuid as product_id, max(low_stock_threshold) as low_stock_threshold
              from stock_level group by variant_id) v
      cross join lateral (
        select coalesce(sum(s.on_hand), 0)::int as on_hand, coalesce(sum(s.reserved), 0)::int as reserved
          from stock_level s where s.variant_id = v.variant_id and ${here}) t
     where ${sql.join(filters, sql` and `)}
     order by t.on_hand - t.reserved, v.variant_id
     ${query.limit === undefined ? sql`` : sql`limit ${query.limit}`}`.execute(db);
  return rows.map(toLevel);
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

/** The order's committed units not yet shipped or put back, per variant and location. */
export async function allocations(db: Db, orderId: string): Promise<Allocation[]> {
  const rows = await db
    .selectFrom('stock_reservation')
    .select([
      'variant_id',
      'location_id',
      sql<number>`sum(quantity - shipped - restocked)::int`.as('quantity'),
    ])
    .where('order_id', '=', orderId)
    .where('status', '=', 'committed')
    .groupBy(['variant_id', 'location_id'])
    .having(sql<boolean>`sum(quantity - shipped - restocked) > 0`)
    .orderBy('variant_id')
    .orderBy('location_id')
    .execute();
  return rows.map((r) => ({ variantId: r.variant_id, locationId: r.location_id, quantity: r.quantity }));
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

const locationColumns = ['id', 'name', 'code', 'priority', 'active'] as const;

/** Locations, highest priority (1) first. */
export async function listLocations(db: Db): Promise<StockLocation[]> {
  return db.selectFrom('stock_location').select(locationColumns).orderBy('priority').execute();
}

export async function findLocation(db: Db, id: string): Promise<StockLocation | undefined> {
  return db.selectFrom('stock_location').select(locationColumns).where('id', '=', id).executeTakeFirst();
}

/**
 * Locks a location's row: `share` by a write that puts stock there (it must stay active until
 * the write commits), `update` by the change that may deactivate it, which locks nothing else
 * (so these locks stand outside ADR 0003's order without risking a deadlock).
 */
export async function lockLocation(
  trx: Db,
  id: string,
  mode: 'share' | 'update',
): Promise<StockLocation | undefined> {
  const q = trx.selectFrom('stock_location').select(locationColumns).where('id', '=', id);
  return (mode === 'share' ? q.forShare() : q.forUpdate()).executeTakeFirst();
}

/** Locks several locations' rows for share, in id order. */
export async function lockLocations(trx: Db, ids: readonly string[]): Promise<StockLocation[]> {
  return trx
    .selectFrom('stock_location')
    .select(locationColumns)
    .where('id', 'in', ids)
    .orderBy('id')
    .forShare()
    .execute();
}

/** The highest-priority active location. */
export async function defaultLocation(db: Db): Promise<StockLocation | undefined> {
  return db
    .selectFrom('stock_location')
    .select(locationColumns)
    .where('active', '=', true)
    .orderBy('priority')
    .limit(1)
    .executeTakeFirst();
}

/** The priority after the last location's. */
export async function nextPriority(db: Db): Promise<number> {
  const row = await db
    .selectFrom('stock_location')
    .select((eb) => eb.fn.max('priority').as('last'))
    .executeTakeFirst();
  return (row?.last ?? 0) + 1;
}

export async function insertLocation(
  db: Db,
  location: { id: string; name: string; code: string; priority: number; active: boolean },
): Promise<StockLocation | 'taken'> {
  const row = await db
    .insertInto('stock_location')
    .values(location)
    .onConflict((oc) => oc.doNothing())
    .returning(locationColumns)
    .executeTakeFirst();
  return row ?? 'taken';
}

/** Returns 'taken' when the priority belongs to another location. */
export async function updateLocation(
  trx: Db,
  id: string,
  change: { name?: string | undefined; priority?: number | undefined; active?: boolean | undefined },
): Promise<StockLocation | 'taken'> {
  try {
    return await trx
      .updateTable('stock_location')
      .set({
        ...(change.name !== undefined && { name: change.name }),
        ...(change.priority !== undefined && { priority: change.priority }),
        ...(change.active !== undefined && { active: change.active }),
      })
      .where('id', '=', id)
      .returning(locationColumns)
      .executeTakeFirstOrThrow();
  } catch (error) {
    if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) return 'taken';
    throw error;
  }
}

const UNIQUE_VIOLATION = '23505';

/**
 * What a location still holds: units on hand, reserved, and committed to orders but not shipped.
 * Read under the location's exclusive lock, which every write putting stock there waits for.
 */
export async function locationHoldings(
  trx: Db,
  id: string,
): Promise<{ onHand: number; reserved: number; committed: number }> {
  const { rows } = await sql<{ on_hand: number; reserved: number; committed: number }>`
    select coalesce((select sum(on_hand) from stock_level where location_id = ${id}), 0)::int as on_hand,
           coalesce((select sum(reserved) from stock_level where location_id = ${id}), 0)::int as reserved,
           coalesce((select sum(quantity - shipped - restocked) from stock_reservation
                      where location_id = ${id} and status = 'committed'), 0)::int as committed`.execute(trx);
  const row = rows[0];
  return { onHand: row?.on_hand ?? 0, reserved: row?.reserved ?? 0, committed: row?.committed ?? 0 };
}

export async function allocationRule(db: Db): Promise<AllocationRule> {
  const row = await db.selectFrom('inventory_setting').select('allocation_rule').executeTakeFirstOrThrow();
  return row.allocation_rule;
}

export async function setAllocationRule(db: Db, rule: AllocationRule): Promise<void> {
  await db.updateTable('inventory_setting').set({ allocation_rule: rule, updated_at: new Date() }).execute();
}

export interface TransferRecord {
  id: string;
  fromLocationId: string;
  toLocationId: string;
  note: string | null;
  actorId: string;
  createdAt: Date;
  items: StockRequest[];
}

export async function insertTransfer(trx: Db, transfer: Omit<TransferRecord, 'createdAt'>): Promise<Date> {
  const row = await trx
    .insertInto('stock_transfer')
    .values({
      id: transfer.id,
      from_location_id: transfer.fromLocationId,
      to_location_id: transfer.toLocationId,
      note: transfer.note,
      actor_id: transfer.actorId,
    })
    .returning('created_at')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('stock_transfer_line')
    .values(
      transfer.items.map((i) => ({
        transfer_id: transfer.id,
        variant_id: i.variantId,
        quantity: i.quantity,
      })),
    )
    .execute();
  return row.created_at;
}

/** Transfers, newest first (ids are UUIDv7), with their lines; `before` is the cursor. */
export async function listTransfers(
  db: Db,
  query: { locationId?: string | undefined; before?: string | undefined; limit: number },
): Promise<TransferRecord[]> {
  let q = db
    .selectFrom('stock_transfer')
    .select(['id', 'from_location_id', 'to_location_id', 'note', 'actor_id', 'created_at'])
    .orderBy('id', 'desc')
    .limit(query.limit);
  const { locationId, before } = query;
  if (locationId !== undefined)
    q = q.where((eb) =>
      eb.or([eb('from_location_id', '=', locationId), eb('to_location_id', '=', locationId)]),
    );
  if (before !== undefined) q = q.where('id', '<', before);
  const transfers = await q.execute();
  if (transfers.length === 0) return [];
  const lines = await db
    .selectFrom('stock_transfer_line')
    .select(['transfer_id', 'variant_id', 'quantity'])
    .where(
      'transfer_id',
      'in',
      transfers.map((t) => t.id),
    )
    .orderBy('variant_id')
    .execute();
  return transfers.map((t) => ({
    id: t.id,
    fromLocationId: t.from_location_id,
    toLocationId: t.to_location_id,
    note: t.note,
    actorId: t.actor_id,
    createdAt: t.created_at,
    items: lines
      .filter((l) => l.transfer_id === t.id)
      .map((l) => ({ variantId: l.variant_id, quantity: l.quantity })),
  }));
}
