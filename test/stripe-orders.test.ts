/**
 * The whole order flow with `PAYMENT_PROVIDER=stripe` (issue 5): Orderly's HTTP API, its Stripe
 * adapter and the official `stripe` SDK against the wire-level Stripe double, webhooks signed with
 * the SDK's `generateTestHeaderString`. Runs on PGlite and, with TEST_DATABASE_URL, on PostgreSQL,
 * where the race tests also hold the order's row lock so that the webhook and the synchronous
 * answer really meet at it.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import Stripe from 'stripe';
import { stripeApiAddress } from '../src/payment/stripe.ts';
import { createLogger } from '../src/platform/logger.ts';
import { startStripeDouble, type StripeDouble, type StripeEventJson } from './doubles/stripe-double.ts';
import { createTestApp, onPostgres, orderBody, type TestApp } from './helpers.ts';

const SECRET = `sk_test_orderly${randomBytes(16).toString('hex')}`;
const WEBHOOK_SECRET = `whsec_${randomBytes(16).toString('hex')}`;

interface OrderJson {
  id: string;
  status: string;
  total: number;
  currency: string;
  payment: { status: string; amountPaid: number; amountRefunded: number; clientSecret?: string };
  cancellationReason: string | null;
}
interface ErrorJson {
  code: string;
  message: string;
  details: Record<string, unknown>;
}
interface Reply<T> {
  status: number;
  body: T;
}

let double: StripeDouble;
let t: TestApp;
/** The official client used directly: Stripe's dashboard, and the webhook signer. */
let stripe: Stripe;
/** Every log line the app wrote, and every response body it sent. */
const logLines: string[] = [];
const responses: string[] = [];

before(async () => {
  double = await startStripeDouble({ apiKey: SECRET });
  stripe = new Stripe(SECRET, { ...stripeApiAddress(double.url), maxNetworkRetries: 0 });
  t = await createTestApp(
    {
      PAYMENT_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: SECRET,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_URL: double.url,
      LOG_LEVEL: 'info',
    },
    {
      logger: createLogger('info', { write: (line: string) => void logLines.push(line) }),
      // short enough for the timeout test; every retry reuses the key, so a slow machine stays correct
      stripe: { timeoutMs: 1000 },
    },
  );
});
after(async () => {
  await t.close();
  await double.close();
});

// ------------------------------------------------------------------ helpers

async function call<T>(
  method: 'GET' | 'POST',
  url: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const res = await t.request<T>(method, url, options);
  responses.push(JSON.stringify(res.body));
  return { status: res.status, body: res.body };
}

/** A new customer places an order for one line of `product`. */
async function order(
  product: { id: string; price: number },
  options: { quantity?: number; card?: string } = {},
) {
  const customer = await t.customer();
  const res = await call<OrderJson & ErrorJson>('POST', '/api/v1/orders', {
    token: customer.token,
    body: orderBody(
      customer.id,
      [{ productId: product.id, quantity: options.quantity ?? 1, price: product.price }],
      options.card ?? 'tok_visa',
    ),
  });
  return { res, customer };
}

function signed(event: StripeEventJson, secret = WEBHOOK_SECRET) {
  const payload = JSON.stringify(event);
  return { payload, header: stripe.webhooks.generateTestHeaderString({ payload, secret }) };
}

/** Delivers an event to `POST /webhooks/stripe` as Stripe does: the raw JSON and its signature. */
async function deliver(
  event: StripeEventJson,
  options: { secret?: string; payload?: string; header?: string | null } = {},
): Promise<Reply<{ received?: boolean; result?: string } & Partial<ErrorJson>>> {
  const { payload, header } = signed(event, options.secret);
  const signature = options.header === undefined ? header : options.header;
  const res = await t.app.server.inject({
    method: 'POST',
    url: '/webhooks/stripe',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      ...(signature === null ? {} : { 'stripe-signature': signature }),
    },
    payload: options.payload ?? payload,
  });
  responses.push(res.body);
  return { status: res.statusCode, body: res.json() };
}

const db = () => t.app.database.db;
const placementKey = (orderId: string) => `orderly-${orderId}-placement`;

async function paymentRows(orderId: string) {
  return db()
    .selectFrom('payment')
    .select([
      'provider',
      'provider_payment_id',
      'idempotency_key',
      'amount_minor',
      'status',
      'refunded_minor',
    ])
    .where('order_id', '=', orderId)
    .execute();
}

async function intentOf(orderId: string): Promise<string> {
  const [row] = await paymentRows(orderId);
  assert.ok(row?.provider_payment_id, `a PaymentIntent recorded for ${orderId}`);
  return row.provider_payment_id;
}

async function outboxTypes(orderId: string): Promise<string[]> {
  const rows = await db()
    .selectFrom('outbox')
    .select('type')
    .where('aggregate_id', '=', orderId)
    .orderBy('sequence')
    .execute();
  return rows.map((r) => r.type);
}

const count = (types: string[], type: string) => types.filter((x) => x === type).length;

async function stock(productId: string) {
  return db()
    .selectFrom('stock_level')
    .select(['on_hand', 'reserved'])
    .where('product_id', '=', productId)
    .executeTakeFirstOrThrow();
}

async function getOrder(orderId: string): Promise<OrderJson> {
  const res = await call<OrderJson>('GET', `/api/v1/orders/${orderId}`, { token: await t.adminToken() });
  assert.equal(res.status, 200);
  return res.body;
}

async function timeline(orderId: string): Promise<string[]> {
  const res = await call<{ items: Array<{ summary: string }> }>('GET', `/api/v1/orders/${orderId}/timeline`, {
    token: await t.adminToken(),
  });
  return res.body.items.map((i) => i.summary);
}

