/**
 * The payment gateway goes away while refunds are asked for, then comes back (issue 13). Each
 * refund waits as `pending`, retried with backoff by the refund job under its own idempotency
 * key; when the gateway is back each is made exactly once and recorded on its order as a refund
 * that worked at once would be. Through Stripe (the official SDK, the Stripe double behind an
 * address that refuses connections while down) and through the sandbox gateway.
 *
 * The outage is a few seconds against a fast retry policy; with the default one (1 min doubling
 * to 1 h, 10 attempts) a refund is retried for about eight hours before it ends `failed`.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { SandboxPaymentProvider } from '../../src/payment/sandbox.ts';
import { PaymentUnavailableError, type PaymentProvider } from '../../src/payment/provider.ts';
import { startStripeDouble, type StripeDouble } from '../doubles/stripe-double.ts';
import { createTestApp, orderBody, type TestApp } from '../helpers.ts';
import {
  NEEDS_POSTGRES,
  assertInvariants,
  eventually,
  freePort,
  switchableAddress,
  type FaultDatabase,
} from './support.ts';

const SECRET = `sk_test_outage${randomBytes(12).toString('hex')}`;
const FAST_RETRY = { baseDelayMs: 100, maxDelayMs: 400, maxAttempts: 200, leaseMs: 5_000 };

interface OrderJson {
  id: string;
  status: string;
  payment: { status: string; amountPaid: number; amountRefunded: number };
}

/** The checks of every fault suite, on the test app's own database. */
async function invariants(t: TestApp): Promise<void> {
  const sql = new pg.Pool({ connectionString: t.database.url, max: 1 });
  const db: FaultDatabase = { test: t.database, url: t.database.url ?? '', sql, close: () => sql.end() };
  try {
    await assertInvariants(db);
  } finally {
    await db.close();
  }
}

