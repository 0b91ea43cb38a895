/**
 * `createShipment` with an `Idempotency-Key`: the same request sent again (a retry after a lost
 * answer, a double click) makes one shipment and answers the same; the same key with another body
 * is refused as order placement and refunds refuse it (422 `idempotency_key_reused`), with nothing
 * shipped; the same request sent twice at once still makes one shipment. Two admins shipping the
 * same lines under different keys (or none) at once is the race in shipments.test.ts: one
 * shipment, one 409, because both wait for the order's lock.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers.ts';
import {
  eventsOf,
  place,
  type Customer,
  type ErrorJson,
  type OrderJson,
  type Product,
} from '../orders/support.ts';

interface ShipmentJson {
  id: string;
  number: number;
  trackingNumber: string;
  lines: Array<{ lineId: string; quantity: number }>;
}
type Answer = { shipment: ShipmentJson; order: OrderJson };

describe('a shipment with an Idempotency-Key', () => {
  let t: TestApp;
  let admin: string;
  let customer: Customer;
  let shirt: Product;

  before(async () => {
    t = await createTestApp();
    admin = await t.adminToken();
    customer = await t.customer();
    shirt = await t.product({ price: 20, stock: 50 });
  });
  after(async () => {
    await t?.close();
  });

  /** an order of three shirts: one shipment of one of them leaves two to ship */
  const order = async () => {
    const placed = await place(t, customer, [[shirt, 3]]);
    const line = placed.items[0];
    assert.ok(line);
    return { id: placed.id, lineId: line.id };
  };
  const ship = (orderId: string, body: Record<string, unknown>, key?: string) =>
    t.request<Answer & ErrorJson>('POST', `/api/v1/admin/orders/${orderId}/shipments`, {
      token: admin,
      body,
      ...(key !== undefined && { headers: { 'idempotency-key': key } }),
    });
  const shipped = async (orderId: string) =>
    (await t.app.services.fulfilment.lineProgress(t.app.database.db, orderId)).reduce(
      (n, l) => n + l.shipped,
      0,
    );
  const created = async (orderId: string) =>
    (await eventsOf(t, orderId)).filter((e) => e.type === 'ShipmentCreated').length;
  const oneShirt = (lineId: string, trackingNumber = '1Z999AA10123456784') => ({
    carrier: 'UPS',
    trackingNumber,
    lines: [{ lineId, quantity: 1 }],
  });

  test('sent twice with the same key: one shipment, the same answer both times', async () => {
    const o = await order();
    const first = await ship(o.id, oneShirt(o.lineId), 'ship-once-1');
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const again = await ship(o.id, oneShirt(o.lineId), 'ship-once-1');
    assert.equal(again.status, 201, JSON.stringify(again.body));
    assert.deepEqual(again.body, first.body, 'the same shipment and the same order, word for word');
    assert.equal(await shipped(o.id), 1, 'one shirt left, two still to ship');
    assert.equal(await created(o.id), 1, 'one ShipmentCreated: the customer is told once');
    const list = await t.request<{ items: ShipmentJson[] }>('GET', `/api/v1/orders/${o.id}/shipments`, {
      token: admin,
    });
    assert.deepEqual(
      list.body.items.map((s) => s.id),
      [first.body.shipment.id],
    );

    // without a key, or with another one, the same body is a new shipment: the key is what repeats
    const other = await ship(o.id, oneShirt(o.lineId), 'ship-once-2');
    assert.equal(other.status, 201);
    assert.equal(other.body.shipment.number, 2);
    assert.equal(await shipped(o.id), 2);
  });

  test('the same key with another body: 422 idempotency_key_reused, as placement and refunds answer, and nothing ships', async () => {
    const o = await order();
    const first = await ship(o.id, oneShirt(o.lineId), 'ship-reused');
    assert.equal(first.status, 201, JSON.stringify(first.body));
    for (const body of [
      oneShirt(o.lineId, '1Z999AA10123456799'),
      { ...oneShirt(o.lineId), lines: [{ lineId: o.lineId, quantity: 2 }] },
      { carrier: 'UPS', trackingNumber: '1Z999AA10123456784' },
    ]) {
      const reused = await ship(o.id, body, 'ship-reused');
      assert.equal(reused.status, 422, JSON.stringify(reused.body));
      assert.equal(reused.body.code, 'idempotency_key_reused');
    }
    assert.equal(await shipped(o.id), 1);
    assert.equal(await created(o.id), 1);

    // what order placement answers for a reused key with another body: the same status and code
    const product = await t.product({ price: 5, stock: 5 });
    const place = (quantity: number) =>
      t.request<ErrorJson>('POST', '/api/v1/orders', {
        token: customer.token,
        headers: { 'idempotency-key': 'place-reused' },
        body: {
          customerId: customer.id,
          items: [{ productId: product.id, quantity, price: 5 }],
          shippingAddress: { street: '1 Main St', city: 'Springfield', state: 'IL', zip: '62701' },
          paymentMethod: { type: 'card', token: 'tok_visa' },
        },
      });
    assert.equal((await place(1)).status, 201);
    const placement = await place(2);
    assert.deepEqual([placement.status, placement.body.code], [422, 'idempotency_key_reused']);
  });

  test("a key belongs to its order: another order's shipment under the same key is its own", async () => {
    const a = await order();
    const b = await order();
    const first = await ship(a.id, oneShirt(a.lineId), 'ship-per-order');
    const second = await ship(b.id, oneShirt(b.lineId), 'ship-per-order');
    assert.deepEqual([first.status, second.status], [201, 201]);
    assert.notEqual(first.body.shipment.id, second.body.shipment.id);
    assert.equal(second.body.shipment.lines[0]?.lineId, b.lineId);
    assert.deepEqual([await shipped(a.id), await shipped(b.id)], [1, 1]);
  });

  test('the same request sent twice at once: one shipment, both answered with it', async () => {
    const o = await order();
    const answers = await Promise.all([
      ship(o.id, oneShirt(o.lineId), 'ship-at-once'),
      ship(o.id, oneShirt(o.lineId), 'ship-at-once'),
    ]);
    assert.deepEqual(
      answers.map((a) => a.status),
      [201, 201],
      JSON.stringify(answers.map((a) => a.body)),
    );
    assert.equal(answers[0]?.body.shipment.id, answers[1]?.body.shipment.id);
    assert.equal(await shipped(o.id), 1);
    assert.equal(await created(o.id), 1);
  });
});
