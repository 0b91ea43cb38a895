import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/**
 * Discount codes and their redemptions. The usage limit is a CHECK on the code's own counter, so
 * no interleaving of checkouts can push `times_used` past it: the conditional UPDATE that takes a
 * use is refused by the database even if code let it through. A redemption belongs to one order
 * (one code per order) and keeps its row when the use is given back, so the history stays.
 */
const up = [
  `create table discount_code (
    id uuid primary key default gen_random_uuid(),
    code text not null unique check (code = upper(code) and code ~ '^[A-Z0-9][A-Z0-9_-]{2,31}$'),
    kind text not null check (kind in ('percentage', 'fixed', 'free_shipping')),
    basis_points integer check (basis_points between 1 and 10000),
    amount_minor integer check (amount_minor > 0),
    currency char(3) not null,
    minimum_subtotal_minor integer check (minimum_subtotal_minor > 0),
    starts_at timestamptz,
    ends_at timestamptz,
    usage_limit integer check (usage_limit > 0),
    per_customer_limit integer check (per_customer_limit > 0),
    times_used integer not null default 0 check (times_used >= 0),
    active boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint discount_code_value check (
      (kind = 'percentage' and basis_points is not null and amount_minor is null)
      or (kind = 'fixed' and amount_minor is not null and basis_points is null)
      or (kind = 'free_shipping' and basis_points is null and amount_minor is null)
    ),
    constraint discount_code_period check (starts_at is null or ends_at is null or ends_at > starts_at),
    constraint discount_code_within_limit check (usage_limit is null or times_used <= usage_limit)
  )`,
  `create table discount_redemption (
    id uuid primary key default gen_random_uuid(),
    code_id uuid not null references discount_code (id),
    order_id uuid not null unique references orders (id),
    customer_id uuid not null references account (id),
    status text not null check (status in ('active', 'released')),
    created_at timestamptz not null default now(),
    released_at timestamptz,
    constraint discount_redemption_released_at check ((status = 'released') = (released_at is not null))
  )`,
  `create index discount_redemption_customer_idx on discount_redemption (code_id, customer_id)
     where status = 'active'`,
];

const down = ['drop table discount_redemption', 'drop table discount_code'];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
