import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/**
 * A refund the gateway could not take is retried by a job with backoff until it succeeds or ends
 * `failed`: each row keeps its attempts, when it is due next, and why the last attempt failed.
 * A pending refund from before this migration has no due time: the job takes it up at once.
 */
const up = [
  `alter table refund
     add column attempts integer not null default 0 check (attempts >= 0),
     add column next_attempt_at timestamptz,
     add column last_error text,
     add column failure_code text,
     add column updated_at timestamptz not null default now()`,
  `create index refund_due_idx on refund (next_attempt_at) where status = 'pending'`,
];
const down = [
  `drop index refund_due_idx`,
  `alter table refund
     drop column attempts, drop column next_attempt_at, drop column last_error,
     drop column failure_code, drop column updated_at`,
];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
