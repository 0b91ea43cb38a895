import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/**
 * The charge for an order change that costs more, written in the transaction that reserves the
 * change's extra units, before the provider is asked (ADR 0043): a process that dies between the
 * provider's charge and the change's record leaves this row `open`, and the recovery job asks the
 * provider about its key and gives back what was taken. One row per attempt at a request's charge
 * (`digest`: the order's version and the request's content). `holds_stock` says the change's
 * reservation is still held, so recovery may release it: the order's active reservations are then
 * this change's and no other's.
 */
const up = [
  `create table order_change_charge (
    idempotency_key text primary key,
    order_id uuid not null references orders (id),
    digest text not null,
    attempt integer not null check (attempt >= 0),
    amount_minor integer not null check (amount_minor > 0),
    status text not null default 'open'
      check (status in ('open', 'made', 'refunding', 'refunded', 'not_charged', 'refund_failed')),
    holds_stock boolean not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (order_id, digest, attempt)
  )`,
  `create index order_change_charge_due_idx on order_change_charge (updated_at)
     where status in ('open', 'refunding')`,
];

const down = ['drop table order_change_charge'];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
