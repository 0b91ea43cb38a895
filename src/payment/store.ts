import { sql } from 'kysely';
import type { Db } from '../platform/db.ts';
import { nowPlusMs } from '../platform/db.ts';
import type { ChargeRecord, RefundFailure } from './model.ts';

export interface ChargeRow {
  id: string;
  orderId: string;
  providerPaymentId: string | null;
  idempotencyKey: string;
  amount: number;
  currency: string;
  status: ChargeRecord['status'];
  refunded: number;
}

/** Records a charge attempt; the idempotency key makes a second record of one charge an update. */
export async function upsertCharge(
  trx: Db,
  charge: Omit<ChargeRow, 'id' | 'refunded'> & {
    provider: string;
    failureCode?: string | null;
    failureMessage?: string | null;
  },
): Promise<{ id: string; previousStatus: ChargeRow['status'] | null }> {
  const { rows } = await sql<{ id: string; previous_status: ChargeRow['status'] | null }>`
    with previous as (select status from payment where idempotency_key = ${charge.idempotencyKey})
    insert into payment (order_id, provider, provider_payment_id, idempotency_key, amount_minor, currency, status,
                         failure_code, failure_message)
    values (${charge.orderId}, ${charge.provider}, ${charge.providerPaymentId}, ${charge.idempotencyKey},
            ${charge.amount}, ${charge.currency}, ${charge.status}, ${charge.failureCode ?? null},
            ${charge.failureMessage ?? null})
    on conflict (idempotency_key) do update
      set status = case when payment.status = 'succeeded' then payment.status else excluded.status end,
          provider_payment_id = coalesce(excluded.provider_payment_id, payment.provider_payment_id),
          failure_code = excluded.failure_code, failure_message = excluded.failure_message, updated_at = now()
    returning id, (select status from previous) as previous_status`.execute(trx);
  const row = rows[0];
  if (!row) throw new Error('payment upsert returned nothing');
  return { id: row.id, previousStatus: row.previous_status };
}

export async function chargesOf(db: Db, orderId: string, forUpdate = false): Promise<ChargeRow[]> {
  let q = db
    .selectFrom('payment')
    .select([
      'id',
      'order_id',
      'provider_payment_id',
      'idempotency_key',
      'amount_minor',
      'currency',
      'status',
      'refunded_minor',
    ])
    .where('order_id', '=', orderId)
    .orderBy('created_at')
    .orderBy('id');
  if (forUpdate) q = q.forUpdate();
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    orderId: r.order_id,
    providerPaymentId: r.provider_payment_id,
    idempotencyKey: r.idempotency_key,
    amount: r.amount_minor,
    currency: r.currency,
    status: r.status,
    refunded: r.refunded_minor,
  }));
}

export async function findByProviderId(
  db: Db,
  provider: string,
  providerPaymentId: string,
): Promise<ChargeRow | undefined> {
  const row = await db
    .selectFrom('payment')
    .select([
      'id',
      'order_id',
      'provider_payment_id',
      'idempotency_key',
      'amount_minor',
      'currency',
      'status',
      'refunded_minor',
    ])
    .where('provider', '=', provider)
    .where('provider_payment_id', '=', providerPaymentId)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      orderId: row.order_id,
      providerPaymentId: row.provider_payment_id,
      idempotencyKey: row.idempotency_key,
      amount: row.amount_minor,
      currency: row.currency,
      status: row.status,
      refunded: row.refunded_minor,
    }
  );
}

/** Summaries for many orders in one query (order history pages). */
export async function totalsFor(
  db: Db,
  orderIds: readonly string[],
): Promise<Map<string, { charges: ChargeRecord[]; refundedSucceeded: number }>> {
  const result = new Map<string, { charges: ChargeRecord[]; refundedSucceeded: number }>();
  if (orderIds.length === 0) return result;
  const charges = await db
    .selectFrom('payment')
    .select(['order_id', 'status', 'amount_minor', 'refunded_minor'])
    .where('order_id', 'in', orderIds)
    .execute();
  const refunds = await db
    .selectFrom('refund')
    .select(['order_id', (eb) => eb.fn.sum<number>('amount_minor').as('total')])
    .where('order_id', 'in', orderIds)
    .where('status', '=', 'succeeded')
    .groupBy('order_id')
    .execute();
  for (const id of orderIds) result.set(id, { charges: [], refundedSucceeded: 0 });
  for (const c of charges) {
    result
      .get(c.order_id)
      ?.charges.push({ status: c.status, amount: c.amount_minor, refunded: c.refunded_minor });
  }
  for (const r of refunds) {
    const entry = result.get(r.order_id);
    if (entry) entry.refundedSucceeded = Number(r.total);
  }
  return result;
}

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
 * Holds the amount against the charge (the CHECK refunds ≤ amount guards it) and records a pending
 * refund whose first attempt starts now: hidden from the retry job for `leaseMs`, so the job does
 * not call the gateway while the request that made it still does.
 */
