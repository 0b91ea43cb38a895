/**
 * Outgoing webhooks end to end: endpoints registered through the API, orders placed, the outbox
 * drained, the delivery worker ticked by hand, and what came out read from a real receiver on a
 * local port. Time is the app's injected webhook clock, stepped forward past each backoff and
 * past the 24-hour horizon instead of waited for.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../src/config.ts';
import { systemResolver, type Resolver } from '../src/webhooks/sender.ts';
import {
  startWebhookReceiver,
  type ReceivedRequest,
  type WebhookReceiver,
} from './doubles/webhook-receiver.ts';
import { createTestApp, orderBody, type TestApp } from './helpers.ts';

interface Endpoint {
  id: string;
  url: string;
  eventTypes: string[];
  enabled: boolean;
  pendingDeliveries: number;
  failedDeliveries: number;
  secret?: string;
}
interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  replayOf: string | null;
}
interface Attempt {
  attempt: number;
  outcome: string;
  statusCode: number | null;
  error: string | null;
  responseBody: string | null;
  durationMs: number;
}
interface DeliveryDetail extends Delivery {
  body: { id: string; type: string; createdAt: string; data: Record<string, unknown> };
  attemptLog: Attempt[];
}

const HOUR = 3_600_000;

/** Recomputes the signature as a receiver would, from the secret and the raw body. */
function signatureVerifies(secret: string, request: ReceivedRequest): boolean {
  const header = String(request.headers['orderly-signature'] ?? '');
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(`${match[1]}.${request.body}`).digest('hex');
  return expected === match[2];
}

