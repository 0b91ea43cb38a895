import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/**
 * The admin's status filter lists newest first, so it reads (status, created_at, id) in order and
 * stops after a page. The (status, id) index it replaces served no query: every statement that
 * names a status orders by created_at or total, finds a row by id, or reads pending orders
 * through orders_pending_idx (docs/performance.md) — so the write path keeps one index, not two.
 */
const up = [
  `create index orders_status_created_idx on orders (status, created_at desc, id desc)`,
  `drop index orders_status_id_idx`,
];

const down = [
  `create index orders_status_id_idx on orders (status, id)`,
  `drop index orders_status_created_idx`,
];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
