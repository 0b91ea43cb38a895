import type { Kysely } from 'kysely';
import { uuidv7 } from '../src/platform/ids.ts';
import { runStatements } from './0001_core.ts';

/**
 * Several stock locations (ADR 0026): stock is kept per variant and location, and every
 * reservation holds its units at one location. What a shop had becomes its "Main warehouse",
 * priority 1, so a one-location shop keeps working without naming it.
 */
const up = (mainId: string) => [
  `create table stock_location (
    id uuid primary key,
    name text not null check (length(name) between 1 and 100),
    code text not null unique check (code ~ '^[A-Z0-9][A-Z0-9_-]{0,19}$'),
    priority integer not null unique check (priority between 1 and 1000000),
    active boolean not null default true,
    created_at timestamptz not null default now()
  )`,
  `insert into stock_location (id, name, code, priority) values ('${mainId}', 'Main warehouse', 'MAIN', 1)`,
  // one row: how placement chooses a location
  `create table inventory_setting (
    id boolean primary key default true check (id),
    allocation_rule text not null default 'priority' check (allocation_rule in ('priority', 'whole_order')),
    updated_at timestamptz not null default now()
  )`,
  `insert into inventory_setting default values`,

  `alter table stock_level add column location_id uuid references stock_location (id)`,
  `update stock_level set location_id = '${mainId}'`,
  `alter table stock_level alter column location_id set not null`,
  `alter table stock_level drop constraint stock_level_pkey, add primary key (variant_id, location_id)`,
  `create index stock_level_location_idx on stock_level (location_id)`,

  // `shipped` and `restocked` count the committed units that left or came back, so the units an
  // order still holds at a location are quantity - shipped - restocked
  `alter table stock_reservation
     add column location_id uuid references stock_location (id),
     add column shipped integer not null default 0 check (shipped >= 0),
     add column restocked integer not null default 0 check (restocked >= 0),
     add constraint reservation_settled_within_quantity check (shipped + restocked <= quantity)`,
  `update stock_reservation set location_id = '${mainId}'`,
  `alter table stock_reservation alter column location_id set not null`,

  `create table stock_transfer (
    id uuid primary key,
    from_location_id uuid not null references stock_location (id),
    to_location_id uuid not null references stock_location (id),
    note text check (note is null or length(note) <= 500),
    actor_id uuid not null,
    created_at timestamptz not null default now(),
    check (from_location_id <> to_location_id)
  )`,
  `create table stock_transfer_line (
    transfer_id uuid not null references stock_transfer (id),
    variant_id uuid not null references product_variant (id),
    quantity integer not null check (quantity > 0),
    primary key (transfer_id, variant_id)
  )`,
];

// The single-location shape comes back with each variant's stock added up; transfers are history
// of locations that no longer exist.
const down = [
  `drop table stock_transfer_line`,
  `drop table stock_transfer`,
  `alter table stock_reservation drop column location_id, drop column shipped, drop column restocked`,
  `create table stock_level_total as
     select variant_id, min(product_id::text)::uuid as product_id, sum(on_hand)::int as on_hand,
            sum(reserved)::int as reserved, max(low_stock_threshold) as low_stock_threshold, max(updated_at) as updated_at
       from stock_level group by variant_id`,
  `delete from stock_level`,
  `drop index stock_level_location_idx`,
  `alter table stock_level drop constraint stock_level_pkey`,
  `alter table stock_level drop column location_id`,
  `alter table stock_level add primary key (variant_id)`,
  `insert into stock_level (variant_id, product_id, on_hand, reserved, low_stock_threshold, updated_at)
     select variant_id, product_id, on_hand, reserved, low_stock_threshold, updated_at from stock_level_total`,
  `drop table stock_level_total`,
  `drop table inventory_setting`,
  `drop table stock_location`,
];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up(uuidv7())),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
