import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/**
 * Counter rows for the uses of a code with no limit (ADR 0037): sixteen per code at most, so
 * concurrent orders carrying the same code add to different rows instead of queueing on the
 * code's own. A code's uses are its `times_used` plus the sum of these rows; an admin's edit of
 * the code folds them back into `times_used`, so a code that gets a limit counts on its row
 * alone. A row may go below zero (a use counted here, folded, then given back): only the sum
 * means anything.
 */
const up = [
  `create table discount_code_use (
    code_id uuid not null references discount_code (id),
    shard smallint not null check (shard between 0 and 15),
    uses integer not null,
    primary key (code_id, shard)
  )`,
];

const down = ['drop table discount_code_use'];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
