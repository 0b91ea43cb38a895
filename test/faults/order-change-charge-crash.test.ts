/**
 * The server is killed (SIGKILL) after Stripe took the charge for an order change that costs more
 * and before Orderly kept the change and recorded the charge (ADR 0043). The charge was written
 * down `open`, with the change's extra unit reserved, before Stripe was asked, so the crash leaves
 * a trace. Two shoppers are caught by the kill:
 *
 * - Alice sends the same change again after the restart: it goes to Stripe under the same
 *   idempotency key, Stripe replays its answer, and the change is kept, charged once;
 * - Bob does not. The recovery job asks Stripe about his charge's key, finds the money taken,
 *   records it on his order, refunds it once, on the timeline, and gives the unit back; later
 *   passes change nothing. When he sends the change again, it is charged afresh and kept: he
 *   has paid for it once.
 *
 * Between Orderly and the Stripe double, a gate passes a change's charge on and keeps Stripe's
 * answer from Orderly, so the kill lands exactly between the two steps.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import Stripe from 'stripe';
import { stripeApiAddress } from '../../src/payment/stripe.ts';
import { startStripeDouble, type StripeDouble } from '../doubles/stripe-double.ts';
import {
  NEEDS_POSTGRES,
  assertInvariants,
  baseEnv,
  call,
  eventually,
  faultDatabase,
  openShop,
  orderRequest,
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

const SECRET = `sk_test_changecrash${randomBytes(12).toString('hex')}`;

/** Passes every request to Stripe; an order change's charge is made there and its answer never passed back. */
const startGate = (target: string) =>
  startStripeGate(
    target,
    ({ method, url, body }) =>
      method === 'POST' &&
      url === '/v1/payment_intents' &&
      decodeURIComponent(body.toString()).includes(' change'),
  );

type OrderJson = { id: string; total: number; items: Array<{ quantity: number }> };
type Customer = Shop['customers'][number];

