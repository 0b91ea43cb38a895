/**
 * Secrets never reach the logs: every line the server writes while customers register, sign in,
 * place orders with a card token, follow live updates with `?token=` and fail in various ways is
 * captured and searched for the password, the bearer tokens, the card token and the API keys.
 * Also, whatever a developer passes to the logger, the redaction paths catch the usual names.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../../src/platform/logger.ts';
import { sql } from 'kysely';
import { ADDRESS, createTestApp, orderBody, type TestApp } from '../helpers.ts';

const PASSWORD = 'Zebra-Quartz-Mango-7731';
const CARD_TOKEN = 'tok_visa';
const SENDGRID_KEY = 'SG.orderly-redaction-test-key.abcdefghijklmnop';
const TWILIO_TOKEN = 'twilio-auth-token-redaction-0123456789';
const JWT_SECRET = 'log-redaction-secret-that-is-quite-long-enough';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text += chunk.toString('utf8');
    done();
  }
}

describe('logs redact authorization, passwords, card tokens and API keys', () => {
  const capture = new Capture();
  let t: TestApp;
  const tokens: string[] = [];

  before(async () => {
    t = await createTestApp(
      {
        JWT_SECRET,
        LOG_LEVEL: 'trace',
        EMAIL_PROVIDER: 'sendgrid',
        SENDGRID_API_KEY: SENDGRID_KEY,
        // nothing listens there: sending fails, and the failure is logged too
        SENDGRID_API_URL: 'http://127.0.0.1:9',
        SMS_PROVIDER: 'twilio',
        TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000',
        TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
        TWILIO_FROM: '+15550000000',
        TWILIO_API_URL: 'http://127.0.0.1:9',
      },
      { logger: createLogger('trace', capture) },
    );
  });
  after(() => t.close());

  test('a customer journey leaves none of its secrets in the logs', async () => {
    const email = 'redaction@example.com';
    const registered = await t.request('POST', '/api/v1/auth/register', {
      body: { email, password: PASSWORD, name: 'Red Action', phone: '+1 555 0100' },
    });
    assert.equal(registered.status, 202);
    const login = await t.request<{ token: string; user: { id: string } }>('POST', '/api/v1/auth/login', {
      body: { email, password: PASSWORD },
    });
    assert.equal(login.status, 200);
    tokens.push(login.body.token);
    const failed = await t.request('POST', '/api/v1/auth/login', {
      body: { email, password: `${PASSWORD}-wrong` },
    });
    assert.equal(failed.status, 401);
    const weak = await t.request('POST', '/api/v1/auth/register', {
      body: { email: 'weak@example.com', password: 'password123', name: 'W' },
    });
    assert.equal(weak.status, 400);

    const product = await t.product({ price: 15, stock: 5 });
    const placed = await t.request<{ id: string }>('POST', '/api/v1/orders', {
      token: login.body.token,
      body: orderBody(login.body.user.id, [{ productId: product.id, quantity: 1, price: 15 }], CARD_TOKEN),
    });
    assert.equal(placed.status, 201);
    const declined = await t.request('POST', '/api/v1/orders', {
      token: login.body.token,
      body: orderBody(
        login.body.user.id,
        [{ productId: product.id, quantity: 1, price: 15 }],
        'tok_chargeDeclined',
      ),
    });
    assert.equal(declined.status, 402);
    // a malformed body carrying a card token and a password: refused, and not echoed to the log
    const bad = await t.request('POST', '/api/v1/orders', {
      token: login.body.token,
      body: { paymentMethod: { type: 'card', token: CARD_TOKEN }, password: PASSWORD },
    });
    assert.equal(bad.status, 400);
    // notifications go out (and fail: nothing listens) with the provider keys
    await t.app.outbox.drain();
    await t.app.services.notifications.sendDue();

    // live updates: EventSource cannot send headers, so the token rides in the query string
    await t.app.server.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.app.server.server.address() as AddressInfo;
    const admin = await t.adminToken();
    tokens.push(admin);
    const controller = new AbortController();
    const stream = await fetch(`http://127.0.0.1:${port}/api/v1/events/stream?token=${admin}`, {
      signal: controller.signal,
    });
    assert.equal(stream.status, 200);
    controller.abort();
    await t.request('GET', '/api/v1/admin/orders', { token: admin });
    await t.request('GET', '/api/v1/auth/me', { token: `${admin}tampered` });

    const log = capture.text;
    assert.ok(log.split('\n').length > 20, 'the journey was logged at all');
    assert.match(
      log,
      /\/api\/v1\/events\/stream\?token=\[Redacted\]/,
      'the stream URL is logged with the token cut out',
    );
    const secrets: Record<string, string> = {
      password: PASSWORD,
      'card token': CARD_TOKEN,
      'SendGrid key': SENDGRID_KEY,
      'Twilio token': TWILIO_TOKEN,
      'JWT secret': JWT_SECRET,
    };
    tokens.forEach((token, i) => {
      secrets[`bearer token ${i}`] = token;
      secrets[`signature of token ${i}`] = token.split('.')[2] as string;
    });
    for (const [what, secret] of Object.entries(secrets)) {
      const at = log.indexOf(secret);
      assert.equal(at, -1, `the ${what} is in the logs: …${log.slice(Math.max(0, at - 200), at + 80)}…`);
    }
  });

  test('a database error is logged without the values of the statement (no address, no parameters)', async () => {
    const street = '13 Confidential Crescent';
    const customer = await t.customer('Priv Acy');
    const product = await t.product({ price: 5, stock: 5 });
    // a constraint the request trips over: PostgreSQL's error then carries the failing row
    // ("Failing row contains …") and PGlite's also the statement's parameters
    await t.app.database.db.schema
      .alterTable('orders')
      .addCheckConstraint('test_refuses_this_street', sql`shipping_address->>'street' <> ${sql.lit(street)}`)
      .execute();
    const before = capture.text.length;
    // inject, not t.request: a 500 is not in the contract, and this test makes one on purpose
    const res = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: { authorization: `Bearer ${customer.token}` },
      payload: {
        ...orderBody(customer.id, [{ productId: product.id, quantity: 1, price: 5 }]),
        shippingAddress: { ...ADDRESS, street },
      },
    });
    await t.app.database.db.schema.alterTable('orders').dropConstraint('test_refuses_this_street').execute();
    assert.equal(res.statusCode, 500);
    const log = capture.text.slice(before);
    assert.match(log, /test_refuses_this_street/, 'the error itself is logged, with its constraint');
    for (const value of [street, 'Confidential']) {
      const at = log.indexOf(value);
      assert.equal(at, -1, `${value} is in the log: …${log.slice(Math.max(0, at - 300), at + 80)}…`);
    }
  });

  test('the redaction paths catch the usual names wherever a developer logs them', () => {
    const sink = new Capture();
    const log = createLogger('info', sink);
    log.info(
      {
        req: {
          method: 'GET',
          url: '/x?token=abc.def.ghi&access_token=jkl',
          headers: { authorization: 'Bearer abc.def.ghi' },
        },
        headers: { authorization: 'Bearer abc.def.ghi', cookie: 'sid=secret-cookie' },
        password: 'pw-top-level',
        body: { password: 'pw-nested', paymentMethod: { token: 'tok_nested' } },
        paymentMethod: { token: 'tok_top' },
        order: { payment: { clientSecret: 'pi_secret_123' } },
        config: { apiKey: 'key-123', secretKey: 'sk_test_123' },
        token: 'bare-token',
        provider: { sendgrid: { apiKey: 'deep-key-456' } },
        twilio: { authToken: 'twilio-789' },
      },
      'everything at once',
    );
    const line = sink.text;
    for (const secret of [
      'abc.def.ghi',
      'jkl',
      'pw-top-level',
      'pw-nested',
      'tok_nested',
      'tok_top',
      'pi_secret_123',
      'key-123',
      'sk_test_123',
      'bare-token',
      'secret-cookie',
      'deep-key-456',
      'twilio-789',
    ])
      assert.ok(!line.includes(secret), `${secret} leaked: ${line}`);
    assert.match(line, /\[Redacted\]/);
  });
});
