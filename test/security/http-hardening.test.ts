/**
 * The HTTP surface: request bodies are bounded (413 in the error format), helmet's security
 * headers are on every answer, the Content-Security-Policy allows only the site's own scripts
 * and the built web app runs under it without a single violation (in Chromium, when the app is
 * built and Chromium is installed), and CORS answers only the configured origins.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createTestApp, type TestApp } from '../helpers.ts';
import { errorShapeProblem } from './support.ts';

const WEB_INDEX = fileURLToPath(new URL('../../web/dist/index.html', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name as string, values]),
  );
}

describe('request bodies, security headers and the Content-Security-Policy', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  test('a body over 256 KiB is a 413 in the error format, and nothing is created', async () => {
    const token = await t.adminToken();
    const res = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/products',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ sku: 'BIG-1', name: 'Big', price: 1, description: 'x'.repeat(300 * 1024) }),
    });
    assert.equal(res.statusCode, 413);
    assert.equal(errorShapeProblem({ status: 413, headers: res.headers, body: res.body }), null);
    assert.equal(res.json().code, 'body_too_large');
    const products = await t.app.database.db
      .selectFrom('product')
      .select('id')
      .where('sku', '=', 'BIG-1')
      .execute();
    assert.equal(products.length, 0);
  });

  test('a body just under the limit is read (and refused for its content, not its size)', async () => {
    const token = await t.adminToken();
    const res = await t.request('POST', '/api/v1/products', {
      token,
      body: { sku: 'BIG-2', name: 'Big', price: 1, description: 'x'.repeat(200 * 1024) },
    });
    assert.equal(res.status, 400, 'description is at most 5,000 characters');
    assert.equal(res.body['code'], 'validation_failed');
  });

  test("helmet's headers are on API answers and on errors", async () => {
    for (const url of ['/api/v1/products', '/api/v1/nowhere', '/api/v1/orders']) {
      const res = await t.app.server.inject({ method: 'GET', url });
      const h = res.headers;
      assert.ok(h['content-security-policy'], `${url}: CSP`);
      assert.equal(h['x-content-type-options'], 'nosniff', url);
      assert.equal(h['x-frame-options'], 'SAMEORIGIN', url);
      assert.match(String(h['strict-transport-security']), /max-age=\d+/, url);
      assert.equal(h['referrer-policy'], 'no-referrer', url);
      assert.equal(h['cross-origin-opener-policy'], 'same-origin', url);
      assert.equal(h['x-powered-by'], undefined, url);
      assert.match(String(h['content-type']), /^application\/json/, `${url}: JSON is never sniffed as HTML`);
    }
  });

  test("the CSP allows the site's own scripts and nothing external, inline or evaluated", async () => {
    const res = await t.app.server.inject({ method: 'GET', url: '/api/v1/products' });
    const csp = directives(String(res.headers['content-security-policy']));
    assert.deepEqual(csp.get('default-src'), ["'self'"]);
    assert.deepEqual(csp.get('script-src'), ["'self'"], 'no inline scripts, no eval, no other origin');
    assert.deepEqual(csp.get('connect-src'), ["'self'"], 'the app talks to its own API only');
    assert.deepEqual(csp.get('object-src'), ["'none'"]);
    assert.deepEqual(csp.get('frame-ancestors'), ["'none'"], 'no clickjacking');
    assert.deepEqual(csp.get('base-uri'), ["'self'"]);
    assert.deepEqual(csp.get('script-src-attr'), ["'none'"], 'no onclick="…" attributes');
    for (const [name, values] of csp) {
      if (name === 'img-src') continue; // product images may live on any https host
      for (const v of values) assert.ok(!/^https?:|^\*$/.test(v) || v === "'self'", `${name} allows ${v}`);
    }
  });

  test('the built web app needs nothing the CSP forbids: no inline script, only same-origin assets', async (ctx) => {
    if (!existsSync(WEB_INDEX)) {
      ctx.skip('web/dist is not built (npm run build:web): nothing to check');
      return;
    }
    const res = await t.app.server.inject({ method: 'GET', url: '/' });
    assert.equal(res.statusCode, 200);
    assert.ok(res.headers['content-security-policy'], 'the page is served with the CSP');
    const html = res.body;
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    assert.ok(scripts.length > 0, 'the page has scripts');
    for (const [, attrs, inner] of scripts) {
      assert.match(attrs ?? '', /\bsrc="\/[^/]/, `script from the site itself: ${attrs}`);
      assert.equal((inner ?? '').trim(), '', 'no inline script');
    }
    for (const [, href] of html.matchAll(/<link\b[^>]*href="([^"]+)"/gi))
      assert.match(href ?? '', /^\/[^/]/, `link to the site itself: ${href}`);
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
  });

  test('in Chromium, the storefront and the admin load with no CSP violation', async (ctx) => {
    if (!existsSync(WEB_INDEX)) {
      ctx.skip('web/dist is not built (npm run build:web): nothing to load');
      return;
    }
    if (!existsSync(CHROMIUM)) {
      ctx.skip(`no Chromium at ${CHROMIUM} (apt-get install chromium): the static check above still ran`);
      return;
    }
    const { chromium } = await import('playwright-core');
    await t.app.server.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.app.server.server.address() as AddressInfo;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      for (const path of ['/', '/admin']) {
        const page = await browser.newPage();
        const violations: string[] = [];
        page.on('console', (m) => {
          if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
        });
        await page.addInitScript({
          content: `document.addEventListener('securitypolicyviolation', (e) =>
            console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));`,
        });
        await page.goto(`http://127.0.0.1:${port}${path}`, { waitUntil: 'networkidle' }).catch(() => {
          // the live-updates stream keeps the network busy; the load itself is what matters
        });
        await page.waitForFunction("(document.getElementById('root')?.childElementCount ?? 0) > 0", null, {
          timeout: 10_000,
        });
        assert.deepEqual(violations, [], `${path}: CSP violations`);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  });
});

describe('CORS', () => {
  test('only configured origins get CORS headers; the default is none', async () => {
    const configured = await createTestApp({
      CORS_ORIGINS: 'https://shop.example.com, https://admin.example.com',
    });
    const closed = await createTestApp();
    try {
      const preflight = (t: TestApp, origin: string) =>
        t.app.server.inject({
          method: 'OPTIONS',
          url: '/api/v1/orders',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization',
          },
        });
      const allowed = await preflight(configured, 'https://shop.example.com');
      assert.equal(allowed.headers['access-control-allow-origin'], 'https://shop.example.com');
      const second = await preflight(configured, 'https://admin.example.com');
      assert.equal(second.headers['access-control-allow-origin'], 'https://admin.example.com');
      for (const origin of ['https://evil.example', 'https://shop.example.com.evil.example', 'null']) {
        const refused = await preflight(configured, origin);
        assert.equal(refused.headers['access-control-allow-origin'], undefined, origin);
        const get = await configured.app.server.inject({
          method: 'GET',
          url: '/api/v1/products',
          headers: { origin },
        });
        assert.equal(get.headers['access-control-allow-origin'], undefined, `GET from ${origin}`);
      }
      const none = await preflight(closed, 'https://shop.example.com');
      assert.equal(none.headers['access-control-allow-origin'], undefined, 'no CORS_ORIGINS, no CORS');
    } finally {
      await configured.close();
      await closed.close();
    }
  });
});
