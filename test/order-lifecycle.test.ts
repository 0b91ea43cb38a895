/**
 * The order lifecycle through HTTP (issue 3): history, timeline, modify, cancel, the admin's list,
 * confirm, ship, deliver, refund, and every transition the state machine refuses. The last block
 * races requests against one order and runs on PostgreSQL only (PGlite has one connection).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import {
  PaymentUnavailableError,
  type ChargeRequest,
  type ChargeResult,
  type PaymentProvider,
  type PaymentStatus,
  type RefundRequest,
  type RefundResult,
} from '../src/payment/provider.ts';
import { ADDRESS, createTestApp, onPostgres, orderBody, type TestApp } from './helpers.ts';

interface OrderJson {
  id: string;
  orderNumber: number;
  customerId: string;
  status: string;
  items: Array<{ productId: string; name: string; quantity: number; price: number }>;
  total: number;
  currency: string;
  shippingAddress: Record<string, string>;
  payment: { status: string; amountPaid: number; amountRefunded: number };
  trackingNumber: string | null;
  carrier: string | null;
  cancellationReason: string | null;
  createdAt: string;
  updatedAt: string;
  actions: Record<string, { allowed: boolean; reason: string | null }>;
}
interface ErrorJson {
  code: string;
  message: string;
  details: Record<string, unknown>;
}
interface TimelineJson {
  items: Array<{ at: string; type: string; status: string | null; actor: string; summary: string }>;
}
interface AdminListJson {
  items: Array<{
    id: string;
    customerId: string;
    customerEmail: string;
    status: string;
    total: number;
    paymentStatus: string;
    createdAt: string;
  }>;
  nextCursor: string | null;
}
type Customer = { token: string; id: string; email: string };
type Product = { id: string; price: number; name: string };

const NEW_ADDRESS = { street: '1 Market St', city: 'Oakland', state: 'CA', zip: '94607' };

// ---------------------------------------------------------------- helpers

async function place(
  t: TestApp,
  customer: Customer,
  lines: Array<[Product, number]>,
  token = 'tok_visa',
): Promise<OrderJson> {
  const res = await t.request<OrderJson>('POST', '/api/v1/orders', {
    token: customer.token,
    body: orderBody(
      customer.id,
      lines.map(([p, quantity]) => ({ productId: p.id, quantity, price: p.price })),
      token,
    ),
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

async function available(t: TestApp, productId: string): Promise<number> {
  const res = await t.request<{ available: number }>('GET', `/api/v1/products/${productId}`);
  assert.equal(res.status, 200);
  return res.body.available;
}

async function stockLevel(t: TestApp, productId: string) {
  return t.app.database.db
    .selectFrom('stock_level')
    .select(['on_hand', 'reserved'])
    .where('product_id', '=', productId)
    .executeTakeFirstOrThrow();
}

/** Every outbox event about the order: its own, and stock and payment events naming it. */
async function eventsOf(t: TestApp, orderId: string) {
  return t.app.database.db
    .selectFrom('outbox')
    .select(['type', 'payload'])
    .where((eb) => eb.or([eb('aggregate_id', '=', orderId), eb(sql`payload->>'orderId'`, '=', orderId)]))
    .orderBy('sequence')
    .execute();
}

