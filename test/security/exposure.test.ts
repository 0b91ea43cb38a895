/**
 * What an anonymous client can reach besides the API: `/metrics` behind a bearer token or on a
 * listener of its own, and live-update streams limited per client address.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestApp, type TestApp } from '../helpers.ts';

const METRICS_TOKEN = 'metrics-token-for-the-scraper-0123';

describe('METRICS_TOKEN', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ METRICS_TOKEN });
  });
  after(() => t.close());

  const scrape = (authorization?: string) =>
    t.app.server.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });

  test('a scrape without the token, or with another, is a 401; with it, the metrics', async () => {
    for (const authorization of [
      undefined,
      'Bearer wrong-token',
      `Bearer ${METRICS_TOKEN}x`,
      METRICS_TOKEN,
    ]) {
      const res = await scrape(authorization);
      assert.equal(res.statusCode, 401, String(authorization));
      assert.ok(!res.body.includes('orderly_'), 'no metric in a refusal');
    }
    const res = await scrape(`Bearer ${METRICS_TOKEN}`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /orderly_http_requests_total/);
  });
});

describe('METRICS_PORT', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' });
  });
  after(() => t.close());

  test('/metrics moves to its own listener: the public one does not serve the figures', async () => {
    const publicAnswer = await t.app.server.inject({ method: 'GET', url: '/metrics' });
    // a 404, or the web app's own page when it is built (it answers every path it does not know)
    assert.ok([200, 404].includes(publicAnswer.statusCode), `status ${publicAnswer.statusCode}`);
    assert.doesNotMatch(publicAnswer.body, /orderly_http_requests_total/);
    assert.doesNotMatch(String(publicAnswer.headers['content-type']), /^text\/plain/);
    assert.ok(t.app.metricsAddress, 'the metrics listener has an address');
    const res = await fetch(`${t.app.metricsAddress}/metrics`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /orderly_http_requests_total/);
  });
});

describe('live-update streams per client address', () => {
  let t: TestApp;
  let base: string;
  const open: AbortController[] = [];
  before(async () => {
    t = await createTestApp({ LIVE_STREAMS_PER_ADDRESS: '2' });
    await t.app.server.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t.app.server.server.address() as AddressInfo).port}/api/v1/events/stream`;
  });
  after(async () => {
    for (const controller of open) controller.abort();
    await t.close();
  });

  const stream = async (query = '') => {
    const controller = new AbortController();
    const res = await fetch(`${base}${query}`, { signal: controller.signal });
    if (res.status === 200) open.push(controller);
    return { res, controller };
  };

  test('beyond the limit an anonymous stream is a 429; an admin is not counted; a closed stream frees its place', async () => {
    assert.equal((await stream()).res.status, 200);
    const second = await stream();
    assert.equal(second.res.status, 200);
    const third = await stream();
    assert.equal(third.res.status, 429);
    const body = (await third.res.json()) as { code: string };
    assert.equal(body.code, 'too_many_streams');
    assert.ok(third.res.headers.get('retry-after'));

    const admin = await stream(`?token=${await t.adminToken()}`);
    assert.equal(admin.res.status, 200, 'an admin stream from the same address');

    second.controller.abort();
    // the server hears of the closed connection a moment later; ask until it has
    let again = 429;
    for (let i = 0; i < 100 && again === 429; i++) {
      const attempt = await stream();
      again = attempt.res.status;
      if (again === 429) {
        await attempt.res.body?.cancel();
        await sleep(20);
      }
    }
    assert.equal(again, 200);
  });
});
