import type { ChargeIntentStatus } from '../payment/charge-intents.ts';
import type { Db } from '../platform/db.ts';
import { takeLock } from '../platform/locks.ts';

/** Where a dearer exchange's charge stands (ADR 0041). */
export type ExchangeChargeStatus = ChargeIntentStatus;

export interface ExchangeChargeRecord {
  key: string;
  orderId: string;
  /** the request's content: the same request sent again has the same digest */
  digest: string;
  /** 0, then one more each time the request is sent again after its charge was given back */
  attempt: number;
  amount: number;
  status: ExchangeChargeStatus;
  returnId: string | null;
}

const COLUMNS = [
  'idempotency_key',
  'order_id',
  'digest',
  'attempt',
  'amount_minor',
  'status',
  'return_id',
] as const;

function record(row: {
  idempotency_key: string;
  order_id: string;
  digest: string;
  attempt: number;
  amount_minor: number;
  status: ExchangeChargeStatus;
  return_id: string | null;
}): ExchangeChargeRecord {
  return {
    key: row.idempotency_key,
    orderId: row.order_id,
    digest: row.digest,
    attempt: row.attempt,
    amount: row.amount_minor,
    status: row.status,
    returnId: row.return_id,
  };
}

/** The newest attempt at this request's charge on the order, locked: the order's lock is held. */
export async function lockLatest(
  trx: Db,
  orderId: string,
  digest: string,
): Promise<ExchangeChargeRecord | undefined> {
  takeLock(trx, 'return');
  const row = await trx
    .selectFrom('return_exchange_charge')
    .select(COLUMNS)
    .where('order_id', '=', orderId)
    .where('digest', '=', digest)
    .orderBy('attempt', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
  return row && record(row);
}

/** The return an attempt at this request's charge paid for. */
export async function madeReturn(db: Db, orderId: string, digest: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('return_exchange_charge')
    .select('return_id')
    .where('order_id', '=', orderId)
    .where('digest', '=', digest)
    .where('status', '=', 'made')
    .executeTakeFirst();
  return row?.return_id ?? undefined;
}

export async function lock(trx: Db, key: string): Promise<ExchangeChargeRecord | undefined> {
  takeLock(trx, 'return');
  const row = await trx
    .selectFrom('return_exchange_charge')
    .select(COLUMNS)
    .where('idempotency_key', '=', key)
    .forUpdate()
    .executeTakeFirst();
  return row && record(row);
}

export async function insert(
  trx: Db,
  charge: { key: string; orderId: string; digest: string; attempt: number; amount: number },
): Promise<void> {
  await trx
    .insertInto('return_exchange_charge')
    .values({
      idempotency_key: charge.key,
      order_id: charge.orderId,
      digest: charge.digest,
      attempt: charge.attempt,
      amount_minor: charge.amount,
    })
    .execute();
}

/** Moves the charge on from one of the statuses `from`; false when it was in none of them. */
export async function setStatus(
  trx: Db,
  key: string,
  from: readonly ExchangeChargeStatus[],
  to: Exclude<ExchangeChargeStatus, 'made'> | { made: string },
): Promise<boolean> {
  const result = await trx
    .updateTable('return_exchange_charge')
    .set(
      typeof to === 'string'
        ? { status: to, updated_at: new Date() }
        : { status: 'made', return_id: to.made, updated_at: new Date() },
    )
    .where('idempotency_key', '=', key)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Charges still open or being given back that nothing has touched since `before`, oldest first. */
export async function due(db: Db, before: Date, limit: number): Promise<ExchangeChargeRecord[]> {
  const rows = await db
    .selectFrom('return_exchange_charge')
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
    .updateTable('return_exchange_charge')
    .set({ updated_at: new Date() })
    .where('idempotency_key', '=', key)
    .where('status', 'in', ['open', 'refunding'])
    .where('updated_at', '<', before)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