async function paymentsOf(t: TestApp, orderId: string) {
  return t.app.database.db
    .selectFrom('payment')
    .select(['amount_minor', 'status', 'refunded_minor'])
    .where('order_id', '=', orderId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

async function refundsOf(t: TestApp, orderId: string) {
  return t.app.database.db
    .selectFrom('refund')
    .select(['amount_minor', 'status'])
    .where('order_id', '=', orderId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

async function activeReservations(t: TestApp, orderId: string): Promise<number> {
  const rows = await t.app.database.db
    .selectFrom('stock_reservation')
    .select('id')
    .where('order_id', '=', orderId)
    .where('status', '=', 'active')
    .execute();
  return rows.length;
}

async function gatewayCalls(t: TestApp, orderId: string) {
  const charges = await t.app.database.db
    .selectFrom('sandbox_charge')
    .select(['amount_minor', 'status', 'refunded_minor'])
    .where('order_id', '=', orderId)
    .orderBy('created_at')
    .execute();
  return charges;
}

async function timeline(t: TestApp, orderId: string, token?: string): Promise<TimelineJson['items']> {
  const res = await t.request<TimelineJson>('GET', `/api/v1/orders/${orderId}/timeline`, {
    token: token ?? (await t.adminToken()),
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.items;
}

async function getOrder(t: TestApp, orderId: string, token?: string): Promise<OrderJson> {
  const res = await t.request<OrderJson>('GET', `/api/v1/orders/${orderId}`, {
    token: token ?? (await t.adminToken()),
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

/** Everything a request could have changed about an order, to prove that it changed nothing. */
async function snapshot(t: TestApp, orderId: string, productIds: readonly string[]) {
  return {
    order: await getOrder(t, orderId),
    timeline: await timeline(t, orderId),
    events: (await eventsOf(t, orderId)).map((e) => e.type),
    payments: await paymentsOf(t, orderId),
    refunds: await refundsOf(t, orderId),
    gateway: await gatewayCalls(t, orderId),
    activeReservations: await activeReservations(t, orderId),
    stock: await Promise.all(productIds.map((id) => stockLevel(t, id))),
  };
}

function adminPost(t: TestApp, token: string, orderId: string, action: string, body?: unknown, key?: string) {
  return t.request<OrderJson & ErrorJson>('POST', `/api/v1/admin/orders/${orderId}/${action}`, {
    token,
    ...(body !== undefined && { body }),
    ...(key !== undefined && { headers: { 'idempotency-key': key } }),
  });
}

const SHIPMENT = { trackingNumber: '1Z999AA10123456784', carrier: 'UPS' };

// ---------------------------------------------------------------- one database for most tests

describe('order lifecycle', () => {
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
    assert.partialDeepStrictEqual(still.shippingAddress, ADDRESS);
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
    assert.partialDeepStrictEqual(shown.shippingAddress, NEW_ADDRESS);
  });

  // ------------------------------------------------------------ modify

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
      items: [{ productId: product.id, name: product.name, from: 2, to: 5 }],
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
      released.map((e) => [e.payload['productId'], e.payload['quantity']]),
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
    assert.deepEqual(res.body.details['items'], [{ productId: product.id, requested: 2, available: 1 }]);
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
        .map((e) => [e.payload['productId'], e.payload['quantity']]),
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

  test('admin ships with a tracking number and carrier, then marks delivered', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 10, stock: 10 });
    const order = await place(t, customer, [[product, 1]]);
    const missing = await adminPost(t, admin, order.id, 'ship', { carrier: 'UPS' });
    assert.equal(missing.status, 400, 'a shipment needs a tracking number');

    const shipped = await adminPost(t, admin, order.id, 'ship', SHIPMENT);
    assert.equal(shipped.status, 200, JSON.stringify(shipped.body));
    assert.equal(shipped.body.status, 'shipped');
    assert.equal(shipped.body.trackingNumber, SHIPMENT.trackingNumber);
    assert.equal(shipped.body.carrier, 'UPS');
    let events = await eventsOf(t, order.id);
    const event = events.filter((e) => e.type === 'OrderShipped');
    assert.equal(event.length, 1);
    assert.equal(event[0]?.payload['trackingNumber'], SHIPMENT.trackingNumber);
    assert.equal(event[0]?.payload['carrier'], 'UPS');
    assert.equal(event[0]?.payload['customerId'], customer.id);

    const delivered = await adminPost(t, admin, order.id, 'deliver');
    assert.equal(delivered.status, 200, JSON.stringify(delivered.body));
    assert.equal(delivered.body.status, 'delivered');
    events = await eventsOf(t, order.id);
    assert.equal(events.filter((e) => e.type === 'OrderDelivered').length, 1);
    assert.equal((await getOrder(t, order.id, customer.token)).status, 'delivered');
    assert.equal((await getOrder(t, order.id, customer.token)).actions['cancel']?.allowed, false);
  });

  test('refunds: partial, a retry with the same key refunds once, above what is left is a 422, then the rest', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 15, stock: 10 });
    const order = await place(t, customer, [[product, 2]]);
    const key = `refund-${randomBytes(4).toString('hex')}`;

    const first = await adminPost(t, admin, order.id, 'refund', { amount: 10, reason: 'late' }, key);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.payment.amountRefunded, 10);
    assert.equal(first.body.payment.status, 'partially_refunded');
    const afterFirst = await snapshot(t, order.id, [product.id]);

    const retry = await adminPost(t, admin, order.id, 'refund', { amount: 10, reason: 'late' }, key);
    assert.equal(retry.status, 200, JSON.stringify(retry.body));
    assert.equal(retry.body.payment.amountRefunded, 10);
    assert.deepEqual(
      await snapshot(t, order.id, [product.id]),
      afterFirst,
      'the retry refunded nothing more',
    );

    const reused = await adminPost(t, admin, order.id, 'refund', { amount: 5 }, key);
    assert.equal(reused.status, 422, JSON.stringify(reused.body));
    assert.equal(reused.body.code, 'idempotency_key_reused');

    const tooMuch = await adminPost(t, admin, order.id, 'refund', { amount: 20.01 });
    assert.equal(tooMuch.status, 422, JSON.stringify(tooMuch.body));
    assert.equal(tooMuch.body.code, 'refund_exceeds_payment');
    assert.equal(tooMuch.body.details['refundable'], 2000);
    assert.deepEqual(await snapshot(t, order.id, [product.id]), afterFirst, 'nothing changed');

    const rest = await adminPost(t, admin, order.id, 'refund', { amount: 20 });
    assert.equal(rest.status, 200, JSON.stringify(rest.body));
    assert.equal(rest.body.payment.amountRefunded, 30);
    assert.equal(rest.body.payment.status, 'refunded');
    assert.equal(rest.body.status, 'confirmed', 'a refund does not move the status');
    assert.deepEqual(
      (await refundsOf(t, order.id)).map((r) => [r.amount_minor, r.status]),
      [
        [1000, 'succeeded'],
        [2000, 'succeeded'],
      ],
    );
    assert.equal((await gatewayCalls(t, order.id))[0]?.refunded_minor, 3000);
    assert.equal((await eventsOf(t, order.id)).filter((e) => e.type === 'RefundIssued').length, 2);
    assert.deepEqual(
      (await timeline(t, order.id)).filter((i) => i.type === 'refund').map((i) => [i.actor, i.summary]),
      [
        ['admin', 'Refunded $10.00: late'], // the admin's reason, after the amount
        ['admin', 'Refunded $20.00'],
      ],
    );

    const nothingLeft = await adminPost(t, admin, order.id, 'refund', { amount: 0.01 });
    assert.equal(nothingLeft.status, 422);
    assert.equal(nothingLeft.body.details['refundable'], 0);
    const zero = await adminPost(t, admin, order.id, 'refund', { amount: 0 });
    assert.equal(zero.status, 400);
  });

  test('a refund on a cancelled order counts what was refunded already', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 10, stock: 10 });
    const order = await place(t, customer, [[product, 1]]);
    assert.equal((await adminPost(t, admin, order.id, 'cancel', { reason: 'Duplicate order' })).status, 200);
    const res = await adminPost(t, admin, order.id, 'refund', { amount: 1 });
    assert.equal(res.status, 422);
    assert.equal(res.body.code, 'refund_exceeds_payment');
    assert.deepEqual(
      (await refundsOf(t, order.id)).map((r) => r.amount_minor),
      [1000],
    );
  });

  // ------------------------------------------------------------ refused transitions

  describe('refused transitions are a 409 with the status and the allowed steps; the order is untouched', () => {
    const cases: Array<{
      name: string;
      setup: Array<'cancel' | 'ship' | 'deliver'>;
      attempt: 'ship' | 'deliver' | 'modify' | 'cancel' | 'adminCancel' | 'confirm';
      status: string;
      allowed: string[];
    }> = [
      {
        name: 'ship a cancelled order',
        setup: ['cancel'],
        attempt: 'ship',
        status: 'cancelled',
        allowed: ['refund'],
      },
      {
        name: 'modify a shipped order',
        setup: ['ship'],
        attempt: 'modify',
        status: 'shipped',
        allowed: ['deliver', 'refund'],
      },
      {
        name: 'deliver before shipping',
        setup: [],
        attempt: 'deliver',
        status: 'confirmed',
        allowed: ['modify', 'cancel', 'ship', 'refund'],
      },
      {
        name: 'ship twice',
        setup: ['ship'],
        attempt: 'ship',
        status: 'shipped',
        allowed: ['deliver', 'refund'],
      },
      {
        name: 'cancel a shipped order',
        setup: ['ship'],
        attempt: 'cancel',
        status: 'shipped',
        allowed: ['deliver', 'refund'],
      },
      {
        name: 'admin cancels a delivered order',
        setup: ['ship', 'deliver'],
        attempt: 'adminCancel',
        status: 'delivered',
        allowed: ['refund'],
      },
      {
        name: 'modify a cancelled order',
        setup: ['cancel'],
        attempt: 'modify',
        status: 'cancelled',
        allowed: ['refund'],
      },
      {
        name: 'deliver twice',
        setup: ['ship', 'deliver'],
        attempt: 'deliver',
        status: 'delivered',
        allowed: ['refund'],
      },
      {
        name: 'confirm a confirmed order',
        setup: [],
        attempt: 'confirm',
        status: 'confirmed',
        allowed: ['modify', 'cancel', 'ship', 'refund'],
      },
    ];
    for (const c of cases) {
      test(c.name, async () => {
        const customer = await t.customer();
        const product = await t.product({ price: 10, stock: 10 });
        const order = await place(t, customer, [[product, 2]]);
        for (const step of c.setup) {
          const res =
            step === 'cancel'
              ? await adminPost(t, admin, order.id, 'cancel', { reason: 'setup' })
              : await adminPost(t, admin, order.id, step, step === 'ship' ? SHIPMENT : undefined);
          assert.equal(res.status, 200, `${step}: ${JSON.stringify(res.body)}`);
        }
        const before = await snapshot(t, order.id, [product.id]);
        let res;
        switch (c.attempt) {
          case 'modify':
            res = await t.request<ErrorJson>('PATCH', `/api/v1/orders/${order.id}`, {
              token: customer.token,
              body: { items: [{ productId: product.id, quantity: 1 }], shippingAddress: NEW_ADDRESS },
            });
            break;
          case 'cancel':
            res = await t.request<ErrorJson>('POST', `/api/v1/orders/${order.id}/cancel`, {
              token: customer.token,
              body: { reason: 'too late' },
            });
            break;
          case 'adminCancel':
            res = await adminPost(t, admin, order.id, 'cancel', { reason: 'too late' });
            break;
          case 'ship':
            res = await adminPost(t, admin, order.id, 'ship', { trackingNumber: 'ZZ-0001', carrier: 'DHL' });
            break;
          default:
            res = await adminPost(t, admin, order.id, c.attempt);
        }
        assert.equal(res.status, 409, JSON.stringify(res.body));
        assert.equal(res.body.code, 'invalid_transition');
        assert.deepEqual(res.body.details, { status: c.status, allowed: c.allowed });
        assert.ok(res.body.message.length > 0);
        assert.deepEqual(await snapshot(t, order.id, [product.id]), before);
      });
    }
  });

  test('customers cannot use admin endpoints (403), strangers get a 401', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 10, stock: 10 });
    const order = await place(t, customer, [[product, 1]]);
    const before = await snapshot(t, order.id, [product.id]);
    const attempts: Array<['GET' | 'POST', string, unknown]> = [
      ['GET', '/api/v1/admin/orders', undefined],
      ['GET', `/api/v1/admin/orders?customerId=${customer.id}`, undefined],
      ['GET', '/api/v1/admin/stats', undefined],
      ['POST', `/api/v1/admin/orders/${order.id}/confirm`, undefined],
      ['POST', `/api/v1/admin/orders/${order.id}/ship`, SHIPMENT],
      ['POST', `/api/v1/admin/orders/${order.id}/deliver`, undefined],
      ['POST', `/api/v1/admin/orders/${order.id}/cancel`, { reason: 'me' }],
      ['POST', `/api/v1/admin/orders/${order.id}/refund`, { amount: 10 }],
    ];
    for (const [method, url, body] of attempts) {
      const res = await t.request<ErrorJson>(method, url, { token: customer.token, body });
      assert.equal(res.status, 403, `${method} ${url}`);
      assert.equal(res.body.code, 'forbidden');
      const anonymous = await t.request<ErrorJson>(method, url, { body });
      assert.equal(anonymous.status, 401, `${method} ${url} without a token`);
    }
    assert.deepEqual(await snapshot(t, order.id, [product.id]), before);
  });
});

