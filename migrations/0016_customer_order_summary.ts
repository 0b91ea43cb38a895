import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/**
 * The orders context's figures per customer, beside the keys the admin's customer list sorts
 * by (ADR 0024): the orders they paid for, what they spent net of refunds, and when the last of
 * those orders was placed. Kept up to date in the transactions that record a capture or a
 * refund, so a page sorted by total spent reads an index, not every order. Existing orders are
 * counted once here, by the same rule.
 */
const up = [
  `create table customer_order_summary (
    customer_id uuid primary key references account (id),
    orders_count integer not null check (orders_count >= 0),
    total_spent_minor bigint not null check (total_spent_minor >= 0),
    last_order_at timestamptz not null,
    updated_at timestamptz not null default now()
  )`,
  `create index customer_order_summary_last_order_idx
     on customer_order_summary (last_order_at desc, customer_id desc)`,
  `create index customer_order_summary_spent_idx
     on customer_order_summary (total_spent_minor desc, customer_id desc)`,
  `insert into customer_order_summary (customer_id, orders_count, total_spent_minor, last_order_at)
   select o.customer_id, count(*), sum(p.paid - coalesce(r.refunded, 0)), max(o.created_at)
     from orders o
     join (select order_id, sum(amount_minor) as paid from payment where status = 'succeeded' group by order_id) p
       on p.order_id = o.id
     left join (select order_id, sum(amount_minor) as refunded from refund where status = 'succeeded' group by order_id) r
       on r.order_id = o.id
    group by o.customer_id`,
];
const down = ['drop table customer_order_summary'];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
