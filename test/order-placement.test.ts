import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SandboxPaymentProvider } from '../src/payment/sandbox.ts';
import type { ChargeRequest, PaymentProvider } from '../src/payment/provider.ts';
import { ADDRESS, createTestApp, orderBody, type TestApp } from './helpers.ts';

interface Order {
  id: string;
  status: string;
  total: number;
  items: Array<{ productId: string; quantity: number; price: number }>;
  payment: { status: string; amountPaid: number };
  cancellationReason: string | null;
}
interface ErrorBody {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

async function available(t: TestApp, productId: string): Promise<number> {
  const res = await t.request<{ available: number }>('GET', `/api/v1/products/${productId}`);
  return res.body.available;
}

async function outboxTypes(t: TestApp, aggregateId: string): Promise<string[]> {
  const rows = await t.app.database.db
    .selectFrom('outbox')
    .select('type')
    .where('aggregate_id', '=', aggregateId)
    .orderBy('sequence')
    .execute();
  return rows.map((r) => r.type);
}

describe('order placement', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  test('a paid order is confirmed with the contract shape, its stock sold and its events in the outbox', async () => {
    const product = await t.product({ price: 29.99, stock: 5 });
    const customer = await t.customer();
    const res = await t.request<Order & { customerId: string; createdAt: string }>('POST', '/api/v1/orders', {
      token: customer.token,
      body: orderBody(customer.id, [{ productId: product.id, quantity: 2, price: 29.99 }]),
    });
    assert.equal(res.status, 201);
    assert.equal(res.body.status, 'confirmed');
    assert.equal(res.body.customerId, customer.id);
    assert.equal(res.body.total, 59.98);
    assert.deepEqual(
      res.body.items.map((i) => [i.productId, i.quantity, i.price]),
      [[product.id, 2, 29.99]],
    );
    assert.equal(res.body.payment.status, 'paid');
    assert.match(res.body.createdAt, /^\d{4}-\d\d-\d\dT/);
    assert.equal(await available(t, product.id), 3);
    const level = await t.app.database.db
      .selectFrom('stock_level')
      .selectAll()
      .where('product_id', '=', product.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual([level.on_hand, level.reserved], [3, 0], 'the reservation became a sale');
    assert.deepEqual(await outboxTypes(t, res.body.id), [
      'OrderPlaced',
      'PaymentProcessed',
      'OrderConfirmed',
    ]);
    const stockEvents = await outboxTypes(t, product.id);
    assert.deepEqual(stockEvents, ['StockReplenished', 'StockReserved', 'StockCommitted']);
    const placed = await t.app.database.db
      .selectFrom('outbox')
      .select('payload')
      .where('aggregate_id', '=', res.body.id)
      .where('type', '=', 'OrderPlaced')
      .executeTakeFirstOrThrow();
    assert.equal(placed.payload['customerId'], customer.id);
    assert.equal(placed.payload['total'], 5998);
    await t.app.outbox.drain();
    const undispatched = await t.app.database.db
      .selectFrom('outbox')
      .select('sequence')
      .where('dispatched_at', 'is', null)
      .execute();
    assert.equal(undispatched.length, 0, 'every event was dispatched after commit');
  });

  test('a declined card is a 402, releases the stock and leaves the order cancelled with the reason', async () => {
    const product = await t.product({ price: 10, stock: 4 });
    const customer = await t.customer();
    for (const [token, declineCode] of [
      ['tok_chargeDeclined', 'generic_decline'],
      ['tok_chargeDeclinedInsufficientFunds', 'insufficient_funds'],
    ] as const) {
      const res = await t.request<ErrorBody>('POST', '/api/v1/orders', {
        token: customer.token,
        body: orderBody(customer.id, [{ productId: product.id, quantity: 3, price: 10 }], token),
      });
      assert.equal(res.status, 402);
      assert.equal(res.body.code, 'payment_declined');
      assert.equal(res.body.details['declineCode'], declineCode);
      assert.ok(res.body.message.length > 10);
      assert.equal(await available(t, product.id), 4, 'stock is back');
      const order = await t.request<Order>('GET', `/api/v1/orders/${String(res.body.details['orderId'])}`, {
        token: customer.token,
      });
      assert.equal(order.body.status, 'cancelled');
      assert.equal(order.body.cancellationReason, 'payment_declined');
      assert.equal(order.body.payment.status, 'failed');
      assert.deepEqual(await outboxTypes(t, order.body.id), [
        'OrderPlaced',
        'PaymentFailed',
        'OrderCancelled',
      ]);
    }
    const sold = await t.app.database.db
      .selectFrom('stock_level')
      .select(['on_hand', 'reserved'])
      .where('product_id', '=', product.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual([sold.on_hand, sold.reserved], [4, 0]);
  });

  test('out of stock is a 409 that says which product and how many are left, and changes nothing', async () => {
    const scarce = await t.product({ price: 5, stock: 2, name: 'Scarce Mug' });
    const plenty = await t.product({ price: 7, stock: 50 });
    const customer = await t.customer();
    const ordersBefore = await t.app.database.db.selectFrom('orders').select('id').execute();
    const res = await t.request<ErrorBody>('POST', '/api/v1/orders', {
      token: customer.token,
      body: orderBody(customer.id, [
        { productId: plenty.id, quantity: 1, price: 7 },
        { productId: scarce.id, quantity: 3, price: 5 },
      ]),
    });
    assert.equal(res.status, 409);
    assert.equal(res.body.code, 'out_of_stock');
    assert.deepEqual(res.body.details['items'], [
      { productId: scarce.id, variantId: scarce.id, requested: 3, available: 2 },
    ]);
    assert.match(res.body.message, /only 2 of Scarce Mug left/i);
    assert.equal(await available(t, plenty.id), 50, 'no partial reservation');
    const ordersAfter = await t.app.database.db.selectFrom('orders').select('id').execute();
    assert.equal(ordersAfter.length, ordersBefore.length, 'no order row left behind');
  });

  test('quantities of the same product in one order are added together before reserving', async () => {
    const product = await t.product({ price: 3, stock: 3 });
    const customer = await t.customer();
    const res = await t.request<ErrorBody>('POST', '/api/v1/orders', {
      token: customer.token,
      body: orderBody(customer.id, [
        { productId: product.id, quantity: 2, price: 3 },
        { productId: product.id, quantity: 2, price: 3 },
      ]),
    });
    assert.equal(res.status, 409);
    assert.deepEqual(res.body.details['items'], [
      { productId: product.id, variantId: product.id, requested: 4, available: 3 },
    ]);
  });

  test('a price that is not the current price is a 409: the server sets prices', async () => {
    const product = await t.product({ price: 20, stock: 5 });
    const customer = await t.customer();
    const res = await t.request<ErrorBody>('POST', '/api/v1/orders', {
      token: customer.token,
      body: orderBody(customer.id, [{ productId: product.id, quantity: 1, price: 1 }]),
    });
    assert.equal(res.status, 409);
    assert.equal(res.body.code, 'price_changed');
    assert.deepEqual(res.body.details['items'], [
      { productId: product.id, variantId: product.id, expected: 100, current: 2000 },
    ]);
    assert.equal(await available(t, product.id), 5);
  });

  test('malformed input is a 400 with the error format; no token is a 401; an unknown product a 404', async () => {
    const product = await t.product({ price: 20, stock: 5 });
    const customer = await t.customer();
    const good = orderBody(customer.id, [{ productId: product.id, quantity: 1, price: 20 }]);
    const bad: unknown[] = [
      { ...good, items: [] },
      { ...good, items: [{ productId: product.id, quantity: 0, price: 20 }] },
      { ...good, items: [{ productId: product.id, quantity: 1.5, price: 20 }] },
      { ...good, items: [{ productId: 'not-a-uuid', quantity: 1, price: 20 }] },
      { ...good, items: [{ productId: product.id, quantity: 1, price: 20.001 }] },
      { ...good, shippingAddress: { ...ADDRESS, zip: '' } },
      { ...good, paymentMethod: { type: 'cash', token: 'x' } },
      { ...good, extra: true },
      'not json at all',
    ];
    for (const body of bad) {
      const res = await t.request<ErrorBody>('POST', '/api/v1/orders', {
        token: customer.token,
        body,
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(typeof res.body.code, 'string');
      assert.equal(typeof res.body.message, 'string');
      assert.equal(typeof res.body.details, 'object');
    }
    const anonymous = await t.request<ErrorBody>('POST', '/api/v1/orders', { body: good });
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.code, 'unauthorized');
    const tampered = await t.request('POST', '/api/v1/orders', { token: `${customer.token}x`, body: good });
    assert.equal(tampered.status, 401);
    const unknown = await t.request<ErrorBody>('POST', '/api/v1/orders', {
      token: customer.token,
      body: orderBody(customer.id, [
        { productId: '00000000-0000-4000-8000-000000000000', quantity: 1, price: 1 },
      ]),
    });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 'product_not_found');
    assert.equal(await available(t, product.id), 5);
  });

  test('a customer may only place orders for themself', async () => {
    const product = await t.product({ price: 20, stock: 5 });
    const alice = await t.customer();
    const bob = await t.customer();
    const res = await t.request<ErrorBody>('POST', '/api/v1/orders', {
      token: alice.token,
      body: orderBody(bob.id, [{ productId: product.id, quantity: 1, price: 20 }]),
    });
    assert.equal(res.status, 403);
    assert.equal(await available(t, product.id), 5);
  });

  test("a customer sees only their own orders; another customer's order is a 404; admins see all", async () => {
    const product = await t.product({ price: 1, stock: 100 });
    const alice = await t.customer();
    const bob = await t.customer();
    const placed = await t.request<Order>('POST', '/api/v1/orders', {
      token: alice.token,
      body: orderBody(alice.id, [{ productId: product.id, quantity: 1, price: 1 }]),
    });
    assert.equal(
      (await t.request('GET', `/api/v1/orders/${placed.body.id}`, { token: alice.token })).status,
      200,
    );
    const stranger = await t.request<ErrorBody>('GET', `/api/v1/orders/${placed.body.id}`, {
      token: bob.token,
    });
    assert.equal(stranger.status, 404);
    assert.equal(stranger.body.code, 'not_found');
    const admin = await t.request('GET', `/api/v1/orders/${placed.body.id}`, { token: await t.adminToken() });
    assert.equal(admin.status, 200);
    assert.equal((await t.request('GET', `/api/v1/orders/${placed.body.id}`)).status, 401);
  });

  test('order history lists newest first with cursor pagination', async () => {
    const product = await t.product({ price: 1, stock: 100 });
    const customer = await t.customer();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await t.request<Order>('POST', '/api/v1/orders', {
        token: customer.token,
        body: orderBody(customer.id, [{ productId: product.id, quantity: i + 1, price: 1 }]),
      });
      ids.push(res.body.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ id: string; itemCount: number }>; nextCursor: string | null } } =
        await t.request('GET', `/api/v1/orders?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
          token: customer.token,
        });
      seen.push(...page.body.items.map((o) => o.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, [...ids].reverse());
    const bad = await t.request('GET', '/api/v1/orders?cursor=garbage', { token: customer.token });
    assert.equal(bad.status, 400);
  });

  test('the same Idempotency-Key and body return the first order; never a second order or charge', async () => {
    const product = await t.product({ price: 12, stock: 10 });
    const customer = await t.customer();
    const body = orderBody(customer.id, [{ productId: product.id, quantity: 1, price: 12 }]);
    const headers = { 'idempotency-key': 'checkout-attempt-1' };
    const first = await t.request<Order>('POST', '/api/v1/orders', { token: customer.token, body, headers });
    const again = await t.request<Order>('POST', '/api/v1/orders', { token: customer.token, body, headers });
    assert.equal(first.status, 201);
    assert.equal(again.status, 201);
    assert.equal(again.body.id, first.body.id);
    assert.equal(await available(t, product.id), 9);
    const charges = await t.app.database.db
      .selectFrom('sandbox_charge')
      .select('payment_id')
      .where('order_id', '=', first.body.id)
      .execute();
    assert.equal(charges.length, 1);
    const different = await t.request<ErrorBody>('POST', '/api/v1/orders', {
      token: customer.token,
      body: { ...body, items: [{ productId: product.id, quantity: 2, price: 12 }] },
      headers,
    });
    assert.equal(different.status, 422);
    assert.equal(different.body.code, 'idempotency_key_reused');
    const declined = orderBody(
      customer.id,
      [{ productId: product.id, quantity: 1, price: 12 }],
      'tok_chargeDeclined',
    );
    const d1 = await t.request<ErrorBody>('POST', '/api/v1/orders', {
      token: customer.token,
      body: declined,
      headers: { 'idempotency-key': 'declined-1' },
    });
    const d2 = await t.request<ErrorBody>('POST', '/api/v1/orders', {
      token: customer.token,
      body: declined,
      headers: { 'idempotency-key': 'declined-1' },
    });
    assert.equal(d1.status, 402);
    assert.deepEqual(d2, { ...d2, status: 402, body: d1.body });
  });
});

describe('catalog, stock and accounts', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  test('registration, login and the admin from configuration', async () => {
    const reg = await t.request<{ message: string }>('POST', '/api/v1/auth/register', {
      body: { email: 'Ada@Example.com', password: 'analytical engine', name: 'Ada' },
    });
    assert.equal(reg.status, 202);
    // an email that has an account gets the same answer: sign-up does not tell who has one
    const dup = await t.request<{ message: string }>('POST', '/api/v1/auth/register', {
      body: { email: 'ada@example.com', password: 'another password', name: 'Ada' },
    });
    assert.equal(dup.status, 202);
    assert.deepEqual(dup.body, reg.body);
    const weak = await t.request<ErrorBody>('POST', '/api/v1/auth/register', {
      body: { email: 'weak@example.com', password: 'password', name: 'W' },
    });
    assert.equal(weak.status, 400);
    assert.equal(weak.body.code, 'weak_password');
    const wrong = await t.request<ErrorBody>('POST', '/api/v1/auth/login', {
      body: { email: 'ada@example.com', password: 'not it at all' },
    });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.code, 'invalid_credentials');
    const login = await t.request<{ token: string; user: { role: string } }>('POST', '/api/v1/auth/login', {
      body: { email: 'ADA@example.com', password: 'analytical engine' },
    });
    assert.equal(login.status, 200);
    assert.equal(login.body.user.role, 'customer');
    const me = await t.request<{ email: string }>('GET', '/api/v1/auth/me', { token: login.body.token });
    assert.equal(me.body.email, 'ada@example.com');
    const stored = await t.app.database.db
      .selectFrom('account')
      .select('password_hash')
      .where('email', '=', 'ada@example.com')
      .executeTakeFirstOrThrow();
    assert.match(stored.password_hash ?? '', /^scrypt\$/);
    assert.ok(!(stored.password_hash ?? '').includes('analytical'));
    const admin = await t.request<{ role: string }>('GET', '/api/v1/auth/me', {
      token: await t.adminToken(),
    });
    assert.equal(admin.body.role, 'admin');
  });

  test('admins create and update products and set or replenish stock; customers cannot', async () => {
    const admin = await t.adminToken();
    const customer = await t.customer();
    const body = { sku: 'LAMP-1', name: 'Desk Lamp', price: 49.5, initialStock: 3 };
    assert.equal((await t.request('POST', '/api/v1/products', { body })).status, 401);
    assert.equal((await t.request('POST', '/api/v1/products', { token: customer.token, body })).status, 403);
    const created = await t.request<{ id: string; available: number; lowStock: boolean; price: number }>(
      'POST',
      '/api/v1/products',
      { token: admin, body },
    );
    assert.equal(created.status, 201);
    assert.equal(created.body.price, 49.5);
    assert.equal(created.body.available, 3);
    assert.equal(created.body.lowStock, true);
    assert.equal((await t.request('POST', '/api/v1/products', { token: admin, body })).status, 409);
    const updated = await t.request<{ price: number; name: string }>(
      'PATCH',
      `/api/v1/products/${created.body.id}`,
      {
        token: admin,
        body: { price: 45, name: 'Brass Desk Lamp' },
      },
    );
    assert.deepEqual([updated.body.price, updated.body.name], [45, 'Brass Desk Lamp']);
    const added = await t.request<{ onHand: number; available: number }>(
      'POST',
      `/api/v1/products/${created.body.id}/stock`,
      {
        token: admin,
        body: { operation: 'add', quantity: 7 },
      },
    );
    assert.deepEqual([added.body.onHand, added.body.available], [10, 10]);
    const set = await t.request<{ onHand: number }>('POST', `/api/v1/products/${created.body.id}/stock`, {
      token: admin,
      body: { operation: 'set', quantity: 4 },
    });
    assert.equal(set.body.onHand, 4);
    const types = await outboxTypes(t, created.body.id);
    assert.deepEqual(types, ['StockReplenished', 'StockReplenished', 'StockAdjusted']);
    const replenished = await t.app.database.db
      .selectFrom('outbox')
      .select('payload')
      .where('aggregate_id', '=', created.body.id)
      .orderBy('sequence')
      .execute();
    assert.equal(replenished[1]?.payload['quantity'], 7);
    const audit = await t.app.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('target_id', '=', created.body.id)
      .where('action', '=', 'stock.adjust')
      .execute();
    assert.equal(audit.length, 2, 'each stock change is audited');
    const denied = await t.request('POST', `/api/v1/products/${created.body.id}/stock`, {
      token: customer.token,
      body: { operation: 'add', quantity: 1 },
    });
    assert.equal(denied.status, 403);
  });

  test('products list with available quantity, search and pages', async () => {
    await t.product({ name: 'Zebra Notebook', stock: 4 });
    await t.product({ name: 'Zebra Pencil', stock: 40 });
    const list = await t.request<{
      items: Array<{ name: string; available: number }>;
      nextCursor: string | null;
    }>('GET', '/api/v1/products?search=zebra&limit=1');
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.items.map((p) => [p.name, p.available]),
      [['Zebra Notebook', 4]],
    );
    assert.ok(list.body.nextCursor);
    const next = await t.request<{ items: Array<{ name: string }>; nextCursor: string | null }>(
      'GET',
      `/api/v1/products?search=zebra&limit=1&cursor=${list.body.nextCursor}`,
    );
    assert.deepEqual(
      next.body.items.map((p) => p.name),
      ['Zebra Pencil'],
    );
    const wildcard = await t.request<{ items: unknown[] }>('GET', '/api/v1/products?search=%25');
    assert.equal(wildcard.body.items.length, 0, 'a % in a search is a character, not a wildcard');
    assert.equal((await t.request('GET', '/api/v1/products/not-a-uuid')).status, 400);
    assert.equal(
      (await t.request('GET', '/api/v1/products/00000000-0000-4000-8000-000000000000')).status,
      404,
    );
  });
});

describe('cart', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  interface Cart {
    items: Array<{
      productId: string;
      quantity: number;
      price: number;
      warning: { code: string; available: number } | null;
      priceChanged: { from: number; to: number } | null;
    }>;
    subtotal: number;
  }

  test('the cart lives on the server and follows the customer to a new login', async () => {
    const mug = await t.product({ price: 8, stock: 10 });
    const tee = await t.product({ price: 20, stock: 10 });
    const customer = await t.customer();
    await t.request('POST', '/api/v1/cart/items', {
      token: customer.token,
      body: { productId: mug.id, quantity: 1 },
    });
    await t.request('POST', '/api/v1/cart/items', {
      token: customer.token,
      body: { productId: tee.id, quantity: 1 },
    });
    // an add answers with the whole cart: every line, in the order they were first added
    const added = await t.request<Cart>('POST', '/api/v1/cart/items', {
      token: customer.token,
      body: { productId: mug.id, quantity: 2 },
    });
    assert.deepEqual(
      added.body.items.map((i) => [i.productId, i.quantity]),
      [
        [mug.id, 3],
        [tee.id, 1],
      ],
    );
    const tooMany = await t.request<Cart>('POST', '/api/v1/cart/items', {
      token: customer.token,
      body: { productId: mug.id, quantity: 998 },
    });
    assert.equal(tooMany.status, 422);
    const unchanged = await t.request<Cart>('GET', '/api/v1/cart', { token: customer.token });
    assert.deepEqual(
      unchanged.body.items.map((i) => [i.productId, i.quantity]),
      [
        [mug.id, 3],
        [tee.id, 1],
      ],
      'a refused add leaves the cart as it was',
    );
    const changed = await t.request<Cart>('PUT', `/api/v1/cart/items/${tee.id}`, {
      token: customer.token,
      body: { quantity: 2 },
    });
    assert.deepEqual(
      changed.body.items.map((i) => [i.productId, i.quantity]),
      [
        [mug.id, 3],
        [tee.id, 2],
      ],
    );
    assert.equal(changed.body.subtotal, 64);
    const relogin = await t.request<{ token: string }>('POST', '/api/v1/auth/login', {
      body: { email: customer.email, password: 'correct horse battery' },
    });
    const elsewhere = await t.request<Cart>('GET', '/api/v1/cart', { token: relogin.body.token });
    assert.equal(elsewhere.body.items.length, 2);
    const removed = await t.request<Cart>('DELETE', `/api/v1/cart/items/${mug.id}`, {
      token: relogin.body.token,
    });
    assert.deepEqual(
      removed.body.items.map((i) => i.productId),
      [tee.id],
    );
    assert.equal(
      (
        await t.request('PUT', `/api/v1/cart/items/${mug.id}`, {
          token: customer.token,
          body: { quantity: 1 },
        })
      ).status,
      404,
    );
  });

  test('a short line warns with the quantity available, and prices shown are current', async () => {
    const lamp = await t.product({ price: 30, stock: 2 });
    const customer = await t.customer();
    await t.request('POST', '/api/v1/cart/items', {
      token: customer.token,
      body: { productId: lamp.id, quantity: 3 },
    });
    await t.request('PATCH', `/api/v1/products/${lamp.id}`, {
      token: await t.adminToken(),
      body: { price: 35 },
    });
    const cart = await t.request<Cart>('GET', '/api/v1/cart', { token: customer.token });
    const line = cart.body.items[0];
    assert.equal(line?.warning?.code, 'insufficient_stock');
    assert.equal(line?.warning?.available, 2);
    assert.equal(line?.price, 35);
    assert.deepEqual(line?.priceChanged, { from: 30, to: 35 });
  });

  test('checkout places the order at current prices and empties the cart; a failed checkout keeps it', async () => {
    const book = await t.product({ price: 15, stock: 5 });
    const customer = await t.customer();
    await t.request('POST', '/api/v1/cart/items', {
      token: customer.token,
      body: { productId: book.id, quantity: 2 },
    });
    const declined = await t.request<ErrorBody>('POST', '/api/v1/cart/checkout', {
      token: customer.token,
      body: { shippingAddress: ADDRESS, paymentMethod: { type: 'card', token: 'tok_chargeDeclined' } },
    });
    assert.equal(declined.status, 402);
    assert.equal(
      (await t.request<Cart>('GET', '/api/v1/cart', { token: customer.token })).body.items.length,
      1,
    );
    const stale = await t.request<ErrorBody>('POST', '/api/v1/cart/checkout', {
      token: customer.token,
      body: {
        shippingAddress: ADDRESS,
        paymentMethod: { type: 'card', token: 'tok_visa' },
        expectedTotal: 20,
      },
    });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.code, 'price_changed');
    const placed = await t.request<Order>('POST', '/api/v1/cart/checkout', {
      token: customer.token,
      body: {
        shippingAddress: ADDRESS,
        paymentMethod: { type: 'card', token: 'tok_visa' },
        expectedTotal: 30,
      },
    });
    assert.equal(placed.status, 201);
    assert.equal(placed.body.total, 30);
    assert.equal(
      (await t.request<Cart>('GET', '/api/v1/cart', { token: customer.token })).body.items.length,
      0,
    );
    const empty = await t.request<ErrorBody>('POST', '/api/v1/cart/checkout', {
      token: customer.token,
      body: { shippingAddress: ADDRESS, paymentMethod: { type: 'card', token: 'tok_visa' } },
    });
    assert.equal(empty.status, 422);
    assert.equal(empty.body.code, 'cart_empty');
  });
});

/** A gateway that charges (or not) and then never answers: the process "died" mid-payment. */
class HangingProvider implements PaymentProvider {
  readonly name = 'sandbox';
  readonly #sandbox: SandboxPaymentProvider;
  readonly #chargeFirst: boolean;
  constructor(sandbox: SandboxPaymentProvider, chargeFirst: boolean) {
    this.#sandbox = sandbox;
    this.#chargeFirst = chargeFirst;
  }
  async charge(request: ChargeRequest): Promise<never> {
    if (this.#chargeFirst) await this.#sandbox.charge(request);
    return new Promise<never>(() => {});
  }
  refund = (r: Parameters<PaymentProvider['refund']>[0]) => this.#sandbox.refund(r);
  status = (q: Parameters<PaymentProvider['status']>[0]) => this.#sandbox.status(q);
}

describe('a crash between reserving and paying heals itself', () => {
  for (const paid of [false, true]) {
    test(
      paid ? 'paid before the crash: recovery confirms the order' : 'not paid: recovery releases the stock',
      async () => {
        let provider: HangingProvider | undefined;
        const t = await createTestApp(
          { RESERVATION_TTL: '1', PAYMENT_RECOVERY_AFTER: '1' },
          {
            paymentProvider: {
              name: 'sandbox',
              charge: (r) => (provider as HangingProvider).charge(r),
              refund: (r) => (provider as HangingProvider).refund(r),
              status: (q) => (provider as HangingProvider).status(q),
            },
          },
        );
        try {
          provider = new HangingProvider(new SandboxPaymentProvider(t.app.database.db), paid);
          const product = await t.product({ price: 9, stock: 3 });
          const customer = await t.customer();
          void t.request('POST', '/api/v1/orders', {
            token: customer.token,
            body: orderBody(customer.id, [{ productId: product.id, quantity: 2, price: 9 }]),
          });
          let order: { id: string; status: string } | undefined;
          for (let i = 0; i < 100 && !order; i++) {
            await new Promise((r) => setTimeout(r, 20));
            order = await t.app.database.db.selectFrom('orders').select(['id', 'status']).executeTakeFirst();
          }
          assert.equal(order?.status, 'pending');
          assert.equal(await available(t, product.id), 1, 'reserved while pending');
          assert.equal(await t.app.services.orders.recoverStalledOrders(), 0, 'too young to recover');
          await new Promise((r) => setTimeout(r, 1100));
          assert.equal(await t.app.services.orders.recoverStalledOrders(), 1);
          const after = await t.request<Order>('GET', `/api/v1/orders/${order?.id}`, {
            token: customer.token,
          });
          assert.equal(after.body.status, paid ? 'confirmed' : 'cancelled');
          assert.equal(await available(t, product.id), paid ? 1 : 3);
          const level = await t.app.database.db
            .selectFrom('stock_level')
            .select(['on_hand', 'reserved'])
            .where('product_id', '=', product.id)
            .executeTakeFirstOrThrow();
          assert.deepEqual([level.on_hand, level.reserved], paid ? [1, 0] : [3, 0]);
          assert.equal(await t.app.services.orders.recoverStalledOrders(), 0, 'a second pass finds nothing');
        } finally {
          await t.close();
        }
      },
    );
  }
});
