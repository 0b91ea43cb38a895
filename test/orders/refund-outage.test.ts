/**
 * A refund interrupted by a gateway outage is finished by a retry with the same key.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers.ts';
import {
  type OrderJson,
  place,
  eventsOf,
  refundsOf,
  timeline,
  getOrder,
  adminPost,
  FlakyGateway,
} from './support.ts';

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
