/**
 * Cancelling an order, by its customer or an admin: stock back, refund, events.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers.ts';
import {
  type OrderJson,
  type ErrorJson,
  place,
  available,
  stockLevel,
  eventsOf,
  gatewayCalls,
  timeline,
  getOrder,
  snapshot,
  adminPost,
} from './support.ts';

describe('cancel an order', () => {
  let t: TestApp;
  let admin: string;

  before(async () => {
    t = await createTestApp();
    admin = await t.adminToken();
  });
  after(async () => {
    await t?.close();
  });

  test('cancel with a reason: stock back, refund, events; a second cancel changes nothing', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 10, stock: 10 });
    const order = await place(t, customer, [[product, 3]]);
    assert.equal(await available(t, product.id), 7);

    const res = await t.request<OrderJson>('POST', `/api/v1/orders/${order.id}/cancel`, {
      token: customer.token,
      body: { reason: 'Found it cheaper elsewhere' },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, 'cancelled');
    assert.equal(res.body.cancellationReason, 'Found it cheaper elsewhere');
    assert.equal(res.body.payment.status, 'refunded');
    assert.equal(res.body.payment.amountRefunded, 30);
    assert.equal(await available(t, product.id), 10);
    assert.deepEqual(await stockLevel(t, product.id), { on_hand: 10, reserved: 0 });
    assert.deepEqual(
      (await gatewayCalls(t, order.id)).map((c) => c.refunded_minor),
      [3000],
    );

    const events = await eventsOf(t, order.id);
    const cancelled = events.filter((e) => e.type === 'OrderCancelled');
    assert.equal(cancelled.length, 1);
    assert.equal(cancelled[0]?.payload['reason'], 'Found it cheaper elsewhere');
    assert.equal(cancelled[0]?.payload['actor'], 'customer');
    assert.equal(cancelled[0]?.payload['wasConfirmed'], true);
    assert.deepEqual(
      events
        .filter((e) => e.type === 'StockReleased')
        .map((e) => [e.payload['variantId'], e.payload['quantity']]),
      [[product.id, 3]],
    );
    assert.deepEqual(
      events.filter((e) => e.type === 'RefundIssued').map((e) => e.payload['amount']),
      [3000],
    );
    const lastEntry = (await timeline(t, order.id, customer.token)).at(-1);
    assert.deepEqual([lastEntry?.type, lastEntry?.actor], ['refund', 'customer']);

    const before = await snapshot(t, order.id, [product.id]);
    const again = await t.request<OrderJson>('POST', `/api/v1/orders/${order.id}/cancel`, {
      token: customer.token,
      body: { reason: 'Clicked twice' },
    });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body.cancellationReason, 'Found it cheaper elsewhere');
    assert.deepEqual(await snapshot(t, order.id, [product.id]), before);
  });

  test('cancel needs a reason', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 10, stock: 10 });
    const order = await place(t, customer, [[product, 1]]);
    for (const body of [{}, { reason: '   ' }]) {
      const res = await t.request<ErrorJson>('POST', `/api/v1/orders/${order.id}/cancel`, {
        token: customer.token,
        body,
      });
      assert.equal(res.status, 400);
      assert.equal(res.body.code, 'validation_failed');
    }
    assert.equal((await getOrder(t, order.id)).status, 'confirmed');
  });

  test('admin cancels with a reason', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 8, stock: 10 });
    const order = await place(t, customer, [[product, 2]]);
    const res = await adminPost(t, admin, order.id, 'cancel', { reason: 'Suspected fraud' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, 'cancelled');
    assert.equal(res.body.payment.amountRefunded, 16);
    assert.equal(await available(t, product.id), 10);
    const cancelled = (await eventsOf(t, order.id)).find((e) => e.type === 'OrderCancelled');
    assert.equal(cancelled?.payload['actor'], 'admin');
    const entry = (await timeline(t, order.id)).find((i) => i.status === 'cancelled');
    assert.equal(entry?.actor, 'admin');
    assert.match(entry?.summary ?? '', /Suspected fraud/);
  });

  // ------------------------------------------------------------ admin: ship, deliver, refund
});
