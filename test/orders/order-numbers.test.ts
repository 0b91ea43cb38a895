/**
 * Order numbers people can quote (issue 13): #1001, #1002, … from one sequence with a unique
 * index, in the API's order, the shopper's list, the admin search and the emails.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { migrations } from '../../migrations/index.ts';
import { migrateUp } from '../../src/platform/migrate.ts';
import { createTestApp, createTestDatabase, type TestApp } from '../helpers.ts';
import { myOrders, place } from './http.ts';

describe('order numbers', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  test('each order gets the next number, from 1001 on; the list and the admin search show and find it', async () => {
    const customer = await t.customer('Nora Number');
    const product = await t.product({ price: 5, stock: 20 });
    const first = await place(t, customer, [[product, 1]]);
    const second = await place(t, customer, [[product, 1]]);
    const third = await place(t, customer, [[product, 2]]);
    assert.equal(first.orderNumber, 1001, 'the first order of a new shop');
    assert.deepEqual([second.orderNumber, third.orderNumber], [1002, 1003]);

    const list = await myOrders(t, customer);
    assert.deepEqual(
      list.map((o) => o.orderNumber),
      [1003, 1002, 1001],
    );

    const admin = await t.adminToken();
    for (const q of ['#1002', '1002']) {
      const res = await t.request<{ items: Array<{ id: string; orderNumber: number }> }>(
        'GET',
        `/api/v1/admin/orders?q=${encodeURIComponent(q)}`,
        { token: admin },
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(
        res.body.items.map((o) => [o.id, o.orderNumber]),
        [[second.id, 1002]],
        `search for ${q}`,
      );
    }
  });

  test('the confirmation email names the order by its number', async () => {
    const customer = await t.customer('Ella Email');
    const order = await place(t, customer, [[await t.product({ price: 3, stock: 5 }), 1]]);
    await t.app.outbox.drain();
    const res = await t.request<{ items: Array<{ template: string; subject: string | null }> }>(
      'GET',
      `/api/v1/admin/notifications?orderId=${order.id}`,
      { token: await t.adminToken() },
    );
    const confirmation = res.body.items.find((m) => m.template === 'order_confirmed');
    assert.equal(confirmation?.subject, `Order #${order.orderNumber} confirmed`);
  });

  test('two orders can never share a number: the database refuses it', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 2, stock: 5 });
    const a = await place(t, customer, [[product, 1]]);
    const b = await place(t, customer, [[product, 1]]);
    await assert.rejects(
      sql`update orders set number = ${a.orderNumber} where id = ${b.id}`.execute(t.app.database.db),
      /orders_number_key|unique/i,
    );
  });
});

test('the migration numbers the orders that exist already in the order they were created', async () => {
  const database = await createTestDatabase();
  const orderNumbers = migrations['0009_order_numbers'];
  try {
    assert.ok(orderNumbers?.down);
    const db = database.handle.db;
    await migrateUp(db);
    await orderNumbers.down(db);
    const account = await db
      .insertInto('account')
      .values({ email: 'n@b.c', name: 'N', phone: null, role: 'customer', password_hash: 'x' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const product = await db
      .insertInto('product')
      .values({ sku: 'N', name: 'N', price_minor: 100, currency: 'USD', image_url: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('product_variant')
      .values({ id: product.id, product_id: product.id, sku: 'N', price_minor: 100, tax_category: null })
      .execute();
    // inserted newest first, so insertion order and creation order differ
    const ids = ['00000000-0000-7000-8000-00000000000c', '00000000-0000-7000-8000-00000000000a'];
    const created = ['2026-03-02T00:00:00Z', '2026-03-01T00:00:00Z'];
    for (const [i, id] of ids.entries()) {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('orders')
          .values({
            id,
            customer_id: account.id,
            customer_email: 'n@b.c',
            status: 'confirmed',
            currency: 'USD',
            total_minor: 100,
            shipping_address: '{}',
            subtotal_minor: 100,
            created_at: created[i],
          })
          .execute();
        await trx
          .insertInto('order_line')
          .values({
            order_id: id,
            product_id: product.id,
            variant_id: product.id,
            sku: 'N',
            name: 'N',
            unit_price_minor: 100,
            quantity: 1,
            total_minor: 100,
          })
          .execute();
      });
    }
    await orderNumbers.up(db);
    const numbered = await db.selectFrom('orders').select(['id', 'number']).orderBy('number').execute();
    assert.deepEqual(numbered, [
      { id: ids[1], number: 1001 },
      { id: ids[0], number: 1002 },
    ]);
    const { rows } = await sql<{ n: number }>`select nextval('order_number_seq')::int as n`.execute(db);
    assert.equal(rows[0]?.n, 1003, 'new orders continue after the highest number');
  } finally {
    await database.drop();
  }
});