// ---------------------------------------------------------------- the admin's order list and stats

describe('admin order list and stats', () => {
  let t: TestApp;
  let admin: string;
  let alice: Customer;
  let bob: Customer;
  const o: Record<string, OrderJson & { declinedTotal?: number }> = {};
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
    const ten = await t.product({ price: 10, stock: 100 });
    const quarter = await t.product({ price: 25, stock: 100 });
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

// ---------------------------------------------------------------- confirm, with a gateway that loses answers

/** A gateway double whose answers can be lost, as when the network fails after the charge. */
class FlakyGateway implements PaymentProvider {
  readonly name = 'flaky';
  /** the charge is taken but the answer never arrives */
  loseAnswers = false;
  /** the request never reaches the gateway */
  dropRequests = false;
  /** status queries fail too */
  statusDown = false;
  readonly #charges = new Map<
    string,
    { paymentId: string; amount: number; currency: string; refunded: number }
  >();
  #n = 0;

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    if (this.dropRequests) throw new PaymentUnavailableError('connection refused');
    const existing = this.#charges.get(request.idempotencyKey);
    const charge = existing ?? {
      paymentId: `pi_flaky_${++this.#n}`,
      amount: request.amount.amount,
      currency: request.amount.currency,
      refunded: 0,
    };
    this.#charges.set(request.idempotencyKey, charge);
    if (this.loseAnswers) throw new PaymentUnavailableError('connection reset');
    return {
      status: 'succeeded',
      paymentId: charge.paymentId,
      amount: { amount: charge.amount, currency: charge.currency },
    };
  }

  /** refunds cannot reach the gateway */
  refundsDown = false;
  /** refunds by idempotency key, as a gateway remembers them */
  readonly refunds = new Map<string, { paymentId: string; amount: number; refundId: string }>();

  async refund(request: RefundRequest): Promise<RefundResult> {
    if (this.refundsDown) throw new PaymentUnavailableError('connection refused');
    const previous = this.refunds.get(request.idempotencyKey);
    if (previous) {
      // Stripe refuses a key reused with other parameters; so does this double.
      if (previous.paymentId !== request.paymentId || previous.amount !== request.amount.amount) {
        throw new Error(`idempotency key ${request.idempotencyKey} reused with other parameters`);
      }
      return { refundId: previous.refundId, status: 'succeeded' };
    }
    const charge = [...this.#charges.values()].find((c) => c.paymentId === request.paymentId);
    if (!charge) throw new PaymentUnavailableError('unknown payment');
    charge.refunded += request.amount.amount;
    const refundId = `re_flaky_${++this.#n}`;
    this.refunds.set(request.idempotencyKey, {
      paymentId: request.paymentId,
      amount: request.amount.amount,
      refundId,
    });
    return { refundId, status: 'succeeded' };
  }

  refundedOf(paymentId: string): number {
    return [...this.#charges.values()].find((c) => c.paymentId === paymentId)?.refunded ?? 0;
  }

  async status(query: { idempotencyKey: string }): Promise<PaymentStatus> {
    if (this.statusDown) throw new PaymentUnavailableError('timeout');
    const charge = this.#charges.get(query.idempotencyKey);
    if (!charge) return { status: 'not_found' };
    return {
      status: 'succeeded',
      paymentId: charge.paymentId,
      amount: { amount: charge.amount, currency: charge.currency },
    };
  }
}

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

describe('a refund interrupted by a gateway outage', () => {
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

  test('is finished by a retry with the same key, once, each part with its own key', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 10, stock: 10 });
    const order = await place(t, customer, [[product, 2]]);
    const grown = await t.request<OrderJson>('PATCH', `/api/v1/orders/${order.id}`, {
      token: customer.token,
      body: {
        items: [{ productId: product.id, quantity: 3 }],
        paymentMethod: { type: 'card', token: 'tok_visa' },
        confirmedAmount: 10,
      },
    });
    assert.equal(grown.status, 200, JSON.stringify(grown.body));
    const charges = await t.app.database.db
      .selectFrom('payment')
      .select(['provider_payment_id', 'amount_minor'])
      .where('order_id', '=', order.id)
      .orderBy('created_at')
      .execute();
    assert.deepEqual(
      charges.map((c) => c.amount_minor),
      [2000, 1000],
    );

    gateway.refundsDown = true;
    const down = await adminPost(t, admin, order.id, 'refund', { amount: 25 }, 'outage-1');
    gateway.refundsDown = false;
    assert.equal(down.status, 502, JSON.stringify(down.body));
    assert.equal(down.body.code, 'payment_unavailable');
    assert.deepEqual(
      (await refundsOf(t, order.id)).map((r) => r.status),
      ['pending', 'pending'],
    );
    assert.equal((await getOrder(t, order.id)).payment.amountRefunded, 0);

    const retry = await adminPost(t, admin, order.id, 'refund', { amount: 25 }, 'outage-1');
    assert.equal(retry.status, 200, JSON.stringify(retry.body));
    assert.equal(retry.body.payment.amountRefunded, 25);
    assert.equal(gateway.refunds.size, 2);
    // newest charge first: all 10 of the change, then 15 of the placement
    assert.equal(gateway.refundedOf(charges[1]?.provider_payment_id as string), 1000);
    assert.equal(gateway.refundedOf(charges[0]?.provider_payment_id as string), 1500);

    const again = await adminPost(t, admin, order.id, 'refund', { amount: 25 }, 'outage-1');
    assert.equal(again.status, 200);
    assert.equal(again.body.payment.amountRefunded, 25);
    assert.equal(gateway.refundedOf(charges[0]?.provider_payment_id as string), 1500);
    assert.equal((await eventsOf(t, order.id)).filter((e) => e.type === 'RefundIssued').length, 2);
    assert.equal((await timeline(t, order.id)).filter((i) => i.type === 'refund').length, 1);
  });
});

