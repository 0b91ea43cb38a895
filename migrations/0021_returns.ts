import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/**
 * Returns (ADR 0028): the shop's return policy (one row), a return of some delivered units of an
 * order, and its lines. A return is numbered within its order (1, 2, …); it keeps the order's number and
 * its lines' names as they were sold, for lists that need no other context. Each line says, once the
 * items are back, whether they went back on a shelf (and which location's) or were written off,
 * and what the return refunded for it. The refund, once made, is kept on the return: a refunded
 * return has an amount, one in any other status has none.
 */
const up = [
  `create table return_policy (
    id boolean primary key default true check (id),
    window_days integer not null default 30 check (window_days between 1 and 365),
    refund_shipping boolean not null default false,
    updated_at timestamptz not null default now(),
    updated_by uuid
  )`,
  `insert into return_policy (id) values (true)`,
  `create table return_request (
    id uuid primary key,
    order_id uuid not null references orders (id),
    order_number integer not null,
    number integer not null check (number > 0),
    status text not null default 'requested'
      check (status in ('requested', 'approved', 'rejected', 'received', 'refunded', 'closed')),
    reason text not null
      check (reason in ('wrong_size', 'damaged', 'not_as_described', 'changed_mind', 'other')),
    note text,
    rejection_reason text,
    refund_minor integer check (refund_minor >= 0),
    shipping_refund_minor integer not null default 0 check (shipping_refund_minor >= 0),
    requested_by uuid not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (order_id, number),
    check ((status = 'refunded') = (refund_minor is not null)),
    check ((status = 'rejected') = (rejection_reason is not null))
  )`,
  `create index return_request_status_idx on return_request (status, created_at desc, id desc)`,
  `create index return_request_created_idx on return_request (created_at desc, id desc)`,
  `create table return_line (
    return_id uuid not null references return_request (id),
    order_line_id uuid not null,
    variant_id uuid not null,
    name text not null,
    variant_title text not null,
    sku text not null,
    quantity integer not null check (quantity > 0),
    disposition text check (disposition in ('restock', 'write_off')),
    location_id uuid,
    refund_minor integer check (refund_minor >= 0),
    primary key (return_id, order_line_id),
    check ((disposition = 'restock') = (location_id is not null))
  )`,
];
const down = ['drop table return_line', 'drop table return_request', 'drop table return_policy'];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
