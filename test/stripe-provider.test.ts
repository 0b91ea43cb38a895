import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';
import Stripe from 'stripe';
import {
  PaymentRejectedError,
  PaymentUnavailableError,
  type ChargeRequest,
  type ChargeResult,
} from '../src/payment/provider.ts';
import { parseStripeWebhook, WebhookSignatureError } from '../src/payment/stripe-webhook.ts';
import {
  StripePaymentProvider,
  stripeApiAddress,
  type StripeProviderOptions,
} from '../src/payment/stripe.ts';
import { startStripeDouble, type StripeDouble, type StripeEventJson } from './doubles/stripe-double.ts';

const SECRET = `sk_test_orderly${randomBytes(16).toString('hex')}`;
const WEBHOOK_SECRET = `whsec_${randomBytes(16).toString('hex')}`;

let double: StripeDouble;
let provider: StripePaymentProvider;
/** The official client used directly, to read back what the adapter left at "Stripe". */
let stripe: Stripe;

function makeProvider(options: Partial<StripeProviderOptions> = {}): StripePaymentProvider {
  return new StripePaymentProvider({ secretKey: SECRET, ...stripeApiAddress(double.url), ...options });
}

before(async () => {
  double = await startStripeDouble({ apiKey: SECRET });
  provider = makeProvider();
  stripe = new Stripe(SECRET, { ...stripeApiAddress(double.url), maxNetworkRetries: 0 });
});
after(() => double.close());

function chargeRequest(token: string, amount = 2599): ChargeRequest {
  const orderId = `ord_${randomBytes(6).toString('hex')}`;
  return {
    orderId,
    amount: { amount, currency: 'USD' },
    paymentMethod: { type: 'card', token },
    idempotencyKey: `orderly-${orderId}-placement`,
    description: `Orderly order ${orderId}`,
  };
}

async function chargeOk(token = 'tok_visa', amount = 2599) {
  const request = chargeRequest(token, amount);
  const result = await provider.charge(request);
  assert.equal(result.status, 'succeeded', `charge with ${token}`);
  return { request, paymentId: paymentIdOf(result) };
}

function paymentIdOf(result: ChargeResult): string {
  assert.ok(result.paymentId, 'a payment id');
  return result.paymentId;
}

/** Requests the SDK sent under one idempotency key, in order. */
const attempts = (key: string) => double.requests.filter((r) => r.idempotencyKey === key);

function signed(event: StripeEventJson, secret = WEBHOOK_SECRET) {
  const payload = JSON.stringify(event);
  return { payload, header: stripe.webhooks.generateTestHeaderString({ payload, secret }) };
}

function assertNoSecret(error: unknown, secret = SECRET) {
  assert.ok(error instanceof Error);
  assert.ok(!error.message.includes(secret), `message leaks the key: ${error.message}`);
  assert.ok(!inspect(error, { depth: 10 }).includes(secret), 'the error object leaks the key');
}

