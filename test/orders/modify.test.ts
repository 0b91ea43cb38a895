/**
 * Changing a confirmed order: quantities, lines, the address; stock and money follow.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADDRESS, createTestApp, type TestApp } from '../helpers.ts';
import {
  type OrderJson,
  type ErrorJson,
  NEW_ADDRESS,
  place,
  available,
  stockLevel,
  eventsOf,
  paymentsOf,
  refundsOf,
  activeReservations,
  gatewayCalls,
  timeline,
  snapshot,
} from './support.ts';

describe('modify an order', () => {
  let t: TestApp;

  before(async () => {
    t = await createTestApp();
  });
  after(async () => {
    await t?.close();
  });

  test('modify: a higher quantity reserves the extra units and charges the difference', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 10, stock: 10 });
    const order = await place(t, customer, [[product, 2]]);
    assert.equal(await available(t, product.id), 8);

    const res = await t.request<OrderJson>('PATCH', `/api/v1/orders/${order.id}`, {
      token: customer.token,
      body: {
        items: [{ productId: product.id, quantity: 5 }],
        paymentMethod: { type: 'card', token: 'tok_visa' },
        confirmedAmount: 30,
      },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(
      res.body.items.map((i) => [i.productId, i.quantity]),
      [[product.id, 5]],
    );
    assert.equal(res.body.total, 50);
    assert.equal(res.body.payment.amountPaid, 50);
    assert.equal(res.body.payment.status, 'paid');
    assert.equal(await available(t, product.id), 5);
    assert.deepEqual(await stockLevel(t, product.id), { on_hand: 5, reserved: 0 });
    assert.equal(await activeReservations(t, order.id), 0);
    assert.deepEqual(
      (await paymentsOf(t, order.id)).map((p) => [p.amount_minor, p.status]),
      [
        [2000, 'succeeded'],
        [3000, 'succeeded'],
      ],
    );
    const modified = (await eventsOf(t, order.id)).filter((e) => e.type === 'OrderModified');
    assert.equal(modified.length, 1);
    assert.deepEqual(modified[0]?.payload['changes'], {
      items: [{ productId: product.id, variantId: product.id, name: product.name, from: 2, to: 5 }],
      total: { from: 2000, to: 5000 },
    });
  });

  test('modify: an increase without a payment method is refused and changes nothing', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 10, stock: 10 });
    const order = await place(t, customer, [[product, 2]]);
    const before = await snapshot(t, order.id, [product.id]);
    const res = await t.request<ErrorJson>('PATCH', `/api/v1/orders/${order.id}`, {
      token: customer.token,
      body: { items: [{ productId: product.id, quantity: 3 }] },
    });
    assert.equal(res.status, 422);
    assert.equal(res.body.code, 'payment_method_required');
    assert.equal(res.body.details['amountDue'], 10);
    assert.deepEqual(await snapshot(t, order.id, [product.id]), before);
  });

  test('modify: add one line and remove another; stock and money follow', async () => {
    const customer = await t.customer();
    const kept = await t.product({ price: 10, stock: 10 });
    const removed = await t.product({ price: 7, stock: 10 });
    const added = await t.product({ price: 12.5, stock: 10 });
    const order = await place(t, customer, [
      [kept, 1],
      [removed, 2],
    ]);
    assert.equal(order.total, 24);
    const res = await t.request<OrderJson>('PATCH', `/api/v1/orders/${order.id}`, {
      token: customer.token,
      body: {
        items: [
          { productId: kept.id, quantity: 1 },
          { productId: added.id, quantity: 2 },
        ],
        paymentMethod: { type: 'card', token: 'tok_visa' },
        confirmedAmount: 11,
      },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(
      res.body.items.map((i) => [i.productId, i.quantity, i.price]).sort(),
      [
        [kept.id, 1, 10],
        [added.id, 2, 12.5],
      ].sort(),
    );
    assert.equal(res.body.total, 35);
    assert.equal(res.body.payment.amountPaid, 35);
    assert.equal(await available(t, kept.id), 9);
    assert.equal(await available(t, removed.id), 10, 'the removed line is back on the shelf');
    assert.equal(await available(t, added.id), 8);
    assert.deepEqual(await stockLevel(t, added.id), { on_hand: 8, reserved: 0 });
    const events = await eventsOf(t, order.id);
    const released = events.filter((e) => e.type === 'StockReleased');
    assert.deepEqual(
      released.map((e) => [e.payload['variantId'], e.payload['quantity']]),
      [[removed.id, 2]],
    );
    const changes = events.find((e) => e.type === 'OrderModified')?.payload['changes'] as {
      items: Array<{ productId: string; from: number; to: number }>;
      total: unknown;
    };
    assert.deepEqual(
      changes.items.map((i) => [i.productId, i.from, i.to]).sort(),
      [
        [removed.id, 2, 0],
        [added.id, 0, 2],
      ].sort(),
    );
    assert.deepEqual(changes.total, { from: 2400, to: 3500 });
  });

  test('modify: a lower quantity puts units back and refunds the difference', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 10, stock: 10 });
    const order = await place(t, customer, [[product, 4]]);
    const res = await t.request<OrderJson>('PATCH', `/api/v1/orders/${order.id}`, {
      token: customer.token,
      body: { items: [{ productId: product.id, quantity: 1 }] },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.total, 10);
    assert.equal(res.body.payment.amountPaid, 40);
    assert.equal(res.body.payment.amountRefunded, 30);
    assert.equal(res.body.payment.status, 'partially_refunded');
    assert.equal(await available(t, product.id), 9);
    assert.deepEqual(
      (await refundsOf(t, order.id)).map((r) => [r.amount_minor, r.status]),
      [[3000, 'succeeded']],
    );
    const gateway = await gatewayCalls(t, order.id);
    assert.equal(gateway[0]?.refunded_minor, 3000, 'the gateway refunded it');
    const types = (await eventsOf(t, order.id)).map((e) => e.type);
    assert.equal(types.filter((e) => e === 'RefundIssued').length, 1);
    assert.equal(types.filter((e) => e === 'OrderModified').length, 1);
    const items = await timeline(t, order.id);
    assert.deepEqual(
      items.slice(-2).map((i) => [i.type, i.actor]),
      [
        ['modification', 'customer'],
        ['refund', 'customer'],
      ],
    );
  });

  test('modify: a new shipping address, nothing else', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 10, stock: 10 });
    const order = await place(t, customer, [[product, 1]]);
    const res = await t.request<OrderJson>('PATCH', `/api/v1/orders/${order.id}`, {
      token: customer.token,
      body: { shippingAddress: NEW_ADDRESS },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.partialDeepStrictEqual(res.body.shippingAddress, NEW_ADDRESS);
    assert.equal(res.body.total, 10);
    assert.equal(await available(t, product.id), 9);
    assert.equal((await paymentsOf(t, order.id)).length, 1);
    const modified = (await eventsOf(t, order.id)).filter((e) => e.type === 'OrderModified');
    assert.deepEqual(modified[0]?.payload['changes'], {
      shippingAddress: { from: ADDRESS, to: NEW_ADDRESS },
    });
  });

  test('modify: a declined extra charge keeps nothing of the change; another card then works', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 10, stock: 10 });
    const other = await t.product({ price: 3, stock: 10 });
    const order = await place(t, customer, [[product, 2]]);
    const before = await snapshot(t, order.id, [product.id, other.id]);
    const change = {
      items: [
        { productId: product.id, quantity: 4 },
        { productId: other.id, quantity: 1 },
      ],
      shippingAddress: NEW_ADDRESS,
      confirmedAmount: 23,
    };
    const res = await t.request<ErrorJson>('PATCH', `/api/v1/orders/${order.id}`, {
      token: customer.token,
      body: { ...change, paymentMethod: { type: 'card', token: 'tok_chargeDeclined' } },
    });
    assert.equal(res.status, 402, JSON.stringify(res.body));
    assert.equal(res.body.code, 'payment_declined');
    const afterDecline = await snapshot(t, order.id, [product.id, other.id]);
    // The gateway saw the declined attempt; nothing of the order, its stock or its payments moved.
    assert.deepEqual(
      afterDecline.gateway.map((c) => [c.amount_minor, c.status]),
      [
        [2000, 'succeeded'],
        [2300, 'failed'],
      ],
    );
    assert.deepEqual({ ...afterDecline, gateway: before.gateway, events: before.events }, before);
    assert.deepEqual(afterDecline.events.slice(0, before.events.length), before.events);
    assert.deepEqual(
      afterDecline.events
        .slice(before.events.length)
        .filter((e) => e !== 'StockReserved' && e !== 'StockReleased'),
      [],
      'no event beyond the reservation and its release',
    );

    const retry = await t.request<OrderJson>('PATCH', `/api/v1/orders/${order.id}`, {
      token: customer.token,
      body: { ...change, paymentMethod: { type: 'card', token: 'tok_mastercard' } },
    });
    assert.equal(retry.status, 200, JSON.stringify(retry.body));
    assert.equal(retry.body.total, 43);
    assert.equal(retry.body.payment.amountPaid, 43);
    assert.equal(await available(t, product.id), 6);
    assert.equal(await available(t, other.id), 9);
  });

  test('modify: more than is in stock is a 409 and keeps nothing, not even the address', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 10, stock: 3 });
    const order = await place(t, customer, [[product, 2]]);
    const before = await snapshot(t, order.id, [product.id]);
    const res = await t.request<ErrorJson>('PATCH', `/api/v1/orders/${order.id}`, {
      token: customer.token,
      body: {
        items: [{ productId: product.id, quantity: 4 }],
        shippingAddress: NEW_ADDRESS,
        paymentMethod: { type: 'card', token: 'tok_visa' },
        confirmedAmount: 20,
      },
    });
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.equal(res.body.code, 'out_of_stock');
    assert.deepEqual(res.body.details['items'], [
      { productId: product.id, variantId: product.id, requested: 2, available: 1 },
    ]);
    assert.deepEqual(await snapshot(t, order.id, [product.id]), before, 'no charge, no stock, no change');
  });

  test('modify: an unknown product is a 404 and changes nothing', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 10, stock: 5 });
    const order = await place(t, customer, [[product, 1]]);
    const before = await snapshot(t, order.id, [product.id]);
    const res = await t.request<ErrorJson>('PATCH', `/api/v1/orders/${order.id}`, {
      token: customer.token,
      body: {
        items: [{ productId: '00000000-0000-4000-8000-000000000000', quantity: 1 }],
        paymentMethod: { type: 'card', token: 'tok_visa' },
      },
    });
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 'product_not_found');
    assert.deepEqual(await snapshot(t, order.id, [product.id]), before);
  });

  // ------------------------------------------------------------ cancel
});
