/**
 * The server is killed (SIGKILL) after stock is reserved and the charge has left for the gateway:
 * one charge goes through at Stripe after the kill, the other never arrives. On restart the
 * recovery job asks Stripe about each pending order before doing anything: the paid one is
 * confirmed, the unpaid one cancelled with its stock released. Checked with SQL and against the
 * Stripe double: never a charge without an order, never a confirmed order without a charge.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  createServer,
  request as httpRequest,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
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
} from './support.ts';

const SECRET = `sk_test_crash${randomBytes(12).toString('hex')}`;

/**
 * Between Orderly and the Stripe double: charges whose body matches `hold` are swallowed (they
 * left Orderly but never reach Stripe); everything else is passed through.
 */
async function startGate(target: string, hold: (body: string) => boolean) {
  const held: ServerResponse[] = [];
  const seen: string[] = [];
  const server: HttpServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push(body.toString());
      if (req.method === 'POST' && hold(body.toString())) {
        held.push(res);
        return;
      }
      const upstream = httpRequest(
        new URL(req.url ?? '/', target),
        { method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    held,
    seen,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('SIGKILL between reserving stock and hearing from the gateway', { skip: NEEDS_POSTGRES }, () => {
  let db: FaultDatabase;
  let double: StripeDouble;
  let gate: Awaited<ReturnType<typeof startGate>>;
  let server: Server | undefined;
  let stripe: Stripe;

  before(async () => {
    db = await faultDatabase();
    double = await startStripeDouble({ apiKey: SECRET });
    stripe = new Stripe(SECRET, { ...stripeApiAddress(double.url), maxNetworkRetries: 0 });
    // the 20.00 charge is swallowed on its way; the 10.00 one goes through
    gate = await startGate(double.url, (body) => /(^|&)amount=2000(&|$)/.test(body));
  });
  after(async () => {
    await stopServer(server);
    await gate.close();
    await double.close();
    await db.close();
  });

  test('restarted, recovery confirms the paid order and cancels the unpaid one, stock released', async () => {
    const stripeEnv = { PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: SECRET };
    server = await startServer({
      ...baseEnv(db.url),
      ...stripeEnv,
      STRIPE_API_URL: gate.url,
      // no recovery before the crash
      PAYMENT_RECOVERY_AFTER: '3600',
      SWEEP_INTERVAL_MS: '600000',
    });
    const shop = await openShop(server.url, {
      customers: 2,
      products: [
        { price: 10, stock: 5 },
        { price: 20, stock: 5 },
      ],
    });
    const [paidProduct, unpaidProduct] = shop.products as [
      (typeof shop.products)[0],
      (typeof shop.products)[0],
    ];
    const [alice, bob] = shop.customers as [(typeof shop.customers)[0], (typeof shop.customers)[0]];

    // Stripe takes its time with the 10.00 charge: it completes after Orderly is gone.
    double.delayNext(3_000, { method: 'POST', path: '/v1/payment_intents' });
    const base = server.url;
    const inFlight = [
      outcomeOf(
        call(base, 'POST', '/api/v1/orders', { token: alice.token, body: orderRequest(alice, paidProduct) }),
      ),
      outcomeOf(
        call(base, 'POST', '/api/v1/orders', { token: bob.token, body: orderRequest(bob, unpaidProduct) }),
      ),
    ];
    await eventually('both charges to have left Orderly', async () =>
      gate.held.length === 1 &&
      double.requests.some((r) => r.method === 'POST' && r.path === '/v1/payment_intents')
        ? true
        : undefined,
    );
    const before = await rows<{ id: string; customer_id: string; status: string }>(
      db,
      'select id, customer_id, status from orders',
    );
    assert.deepEqual(
      before.map((o) => o.status).sort(),
      ['pending', 'pending'],
      'reserved, waiting for the gateway',
    );
    const paidOrder = before.find((o) => o.customer_id === alice.id)?.id as string;
    const unpaidOrder = before.find((o) => o.customer_id === bob.id)?.id as string;

    server.kill('SIGKILL');
    assert.equal((await server.exited).signal, 'SIGKILL');
    const clients = await Promise.all(inFlight);
    for (const c of clients) assert.ok('error' in c, 'the clients lost their connection with the process');
    const reserved = await rows<{ product_id: string; on_hand: number; reserved: number }>(
      db,
      'select product_id, on_hand, reserved from stock_level order by product_id',
    );
    assert.deepEqual(
      reserved.map((r) => r.reserved),
      [1, 1],
      'the crash left both reservations',
    );

    // Stripe finishes the charge that reached it; the other one never arrives.
    await eventually(
      'Stripe to complete the delayed charge',
      async () => (double.intentsCreated() === 1 ? true : undefined),
      10_000,
    );
    const requestsBeforeRestart = double.requests.length;

    server = await startServer({
      ...baseEnv(db.url),
      ...stripeEnv,
      STRIPE_API_URL: double.url,
      PAYMENT_RECOVERY_AFTER: '1',
      SWEEP_INTERVAL_MS: '200',
    });
    const settled = await eventually('recovery to settle both orders', async () => {
      const r = await rows<{
        id: string;
        status: string;
        payment_status: string;
        cancellation_reason: string | null;
      }>(db, 'select id, status, payment_status, cancellation_reason from orders');
      return r.every((o) => o.status !== 'pending') ? r : undefined;
    });
    const paid = settled.find((o) => o.id === paidOrder);
    const unpaid = settled.find((o) => o.id === unpaidOrder);
    assert.deepEqual(paid && [paid.status, paid.payment_status], ['confirmed', 'paid']);
    assert.deepEqual(unpaid && [unpaid.status, unpaid.payment_status, unpaid.cancellation_reason], [
      'cancelled',
      'failed',
      'payment_not_completed',
    ]);
    const asked = double.requests.slice(requestsBeforeRestart).filter((r) => r.method === 'GET');
    assert.ok(asked.length >= 2, 'recovery asked Stripe about the orders before acting');

    const stock = await rows<{ product_id: string; on_hand: number; reserved: number }>(
      db,
      'select product_id, on_hand, reserved from stock_level',
    );
    const of = (id: string) => stock.find((s) => s.product_id === id);
    assert.deepEqual(
      of(paidProduct.id) && [of(paidProduct.id)?.on_hand, of(paidProduct.id)?.reserved],
      [4, 0],
      'sold',
    );
    assert.deepEqual(
      of(unpaidProduct.id) && [of(unpaidProduct.id)?.on_hand, of(unpaidProduct.id)?.reserved],
      [5, 0],
      'released',
    );

    // Money: every charge at Stripe belongs to a confirmed order (or was refunded in full), and
    // every confirmed order has a charge at Stripe for its total.
    const intents = (await stripe.paymentIntents.list({ limit: 100 })).data;
    assert.equal(intents.length, 1, 'one charge at Stripe');
    for (const pi of intents) {
      const [order] = await rows<{ status: string; total_minor: number }>(
        db,
        'select status, total_minor from orders where id = $1',
        [pi.metadata['order_id']],
      );
      assert.ok(order, `charge ${pi.id} has an order`);
      if (pi.status === 'succeeded') {
        const refunded = double.refunds(pi.id).reduce((s, r) => s + r.amount, 0);
        assert.ok(
          order.status === 'confirmed' || refunded === pi.amount_received,
          `charge ${pi.id}: order ${order.status}, refunded ${refunded}`,
        );
      }
    }
    const confirmed = await rows<{ id: string; total_minor: number; provider_payment_id: string }>(
      db,
      `select o.id, o.total_minor, p.provider_payment_id from orders o
         left join payment p on p.order_id = o.id and p.status = 'succeeded'
        where o.status = 'confirmed'`,
    );
    for (const o of confirmed) {
      assert.ok(o.provider_payment_id, `confirmed order ${o.id} has a recorded charge`);
      assert.equal(double.status(o.provider_payment_id), 'succeeded');
      assert.equal(double.capturedAmount(o.provider_payment_id), o.total_minor);
    }
    assert.deepEqual(
      double.requests.filter((r) => r.idempotencyKey === `orderly-${unpaidOrder}-placement`),
      [],
      'the swallowed charge never reached Stripe, and recovery did not retry it',
    );
    await assertInvariants(db);
  });
});