function eventFor(type: string, paymentIntentId: string): StripeEventJson {
  const event = double
    .events(type)
    .findLast(
      (e) => e.data.object['id'] === paymentIntentId || e.data.object['payment_intent'] === paymentIntentId,
    );
  assert.ok(event, `a ${type} event for ${paymentIntentId}`);
  return event;
}

/** Waits for the next `payment_intent.succeeded` after `seen` events of that type. */
async function nextSucceededEvent(seen: number): Promise<StripeEventJson> {
  for (let i = 0; i < 1000; i++) {
    const event = double.events('payment_intent.succeeded')[seen];
    if (event) return event;
    await sleep(5);
  }
  throw new Error('no payment_intent.succeeded event arrived');
}

const orderIdOf = (event: StripeEventJson) =>
  String((event.data.object['metadata'] as Record<string, string>)['order_id']);

/** The idempotency keys of the refunds Stripe carried out. */
function refundKeys(): string[] {
  return double.requests
    .filter((r) => r.method === 'POST' && r.path === '/v1/refunds' && r.status === 200)
    .map((r) => r.idempotencyKey ?? '');
}

// ------------------------------------------------------------------ placing orders

describe('placing an order through Stripe', () => {
  test('a card payment is one PaymentIntent for the order total, with the order id and a key from the order', async () => {
    const product = await t.product({ price: 29.99, stock: 5 });
    const created = double.intentsCreated();
    const { res } = await order(product, { quantity: 2 });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.status, 'confirmed');
    assert.equal(res.body.payment.status, 'paid');
    assert.equal(res.body.payment.amountPaid, 59.98);
    assert.equal(double.intentsCreated(), created + 1);

    const paymentIntentId = await intentOf(res.body.id);
    const intent = await stripe.paymentIntents.retrieve(paymentIntentId);
    assert.equal(intent.amount, 5998, 'the total in minor units');
    assert.equal(intent.amount_received, 5998);
    assert.equal(intent.currency, 'usd');
    assert.equal(intent.status, 'succeeded');
    assert.deepEqual(intent.metadata, { order_id: res.body.id, idempotency_key: placementKey(res.body.id) });
    assert.deepEqual(
      double.requests
        .filter((r) => r.method === 'POST' && r.path === '/v1/payment_intents')
        .filter((r) => r.idempotencyKey === placementKey(res.body.id))
        .map((r) => r.status),
      [200],
    );
    assert.deepEqual(
      (await paymentRows(res.body.id)).map((r) => [
        r.provider,
        r.provider_payment_id,
        r.amount_minor,
        r.status,
      ]),
      [['stripe', paymentIntentId, 5998, 'succeeded']],
    );
    assert.deepEqual(await outboxTypes(res.body.id), ['OrderPlaced', 'PaymentProcessed', 'OrderConfirmed']);
    assert.deepEqual(await stock(product.id), { on_hand: 3, reserved: 0 });
  });

  const declines: Array<[card: string, code: string, declineCode: string, message: string]> = [
    [
      'tok_chargeDeclined',
      'card_declined',
      'generic_decline',
      'Your card was declined. Try another card or contact your bank.',
    ],
    [
      'tok_chargeDeclinedInsufficientFunds',
      'card_declined',
      'insufficient_funds',
      'Your card has insufficient funds. Try another card.',
    ],
    [
      'tok_chargeDeclinedExpiredCard',
      'expired_card',
      'expired_card',
      'Your card has expired. Try another card.',
    ],
    [
      'tok_chargeDeclinedIncorrectCvc',
      'incorrect_cvc',
      'incorrect_cvc',
      "Your card's security code (CVC) is incorrect. Check it and try again.",
    ],
    [
      'pm_card_chargeDeclinedProcessingError',
      'processing_error',
      'processing_error',
      'Your card could not be processed. Try again in a moment.',
    ],
    // Fraud-related codes get the generic sentence: a fraudster learns nothing.
    [
      'tok_chargeDeclinedFraudulent',
      'card_declined',
      'fraudulent',
      'Your card was declined. Try another card or contact your bank.',
    ],
    [
      'tok_chargeDeclinedLostCard',
      'card_declined',
      'lost_card',
      'Your card was declined. Try another card or contact your bank.',
    ],
    [
      'pm_card_chargeDeclinedStolenCard',
      'card_declined',
      'stolen_card',
      'Your card was declined. Try another card or contact your bank.',
    ],
  ];
  for (const [card, code, declineCode, message] of declines) {
    test(`${card}: 402 with Stripe's decline code ${declineCode}, a shopper sentence, the stock released`, async () => {
      const product = await t.product({ price: 12.5, stock: 3 });
      const { res } = await order(product, { quantity: 2, card });
      assert.equal(res.status, 402, JSON.stringify(res.body));
      assert.equal(res.body.code, 'payment_declined');
      assert.equal(res.body.message, message);
      assert.equal(res.body.details['code'], code);
      assert.equal(res.body.details['declineCode'], declineCode);
      assert.deepEqual(await stock(product.id), { on_hand: 3, reserved: 0 }, 'stock released');
      const orderId = String(res.body.details['orderId']);
      const placed = await getOrder(orderId);
      assert.equal(placed.status, 'cancelled');
      assert.equal(placed.cancellationReason, 'payment_declined');
      assert.equal(placed.payment.status, 'failed');
      const rows = await paymentRows(orderId);
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.status, 'failed');
      assert.match(rows[0]?.provider_payment_id ?? '', /^pi_/);
      assert.deepEqual(await outboxTypes(orderId), ['OrderPlaced', 'PaymentFailed', 'OrderCancelled']);

      // Stripe's own payment_failed webhook for it changes nothing more.
      const delivered = await deliver(eventFor('payment_intent.payment_failed', await intentOf(orderId)));
      assert.equal(delivered.status, 200);
      assert.deepEqual(await outboxTypes(orderId), ['OrderPlaced', 'PaymentFailed', 'OrderCancelled']);
      assert.deepEqual(await stock(product.id), { on_hand: 3, reserved: 0 });
    });
  }

  test('3-D Secure: 201 pending with the client secret, then the signed succeeded webhook confirms it', async () => {
    const product = await t.product({ price: 40, stock: 4 });
    const { res, customer } = await order(product, { card: 'pm_card_threeDSecure2Required' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.status, 'pending');
    assert.equal(res.body.payment.status, 'requires_action');
    const paymentIntentId = await intentOf(res.body.id);
    assert.match(res.body.payment.clientSecret ?? '', new RegExp(`^${paymentIntentId}_secret_`));
    assert.deepEqual(
      await stock(product.id),
      { on_hand: 4, reserved: 1 },
      'held while the customer authenticates',
    );

    const delivered = await deliver(double.succeed(paymentIntentId));
    assert.deepEqual(delivered, { status: 200, body: { received: true, result: 'processed' } });
    const confirmed = await call<OrderJson>('GET', `/api/v1/orders/${res.body.id}`, {
      token: customer.token,
    });
    assert.equal(confirmed.body.status, 'confirmed');
    assert.equal(confirmed.body.payment.status, 'paid');
    assert.equal(confirmed.body.payment.amountPaid, 40);
    assert.equal(confirmed.body.payment.clientSecret, undefined, 'the secret is only in the placing answer');
    assert.deepEqual(await stock(product.id), { on_hand: 3, reserved: 0 });
    assert.deepEqual(await outboxTypes(res.body.id), ['OrderPlaced', 'PaymentProcessed', 'OrderConfirmed']);
    assert.deepEqual(
      (await paymentRows(res.body.id)).map((r) => [r.provider_payment_id, r.status]),
      [[paymentIntentId, 'succeeded']],
    );
  });

  test('3-D Secure failed: the payment_failed webhook cancels the order and releases the stock', async () => {
    const product = await t.product({ price: 40, stock: 4 });
    const { res } = await order(product, { card: 'pm_card_threeDSecure2Required' });
    assert.equal(res.status, 201);
    const paymentIntentId = await intentOf(res.body.id);
    const delivered = await deliver(double.fail(paymentIntentId));
    assert.equal(delivered.status, 200);
    const failed = await getOrder(res.body.id);
    assert.equal(failed.status, 'cancelled');
    assert.equal(failed.cancellationReason, 'payment_declined');
    assert.equal(failed.payment.status, 'failed');
    assert.deepEqual(await stock(product.id), { on_hand: 4, reserved: 0 });
    const failure = await db()
      .selectFrom('outbox')
      .select('payload')
      .where('aggregate_id', '=', res.body.id)
      .where('type', '=', 'PaymentFailed')
      .executeTakeFirstOrThrow();
    assert.equal(failure.payload['code'], 'payment_intent_authentication_failure');
  });

  test('a timeout, then the SDK retries under the same key: one PaymentIntent, one payment', async () => {
    const product = await t.product({ price: 15, stock: 2 });
    const created = double.intentsCreated();
    // Longer than the app's 1 s per-attempt timeout; the retry comes 0.5 s later and gets the result.
    double.delayNext(1300, { method: 'POST', path: '/v1/payment_intents' });
    const { res } = await order(product);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.status, 'confirmed');
    assert.equal(double.intentsCreated(), created + 1, 'charged once');
    assert.deepEqual(
      double.requests.filter((r) => r.idempotencyKey === placementKey(res.body.id)).map((r) => r.replayed),
      [false, true],
      'the second attempt was a replay of the first',
    );
    assert.equal((await paymentRows(res.body.id)).length, 1);
    assert.equal(double.capturedAmount(await intentOf(res.body.id)), 1500);
  });

  test('Stripe refusing the request itself (an amount below its minimum): 402 with its code, no 500', async () => {
    const product = await t.product({ price: 0.3, stock: 2 });
    const created = double.intentsCreated();
    const { res } = await order(product);
    assert.equal(res.status, 402, JSON.stringify(res.body));
    assert.equal(res.body.code, 'payment_declined');
    assert.equal(res.body.details['code'], 'amount_too_small');
    assert.equal(double.intentsCreated(), created);
    assert.deepEqual(await stock(product.id), { on_hand: 2, reserved: 0 });
    assert.equal((await getOrder(String(res.body.details['orderId']))).status, 'cancelled');
  });

  test('Stripe failing on every attempt: 502 payment_unavailable, nothing charged, the stock released', async () => {
    const product = await t.product({ price: 15, stock: 2 });
    const created = double.intentsCreated();
    double.failNext({ method: 'POST', path: '/v1/payment_intents', times: 3 });
    const { res } = await order(product, { quantity: 2 });
    assert.equal(res.status, 502, JSON.stringify(res.body));
    assert.equal(res.body.code, 'payment_unavailable');
    assert.match(res.body.message, /not charged/);
    const orderId = String(res.body.details['orderId']);
    assert.deepEqual(
      double.requests.filter((r) => r.idempotencyKey === placementKey(orderId)).map((r) => r.status),
      [500, 500, 500],
    );
    assert.equal(double.intentsCreated(), created);
    assert.deepEqual(await stock(product.id), { on_hand: 2, reserved: 0 });
    const cancelled = await getOrder(orderId);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.cancellationReason, 'payment_unavailable');
    assert.deepEqual(await paymentRows(orderId), []);
  });
});

