import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { openDatabase, type DatabaseHandle, type Db } from '../src/platform/db.ts';
import { AppError } from '../src/platform/errors.ts';
import { writeTransaction } from '../src/platform/locks.ts';
import { migrateUp } from '../src/platform/migrate.ts';
import { PromotionService } from '../src/promotions/service.ts';
import { insertCustomers, insertOrders } from './discount-fixtures.ts';
import { createTestDatabase, onPostgres, type TestDatabase } from './helpers.ts';

/**
 * The limits of a discount code under concurrent checkouts on two instances: each instance is
 * its own pool of connections to one PostgreSQL database with its own PromotionService, as two
 * Orderly processes would be. Many redeemers race for the last uses at once.
 */
const SKIP =
  !onPostgres && 'needs PostgreSQL (TEST_DATABASE_URL): PGlite has one connection, so nothing races';

const log = pino({ level: 'silent' });
let database: TestDatabase;
let second: DatabaseHandle;
let instances: Array<{ db: Db; promotions: PromotionService }>;

before(async () => {
  if (SKIP) return;
  database = await createTestDatabase();
  await migrateUp(database.handle.db);
  second = await openDatabase({ url: database.url, dataDir: '', poolSize: 15 });
  instances = [database.handle.db, second.db].map((db) => ({
    db,
    promotions: new PromotionService(db, 'USD'),
  }));
});

after(async () => {
  if (SKIP) return;
  await second.close();
  await database.drop();
});

async function createCode(definition: { usageLimit: number | null; perCustomerLimit: number | null }) {
  const [instance] = instances;
  assert.ok(instance);
  return instance.promotions.create(
    {
      code: `RACE${Date.now() % 1_000_000}${Math.floor(Math.random() * 1000)}`,
      rule: { kind: 'percentage', basisPoints: 1000 },
      minimumSubtotalMinor: null,
      startsAt: null,
      endsAt: null,
      active: true,
      ...definition,
    },
    null,
  );
}

interface Outcomes {
  redeemed: number;
  refused: Record<string, number>;
  other: string[];
}

/** Every redemption at once, alternating between the two instances, each in its own transaction. */
async function race(
  code: string,
  attempts: Array<{ customerId: string; orderId: string }>,
): Promise<Outcomes> {
  const outcomes: Outcomes = { redeemed: 0, refused: {}, other: [] };
  await Promise.all(
    attempts.map(async ({ customerId, orderId }, i) => {
      const instance = instances[i % 2];
      assert.ok(instance);
      try {
        await writeTransaction(instance.db, log, (trx) =>
          instance.promotions.redeem(trx, { code, customerId, orderId, subtotalMinor: 1000 }),
        );
        outcomes.redeemed++;
      } catch (error) {
        if (error instanceof AppError && error.code === 'discount_code_invalid') {
          const reason = String(error.details['reason']);
          outcomes.refused[reason] = (outcomes.refused[reason] ?? 0) + 1;
        } else {
          outcomes.other.push(error instanceof Error ? error.message : String(error));
        }
      }
    }),
  );
  return outcomes;
}

async function counts(codeId: string): Promise<{ timesUsed: number; active: number }> {
  const db = database.handle.db;
  const code = await db
    .selectFrom('discount_code')
    .select('times_used')
    .where('id', '=', codeId)
    .executeTakeFirstOrThrow();
  const active = await db
    .selectFrom('discount_redemption')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('code_id', '=', codeId)
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return { timesUsed: code.times_used, active: Number(active.n) };
}

test(
  'a code limited to 10 uses, raced by 50 shoppers across two instances, is redeemed exactly 10 times',
  { skip: SKIP },
  async () => {
    const code = await createCode({ usageLimit: 10, perCustomerLimit: null });
    const customers = await insertCustomers(database.handle.db, 50);
    const orders = await insertOrders(database.handle.db, customers);
    const outcomes = await race(
      code.code,
      customers.map((customerId, i) => ({ customerId, orderId: orders[i] ?? '' })),
    );
    assert.deepEqual(outcomes, { redeemed: 10, refused: { usage_limit_reached: 40 }, other: [] });
    assert.deepEqual(await counts(code.id), { timesUsed: 10, active: 10 });
  },
);

test(
  'a per-customer limit of 1, raced by one customer 20 times across two instances, allows exactly 1',
  { skip: SKIP },
  async () => {
    const code = await createCode({ usageLimit: null, perCustomerLimit: 1 });
    const [customer = ''] = await insertCustomers(database.handle.db, 1);
    const orders = await insertOrders(
      database.handle.db,
      Array.from({ length: 20 }, () => customer),
    );
    const outcomes = await race(
      code.code,
      orders.map((orderId) => ({ customerId: customer, orderId })),
    );
    assert.deepEqual(outcomes, { redeemed: 1, refused: { customer_limit_reached: 19 }, other: [] });
    assert.deepEqual(await counts(code.id), { timesUsed: 1, active: 1 });
  },
);

