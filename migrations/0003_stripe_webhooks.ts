import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/**
 * Webhook events already processed, by the provider's event id. Stripe delivers at least once
 * (and retries for days), so a delivery whose id is here is answered 200 and otherwise ignored.
 * The handlers are idempotent on their own; this table makes a duplicate cheap and leaves a trace.
 */
const up = [
  `create table webhook_event (
    provider text not null check (length(provider) between 1 and 40),
    event_id text not null check (length(event_id) between 1 and 255),
    type text not null check (length(type) between 1 and 255),
    received_at timestamptz not null default now(),
    primary key (provider, event_id)
  )`,
  // Pruning old ids (Stripe stops retrying after three days) reads by age.
  `create index webhook_event_received_idx on webhook_event (received_at)`,
];

const down = ['drop table webhook_event'];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