describe('charge', () => {
  for (const token of ['tok_visa', 'tok_mastercard', 'pm_card_visa', 'pm_card_mastercard']) {
    test(`${token} succeeds with the amount, currency and metadata on the intent`, async () => {
      const created = double.intentsCreated();
      const request = chargeRequest(token, 4321);
      const result = await provider.charge(request);
      assert.deepEqual(result, {
        status: 'succeeded',
        paymentId: result.paymentId,
        amount: { amount: 4321, currency: 'USD' },
      });
      const intent = await stripe.paymentIntents.retrieve(paymentIdOf(result));
      assert.match(intent.id, /^pi_/);
      assert.equal(intent.status, 'succeeded');
      assert.equal(intent.amount, 4321);
      assert.equal(intent.amount_received, 4321);
      assert.equal(intent.currency, 'usd');
      assert.deepEqual(intent.metadata, {
        order_id: request.orderId,
        idempotency_key: request.idempotencyKey,
      });
      assert.equal(intent.description, request.description);
      assert.deepEqual(intent.allowed_payment_method_types, ['card']);
      assert.match(String(intent.latest_charge), /^ch_/);
      assert.equal(double.intentsCreated(), created + 1);
      assert.equal(double.capturedAmount(intent.id), 4321);
      assert.deepEqual(
        attempts(request.idempotencyKey).map((r) => [r.method, r.path, r.status]),
        [['POST', '/v1/payment_intents', 200]],
      );
    });
  }

  const declines = [
    {
      token: 'tok_chargeDeclined',
      code: 'card_declined',
      declineCode: 'generic_decline',
      message: 'Your card was declined. Try another card or contact your bank.',
    },
    {
      token: 'pm_card_chargeDeclinedInsufficientFunds',
      code: 'card_declined',
      declineCode: 'insufficient_funds',
      message: 'Your card has insufficient funds. Try another card.',
    },
    {
      token: 'tok_chargeDeclinedExpiredCard',
      code: 'expired_card',
      declineCode: 'expired_card',
      message: 'Your card has expired. Try another card.',
    },
    {
      token: 'pm_card_chargeDeclinedIncorrectCvc',
      code: 'incorrect_cvc',
      declineCode: 'incorrect_cvc',
      message: "Your card's security code (CVC) is incorrect. Check it and try again.",
    },
    {
      token: 'tok_chargeDeclinedFraudulent',
      code: 'card_declined',
      declineCode: 'fraudulent',
      message: 'Your card was declined. Try another card or contact your bank.',
    },
  ];
  for (const d of declines) {
    test(`${d.token} is declined with ${d.declineCode} and a sentence for the shopper`, async () => {
      const result = await provider.charge(chargeRequest(d.token));
      const paymentId = paymentIdOf(result);
      assert.deepEqual(result, {
        status: 'declined',
        paymentId,
        code: d.code,
        declineCode: d.declineCode,
        message: d.message,
      });
      assert.equal(double.status(paymentId), 'requires_payment_method');
      assert.equal(double.capturedAmount(paymentId), 0);
    });
  }

  test('an unknown token is declined as an unusable card, not thrown', async () => {
    const result = await provider.charge(chargeRequest('tok_doesNotExist'));
    assert.equal(result.status, 'declined');
    assert.equal(result.status === 'declined' && result.code, 'invalid_payment_method');
  });

  test('3-D Secure: requires_action with the client secret, then succeeded once the customer completes it', async () => {
    const request = chargeRequest('pm_card_threeDSecure2Required');
    const result = await provider.charge(request);
    assert.equal(result.status, 'requires_action');
    const paymentId = paymentIdOf(result);
    assert.match(
      result.status === 'requires_action' ? result.clientSecret : '',
      new RegExp(`^${paymentId}_secret_`),
    );
    const query = { orderId: request.orderId, idempotencyKey: request.idempotencyKey };
    assert.deepEqual(await provider.status({ ...query, paymentId }), {
      status: 'requires_action',
      paymentId,
    });
    assert.deepEqual(await provider.status(query), { status: 'requires_action', paymentId });

    const event = double.succeed(paymentId);
    assert.equal(event.type, 'payment_intent.succeeded');
    const expected = { status: 'succeeded', paymentId, amount: { amount: 2599, currency: 'USD' } };
    assert.deepEqual(await provider.status({ ...query, paymentId }), expected);
    assert.deepEqual(await provider.status(query), expected);
  });

  test('3-D Secure abandoned: the intent is failed', async () => {
    const request = chargeRequest('tok_threeDSecure2Required');
    const paymentId = paymentIdOf(await provider.charge(request));
    assert.equal(double.fail(paymentId).type, 'payment_intent.payment_failed');
    assert.deepEqual(
      await provider.status({ orderId: request.orderId, idempotencyKey: request.idempotencyKey }),
      {
        status: 'failed',
        paymentId,
      },
    );
  });
});

