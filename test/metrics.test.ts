import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { buildApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { PaymentProvider } from '../src/payment/provider.ts';
import { createLogger } from '../src/platform/logger.ts';
import { createTestApp, orderBody, type TestApp } from './helpers.ts';

/** One sample of a Prometheus text scrape. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseScrape(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(match, `a valid sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const m of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[m[1] as string] = m[2] as string;
    }
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of the samples of `name` whose labels include `labels`; 0 when there are none. */
function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

/**
 * A gateway decided by the token: `tok_visa` pays, `tok_chargeDeclined` is declined, and
 * `tok_threeDSecure` waits for a 3-D Secure step that never comes (its reservation expires).
 */
function tokenGateway(): PaymentProvider {
  const charges = new Map<string, 'succeeded' | 'requires_action'>();
  const id = () => `pi_test_${randomBytes(6).toString('hex')}`;
  return {
    name: 'sandbox',
    async charge(request) {
      const token = request.paymentMethod.token;
      if (token === 'tok_chargeDeclined') {
        return {
          status: 'declined',
          paymentId: id(),
          code: 'card_declined',
          declineCode: 'generic_decline',
          message: 'Your card was declined.',
        };
      }
      const status = token === 'tok_threeDSecure' ? 'requires_action' : 'succeeded';
      charges.set(request.idempotencyKey, status);
      return status === 'succeeded'
        ? { status, paymentId: id(), amount: request.amount }
        : { status, paymentId: id(), clientSecret: 'pi_secret_test' };
    },
    async refund() {
      return { refundId: `re_test_${randomBytes(6).toString('hex')}`, status: 'succeeded' };
    },
    async status(query) {
      const status = charges.get(query.idempotencyKey);
      if (!status) return { status: 'not_found' };
      return status === 'succeeded'
        ? { status, paymentId: id(), amount: { amount: 0, currency: 'USD' } }
        : { status, paymentId: id() };
    },
  };
}

describe('GET /metrics', () => {
  let t: TestApp;
  let customer: { token: string; id: string };
  let product: { id: string; price: number };
  let orderId = '';

  const scrape = async (app: App = t.app) => {
    const response = await app.server.inject({ method: 'GET', url: '/metrics' });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    return parseScrape(response.body);
  };
  const place = (quantity: number, card = 'tok_visa') =>
    t.request<{ id: string; code?: string }>('POST', '/api/v1/orders', {
      token: customer.token,
      body: orderBody(customer.id, [{ productId: product.id, quantity, price: product.price }], card),
    });

  before(async () => {
    t = await createTestApp({}, { paymentProvider: tokenGateway() });
    customer = await t.customer();
    product = await t.product({ price: 12.5, stock: 10 });
  });
  after(() => t?.close());

  test('orders placed, confirmed and failed by reason; payment outcomes; requests per route and status', async () => {
    const first = await place(1);
    assert.equal(first.status, 201);
    orderId = first.body.id;
    assert.equal((await place(2)).status, 201);
    const declined = await place(1, 'tok_chargeDeclined');
    assert.equal(declined.status, 402);
    const tooMany = await place(50);
    assert.equal(tooMany.status, 409);
    assert.equal(tooMany.body.code, 'out_of_stock');
    assert.equal(
      (await t.request('GET', `/api/v1/orders/${orderId}`, { token: customer.token })).status,
      200,
    );
    assert.equal((await t.request('GET', '/api/v1/no-such-thing')).status, 404);

    // Before dispatch: the events wait in the outbox, and nothing domain-level is counted yet.
    const waiting = await scrape();
    assert.ok(total(waiting, 'orderly_outbox_pending_events') > 0);
    assert.ok(total(waiting, 'orderly_outbox_lag_seconds') > 0, 'the oldest event has an age');
    assert.equal(total(waiting, 'orderly_orders_placed_total'), 0);

    await t.app.outbox.drain();
    const s = await scrape();
    assert.equal(total(s, 'orderly_outbox_pending_events'), 0);
    assert.equal(total(s, 'orderly_outbox_lag_seconds'), 0);

    assert.equal(total(s, 'orderly_orders_placed_total'), 3, 'two paid and one declined were recorded');
    assert.equal(total(s, 'orderly_orders_confirmed_total'), 2);
    assert.equal(total(s, 'orderly_orders_failed_total', { reason: 'payment_declined' }), 1);
    assert.equal(
      total(s, 'orderly_orders_failed_total', { reason: 'out_of_stock' }),
      1,
      'refused before any order existed',
    );
    assert.equal(total(s, 'orderly_orders_failed_total'), 2);
    assert.equal(total(s, 'orderly_payments_total', { outcome: 'succeeded' }), 2);
    assert.equal(total(s, 'orderly_payments_total', { outcome: 'failed', reason: 'generic_decline' }), 1);
    assert.equal(
      total(s, 'orderly_reservations_active'),
      0,
      'paid ones committed, the declined one released',
    );

    const route = { method: 'POST', route: '/api/v1/orders' };
    assert.equal(total(s, 'orderly_http_requests_total', { ...route, status: '201' }), 2);
    assert.equal(total(s, 'orderly_http_requests_total', { ...route, status: '402' }), 1);
    assert.equal(total(s, 'orderly_http_requests_total', { ...route, status: '409' }), 1);
    assert.equal(total(s, 'orderly_http_request_duration_seconds_count', { ...route, status: '201' }), 2);
    assert.equal(
      total(s, 'orderly_http_request_duration_seconds_bucket', { ...route, status: '201', le: '+Inf' }),
      2,
    );
    assert.ok(total(s, 'orderly_http_request_duration_seconds_sum', { ...route, status: '201' }) > 0);
    assert.equal(
      total(s, 'orderly_http_requests_total', { method: 'GET', route: '/api/v1/orders/:id', status: '200' }),
      1,
      'the route pattern, not the URL',
    );
    assert.ok(!s.some((x) => x.labels['route']?.includes(orderId)), 'no raw ids in labels');
    assert.equal(total(s, 'orderly_http_requests_total', { route: 'unmatched', status: '404' }), 1);
    assert.ok(total(s, 'process_cpu_user_seconds_total') > 0, 'the default process metrics too');
  });

  test('the notification queue: depth while messages wait, sent once delivered', async () => {
    const db = t.app.database.db;
    const pending = async () =>
      Number(
        (
          await sql<{
            n: number;
          }>`select count(*)::int as n from notification where status = 'pending'`.execute(db)
        ).rows[0]?.n,
      );
    const waiting = await pending();
    assert.ok(waiting > 0, 'the confirmations are queued');
    let s = await scrape();
    assert.equal(total(s, 'orderly_notification_queue_depth'), waiting);
    assert.equal(total(s, 'orderly_notifications_failed'), 0);

    await t.app.services.notifications.sendDue();
    await t.app.outbox.drain();
    s = await scrape();
    assert.equal(total(s, 'orderly_notification_queue_depth'), await pending());
    assert.equal(total(s, 'orderly_notification_queue_depth'), 0);
    assert.equal(total(s, 'orderly_notifications_sent_total', { channel: 'email' }), waiting);

    await sql`update notification set status = 'failed', attempts = 6 where id = (select id from notification limit 1)`.execute(
      db,
    );
    s = await scrape();
    assert.equal(total(s, 'orderly_notifications_failed'), 1);
  });

  test('reservations: active while unpaid, overdue past expiry, counted as expired once released', async () => {
    const held = await place(3, 'tok_threeDSecure');
    assert.equal(held.status, 201);
    let s = await scrape();
    assert.equal(total(s, 'orderly_reservations_active'), 1);
    assert.equal(total(s, 'orderly_reserved_units'), 3);
    assert.equal(total(s, 'orderly_reservations_overdue'), 0);

    await sql`update stock_reservation set expires_at = now() - interval '1 minute' where status = 'active'`.execute(
      t.app.database.db,
    );
    s = await scrape();
    assert.equal(total(s, 'orderly_reservations_overdue'), 1);

    assert.equal(await t.app.services.orders.recoverStalledOrders(), 1);
    await t.app.outbox.drain();
    s = await scrape();
    assert.equal(total(s, 'orderly_reservations_active'), 0);
    assert.equal(total(s, 'orderly_reservations_overdue'), 0);
    assert.equal(total(s, 'orderly_reservations_expired_total'), 1);
    assert.equal(total(s, 'orderly_orders_failed_total', { reason: 'payment_not_completed' }), 1);
    assert.equal(total(s, 'orderly_orders_placed_total'), 4);
  });

  test('two instances on one database count each event once between them', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      SEED_DEMO_DATA: 'false',
      JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256',
    });
    const second = await buildApp(config, {
      database: t.database.handle,
      background: false,
      logger: createLogger('silent'),
      paymentProvider: tokenGateway(),
    });
    await second.start();
    try {
      const before = [await scrape(), await scrape(second)];
      for (let i = 0; i < 4; i++) assert.equal((await place(1)).status, 201);
      await Promise.all([
        t.app.outbox.drain(),
        second.outbox.drain(),
        t.app.outbox.drain(),
        second.outbox.drain(),
      ]);
      const afterwards = [await scrape(), await scrape(second)];
      const delta = (name: string) =>
        afterwards.reduce((sum, s) => sum + total(s, name), 0) -
        before.reduce((sum, s) => sum + total(s, name), 0);
      assert.equal(delta('orderly_orders_placed_total'), 4);
      assert.equal(delta('orderly_orders_confirmed_total'), 4);
      assert.equal(delta('orderly_payments_total'), 4);
      // Levels describe the shared database: both instances report the same.
      assert.equal(
        total(afterwards[0] ?? [], 'orderly_reservations_active'),
        total(afterwards[1] ?? [], 'orderly_reservations_active'),
      );
    } finally {
      await second.close();
    }
  });

  test('/metrics is not part of the API document', async () => {
    const doc = await t.app.server.inject({ method: 'GET', url: '/api-docs/json' });
    const paths = Object.keys((JSON.parse(doc.body) as { paths: Record<string, unknown> }).paths);
    assert.ok(paths.length > 10);
    assert.ok(!paths.some((p) => p.includes('metrics')));
  });
});
