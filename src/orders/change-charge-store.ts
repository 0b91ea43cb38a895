import type { ChargeIntentStatus } from '../payment/charge-intents.ts';
import type { Db } from '../platform/db.ts';

/**
 * An order change's charge, written before the provider is asked (ADR 0043). Every write but the
 * recovery's claim is made holding the order's lock, so no row lock of its own is taken.
 */
export interface ChangeChargeRecord {
  key: string;
  orderId: string;
  /** the order's version and the request's content: the same request sent again has the same digest */
  digest: string;
  /** 0, then one more each time the request is sent again after its charge was given back */
  attempt: number;
  amount: number;
  status: ChargeIntentStatus;
  /** the change's reservation is still held: the order's active reservations are this change's */
  holdsStock: boolean;
}

const COLUMNS = [
  'idempotency_key',
  'order_id',
  'digest',
  'attempt',
  'amount_minor',
  'status',
  'holds_stock',
] as const;

function record(row: {
  idempotency_key: string;
  order_id: string;
  digest: string;
  attempt: number;
  amount_minor: number;
  status: ChargeIntentStatus;
  holds_stock: boolean;
}): ChangeChargeRecord {
  return {
    key: row.idempotency_key,
    orderId: row.order_id,
    digest: row.digest,
    attempt: row.attempt,
    amount: row.amount_minor,
    status: row.status,
    holdsStock: row.holds_stock,
  };
}

/** The newest attempt at this request's charge on the order. */
export async function latest(
  trx: Db,
  orderId: string,
  digest: string,
): Promise<ChangeChargeRecord | undefined> {
  const row = await trx
    .selectFrom('order_change_charge')
    .select(COLUMNS)
    .where('order_id', '=', orderId)
    .where('digest', '=', digest)
    .orderBy('attempt', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && record(row);
}

export async function find(trx: Db, key: string): Promise<ChangeChargeRecord | undefined> {
  const row = await trx
    .selectFrom('order_change_charge')
    .select(COLUMNS)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  return row && record(row);
}

export async function insert(trx: Db, charge: Omit<ChangeChargeRecord, 'status'>): Promise<void> {
  await trx
    .insertInto('order_change_charge')
    .values({
      idempotency_key: charge.key,
      order_id: charge.orderId,
      digest: charge.digest,
      attempt: charge.attempt,
      amount_minor: charge.amount,
      holds_stock: charge.holdsStock,
    })
    .execute();
}

/** Moves the charge on from one of the statuses `from`; false when it was in none of them. */
export async function update(
  trx: Db,
  key: string,
  from: readonly ChargeIntentStatus[],
  to: { status?: ChargeIntentStatus; holdsStock?: boolean },
): Promise<boolean> {
  const result = await trx
    .updateTable('order_change_charge')
    .set({
      ...(to.status && { status: to.status }),
      ...(to.holdsStock !== undefined && { holds_stock: to.holdsStock }),
      updated_at: new Date(),
    })
    .where('idempotency_key', '=', key)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Charges still open or being given back that nothing has touched since `before`, oldest first. */
export async function due(db: Db, before: Date, limit: number): Promise<ChangeChargeRecord[]> {
  const rows = await db
    .selectFrom('order_change_charge')
    .select(COLUMNS)
    .where('status', 'in', ['open', 'refunding'])
    .where('updated_at', '<', before)
    .orderBy('updated_at')
    .limit(limit)
    .execute();
  return rows.map(record);
}

/**
 * A recovery pass takes a due charge: it is not due again for a grace period, so one pass (of any
 * instance) works on it at a time. False when another pass took it first.
 */
export async function claim(db: Db, key: string, before: Date): Promise<boolean> {
  const result = await db
    .updateTable('order_change_charge')
    .set({ updated_at: new Date() })
    .where('idempotency_key', '=', key)
    .where('status', 'in', ['open', 'refunding'])
    .where('updated_at', '<', before)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
