/**
 * `npm start` at a terminal prints readable lines, and JSON elsewhere; files of the web app are
 * not logged one line per request.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { createLogger, isStaticAssetRequest } from '../src/platform/logger.ts';
import { createTestApp, type TestApp } from './helpers.ts';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text += chunk.toString('utf8');
    done();
  }
}

test('pretty: a readable line with level and message; otherwise one JSON object per line', () => {
  const pretty = new Capture();
  createLogger('info', pretty, { pretty: true }).info(
    { orderId: 'o-1', password: 'hunter2-secret' },
    'order placed',
  );
  assert.match(pretty.text, /INFO.*order placed/);
  assert.match(pretty.text, /orderId: "o-1"/);
  assert.throws(() => JSON.parse(pretty.text.split('\n')[0] ?? ''));
  assert.ok(!pretty.text.includes('hunter2-secret'), 'redaction applies to pretty lines too');

  const json = new Capture();
  createLogger('info', json).info({ orderId: 'o-1' }, 'order placed');
  const line = JSON.parse(json.text.trim()) as { msg: string; orderId: string };
  assert.equal(line.msg, 'order placed');
  assert.equal(line.orderId, 'o-1');
});

test('which requests are files of the web app', () => {
  for (const url of ['/assets/index-3f2a.js', '/favicon.ico', '/assets/app.css?v=2']) {
    assert.equal(isStaticAssetRequest({ url }), true, url);
  }
  for (const url of ['/api/v1/products', '/api/v1/products/a.b', '/orders/123', '/', '/admin', undefined]) {
    assert.equal(isStaticAssetRequest({ url }), false, String(url));
  }
});

describe('request logging', () => {
  const capture = new Capture();
  let t: TestApp;
  before(async () => {
    t = await createTestApp({}, { logger: createLogger('info', capture) });
  });
  after(() => t.close());

  test('API requests are logged; requests for files of the web app are not', async () => {
    await t.app.server.inject({ method: 'GET', url: '/assets/index-3f2a.js' });
    await t.app.server.inject({ method: 'GET', url: '/favicon.ico' });
    await t.app.server.inject({ method: 'GET', url: '/api/v1/products' });
    const urls = capture.text
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { req?: { url: string } }).req?.url)
      .filter(Boolean);
    assert.ok(urls.includes('/api/v1/products'), urls.join(', '));
    assert.ok(!urls.some((u) => u?.includes('.js') || u?.includes('.ico')), urls.join(', '));
  });
});
