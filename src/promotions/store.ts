import { sql, type Selectable } from 'kysely';
import type { Db } from '../platform/db.ts';
import { takeLock } from '../platform/locks.ts';
import type { DiscountCodeTable } from '../platform/schema.ts';
import type { DiscountCode, DiscountDefinition, DiscountRule } from './model.ts';

const columns = [
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
  'times_used',
  'active',
  'created_at',
  'updated_at',
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
  let q = db.selectFrom('discount_code').select(columns);
  if (query.after !== null) q = q.where('code', '>', query.after);
  const rows = await q.orderBy('code').limit(query.limit).execute();
  return rows.map(toCode);
}

export async function findById(db: Db, id: string): Promise<DiscountCode | undefined> {
  const row = await db.selectFrom('discount_code').select(columns).where('id', '=', id).executeTakeFirst();
  return row && toCode(row);
}

/** The code row, locked until the caller's transaction ends (an admin's edit). */
export async function lockById(trx: Db, id: string): Promise<DiscountCode | undefined> {
  takeLock(trx, 'discount');
  const row = await trx
    .selectFrom('discount_code')
    .select(columns)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row && toCode(row);
}

/** `code` is normalized (upper case) by the caller. */
export async function findByCode(db: Db, code: string): Promise<DiscountCode | undefined> {
  const row = await db
    .selectFrom('discount_code')
    .select(columns)
    .where('code', '=', code)
    .executeTakeFirst();
  return row && toCode(row);
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

/** After `lockById`. */
export async function update(
  trx: Db,
  id: string,
  definition: DiscountDefinition,
  active: boolean,
): Promise<DiscountCode> {
  const row = await trx
    .updateTable('discount_code')
    .set({ ...definitionColumns(definition), active, updated_at: new Date() })
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
 * Gives an order's use back: its active redemption becomes released and the code's counter goes
 * down by one, in one statement. A second call finds no active redemption and changes nothing
 * (a concurrent one waits on the redemption row, then re-reads it as released). Returns the
 * code's id, or null when there was nothing to give back.
 */
export async function releaseForOrder(trx: Db, orderId: string): Promise<string | null> {
  takeLock(trx, 'discount');
  const { rows } = await sql<{ id: string }>`
    with released as (
      update discount_redemption set status = 'released', released_at = now()
       where order_id = ${orderId} and status = 'active'
      returning code_id
    )
    update discount_code c set times_used = c.times_used - 1
      from released r
     where c.id = r.code_id
    returning c.id`.execute(trx);
  return rows[0]?.id ?? null;
}
