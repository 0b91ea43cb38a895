import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/**
 * Outgoing webhooks (ADR 0030): the endpoints a shop registered, one delivery per (endpoint,
 * event) written by the outbox's dispatcher, and every attempt to POST it. The partial unique
 * index makes handling an event twice add nothing; replays and test events are further
 * deliveries beside it. The secret is kept as it is: signing needs it.
 */
const up = [
  `create table webhook_endpoint (
     id uuid primary key,
     url text not null check (length(url) <= 2048),
     description text not null default '' check (length(description) <= 500),
     event_types text[] not null check (cardinality(event_types) > 0),
     secret text not null,
     enabled boolean not null default true,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now()
   )`,
  `create table webhook_delivery (
     id uuid primary key,
     endpoint_id uuid not null references webhook_endpoint (id) on delete cascade,
     event_id uuid not null,
     event_type text not null,
     event_created_at timestamptz not null,
     data jsonb not null,
     replay_of uuid references webhook_delivery (id) on delete set null,
     status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
     attempts integer not null default 0 check (attempts >= 0),
     next_attempt_at timestamptz not null,
     created_at timestamptz not null,
     delivered_at timestamptz
   )`,
  `create unique index webhook_delivery_once_per_event
     on webhook_delivery (endpoint_id, event_id) where replay_of is null`,
  `create index webhook_delivery_due on webhook_delivery (next_attempt_at) where status = 'pending'`,
  `create index webhook_delivery_by_endpoint on webhook_delivery (endpoint_id, id)`,
  `create table webhook_attempt (
     id uuid primary key,
     delivery_id uuid not null references webhook_delivery (id) on delete cascade,
     attempt integer not null check (attempt >= 1),
     started_at timestamptz not null,
     duration_ms integer not null check (duration_ms >= 0),
     outcome text not null
       check (outcome in ('delivered', 'http_error', 'timeout', 'network_error', 'refused')),
     status_code integer,
     error text,
     response_body text,
     unique (delivery_id, attempt)
   )`,
];
const down = [`drop table webhook_attempt`, `drop table webhook_delivery`, `drop table webhook_endpoint`];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
