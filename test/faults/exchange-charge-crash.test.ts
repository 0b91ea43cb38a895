/**
 * The server is killed (SIGKILL) after Stripe took a dearer exchange's charge and before Orderly
 * recorded the return and the charge (ADR 0041). The charge was written down `open` before Stripe
 * was asked, so the crash leaves a trace. Two shoppers are caught by the kill:
 *
 * - Alice sends the same request again after the restart: it goes to Stripe under the same
 *   idempotency key, Stripe replays its answer, and the exchange is made, charged once;
 * - Bob does not. The recovery job asks Stripe about his charge's key, finds the money taken,
 *   records it on his order and refunds it once, on the timeline; later passes change nothing.
 *   When he sends the request again, it is charged afresh under the next attempt's key and the
 *   exchange is made: he has paid for it once.
 *
 * Between Orderly and the Stripe double, a gate passes an exchange's charge on and keeps Stripe's
 * answer from Orderly, so the kill lands exactly between the two steps.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import Stripe from 'stripe';
import { stripeApiAddress } from '../../src/payment/stripe.ts';
import { startStripeDouble, type StripeDouble } from '../doubles/stripe-double.ts';
import {
  ADDRESS,
  NEEDS_POSTGRES,
  assertInvariants,
  baseEnv,
  call,
  eventually,
  faultDatabase,
  openShop,
  outcomeOf,
  rows,
  startServer,
  stopServer,
  type FaultDatabase,
  type Server,
  type Shop,
  assertRecoveryQuiet,
  startStripeGate,
  timelineOf,
} from './support.ts';

const SECRET = `sk_test_exchangecrash${randomBytes(12).toString('hex')}`;

/** Passes every request to Stripe; an exchange's charge is made there and its answer never passed back. */
const startGate = (target: string) =>
  startStripeGate(
    target,
    ({ method, url, body }) =>
      method === 'POST' && url === '/v1/payment_intents' && body.toString().includes('-exchange-'),
  );

type ReturnJson = { id: string; status: string; exchangeCharge: number; code?: string };
type Customer = Shop['customers'][number];