// ------------------------------------------------------------------ webhooks

describe('webhooks and the synchronous answer', () => {
  test('the same event delivered again is answered 200 and changes nothing', async () => {
    const product = await t.product({ price: 20, stock: 5 });
    const { res } = await order(product, { card: 'pm_card_threeDSecure2Required' });
    const paymentIntentId = await intentOf(res.body.id);
    const event = double.succeed(paymentIntentId);
    assert.equal((await deliver(event)).body.result, 'processed');
    const before = await outboxTypes(res.body.id);
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(await deliver(event), { status: 200, body: { received: true, result: 'duplicate' } });
    }
    assert.deepEqual(await outboxTypes(res.body.id), before);
    assert.equal(count(before, 'OrderConfirmed'), 1);
    assert.equal((await paymentRows(res.body.id)).length, 1);
    assert.deepEqual(await stock(product.id), { on_hand: 4, reserved: 0 });
    const stored = await db()
      .selectFrom('webhook_event')
      .select(['provider', 'type'])
      .where('event_id', '=', event.id)
      .execute();
    assert.deepEqual(stored, [{ provider: 'stripe', type: 'payment_intent.succeeded' }]);
  });

  test('the webhook before the synchronous answer: confirmed once, one payment row', async () => {
    const product = await t.product({ price: 35, stock: 3 });
    const seen = double.events('payment_intent.succeeded').length;
    // Stripe charges but the answer is lost, and so is the first retry: the SDK's third attempt
    // (a replay) comes 1–1.5 s later, and the webhook is delivered in between.
    double.dropNext({ method: 'POST', path: '/v1/payment_intents', after: 'processed' });
    double.dropNext({ method: 'POST', path: '/v1/payment_intents' });
    let answered = false;
    const placing = order(product, { quantity: 2 }).finally(() => {
      answered = true;
    });
    const event = await nextSucceededEvent(seen);
    const orderId = orderIdOf(event);
    assert.equal((await deliver(event)).body.result, 'processed');
    assert.equal(answered, false, 'the webhook was handled before the synchronous answer arrived');
    assert.equal((await getOrder(orderId)).status, 'confirmed', 'the webhook alone confirms it');

    const { res } = await placing;
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.id, orderId);
    assert.equal(res.body.status, 'confirmed');
    assert.equal(res.body.payment.status, 'paid');
    const types = await outboxTypes(orderId);
    assert.deepEqual(types, ['OrderPlaced', 'PaymentProcessed', 'OrderConfirmed']);
    assert.equal((await paymentRows(orderId)).length, 1);
    assert.deepEqual(await stock(product.id), { on_hand: 1, reserved: 0 }, 'sold once');
  });

  test('the webhook and the synchronous answer at the same moment: confirmed once, one payment row', async () => {
    const product = await t.product({ price: 18, stock: 3 });
    const seen = double.events('payment_intent.succeeded').length;
    double.dropNext({ method: 'POST', path: '/v1/payment_intents', after: 'processed' });
    double.dropNext({ method: 'POST', path: '/v1/payment_intents' });
    const placing = order(product);
    const event = await nextSucceededEvent(seen);
    const orderId = orderIdOf(event);

    // On PostgreSQL, hold the order's row lock until both wait at it, then let go: they meet there.
    const holder = onPostgres ? new pg.Client({ connectionString: t.database.url }) : null;
    if (holder) {
      await holder.connect();
      await holder.query('begin');
      await holder.query('select id from orders where id = $1 for update', [orderId]);
    }
    const delivering = deliver(event);
    if (holder) {
      // Another session watches: pg_stat_activity is a snapshot that stays fixed within a transaction.
      const observer = new pg.Client({ connectionString: t.database.url });
      await observer.connect();
      try {
        let waiting = 0;
        for (let i = 0; i < 400 && waiting < 2; i++) {
          await sleep(25);
          const { rows } = await observer.query<{ n: number }>(
            `select count(*)::int as n from pg_stat_activity
              where datname = current_database() and wait_event_type = 'Lock'`,
          );
          waiting = rows[0]?.n ?? 0;
        }
        assert.equal(waiting, 2, 'the webhook and the synchronous answer both wait at the order');
      } finally {
        await observer.end();
        await holder.query('commit');
        await holder.end();
      }
    }
    const [delivered, { res }] = await Promise.all([delivering, placing]);
    assert.equal(delivered.status, 200);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.status, 'confirmed');
    const types = await outboxTypes(orderId);
    assert.equal(count(types, 'OrderConfirmed'), 1);
    assert.equal(count(types, 'PaymentProcessed'), 1);
    assert.equal((await paymentRows(orderId)).length, 1);
    assert.deepEqual(await stock(product.id), { on_hand: 2, reserved: 0 });
  });

  test('duplicate deliveries, an admin confirm and the recorded answer all at once: confirmed once', async () => {
    const product = await t.product({ price: 22, stock: 3 });
    const { res } = await order(product, { card: 'pm_card_threeDSecure2Required' });
    const paymentIntentId = await intentOf(res.body.id);
    const event = double.succeed(paymentIntentId);
    const admin = await t.adminToken();
    const results = await Promise.all([
      deliver(event),
      deliver(event),
      deliver(event),
      call('POST', `/api/v1/admin/orders/${res.body.id}/confirm`, { token: admin }),
      call('POST', `/api/v1/admin/orders/${res.body.id}/confirm`, { token: admin }),
      t.app.services.orders.settlePayment(res.body.id, {
        status: 'succeeded',
        paymentId: paymentIntentId,
        amount: { amount: 2200, currency: 'USD' },
      }),
    ]);
    for (const r of results.slice(0, 3)) assert.equal(r?.status, 200);
    for (const r of results.slice(3, 5)) assert.ok([200, 409].includes(r?.status ?? 0), String(r?.status));
    const types = await outboxTypes(res.body.id);
    assert.equal(count(types, 'OrderConfirmed'), 1);
    assert.equal(count(types, 'PaymentProcessed'), 1);
    assert.deepEqual(
      (await paymentRows(res.body.id)).map((r) => [r.provider_payment_id, r.status]),
      [[paymentIntentId, 'succeeded']],
    );
    assert.deepEqual(await stock(product.id), { on_hand: 2, reserved: 0 });
    assert.equal((await getOrder(res.body.id)).status, 'confirmed');
  });

  test('a failure delivered after the success (Stripe sends out of order) does not undo it', async () => {
    const product = await t.product({ price: 22, stock: 3 });
    const { res } = await order(product, { card: 'pm_card_threeDSecure2Required' });
    const paymentIntentId = await intentOf(res.body.id);
    // The customer's first 3-D Secure attempt failed, the second succeeded; the success arrives first.
    const failed = double.fail(paymentIntentId);
    await stripe.paymentIntents.confirm(paymentIntentId, { payment_method: 'pm_card_threeDSecure2Required' });
    const succeeded = double.succeed(paymentIntentId);
    assert.equal((await deliver(succeeded)).status, 200);
    assert.equal((await deliver(failed)).status, 200);
    const settled = await getOrder(res.body.id);
    assert.equal(settled.status, 'confirmed');
    assert.equal(settled.payment.status, 'paid');
    assert.equal(count(await outboxTypes(res.body.id), 'OrderCancelled'), 0);

    // And the other way round: the failure first is checked against the intent as it is now.
    const second = await order(product, { card: 'pm_card_threeDSecure2Required' });
    const secondIntent = await intentOf(second.res.body.id);
    const firstFailure = double.fail(secondIntent);
    await stripe.paymentIntents.confirm(secondIntent, { payment_method: 'pm_card_threeDSecure2Required' });
    const thenSuccess = double.succeed(secondIntent);
    assert.equal((await deliver(firstFailure)).status, 200);
    assert.equal((await getOrder(second.res.body.id)).status, 'confirmed', 'Stripe says it succeeded');
    assert.equal((await deliver(thenSuccess)).status, 200);
    const types = await outboxTypes(second.res.body.id);
    assert.equal(count(types, 'OrderConfirmed'), 1);
    assert.equal(count(types, 'OrderCancelled'), 0);
    assert.deepEqual(await stock(product.id), { on_hand: 1, reserved: 0 });
  });

  test('a bad signature is a 400 and changes nothing; the genuine delivery still works after', async () => {
    const product = await t.product({ price: 30, stock: 2 });
    const { res } = await order(product, { card: 'pm_card_threeDSecure2Required' });
    const paymentIntentId = await intentOf(res.body.id);
    const event = double.succeed(paymentIntentId);
    const before = await outboxTypes(res.body.id);
    const { payload, header } = signed(event);
    assert.ok(payload.includes('"amount_received":3000'));
    const attempts = [
      await deliver(event, { secret: `whsec_${randomBytes(16).toString('hex')}` }),
      await deliver(event, {
        payload: payload.replace('"amount_received":3000', '"amount_received":1'),
        header,
      }),
      await deliver(event, { payload: payload.replace(paymentIntentId, 'pi_someone_else'), header }),
      await deliver(event, { header: null }),
      await deliver(event, { header: 't=1,v1=deadbeef' }),
    ];
    for (const attempt of attempts) {
      assert.equal(attempt.status, 400);
      assert.equal(attempt.body.code, 'invalid_signature');
      assert.equal(typeof attempt.body.message, 'string');
    }
    assert.deepEqual(await outboxTypes(res.body.id), before);
    assert.equal((await getOrder(res.body.id)).status, 'pending');
    assert.deepEqual(
      await db().selectFrom('webhook_event').select('event_id').where('event_id', '=', event.id).execute(),
      [],
    );
    assert.equal((await deliver(event)).body.result, 'processed');
    assert.equal((await getOrder(res.body.id)).status, 'confirmed');
  });

  test('Stripe unreachable while a failure is checked: 503 so that Stripe delivers it again, nothing changed', async () => {
    const product = await t.product({ price: 30, stock: 2 });
    const { res } = await order(product, { card: 'pm_card_threeDSecure2Required' });
    const paymentIntentId = await intentOf(res.body.id);
    const event = double.fail(paymentIntentId);
    double.failNext({ method: 'GET', path: `/v1/payment_intents/${paymentIntentId}`, times: 3 });
    const refused = await deliver(event);
    assert.equal(refused.status, 503);
    assert.equal(refused.body.code, 'retry_later');
    assert.equal((await getOrder(res.body.id)).status, 'pending');
    assert.deepEqual(await stock(product.id), { on_hand: 2, reserved: 1 });
    const again = await deliver(event);
    assert.deepEqual(again, { status: 200, body: { received: true, result: 'processed' } });
    assert.equal((await getOrder(res.body.id)).status, 'cancelled');
    assert.deepEqual(await stock(product.id), { on_hand: 2, reserved: 0 });
  });

  test('intents Orderly did not create are acknowledged and ignored', async () => {
    const product = await t.product({ price: 30, stock: 2 });
    const { res } = await order(product);
    const ours = await intentOf(res.body.id);
    const orderRowsBefore = await db().selectFrom('orders').select(['id', 'status', 'version']).execute();
    const paymentRowsBefore = await db().selectFrom('payment').select('id').execute();
    const metadatas: Array<Record<string, string>> = [
      {},
      { order_id: 'not-a-uuid' },
      { order_id: randomUUID() },
      // an existing order's id on an intent that is not its charge
      { order_id: res.body.id },
    ];
    for (const metadata of metadatas) {
      const intent = await stripe.paymentIntents.create({
        amount: 3000,
        currency: 'usd',
        confirm: true,
        payment_method: 'pm_card_visa',
        allowed_payment_method_types: ['card'],
        metadata,
      });
      const delivered = await deliver(eventFor('payment_intent.succeeded', intent.id));
      assert.deepEqual(delivered.status, 200, JSON.stringify(metadata));
    }
    assert.deepEqual(
      await db().selectFrom('orders').select(['id', 'status', 'version']).execute(),
      orderRowsBefore,
    );
    assert.equal((await db().selectFrom('payment').select('id').execute()).length, paymentRowsBefore.length);
    assert.equal(await intentOf(res.body.id), ours, "the order's payment still points at its own intent");
    // other event types are stored and ignored
    const created = double.events('payment_intent.created').at(-1);
    assert.ok(created);
    assert.equal((await deliver(created)).body.result, 'ignored');
  });
});

