import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/**
 * A dearer exchange's charge, written before the provider is asked for the money (ADR 0041): a
 * process that dies between the provider's charge and the return's record leaves this row `open`,
 * and the recovery job asks the provider about its key and gives back what was taken. One row per
 * attempt at a request's charge (`digest`, the request's content): a request sent again after its
 * earlier charge was given back is a new attempt, with a key of its own. `made` names the return
 * the charge paid for.
 */
const up = [
  `create table return_exchange_charge (
    idempotency_key text primary key,
    order_id uuid not null references orders (id),
    digest text not null,
    attempt integer not null check (attempt >= 0),
    amount_minor integer not null check (amount_minor > 0),
    status text not null default 'open'
      check (status in ('open', 'made', 'refunding', 'refunded', 'not_charged', 'refund_failed')),
    return_id uuid references return_request (id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (order_id, digest, attempt),
    check ((status = 'made') = (return_id is not null))
  )`,
  `create index return_exchange_charge_due_idx on return_exchange_charge (updated_at)
     where status in ('open', 'refunding')`,
];

const down = ['drop table return_exchange_charge'];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
