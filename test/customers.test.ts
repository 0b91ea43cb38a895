/**
 * The admin's customers (issue 14): the list with its search, sorts and keyset pages, a
 * customer's page with their lifetime value, and who may see them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { migrations } from '../migrations/index.ts';
import { createTestApp, orderBody, type TestApp } from './helpers.ts';
import {
  adminPost,
  getOrder,
  place,
  type Customer,
  type ErrorJson,
  type OrderJson,
} from './orders/support.ts';

interface CustomerSummaryJson {
  id: string;
  name: string;
  email: string;
  createdAt: string;
  ordersCount: number;
  totalSpent: number;
  currency: string;
  lastOrderAt: string | null;
}
interface CustomerListJson {
  items: CustomerSummaryJson[];
  nextCursor: string | null;
}
interface CustomerJson extends CustomerSummaryJson {
  phone: string | null;
  addresses: Array<{ id: string; street: string; city: string }>;
  recentOrders: Array<{ id: string; orderNumber: number; total: number; status: string }>;
}

describe('admin customers', () => {
  let t: TestApp;
  let admin: string;
  const c: Record<string, Customer> = {};
  const orders: Record<string, OrderJson> = {};

  const list = async (query: string) => {
    const res = await t.request<CustomerListJson>('GET', `/api/v1/admin/customers?${query}`, {
      token: admin,
    });
    assert.equal(res.status, 200, `${query}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const allPages = async (query: string, limit: number) => {
    const seen: CustomerSummaryJson[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 50; page++) {
      const body: CustomerListJson = await list(
        `${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      assert.ok(body.items.length <= limit);
      seen.push(...body.items);
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    return seen;
  };

  before(async () => {
    t = await createTestApp();
    admin = await t.adminToken();
    const ten = await t.product({ price: 10, stock: 100 });
    const twenty = await t.product({ price: 20, stock: 100 });
    for (const [key, name] of [
      ['ann', 'Ann Lee'],
      ['bob', 'Bob Stone'],
      ['cara', 'Cara Jones'],
      ['dan', 'Dan Idle'],
      ['eve', 'Eve Stoneham'],
      ['fay', 'Fay Twin'],
    ] as const) {
      c[key] = await t.customer(name);
    }
    orders['ann'] = await place(t, c['ann']!, [[ten, 1]]); // 10
    orders['bob1'] = await place(t, c['bob']!, [[ten, 3]]); // 30
    orders['eve'] = await place(t, c['eve']!, [[twenty, 2]]); // 40, 15 refunded below: 25
    orders['fay'] = await place(t, c['fay']!, [[ten, 1]]); // 10, the same as Ann
    // Cara's card is declined: she has not bought anything
    const declined = await t.request('POST', '/api/v1/orders', {
      token: c['cara']!.token,
      body: orderBody(
        c['cara']!.id,
        [{ productId: ten.id, quantity: 1, price: ten.price }],
        'tok_chargeDeclined',
      ),
    });
    assert.equal(declined.status, 402);
    orders['bob2'] = await place(t, c['bob']!, [[twenty, 1]]); // 20: Bob's 50 in all, and the newest order
    const refund = await adminPost(t, admin, orders['eve'].id, 'refund', { amount: 15, reason: 'damaged' });
    assert.equal(refund.status, 200, JSON.stringify(refund.body));
    const address = await t.request('POST', '/api/v1/account/addresses', {
      token: c['eve']!.token,
      body: { label: 'Home', street: '9 Elm St', city: 'Portland', state: 'OR', zip: '97201' },
    });
    assert.equal(address.status, 201, JSON.stringify(address.body));
  });
  after(() => t.close());

  test('by last order: the newest paid order first; declined-only and order-less accounts are not listed', async () => {
    const items = (await list('limit=100')).items;
    assert.deepEqual(
      items.map((i) => i.id),
      [c['bob']!.id, c['fay']!.id, c['eve']!.id, c['ann']!.id],
    );
    const bob = items[0]!;
    assert.equal(bob.name, 'Bob Stone');
    assert.equal(bob.email, c['bob']!.email);
    assert.equal(bob.ordersCount, 2);
    assert.equal(bob.totalSpent, 50);
    assert.equal(bob.currency, 'USD');
    assert.equal(bob.lastOrderAt, orders['bob2']!.createdAt);
    assert.ok(!Number.isNaN(Date.parse(bob.createdAt)));
  });

  test('by total spent: biggest first, ties in a stable order, the same across pages of any size', async () => {
    const full = (await list('sort=totalSpent&limit=100')).items;
    assert.deepEqual(full.map((i) => [i.id, i.totalSpent]).slice(0, 2), [
      [c['bob']!.id, 50],
      [c['eve']!.id, 25],
    ]);
    assert.deepEqual(
      new Set(full.slice(2).map((i) => i.id)),
      new Set([c['ann']!.id, c['fay']!.id]),
      'the two customers who spent 10 come last',
    );
    for (const limit of [1, 2, 3]) {
      const paged = await allPages('sort=totalSpent', limit);
      assert.deepEqual(
        paged.map((i) => i.id),
        full.map((i) => i.id),
        `pages of ${limit}: no duplicates, no gaps`,
      );
    }
  });

  test('by last order, paged: no duplicates and no gaps', async () => {
    const full = (await list('sort=lastOrder&limit=100')).items.map((i) => i.id);
    for (const limit of [1, 3]) {
      assert.deepEqual(
        (await allPages('sort=lastOrder', limit)).map((i) => i.id),
        full,
      );
    }
  });

  test('search by part of a name or an email, any case', async () => {
    const ids = async (search: string) =>
      (await list(`search=${encodeURIComponent(search)}`)).items.map((i) => i.id);
    assert.deepEqual(await ids('STONE'), [c['bob']!.id, c['eve']!.id]);
    assert.deepEqual(await ids('ann lee'), [c['ann']!.id]);
    assert.deepEqual(await ids(c['fay']!.email.slice(0, 12).toUpperCase()), [c['fay']!.id]);
    assert.deepEqual(await ids('cara'), [], 'Cara has not bought anything');
    assert.deepEqual(await ids('nobody-by-this-name'), []);
    // a LIKE wildcard is a character to find, not "anything"
    assert.deepEqual(await ids('%'), []);
    // pages of a search keep to it
    const paged = await allPages('search=stone&sort=totalSpent', 1);
    assert.deepEqual(
      paged.map((i) => i.id),
      [c['bob']!.id, c['eve']!.id],
    );
  });

  test("a customer's page: lifetime value is what was paid minus what was refunded", async () => {
    const res = await t.request<CustomerJson>('GET', `/api/v1/admin/customers/${c['eve']!.id}`, {
      token: admin,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const order = await getOrder(t, orders['eve']!.id);
    assert.equal(order.payment.amountPaid, 40);
    assert.equal(order.payment.amountRefunded, 15);
    assert.equal(res.body.totalSpent, order.payment.amountPaid - order.payment.amountRefunded);
    assert.equal(res.body.ordersCount, 1);
    assert.equal(res.body.name, 'Eve Stoneham');
    assert.deepEqual(
      res.body.addresses.map((a) => [a.street, a.city]),
      [['9 Elm St', 'Portland']],
    );
    assert.deepEqual(
      res.body.recentOrders.map((o) => [o.id, o.orderNumber, o.total]),
      [[orders['eve']!.id, orders['eve']!.orderNumber, 40]],
    );
  });

  test("a customer's page lists every order, newest first, and counts only the paid ones", async () => {
    const bob = await t.request<CustomerJson>('GET', `/api/v1/admin/customers/${c['bob']!.id}`, {
      token: admin,
    });
    assert.deepEqual(
      bob.body.recentOrders.map((o) => o.id),
      [orders['bob2']!.id, orders['bob1']!.id],
    );
    const cara = await t.request<CustomerJson>('GET', `/api/v1/admin/customers/${c['cara']!.id}`, {
      token: admin,
    });
    assert.equal(cara.status, 200);
    assert.equal(cara.body.recentOrders.length, 1, 'the declined attempt is shown');
    assert.equal(cara.body.recentOrders[0]?.status, 'cancelled');
    assert.equal(cara.body.ordersCount, 0);
    assert.equal(cara.body.totalSpent, 0);
    assert.equal(cara.body.lastOrderAt, null);
  });

  test('a refund of everything brings the value to zero; a new order counts at once', async () => {
    const ten = await t.product({ price: 10, stock: 10 });
    const dan = c['dan']!;
    const order = await place(t, dan, [[ten, 2]]);
    const before = await t.request<CustomerJson>('GET', `/api/v1/admin/customers/${dan.id}`, {
      token: admin,
    });
    assert.equal(before.body.totalSpent, 20);
    assert.equal(before.body.lastOrderAt, order.createdAt);
    const refund = await adminPost(t, admin, order.id, 'refund', { amount: 20 });
    assert.equal(refund.status, 200, JSON.stringify(refund.body));
    const afterRefund = await t.request<CustomerJson>('GET', `/api/v1/admin/customers/${dan.id}`, {
      token: admin,
    });
    assert.equal(afterRefund.body.totalSpent, 0);
    assert.equal(afterRefund.body.ordersCount, 1, 'a refunded order was still bought');
  });

  test("a change's extra charge counts, and so does the refund of a smaller change", async () => {
    const fay = c['fay']!;
    const order = orders['fay']!;
    const productId = order.items[0]!.productId;
    const change = async (quantity: number, extra: Record<string, unknown>) => {
      const res = await t.request<OrderJson>('PATCH', `/api/v1/orders/${order.id}`, {
        token: fay.token,
        body: { items: [{ productId, quantity }], ...extra },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    const value = async () =>
      (await t.request<CustomerJson>('GET', `/api/v1/admin/customers/${fay.id}`, { token: admin })).body;

    await change(3, { paymentMethod: { type: 'card', token: 'tok_visa' }, confirmedAmount: 20 });
    assert.equal((await value()).totalSpent, 30);
    const smaller = await change(2, {});
    assert.equal(smaller.payment.amountRefunded, 10);
    const after = await value();
    assert.equal(after.totalSpent, smaller.payment.amountPaid - smaller.payment.amountRefunded);
    assert.equal(after.totalSpent, 20);
    assert.equal(after.ordersCount, 1, 'a change is not another order');
  });

  test("one customer's checkouts at the same moment are each counted once", async () => {
    // on PostgreSQL these settle in parallel and meet at the customer's row, the last lock taken
    const shopper = await t.customer('Gus Rush');
    const product = await t.product({ price: 3, stock: 50 });
    const placed = await Promise.all(
      Array.from({ length: 12 }, (_, i) => place(t, shopper, [[product, 1 + (i % 3)]])),
    );
    const res = await t.request<CustomerJson>('GET', `/api/v1/admin/customers/${shopper.id}`, {
      token: admin,
    });
    assert.equal(res.body.ordersCount, 12);
    assert.equal(
      res.body.totalSpent,
      placed.reduce((sum, o) => sum + o.total, 0),
    );
    const newest = placed
      .map((o) => o.createdAt)
      .sort()
      .at(-1);
    assert.equal(res.body.lastOrderAt, newest);
  });

  test('an unknown customer is a 404; a malformed id or query a 400', async () => {
    const unknown = await t.request<ErrorJson>(
      'GET',
      '/api/v1/admin/customers/00000000-0000-4000-8000-000000000000',
      {
        token: admin,
      },
    );
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 'not_found');
    const malformed = await t.request<ErrorJson>('GET', '/api/v1/admin/customers/not-an-id', {
      token: admin,
    });
    assert.equal(malformed.status, 400);
    for (const query of ['sort=name', 'limit=0', 'limit=101', 'cursor=garbage', 'search=']) {
      const res = await t.request<ErrorJson>('GET', `/api/v1/admin/customers?${query}`, { token: admin });
      assert.equal(res.status, 400, query);
      assert.ok(res.body.code, query);
    }
    // a cursor of the other sort is refused, not misread
    const page = await list('sort=lastOrder&limit=1');
    assert.ok(page.nextCursor);
    const crossed = await t.request<ErrorJson>(
      'GET',
      `/api/v1/admin/customers?sort=totalSpent&cursor=${encodeURIComponent(page.nextCursor)}`,
      { token: admin },
    );
    assert.equal(crossed.status, 400);
    assert.equal(crossed.body.code, 'invalid_cursor');
  });

  test('the figures kept by each payment and refund are the ones recounted from the payments', async () => {
    // migration 0016 counts existing orders by the same rule: running it again over everything
    // these tests did must give back exactly what the write path kept
    const kept = (await list('sort=totalSpent&limit=100')).items;
    const { up, down } = migrations['0016_customer_order_summary'] ?? {};
    assert.ok(up !== undefined && down !== undefined, 'migration 0016 goes both ways');
    await down(t.app.database.db);
    await up(t.app.database.db);
    assert.deepEqual((await list('sort=totalSpent&limit=100')).items, kept);
    assert.ok(kept.length >= 5);
  });

  test('only an admin sees customers', async () => {
    for (const url of ['/api/v1/admin/customers', `/api/v1/admin/customers/${c['ann']!.id}`]) {
      assert.equal((await t.request('GET', url)).status, 401, url);
      assert.equal((await t.request('GET', url, { token: c['ann']!.token })).status, 403, url);
    }
  });
});
