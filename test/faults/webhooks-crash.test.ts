/**
 * Outgoing webhooks across a crash (SIGKILL): an event committed but not yet dispatched, and a
 * delivery in flight when the process died, are both delivered after the restart, one delivery
 * per endpoint and event, each answered with a 2xx exactly once (the test kills the process
 * only while the one attempt it holds is in flight).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startWebhookReceiver, type WebhookReceiver } from '../doubles/webhook-receiver.ts';
import {
  NEEDS_POSTGRES,
  baseEnv,
  call,
  eventually,
  faultDatabase,
  openShop,
  orderRequest,
  rows,
  startServer,
  stopServer,
  type FaultDatabase,
  type Server,
} from './support.ts';

describe('SIGKILL with webhooks waiting and in flight', { skip: NEEDS_POSTGRES }, () => {
  let db: FaultDatabase;
  let receivers: WebhookReceiver[];
  let server: Server | undefined;

  before(async () => {
    db = await faultDatabase();
    receivers = [await startWebhookReceiver(), await startWebhookReceiver()];
  });
  after(async () => {
    await stopServer(server);
    for (const r of receivers) await r.close();
    await db.close();
  });

  test('restarted, every event reaches every endpoint that asked for it, once', async () => {
    const env = { ...baseEnv(db.url), WEBHOOKS_TIMEOUT_MS: '2000' };
    server = await startServer(env);
    const base = server.url;
    const shop = await openShop(base, { customers: 1, products: [{ price: 10, stock: 5 }] });
    const [first, second] = receivers as [WebhookReceiver, WebhookReceiver];
    for (const receiver of receivers) {
      const res = await call(base, 'POST', '/api/v1/admin/webhooks', {
        token: shop.admin,
        body: { url: `${receiver.url}/hook`, eventTypes: ['OrderPlaced', 'OrderConfirmed'] },
      });
      assert.equal(res.status, 201);
    }
    // the first receiver holds its first request: the process dies with that attempt in flight
    first.reply('hang');
    const [customer] = shop.customers as [(typeof shop.customers)[0]];
    const [product] = shop.products as [(typeof shop.products)[0]];
    const order = await call<{ id: string }>(base, 'POST', '/api/v1/orders', {
      token: customer.token,
      body: orderRequest(customer, product),
    });
    assert.equal(order.status, 201);
    await first.received(1);
    // Killed only while the held attempt is the one in flight (claimed, not yet recorded): an
    // attempt answered 200 but not yet recorded when the process dies is sent again (at least
    // once; receivers de-duplicate by event id), and this test counts answers. The worker's
    // batch waits for the held attempt, so nothing new is claimed meanwhile.
    await eventually(
      'the held attempt to be the only one in flight',
      async () => {
        const [inFlight] = await rows<{ n: number }>(
          db,
          `select count(*)::int as n from webhook_delivery d
            where d.status = 'pending' and d.attempts > 0
              and not exists (select from webhook_attempt a
                               where a.delivery_id = d.id and a.attempt = d.attempts)`,
        );
        return inFlight?.n === 1 ? true : undefined;
      },
      1_500,
      10,
    );
    server.kill('SIGKILL');
    await server.exited;

    // committed just before the crash, never dispatched: an event only the outbox knows of
    const orphan = randomUUID();
    await rows(
      db,
      `insert into outbox (id, type, context, aggregate_id, payload)
       values ($1, 'OrderConfirmed', 'orders', $2, $3)`,
      [
        orphan,
        order.body.id,
        JSON.stringify({
          orderId: order.body.id,
          customerId: customer.id,
          total: 1000,
          currency: 'USD',
          timestamp: new Date().toISOString(),
        }),
      ],
    );

    server = await startServer(env);
    const expected = 3; // OrderPlaced, OrderConfirmed, and the orphan, to each endpoint
    const delivered = await eventually('every delivery to be delivered', async () => {
      const all = await rows<{ status: string; event_id: string; endpoint_id: string }>(
        db,
        `select status, event_id, endpoint_id from webhook_delivery`,
      );
      return all.length === expected * 2 && all.every((d) => d.status === 'delivered') ? all : undefined;
    });
    const perEndpoint = new Map<string, Set<string>>();
    for (const d of delivered)
      perEndpoint.set(d.endpoint_id, (perEndpoint.get(d.endpoint_id) ?? new Set()).add(d.event_id));
    assert.deepEqual(
      [...perEndpoint.values()].map((s) => s.size),
      [expected, expected],
      'one delivery per endpoint and event',
    );
    assert.ok(
      [...perEndpoint.values()].every((s) => s.has(orphan)),
      'the undispatched event went out after the restart',
    );

    for (const receiver of [first, second]) {
      // every request but the one that hung was answered 200: each event was acknowledged once
      const answered = receiver.requests
        .slice(receiver === first ? 1 : 0)
        .map((r) => r.headers['orderly-event-id']);
      assert.equal(answered.length, expected, `requests to ${receiver.url}`);
      assert.equal(new Set(answered).size, expected);
    }
    const hung = first.requests[0]?.headers['orderly-event-id'];
    const retried = await rows<{ attempts: number }>(
      db,
      `select attempts from webhook_delivery d join webhook_endpoint e on e.id = d.endpoint_id
        where d.event_id = $1 and e.url = $2`,
      [hung, `${first.url}/hook`],
    );
    assert.equal(
      retried[0]?.attempts,
      2,
      'the attempt in flight at the crash was claimed again after its lease',
    );
  });
});
