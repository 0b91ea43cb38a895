import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/** The order number people quote (the id's last 8 hex digits) is searchable without a scan. */
const up = [`create index orders_number_idx on orders (right(id::text, 8))`];
const down = [`drop index orders_number_idx`];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