describe("SIGKILL between an exchange's charge at Stripe and its return", { skip: NEEDS_POSTGRES }, () => {
  let db: FaultDatabase;
  let double: StripeDouble;
  let gate: Awaited<ReturnType<typeof startGate>>;
  let stripe: Stripe;
  let server: Server | undefined;

  before(async () => {
    db = await faultDatabase();
    double = await startStripeDouble({ apiKey: SECRET });
    stripe = new Stripe(SECRET, { ...stripeApiAddress(double.url), maxNetworkRetries: 0 });
    gate = await startGate(double.url);
  });
  after(async () => {
    await stopServer(server);
    await gate?.close();
    await double?.close();
    await db?.close();
  });

  test('the shopper who asks again is charged once; the other is refunded once by recovery', async () => {
    const stripeEnv = { PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: SECRET };
    // no recovery before the crash, nor in the first life after it
    const noRecovery = { PAYMENT_RECOVERY_AFTER: '3600', SWEEP_INTERVAL_MS: '600000' };
    server = await startServer({ ...baseEnv(db.url), ...stripeEnv, ...noRecovery, STRIPE_API_URL: gate.url });
    const shop = await openShop(server.url, { customers: 2, products: [] });
    const [alice, bob] = shop.customers as [Customer, Customer];
    const base = () => server?.url ?? '';
    const admin = (method: string, path: string, body?: unknown) =>
      call(base(), method, path, { token: shop.admin, body });

    // a shirt in M (20.00) and XL (25.00); each shopper has a delivered M
    const tag = `X-${randomBytes(4).toString('hex')}`;
    const shirt = await call<{ variants: Array<{ id: string; sku: string }> }>(
      base(),
      'POST',
      '/api/v1/products',
      {
        token: shop.admin,
        body: {
          sku: tag,
          name: 'Shirt',
          price: 20,
          initialStock: 0,
          options: [{ name: 'Size', values: ['M', 'XL'] }],
          variants: [
            { sku: `${tag}-m`, options: { Size: 'M' }, price: 20, initialStock: 5 },
            { sku: `${tag}-xl`, options: { Size: 'XL' }, price: 25, initialStock: 5 },
          ],
        },
      },
    );
    assert.equal(shirt.status, 201, JSON.stringify(shirt.body));
    const variant = (size: string) => shirt.body.variants.find((v) => v.sku === `${tag}-${size}`)?.id ?? '';
    const delivered = async (customer: Customer) => {
      const placed = await call<{ id: string }>(base(), 'POST', '/api/v1/orders', {
        token: customer.token,
        body: {
          customerId: customer.id,
          items: [{ productId: variant('m'), quantity: 1, price: 20 }],
          shippingAddress: ADDRESS,
          paymentMethod: { type: 'card', token: 'tok_visa' },
        },
      });
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
      const orderId = placed.body.id;
      const shipped = await admin('POST', `/api/v1/admin/orders/${orderId}/ship`, {
        carrier: 'UPS',
        trackingNumber: '1Z999AA10123456784',
      });
      assert.equal(shipped.status, 200, JSON.stringify(shipped.body));
      assert.equal((await admin('POST', `/api/v1/admin/orders/${orderId}/deliver`)).status, 200);
      const listed = await call<{ returnable: Array<{ lineId: string }> }>(
        base(),
        'GET',
        `/api/v1/orders/${orderId}/returns`,
        { token: customer.token },
      );
      const lineId = listed.body.returnable[0]?.lineId ?? '';
      const lines = [{ lineId, quantity: 1, replacementVariantId: variant('xl') }];
      const quoted = await call<{ charge: number }>(
        base(),
        'POST',
        `/api/v1/orders/${orderId}/returns/quote`,
        {
          token: customer.token,
          body: { lines },
        },
      );
      assert.equal(quoted.status, 200, JSON.stringify(quoted.body));
      assert.equal(quoted.body.charge, 5, 'XL costs 5.00 more');
      const request = {
        lines,
        reason: 'wrong_size',
        paymentMethod: { type: 'card', token: 'tok_visa' },
        confirmedAmount: quoted.body.charge,
      };
      const ask = () =>
        call<ReturnJson>(base(), 'POST', `/api/v1/orders/${orderId}/returns`, {
          token: customer.token,
          body: request,
        });
      return { orderId, ask };
    };
    const aliceOrder = await delivered(alice);
    const bobOrder = await delivered(bob);

    // both exchanges are charged at Stripe; Orderly never hears back, and dies
    const inFlight = [outcomeOf(aliceOrder.ask()), outcomeOf(bobOrder.ask())];
    await eventually('Stripe to have taken both charges, their answers held from Orderly', async () =>
      gate.held.length === 2 ? true : undefined,
    );
    const open = await rows<{
      order_id: string;
      idempotency_key: string;
      status: string;
      amount_minor: number;
    }>(db, 'select order_id, idempotency_key, status, amount_minor from return_exchange_charge');
    assert.deepEqual(
      open.map((c) => [c.status, c.amount_minor]),
      [
        ['open', 500],
        ['open', 500],
      ],
      'each charge written down before Stripe was asked',
    );
    const keyOf = (orderId: string) => open.find((c) => c.order_id === orderId)?.idempotency_key ?? '';
    server.kill('SIGKILL');
    assert.equal((await server.exited).signal, 'SIGKILL');
    for (const c of await Promise.all(inFlight)) assert.ok('error' in c, 'the shoppers lost the connection');
    const crashed = await rows(db, 'select id from return_request');
    assert.deepEqual(crashed, [], 'the crash left no return');
    const recordedCharges = await rows(
      db,
      `select id from payment where idempotency_key like '%-exchange-%'`,
    );
    assert.deepEqual(recordedCharges, [], 'and no record of the charges');

    const intents = async () => (await stripe.paymentIntents.list({ limit: 100 })).data;
    const intentOf = async (key: string) => {
      const found = (await intents()).filter((pi) => pi.metadata['idempotency_key'] === key);
      assert.equal(found.length, 1, `one intent at Stripe for ${key}`);
      const [pi] = found as [Stripe.PaymentIntent];
      assert.equal(pi.status, 'succeeded');
      return pi;
    };
    const bobFirst = await intentOf(keyOf(bobOrder.orderId));

    // restarted: Alice sends the same request again and gets her exchange, charged once
    server = await startServer({
      ...baseEnv(db.url),
      ...stripeEnv,
      ...noRecovery,
      STRIPE_API_URL: double.url,
    });
    const again = await aliceOrder.ask();
    assert.equal(again.status, 201, JSON.stringify(again.body));
    assert.deepEqual([again.body.status, again.body.exchangeCharge], ['requested', 5]);
    const aliceIntent = await intentOf(keyOf(aliceOrder.orderId));
    assert.deepEqual(
      double.requests
        .filter((r) => r.method === 'POST' && r.idempotencyKey === keyOf(aliceOrder.orderId))
        .map((r) => r.replayed),
      [false, true],
      'the second request was answered from the first charge at Stripe',
    );
    server.kill('SIGTERM');
    await server.exited;

    // restarted with recovery: Bob's charge is found at Stripe and refunded, once
    server = await startServer({
      ...baseEnv(db.url),
      ...stripeEnv,
      STRIPE_API_URL: double.url,
      PAYMENT_RECOVERY_AFTER: '1',
      SWEEP_INTERVAL_MS: '200',
    });
    await eventually('recovery to refund the charge whose exchange was never made', async () =>
      double.refunds(bobFirst.id).length > 0 ? true : undefined,
    );
    await eventually('recovery to record the refund', async () => {
      const [c] = await rows<{ status: string }>(
        db,
        'select status from return_exchange_charge where idempotency_key = $1',
        [keyOf(bobOrder.orderId)],
      );
      return c?.status === 'refunded' ? true : undefined;
    });
    const snapshot = async () => ({
      charges: await rows(
        db,
        'select idempotency_key, status, return_id, updated_at from return_exchange_charge order by idempotency_key',
      ),
      payments: await rows(
        db,
        'select idempotency_key, status, refunded_minor from payment order by idempotency_key',
      ),
      refunds: await rows(
        db,
        'select idempotency_key, status, amount_minor from refund order by idempotency_key',
      ),
      history: await rows(db, 'select order_id, summary from order_history order by id'),
    });
    await assertRecoveryQuiet(snapshot, () => double.requests);

    assert.deepEqual(
      double.refunds(bobFirst.id).map((r) => r.amount),
      [500],
      "Bob's charge refunded once, in full",
    );
    assert.deepEqual(double.refunds(aliceIntent.id), [], "Alice's exchange charge is kept");
    const timeline = (customer: Customer, orderId: string) => timelineOf(base(), customer.token, orderId);
    const bobSaw = await timeline(bob, bobOrder.orderId);
    assert.deepEqual(
      bobSaw.filter((s) => /exchange/i.test(s)),
      [
        'Payment of $5.00 received for an exchange',
        'Refunded $5.00: payment for an exchange that was not made: the request was interrupted',
      ],
      bobSaw.join('\n'),
    );
    const [bobCharge] = await rows<{ status: string; return_id: string | null }>(
      db,
      'select status, return_id from return_exchange_charge where idempotency_key = $1',
      [keyOf(bobOrder.orderId)],
    );
    assert.deepEqual(bobCharge, { status: 'refunded', return_id: null });

    // Bob asks again: his first charge was given back, so this one is charged afresh, once
    const bobAgain = await bobOrder.ask();
    assert.equal(bobAgain.status, 201, JSON.stringify(bobAgain.body));
    assert.equal(bobAgain.body.exchangeCharge, 5);
    const bobSecond = await intentOf(`${keyOf(bobOrder.orderId)}-1`);
    assert.notEqual(bobSecond.id, bobFirst.id);
    const bobTwice = await bobOrder.ask();
    assert.deepEqual(
      [bobTwice.status, bobTwice.body.id],
      [201, bobAgain.body.id],
      'sent again, the same exchange',
    );
    assert.equal(
      (await intents()).filter((pi) => pi.metadata['order_id'] === bobOrder.orderId).length,
      3,
      "Bob's order, his first exchange charge (refunded) and his second",
    );

    // money: each shopper has paid for the order and for one exchange, and each has one exchange
    for (const { orderId } of [aliceOrder, bobOrder]) {
      const [net] = await rows<{ paid: number; refunded: number }>(
        db,
        `select (select coalesce(sum(amount_minor), 0) from payment where order_id = $1 and status = 'succeeded')::int as paid,
                (select coalesce(sum(amount_minor), 0) from refund where order_id = $1 and status = 'succeeded')::int as refunded`,
        [orderId],
      );
      assert.equal(
        (net?.paid ?? 0) - (net?.refunded ?? 0),
        2500,
        `order ${orderId}: 20.00 and 5.00 paid, net`,
      );
      const atStripe = (await intents())
        .filter((pi) => pi.metadata['order_id'] === orderId)
        .reduce(
          (sum, pi) => sum + pi.amount_received - double.refunds(pi.id).reduce((s, r) => s + r.amount, 0),
          0,
        );
      assert.equal(atStripe, 2500, `order ${orderId}: Stripe kept 25.00`);
      const returns = await rows(db, 'select id from return_request where order_id = $1', [orderId]);
      assert.equal(returns.length, 1, `order ${orderId}: one exchange`);
    }
    await assertInvariants(db);
  });
});
