/**
 * Refunds through Stripe that do not go through at once (issue 13): a refund that meets a gateway
 * outage is retried by the refund job with the same idempotency key until it succeeds, or ends
 * `failed` on the order's timeline with an email to the shop; a refused refund stays refused when
 * repeated; the key Stripe gets fits its 255 characters; the admin's reason reaches Stripe and the
 * timeline. The official SDK against the Stripe double; PGlite, or PostgreSQL with TEST_DATABASE_URL.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import Stripe from 'stripe';
import { stripeApiAddress } from '../src/payment/stripe.ts';
import { startStripeDouble, type StripeDouble } from './doubles/stripe-double.ts';
import { createTestApp, orderBody, type TestApp } from './helpers.ts';

const SECRET = `sk_test_refunds${randomBytes(16).toString('hex')}`;
const SHOP = 'shop@refunds.test';
const MAX_ATTEMPTS = 3;

interface OrderJson {
  id: string;
  status: string;
  payment: { status: string; amountPaid: number; amountRefunded: number };
}
interface ErrorJson {
  code: string;
  message: string;
}

let double: StripeDouble;
let stripe: Stripe;
let t: TestApp;

before(async () => {
  double = await startStripeDouble({ apiKey: SECRET });
  stripe = new Stripe(SECRET, { ...stripeApiAddress(double.url), maxNetworkRetries: 0 });
  t = await createTestApp(
    { PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: SECRET, STRIPE_API_URL: double.url, SHOP_EMAIL: SHOP },
    {
      stripe: { timeoutMs: 1000, maxNetworkRetries: 0 },
      // every retry due at once, so the test drives the job tick by tick instead of waiting
      refundRetry: { baseDelayMs: 0, maxDelayMs: 0, leaseMs: 0, maxAttempts: MAX_ATTEMPTS },
    },
  );
});
after(async () => {
  await t.close();
  await double.close();
});

const db = () => t.app.database.db;

async function paidOrder(price: number) {
  const product = await t.product({ price, stock: 5 });
  const customer = await t.customer();
  const res = await t.request<OrderJson>('POST', '/api/v1/orders', {
    token: customer.token,
    body: orderBody(customer.id, [{ productId: product.id, quantity: 1, price }]),
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const intent = await db()
    .selectFrom('payment')
    .select('provider_payment_id')
    .where('order_id', '=', res.body.id)
    .executeTakeFirstOrThrow();
  return { orderId: res.body.id, paymentIntentId: String(intent.provider_payment_id) };
}

async function refund(orderId: string, body: { amount: number; reason?: string }, key: string) {
  return t.request<OrderJson & ErrorJson>('POST', `/api/v1/admin/orders/${orderId}/refund`, {
    token: await t.adminToken(),
    body,
    headers: { 'idempotency-key': key },
  });
}

async function getOrder(orderId: string): Promise<OrderJson> {
  const res = await t.request<OrderJson>('GET', `/api/v1/orders/${orderId}`, { token: await t.adminToken() });
  assert.equal(res.status, 200);
  return res.body;
}

async function timeline(orderId: string): Promise<string[]> {
  const res = await t.request<{ items: Array<{ summary: string }> }>(
    'GET',
    `/api/v1/orders/${orderId}/timeline`,
    {
      token: await t.adminToken(),
    },
  );
  return res.body.items.map((i) => i.summary);
}

const refundRows = (orderId: string) =>
  db()
    .selectFrom('refund')
    .select(['status', 'attempts', 'failure_code', 'amount_minor'])
    .where('order_id', '=', orderId)
    .execute();

const outboxTypes = async (orderId: string) =>
  (
    await db()
      .selectFrom('outbox')
      .select('type')
      .where('aggregate_id', '=', orderId)
      .orderBy('sequence')
      .execute()
  ).map((r) => r.type);

const refundCalls = () => double.requests.filter((r) => r.method === 'POST' && r.path === '/v1/refunds');

describe('a refund that meets a gateway outage', () => {
  test('is retried by the job with the same key once Stripe is back, and recorded as if it had worked at once', async () => {
    const direct = await paidOrder(40);
    const retried = await paidOrder(40);
    assert.equal((await refund(direct.orderId, { amount: 15, reason: 'Scratched' }, 'direct')).status, 200);

    double.failNext({ method: 'POST', path: '/v1/refunds', times: 1 });
    const down = await refund(retried.orderId, { amount: 15, reason: 'Scratched' }, 'retried');
    assert.equal(down.status, 502, JSON.stringify(down.body));
    assert.equal(down.body.code, 'payment_unavailable');
    assert.match(down.body.message, /will be retried automatically/);
    assert.deepEqual(await refundRows(retried.orderId), [
      { status: 'pending', attempts: 1, failure_code: null, amount_minor: 1500 },
    ]);
    assert.equal((await getOrder(retried.orderId)).payment.status, 'paid');

    double.failNext({ method: 'POST', path: '/v1/refunds', times: 1 });
    assert.equal(await t.app.services.payment.retryDueRefunds(t.app.services.orders.refundSettlement()), 1);
    assert.equal((await refundRows(retried.orderId))[0]?.status, 'pending', 'still down: still pending');

    await t.app.jobs.refunds.tick(); // Stripe is back
    assert.deepEqual(await refundRows(retried.orderId), [
      { status: 'succeeded', attempts: 3, failure_code: null, amount_minor: 1500 },
    ]);
    const key = `orderly-${retried.orderId}-admin-retried:0`;
    assert.deepEqual(
      refundCalls()
        .filter((r) => r.idempotencyKey === key)
        .map((r) => r.status),
      [500, 500, 200],
      'every attempt under the one key',
    );
    assert.deepEqual(
      double.refunds(retried.paymentIntentId).map((r) => [r.amount, r.status]),
      [[1500, 'succeeded']],
    );
    const [directOrder, retriedOrder] = [await getOrder(direct.orderId), await getOrder(retried.orderId)];
    assert.deepEqual(retriedOrder.payment, directOrder.payment);
    assert.deepEqual(retriedOrder.payment, {
      status: 'partially_refunded',
      amountPaid: 40,
      amountRefunded: 15,
    });
    const refundEntry = (lines: string[]) => lines.filter((s) => s.startsWith('Refund'));
    assert.deepEqual(
      refundEntry(await timeline(retried.orderId)),
      refundEntry(await timeline(direct.orderId)),
    );
    assert.deepEqual(refundEntry(await timeline(retried.orderId)), ['Refunded $15.00: Scratched']);
    assert.equal((await outboxTypes(retried.orderId)).filter((e) => e === 'RefundIssued').length, 1);

    await t.app.jobs.refunds.tick();
    assert.equal(double.refunds(retried.paymentIntentId).length, 1, 'nothing left to retry');
  });

  test('ends failed after the last attempt: on the timeline, the hold given back, the shop emailed', async () => {
    const { orderId, paymentIntentId } = await paidOrder(30);
    double.failNext({ method: 'POST', path: '/v1/refunds', times: MAX_ATTEMPTS });
    const down = await refund(orderId, { amount: 30, reason: 'Never arrived' }, 'doomed');
    assert.equal(down.status, 502);
    for (let i = 1; i < MAX_ATTEMPTS; i++) await t.app.jobs.refunds.tick();
    assert.deepEqual(await refundRows(orderId), [
      { status: 'failed', attempts: MAX_ATTEMPTS, failure_code: 'unavailable', amount_minor: 3000 },
    ]);
    assert.deepEqual(double.refunds(paymentIntentId), []);
    const order = await getOrder(orderId);
    assert.deepEqual(order.payment, { status: 'paid', amountPaid: 30, amountRefunded: 0 });
    assert.ok(
      (await timeline(orderId)).includes(
        `Refund of $30.00 failed: the payment provider could not be reached in ${MAX_ATTEMPTS} attempts`,
      ),
    );
    assert.ok((await outboxTypes(orderId)).includes('RefundFailed'));
    const hold = await db()
      .selectFrom('payment')
      .select('refunded_minor')
      .where('order_id', '=', orderId)
      .executeTakeFirstOrThrow();
    assert.equal(hold.refunded_minor, 0, 'the amount can be refunded again');

    await t.app.outbox.drain();
    const mail = await db()
      .selectFrom('notification')
      .select(['recipient', 'template', 'subject', 'body_text'])
      .where('order_id', '=', orderId)
      .where('template', '=', 'shop_refund_failed')
      .execute();
    assert.equal(mail.length, 1);
    assert.equal(mail[0]?.recipient, SHOP);
    assert.match(mail[0]?.subject ?? '', /^Refund of \$30\.00 for order .+ failed$/);
    assert.match(mail[0]?.body_text ?? '', /Never arrived/);

    const again = await refund(orderId, { amount: 30, reason: 'Never arrived' }, 'doomed');
    assert.equal(again.status, 422, 'the same key repeats the failure');
    assert.equal(again.body.code, 'refund_failed');
    const fresh = await refund(orderId, { amount: 30, reason: 'Never arrived' }, 'second-try');
    assert.equal(fresh.status, 200, JSON.stringify(fresh.body));
    assert.equal(fresh.body.payment.status, 'refunded');
  });
});

describe('refusals, keys and reasons', () => {
  test('a refused refund repeated with the same Idempotency-Key is refused again, and nothing is refunded', async () => {
    const { orderId, paymentIntentId } = await paidOrder(50);
    await stripe.refunds.create({ payment_intent: paymentIntentId, amount: 4500 }); // the dashboard
    const first = await refund(orderId, { amount: 10 }, 'refused-key');
    assert.equal(first.status, 422, JSON.stringify(first.body));
    assert.equal(first.body.code, 'refund_refused');
    const second = await refund(orderId, { amount: 10 }, 'refused-key');
    assert.equal(second.status, 422, JSON.stringify(second.body));
    assert.equal(second.body.code, 'refund_refused');
    assert.equal(double.refunds(paymentIntentId).length, 1, 'only the dashboard refund');
    assert.deepEqual(await refundRows(orderId), [
      { status: 'failed', attempts: 1, failure_code: 'refused', amount_minor: 1000 },
    ]);
    assert.ok((await timeline(orderId)).includes('Refund of $10.00 failed: the payment provider refused it'));
  });

  test('a client key of 255 characters still refunds: Stripe gets a key of at most 255, the same on a retry', async () => {
    for (const length of [203, 255]) {
      const { orderId, paymentIntentId } = await paidOrder(20);
      const clientKey = 'k'.repeat(length);
      const done = await refund(orderId, { amount: 5 }, clientKey);
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.equal(done.body.payment.amountRefunded, 5);
      const repeat = await refund(orderId, { amount: 5 }, clientKey);
      assert.equal(repeat.status, 200);
      assert.equal(double.refunds(paymentIntentId).length, 1, 'the same key refunds once');
      const keys = refundCalls()
        .slice(-1)
        .map((r) => r.idempotencyKey ?? '');
      assert.ok(keys.every((k) => k.length > 0 && k.length <= 255));
    }
  });

  test("the admin's reason reaches Stripe as metadata and the order's timeline", async () => {
    const { orderId, paymentIntentId } = await paidOrder(25);
    const reason = 'Arrived broken; customer sent photos';
    assert.equal((await refund(orderId, { amount: 25, reason }, 'with-reason')).status, 200);
    const [made] = double.refunds(paymentIntentId);
    assert.deepEqual(made?.metadata, { reason });
    const listed = await stripe.refunds.list({ payment_intent: paymentIntentId });
    assert.equal(listed.data[0]?.metadata?.['reason'], reason);
    assert.ok((await timeline(orderId)).includes(`Refunded $25.00: ${reason}`));
  });
});