function shopper(t: TestApp) {
  return {
    async paidOrder(price: number, customer: { token: string; id: string }) {
      const product = await t.product({ price, stock: 5 });
      const res = await t.request<OrderJson>('POST', '/api/v1/orders', {
        token: customer.token,
        body: orderBody(customer.id, [{ productId: product.id, quantity: 1, price }]),
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body.id;
    },
    async refund(orderId: string, amount: number, key: string) {
      return t.request<{ code?: string }>('POST', `/api/v1/admin/orders/${orderId}/refund`, {
        token: await t.adminToken(),
        body: { amount, reason: 'Outage drill' },
        headers: { 'idempotency-key': key },
      });
    },
    async order(orderId: string) {
      const res = await t.request<OrderJson>('GET', `/api/v1/orders/${orderId}`, {
        token: await t.adminToken(),
      });
      return res.body;
    },
    async timeline(orderId: string) {
      const res = await t.request<{ items: Array<{ summary: string }> }>(
        'GET',
        `/api/v1/orders/${orderId}/timeline`,
        { token: await t.adminToken() },
      );
      return res.body.items.map((i) => i.summary);
    },
    refunds: () =>
      t.app.database.db
        .selectFrom('refund')
        .select(['order_id', 'status', 'attempts', 'amount_minor', 'last_error'])
        .execute(),
  };
}

describe('Stripe is unreachable while refunds are asked for, then back', { skip: NEEDS_POSTGRES }, () => {
  let double: StripeDouble;
  let gateway: ReturnType<typeof switchableAddress>;
  let t: TestApp;

  before(async () => {
    double = await startStripeDouble({ apiKey: SECRET });
    const port = await freePort();
    gateway = switchableAddress(port, double.port);
    await gateway.up();
    t = await createTestApp(
      {
        PAYMENT_PROVIDER: 'stripe',
        STRIPE_SECRET_KEY: SECRET,
        STRIPE_API_URL: `http://127.0.0.1:${port}`,
        SWEEP_INTERVAL_MS: '100',
        OUTBOX_POLL_MS: '50',
      },
      { background: true, stripe: { timeoutMs: 1000, maxNetworkRetries: 0 }, refundRetry: FAST_RETRY },
    );
  });
  after(async () => {
    await t.close();
    await gateway.down();
    await double.close();
  });

  test('admin refunds and a cancellation wait as pending, then each is made exactly once', async () => {
    const s = shopper(t);
    const customer = await t.customer('Rhea');
    const partial = await s.paidOrder(40, customer);
    const full = await s.paidOrder(25, customer);
    const cancelled = await s.paidOrder(18, customer);

    await gateway.down();
    const a = await s.refund(partial, 15, 'partial');
    const b = await s.refund(full, 25, 'full');
    assert.deepEqual(
      [a.status, a.body.code, b.status, b.body.code],
      [502, 'payment_unavailable', 502, 'payment_unavailable'],
    );
    const cancel = await t.request<OrderJson>('POST', `/api/v1/orders/${cancelled}/cancel`, {
      token: customer.token,
      body: { reason: 'changed my mind' },
    });
    assert.equal(cancel.status, 200, 'the cancellation itself goes through');
    assert.equal(cancel.body.status, 'cancelled');

    const waiting = await eventually('every refund to have been retried while Stripe is down', async () => {
      const rows = await s.refunds();
      return rows.length === 3 && rows.every((r) => r.status === 'pending' && r.attempts >= 3)
        ? rows
        : undefined;
    });
    for (const r of waiting) assert.match(r.last_error ?? '', /connect|ECONNREFUSED|reach/i);
    assert.equal((await s.order(partial)).payment.status, 'paid', 'nothing refunded is shown as refunded');
    assert.equal(double.refunds().length, 0);

    await gateway.up();
    await eventually('every refund to be made', async () => {
      const rows = await s.refunds();
      return rows.every((r) => r.status === 'succeeded') ? rows : undefined;
    });
    assert.deepEqual(
      double
        .refunds()
        .map((r) => r.amount)
        .sort((x, y) => x - y),
      [1500, 1800, 2500],
      'one refund at Stripe per request, for its amount',
    );
    assert.deepEqual((await s.order(partial)).payment, {
      status: 'partially_refunded',
      amountPaid: 40,
      amountRefunded: 15,
    });
    assert.deepEqual((await s.order(full)).payment, {
      status: 'refunded',
      amountPaid: 25,
      amountRefunded: 25,
    });
    assert.deepEqual((await s.order(cancelled)).payment, {
      status: 'refunded',
      amountPaid: 18,
      amountRefunded: 18,
    });
    assert.ok((await s.timeline(partial)).includes('Refunded $15.00: Outage drill'));
    assert.ok((await s.timeline(cancelled)).includes('Refunded $18.00'));
    await invariants(t);
  });

  test('an answer lost after Stripe made the refund: the retry under the same key finds it, nothing refunded twice', async () => {
    const s = shopper(t);
    const customer = await t.customer('Saul');
    const orderId = await s.paidOrder(30, customer);
    const before = double.refunds().length;
    double.dropNext({ method: 'POST', path: '/v1/refunds', after: 'processed' });
    const lost = await s.refund(orderId, 30, 'lost-answer');
    assert.equal(lost.status, 200, JSON.stringify(lost.body));
    assert.equal((await s.order(orderId)).payment.status, 'refunded');
    assert.equal(double.refunds().length, before + 1, 'Stripe made it once');
    const key = `orderly-${orderId}-admin-lost-answer:0`;
    assert.deepEqual(
      double.requests.filter((r) => r.idempotencyKey === key).map((r) => [r.status, r.replayed]),
      [
        ['dropped', false],
        [200, true],
      ],
      "the retry was answered from Stripe's record of the first",
    );
    assert.deepEqual(
      (await s.refunds()).filter((r) => r.order_id === orderId).map((r) => r.status),
      ['succeeded'],
    );
  });
});

describe(
  'the sandbox gateway is unavailable while a refund is asked for, then back',
  { skip: NEEDS_POSTGRES },
  () => {
    let t: TestApp;
    let down = false;

    before(async () => {
      // The sandbox on the app's own database does the work; while `down`, it cannot be reached.
      let sandbox: SandboxPaymentProvider | null = null;
      const gateway = () => {
        if (!sandbox) throw new Error('the sandbox is made once the app has its database');
        return sandbox;
      };
      const reachable: PaymentProvider = {
        name: 'sandbox',
        charge: (request) => gateway().charge(request),
        status: (query) => gateway().status(query),
        refund: async (request) => {
          if (down) throw new PaymentUnavailableError('The sandbox gateway could not be reached.');
          return gateway().refund(request);
        },
      };
      t = await createTestApp(
        { SWEEP_INTERVAL_MS: '100', OUTBOX_POLL_MS: '50' },
        { background: true, paymentProvider: reachable, refundRetry: FAST_RETRY },
      );
      sandbox = new SandboxPaymentProvider(t.app.database.db);
    });
    after(async () => {
      await t.close();
    });

    test('the refund is retried until the sandbox answers, then recorded once', async () => {
      const s = shopper(t);
      const customer = await t.customer('Tess');
      const orderId = await s.paidOrder(12, customer);
      down = true;
      assert.equal((await s.refund(orderId, 12, 'sandbox')).status, 502);
      await eventually('the refund to have been retried', async () => {
        const [row] = await s.refunds();
        return row?.status === 'pending' && row.attempts >= 3 ? row : undefined;
      });
      down = false;
      await eventually('the refund to be made', async () => {
        const order = await s.order(orderId);
        return order.payment.status === 'refunded' ? order : undefined;
      });
      const ledger = await t.app.database.db.selectFrom('sandbox_refund').select('amount_minor').execute();
      assert.deepEqual(ledger, [{ amount_minor: 1200 }]);
      await invariants(t);
    });
  },
);
