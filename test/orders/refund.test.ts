/**
 * Refunds by an admin: partial, repeated with the same key, above what is left, after a cancellation,
 * and one interrupted by a gateway outage.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers.ts';
import { place, eventsOf, refundsOf, gatewayCalls, timeline, snapshot, adminPost } from './support.ts';

describe('refunds', () => {
  let t: TestApp;
  let admin: string;

  before(async () => {
    t = await createTestApp();
    admin = await t.adminToken();
  });
  after(async () => {
    await t?.close();
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
});