test(
  'a released use can be redeemed again, and two releases of one order at once give back one use',
  { skip: SKIP },
  async () => {
    const code = await createCode({ usageLimit: 3, perCustomerLimit: null });
    const customers = await insertCustomers(database.handle.db, 5);
    const orders = await insertOrders(database.handle.db, customers);
    const attempts = customers.map((customerId, i) => ({ customerId, orderId: orders[i] ?? '' }));
    assert.equal((await race(code.code, attempts.slice(0, 3))).redeemed, 3);
    assert.deepEqual((await race(code.code, attempts.slice(3, 4))).refused, { usage_limit_reached: 1 });

    const redeemedOrder = await database.handle.db
      .selectFrom('discount_redemption')
      .select('order_id')
      .where('code_id', '=', code.id)
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    const releases = await Promise.all(
      instances.map(({ db, promotions }) =>
        writeTransaction(db, log, (trx) => promotions.release(trx, redeemedOrder.order_id)),
      ),
    );
    assert.deepEqual(
      releases.sort(),
      [false, true],
      'one release gives the use back, the other finds it given',
    );
    assert.deepEqual(await counts(code.id), { timesUsed: 2, active: 2 });

    // the use given back goes to exactly one of two new racers
    const outcomes = await race(code.code, attempts.slice(3, 5));
    assert.deepEqual(outcomes, { redeemed: 1, refused: { usage_limit_reached: 1 }, other: [] });
    assert.deepEqual(await counts(code.id), { timesUsed: 3, active: 3 });
  },
);

test(
  'a code with no limit, raced across two instances while an admin gives it a limit, counts every use once and never passes the limit',
  { skip: SKIP },
  async () => {
    const code = await createCode({ usageLimit: null, perCustomerLimit: null });
    const customers = await insertCustomers(database.handle.db, 70);
    const orders = await insertOrders(database.handle.db, customers);
    const attempts = customers.map((customerId, i) => ({ customerId, orderId: orders[i] ?? '' }));
    const [first, second] = instances;
    assert.ok(first && second);

    assert.deepEqual(await race(code.code, attempts.slice(0, 40)), { redeemed: 40, refused: {}, other: [] });
    assert.equal((await first.promotions.get(code.id)).timesUsed, 40);

    // 30 more racers, and the limit of 50 set while they run
    const [outcomes, edit] = await Promise.all([
      race(code.code, attempts.slice(40)),
      second.promotions.update(code.id, { usageLimit: 50 }, null).then(
        (edited) => ({ ok: true as const, edited }),
        (error: unknown) => ({ ok: false as const, error }),
      ),
    ]);
    assert.deepEqual(outcomes.other, []);
    const { timesUsed, active } = await counts(code.id);
    const uses = (await first.promotions.get(code.id)).timesUsed;
    assert.equal(uses, active, 'the uses shown are the orders that hold the code');
    if (edit.ok) {
      assert.ok(active <= 50, `${active} uses of a code limited to 50`);
      assert.equal(timesUsed, active, 'after the edit every use is counted on the row');
      assert.equal(outcomes.redeemed + (outcomes.refused['usage_limit_reached'] ?? 0), 30);
    } else {
      assert.ok(edit.error instanceof AppError && edit.error.code === 'usage_limit_below_uses');
      assert.equal(active, 70);
    }

    // two releases of one order at once give back one use, wherever the code counts it
    const [redeemedOrder] = attempts;
    assert.ok(redeemedOrder);
    const releases = await Promise.all(
      instances.map(({ db, promotions }) =>
        writeTransaction(db, log, (trx) => promotions.release(trx, redeemedOrder.orderId)),
      ),
    );
    assert.deepEqual(releases.sort(), [false, true]);
    assert.equal((await first.promotions.get(code.id)).timesUsed, active - 1);
  },
);

test(
  'uses of a code with no limit given back and counted again, across an edit, keep the count exact',
  { skip: SKIP },
  async () => {
    const code = await createCode({ usageLimit: null, perCustomerLimit: null });
    const customers = await insertCustomers(database.handle.db, 8);
    const orders = await insertOrders(database.handle.db, customers);
    const attempts = customers.map((customerId, i) => ({ customerId, orderId: orders[i] ?? '' }));
    const [instance] = instances;
    assert.ok(instance);
    const release = (orderId: string) =>
      writeTransaction(instance.db, log, (trx) => instance.promotions.release(trx, orderId));
    const uses = async () => (await instance.promotions.get(code.id)).timesUsed;

    assert.equal((await race(code.code, attempts.slice(0, 4))).redeemed, 4);
    await instance.promotions.update(code.id, { active: true }, null);
    assert.deepEqual(await counts(code.id), { timesUsed: 4, active: 4 }, 'the edit folded the counter rows');
    assert.equal(await release(attempts[0]?.orderId ?? ''), true);
    assert.equal(await uses(), 3);
    await instance.promotions.update(code.id, { usageLimit: 4 }, null);
    assert.equal(await release(attempts[1]?.orderId ?? ''), true);
    assert.equal(await uses(), 2);
    const outcomes = await race(code.code, attempts.slice(4));
    assert.deepEqual(outcomes, { redeemed: 2, refused: { usage_limit_reached: 2 }, other: [] });
    assert.deepEqual(await counts(code.id), { timesUsed: 4, active: 4 });
  },
);