// ------------------------------------------------------------------ refunds

describe('refunds through the Refunds API', () => {
  test('partial then full refunds from the admin, each with an idempotency key; a repeat refunds nothing more', async () => {
    const product = await t.product({ price: 50, stock: 2 });
    const { res } = await order(product);
    const paymentIntentId = await intentOf(res.body.id);
    const admin = await t.adminToken();
    const refund = (amount: number, key: string) =>
      call<OrderJson & ErrorJson>('POST', `/api/v1/admin/orders/${res.body.id}/refund`, {
        token: admin,
        body: { amount, reason: 'requested_by_customer' },
        headers: { 'idempotency-key': key },
      });

    const partial = await refund(10, 'first');
    assert.equal(partial.status, 200, JSON.stringify(partial.body));
    assert.equal(partial.body.payment.status, 'partially_refunded');
    assert.equal(partial.body.payment.amountRefunded, 10);
    assert.deepEqual(
      double.refunds(paymentIntentId).map((r) => [r.amount, r.status]),
      [[1000, 'succeeded']],
    );
    assert.ok(refundKeys().includes(`orderly-${res.body.id}-admin-first:0`));

    const again = await refund(10, 'first');
    assert.equal(again.status, 200);
    assert.equal(again.body.payment.amountRefunded, 10, 'the same key refunds once');
    assert.equal(double.refunds(paymentIntentId).length, 1);

    const rest = await refund(40, 'second');
    assert.equal(rest.status, 200, JSON.stringify(rest.body));
    assert.equal(rest.body.payment.status, 'refunded');
    assert.equal(rest.body.payment.amountRefunded, 50);
    assert.deepEqual(
      double.refunds(paymentIntentId).map((r) => r.amount),
      [1000, 4000],
    );
    assert.ok(refundKeys().includes(`orderly-${res.body.id}-admin-second:0`));

    const more = await refund(0.01, 'third');
    assert.equal(more.status, 422);
    assert.equal(more.body.code, 'refund_exceeds_payment');
    assert.equal(double.refunds(paymentIntentId).length, 2);

    // Stripe's charge.refunded for Orderly's own refunds is not counted a second time.
    for (const event of double
      .events('charge.refunded')
      .filter((e) => e.data.object['payment_intent'] === paymentIntentId)) {
      assert.equal((await deliver(event)).status, 200);
    }
    const after = await getOrder(res.body.id);
    assert.equal(after.payment.amountRefunded, 50);
    assert.equal(count(await outboxTypes(res.body.id), 'RefundIssued'), 2);
  });

  test('a refund larger than what was captured is refused with 422 and changes nothing', async () => {
    const product = await t.product({ price: 20, stock: 2 });
    const { res } = await order(product);
    const paymentIntentId = await intentOf(res.body.id);
    const refundCalls = double.requests.filter((r) => r.path === '/v1/refunds').length;
    const refused = await call<ErrorJson>('POST', `/api/v1/admin/orders/${res.body.id}/refund`, {
      token: await t.adminToken(),
      body: { amount: 25 },
    });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, 'refund_exceeds_payment');
    assert.equal(
      double.requests.filter((r) => r.path === '/v1/refunds').length,
      refundCalls,
      'Stripe not called',
    );
    assert.deepEqual(double.refunds(paymentIntentId), []);
    const unchanged = await getOrder(res.body.id);
    assert.equal(unchanged.payment.status, 'paid');
    assert.equal(unchanged.payment.amountRefunded, 0);
    assert.deepEqual(
      await db().selectFrom('refund').select('id').where('order_id', '=', res.body.id).execute(),
      [],
    );
  });

  test('cancelling a paid order refunds it through Stripe with a key derived from the order', async () => {
    const product = await t.product({ price: 27.5, stock: 3 });
    const { res, customer } = await order(product, { quantity: 2 });
    const paymentIntentId = await intentOf(res.body.id);
    const cancelled = await call<OrderJson>('POST', `/api/v1/orders/${res.body.id}/cancel`, {
      token: customer.token,
      body: { reason: 'changed my mind' },
    });
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.status, 'cancelled');
    assert.equal(cancelled.body.payment.status, 'refunded');
    assert.equal(cancelled.body.payment.amountRefunded, 55);
    assert.deepEqual(
      double.refunds(paymentIntentId).map((r) => [r.amount, r.status]),
      [[5500, 'succeeded']],
    );
    assert.ok(refundKeys().includes(`orderly-${res.body.id}-cancelled:0`));
    assert.deepEqual(await stock(product.id), { on_hand: 3, reserved: 0 }, 'restocked');
  });

  test("a refund made in Stripe's dashboard is reconciled from charge.refunded, once, next to Orderly's own", async () => {
    const product = await t.product({ price: 50, stock: 2 });
    const { res } = await order(product);
    const paymentIntentId = await intentOf(res.body.id);
    const admin = await t.adminToken();
    const own = await call<OrderJson>('POST', `/api/v1/admin/orders/${res.body.id}/refund`, {
      token: admin,
      body: { amount: 10 },
    });
    assert.equal(own.status, 200);
    await stripe.refunds.create({ payment_intent: paymentIntentId, amount: 1500 }); // the dashboard
    const events = double
      .events('charge.refunded')
      .filter((e) => e.data.object['payment_intent'] === paymentIntentId);
    assert.deepEqual(
      events.map((e) => e.data.object['amount_refunded']),
      [1000, 2500],
    );
    // newest first, then again, then the oldest: the running total is counted once
    for (const event of [events[1], events[1], events[0]]) {
      assert.ok(event);
      assert.equal((await deliver(event)).status, 200);
    }
    const reconciled = await getOrder(res.body.id);
    assert.equal(reconciled.payment.status, 'partially_refunded');
    assert.equal(reconciled.payment.amountRefunded, 25);
    assert.equal((await timeline(res.body.id)).filter((s) => /outside Orderly/.test(s)).length, 1);
    assert.equal(count(await outboxTypes(res.body.id), 'RefundIssued'), 2);
    const [row] = await paymentRows(res.body.id);
    assert.equal(row?.refunded_minor, 2500);

    // What is left is what Stripe has left: 25.00, not 40.00.
    const tooMuch = await call<ErrorJson>('POST', `/api/v1/admin/orders/${res.body.id}/refund`, {
      token: admin,
      body: { amount: 30 },
    });
    assert.equal(tooMuch.status, 422);
    assert.equal(tooMuch.body.code, 'refund_exceeds_payment');
    const rest = await call<OrderJson>('POST', `/api/v1/admin/orders/${res.body.id}/refund`, {
      token: admin,
      body: { amount: 25 },
    });
    assert.equal(rest.status, 200);
    assert.equal(rest.body.payment.status, 'refunded');
    assert.equal(
      double.refunds(paymentIntentId).reduce((s, r) => s + r.amount, 0),
      5000,
    );
    assert.equal((await deliver(eventFor('charge.refunded', paymentIntentId))).status, 200);
    assert.equal((await getOrder(res.body.id)).payment.amountRefunded, 50);
  });

  test("fully refunded in Stripe before Orderly knew: cancelling treats Stripe's 'already refunded' as done", async () => {
    const product = await t.product({ price: 16, stock: 2 });
    const { res, customer } = await order(product);
    const paymentIntentId = await intentOf(res.body.id);
    await stripe.refunds.create({ payment_intent: paymentIntentId }); // the dashboard, all of it
    const cancelled = await call<OrderJson>('POST', `/api/v1/orders/${res.body.id}/cancel`, {
      token: customer.token,
      body: { reason: 'refunded already' },
    });
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.payment.status, 'refunded');
    assert.equal(cancelled.body.payment.amountRefunded, 16);
    assert.equal(double.refunds(paymentIntentId).length, 1, 'no second refund at Stripe');
    // the dashboard refund's webhook, arriving late, finds it all accounted for
    assert.equal((await deliver(eventFor('charge.refunded', paymentIntentId))).status, 200);
    const settled = await getOrder(res.body.id);
    assert.equal(settled.payment.amountRefunded, 16);
    assert.equal((await paymentRows(res.body.id))[0]?.refunded_minor, 1600);
  });

  test("a dashboard refund while one of Orderly's is in flight waits (503) until it can be told apart", async () => {
    const product = await t.product({ price: 50, stock: 2 });
    const { res } = await order(product);
    const paymentIntentId = await intentOf(res.body.id);
    const admin = await t.adminToken();
    const refund = () =>
      call<OrderJson & ErrorJson>('POST', `/api/v1/admin/orders/${res.body.id}/refund`, {
        token: admin,
        body: { amount: 10 },
        headers: { 'idempotency-key': 'in-flight' },
      });
    double.failNext({ method: 'POST', path: '/v1/refunds', times: 3 });
    const unreachable = await refund();
    assert.equal(unreachable.status, 502, JSON.stringify(unreachable.body));
    assert.equal(unreachable.body.code, 'payment_unavailable');

    await stripe.refunds.create({ payment_intent: paymentIntentId, amount: 1500 }); // the dashboard
    const waiting = await deliver(eventFor('charge.refunded', paymentIntentId));
    assert.equal(waiting.status, 503);
    assert.equal(waiting.body.code, 'retry_later');
    assert.equal((await getOrder(res.body.id)).payment.amountRefunded, 0);

    const finished = await refund(); // the same key finishes what was started
    assert.equal(finished.status, 200, JSON.stringify(finished.body));
    assert.equal(finished.body.payment.amountRefunded, 10);
    for (const event of double
      .events('charge.refunded')
      .filter((e) => e.data.object['payment_intent'] === paymentIntentId)) {
      assert.equal((await deliver(event)).status, 200);
    }
    const settled = await getOrder(res.body.id);
    assert.equal(settled.payment.amountRefunded, 25, 'what Stripe refunded in all');
    assert.equal(
      double.refunds(paymentIntentId).reduce((sum, r) => sum + r.amount, 0),
      2500,
    );
  });

  test('3-D Secure finished after the order was cancelled: the late payment is refunded through Stripe', async () => {
    const product = await t.product({ price: 45, stock: 2 });
    const { res, customer } = await order(product, { card: 'pm_card_threeDSecure2Required' });
    const paymentIntentId = await intentOf(res.body.id);
    const cancelled = await call<OrderJson>('POST', `/api/v1/orders/${res.body.id}/cancel`, {
      token: customer.token,
      body: { reason: 'too slow' },
    });
    assert.equal(cancelled.body.status, 'cancelled');
    assert.deepEqual(await stock(product.id), { on_hand: 2, reserved: 0 });
    assert.equal((await deliver(double.succeed(paymentIntentId))).status, 200);
    const after = await getOrder(res.body.id);
    assert.equal(after.status, 'cancelled', 'a cancelled order stays cancelled');
    assert.equal(after.payment.status, 'refunded');
    assert.deepEqual(
      double.refunds(paymentIntentId).map((r) => r.amount),
      [4500],
    );
    assert.ok(refundKeys().includes(`orderly-${res.body.id}-late_payment:0`));
    assert.deepEqual(await stock(product.id), { on_hand: 2, reserved: 0 }, 'nothing was sold');
  });
});

