import { sql } from 'kysely';
import type { Db } from '../platform/db.ts';
import { takeLock } from '../platform/locks.ts';
import type { ChargeRecord } from './model.ts';

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
  if (forUpdate) {
    takeLock(db, 'payment');
    q = q.forUpdate();
  }
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

export async function refundsByKeyPrefix(
  db: Db,
  keyPrefix: string,
): Promise<
  Array<{
    id: string;
    paymentId: string;
    idempotencyKey: string;
    amount: number;
    status: string;
    providerRefundId: string | null;
  }>
> {
  const rows = await db
    .selectFrom('refund')
    .select(['id', 'payment_id', 'idempotency_key', 'amount_minor', 'status', 'provider_refund_id'])
    .where('idempotency_key', 'like', `${keyPrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
    .orderBy('idempotency_key')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    paymentId: r.payment_id,
    idempotencyKey: r.idempotency_key,
    amount: r.amount_minor,
    status: r.status,
    providerRefundId: r.provider_refund_id,
  }));
}

/** Holds the amount against the charge (the CHECK refunds ≤ amount guards it) and records a pending refund. */
export async function insertPendingRefund(
  trx: Db,
  refund: {
    paymentId: string;
    orderId: string;
    amount: number;
    idempotencyKey: string;
    reason: string | null;
  },
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
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function finishRefund(
  trx: Db,
  refundId: string,
  outcome: { status: 'succeeded'; providerRefundId: string } | { status: 'failed' },
): Promise<{ paymentId: string; amount: number; orderId: string } | undefined> {
  const row = await trx
    .updateTable('refund')
    .set({
      status: outcome.status,
      provider_refund_id: outcome.status === 'succeeded' ? outcome.providerRefundId : null,
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

export async function pendingRefunds(db: Db, olderThan: Date, limit: number) {
  return db
    .selectFrom('refund as r')
    .innerJoin('payment as p', 'p.id', 'r.payment_id')
    .select([
      'r.id',
      'r.order_id',
      'r.amount_minor',
      'r.idempotency_key',
      'p.provider_payment_id',
      'p.currency',
    ])
    .where('r.status', '=', 'pending')
    .where('r.created_at', '<', olderThan)
    .limit(limit)
    .execute();
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