// ---------------------------------------------------------------- races (PostgreSQL only)

describe('concurrency', { skip: !onPostgres && 'needs PostgreSQL: PGlite has one connection' }, () => {
  let t: TestApp;
  let admins: string[];

  before(async () => {
    t = await createTestApp();
    await t.app.services.auth.ensureAdmin('second-admin@orderly.test', 'second-admin-password');
    const login = await t.request<{ token: string }>('POST', '/api/v1/auth/login', {
      body: { email: 'second-admin@orderly.test', password: 'second-admin-password' },
    });
    assert.equal(login.status, 200);
    admins = [await t.adminToken(), login.body.token];
  });
  after(async () => {
    await t?.close();
  });

  test('two admins ship the same order at once: exactly one 200 and one 409', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 10, stock: 100 });
    for (let round = 0; round < 8; round++) {
      const order = await place(t, customer, [[product, 1]]);
      const results = await Promise.all(
        admins.map((token, i) =>
          adminPost(t, token, order.id, 'ship', { trackingNumber: `TRACK-${round}-${i}`, carrier: 'UPS' }),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, 409], JSON.stringify(results.map((r) => r.body)));
      const loser = results.find((r) => r.status === 409);
      assert.equal(loser?.body.code, 'invalid_transition');
      assert.equal(loser?.body.details['status'], 'shipped');
      const winner = results.find((r) => r.status === 200);
      const shown = await getOrder(t, order.id);
      assert.equal(shown.trackingNumber, winner?.body.trackingNumber);
      const events = (await eventsOf(t, order.id)).filter((e) => e.type === 'OrderShipped');
      assert.equal(events.length, 1);
      assert.equal(events[0]?.payload['trackingNumber'], shown.trackingNumber);
      assert.equal((await timeline(t, order.id)).filter((i) => i.status === 'shipped').length, 1);
    }
  });

  test('concurrent refunds never exceed what was paid; one key sent twice at once refunds once', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 10, stock: 100 });
    const order = await place(t, customer, [[product, 3]]);
    const keyed = await Promise.all(
      admins.map((token) => adminPost(t, token, order.id, 'refund', { amount: 5 }, 'same-key')),
    );
    assert.deepEqual(
      keyed.map((r) => [r.status, r.body.payment?.amountRefunded]),
      [
        [200, 5],
        [200, 5],
      ],
      JSON.stringify(keyed.map((r) => r.body)),
    );
    assert.deepEqual(
      (await refundsOf(t, order.id)).map((r) => [r.amount_minor, r.status]),
      [[500, 'succeeded']],
      'the key refunded once',
    );

    // 25 left: of five refunds of 10 at once, exactly two fit.
    const plain = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => adminPost(t, admins[i % 2] as string, order.id, 'refund', { amount: 10 })),
    );
    assert.deepEqual(
      plain.map((r) => r.status).sort(),
      [200, 200, 422, 422, 422],
      JSON.stringify(plain.map((r) => r.body)),
    );
    for (const r of plain.filter((p) => p.status === 422))
      assert.equal(r.body.code, 'refund_exceeds_payment');
    const refunds = await refundsOf(t, order.id);
    assert.equal(
      refunds.reduce((sum, r) => sum + r.amount_minor, 0),
      2500,
    );
    assert.ok(refunds.every((r) => r.status === 'succeeded'));
    assert.equal((await gatewayCalls(t, order.id))[0]?.refunded_minor, 2500);
    assert.equal((await getOrder(t, order.id)).payment.amountRefunded, 25);
  });

  test('concurrent modifications and cancellations of one order end consistent', async () => {
    const START = 200;
    const customer = await t.customer();
    const p1 = await t.product({ price: 10, stock: START });
    const p2 = await t.product({ price: 4, stock: START });
    const p3 = await t.product({ price: 7, stock: START });
    const statuses = new Map<string, number>();
    const endings = { confirmed: 0, cancelled: 0 };
    const later = <T>(ms: number, send: () => Promise<T>) =>
      new Promise<T>((resolve, reject) => setTimeout(() => send().then(resolve, reject), ms));

    for (let round = 0; round < 8; round++) {
      const order = await place(t, customer, [
        [p1, 2],
        [p2, 3],
      ]);
      // Odd rounds race changes against each other; even rounds add two cancellations that land
      // while changes are being reserved, charged and kept. Requests start within 40 ms.
      const requests: Array<Promise<{ status: number; body: unknown }>> = [];
      for (let i = 0; i < 20; i++) {
        const delay = (i * 13 + round * 7) % 40;
        if (round % 2 === 0 && (i === 7 || i === 15)) {
          requests.push(
            later(delay, () =>
              i === 7
                ? t.request('POST', `/api/v1/orders/${order.id}/cancel`, {
                    token: customer.token,
                    body: { reason: `race ${i}` },
                  })
                : adminPost(t, admins[round % 2] as string, order.id, 'cancel', { reason: `race ${i}` }),
            ),
          );
          continue;
        }
        const items = [
          { productId: p1.id, quantity: 1 + ((i * 7 + round) % 5) },
          ...(i % 3 === 0 ? [] : [{ productId: p2.id, quantity: 1 + ((i + round) % 4) }]),
          ...(i % 4 === 1 ? [{ productId: p3.id, quantity: 1 + (i % 3) }] : []),
        ];
        const card = i % 5 === 2 ? 'tok_chargeDeclined' : i % 5 === 4 ? undefined : 'tok_visa';
        requests.push(
          later(delay, async () => {
            // what the shopper confirms: the quote of this change, which a racing change may outdate
            const quote = await t.request<{ amountDue?: number }>(
              'POST',
              `/api/v1/orders/${order.id}/modification-quote`,
              { token: customer.token, body: { items } },
            );
            return t.request('PATCH', `/api/v1/orders/${order.id}`, {
              token: customer.token,
              body: {
                items,
                ...(i % 6 === 0 && { shippingAddress: NEW_ADDRESS }),
                ...(card && { paymentMethod: { type: 'card', token: card } }),
                ...(quote.body.amountDue !== undefined && { confirmedAmount: quote.body.amountDue }),
              },
            });
          }),
        );
      }
      const results = await Promise.all(requests);
      for (const r of results) {
        const outcome = `${r.status} ${(r.body as Partial<ErrorJson>).code ?? ''}`.trim();
        statuses.set(outcome, (statuses.get(outcome) ?? 0) + 1);
        assert.ok(
          [200, 402, 409, 422].includes(r.status),
          `unexpected ${r.status}: ${JSON.stringify(r.body)}`,
        );
      }

      const final = await getOrder(t, order.id);
      assert.ok(final.status === 'confirmed' || final.status === 'cancelled');
      endings[final.status as 'confirmed' | 'cancelled']++;
      if (round % 2 === 1) assert.equal(final.status, 'confirmed');
      const lines = await t.app.database.db
        .selectFrom('order_line')
        .select(['product_id', 'quantity', 'unit_price_minor'])
        .where('order_id', '=', order.id)
        .execute();
      const total = await t.app.database.db
        .selectFrom('orders')
        .select('total_minor')
        .where('id', '=', order.id)
        .executeTakeFirstOrThrow();
      assert.equal(
        total.total_minor,
        lines.reduce((s, l) => s + l.unit_price_minor * l.quantity, 0),
        'the total equals the sum of the lines',
      );
      assert.equal(await activeReservations(t, order.id), 0, 'no reservation left behind');

      const payments = await paymentsOf(t, order.id);
      const refunds = await refundsOf(t, order.id);
      const paid = payments.filter((p) => p.status === 'succeeded').reduce((s, p) => s + p.amount_minor, 0);
      const refundedOrHeld = refunds
        .filter((r) => r.status !== 'failed')
        .reduce((s, r) => s + r.amount_minor, 0);
      const refunded = refunds
        .filter((r) => r.status === 'succeeded')
        .reduce((s, r) => s + r.amount_minor, 0);
      assert.ok(refundedOrHeld <= paid, `refunds ${refundedOrHeld} exceed payments ${paid}`);
      assert.equal(refunded, refundedOrHeld, 'no refund left pending');
      // Money follows the order: what is kept is the total, or nothing once cancelled.
      assert.equal(paid - refunded, final.status === 'cancelled' ? 0 : total.total_minor);
      for (const p of payments) assert.ok(p.refunded_minor <= p.amount_minor);
    }

    // Sold units per product equal the lines of the orders that were not cancelled.
    for (const product of [p1, p2, p3]) {
      const { rows } = await sql<{ sold: number }>`
        select coalesce(sum(l.quantity), 0)::int as sold
          from order_line l join orders o on o.id = l.order_id
         where l.product_id = ${product.id} and o.status <> 'cancelled'`.execute(t.app.database.db);
      const level = await stockLevel(t, product.id);
      assert.equal(level.reserved, 0, `${product.name}: nothing reserved`);
      assert.equal(START - level.on_hand, rows[0]?.sold, `${product.name}: sold units equal the lines`);
    }
    // The race was a race: changes were kept, declined and refused for conflicts.
    const seen = JSON.stringify([...statuses]);
    assert.ok((statuses.get('200') ?? 0) >= 8, `changes were kept: ${seen}`);
    assert.ok(endings.cancelled > 0 && endings.confirmed >= 4, JSON.stringify(endings));
  });
});
