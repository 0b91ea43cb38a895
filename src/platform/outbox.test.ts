import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase, type Db } from './db.ts';
import { migrateUp } from './migrate.ts';
import type { NewDomainEvent } from './outbox-event.ts';
import { appendEvents, eventsInStatement, onEventsCommittedHere } from './outbox.ts';

const note = (n: number): NewDomainEvent => ({
  type: 'Noted',
  context: 'orders',
  aggregateId: `a${n}`,
  payload: { n },
});

/** A statement of the test's own carrying the events, written only when `write` holds. */
async function statementWith(trx: Db, events: NewDomainEvent[], write: boolean): Promise<void> {
  const part = eventsInStatement(trx, events, sql`exists (select from chosen)`);
  const { rows } = await sql<{ written: unknown }>`
    with chosen as (select 1 where ${write})${sql.join(
      part.ctes.map((cte) => sql`, ${cte}`),
      sql``,
    )}
    select ${part.column} as written`.execute(trx);
  part.done(rows[0]?.written);
}

test('events written by a statement keep their order with those appended before and after it, and wait for COMMIT when its condition fails', async () => {
  const handle = await openDatabase({ dataDir: 'memory://' });
  try {
    await migrateUp(handle.db);
    const heard: number[][] = [];
    onEventsCommittedHere(handle.db, (events) => heard.push(events.map((e) => Number(e.payload['n']))));

    await handle.db.transaction().execute(async (trx) => {
      await appendEvents(trx, [note(1)]);
      await statementWith(trx, [note(2), note(3)], true);
      const inside = await trx.selectFrom('outbox').select('aggregate_id').orderBy('sequence').execute();
      assert.deepEqual(
        inside.map((r) => r.aggregate_id),
        ['a1', 'a2', 'a3'],
        'the statement wrote the waiting event first',
      );
      await appendEvents(trx, [note(4)]);
    });
    await handle.db.transaction().execute(async (trx) => {
      await appendEvents(trx, [note(5)]);
      await statementWith(trx, [note(6)], false);
      const inside = await trx
        .selectFrom('outbox')
        .select('aggregate_id')
        .where('aggregate_id', 'in', ['a5', 'a6'])
        .execute();
      assert.deepEqual(inside, [], 'nothing was written while the condition failed');
      await appendEvents(trx, [note(7)]);
    });
    await handle.db
      .transaction()
      .execute(async (trx) => {
        await statementWith(trx, [note(8)], true);
        throw new Error('rolled back');
      })
      .catch(() => {});

    const rows = await handle.db
      .selectFrom('outbox')
      .select(['aggregate_id', 'sequence'])
      .orderBy('sequence')
      .execute();
    assert.deepEqual(
      rows.map((r) => r.aggregate_id),
      ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'],
    );
    assert.deepEqual(
      heard,
      [[1, 2, 3], [4], [5, 6, 7]],
      'heard once each, after commit, never for a rollback',
    );
  } finally {
    await handle.close();
  }
});