export async function insertPendingRefund(
  trx: Db,
  refund: {
    paymentId: string;
    orderId: string;
    amount: number;
    idempotencyKey: string;
    reason: string | null;
  },
  leaseMs: number,
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
      status: 'pending',
      idempotency_key: refund.idempotencyKey,
      reason: refund.reason,
      attempts: 1,
      next_attempt_at: nowPlusMs(leaseMs),
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

/** Refund amounts still waiting for the gateway, and those that ended failed, per order. */
export async function unfinishedRefundTotals(
  db: Db,
  orderIds: readonly string[],
): Promise<Map<string, { pending: number; failed: number }>> {
  const result = new Map<string, { pending: number; failed: number }>();
  if (orderIds.length === 0) return result;
  const rows = await db
    .selectFrom('refund')
    .select(['order_id', 'status', (eb) => eb.fn.sum<string>('amount_minor').as('total')])
    .where('order_id', 'in', orderIds)
    .where('status', 'in', ['pending', 'failed'])
    .groupBy(['order_id', 'status'])
    .execute();
  for (const r of rows) {
    const entry = result.get(r.order_id) ?? { pending: 0, failed: 0 };
    if (r.status === 'pending') entry.pending = Number(r.total);
    else entry.failed = Number(r.total);
    result.set(r.order_id, entry);
  }
  return result;
}

/** Whether a webhook event was already processed (by the provider's event id). */
export async function webhookEventSeen(db: Db, provider: string, eventId: string): Promise<boolean> {
  const row = await db
    .selectFrom('webhook_event')
    .select('event_id')
    .where('provider', '=', provider)
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Remembers a processed webhook event; a concurrent duplicate that got here first wins quietly. */
export async function rememberWebhookEvent(
  db: Db,
  event: { provider: string; eventId: string; type: string },
): Promise<void> {
  await db
    .insertInto('webhook_event')
    .values({ provider: event.provider, event_id: event.eventId, type: event.type })
    .onConflict((oc) => oc.columns(['provider', 'event_id']).doNothing())
    .execute();
}

/** Whether one of Orderly's own refunds of this charge is between its hold and its recorded answer. */
export async function hasPendingRefund(db: Db, paymentId: string): Promise<boolean> {
  const row = await db
    .selectFrom('refund')
    .select('id')
    .where('payment_id', '=', paymentId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Records a refund made outside Orderly (in the gateway's dashboard) as done: the charge's
 * refunded amount grows (its CHECK keeps it within the charge) and a succeeded refund row keeps
 * the story. The key is unique, so the same running total can never be recorded twice.
 */
export async function insertOutsideRefund(
  trx: Db,
  refund: { paymentId: string; orderId: string; amount: number; idempotencyKey: string; reason: string },
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
      status: 'succeeded',
      idempotency_key: refund.idempotencyKey,
      reason: refund.reason,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Money captured minus money refunded per UTC day over the last `days` days, by the day it moved
 * (a refund counts on the day it was made, as a shop's sales reports do). Sums are bigint in SQL.
 */
export async function netRevenueByDay(db: Db, currency: string, days: number): Promise<Map<string, number>> {
  const { rows } = await sql<{ day: string; net: string }>`
    with since as (select date_trunc('day', now() at time zone 'UTC') at time zone 'UTC'
                          - ${days - 1} * interval '1 day' as at),
         moved as (
           select p.created_at as at, p.amount_minor::bigint as amount
             from payment p
            where p.status = 'succeeded' and p.currency = ${currency} and p.created_at >= (select at from since)
           union all
           select r.created_at, -r.amount_minor::bigint
             from refund r join payment p on p.id = r.payment_id
            where r.status = 'succeeded' and p.currency = ${currency} and r.created_at >= (select at from since))
    select to_char(date_trunc('day', at at time zone 'UTC'), 'YYYY-MM-DD') as day, sum(amount)::text as net
      from moved
     group by 1`.execute(db);
  return new Map(rows.map((r) => [r.day, Number(r.net)]));
}
