/**
 * The dashboard's figures (issue 13): revenue is what was captured minus what was refunded, and a
 * day whose sums pass 32 bits (over $21,474,836.47) is answered like any other.
 * PGlite, or PostgreSQL with TEST_DATABASE_URL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, orderBody, type TestApp } from './helpers.ts';

interface Stats {
  currency: string;
  today: { orders: number; revenue: number };
  week: { orders: number; revenue: number };
  perDay: Array<{ date: string; orders: number; revenue: number }>;
}

describe('admin stats', () => {
  let t: TestApp;
  let admin: string;

  before(async () => {
    t = await createTestApp();
    admin = await t.adminToken();
  });
  after(async () => {
    await t.close();
  });

  const stats = async () => {
    const res = await t.request<Stats>('GET', '/api/v1/admin/stats', { token: admin });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };

  async function place(price: number, quantity = 1) {
    const product = await t.product({ price, stock: quantity });
    const customer = await t.customer();
    const res = await t.request<{ id: string }>('POST', '/api/v1/orders', {
      token: customer.token,
      body: orderBody(customer.id, [{ productId: product.id, quantity, price }]),
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id;
  }

  test('revenue is net of refunds, today and this week', async () => {
    const before = await stats();
    const orderId = await place(40);
    assert.deepEqual((await stats()).today, {
      orders: before.today.orders + 1,
      revenue: before.today.revenue + 40,
    });
    const refund = await t.request('POST', `/api/v1/admin/orders/${orderId}/refund`, {
      token: admin,
      body: { amount: 15.5, reason: 'Scratched' },
    });
    assert.equal(refund.status, 200, JSON.stringify(refund.body));
    const after = await stats();
    assert.deepEqual(after.today, { orders: before.today.orders + 1, revenue: before.today.revenue + 24.5 });
    assert.equal(after.week.revenue, before.week.revenue + 24.5);
    assert.equal(after.perDay.at(-1)?.revenue, after.today.revenue);
  });

  test('a day over $21.47M (past 32 bits in minor units) is summed exactly', async () => {
    const before = await stats();
    // two orders of $15,000,000.01: each fits a 32-bit column, their sum does not
    await place(15_000_000.01);
    await place(15_000_000.01);
    const after = await stats();
    assert.equal(after.today.orders, before.today.orders + 2);
    assert.equal(Math.round((after.today.revenue - before.today.revenue) * 100), 3_000_000_002);
    assert.equal(after.week.revenue, after.today.revenue);
  });
});
