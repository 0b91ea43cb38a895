import { sql } from 'kysely';
import { nowPlusMs, type Db } from '../platform/db.ts';
import type { RefundFailure } from './model.ts';

/**
 * The SQL of Orderly's own refunds (the `refund` table, with the hold each keeps on its charge in
 * `payment.refunded_minor`): holding, finishing, and the retry job's claims.
 */
export interface RefundRow {
  id: string;
  orderId: string;
  paymentId: string;
  idempotencyKey: string;
  amount: number;
  status: 'pending' | 'succeeded' | 'failed';
  reason: string | null;
  attempts: number;
  failureCode: string | null;
}

const refundColumns = [
  'id',
  'order_id',
  'payment_id',
  'idempotency_key',
  'amount_minor',
  'status',
  'reason',
  'attempts',
  'failure_code',
] as const;

function refundRow(r: {
  id: string;
  order_id: string;
  payment_id: string;
  idempotency_key: string;
  amount_minor: number;
  status: RefundRow['status'];
  reason: string | null;
  attempts: number;
  failure_code: string | null;
}): RefundRow {
  return {
    id: r.id,
    orderId: r.order_id,
    paymentId: r.payment_id,
    idempotencyKey: r.idempotency_key,
    amount: r.amount_minor,
    status: r.status,
    reason: r.reason,
    attempts: r.attempts,
    failureCode: r.failure_code,
  };
}

export async function refundsByKeyPrefix(db: Db, keyPrefix: string): Promise<RefundRow[]> {
  const rows = await db
    .selectFrom('refund')
    .select(refundColumns)
    .where('idempotency_key', 'like', `${keyPrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
    .orderBy('idempotency_key')
    .execute();
  return rows.map(refundRow);
}

/**
 * Holds the amount against the charge (the CHECK refunds ≤ amount guards it) and records the
 * refund: `pending` with its first attempt starting now (hidden from the retry job for
 * `leaseMs`, so the job does not call the gateway while the request that made it still does),
 * or `succeeded` for one made outside Orderly, in the gateway's dashboard.
 */
export async function insertRefund(
  trx: Db,
  refund: {
    paymentId: string;
    orderId: string;
    amount: number;
    idempotencyKey: string;
    reason: string | null;
  },
  state: { status: 'pending'; leaseMs: number } | { status: 'succeeded' },
): Promise<string> {
  await trx
    .updateTable('payment')
    .set((eb) => ({ refunded_minor: eb('refunded_minor', '+', refund.amount), updated_at: new Date() }))
    .where('id', '=', refund.paymentId)
    .execute();
  const row = await trx
    .insertInto('refund')
    .values({
      payment_id: refund.paymentId,
      order_id: refund.orderId,
      amount_minor: refund.amount,
      idempotency_key: refund.idempotencyKey,
      reason: refund.reason,
      ...(state.status === 'pending'
        ? { status: 'pending', attempts: 1, next_attempt_at: nowPlusMs(state.leaseMs) }
        : { status: 'succeeded' }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export type RefundFinish =
  | { status: 'succeeded'; providerRefundId: string }
  | { status: 'failed'; code: RefundFailure; error: string };

/** Ends a pending refund; a failed one gives its hold on the charge back. Undefined when it had ended already. */
export async function finishRefund(
  trx: Db,
  refundId: string,
  outcome: RefundFinish,
): Promise<{ paymentId: string; amount: number; orderId: string } | undefined> {
  const row = await trx
    .updateTable('refund')
    .set({
      status: outcome.status,
      provider_refund_id: outcome.status === 'succeeded' ? outcome.providerRefundId : null,
      failure_code: outcome.status === 'failed' ? outcome.code : null,
      last_error: outcome.status === 'failed' ? outcome.error : null,
      next_attempt_at: null,
      updated_at: new Date(),
    })
    .where('id', '=', refundId)
    .where('status', '=', 'pending')
    .returning(['payment_id', 'amount_minor', 'order_id'])
    .executeTakeFirst();
  if (!row) return undefined;
  if (outcome.status === 'failed') {
    await trx
      .updateTable('payment')
      .set((eb) => ({ refunded_minor: eb('refunded_minor', '-', row.amount_minor) }))
      .where('id', '=', row.payment_id)
      .execute();
  }
  return { paymentId: row.payment_id, amount: row.amount_minor, orderId: row.order_id };
}

/** The gateway could not be reached: the refund stays pending and is due again in `delayMs`. */
export async function postponeRefund(
  db: Db,
  refundId: string,
  delayMs: number,
  error: string,
): Promise<void> {
  await db
    .updateTable('refund')
    .set({ next_attempt_at: nowPlusMs(delayMs), last_error: error, updated_at: new Date() })
    .where('id', '=', refundId)
    .where('status', '=', 'pending')
    .execute();
}

export type DueRefund = RefundRow & { providerPaymentId: string | null; currency: string };

/**
 * The retry job's claim: pending refunds that are due (one from before the job existed has no due
 * time and is due at once), each counted as one more attempt and hidden from other instances for
 * `leaseMs`. Rows another instance is claiming at this moment are skipped, not waited for.
 */
export async function claimDueRefunds(db: Db, limit: number, leaseMs: number): Promise<DueRefund[]> {
  const claimed = await db
    .updateTable('refund')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      next_attempt_at: nowPlusMs(leaseMs),
      updated_at: new Date(),
    }))
    .where(
      'id',
      'in',
      db
        .selectFrom('refund')
        .select('id')
        .where('status', '=', 'pending')
        .where(sql<boolean>`coalesce(next_attempt_at, created_at) <= now()`)
        .orderBy(sql`coalesce(next_attempt_at, created_at)`)
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returning(refundColumns)
    .execute();
  if (claimed.length === 0) return [];
  const charges = await db
    .selectFrom('payment')
    .select(['id', 'provider_payment_id', 'currency'])
    .where(
      'id',
      'in',
      claimed.map((r) => r.payment_id),
    )
    .execute();
  const byId = new Map(charges.map((c) => [c.id, c]));
  return claimed.map((r) => ({
    ...refundRow(r),
    providerPaymentId: byId.get(r.payment_id)?.provider_payment_id ?? null,
    currency: byId.get(r.payment_id)?.currency ?? '',
  }));
}
