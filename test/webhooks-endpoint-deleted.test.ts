/**
 * A webhook endpoint deleted while a delivery to it waits for its retry, or while an attempt to
 * it is in flight. As designed (docs/webhooks.md), deleting an endpoint deletes its deliveries and
 * their log with it; what stays is the audit entry of the deletion. The delivery worker must not
 * crash, must never send to the deleted endpoint again, and its own log must say that the attempt
 * ended after its endpoint was deleted (not that another worker took it over). Real HTTP to the
 * local receiver double; the worker ticked by hand, time stepped by the app's webhook clock.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../src/platform/logger.ts';
import { startWebhookReceiver, type WebhookReceiver } from './doubles/webhook-receiver.ts';
import { createTestApp, type TestApp } from './helpers.ts';

interface Delivery {
  id: string;
  status: string;
  attempts: number;
}
interface LogLine {
  msg: string;
  deliveryId?: string;
  endpointId?: string;
  outcome?: string;
}

const HOUR = 3_600_000;

describe('a webhook endpoint deleted while a delivery to it is pending or in flight', () => {
  let t: TestApp;
  let admin: string;
  let receiver: WebhookReceiver;
  let offset = 0;
  const lines: LogLine[] = [];

  before(async () => {
    receiver = await startWebhookReceiver();
    t = await createTestApp(
      { WEBHOOKS_TIMEOUT_MS: '5000', WEBHOOKS_RETRY_BASE_MS: '1000', WEBHOOKS_RETRY_MAX_MS: '60000' },
      {
        logger: createLogger('info', {
          write: (line: string) => void lines.push(JSON.parse(line) as LogLine),
        }),
        webhooks: { clock: () => new Date(Date.now() + offset) },
      },
    );
    admin = await t.adminToken();
  });
  after(async () => {
    await t?.close();
    await receiver?.close();
  });

  const register = async (path: string) => {
    const res = await t.request<{ id: string }>('POST', '/api/v1/admin/webhooks', {
      token: admin,
      body: { url: `${receiver.url}${path}`, eventTypes: ['OrderShipped'] },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id;
  };
  const sendTest = async (endpointId: string) => {
    const res = await t.request<Delivery>('POST', `/api/v1/admin/webhooks/${endpointId}/test`, {
      token: admin,
    });
    assert.equal(res.status, 201);
    return res.body;
  };
  const remove = async (endpointId: string) =>
    (await t.request('DELETE', `/api/v1/admin/webhooks/${endpointId}`, { token: admin })).status;
  const deliver = () => t.app.services.webhooks.deliverDue();
  const sentTo = (path: string) => receiver.requests.filter((r) => r.url === path).length;
  /** what is left of a delivery: the API's view and its rows */
  const leftOf = async (deliveryId: string) => ({
    api: (await t.request('GET', `/api/v1/admin/webhook-deliveries/${deliveryId}`, { token: admin })).status,
    deliveries: (
      await t.app.database.db
        .selectFrom('webhook_delivery')
        .select('id')
        .where('id', '=', deliveryId)
        .execute()
    ).length,
    attempts: (
      await t.app.database.db
        .selectFrom('webhook_attempt')
        .select('id')
        .where('delivery_id', '=', deliveryId)
        .execute()
    ).length,
  });
  const deletionAudited = async (endpointId: string) =>
    t.app.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id', 'details'])
      .where('target_id', '=', endpointId)
      .where('action', '=', 'webhook_endpoint.delete')
      .execute();

  test('waiting for its retry: never sent again; the delivery and its log go with the endpoint; the deletion is audited', async () => {
    const endpointId = await register('/retrying');
    receiver.reply({ status: 500, body: 'down for maintenance' });
    const delivery = await sendTest(endpointId);
    assert.equal(await deliver(), 1);
    const waiting = await t.request<Delivery & { attemptLog: Array<{ outcome: string }> }>(
      'GET',
      `/api/v1/admin/webhook-deliveries/${delivery.id}`,
      { token: admin },
    );
    assert.equal(waiting.body.status, 'pending', 'retried later');
    assert.deepEqual(
      waiting.body.attemptLog.map((a) => a.outcome),
      ['http_error'],
    );

    assert.equal(await remove(endpointId), 204);
    offset += 2 * HOUR; // far past the retry's backoff
    assert.equal(await deliver(), 0, 'nothing is claimed for a deleted endpoint');
    assert.equal(sentTo('/retrying'), 1, 'the receiver got the first attempt only');
    assert.deepEqual(await leftOf(delivery.id), { api: 404, deliveries: 0, attempts: 0 });
    const audit = await deletionAudited(endpointId);
    assert.equal(audit.length, 1);
    assert.ok(audit[0]?.actor_id, 'the deletion names the admin who made it');
    assert.equal(audit[0]?.details['pendingDeliveries'], 1, 'and says a delivery was still waiting');
  });

  test('in flight: the worker finishes the attempt without crashing, records nothing, says why, and sends nothing more', async () => {
    const endpointId = await register('/in-flight');
    let answer = () => {};
    receiver.reply({ status: 200, body: 'ok', after: new Promise<void>((resolve) => (answer = resolve)) });
    const delivery = await sendTest(endpointId);
    const before = receiver.requests.length;
    const worker = deliver();
    await receiver.received(before + 1);
    assert.equal(await remove(endpointId), 204, 'deleted while the receiver holds the attempt');
    answer();
    assert.equal(await worker, 1, 'the worker finished its round');

    assert.deepEqual(await leftOf(delivery.id), { api: 404, deliveries: 0, attempts: 0 });
    const said = lines.filter((l) => l.deliveryId === delivery.id);
    assert.deepEqual(
      said.map((l) => [l.msg, l.endpointId, l.outcome]),
      [['webhooks: attempt ended after its endpoint was deleted; nothing recorded', endpointId, 'delivered']],
    );
    assert.equal((await deletionAudited(endpointId)).length, 1);

    // the worker goes on with other endpoints: a later delivery elsewhere is sent and logged
    const otherId = await register('/still-here');
    const other = await sendTest(otherId);
    offset += 2 * HOUR;
    assert.equal(await deliver(), 1);
    assert.equal(sentTo('/in-flight'), 1, 'the deleted endpoint got its one request and no other');
    assert.equal(sentTo('/still-here'), 1);
    const detail = await t.request<Delivery>('GET', `/api/v1/admin/webhook-deliveries/${other.id}`, {
      token: admin,
    });
    assert.equal(detail.body.status, 'delivered');
  });
});
