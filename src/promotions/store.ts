import { sql, type Selectable } from 'kysely';
import type { Db } from '../platform/db.ts';
import { takeLock } from '../platform/locks.ts';
import type { DiscountCodeTable } from '../platform/schema.ts';
import { countedOnRow, type DiscountCode, type DiscountDefinition, type DiscountRule } from './model.ts';

const plainColumns = [
  'id',
  'code',
  'kind',
  'basis_points',
  'amount_minor',
  'currency',
  'minimum_subtotal_minor',
  'starts_at',
  'ends_at',
  'usage_limit',
  'per_customer_limit',
  'active',
  'created_at',
  'updated_at',
] as const;
/** what a statement that writes the row returns: its `times_used` is then all of the code's uses */
const columns = [...plainColumns, 'times_used'] as const;
/** what a read returns: the uses counted on the row and in its counter rows (ADR 0037) */
const selection = [
  ...plainColumns,
  sql<number>`(discount_code.times_used + coalesce((select sum(u.uses) from discount_code_use u where u.code_id = discount_code.id), 0))::int`.as(
    'times_used',
  ),
] as const;
type Row = Pick<Selectable<DiscountCodeTable>, (typeof columns)[number]>;

const date = (value: Date | string) => new Date(value);
const optionalDate = (value: Date | string | null) => (value === null ? null : new Date(value));

function ruleOf(row: Row): DiscountRule {
  // the table's discount_code_value CHECK guarantees the value column of each kind is set
  if (row.kind === 'percentage') return { kind: 'percentage', basisPoints: row.basis_points ?? 0 };
  if (row.kind === 'fixed') return { kind: 'fixed', amountMinor: row.amount_minor ?? 0 };
  return { kind: 'free_shipping' };
}

function toCode(row: Row): DiscountCode {
  return {
    id: row.id,
    code: row.code,
    rule: ruleOf(row),
    currency: row.currency,
    minimumSubtotalMinor: row.minimum_subtotal_minor,
    startsAt: optionalDate(row.starts_at),
    endsAt: optionalDate(row.ends_at),
    usageLimit: row.usage_limit,
    perCustomerLimit: row.per_customer_limit,
    timesUsed: row.times_used,
    active: row.active,
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
  };
}

function definitionColumns(definition: DiscountDefinition) {
  const rule = definition.rule;
  return {
    kind: rule.kind,
    basis_points: rule.kind === 'percentage' ? rule.basisPoints : null,
    amount_minor: rule.kind === 'fixed' ? rule.amountMinor : null,
    minimum_subtotal_minor: definition.minimumSubtotalMinor,
    starts_at: definition.startsAt,
    ends_at: definition.endsAt,
    usage_limit: definition.usageLimit,
    per_customer_limit: definition.perCustomerLimit,
  };
}

/** Codes in alphabetical order, after the code `after` when given. */
export async function list(db: Db, query: { limit: number; after: string | null }): Promise<DiscountCode[]> {
  let q = db.selectFrom('discount_code').select(selection);
  if (query.after !== null) q = q.where('code', '>', query.after);
  const rows = await q.orderBy('code').limit(query.limit).execute();
  return rows.map(toCode);
}

export async function findById(db: Db, id: string): Promise<DiscountCode | undefined> {
  const row = await db.selectFrom('discount_code').select(selection).where('id', '=', id).executeTakeFirst();
  return row && toCode(row);
}

/**
 * The code row, locked until the caller's transaction ends (an admin's edit). FOR UPDATE waits
 * for every order that holds the row for key share (`shareByCode`), so the uses read here are
 * all of them, and no order redeems the code until the edit commits.
 */
export async function lockById(trx: Db, id: string): Promise<DiscountCode | undefined> {
  takeLock(trx, 'discount');
  const row = await trx
    .selectFrom('discount_code')
    .select(selection)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row && toCode(row);
}

/** `code` is normalized (upper case) by the caller. */
export async function findByCode(db: Db, code: string): Promise<DiscountCode | undefined> {
  const row = await db
    .selectFrom('discount_code')
    .select(selection)
    .where('code', '=', code)
    .executeTakeFirst();
  return row && toCode(row);
}

/**
 * The code an order redeems, locked for key share until the order's transaction ends: its
 * limits stay as read (an admin's edit waits), while other orders redeeming it go on, since
 * key-share locks do not conflict with each other (ADR 0037).
 */
export async function shareByCode(trx: Db, code: string): Promise<DiscountCode | undefined> {
  takeLock(trx, 'discount');
  const row = await trx
    .selectFrom('discount_code')
    .select(selection)
    .where('code', '=', code)
    .forKeyShare()
    .executeTakeFirst();
  return row && toCode(row);
}

/** The counter row an order's use of a code with no limit goes to: a uuid's last digit is random. */
function shardOf(orderId: string): number {
  return Number.parseInt(orderId.slice(-1), 16);
}

/** Undefined when the code is taken. */
export async function insert(
  db: Db,
  code: string,
  currency: string,
  definition: DiscountDefinition,
  active: boolean,
): Promise<DiscountCode | undefined> {
  const row = await db
    .insertInto('discount_code')
    .values({ code, currency, active, ...definitionColumns(definition) })
    .onConflict((oc) => oc.column('code').doNothing())
    .returning(columns)
    .executeTakeFirst();
  return row && toCode(row);
}

