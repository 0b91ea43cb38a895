/**
 * The payment gateway times out or answers 5xx. The SDK retries a bounded number of times, always
 * with the order's idempotency key, so Stripe holds at most one PaymentIntent per order; then the
 * shopper gets a clean failure with a sentence that says what happened to their money. When
 * Orderly cannot know (every attempt timed out while the first may still be running at Stripe),
 * the order is held, not cancelled, and the recovery job settles it from what Stripe says.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startStripeDouble, type StripeDouble } from '../doubles/stripe-double.ts';
import { createTestApp, orderBody, type TestApp } from '../helpers.ts';
import { NEEDS_POSTGRES } from './support.ts';

const SECRET = `sk_test_faults${randomBytes(12).toString('hex')}`;
const PER_ATTEMPT_MS = 300;

interface Body {
  id?: string;
  status?: string;
  code?: string;
  message?: string;
  details?: Record<string, unknown>;
}

describe('gateway timeouts and 5xx', { skip: NEEDS_POSTGRES }, () => {
  let double: StripeDouble;
  let t: TestApp;
  let customer: { token: string; id: string };

  before(async () => {
    double = await startStripeDouble({ apiKey: SECRET });
    t = await createTestApp(
      {
        PAYMENT_PROVIDER: 'stripe',
        STRIPE_SECRET_KEY: SECRET,
        STRIPE_API_URL: double.url,
        PAYMENT_RECOVERY_AFTER: '1',
      },
      { stripe: { timeoutMs: PER_ATTEMPT_MS, maxNetworkRetries: 2 } },
    );
    customer = await t.customer('Gail');
  });
  after(async () => {
    await t.close();
    await double.close();
  });

  const key = (orderId: string) => `orderly-${orderId}-placement`;
  const attempts = (orderId: string) => double.requests.filter((r) => r.idempotencyKey === key(orderId));
  const intentsOf = (orderId: string) =>
    double.requests.filter(
      (r) => r.idempotencyKey === key(orderId) && r.method === 'POST' && r.status === 200,
    );
  async function place(price: number) {
    const product = await t.product({ price, stock: 3 });
    const res = await t.request<Body>('POST', '/api/v1/orders', {
      token: customer.token,
      body: orderBody(customer.id, [{ productId: product.id, quantity: 1, price }]),
    });
    const orderId = res.body.id ?? String(res.body.details?.['orderId']);
    return { res, orderId, productId: product.id };
  }
  const row = (orderId: string) =>
    t.app.database.db
      .selectFrom('orders')
      .select(['status', 'payment_status'])
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
  const stock = (productId: string) =>
    t.app.database.db
      .selectFrom('stock_level')
      .select(['on_hand', 'reserved'])
      .where('product_id', '=', productId)
      .executeTakeFirstOrThrow();

  test('two 500s, then success: three attempts under one key, one PaymentIntent, confirmed', async () => {
    double.failNext({ method: 'POST', path: '/v1/payment_intents', times: 2 });
    const { res, orderId } = await place(11);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.status, 'confirmed');
    assert.deepEqual(
      attempts(orderId)
        .filter((r) => r.method === 'POST')
        .map((r) => r.status),
      [500, 500, 200],
    );
    assert.equal(intentsOf(orderId).length, 1);
  });

  test('500 on every attempt: exactly 1 + 2 retries, then 502 "not charged", the order cancelled, the stock back', async () => {
    double.failNext({ method: 'POST', path: '/v1/payment_intents', times: 3 });
    const { res, orderId, productId } = await place(12);
    assert.equal(res.status, 502);
    assert.equal(res.body.code, 'payment_unavailable');
    assert.match(res.body.message ?? '', /could not be reached and your card was not charged/);
    assert.deepEqual(
      attempts(orderId)
        .filter((r) => r.method === 'POST')
        .map((r) => r.status),
      [500, 500, 500],
    );
    assert.equal(intentsOf(orderId).length, 0);
    assert.deepEqual(await row(orderId), { status: 'cancelled', payment_status: 'failed' });
    assert.deepEqual(await stock(productId), { on_hand: 3, reserved: 0 });
  });

  test('every attempt times out while Stripe is still working on the first: held, never "not charged", then confirmed', async () => {
    // The first attempt is held at Stripe far longer than the client waits for all three.
    double.delayNext(2_500, { method: 'POST', path: '/v1/payment_intents' });
    const { res, orderId, productId } = await place(13);
    assert.equal(res.status, 502, JSON.stringify(res.body));
    assert.equal(res.body.code, 'payment_pending', 'Orderly cannot know yet whether the card was charged');
    assert.match(res.body.message ?? '', /confirmed or cancelled automatically/);
    assert.doesNotMatch(res.body.message ?? '', /not charged/);
    assert.ok(attempts(orderId).filter((r) => r.method === 'POST').length <= 3, 'bounded retries');
    assert.deepEqual(await row(orderId), { status: 'pending', payment_status: 'pending' });
    assert.deepEqual(await stock(productId), { on_hand: 3, reserved: 1 }, 'the stock stays held');
    // Stripe finishes the first attempt; the recovery job asks and settles.
    await sleep(2_600);
    assert.equal(intentsOf(orderId).length, 1, 'one PaymentIntent');
    await t.app.services.orders.recoverStalledOrders();
    assert.deepEqual(await row(orderId), { status: 'confirmed', payment_status: 'paid' });
    assert.deepEqual(await stock(productId), { on_hand: 2, reserved: 0 });
  });

  test('a dropped connection after Stripe processed the charge: the retry replays it, one intent, confirmed', async () => {
    double.dropNext({ method: 'POST', path: '/v1/payment_intents', after: 'processed' });
    const { res, orderId } = await place(14);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.status, 'confirmed');
    assert.equal(double.requests.filter((r) => r.idempotencyKey === key(orderId) && r.replayed).length, 1);
  });
});