describe('retries keep one charge', () => {
  test('a 500 then success: the SDK retries under the same key and one intent exists', async () => {
    const created = double.intentsCreated();
    double.failNext({ path: '/v1/payment_intents' });
    const { request, paymentId } = await chargeOk();
    assert.deepEqual(
      attempts(request.idempotencyKey).map((r) => r.status),
      [500, 200],
    );
    assert.equal(double.intentsCreated(), created + 1);
    assert.equal(double.capturedAmount(paymentId), 2599);
  });

  test('the answer lost after Stripe charged: the retry is replayed, not charged again', async () => {
    const created = double.intentsCreated();
    double.dropNext({ path: '/v1/payment_intents', after: 'processed' });
    const { request, paymentId } = await chargeOk();
    assert.deepEqual(
      attempts(request.idempotencyKey).map((r) => [r.status, r.replayed]),
      [
        ['dropped', false],
        [200, true],
      ],
    );
    assert.equal(double.intentsCreated(), created + 1);
    assert.equal(double.capturedAmount(paymentId), 2599);
  });

  test('the connection dropped before Stripe acted: the retry charges once', async () => {
    const created = double.intentsCreated();
    double.dropNext({ path: '/v1/payment_intents' });
    const { request } = await chargeOk();
    assert.deepEqual(
      attempts(request.idempotencyKey).map((r) => [r.status, r.replayed]),
      [
        ['dropped', false],
        [200, false],
      ],
    );
    assert.equal(double.intentsCreated(), created + 1);
  });

  test('a timeout while Stripe is slow: the retry gets the first result', async () => {
    const created = double.intentsCreated();
    const impatient = makeProvider({ timeoutMs: 200 });
    double.delayNext(400, { path: '/v1/payment_intents' });
    const request = chargeRequest('tok_visa');
    const result = await impatient.charge(request);
    assert.equal(result.status, 'succeeded');
    assert.equal(double.intentsCreated(), created + 1);
    assert.deepEqual(
      attempts(request.idempotencyKey).map((r) => r.replayed),
      [false, true],
    );
  });

  test('Stripe failing on every attempt: PaymentUnavailableError without the key, and nothing charged', async () => {
    const created = double.intentsCreated();
    double.failNext({ path: '/v1/payment_intents', times: 3 });
    const request = chargeRequest('tok_visa');
    const error = await provider.charge(request).then(
      () => assert.fail('expected PaymentUnavailableError'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof PaymentUnavailableError, String(error));
    assertNoSecret(error);
    assert.equal(attempts(request.idempotencyKey).length, 3, 'one attempt and two retries');
    assert.equal(double.intentsCreated(), created);
    assert.deepEqual(
      await provider.status({ orderId: request.orderId, idempotencyKey: request.idempotencyKey }),
      { status: 'not_found' },
    );
  });

  test('the same key with another amount is refused, never charged twice', async () => {
    const { request } = await chargeOk();
    const created = double.intentsCreated();
    const changed = { ...request, amount: { amount: 9999, currency: 'USD' } };
    await assert.rejects(provider.charge(changed), (e: unknown) => {
      assert.ok(e instanceof PaymentRejectedError);
      assert.equal(e.code, 'idempotency_conflict');
      return true;
    });
    assert.equal(double.intentsCreated(), created);
  });
});

describe('refund', () => {
  test('partial then full refunds; a retry under the same key refunds once', async () => {
    const { paymentId } = await chargeOk('tok_visa', 5000);
    const first = await provider.refund({
      paymentId,
      amount: { amount: 2000, currency: 'USD' },
      idempotencyKey: 'r1-' + paymentId,
    });
    assert.equal(first.status, 'succeeded');
    assert.match(first.refundId, /^re_/);
    const again = await provider.refund({
      paymentId,
      amount: { amount: 2000, currency: 'USD' },
      idempotencyKey: 'r1-' + paymentId,
    });
    assert.deepEqual(again, first);
    const rest = await provider.refund({
      paymentId,
      amount: { amount: 3000, currency: 'USD' },
      idempotencyKey: 'r2-' + paymentId,
    });
    assert.equal(rest.status, 'succeeded');
    assert.notEqual(rest.refundId, first.refundId);
    assert.deepEqual(
      double.refunds(paymentId).map((r) => [r.id, r.amount]),
      [
        [first.refundId, 2000],
        [rest.refundId, 3000],
      ],
    );
  });

  test('a refund above what remains is PaymentRejectedError refund_exceeds_payment', async () => {
    const { paymentId } = await chargeOk('tok_visa', 1000);
    await provider.refund({
      paymentId,
      amount: { amount: 600, currency: 'USD' },
      idempotencyKey: 'a-' + paymentId,
    });
    await assert.rejects(
      provider.refund({
        paymentId,
        amount: { amount: 600, currency: 'USD' },
        idempotencyKey: 'b-' + paymentId,
      }),
      (e: unknown) => e instanceof PaymentRejectedError && e.code === 'refund_exceeds_payment',
    );
    assert.deepEqual(
      double.refunds(paymentId).map((r) => r.amount),
      [600],
    );
  });

  test('already refunded in full (another key, or the dashboard) counts as done with the existing refund', async () => {
    const { paymentId } = await chargeOk('tok_visa', 1500);
    const outside = await stripe.refunds.create({ payment_intent: paymentId });
    const result = await provider.refund({
      paymentId,
      amount: { amount: 1500, currency: 'USD' },
      idempotencyKey: 'o-' + paymentId,
    });
    assert.deepEqual(result, { refundId: outside.id, status: 'succeeded' });
    assert.equal(double.refunds(paymentId).length, 1);
  });

  test("Stripe's reason enum is passed as such, free text travels as metadata", async () => {
    const { paymentId } = await chargeOk('tok_visa', 3000);
    const enumReason = await provider.refund({
      paymentId,
      amount: { amount: 1000, currency: 'USD' },
      idempotencyKey: 'e-' + paymentId,
      reason: 'requested_by_customer',
    });
    const freeText = await provider.refund({
      paymentId,
      amount: { amount: 1000, currency: 'USD' },
      idempotencyKey: 'f-' + paymentId,
      reason: 'Arrived damaged',
    });
    const listed = new Map(
      (await stripe.refunds.list({ payment_intent: paymentId })).data.map((r) => [r.id, r]),
    );
    assert.equal(listed.get(enumReason.refundId)?.reason, 'requested_by_customer');
    assert.equal(listed.get(freeText.refundId)?.reason, null);
    assert.deepEqual(listed.get(freeText.refundId)?.metadata, { reason: 'Arrived damaged' });
  });

  test('Stripe down during a refund: PaymentUnavailableError, nothing refunded', async () => {
    const { paymentId } = await chargeOk();
    double.failNext({ path: '/v1/refunds', times: 3 });
    await assert.rejects(
      provider.refund({
        paymentId,
        amount: { amount: 100, currency: 'USD' },
        idempotencyKey: 'd-' + paymentId,
      }),
      PaymentUnavailableError,
    );
    assert.deepEqual(double.refunds(paymentId), []);
  });
});

describe('status', () => {
  test('by order id finds the attempt made with this key among the order’s attempts', async () => {
    const declined = chargeRequest('tok_chargeDeclined');
    const declinedId = paymentIdOf(await provider.charge(declined));
    const retry = {
      ...declined,
      paymentMethod: { type: 'card', token: 'tok_visa' },
      idempotencyKey: `${declined.idempotencyKey}-2`,
    };
    const paidId = paymentIdOf(await provider.charge(retry));
    assert.deepEqual(
      await provider.status({ orderId: declined.orderId, idempotencyKey: declined.idempotencyKey }),
      {
        status: 'failed',
        paymentId: declinedId,
      },
    );
    assert.deepEqual(
      await provider.status({ orderId: retry.orderId, idempotencyKey: retry.idempotencyKey }),
      {
        status: 'succeeded',
        paymentId: paidId,
        amount: { amount: 2599, currency: 'USD' },
      },
    );
  });

  test('a new attempt too fresh for search is found, though search returns the order’s older attempt', async () => {
    const first = chargeRequest('tok_chargeDeclined');
    const firstId = paymentIdOf(await provider.charge(first));
    await sleep(600);
    double.setSearchLag(500);
    try {
      const second = {
        ...first,
        paymentMethod: { type: 'card', token: 'tok_visa' },
        idempotencyKey: `${first.idempotencyKey}-2`,
      };
      const paidId = paymentIdOf(await provider.charge(second));
      const searched = await stripe.paymentIntents.search({
        query: `metadata['order_id']:'${first.orderId}'`,
      });
      assert.deepEqual(
        searched.data.map((pi) => pi.id),
        [firstId],
        'search sees the older attempt only',
      );
      assert.deepEqual(
        await provider.status({ orderId: second.orderId, idempotencyKey: second.idempotencyKey }),
        {
          status: 'succeeded',
          paymentId: paidId,
          amount: { amount: 2599, currency: 'USD' },
        },
      );
    } finally {
      double.setSearchLag(0);
    }
  });

  test('an order Stripe never saw is not_found, by order id and by unknown payment id', async () => {
    const query = { orderId: 'ord_never_charged', idempotencyKey: 'orderly-ord_never_charged-placement' };
    assert.deepEqual(await provider.status(query), { status: 'not_found' });
    assert.deepEqual(await provider.status({ ...query, paymentId: 'pi_unknown' }), { status: 'not_found' });
  });

  test('an intent too new for Stripe’s search index is still found', async () => {
    double.setSearchLag(60_000);
    try {
      const { request, paymentId } = await chargeOk();
      const searched = await stripe.paymentIntents.search({
        query: `metadata['order_id']:'${request.orderId}'`,
      });
      assert.equal(searched.data.length, 0, 'the double hides it from search, as Stripe does for a while');
      assert.deepEqual(
        await provider.status({ orderId: request.orderId, idempotencyKey: request.idempotencyKey }),
        {
          status: 'succeeded',
          paymentId,
          amount: { amount: 2599, currency: 'USD' },
        },
      );
    } finally {
      double.setSearchLag(0);
    }
  });
});

describe('webhooks', () => {
  test('payment_intent.succeeded, signed by Stripe, parses', async () => {
    const { request, paymentId } = await chargeOk('tok_visa', 1234);
    const event = double.events('payment_intent.succeeded').find((e) => e.data.object['id'] === paymentId);
    assert.ok(event);
    const { payload, header } = signed(event);
    assert.deepEqual(parseStripeWebhook(stripe, payload, header, WEBHOOK_SECRET), {
      kind: 'payment_succeeded',
      eventId: event.id,
      paymentIntentId: paymentId,
      orderId: request.orderId,
      amount: 1234,
      currency: 'USD',
    });
    assert.equal(
      parseStripeWebhook(stripe, Buffer.from(payload), header, WEBHOOK_SECRET).kind,
      'payment_succeeded',
    );
  });

  test('payment_intent.payment_failed carries the decline and a shopper sentence', async () => {
    const request = chargeRequest('tok_chargeDeclinedInsufficientFunds');
    const paymentId = paymentIdOf(await provider.charge(request));
    const event = double
      .events('payment_intent.payment_failed')
      .find((e) => e.data.object['id'] === paymentId);
    assert.ok(event);
    const { payload, header } = signed(event);
    assert.deepEqual(parseStripeWebhook(stripe, payload, header, WEBHOOK_SECRET), {
      kind: 'payment_failed',
      eventId: event.id,
      paymentIntentId: paymentId,
      orderId: request.orderId,
      code: 'card_declined',
      declineCode: 'insufficient_funds',
      message: 'Your card has insufficient funds. Try another card.',
    });
  });

  test('3-D Secure failure arrives as payment_failed', async () => {
    const request = chargeRequest('pm_card_threeDSecure2Required');
    const paymentId = paymentIdOf(await provider.charge(request));
    const { payload, header } = signed(double.fail(paymentId));
    const parsed = parseStripeWebhook(stripe, payload, header, WEBHOOK_SECRET);
    assert.equal(parsed.kind, 'payment_failed');
    assert.equal(parsed.kind === 'payment_failed' && parsed.code, 'payment_intent_authentication_failure');
    assert.equal(parsed.kind === 'payment_failed' && parsed.orderId, request.orderId);
  });

  test('charge.refunded gives the total refunded so far', async () => {
    const { request, paymentId } = await chargeOk('tok_visa', 4000);
    await provider.refund({
      paymentId,
      amount: { amount: 1000, currency: 'USD' },
      idempotencyKey: 'w1-' + paymentId,
    });
    await provider.refund({
      paymentId,
      amount: { amount: 500, currency: 'USD' },
      idempotencyKey: 'w2-' + paymentId,
    });
    const event = double
      .events('charge.refunded')
      .findLast((e) => e.data.object['payment_intent'] === paymentId);
    assert.ok(event);
    const { payload, header } = signed(event);
    assert.deepEqual(parseStripeWebhook(stripe, payload, header, WEBHOOK_SECRET), {
      kind: 'charge_refunded',
      eventId: event.id,
      paymentIntentId: paymentId,
      orderId: request.orderId,
      amountRefunded: 1500,
    });
  });

  test('other event types are ignored, by type', async () => {
    const { paymentId } = await chargeOk();
    const event = double.events('payment_intent.created').find((e) => e.data.object['id'] === paymentId);
    assert.ok(event);
    const { payload, header } = signed(event);
    assert.deepEqual(parseStripeWebhook(stripe, payload, header, WEBHOOK_SECRET), {
      kind: 'ignored',
      eventId: event.id,
      type: 'payment_intent.created',
    });
  });

  test('a wrong secret, a tampered body or no signature: WebhookSignatureError', async () => {
    const { paymentId } = await chargeOk('tok_visa', 1000);
    const event = double.events('payment_intent.succeeded').find((e) => e.data.object['id'] === paymentId);
    assert.ok(event);
    const { payload, header } = signed(event);
    const otherSecret = signed(event, `whsec_${randomBytes(16).toString('hex')}`);
    assert.throws(
      () => parseStripeWebhook(stripe, payload, otherSecret.header, WEBHOOK_SECRET),
      WebhookSignatureError,
    );
    const tampered = payload.replace('"amount_received":1000', '"amount_received":1');
    assert.notEqual(tampered, payload);
    assert.throws(
      () => parseStripeWebhook(stripe, tampered, header, WEBHOOK_SECRET),
      (e: unknown) => {
        assert.ok(e instanceof WebhookSignatureError);
        assertNoSecret(e, WEBHOOK_SECRET);
        return true;
      },
    );
    assert.throws(
      () => parseStripeWebhook(stripe, payload, undefined, WEBHOOK_SECRET),
      WebhookSignatureError,
    );
  });
});

describe('the secret key stays out of errors', () => {
  test('a wrong key: PaymentUnavailableError that names neither key', async () => {
    const wrongKey = `sk_test_wrong${randomBytes(16).toString('hex')}`;
    const wrong = makeProvider({ secretKey: wrongKey });
    const error = await wrong.charge(chargeRequest('tok_visa')).then(
      () => assert.fail('expected an error'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof PaymentUnavailableError, String(error));
    assert.match(error.message, /API key/);
    assertNoSecret(error, wrongKey);
    assertNoSecret(error, SECRET);
  });

  test('nothing listening: PaymentUnavailableError without the key', async () => {
    const closed = await startStripeDouble();
    await closed.close();
    const unreachable = makeProvider({ ...stripeApiAddress(closed.url), maxNetworkRetries: 1 });
    const error = await unreachable.status({ orderId: 'o', idempotencyKey: 'k', paymentId: 'pi_x' }).then(
      () => assert.fail('expected an error'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof PaymentUnavailableError, String(error));
    assertNoSecret(error);
  });
});

describe('the double speaks Stripe', () => {
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${double.url}${path}`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${SECRET}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        'Stripe-Version': Stripe.API_VERSION,
        ...headers,
      },
      body,
    });

  test('no API key: 401 with Stripe’s error body', async () => {
    const response = await fetch(`${double.url}/v1/payment_intents/pi_x`);
    assert.equal(response.status, 401);
    const body = (await response.json()) as { error: { type: string; message: string } };
    assert.equal(body.error.type, 'invalid_request_error');
    assert.match(body.error.message, /API key/);
  });

  test('idempotency: replay with Idempotent-Replayed, other parameters → 400 idempotency_error', async () => {
    const key = `k-${randomBytes(6).toString('hex')}`;
    const body =
      'amount=700&currency=eur&confirm=true&payment_method=pm_card_chargeDeclined&metadata[order_id]=o1&allowed_payment_method_types[0]=card';
    const first = await post('/v1/payment_intents', body, { 'Idempotency-Key': key });
    const second = await post('/v1/payment_intents', body, { 'Idempotency-Key': key });
    assert.equal(first.status, 402);
    assert.equal(second.status, 402);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    assert.equal(second.headers.get('idempotent-replayed'), 'true');
    const firstBody = (await first.json()) as {
      error: { type: string; payment_intent: { metadata: object } };
    };
    assert.deepEqual(await second.json(), firstBody);
    assert.equal(firstBody.error.type, 'card_error');
    assert.deepEqual(firstBody.error.payment_intent.metadata, { order_id: 'o1' });
    const other = await post('/v1/payment_intents', body.replace('amount=700', 'amount=800'), {
      'Idempotency-Key': key,
    });
    assert.equal(other.status, 400);
    assert.equal(((await other.json()) as { error: { type: string } }).error.type, 'idempotency_error');
  });

  test('payment_method_types is refused on this API version, a token is refused as a payment method', async () => {
    const old = await post('/v1/payment_intents', 'amount=700&currency=usd&payment_method_types[]=card');
    assert.equal(old.status, 400);
    assert.equal(
      ((await old.json()) as { error: { code: string } }).error.code,
      'payment_method_types_no_longer_supported',
    );
    const token = await post(
      '/v1/payment_intents',
      'amount=700&currency=usd&confirm=true&payment_method=tok_visa',
    );
    assert.equal(token.status, 400);
    assert.match(
      ((await token.json()) as { error: { message: string } }).error.message,
      /payment_method_data/,
    );
  });
});
