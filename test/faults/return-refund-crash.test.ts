/**
 * The server is killed (SIGKILL) after a return's refund was made at Stripe but before Orderly
 * heard the answer and recorded it: the refund row is left pending, the return received. After the
 * restart the admin sends the refund again; it goes to Stripe with the same idempotency key
 * (`orderly-<order>-return-<return>:0`), Stripe replays its first answer, and Orderly records the
 * refund once: one refund at Stripe, one refund row, the return refunded once, on the timeline and
 * in the audit log once. Between Orderly and the Stripe double, a gate passes the refund on and
 * keeps Stripe's answer from Orderly, so the kill lands exactly between the two steps.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
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
  startStripeGate,
} from './support.ts';

const SECRET = `sk_test_returncrash${randomBytes(12).toString('hex')}`;

/** Passes every request to Stripe; a refund's answer is read from Stripe and never passed back. */
const startGate = (target: string) =>
  startStripeGate(target, ({ method, url }) => method === 'POST' && url.startsWith('/v1/refunds'));

type ReturnJson = {
  id: string;
  status: string;
  refund: number | null;
  refundDue: { amount: number } | null;
};

describe("SIGKILL between a return's refund at Stripe and its record", { skip: NEEDS_POSTGRES }, () => {
  let db: FaultDatabase;
  let double: StripeDouble;
  let gate: Awaited<ReturnType<typeof startGate>>;
  let server: Server | undefined;

  before(async () => {
    db = await faultDatabase();
    double = await startStripeDouble({ apiKey: SECRET });
    gate = await startGate(double.url);
  });
  after(async () => {
    await stopServer(server);
    await gate?.close();
    await double?.close();
    await db?.close();
  });

  test('restarted, the refund sent again is recorded once and Stripe refunded once', async () => {
    const stripeEnv = { PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: SECRET };
    server = await startServer({ ...baseEnv(db.url), ...stripeEnv, STRIPE_API_URL: gate.url });
    const shop = await openShop(server.url, { customers: 1, products: [{ price: 30, stock: 5 }] });
    const [customer] = shop.customers as [(typeof shop.customers)[0]];
    const [product] = shop.products as [(typeof shop.products)[0]];
    const admin = (method: string, path: string, body?: unknown) =>
      call<ReturnJson & { code?: string }>(server?.url ?? '', method, path, { token: shop.admin, body });

    // a delivered order, a return of its one unit, received back
    const order = await call<{ id: string }>(server.url, 'POST', '/api/v1/orders', {
      token: customer.token,
      body: orderRequest(customer, product),
    });
    assert.equal(order.status, 201, JSON.stringify(order.body));
    const orderId = order.body.id;
    const shipped = await admin('POST', `/api/v1/admin/orders/${orderId}/ship`, {
      carrier: 'UPS',
      trackingNumber: '1Z999AA10123456784',
    });
    assert.equal(shipped.status, 200, JSON.stringify(shipped.body));
    assert.equal((await admin('POST', `/api/v1/admin/orders/${orderId}/deliver`)).status, 200);
    const returnable = await call<{ returnable: Array<{ lineId: string }> }>(
      server.url,
      'GET',
      `/api/v1/orders/${orderId}/returns`,
      { token: customer.token },
    );
    const lineId = returnable.body.returnable[0]?.lineId ?? '';
    const asked = await call<ReturnJson>(server.url, 'POST', `/api/v1/orders/${orderId}/returns`, {
      token: customer.token,
      body: { lines: [{ lineId, quantity: 1 }], reason: 'damaged' },
    });
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    const returnId = asked.body.id;
    assert.equal((await admin('POST', `/api/v1/admin/returns/${returnId}/approve`)).status, 200);
    const received = await admin('POST', `/api/v1/admin/returns/${returnId}/receive`, {
      lines: [{ lineId, disposition: 'restock' }],
    });
    assert.equal(received.status, 200, JSON.stringify(received.body));
    const due = received.body.refundDue?.amount ?? 0;
    assert.ok(due > 0, 'something to refund');
    const [payment] = await rows<{ provider_payment_id: string }>(
      db,
      'select provider_payment_id from payment where order_id = $1',
      [orderId],
    );
    const intent = payment?.provider_payment_id ?? '';
    assert.ok(intent, 'paid at Stripe');

    // the refund reaches Stripe and is made there; Orderly never hears back, and dies
    const first = outcomeOf(
      admin('POST', `/api/v1/admin/returns/${returnId}/refund`, { expectedAmount: due }),
    );
    await eventually('Stripe to have made the refund, its answer held from Orderly', async () =>
      gate.held.length === 1 && double.refunds(intent).length === 1 ? true : undefined,
    );
    const pending = await rows<{ status: string; amount_minor: number; idempotency_key: string }>(
      db,
      'select status, amount_minor, idempotency_key from refund where order_id = $1',
      [orderId],
    );
    assert.deepEqual(
      pending.map((r) => [r.status, r.amount_minor, r.idempotency_key]),
      [['pending', Math.round(due * 100), `orderly-${orderId}-return-${returnId}:0`]],
      'held against the payment, not yet recorded as made',
    );
    server.kill('SIGKILL');
    assert.equal((await server.exited).signal, 'SIGKILL');
    assert.ok('error' in (await first), 'the admin lost the connection with the process');
    const [crashed] = await rows<{ status: string }>(db, 'select status from return_request where id = $1', [
      returnId,
    ]);
    assert.equal(crashed?.status, 'received', 'the crash left the return received');

    // restarted (straight to Stripe), the admin sends the same refund again
    server = await startServer({ ...baseEnv(db.url), ...stripeEnv, STRIPE_API_URL: double.url });
    const again = await admin('POST', `/api/v1/admin/returns/${returnId}/refund`, { expectedAmount: due });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body.status, 'refunded');
    assert.equal(again.body.refund, due);
    const third = await admin('POST', `/api/v1/admin/returns/${returnId}/refund`, { expectedAmount: due });
    assert.deepEqual([third.status, third.body.status], [200, 'refunded'], 'a third time changes nothing');

    // Stripe: one refund, the second request replayed from its idempotency key
    assert.deepEqual(
      double.refunds(intent).map((r) => r.amount),
      [Math.round(due * 100)],
      'Stripe refunded once',
    );
    const refundCalls = double.requests.filter((r) => r.method === 'POST' && r.path === '/v1/refunds');
    assert.deepEqual(
      refundCalls.map((r) => [r.idempotencyKey, r.replayed]),
      [
        [`orderly-${orderId}-return-${returnId}:0`, false],
        [`orderly-${orderId}-return-${returnId}:0`, true],
      ],
    );
    // Orderly: recorded once
    const recorded = await rows<{ status: string; amount_minor: number }>(
      db,
      'select status, amount_minor from refund where order_id = $1',
      [orderId],
    );
    assert.deepEqual(
      recorded.map((r) => [r.status, r.amount_minor]),
      [['succeeded', Math.round(due * 100)]],
    );
    const [orderRow] = await rows<{ refunded_minor: number; payment_status: string }>(
      db,
      `select coalesce((select sum(amount_minor) from refund where order_id = o.id and status = 'succeeded'), 0)::int
              as refunded_minor, o.payment_status
         from orders o where o.id = $1`,
      [orderId],
    );
    assert.equal(orderRow?.refunded_minor, Math.round(due * 100));
    const timeline = await call<{ items: Array<{ summary: string }> }>(
      server.url,
      'GET',
      `/api/v1/orders/${orderId}/timeline`,
      { token: shop.admin },
    );
    const summaries = timeline.body.items.map((i) => i.summary);
    assert.equal(
      summaries.filter((s) => /^Refunded \$[\d.]+: Return 1$/.test(s)).length,
      1,
      summaries.join('\n'),
    );
    assert.equal(summaries.filter((s) => /^Return 1 refunded/.test(s)).length, 1, summaries.join('\n'));
    const audit = await rows<{ action: string }>(
      db,
      `select action from audit_log where target_id = $1 and action = 'return.refund'`,
      [returnId],
    );
    assert.equal(audit.length, 1);
    await assertInvariants(db);
  });
});
