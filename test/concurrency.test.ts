import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestApp, onPostgres, orderBody } from './helpers.ts';

const SKIP = !onPostgres && 'needs PostgreSQL: PGlite has one connection, so nothing races';

test(
  '50 customers race for the last 10 units with random payment outcomes: exactly 10 sold',
  { skip: SKIP },
  async () => {
    const t = await createTestApp();
    try {
      const product = await t.product({ price: 25, stock: 10 });
      const customers = await Promise.all(Array.from({ length: 50 }, (_, i) => t.customer(`Racer ${i}`)));
      const onHand = async () =>
        (
          await t.app.database.db
            .selectFrom('stock_level')
            .select('on_hand')
            .where('product_id', '=', product.id)
            .executeTakeFirstOrThrow()
        ).on_hand;
      const outcomes = { confirmed: 0, declined: 0, outOfStock: 0, other: 0 };
      // Each shopper keeps trying (a declined card, or units only held by someone else's failing
      // payment) until they have their unit or the product is sold out.
      await Promise.all(
        customers.map(async (customer) => {
          for (let attempt = 0; attempt < 40; attempt++) {
            const token = Math.random() < 0.4 ? 'tok_chargeDeclined' : 'tok_visa';
            const res = await t.request('POST', '/api/v1/orders', {
              token: customer.token,
              body: orderBody(customer.id, [{ productId: product.id, quantity: 1, price: 25 }], token),
            });
            if (res.status === 201) {
              outcomes.confirmed++;
              return;
            }
            if (res.status === 402) outcomes.declined++;
            else if (res.status === 409) outcomes.outOfStock++;
            else outcomes.other++;
            if ((await onHand()) === 0) return;
            if (res.status === 409) await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
          }
        }),
      );
      const db = t.app.database.db;
      const level = await db
        .selectFrom('stock_level')
        .select(['on_hand', 'reserved'])
        .where('product_id', '=', product.id)
        .executeTakeFirstOrThrow();
      assert.equal(outcomes.other, 0, 'no 5xx or unexpected answer');
      assert.equal(outcomes.confirmed, 10, JSON.stringify(outcomes));
      assert.deepEqual([level.on_hand, level.reserved], [0, 0], 'exactly 10 sold, nothing left reserved');
      const orders = await db.selectFrom('orders').select(['id', 'status']).execute();
      const confirmed = orders.filter((o) => o.status === 'confirmed');
      assert.equal(confirmed.length, 10);
      assert.ok(
        orders.every((o) => o.status === 'confirmed' || o.status === 'cancelled'),
        'nothing left pending',
      );
      const charges = await db.selectFrom('sandbox_charge').select(['order_id', 'status']).execute();
      const paid = new Set(charges.filter((c) => c.status === 'succeeded').map((c) => c.order_id));
      for (const order of orders) {
        assert.equal(
          paid.has(order.id),
          order.status === 'confirmed',
          `order ${order.id} is ${order.status}`,
        );
      }
      const sold = await db
        .selectFrom('stock_reservation')
        .select((eb) => eb.fn.sum<number>('quantity').as('n'))
        .where('variant_id', '=', product.id)
        .where('status', '=', 'committed')
        .executeTakeFirstOrThrow();
      assert.equal(Number(sold.n), 10);
      const active = await db
        .selectFrom('stock_reservation')
        .select('id')
        .where('status', '=', 'active')
        .execute();
      assert.equal(active.length, 0, "every failed order's stock is back");
    } finally {
      await t.close();
    }
  },
);

test('orders sharing products in opposite orders never deadlock', { skip: SKIP }, async () => {
  const t = await createTestApp();
  try {
    const a = await t.product({ price: 1, stock: 1000 });
    const b = await t.product({ price: 2, stock: 1000 });
    const customer = await t.customer();
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        t.request('POST', '/api/v1/orders', {
          token: customer.token,
          body: orderBody(
            customer.id,
            i % 2 === 0
              ? [
                  { productId: a.id, quantity: 1, price: 1 },
                  { productId: b.id, quantity: 1, price: 2 },
                ]
              : [
                  { productId: b.id, quantity: 1, price: 2 },
                  { productId: a.id, quantity: 1, price: 1 },
                ],
          ),
        }),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      Array(60).fill(201),
    );
    const levels = await t.app.database.db
      .selectFrom('stock_level')
      .select(['on_hand', 'reserved'])
      .where('product_id', 'in', [a.id, b.id])
      .execute();
    assert.deepEqual(
      levels.map((l) => [l.on_hand, l.reserved]),
      [
        [940, 0],
        [940, 0],
      ],
    );
  } finally {
    await t.close();
  }
});