describe('outgoing webhooks', () => {
  let t: TestApp;
  let admin: string;
  let receiver: WebhookReceiver;
  let offset = 0;
  const resolved: string[] = [];
  const later = (ms: number) => {
    offset += ms;
  };

  before(async () => {
    receiver = await startWebhookReceiver();
    t = await createTestApp(
      { WEBHOOKS_TIMEOUT_MS: '300', WEBHOOKS_RETRY_BASE_MS: '1000', WEBHOOKS_RETRY_MAX_MS: '60000' },
      {
        webhooks: {
          clock: () => new Date(Date.now() + offset),
          // one made-up name, for the pinning test; every other name as the system resolves it
          resolve: async (hostname) => {
            resolved.push(hostname);
            return hostname === 'receiver.invalid'
              ? [{ address: '127.0.0.1', family: 4 }]
              : systemResolver(hostname);
          },
        },
      },
    );
    admin = await t.adminToken();
  });
  after(async () => {
    await t.close();
    await receiver.close();
  });

  const register = async (body: Record<string, unknown>) => {
    const res = await t.request<Endpoint>('POST', '/api/v1/admin/webhooks', { token: admin, body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };
  const deliveriesOf = async (endpointId: string) => {
    const res = await t.request<{ items: Delivery[] }>(
      'GET',
      `/api/v1/admin/webhooks/${endpointId}/deliveries`,
      {
        token: admin,
      },
    );
    assert.equal(res.status, 200);
    return res.body.items;
  };
  const detail = async (deliveryId: string) => {
    const res = await t.request<DeliveryDetail>('GET', `/api/v1/admin/webhook-deliveries/${deliveryId}`, {
      token: admin,
    });
    assert.equal(res.status, 200);
    return res.body;
  };
  const sendTest = async (endpointId: string) => {
    const res = await t.request<Delivery>('POST', `/api/v1/admin/webhooks/${endpointId}/test`, {
      token: admin,
    });
    assert.equal(res.status, 201);
    return res.body;
  };
  const deliver = () => t.app.services.webhooks.deliverDue();
  const disable = async (id: string) => {
    const res = await t.request('PATCH', `/api/v1/admin/webhooks/${id}`, {
      token: admin,
      body: { enabled: false },
    });
    assert.equal(res.status, 200);
  };

  test('an order’s events are POSTed signed to the endpoints that asked for them, and only those', async () => {
    const endpoint = await register({
      url: `${receiver.url}/orders`,
      description: 'ERP',
      eventTypes: ['OrderPlaced', 'OrderConfirmed'],
    });
    assert.match(endpoint.secret ?? '', /^whsec_/);
    const disabled = await register({
      url: `${receiver.url}/off`,
      eventTypes: ['OrderPlaced'],
      enabled: false,
    });
    const listed = await t.request<{ items: Endpoint[] }>('GET', '/api/v1/admin/webhooks', { token: admin });
    assert.equal(listed.body.items.length, 2);
    assert.ok(
      listed.body.items.every((e) => !('secret' in e)),
      'the list never shows secrets',
    );
    const one = await t.request<Endpoint>('GET', `/api/v1/admin/webhooks/${endpoint.id}`, { token: admin });
    assert.equal('secret' in one.body, false);

    const customer = await t.customer('Webhook Buyer');
    const product = await t.product({ price: 25, stock: 5 });
    const order = await t.request<{ id: string }>('POST', '/api/v1/orders', {
      token: customer.token,
      body: orderBody(customer.id, [{ productId: product.id, quantity: 2, price: 25 }]),
    });
    assert.equal(order.status, 201);
    await t.app.outbox.drain();
    assert.equal(await deliver(), 2);

    const received = receiver.requests.filter((r) => r.url === '/orders');
    assert.deepEqual(received.map((r) => JSON.parse(r.body).type).sort(), ['OrderConfirmed', 'OrderPlaced']);
    for (const request of received) {
      assert.ok(signatureVerifies(endpoint.secret ?? '', request), 'the signature verifies with the secret');
      const body = JSON.parse(request.body);
      assert.deepEqual(Object.keys(body), ['id', 'type', 'createdAt', 'data']);
      assert.equal(request.headers['orderly-event-id'], body.id);
      assert.equal(request.headers['orderly-event-type'], body.type);
      assert.equal(request.headers['content-type'], 'application/json');
      assert.match(String(request.headers['user-agent']), /^Orderly-Webhooks\//);
      assert.equal(body.data.orderId, order.body.id);
    }
    const placed = JSON.parse(received.find((r) => JSON.parse(r.body).type === 'OrderPlaced')?.body ?? '{}');
    assert.equal(placed.data.total, 5000, 'the payload is the event’s, money in minor units');
    assert.equal(
      receiver.requests.filter((r) => r.url === '/off').length,
      0,
      'a disabled endpoint gets nothing',
    );
    assert.equal((await deliveriesOf(disabled.id)).length, 0);

    const deliveries = await deliveriesOf(endpoint.id);
    assert.equal(deliveries.length, 2);
    assert.ok(
      deliveries.every((d) => d.status === 'delivered' && d.attempts === 1 && d.nextAttemptAt === null),
    );
    const log = (await detail(deliveries[0]?.id ?? '')).attemptLog;
    assert.equal(log.length, 1);
    assert.equal(log[0]?.outcome, 'delivered');
    assert.equal(log[0]?.statusCode, 200);
    assert.equal(log[0]?.responseBody, 'ok');

    // the outbox dispatching the same events again (a crash before it marked them) adds nothing
    await t.app.database.db.updateTable('outbox').set({ dispatched_at: null }).execute();
    await t.app.outbox.drain();
    assert.equal((await deliveriesOf(endpoint.id)).length, 2);
    assert.equal(await deliver(), 0);
    await disable(endpoint.id);
  });

  test('a receiver answering 500 twice is retried with backoff and the third attempt delivers', async () => {
    const endpoint = await register({ url: `${receiver.url}/flaky`, eventTypes: ['OrderShipped'] });
    receiver.reply({ status: 500, body: 'database down' }, { status: 500, body: 'still down' });
    const delivery = await sendTest(endpoint.id);
    assert.equal(await deliver(), 1);
    let state = await detail(delivery.id);
    assert.equal(state.status, 'pending');
    assert.ok(state.nextAttemptAt && Date.parse(state.nextAttemptAt) > Date.now() + offset, 'retried later');
    assert.equal(await deliver(), 0, 'not due before its backoff');
    later(2_000);
    assert.equal(await deliver(), 1);
    later(4_000);
    assert.equal(await deliver(), 1);
    state = await detail(delivery.id);
    assert.equal(state.status, 'delivered');
    assert.deepEqual(
      state.attemptLog.map((a) => [a.attempt, a.outcome, a.statusCode, a.responseBody]),
      [
        [1, 'http_error', 500, 'database down'],
        [2, 'http_error', 500, 'still down'],
        [3, 'delivered', 200, 'ok'],
      ],
    );
    const bodies = receiver.requests.filter((r) => r.url === '/flaky').map((r) => JSON.parse(r.body));
    assert.equal(bodies.length, 3);
    assert.ok(bodies.every((b) => b.id === delivery.eventId && b.type === 'WebhookTest'));
    await disable(endpoint.id);
  });

  test('a receiver that does not answer in time is recorded as a timeout and tried again', async () => {
    const endpoint = await register({ url: `${receiver.url}/slow`, eventTypes: ['OrderShipped'] });
    receiver.reply('hang');
    const delivery = await sendTest(endpoint.id);
    assert.equal(await deliver(), 1);
    let state = await detail(delivery.id);
    assert.equal(state.status, 'pending');
    assert.equal(state.attemptLog[0]?.outcome, 'timeout');
    assert.equal(state.attemptLog[0]?.statusCode, null);
    assert.match(state.attemptLog[0]?.error ?? '', /300 ms/);
    later(2_000);
    assert.equal(await deliver(), 1);
    state = await detail(delivery.id);
    assert.equal(state.status, 'delivered');
    assert.deepEqual(
      state.attemptLog.map((a) => a.outcome),
      ['timeout', 'delivered'],
    );
    await disable(endpoint.id);
  });

  test('a delivery still failing 24 hours after it was made is given up as failed', async () => {
    const endpoint = await register({ url: `${receiver.url}/broken`, eventTypes: ['OrderShipped'] });
    receiver.reply({ status: 503 }, { status: 503 }, { status: 503 });
    const delivery = await sendTest(endpoint.id);
    assert.equal(await deliver(), 1);
    later(23 * HOUR);
    assert.equal(await deliver(), 1);
    assert.equal((await detail(delivery.id)).status, 'pending', 'within the horizon it is still retried');
    later(2 * HOUR);
    assert.equal(await deliver(), 1);
    const state = await detail(delivery.id);
    assert.equal(state.status, 'failed');
    assert.equal(state.nextAttemptAt, null);
    assert.equal(state.attemptLog.length, 3);
    later(HOUR);
    assert.equal(await deliver(), 0, 'a failed delivery is not tried again');
    const figures = await t.request<Endpoint>('GET', `/api/v1/admin/webhooks/${endpoint.id}`, {
      token: admin,
    });
    assert.equal(figures.body.failedDeliveries, 1);
    assert.equal(figures.body.pendingDeliveries, 0);

    // a replay of the failed delivery: the same event, same id, delivered by a new delivery
    const replay = await t.request<Delivery>(
      'POST',
      `/api/v1/admin/webhook-deliveries/${delivery.id}/replay`,
      {
        token: admin,
      },
    );
    assert.equal(replay.status, 201);
    assert.equal(replay.body.replayOf, delivery.id);
    assert.equal(replay.body.eventId, delivery.eventId);
    assert.equal(replay.body.status, 'pending');
    assert.equal(await deliver(), 1);
    assert.equal((await detail(replay.body.id)).status, 'delivered');
    const last = receiver.requests.filter((r) => r.url === '/broken').at(-1);
    assert.equal(last?.headers['orderly-event-id'], delivery.eventId);
    assert.equal(JSON.parse(last?.body ?? '{}').id, delivery.eventId);
    assert.equal((await detail(delivery.id)).status, 'failed', 'the original keeps its history');
    await disable(endpoint.id);
  });

  test('reveal shows the secret; rotate replaces it and later deliveries are signed with the new one', async () => {
    const endpoint = await register({ url: `${receiver.url}/rotate`, eventTypes: ['OrderShipped'] });
    const revealed = await t.request<{ secret: string }>(
      'POST',
      `/api/v1/admin/webhooks/${endpoint.id}/secret/reveal`,
      {
        token: admin,
      },
    );
    assert.equal(revealed.body.secret, endpoint.secret);
    const rotated = await t.request<{ secret: string }>(
      'POST',
      `/api/v1/admin/webhooks/${endpoint.id}/secret/rotate`,
      {
        token: admin,
      },
    );
    assert.equal(rotated.status, 200);
    assert.notEqual(rotated.body.secret, endpoint.secret);
    await sendTest(endpoint.id);
    await deliver();
    const request = receiver.requests.filter((r) => r.url === '/rotate').at(-1);
    assert.ok(request && signatureVerifies(rotated.body.secret, request));
    assert.equal(signatureVerifies(endpoint.secret ?? '', request), false);
    const audit = await t.app.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id', 'details'])
      .where('target_id', '=', endpoint.id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['webhook_endpoint.create', 'webhook_endpoint.reveal_secret', 'webhook_endpoint.rotate_secret'],
    );
    assert.ok(
      audit.every((a) => a.actor_id !== null),
      'each names the admin who did it',
    );
    assert.ok(!JSON.stringify(audit).includes('whsec_'), 'no secret in the audit log');
    await disable(endpoint.id);
  });

  test('two workers at once never send the same attempt twice', async () => {
    const endpoint = await register({ url: `${receiver.url}/race`, eventTypes: ['OrderShipped'] });
    const sent = await Promise.all(Array.from({ length: 12 }, () => sendTest(endpoint.id)));
    const counts = await Promise.all([deliver(), deliver(), deliver()]);
    assert.equal(
      counts.reduce((a, b) => a + b, 0),
      12,
    );
    const ids = receiver.requests.filter((r) => r.url === '/race').map((r) => r.headers['orderly-event-id']);
    assert.equal(ids.length, 12);
    assert.equal(new Set(ids).size, 12);
    assert.deepEqual(new Set(ids), new Set(sent.map((d) => d.eventId)));
    await disable(endpoint.id);
  });

  test('bad input is a clear 4xx that changes nothing; an unknown id is a 404', async () => {
    const before = (await t.request<{ items: Endpoint[] }>('GET', '/api/v1/admin/webhooks', { token: admin }))
      .body.items;
    const bad: Array<[Record<string, unknown>, number, string]> = [
      [{ url: `${receiver.url}/x`, eventTypes: [] }, 400, 'validation_failed'],
      [{ url: `${receiver.url}/x`, eventTypes: ['NoSuchEvent'] }, 400, 'validation_failed'],
      [{ url: `${receiver.url}/x`, eventTypes: ['OrderPlaced', 'OrderPlaced'] }, 400, 'validation_failed'],
      [{ eventTypes: ['OrderPlaced'] }, 400, 'validation_failed'],
      [{ url: 'ftp://example.com/x', eventTypes: ['OrderPlaced'] }, 422, 'webhook_url_invalid'],
      [{ url: 'https://user:secret@example.com/x', eventTypes: ['OrderPlaced'] }, 422, 'webhook_url_invalid'],
    ];
    for (const [body, status, code] of bad) {
      const res = await t.request<{ code: string; details: Record<string, unknown> }>(
        'POST',
        '/api/v1/admin/webhooks',
        {
          token: admin,
          body,
        },
      );
      assert.equal(res.status, status, JSON.stringify(body));
      assert.equal(res.body.code, code, JSON.stringify(res.body));
    }
    const after = (await t.request<{ items: Endpoint[] }>('GET', '/api/v1/admin/webhooks', { token: admin }))
      .body.items;
    assert.equal(after.length, before.length);
    const missing = '0193a000-0000-7000-8000-000000000000';
    for (const [method, url] of [
      ['GET', `/api/v1/admin/webhooks/${missing}`],
      ['DELETE', `/api/v1/admin/webhooks/${missing}`],
      ['POST', `/api/v1/admin/webhooks/${missing}/test`],
      ['GET', `/api/v1/admin/webhooks/${missing}/deliveries`],
      ['GET', `/api/v1/admin/webhook-deliveries/${missing}`],
      ['POST', `/api/v1/admin/webhook-deliveries/${missing}/replay`],
    ] as const) {
      assert.equal((await t.request(method, url, { token: admin })).status, 404, `${method} ${url}`);
    }
    const empty = await t.request('PATCH', `/api/v1/admin/webhooks/${before[0]?.id}`, {
      token: admin,
      body: {},
    });
    assert.equal(empty.status, 400);
    const cursor = await t.request(
      'GET',
      `/api/v1/admin/webhooks/${before[0]?.id}/deliveries?cursor=nonsense`,
      {
        token: admin,
      },
    );
    assert.equal(cursor.status, 400);
  });

  test('the connection goes to the address the resolver gave and checked; the request keeps its Host', async () => {
    const endpoint = await register({
      url: `http://receiver.invalid:${receiver.port}/pinned`,
      eventTypes: ['OrderShipped'],
    });
    resolved.length = 0;
    await sendTest(endpoint.id);
    assert.equal(await deliver(), 1);
    // `.invalid` never resolves in real DNS: the request arrived because it went to the checked address
    const request = receiver.requests.find((r) => r.url === '/pinned');
    assert.equal(request?.headers.host, `receiver.invalid:${receiver.port}`);
    assert.deepEqual(resolved, ['receiver.invalid'], 'resolved once, by the checked resolver');
    await disable(endpoint.id);
  });

  test('deleting an endpoint takes its deliveries with it', async () => {
    const endpoint = await register({ url: `${receiver.url}/gone`, eventTypes: ['OrderShipped'] });
    const delivery = await sendTest(endpoint.id);
    assert.equal(
      (await t.request('DELETE', `/api/v1/admin/webhooks/${endpoint.id}`, { token: admin })).status,
      204,
    );
    assert.equal(
      (await t.request('GET', `/api/v1/admin/webhooks/${endpoint.id}`, { token: admin })).status,
      404,
    );
    assert.equal(
      (await t.request('GET', `/api/v1/admin/webhook-deliveries/${delivery.id}`, { token: admin })).status,
      404,
    );
    assert.equal(await deliver(), 0);
  });
});

describe('outgoing webhooks: the address policy in production', () => {
  let t: TestApp;
  let admin: string;
  let receiver: WebhookReceiver;
  /** DNS as the test says: `rebind.example` is public at registration, then loopback */
  const answers = new Map<string, string[]>();
  const resolve: Resolver = async (hostname) => {
    const queue = answers.get(hostname);
    const address = queue && queue.length > 1 ? queue.shift() : queue?.[0];
    if (!address) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return [{ address, family: address.includes(':') ? 6 : 4 }];
  };

  before(async () => {
    receiver = await startWebhookReceiver();
    t = await createTestApp(
      { WEBHOOKS_ALLOW_PRIVATE_URLS: 'false', WEBHOOKS_ALLOW_HTTP: 'false', WEBHOOKS_TIMEOUT_MS: '300' },
      { webhooks: { resolve } },
    );
    admin = await t.adminToken();
  });
  after(async () => {
    await t.close();
    await receiver.close();
  });

  test('production defaults refuse internal addresses and plain http; development allows them', () => {
    const production = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'a-production-secret-of-at-least-32-characters',
    });
    assert.equal(production.webhooks.allowPrivateUrls, false);
    assert.equal(production.webhooks.allowHttp, false);
    const development = loadConfig({ NODE_ENV: 'development' });
    assert.equal(development.webhooks.allowPrivateUrls, true);
    assert.equal(development.webhooks.allowHttp, true);
    const allowed = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'a-production-secret-of-at-least-32-characters',
      WEBHOOKS_ALLOW_PRIVATE_URLS: 'true',
    });
    assert.equal(allowed.webhooks.allowPrivateUrls, true);
  });

  test('registration refuses, with 422 and details, URLs that would reach the shop’s own network', async () => {
    answers.set('internal.example', ['10.0.0.7']);
    answers.set('mixed.example', ['93.184.216.34']);
    answers.set('metadata.example', ['::ffff:169.254.169.254']);
    const refused: Array<[string, string]> = [
      [receiver.url, 'webhook_url_forbidden'],
      [`https://127.0.0.1:${receiver.port}/`, 'webhook_url_forbidden'],
      ['https://[::1]/hook', 'webhook_url_forbidden'],
      ['https://localhost/hook', 'webhook_url_forbidden'],
      ['https://internal.example/hook', 'webhook_url_forbidden'],
      ['https://metadata.example/hook', 'webhook_url_forbidden'],
      ['https://nowhere.example/hook', 'webhook_url_forbidden'],
    ];
    for (const [url, code] of refused) {
      const res = await t.request<{ code: string; message: string; details: { field: string } }>(
        'POST',
        '/api/v1/admin/webhooks',
        { token: admin, body: { url, eventTypes: ['OrderPlaced'] } },
      );
      assert.equal(res.status, 422, url);
      assert.equal(res.body.code, code, url);
      assert.equal(res.body.details.field, 'url');
      assert.ok(res.body.message.length > 0);
    }
    const listed = await t.request<{ items: Endpoint[] }>('GET', '/api/v1/admin/webhooks', { token: admin });
    assert.equal(listed.body.items.length, 0, 'nothing was stored');
    const ok = await t.request('POST', '/api/v1/admin/webhooks', {
      token: admin,
      body: { url: 'https://mixed.example/hook', eventTypes: ['OrderPlaced'] },
    });
    assert.equal(ok.status, 201);
  });

  test('a name that resolves to loopback at delivery time (DNS rebinding) is refused before connecting', async () => {
    answers.set('rebind.example', ['93.184.216.34', '127.0.0.1']);
    const created = await t.request<Endpoint>('POST', '/api/v1/admin/webhooks', {
      token: admin,
      body: { url: `https://rebind.example:${receiver.port}/hook`, eventTypes: ['OrderPlaced'] },
    });
    assert.equal(created.status, 201, 'public when it was registered');
    const test = await t.request<Delivery>('POST', `/api/v1/admin/webhooks/${created.body.id}/test`, {
      token: admin,
    });
    assert.equal(await t.app.services.webhooks.deliverDue(), 1);
    const state = await t.request<DeliveryDetail>('GET', `/api/v1/admin/webhook-deliveries/${test.body.id}`, {
      token: admin,
    });
    assert.equal(state.body.status, 'pending', 'refused attempts are retried, in case the name is fixed');
    assert.equal(state.body.attemptLog[0]?.outcome, 'refused');
    assert.match(state.body.attemptLog[0]?.error ?? '', /internal address/);
    assert.equal(receiver.requests.length, 0, 'nothing reached the loopback receiver');
  });
});