// ------------------------------------------------------------------ configuration and secrets

describe('configuration and secrets', () => {
  test('the webhook is outside the API: not in the OpenAPI document, no token needed', async () => {
    const doc = await t.app.server.inject({ method: 'GET', url: '/api-docs/json' });
    const paths = Object.keys((doc.json() as { paths: Record<string, unknown> }).paths);
    assert.ok(paths.length > 10);
    // Stripe's incoming webhook; the admin's outgoing webhooks (/api/v1/admin/webhooks) are API routes
    assert.ok(!paths.some((p) => p.includes('stripe')), paths.join(', '));
  });

  test('a signed event of an unexpected shape is a 400 invalid_event, never a 500, and changes nothing', async () => {
    const intent = {
      id: 'pi_shape',
      object: 'payment_intent',
      amount_received: 1000,
      currency: 'usd',
      metadata: {},
      last_payment_error: null,
    };
    const real = {
      id: 'evt_shape_0',
      object: 'event',
      type: 'payment_intent.succeeded',
      data: { object: intent },
    };
    const before = await db().selectFrom('webhook_event').select('event_id').execute();
    const shapes: Record<string, unknown> = {
      'no data': { id: 'evt_shape_1', type: 'payment_intent.succeeded' },
      'an empty intent': { id: 'evt_shape_2', type: 'payment_intent.succeeded', data: { object: {} } },
      'an intent without metadata': {
        ...real,
        id: 'evt_shape_3',
        data: { object: { ...real.data.object, metadata: null } },
      },
      'a failure whose error is a string': {
        ...real,
        id: 'evt_shape_4',
        type: 'payment_intent.payment_failed',
        data: { object: { ...real.data.object, last_payment_error: 'declined' } },
      },
      'a refund with a text amount': {
        id: 'evt_shape_5',
        type: 'charge.refunded',
        data: { object: { payment_intent: 'pi_1', metadata: {}, amount_refunded: '100' } },
      },
      'no id': { type: 'charge.refunded', data: { object: {} } },
      'an array': [1, 2, 3],
    };
    for (const [what, event] of Object.entries(shapes)) {
      const payload = JSON.stringify(event);
      const header = stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
      const res = await t.app.server.inject({
        method: 'POST',
        url: '/webhooks/stripe',
        headers: { 'content-type': 'application/json', 'stripe-signature': header },
        payload,
      });
      assert.equal(res.statusCode, 400, `${what}: ${res.body}`);
      assert.equal((res.json() as ErrorJson).code, 'invalid_event', what);
    }
    assert.deepEqual(await db().selectFrom('webhook_event').select('event_id').execute(), before);
  });

  test('without STRIPE_WEBHOOK_SECRET the webhook answers 503 webhook_not_configured; a wrong API key leaks nowhere', async () => {
    const wrongKey = `sk_test_wrong${randomBytes(16).toString('hex')}`;
    const lines: string[] = [];
    const other = await createTestApp(
      { PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: wrongKey, STRIPE_API_URL: double.url },
      {
        logger: createLogger('info', { write: (line: string) => void lines.push(line) }),
        stripe: { timeoutMs: 1000 },
      },
    );
    try {
      const event = double.events('payment_intent.succeeded').at(-1);
      assert.ok(event);
      const { payload, header } = signed(event);
      const res = await other.app.server.inject({
        method: 'POST',
        url: '/webhooks/stripe',
        headers: { 'content-type': 'application/json', 'stripe-signature': header },
        payload,
      });
      assert.equal(res.statusCode, 503);
      assert.equal((res.json() as ErrorJson).code, 'webhook_not_configured');

      const product = await other.product({ price: 10, stock: 1 });
      const customer = await other.customer();
      const placed = await other.request<ErrorJson>('POST', '/api/v1/orders', {
        token: customer.token,
        body: orderBody(customer.id, [{ productId: product.id, quantity: 1, price: 10 }]),
      });
      assert.equal(placed.status, 502, JSON.stringify(placed.body));
      const everything = [JSON.stringify(placed.body), res.body, ...lines].join('\n');
      assert.ok(lines.length > 0);
      // Stripe's 401 quotes the key's first 8 and last 4 characters; nothing of its secret part may show.
      assert.ok(!everything.includes(wrongKey.slice(8, -4)), 'the API key leaked');
      assert.ok(!everything.includes(SECRET));
    } finally {
      await other.close();
    }
  });

  test('the secret key and the webhook secret appear in no response and no log line', () => {
    assert.ok(logLines.length > 50, 'the app logged');
    assert.ok(responses.length > 50);
    assert.ok(
      logLines.some((l) => l.includes('stripe webhook')),
      'webhooks are logged',
    );
    for (const secret of [SECRET, SECRET.slice(8), WEBHOOK_SECRET, WEBHOOK_SECRET.slice(6)]) {
      assert.equal(logLines.filter((l) => l.includes(secret)).length, 0, 'a log line holds a secret');
      assert.equal(responses.filter((r) => r.includes(secret)).length, 0, 'a response holds a secret');
    }
  });
});