/** After `lockById`; the code's counter rows are folded into `times_used`, so a limit holds on the row. */
export async function update(
  trx: Db,
  id: string,
  definition: DiscountDefinition,
  active: boolean,
): Promise<DiscountCode> {
  const row = await trx
    .with('folded', (db) => db.deleteFrom('discount_code_use').where('code_id', '=', id).returning('uses'))
    .updateTable('discount_code')
    .set({
      ...definitionColumns(definition),
      active,
      updated_at: new Date(),
      times_used: sql<number>`times_used + coalesce((select sum(uses) from folded), 0)::int`,
    })
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toCode(row);
}

/**
 * Takes one use of a code with the one conditional statement that makes the usage limit hold
 * under any concurrency: the row lock queues every other redeemer of this code behind this
 * transaction, and under READ COMMITTED a queued UPDATE re-reads `times_used` once the lock is
 * free, so the last use can only be taken once. Returns the code as it is now (with this use
 * counted), or undefined when no use is left. The row stays locked until the transaction ends.
 */
export async function takeUse(trx: Db, id: string): Promise<DiscountCode | undefined> {
  takeLock(trx, 'discount');
  const row = await trx
    .updateTable('discount_code')
    .set((eb) => ({ times_used: eb('times_used', '+', 1) }))
    .where('id', '=', id)
    .where((eb) => eb.or([eb('usage_limit', 'is', null), eb('times_used', '<', eb.ref('usage_limit'))]))
    .returning(columns)
    .executeTakeFirst();
  return row && toCode(row);
}

/** Undoes `takeUse` in the same transaction, when the use is refused after all. */
export async function returnUse(trx: Db, id: string): Promise<void> {
  await trx
    .updateTable('discount_code')
    .set((eb) => ({ times_used: eb('times_used', '-', 1) }))
    .where('id', '=', id)
    .execute();
}

/**
 * The customer's active redemptions of a code. Run after `takeUse`: the statement's snapshot is
 * taken after the row lock was granted, so it sees every redemption committed by whoever held
 * the lock before.
 */
export async function customerUses(trx: Db, codeId: string, customerId: string): Promise<number> {
  const row = await trx
    .selectFrom('discount_redemption')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('code_id', '=', codeId)
    .where('customer_id', '=', customerId)
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** False when the order already has a redemption (one code per order). */
export async function insertRedemption(
  trx: Db,
  redemption: { codeId: string; orderId: string; customerId: string },
): Promise<boolean> {
  const row = await trx
    .insertInto('discount_redemption')
    .values({
      code_id: redemption.codeId,
      order_id: redemption.orderId,
      customer_id: redemption.customerId,
      status: 'active',
    })
    .onConflict((oc) => oc.column('order_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Takes a use of a code with no limit, after `shareByCode`: the order's redemption, and one more
 * use in one of the code's counter rows, in one statement. Concurrent orders mostly add to
 * different rows, so they do not queue behind each other. False when the order already has a
 * redemption (one code per order), having counted nothing.
 */
export async function countUse(
  trx: Db,
  redemption: { codeId: string; orderId: string; customerId: string },
): Promise<boolean> {
  const { rows } = await sql<{ code_id: string }>`
    with redeemed as (
      insert into discount_redemption (code_id, order_id, customer_id, status)
      values (${redemption.codeId}, ${redemption.orderId}, ${redemption.customerId}, 'active')
      on conflict (order_id) do nothing
      returning code_id
    ), counted as (
      insert into discount_code_use (code_id, shard, uses)
      select code_id, ${shardOf(redemption.orderId)}, 1 from redeemed
      on conflict (code_id, shard) do update set uses = discount_code_use.uses + 1
    )
    select code_id from redeemed`.execute(trx);
  return rows.length > 0;
}

/**
 * Gives an order's use back: its active redemption becomes released and the code's count goes
 * down by one, where the code counts now (its row when it has a limit, else a counter row; only
 * the sum means anything, ADR 0037). The code is read for key share first, so an admin's edit
 * of its limits cannot slip in between. A second call finds no active redemption and changes
 * nothing (a concurrent one waits on the redemption row, then re-reads it as released). Returns
 * the code's id, or null when there was nothing to give back.
 */
export async function releaseForOrder(trx: Db, orderId: string): Promise<string | null> {
  takeLock(trx, 'discount');
  const code = await trx
    .selectFrom('discount_code as c')
    .innerJoin('discount_redemption as r', 'r.code_id', 'c.id')
    .select(['c.usage_limit', 'c.per_customer_limit'])
    .where('r.order_id', '=', orderId)
    .where('r.status', '=', 'active')
    .forKeyShare('c')
    .executeTakeFirst();
  if (!code) return null;
  const released = sql`
    update discount_redemption set status = 'released', released_at = now()
     where order_id = ${orderId} and status = 'active'
    returning code_id`;
  const onRow = countedOnRow({ usageLimit: code.usage_limit, perCustomerLimit: code.per_customer_limit });
  const { rows } = onRow
    ? await sql<{ id: string }>`
        with released as (${released})
        update discount_code c set times_used = c.times_used - 1
          from released r
         where c.id = r.code_id
        returning c.id`.execute(trx)
    : await sql<{ id: string }>`
        with released as (${released})
        insert into discount_code_use (code_id, shard, uses)
        select code_id, ${shardOf(orderId)}, -1 from released
        on conflict (code_id, shard) do update set uses = discount_code_use.uses - 1
        returning code_id as id`.execute(trx);
  return rows[0]?.id ?? null;
}
