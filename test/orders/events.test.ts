/**
 * Every event the orders context writes matches its schema in src/orders/events.ts, with no field
 * the schema does not name: the notification context and the NATS relay rely on those shapes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ORDER_EVENTS, type OrderEventType } from '../../src/orders/events.ts';
import { createTestApp, orderBody, type TestApp } from '../helpers.ts';
import { NEW_ADDRESS, SHIPMENT, adminPost, place, type ErrorJson } from './support.ts';

describe('order events', () => {
  let t: TestApp;
  let admin: string;

  before(async () => {
    t = await createTestApp();
    admin = await t.adminToken();
  });
  after(async () => {
    await t?.close();
  });

  test('each event of a whole lifecycle parses with its schema, strictly', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 10, stock: 20 });
    const shipped = await place(t, customer, [[product, 1]]);
    const changed = await t.request('PATCH', `/api/v1/orders/${shipped.id}`, {
      token: customer.token,
      body: {
        items: [{ productId: product.id, quantity: 2 }],
        shippingAddress: NEW_ADDRESS,
        paymentMethod: { type: 'card', token: 'tok_visa' },
        confirmedAmount: 10,
      },
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal((await adminPost(t, admin, shipped.id, 'ship', SHIPMENT)).status, 200);
    assert.equal((await adminPost(t, admin, shipped.id, 'deliver')).status, 200);
    const cancelled = await place(t, customer, [[product, 1]]);
    const cancel = await t.request('POST', `/api/v1/orders/${cancelled.id}/cancel`, {
      token: customer.token,
      body: { reason: 'Changed my mind' },
    });
    assert.equal(cancel.status, 200);
    const declined = await t.request<ErrorJson>('POST', '/api/v1/orders', {
      token: customer.token,
      body: orderBody(customer.id, [{ productId: product.id, quantity: 1, price: 10 }], 'tok_chargeDeclined'),
    });
    assert.equal(declined.status, 402);

    const events = await t.app.database.db
      .selectFrom('outbox')
      .select(['type', 'payload'])
      .where('context', '=', 'orders')
      .orderBy('sequence')
      .execute();
    const seen = new Set<string>();
    for (const event of events) {
      assert.ok(Object.hasOwn(ORDER_EVENTS, event.type), `${event.type} has a schema`);
      const schema = ORDER_EVENTS[event.type as OrderEventType].strict();
      const parsed = schema.safeParse(event.payload);
      assert.ok(parsed.success, `${event.type}: ${JSON.stringify(parsed.error?.issues)}`);
      seen.add(event.type);
    }
    assert.deepEqual([...seen].sort(), Object.keys(ORDER_EVENTS).sort());
    const reasons = events
      .filter((e) => e.type === 'OrderCancelled')
      .map((e) => [e.payload['reason'], e.payload['actor']]);
    assert.deepEqual(reasons, [
      ['Changed my mind', 'customer'],
      ['payment_declined', 'system'],
    ]);
  });
});
