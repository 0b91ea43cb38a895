/**
 * The SQL of draft orders (ADR 0023): the orders context's own tables, in a file of their own
 * so that `store.ts`'s placement statements can change without touching these. Lines, history
 * and the status change itself go through `store.ts` like any order's.
 */
import { sql } from 'kysely';
import type { Db } from '../platform/db.ts';
import type { ShippingAddressJson } from '../platform/schema.ts';
import type { PricedLine } from './model.ts';
import type { HistoryEntry } from './store.ts';

/** A draft, its lines and its history in one statement; no stock is held while drafting. */
export async function insertDraft(
  trx: Db,
  draft: {
    id: string;
    customerId: string;
    customerEmail: string;
    currency: string;
    total: number;
    shippingAddress: ShippingAddressJson;
  },
  lines: readonly PricedLine[],
  history: readonly HistoryEntry[],
): Promise<void> {
  await sql`
    with o as (
      insert into orders (id, customer_id, customer_email, status, currency, total_minor, subtotal_minor,
                          shipping_address)
      values (${draft.id}, ${draft.customerId}, ${draft.customerEmail}, 'draft', ${draft.currency}, ${draft.total},
              ${draft.total}, ${JSON.stringify(draft.shippingAddress)}::jsonb)
      returning id
    ), l as (
      -- a draft is priced by its lines alone: no shipping, tax or discount (ADR 0023)
      insert into order_line (order_id, product_id, variant_id, name, variant_title, sku, unit_price_minor, quantity,
                              tax_category, total_minor)
      select (select id from o), p, v, n, t, k, u, q, null, u * q
        from unnest(${lines.map((l) => l.productId)}::uuid[], ${lines.map((l) => l.variantId)}::uuid[],
                    ${lines.map((l) => l.name)}::text[], ${lines.map((l) => l.variantTitle)}::text[],
                    ${lines.map((l) => l.sku)}::text[], ${lines.map((l) => l.unitPrice)}::int[],
                    ${lines.map((l) => l.quantity)}::int[]) as x(p, v, n, t, k, u, q)
    )
    insert into order_history (order_id, type, status, actor, actor_id, summary, details)
    select (select id from o), x.type, x.status, x.actor, x.actor_id::uuid, x.summary, x.details::jsonb
      from unnest(${history.map((h) => h.type)}::text[], ${history.map((h) => h.status)}::text[],
                  ${history.map((h) => h.actor)}::text[], ${history.map((h) => h.actorId)}::text[],
                  ${history.map((h) => h.summary)}::text[],
                  ${history.map((h) => JSON.stringify(h.details ?? {}))}::text[])
           with ordinality as x(type, status, actor, actor_id, summary, details, n)
     order by x.n`.execute(trx);
}

/**
 * Deletes a draft and what only it refers to, if it is still a draft (the caller holds its
 * lock); true when it was. A draft has no reservation, payment or event to keep.
 */
export async function deleteDraft(trx: Db, orderId: string): Promise<boolean> {
  const { rows } = await sql<{ id: string }>`
    with h as (delete from order_history where order_id = ${orderId}
                 and exists (select 1 from orders where id = ${orderId} and status = 'draft')),
         l as (delete from order_line where order_id = ${orderId}
                 and exists (select 1 from orders where id = ${orderId} and status = 'draft'))
    delete from orders where id = ${orderId} and status = 'draft' returning id`.execute(trx);
  return rows.length > 0;
}

/** Until when a pending order's payment link works; null for an order that never had one. */
export async function paymentLinkExpiry(db: Db, orderId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('orders')
    .select('payment_link_expires_at')
    .where('id', '=', orderId)
    .executeTakeFirst();
  return row?.payment_link_expires_at ? new Date(row.payment_link_expires_at) : null;
}