describe(
  "SIGKILL between an order change's charge at Stripe and its record",
  { skip: NEEDS_POSTGRES },
  () => {
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
      server = await startServer({
        ...baseEnv(db.url),
        ...stripeEnv,
        ...noRecovery,
        STRIPE_API_URL: gate.url,
      });
      const shop = await openShop(server.url, { customers: 2, products: [{ price: 10, stock: 10 }] });
      const [alice, bob] = shop.customers as [Customer, Customer];
      const [product] = shop.products as [Shop['products'][number]];
      const base = () => server?.url ?? '';

      // each shopper has a confirmed order of 2 × 10.00, and asks to make it 3: 10.00 more
      const confirmed = async (customer: Customer) => {
        const placed = await call<OrderJson>(base(), 'POST', '/api/v1/orders', {
          token: customer.token,
          body: orderRequest(customer, product, 2),
        });
        assert.equal(placed.status, 201, JSON.stringify(placed.body));
        const orderId = placed.body.id;
        const ask = () =>
          call<OrderJson>(base(), 'PATCH', `/api/v1/orders/${orderId}`, {
            token: customer.token,
            body: {
              items: [{ productId: product.id, quantity: 3 }],
              paymentMethod: { type: 'card', token: 'tok_visa' },
              confirmedAmount: 10,
            },
          });
        return { orderId, total: placed.body.total, ask };
      };
      const aliceOrder = await confirmed(alice);
      const bobOrder = await confirmed(bob);
      const totalOf = async (orderId: string) => {
        const [o] = await rows<{ total_minor: number }>(db, 'select total_minor from orders where id = $1', [
          orderId,
        ]);
        return o?.total_minor;
      };
      const before = await totalOf(aliceOrder.orderId);

      // both changes are charged at Stripe; Orderly never hears back, and dies
      const inFlight = [outcomeOf(aliceOrder.ask()), outcomeOf(bobOrder.ask())];
      await eventually('Stripe to have taken both charges, their answers held from Orderly', async () =>
        gate.held.length === 2 ? true : undefined,
      );
      const open = await rows<{
        order_id: string;
        idempotency_key: string;
        status: string;
        amount_minor: number;
        holds_stock: boolean;
      }>(db, 'select order_id, idempotency_key, status, amount_minor, holds_stock from order_change_charge');
      assert.deepEqual(
        open.map((c) => [c.status, c.amount_minor, c.holds_stock]),
        [
          ['open', 1000, true],
          ['open', 1000, true],
        ],
        'each charge written down, with its unit reserved, before Stripe was asked',
      );
      const keyOf = (orderId: string) => open.find((c) => c.order_id === orderId)?.idempotency_key ?? '';
      server.kill('SIGKILL');
      assert.equal((await server.exited).signal, 'SIGKILL');
      for (const c of await Promise.all(inFlight))
        assert.ok('error' in c, 'the shoppers lost the connection');
      assert.deepEqual(
        [await totalOf(aliceOrder.orderId), await totalOf(bobOrder.orderId)],
        [before, before],
        'the crash kept no change',
      );
      const recorded = await rows(db, 'select id from payment where idempotency_key = any($1)', [
        open.map((c) => c.idempotency_key),
      ]);
      assert.deepEqual(recorded, [], 'and no record of the charges');
      const reservedFor = async (orderId: string) =>
        (
          await rows<{ n: number }>(
            db,
            `select count(*)::int as n from stock_reservation where order_id = $1 and status = 'active'`,
            [orderId],
          )
        )[0]?.n;
      assert.equal(await reservedFor(bobOrder.orderId), 1, "Bob's extra unit is still held");

      const intents = async () => (await stripe.paymentIntents.list({ limit: 100 })).data;
      const intentOf = async (key: string) => {
        const found = (await intents()).filter((pi) => pi.metadata['idempotency_key'] === key);
        assert.equal(found.length, 1, `one intent at Stripe for ${key}`);
        const [pi] = found as [Stripe.PaymentIntent];
        assert.equal(pi.status, 'succeeded');
        return pi;
      };
      const bobFirst = await intentOf(keyOf(bobOrder.orderId));

      // restarted: Alice sends the same change again and it is kept, charged once
      server = await startServer({
        ...baseEnv(db.url),
        ...stripeEnv,
        ...noRecovery,
        STRIPE_API_URL: double.url,
      });
      const again = await aliceOrder.ask();
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.deepEqual([again.body.total, again.body.items[0]?.quantity], [30, 3]);
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
      await eventually('recovery to refund the charge whose change was never kept', async () =>
        double.refunds(bobFirst.id).length > 0 ? true : undefined,
      );
      await eventually('recovery to record the refund', async () => {
        const [c] = await rows<{ status: string }>(
          db,
          'select status from order_change_charge where idempotency_key = $1',
          [keyOf(bobOrder.orderId)],
        );
        return c?.status === 'refunded' ? true : undefined;
      });
      const snapshot = async () => ({
        charges: await rows(
          db,
          'select idempotency_key, status, holds_stock, updated_at from order_change_charge order by idempotency_key',
        ),
        payments: await rows(
          db,
          'select idempotency_key, status, refunded_minor from payment order by idempotency_key',
        ),
        refunds: await rows(
          db,
          'select idempotency_key, status, amount_minor from refund order by idempotency_key',
        ),
        reservations: await rows(db, 'select id, status from stock_reservation order by id'),
        history: await rows(db, 'select order_id, summary from order_history order by id'),
      });
      await assertRecoveryQuiet(snapshot, () => double.requests);

      assert.deepEqual(
        double.refunds(bobFirst.id).map((r) => r.amount),
        [1000],
        "Bob's charge refunded once, in full",
      );
      assert.deepEqual(double.refunds(aliceIntent.id), [], "Alice's change charge is kept");
      assert.equal(await reservedFor(bobOrder.orderId), 0, "Bob's extra unit went back");
      assert.equal(await totalOf(bobOrder.orderId), before, "Bob's order is as it was");
      const timeline = (customer: Customer, orderId: string) => timelineOf(base(), customer.token, orderId);
      const bobSaw = await timeline(bob, bobOrder.orderId);
      assert.deepEqual(
        bobSaw.filter((s) => /change|Refunded/i.test(s)),
        [
          'Payment of $10.00 received for an order change',
          'Refunded $10.00: payment for an order change that was not made: the request was interrupted',
        ],
        bobSaw.join('\n'),
      );
      const [bobCharge] = await rows<{ status: string; holds_stock: boolean }>(
        db,
        'select status, holds_stock from order_change_charge where idempotency_key = $1',
        [keyOf(bobOrder.orderId)],
      );
      assert.deepEqual(bobCharge, { status: 'refunded', holds_stock: false });

      // Bob asks again: his first charge was given back, so this one is charged afresh, once
      const bobAgain = await bobOrder.ask();
      assert.equal(bobAgain.status, 200, JSON.stringify(bobAgain.body));
      assert.equal(bobAgain.body.total, 30);
      assert.equal(
        (await intents()).filter((pi) => pi.metadata['order_id'] === bobOrder.orderId).length,
        3,
        "Bob's order, his first change charge (refunded) and his second",
      );

      // money: each shopper has paid for the order and for one change, and each order has 3 units
      for (const { orderId } of [aliceOrder, bobOrder]) {
        const [net] = await rows<{ paid: number; refunded: number }>(
          db,
          `select (select coalesce(sum(amount_minor), 0) from payment where order_id = $1 and status = 'succeeded')::int as paid,
                (select coalesce(sum(amount_minor), 0) from refund where order_id = $1 and status = 'succeeded')::int as refunded`,
          [orderId],
        );
        const total = await totalOf(orderId);
        assert.equal((net?.paid ?? 0) - (net?.refunded ?? 0), total, `order ${orderId}: its total paid, net`);
        const atStripe = (await intents())
          .filter((pi) => pi.metadata['order_id'] === orderId)
          .reduce(
            (sum, pi) => sum + pi.amount_received - double.refunds(pi.id).reduce((s, r) => s + r.amount, 0),
            0,
          );
        assert.equal(atStripe, total, `order ${orderId}: Stripe kept its total`);
        assert.equal(await reservedFor(orderId), 0, `order ${orderId}: no unit held`);
      }
      const [stock] = await rows<{ on_hand: number; reserved: number }>(
        db,
        'select on_hand, reserved from stock_level where product_id = $1',
        [product.id],
      );
      assert.deepEqual(stock, { on_hand: 4, reserved: 0 }, '6 units sold of 10');
      await assertInvariants(db);
    });
  },
);
