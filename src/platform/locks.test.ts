import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import pino from 'pino';
import { openDatabase } from './db.ts';
import { LockOrderError, takeLock, writeTransaction } from './locks.ts';

const handle = await openDatabase({ dataDir: 'memory://' });
const db = handle.db;
const log = pino({ level: 'silent' });
after(() => handle.close());

test('locks taken in the order order → return → stock → discount → payment pass, and a kind may be taken again', async () => {
  await db.transaction().execute(async (trx) => {
    takeLock(trx, 'order');
    takeLock(trx, 'return');
    takeLock(trx, 'stock');
    takeLock(trx, 'stock');
    takeLock(trx, 'discount');
    takeLock(trx, 'discount');
    takeLock(trx, 'payment');
  });
});

test('an earlier kind after a later one is refused', async () => {
  await assert.rejects(
    db.transaction().execute(async (trx) => {
      takeLock(trx, 'payment');
      takeLock(trx, 'order');
    }),
    LockOrderError,
  );
  await assert.rejects(
    db.transaction().execute(async (trx) => {
      takeLock(trx, 'order');
      takeLock(trx, 'payment');
      takeLock(trx, 'stock');
    }),
    /stock rows locked after payment rows/,
  );
  await assert.rejects(
    db.transaction().execute(async (trx) => {
      takeLock(trx, 'stock');
      takeLock(trx, 'return');
    }),
    /return rows locked after stock rows/,
  );
  await assert.rejects(
    db.transaction().execute(async (trx) => {
      takeLock(trx, 'discount');
      takeLock(trx, 'stock');
    }),
    /stock rows locked after discount rows: the lock order is order → return → stock → discount → payment/,
  );
  await assert.rejects(
    db.transaction().execute(async (trx) => {
      takeLock(trx, 'payment');
      takeLock(trx, 'discount');
    }),
    /discount rows locked after payment rows/,
  );
});

test('each transaction starts with no lock, and outside one nothing is tracked', async () => {
  await db.transaction().execute(async (trx) => takeLock(trx, 'payment'));
  await db.transaction().execute(async (trx) => takeLock(trx, 'order'));
  takeLock(db, 'payment');
  takeLock(db, 'order');
});

test('a deadlock victim or a serialization failure is run again, at most three times', async () => {
  let runs = 0;
  const result = await writeTransaction(db, log, async () => {
    runs++;
    if (runs < 3)
      throw Object.assign(new Error('deadlock detected'), { code: runs === 1 ? '40P01' : '40001' });
    return 'done';
  });
  assert.equal(result, 'done');
  assert.equal(runs, 3);

  runs = 0;
  await assert.rejects(
    writeTransaction(db, log, async () => {
      runs++;
      throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
    }),
    /deadlock detected/,
  );
  assert.equal(runs, 3);
});

test('other errors are not retried, and a retried transaction rolls its first attempt back', async () => {
  await sql`create table retry_probe (n integer)`.execute(db);
  let runs = 0;
  await writeTransaction(db, log, async (trx) => {
    runs++;
    await trx
      .insertInto('retry_probe' as never)
      .values({ n: runs } as never)
      .execute();
    if (runs === 1) throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
  });
  const rows = await db
    .selectFrom('retry_probe' as never)
    .selectAll()
    .execute();
  assert.deepEqual(rows, [{ n: 2 }]);

  runs = 0;
  await assert.rejects(
    writeTransaction(db, log, async () => {
      runs++;
      throw Object.assign(new Error('unique violation'), { code: '23505' });
    }),
  );
  assert.equal(runs, 1);
});
