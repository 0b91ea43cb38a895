/**
 * A customer's order history and an order's timeline, through HTTP.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { ADDRESS, createTestApp, type TestApp } from '../helpers.ts';
import {
  type OrderJson,
  type ErrorJson,
  NEW_ADDRESS,
  place,
  timeline,
  getOrder,
  adminPost,
  SHIPMENT,
} from './support.ts';

describe('order history and timeline', () => {
  let t: TestApp;
  let admin: string;

  before(async () => {
    t = await createTestApp();
    admin = await t.adminToken();
  });
  after(async () => {
    await t?.close();
  });

  test('order history: newest first, cursor pages without gaps, another customer sees a 404', async () => {
    const alice = await t.customer('Alice');
    const bob = await t.customer('Bob');
    const product = await t.product({ price: 4, stock: 100 });
    const placed: OrderJson[] = [];
    for (let quantity = 1; quantity <= 5; quantity++)
      placed.push(await place(t, alice, [[product, quantity]]));
    const bobs = await place(t, bob, [[product, 1]]);
    // The newest order is dated last year (an import, say): history follows the dates shown.
    const imported = placed.pop() as OrderJson;
    placed.unshift(imported);
    await sql`update orders set created_at = '2025-03-01T09:00:00Z' where id = ${imported.id}`.execute(
      t.app.database.db,
    );

    const seen: Array<{ id: string; total: number; status: string; createdAt: string; itemCount: number }> =
      [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
      const res = await t.request<{ items: typeof seen; nextCursor: string | null }>(
        'GET',
        `/api/v1/orders${query}`,
        { token: alice.token },
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.ok(res.body.items.length <= 2);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    assert.equal(pages, 3);
    assert.deepEqual(
      seen.map((o) => o.id),
      placed.map((o) => o.id).reverse(),
      'every order once, newest first',
    );
    assert.deepEqual(
      seen.map((o) => [o.total, o.itemCount, o.status]),
      [4, 3, 2, 1, 5].map((q) => [q * 4, q, 'confirmed']),
    );
    assert.equal(seen.at(-1)?.createdAt, '2025-03-01T09:00:00.000Z');
    for (let i = 1; i < seen.length; i++) {
      assert.ok(
        (seen[i - 1] as { createdAt: string }).createdAt >= (seen[i] as { createdAt: string }).createdAt,
      );
    }

    const bad = await t.request<ErrorJson>('GET', '/api/v1/orders?cursor=not-a-cursor', {
      token: alice.token,
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'invalid_cursor');

    const aliceOrder = placed[0] as OrderJson;
    for (const [method, url, body] of [
      ['GET', `/api/v1/orders/${aliceOrder.id}`, undefined],
      ['GET', `/api/v1/orders/${aliceOrder.id}/timeline`, undefined],
      ['PATCH', `/api/v1/orders/${aliceOrder.id}`, { shippingAddress: NEW_ADDRESS }],
      ['POST', `/api/v1/orders/${aliceOrder.id}/cancel`, { reason: 'not mine' }],
    ] as const) {
      const res = await t.request<ErrorJson>(method, url, { token: bob.token, body });
      assert.equal(res.status, 404, `${method} ${url}`);
      assert.equal(res.body.code, 'not_found');
    }
    const still = await getOrder(t, aliceOrder.id);
    assert.equal(still.status, 'confirmed');
    assert.deepEqual(still.shippingAddress, ADDRESS);
    const bobsList = await t.request<{ items: Array<{ id: string }> }>('GET', '/api/v1/orders', {
      token: bob.token,
    });
    assert.deepEqual(
      bobsList.body.items.map((o) => o.id),
      [bobs.id],
    );
  });

  test('timeline: every status change and modification with its time and actor', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 10, stock: 10 });
    const order = await place(t, customer, [[product, 2]]);
    let res = await t.request<OrderJson>('PATCH', `/api/v1/orders/${order.id}`, {
      token: customer.token,
      body: { shippingAddress: NEW_ADDRESS },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    res = await adminPost(t, admin, order.id, 'ship', SHIPMENT);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    res = await adminPost(t, admin, order.id, 'deliver');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    res = await adminPost(t, admin, order.id, 'refund', { amount: 5, reason: 'scratched' });
    assert.equal(res.status, 200, JSON.stringify(res.body));

    const items = await timeline(t, order.id, customer.token);
    assert.deepEqual(
      items.map((i) => [i.type, i.status, i.actor]),
      [
        ['status', 'pending', 'customer'],
        ['payment', null, 'system'],
        ['status', 'confirmed', 'system'],
        ['modification', null, 'customer'],
        ['status', 'shipped', 'admin'],
        ['status', 'delivered', 'admin'],
        ['refund', null, 'admin'],
      ],
    );
    assert.match(items[3]?.summary ?? '', /shipping address/);
    assert.match(items[4]?.summary ?? '', /UPS.*1Z999AA10123456784/);
    for (let i = 1; i < items.length; i++) {
      assert.ok(
        Date.parse((items[i] as { at: string }).at) >= Date.parse((items[i - 1] as { at: string }).at),
      );
    }
    const shown = await getOrder(t, order.id, customer.token);
    assert.equal(shown.trackingNumber, SHIPMENT.trackingNumber);
    assert.equal(shown.carrier, 'UPS');
    assert.deepEqual(shown.shippingAddress, NEW_ADDRESS);
  });

  // ------------------------------------------------------------ modify
});
