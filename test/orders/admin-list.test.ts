/**
 * The admin's order search (filters, sorts, keyset pages) and the dashboard's stats.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, orderBody, type TestApp } from '../helpers.ts';
import {
  type OrderJson,
  type ErrorJson,
  type AdminListJson,
  type Customer,
  place,
  getOrder,
  adminPost,
  SHIPMENT,
} from './support.ts';

describe('admin order list and stats', () => {
  let t: TestApp;
  let admin: string;
  let alice: Customer;
  let bob: Customer;
  const o: Record<string, OrderJson & { declinedTotal?: number }> = {};
  let quarterId: string;
  /** creation order, after two orders were moved into the past */
  let byCreation: string[];

  const list = async (query: string) => {
    const res = await t.request<AdminListJson>('GET', `/api/v1/admin/orders?${query}`, { token: admin });
    assert.equal(res.status, 200, `${query}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const ids = async (query: string) => (await list(query)).items.map((i) => i.id);
  const allPages = async (query: string, limit: number) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 50; page++) {
      const body: AdminListJson = await list(
        `${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      assert.ok(body.items.length <= limit);
      seen.push(...body.items.map((i) => i.id));
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    return seen;
  };

  before(async () => {
    t = await createTestApp();
    admin = await t.adminToken();
    alice = await t.customer('Alice');
    bob = await t.customer('Bob');
    const ten = await t.product({ price: 10, stock: 100, name: 'Teal Mug' });
    const quarter = await t.product({ price: 25, stock: 100, name: 'Quarter Pound Coffee' });
    quarterId = quarter.id;
    o['a1'] = await place(t, alice, [[ten, 1]]); // 10
    o['a2'] = await place(t, alice, [[quarter, 1]]); // 25, moved to February 2024
    o['b1'] = await place(t, bob, [[ten, 3]]); // 30
    o['b2'] = await place(t, bob, [[ten, 1]]); // 10, moved to January 2024
    o['a3'] = await place(t, alice, [[quarter, 2]]); // 50, cancelled
    o['b3'] = await place(t, bob, [[ten, 2]]); // 20, shipped
    const declined = await t.request<ErrorJson>('POST', '/api/v1/orders', {
      token: alice.token,
      body: orderBody(alice.id, [{ productId: ten.id, quantity: 1, price: 10 }], 'tok_chargeDeclined'),
    });
    assert.equal(declined.status, 402);
    o['a4'] = await getOrder(t, declined.body.details['orderId'] as string); // 10, cancelled: declined
    assert.equal(
      // a reason that merely mentions payment is not a failed payment
      (await adminPost(t, admin, o['a3'].id, 'cancel', { reason: 'payment terms not met' })).status,
      200,
    );
    assert.equal((await adminPost(t, admin, o['b3'].id, 'ship', SHIPMENT)).status, 200);
    for (const [id, at] of [
      [o['b2'].id, '2024-01-10T12:00:00Z'],
      [o['a2'].id, '2024-02-10T12:00:00Z'],
    ] as const) {
      await sql`update orders set created_at = ${at} where id = ${id}`.execute(t.app.database.db);
      // its payment too: revenue counts on the day the money moved
      await sql`update payment set created_at = ${at} where order_id = ${id}`.execute(t.app.database.db);
    }
    byCreation = ['b2', 'a2', 'a1', 'b1', 'a3', 'b3', 'a4'].map((k) => (o[k] as OrderJson).id);
  });
  after(async () => {
    await t?.close();
  });

  const key = (id: string) => Object.entries(o).find(([, v]) => v.id === id)?.[0];

  test('filters: status, customer, date range, order-id prefix, email', async () => {
    const all = await list('limit=100');
    assert.equal(all.items.length, 7);
    const a1 = all.items.find((i) => i.id === o['a1']?.id);
    assert.deepEqual(
      { ...a1, createdAt: undefined },
      {
        id: o['a1']?.id,
        orderNumber: o['a1']?.orderNumber,
        customerId: alice.id,
        customerEmail: alice.email,
        status: 'confirmed',
        detailedStatus: 'confirmed',
        total: 10,
        currency: 'USD',
        paymentStatus: 'paid',
        createdAt: undefined,
      },
    );

    assert.deepEqual((await ids('status=cancelled')).map(key).sort(), ['a3', 'a4']);
    assert.deepEqual((await ids('status=shipped')).map(key), ['b3']);
    assert.deepEqual((await ids('status=delivered')).map(key), []);
    assert.deepEqual((await ids(`customerId=${bob.id}`)).map(key).sort(), ['b1', 'b2', 'b3']);
    assert.deepEqual((await ids(`customerId=${bob.id}&status=confirmed`)).map(key).sort(), ['b1', 'b2']);

    assert.deepEqual((await ids('from=2024-01-01&to=2024-01-31')).map(key), ['b2']);
    assert.deepEqual(
      (await ids('from=2024-01-10&to=2024-01-10')).map(key),
      ['b2'],
      'a date "to" is inclusive',
    );
    assert.deepEqual((await ids('from=2024-01-10T12:00:01Z&to=2024-03-01T00:00:00Z')).map(key), ['a2']);
    assert.deepEqual((await ids('to=2024-12-31')).map(key).sort(), ['a2', 'b2']);
    const recent = (await ids('from=2025-01-01')).map(key).sort();
    assert.deepEqual(recent, ['a1', 'a3', 'a4', 'b1', 'b3']);

    const b1 = o['b1'] as OrderJson;
    assert.deepEqual((await ids(`q=${b1.id.slice(0, 23)}`)).map(key), ['b1'], 'an order-id prefix');
    assert.deepEqual((await ids(`q=${b1.id.slice(0, 23).toUpperCase()}`)).map(key), ['b1']);
    assert.deepEqual((await ids(`q=${b1.id}`)).map(key), ['b1']);
    assert.deepEqual(
      (await ids(`q=${encodeURIComponent(bob.email.split('@')[0] as string)}`)).map(key).sort(),
      ['b1', 'b2', 'b3'],
    );
    assert.deepEqual((await ids(`q=${encodeURIComponent(alice.email.toUpperCase())}`)).map(key).sort(), [
      'a1',
      'a2',
      'a3',
      'a4',
    ]);
    assert.deepEqual(await ids('q=%25%25'), [], 'a % is a character, not a wildcard');
    assert.deepEqual(await ids('q=nobody-at-all'), []);

    const bad = await t.request<ErrorJson>('GET', '/api/v1/admin/orders?status=lost', { token: admin });
    assert.equal(bad.status, 400);
  });

  test("search by the customer's name and by a product's name or SKU", async () => {
    assert.deepEqual(
      (await ids('q=ALIC')).map(key).sort(),
      ['a1', 'a2', 'a3', 'a4'],
      'part of a name, any case',
    );
    assert.deepEqual((await ids('q=bob')).map(key).sort(), ['b1', 'b2', 'b3']);
    assert.deepEqual((await ids('q=coffee')).map(key).sort(), ['a2', 'a3'], "part of a product's name");
    assert.deepEqual((await ids('q=teal%20mug')).map(key).sort(), ['a1', 'a4', 'b1', 'b2', 'b3']);
    const product = await t.request<{ sku: string }>('GET', `/api/v1/products/${quarterId}`);
    assert.deepEqual(
      (await ids(`q=${encodeURIComponent(product.body.sku.toLowerCase())}`)).map(key).sort(),
      ['a2', 'a3'],
      'a SKU, any case',
    );
    // the search combines with the other filters and pages like any list
    assert.deepEqual((await ids('q=coffee&status=cancelled')).map(key), ['a3']);
    assert.deepEqual(
      (await allPages('q=teal&sort=total', 2)).map(key),
      (await ids('q=teal&sort=total&limit=100')).map(key),
    );
    assert.deepEqual(await ids('q=nothing-sold-by-this-name'), []);
  });

  test('sort by createdAt and by total, both directions; pages have no duplicates or gaps', async () => {
    assert.deepEqual(await ids('sort=createdAt&order=asc&limit=100'), byCreation);
    assert.deepEqual(await ids('sort=createdAt&order=desc&limit=100'), [...byCreation].reverse());
    assert.deepEqual(await ids('limit=100'), [...byCreation].reverse(), 'newest first by default');

    for (const order of ['asc', 'desc'] as const) {
      const rows = (await list(`sort=total&order=${order}&limit=100`)).items;
      assert.equal(rows.length, 7);
      const totals = rows.map((r) => r.total);
      const sorted = [...totals].sort((a, b) => (order === 'asc' ? a - b : b - a));
      assert.deepEqual(totals, sorted, `totals ${order}`);
      assert.deepEqual(totals, order === 'asc' ? [10, 10, 10, 20, 25, 30, 50] : [50, 30, 25, 20, 10, 10, 10]);
    }

    for (const query of [
      'sort=total&order=asc',
      'sort=total&order=desc',
      'sort=createdAt&order=asc',
      'sort=createdAt&order=desc',
      'sort=total&order=asc&status=confirmed',
    ]) {
      const whole = await ids(`${query}&limit=100`);
      for (const limit of [1, 2, 3]) {
        const paged = await allPages(query, limit);
        assert.deepEqual(paged, whole, `${query} in pages of ${limit}`);
        assert.equal(new Set(paged).size, paged.length);
      }
    }

    const page = await list('sort=total&limit=2');
    const wrong = await t.request<ErrorJson>(
      'GET',
      `/api/v1/admin/orders?sort=createdAt&cursor=${encodeURIComponent(page.nextCursor ?? '')}`,
      { token: admin },
    );
    assert.equal(wrong.status, 400, 'a cursor of another sort is refused');
    assert.equal(wrong.body.code, 'invalid_cursor');
  });

  test('stats: today, this week, success rate, orders per day', async () => {
    const res = await t.request<{
      currency: string;
      today: { orders: number; revenue: number };
      week: { orders: number; revenue: number };
      successRate: number;
      perDay: Array<{ date: string; orders: number; revenue: number }>;
    }>('GET', '/api/v1/admin/stats', { token: admin });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    // today: a1 10, b1 30, b3 20 (shipped) earn; a3 was cancelled, a4 declined; a2 and b2 are old.
    assert.deepEqual(res.body.today, { orders: 5, revenue: 60 });
    assert.deepEqual(res.body.week, { orders: 5, revenue: 60 });
    assert.equal(res.body.successRate, 0.8);
    assert.equal(res.body.perDay.length, 14);
    assert.deepEqual(res.body.perDay.at(-1), {
      date: new Date().toISOString().slice(0, 10),
      orders: 5,
      revenue: 60,
    });
    assert.equal(
      res.body.perDay.slice(0, -1).reduce((s, d) => s + d.orders, 0),
      0,
    );
  });
});
