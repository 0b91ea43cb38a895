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

/**
 * Money the shop took outside any gateway (cash, a bank transfer, its own card terminal): one
 * succeeded payment of the provider `offline`, keyed like a charge so a repeat records nothing
 * twice. Returns whether this call recorded it.
 */
export async function insertOfflinePayment(
  trx: Db,
  payment: {
    orderId: string;
    idempotencyKey: string;
    amount: number;
    currency: string;
    method: 'cash' | 'bank_transfer' | 'card_terminal' | 'other';
  },
): Promise<{ id: string; recorded: boolean }> {
  const inserted = await trx
    .insertInto('payment')
    .values({
      order_id: payment.orderId,
      provider: 'offline',
      provider_payment_id: null,
      idempotency_key: payment.idempotencyKey,
      amount_minor: payment.amount,
      currency: payment.currency,
      status: 'succeeded',
      failure_code: null,
      failure_message: null,
      offline_method: payment.method,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, recorded: true };
  const existing = await trx
    .selectFrom('payment')
    .select('id')
    .where('idempotency_key', '=', payment.idempotencyKey)
    .executeTakeFirstOrThrow();
  return { id: existing.id, recorded: false };
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
