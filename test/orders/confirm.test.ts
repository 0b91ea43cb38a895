/**
 * An admin confirms a pending order once the gateway says it was paid, with a gateway that loses answers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, orderBody, type TestApp } from '../helpers.ts';
import {
  type ErrorJson,
  type Product,
  NEW_ADDRESS,
  stockLevel,
  eventsOf,
  timeline,
  getOrder,
  snapshot,
  adminPost,
  SHIPMENT,
  FlakyGateway,
} from './support.ts';

describe('admin confirms a pending order', () => {
  let t: TestApp;
  let admin: string;
  const gateway = new FlakyGateway();

  before(async () => {
    t = await createTestApp({}, { paymentProvider: gateway });
    admin = await t.adminToken();
  });
  after(async () => {
    await t?.close();
  });

  async function pendingOrder(product: Product, mode: 'lost answer' | 'never charged') {
    const customer = await t.customer();
    gateway.statusDown = true;
    gateway.loseAnswers = mode === 'lost answer';
    gateway.dropRequests = mode === 'never charged';
    const res = await t.request<ErrorJson>('POST', '/api/v1/orders', {
      token: customer.token,
      body: orderBody(customer.id, [{ productId: product.id, quantity: 2, price: product.price }]),
    });
    gateway.loseAnswers = false;
    gateway.dropRequests = false;
    assert.equal(res.status, 502, JSON.stringify(res.body));
    assert.equal(res.body.code, 'payment_pending');
    const orderId = res.body.details['orderId'] as string;
    assert.equal((await getOrder(t, orderId)).status, 'pending');
    return orderId;
  }

  test('once the gateway says it was captured: confirmed, stock sold, OrderConfirmed', async () => {
    const product = await t.product({ price: 10, stock: 10 });
    const orderId = await pendingOrder(product, 'lost answer');
    assert.deepEqual(await stockLevel(t, product.id), { on_hand: 10, reserved: 2 });

    const down = await adminPost(t, admin, orderId, 'confirm');
    assert.equal(down.status, 502, JSON.stringify(down.body));
    assert.equal(down.body.code, 'payment_unavailable');
    assert.equal((await getOrder(t, orderId)).status, 'pending');

    gateway.statusDown = false;
    const res = await adminPost(t, admin, orderId, 'confirm');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, 'confirmed');
    assert.equal(res.body.payment.status, 'paid');
    assert.equal(res.body.payment.amountPaid, 20);
    assert.deepEqual(await stockLevel(t, product.id), { on_hand: 8, reserved: 0 });
    const events = (await eventsOf(t, orderId)).map((e) => e.type);
    assert.equal(events.filter((e) => e === 'OrderConfirmed').length, 1);
    assert.equal(events.filter((e) => e === 'StockCommitted').length, 1);
    assert.deepEqual(
      (await timeline(t, orderId)).filter((i) => i.type === 'status').map((i) => i.status),
      ['pending', 'confirmed'],
    );

    const again = await adminPost(t, admin, orderId, 'confirm');
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'invalid_transition');
  });

  test('not captured: 422 and the order stays pending', async () => {
    const product = await t.product({ price: 10, stock: 10 });
    const orderId = await pendingOrder(product, 'never charged');
    gateway.statusDown = false;
    const before = await snapshot(t, orderId, [product.id]);
    const res = await adminPost(t, admin, orderId, 'confirm');
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.equal(res.body.code, 'payment_not_captured');
    assert.deepEqual(await snapshot(t, orderId, [product.id]), before);
  });

  test('a pending order cannot be refunded, shipped or modified yet', async () => {
    const product = await t.product({ price: 10, stock: 10 });
    const orderId = await pendingOrder(product, 'never charged');
    gateway.statusDown = false;
    const before = await snapshot(t, orderId, [product.id]);
    for (const [action, body] of [
      ['refund', { amount: 1 }],
      ['ship', SHIPMENT],
      ['deliver', undefined],
    ] as const) {
      const res = await adminPost(t, admin, orderId, action, body);
      assert.equal(res.status, 409, action);
      assert.deepEqual(res.body.details, { status: 'pending', allowed: ['confirm', 'cancel'] });
    }
    const modify = await t.request<ErrorJson>('PATCH', `/api/v1/orders/${orderId}`, {
      token: admin,
      body: { shippingAddress: NEW_ADDRESS },
    });
    assert.equal(modify.status, 409);
    assert.deepEqual(await snapshot(t, orderId, [product.id]), before);
  });
});
