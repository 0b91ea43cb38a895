/**
 * The admin ships an order with its tracking number, then marks it delivered.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers.ts';
import { place, eventsOf, getOrder, adminPost, SHIPMENT } from './support.ts';

describe('ship and deliver', () => {
  let t: TestApp;
  let admin: string;

  before(async () => {
    t = await createTestApp();
    admin = await t.adminToken();
  });
  after(async () => {
    await t?.close();
  });

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
});
