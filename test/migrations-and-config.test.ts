import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { migrations } from '../migrations/index.ts';
import { ConfigError, loadConfig } from '../src/config.ts';
import { migrateDown, migrateUp } from '../src/platform/migrate.ts';
import { createTestDatabase } from './helpers.ts';

async function tables(db: Parameters<typeof migrateUp>[0]): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
     where table_schema = current_schema() and table_name not like 'kysely_%' order by 1`.execute(db);
  return rows.map((r) => r.name);
}

test('every migration goes up, all the way down, and up again', async () => {
  const database = await createTestDatabase();
  try {
    const db = database.handle.db;
    const up = await migrateUp(db);
    assert.equal(up.length, Object.keys(migrations).length);
    const created = await tables(db);
    assert.ok(created.includes('orders') && created.includes('outbox') && created.includes('stock_level'));
    for (let i = 0; i < Object.keys(migrations).length; i++) await migrateDown(db);
    assert.deepEqual(await tables(db), []);
    await migrateUp(db);
    assert.deepEqual(await tables(db), created);
    assert.deepEqual(await migrateUp(db), [], 'a second run has nothing to do');
  } finally {
    await database.drop();
  }
});

test('the database refuses what the spec forbids, even if code let it through', async () => {
  const database = await createTestDatabase();
  try {
    const db = database.handle.db;
    await migrateUp(db);
    const product = await db
      .insertInto('product')
      .values({ sku: 'X', name: 'X', price_minor: 100, currency: 'USD', image_url: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('product_variant')
      .values({ id: product.id, product_id: product.id, sku: 'X', price_minor: 100, tax_category: null })
      .execute();
    const location = await db.selectFrom('stock_location').select('id').executeTakeFirstOrThrow();
    await db
      .insertInto('stock_level')
      .values({ variant_id: product.id, location_id: location.id, product_id: product.id, on_hand: 2 })
      .execute();
    await assert.rejects(
      db.updateTable('stock_level').set({ reserved: 3 }).where('variant_id', '=', product.id).execute(),
      /reserved_within_on_hand/,
    );
    await assert.rejects(
      db.updateTable('stock_level').set({ on_hand: -1 }).where('variant_id', '=', product.id).execute(),
      /check/i,
    );
    const account = await db
      .insertInto('account')
      .values({ email: 'a@b.c', name: 'A', phone: null, role: 'customer', password_hash: 'x' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const order = {
      customer_id: account.id,
      customer_email: 'a@b.c',
      status: 'pending' as const,
      currency: 'USD',
      shipping_address: '{}',
    };
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await trx
          .insertInto('orders')
          .values({
            ...order,
            id: '00000000-0000-7000-8000-000000000001',
            total_minor: 500,
            subtotal_minor: 500,
          })
          .execute();
        await trx
          .insertInto('order_line')
          .values({
            order_id: '00000000-0000-7000-8000-000000000001',
            product_id: product.id,
            variant_id: product.id,
            sku: 'X',
            name: 'X',
            unit_price_minor: 100,
            quantity: 2,
            total_minor: 200,
          })
          .execute();
      }),
      /does not equal the sum of its lines/,
    );
    await assert.rejects(
      db
        .insertInto('orders')
        .values({ ...order, id: '00000000-0000-7000-8000-000000000002', total_minor: 0, subtotal_minor: 0 })
        .execute(),
      /no line items/,
    );
    await assert.rejects(
      db
        .insertInto('order_line')
        .values({
          order_id: '00000000-0000-7000-8000-000000000003',
          product_id: product.id,
          variant_id: product.id,
          sku: 'X',
          name: 'X',
          unit_price_minor: 1,
          quantity: 0,
          total_minor: 0,
        })
        .execute(),
    );
  } finally {
    await database.drop();
  }
});

test('configuration is validated once, with sentences', () => {
  assert.throws(
    () => loadConfig({ NODE_ENV: 'production' }),
    (e: unknown) => e instanceof ConfigError && /JWT_SECRET/.test(e.message),
  );
  assert.throws(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short' }), /JWT_SECRET/);
  assert.ok(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'k'.repeat(40) }));
  // a cheap hash is for tests and development only
  assert.throws(
    () => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'k'.repeat(40), PASSWORD_HASH_COST: '10' }),
    /PASSWORD_HASH_COST must be at least 15 in production/,
  );
  assert.equal(loadConfig({ PASSWORD_HASH_COST: '10' }).auth.passwordHashCost, 10);
  assert.equal(loadConfig({}).auth.passwordHashCost, 15);
  assert.throws(() => loadConfig({ PORT: 'eighty' }), /PORT/);
  assert.throws(() => loadConfig({ ADMIN_EMAIL: 'a@b.c' }), /ADMIN_PASSWORD/);
  assert.throws(() => loadConfig({ PAYMENT_PROVIDER: 'stripe' }), /STRIPE_SECRET_KEY/);
  assert.throws(() => loadConfig({ EMAIL_PROVIDER: 'smtp' }), /SMTP_URL/);
  const defaults = loadConfig({});
  assert.equal(defaults.port, 3000);
  assert.equal(defaults.database.dataDir, './data');
  assert.equal(defaults.reservationTtlSeconds, 900);
  assert.equal(defaults.seedDemoData, true);
  assert.equal(loadConfig({ DATABASE_URL: 'postgres://x/y' }).seedDemoData, false);
});
