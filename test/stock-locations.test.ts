/**
 * Stock at several locations (ADR 0026): placement takes each variant from one location by the
 * shop's rule, a shipment marks the paid units shipped (moving them when it leaves from elsewhere),
 * a cancel puts back only what has not shipped, a return restocks where it is received.
 * PGlite, or PostgreSQL with TEST_DATABASE_URL.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { AppError } from '../src/platform/errors.ts';
import { createTestApp, type TestApp } from './helpers.ts';
import { eventsOf, place, type Customer, type Product } from './orders/support.ts';

let t: TestApp;
let adminId: string;
let customer: Customer;
let main: { id: string; name: string };
let east: { id: string };

before(async () => {
  t = await createTestApp();
  await t.adminToken();
  const admin = await t.app.database.db
    .selectFrom('account')
    .select('id')
    .where('role', '=', 'admin')
    .executeTakeFirstOrThrow();
  adminId = admin.id;
  customer = await t.customer();
  main = await t.app.services.inventory.defaultLocation(t.app.database.db);
  east = await t.app.services.inventory.createLocation({ name: 'East depot', code: 'EAST' }, adminId);
});
after(async () => {
  await t.close();
});

const inventory = () => t.app.services.inventory;
const db = () => t.app.database.db;

/** on hand / reserved of a variant at each location, by location name */
async function levels(variantId: string): Promise<Record<string, string>> {
  const rows = await db()
    .selectFrom('stock_level')
    .innerJoin('stock_location', 'stock_location.id', 'stock_level.location_id')
    .select(['stock_location.code', 'on_hand', 'reserved'])
    .where('variant_id', '=', variantId)
    .execute();
  return Object.fromEntries(rows.map((r) => [r.code, `${r.on_hand}/${r.reserved}`]));
}

async function productWith(main: number, atEast: number): Promise<Product> {
  const product = await t.product({ price: 10, stock: main });
  if (atEast > 0) await inventory().adjust(product.id, 'set', atEast, adminId, east.id);
  return product;
}

async function refusal(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => assert.fail('expected a refusal'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof AppError, String(error));
  return error;
}

describe('the default location', () => {
  test('a shop starts with one: Main warehouse, where new stock and unnamed adjustments go', async () => {
    assert.equal(main.name, 'Main warehouse');
    const product = await t.product({ stock: 4 });
    await inventory().adjust(product.id, 'add', 2, adminId);
    assert.deepEqual(await levels(product.id), { MAIN: '6/0' });
    const names = (await inventory().listLocations(db())).map((l) => l.code);
    assert.deepEqual(names.slice(0, 2), ['MAIN', 'EAST']);
  });
});

describe('placement', () => {
  test('priority: each variant from the first location that has all of it, never split', async () => {
    const a = await productWith(1, 5);
    const b = await productWith(5, 5);
    const order = await place(t, customer, [
      [a, 2],
      [b, 2],
    ]);
    assert.deepEqual(await levels(a.id), { MAIN: '1/0', EAST: '3/0' });
    assert.deepEqual(await levels(b.id), { MAIN: '3/0', EAST: '5/0' });
    const allocations = await inventory().allocations(db(), order.id);
    assert.deepEqual(
      allocations.map((x) => [x.variantId, x.locationId, x.quantity]).sort(),
      [
        [a.id, east.id, 2],
        [b.id, main.id, 2],
      ].sort(),
    );
  });

  test('whole_order: one location for the whole order when one can; a split is refused with the sum', async () => {
    await inventory().setAllocationRule('whole_order', adminId);
    try {
      const a = await productWith(1, 5);
      const b = await productWith(5, 5);
      const order = await place(t, customer, [
        [a, 2],
        [b, 2],
      ]);
      assert.deepEqual(
        new Set((await inventory().allocations(db(), order.id)).map((x) => x.locationId)),
        new Set([east.id]),
      );
      const c = await productWith(2, 2);
      const res = await t.request<{ code: string; details: { shortages: Array<{ available: number }> } }>(
        'POST',
        '/api/v1/orders',
        {
          token: customer.token,
          body: {
            customerId: customer.id,
            items: [{ productId: c.id, quantity: 3, price: 10 }],
            shippingAddress: { street: '1 Main St', city: 'Springfield', state: 'IL', zip: '62701' },
            paymentMethod: { type: 'card', token: 'tok_visa' },
          },
        },
      );
      assert.equal(res.status, 409, JSON.stringify(res.body));
      assert.equal(res.body.code, 'out_of_stock');
      assert.deepEqual(await levels(c.id), { MAIN: '2/0', EAST: '2/0' });
    } finally {
      await inventory().setAllocationRule('priority', adminId);
    }
  });
});

describe('shipping, cancelling and returning', () => {
  test('a shipment from the allocated location marks the units shipped; a cancel puts back only the rest', async () => {
    const p = await productWith(5, 0);
    const order = await place(t, customer, [[p, 3]]);
    assert.deepEqual(await levels(p.id), { MAIN: '2/0' });
    await db()
      .transaction()
      .execute((trx) => inventory().ship(trx, order.id, main.id, [{ variantId: p.id, quantity: 1 }]));
    assert.deepEqual(await inventory().allocations(db(), order.id), [
      { variantId: p.id, locationId: main.id, quantity: 2 },
    ]);
    assert.deepEqual(await levels(p.id), { MAIN: '2/0' });
    const res = await t.request('POST', `/api/v1/orders/${order.id}/cancel`, {
      token: customer.token,
      body: { reason: 'Changed my mind' },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(await levels(p.id), { MAIN: '4/0' });
    assert.deepEqual(await inventory().allocations(db(), order.id), []);
  });

  test('a shipment from another location moves the units: back on the shelf where allocated, off where shipped', async () => {
    const p = await productWith(5, 4);
    const order = await place(t, customer, [[p, 3]]);
    assert.deepEqual(await levels(p.id), { MAIN: '2/0', EAST: '4/0' });
    await db()
      .transaction()
      .execute((trx) => inventory().ship(trx, order.id, east.id, [{ variantId: p.id, quantity: 2 }]));
    assert.deepEqual(await levels(p.id), { MAIN: '4/0', EAST: '2/0' });
    assert.deepEqual(await inventory().allocations(db(), order.id), [
      { variantId: p.id, locationId: main.id, quantity: 1 },
    ]);
    const shipped = (await eventsOf(t, order.id)).filter((e) => e.type === 'StockShipped');
    assert.deepEqual(
      shipped.map((e) => [e.payload['quantity'], e.payload['locationId'], e.payload['allocatedAt']]),
      [[2, east.id, main.id]],
    );

    const tooMany = await refusal(
      db()
        .transaction()
        .execute((trx) => inventory().ship(trx, order.id, main.id, [{ variantId: p.id, quantity: 2 }])),
    );
    assert.equal(tooMany.statusCode, 409);
    assert.equal(tooMany.code, 'not_allocated');
  });

  test('a location without the free units refuses the shipment with what is short, and nothing moves', async () => {
    const p = await productWith(5, 1);
    const order = await place(t, customer, [[p, 3]]);
    const error = await refusal(
      db()
        .transaction()
        .execute((trx) => inventory().ship(trx, order.id, east.id, [{ variantId: p.id, quantity: 3 }])),
    );
    assert.equal(error.statusCode, 409);
    assert.equal(error.code, 'insufficient_stock_at_location');
    assert.deepEqual(error.details, {
      locationId: east.id,
      shortages: [{ variantId: p.id, requested: 3, available: 1 }],
    });
    assert.deepEqual(await levels(p.id), { MAIN: '2/0', EAST: '1/0' });
    assert.deepEqual(await inventory().allocations(db(), order.id), [
      { variantId: p.id, locationId: main.id, quantity: 3 },
    ]);
  });

  test('returned units go back on the shelf where the return is received, with the reason', async () => {
    const p = await productWith(5, 0);
    const order = await place(t, customer, [[p, 2]]);
    await db()
      .transaction()
      .execute(async (trx) => {
        await inventory().ship(trx, order.id, main.id, [{ variantId: p.id, quantity: 2 }]);
        await inventory().restockAt(trx, order.id, east.id, [{ variantId: p.id, quantity: 1 }], 'returned');
      });
    assert.deepEqual(await levels(p.id), { MAIN: '3/0', EAST: '1/0' });
    const released = (await eventsOf(t, order.id)).filter((e) => e.type === 'StockReleased');
    assert.deepEqual(
      released.map((e) => [e.payload['quantity'], e.payload['locationId'], e.payload['reason']]),
      [[1, east.id, 'returned']],
    );
  });

  test('an order with paid units reserves more (an exchange); commit takes only the new reservation', async () => {
    const p = await productWith(5, 0);
    const order = await place(t, customer, [[p, 2]]);
    await db()
      .transaction()
      .execute(async (trx) => {
        const reserved = await inventory().reserve(trx, order.id, [{ variantId: p.id, quantity: 1 }]);
        assert.ok(reserved.ok);
      });
    assert.deepEqual(await levels(p.id), { MAIN: '3/1' });
    const committed = await db()
      .transaction()
      .execute((trx) => inventory().commit(trx, order.id));
    assert.deepEqual(committed, [{ variantId: p.id, quantity: 1 }]);
    assert.deepEqual(await levels(p.id), { MAIN: '2/0' });
    assert.deepEqual(await inventory().allocations(db(), order.id), [
      { variantId: p.id, locationId: main.id, quantity: 3 },
    ]);
  });
});

describe('locations, transfers and per-location stock through the API', () => {
  const api = async <T = Record<string, unknown>>(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT',
    url: string,
    body?: unknown,
  ) => t.request<T>(method, `/api/v1${url}`, { token: await t.adminToken(), body });

  test('a location is created with a unique code, listed by priority; bad input is a 400 that changes nothing', async () => {
    const created = await api<{ id: string; code: string; priority: number }>(
      'POST',
      '/admin/stock-locations',
      {
        name: 'North shop',
        code: 'north-1',
      },
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.code, 'NORTH-1');
    const again = await api('POST', '/admin/stock-locations', { name: 'Other', code: 'NORTH-1' });
    assert.equal(again.status, 409);
    assert.equal(again.body['code'], 'location_taken');
    const bad = await api('POST', '/admin/stock-locations', { name: '', code: 'no spaces' });
    assert.equal(bad.status, 400);
    const list = await api<{ items: Array<{ code: string; priority: number }> }>(
      'GET',
      '/admin/stock-locations',
    );
    const priorities = list.body.items.map((l) => l.priority);
    assert.deepEqual(
      priorities,
      [...priorities].sort((a, b) => a - b),
    );
    assert.equal(list.body.items.filter((l) => l.code === 'NORTH-1').length, 1);
    const taken = await api('PATCH', `/admin/stock-locations/${created.body.id}`, { priority: 1 });
    assert.equal(taken.status, 409);
    assert.equal(taken.body['code'], 'location_taken');
  });

  test('a transfer moves free units, is listed, audited and published; too few moves nothing', async () => {
    const p = await productWith(6, 0);
    const moved = await api<{
      id: string;
      items: Array<{ variantId: string; quantity: number; name: string }>;
    }>('POST', '/admin/stock-transfers', {
      fromLocationId: main.id,
      toLocationId: east.id,
      items: [{ variantId: p.id, quantity: 4 }],
      note: 'restock east',
    });
    assert.equal(moved.status, 201, JSON.stringify(moved.body));
    assert.deepEqual(moved.body.items, [
      { variantId: p.id, quantity: 4, sku: moved.body.items[0]?.sku, name: p.name },
    ]);
    assert.deepEqual(await levels(p.id), { MAIN: '2/0', EAST: '4/0' });

    const short = await api('POST', '/admin/stock-transfers', {
      fromLocationId: main.id,
      toLocationId: east.id,
      items: [{ variantId: p.id, quantity: 3 }],
    });
    assert.equal(short.status, 409);
    assert.equal(short.body['code'], 'insufficient_stock_at_location');
    assert.deepEqual(short.body['details'], {
      locationId: main.id,
      shortages: [{ variantId: p.id, requested: 3, available: 2 }],
    });
    assert.deepEqual(await levels(p.id), { MAIN: '2/0', EAST: '4/0' });
    const same = await api('POST', '/admin/stock-transfers', {
      fromLocationId: main.id,
      toLocationId: main.id,
      items: [{ variantId: p.id, quantity: 1 }],
    });
    assert.equal(same.status, 409);

    const listed = await api<{ items: Array<{ id: string; note: string | null }> }>(
      'GET',
      `/admin/stock-transfers?locationId=${east.id}`,
    );
    assert.equal(listed.body.items[0]?.id, moved.body.id);
    assert.equal(listed.body.items[0]?.note, 'restock east');
    const events = await db()
      .selectFrom('outbox')
      .select('payload')
      .where('type', '=', 'StockTransferred')
      .where(sql<boolean>`payload->>'transferId' = ${moved.body.id}`)
      .execute();
    assert.equal(events.length, 1);
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', moved.body.id)
      .execute();
    assert.deepEqual(audit, [{ action: 'stock.transfer' }]);
  });

  test('two transfers of the last free units at once: exactly one moves them', async () => {
    const p = await productWith(3, 0);
    const body = {
      fromLocationId: main.id,
      toLocationId: east.id,
      items: [{ variantId: p.id, quantity: 2 }],
    };
    const results = await Promise.all([
      api('POST', '/admin/stock-transfers', body),
      api('POST', '/admin/stock-transfers', body),
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), [201, 409]);
    assert.deepEqual(await levels(p.id), { MAIN: '1/0', EAST: '2/0' });
  });

  test('the inventory per location, stock adjusted there, and a location with stock stays active', async () => {
    const depot = await api<{ id: string }>('POST', '/admin/stock-locations', {
      name: 'West depot',
      code: 'WEST',
    });
    const p = await productWith(5, 0);
    const adjusted = await api<{ onHand: number; locationId: string }>('POST', `/variants/${p.id}/stock`, {
      operation: 'add',
      quantity: 7,
      locationId: depot.body.id,
    });
    assert.equal(adjusted.status, 200, JSON.stringify(adjusted.body));
    assert.deepEqual([adjusted.body.onHand, adjusted.body.locationId], [7, depot.body.id]);
    type Items = { items: Array<{ variantId: string; onHand: number }> };
    const search = encodeURIComponent(p.name);
    const atWest = await api<Items>('GET', `/admin/inventory?locationId=${depot.body.id}&search=${search}`);
    const atEast = await api<Items>('GET', `/admin/inventory?locationId=${east.id}&search=${search}`);
    const total = await api<Items>('GET', `/admin/inventory?search=${search}`);
    const of = (r: { body: Items }) => r.body.items.find((i) => i.variantId === p.id)?.onHand;
    assert.deepEqual([of(atWest), of(atEast), of(total)], [7, 0, 12]);
    const unknown = await api('GET', `/admin/inventory?locationId=${randomUUID()}`);
    assert.equal(unknown.status, 404);

    const inUse = await api('PATCH', `/admin/stock-locations/${depot.body.id}`, { active: false });
    assert.equal(inUse.status, 409);
    assert.equal(inUse.body['code'], 'location_in_use');
    await api('POST', `/variants/${p.id}/stock`, {
      operation: 'set',
      quantity: 0,
      locationId: depot.body.id,
    });
    const off = await api<{ active: boolean }>('PATCH', `/admin/stock-locations/${depot.body.id}`, {
      active: false,
    });
    assert.equal(off.status, 200, JSON.stringify(off.body));
    assert.equal(off.body.active, false);
    const closed = await api('POST', `/variants/${p.id}/stock`, {
      operation: 'add',
      quantity: 1,
      locationId: depot.body.id,
    });
    assert.equal(closed.status, 409);
    assert.equal(closed.body['code'], 'location_inactive');
  });

  test('the allocation rule is read and set by the admin', async () => {
    const set = await api('PUT', '/admin/inventory/allocation-rule', { rule: 'whole_order' });
    assert.equal(set.status, 200);
    assert.deepEqual((await api('GET', '/admin/inventory/allocation-rule')).body, { rule: 'whole_order' });
    assert.equal((await api('PUT', '/admin/inventory/allocation-rule', { rule: 'nearest' })).status, 400);
    await api('PUT', '/admin/inventory/allocation-rule', { rule: 'priority' });
  });
});
