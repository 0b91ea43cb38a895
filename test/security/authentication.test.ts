/**
 * Sign-in defences: login and registration are rate limited per IP and per account (429 with
 * Retry-After, limits from RATE_LIMIT_*), X-Forwarded-For cannot pick a fresh address, tokens
 * expire, an expired or tampered token is a 401, and passwords have a minimum strength.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { TokenService } from '../../src/platform/auth/tokens.ts';
import { createTestApp, type TestApp } from '../helpers.ts';

const SECRET = 'authentication-test-secret-of-at-least-32-chars';
const PASSWORD = 'correct horse battery';

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: { code?: string; message?: string; details?: Record<string, unknown>; token?: string };
}

async function post(
  t: TestApp,
  url: string,
  body: unknown,
  ip: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await t.app.server.inject({
    method: 'POST',
    url,
    payload: body as object,
    remoteAddress: ip,
    headers,
  });
  return { status: res.statusCode, headers: res.headers, body: res.json() };
}

const login = (
  t: TestApp,
  email: string,
  ip: string,
  password = 'wrong password 1',
  headers?: Record<string, string>,
) => post(t, '/api/v1/auth/login', { email, password }, ip, headers);

function assertLimited(res: Answer, scope: 'ip' | 'account') {
  assert.equal(res.status, 429, JSON.stringify(res.body));
  assert.equal(res.body.code, 'rate_limited');
  assert.equal(res.body.details?.['scope'], scope);
  const retryAfter = Number(res.headers['retry-after']);
  assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${String(res.headers['retry-after'])}`);
  assert.match(res.body.message ?? '', /Try again in \d+ seconds/);
}

describe('rate limits on login and registration', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({
      JWT_SECRET: SECRET,
      RATE_LIMIT_AUTH_PER_IP: '6',
      RATE_LIMIT_AUTH_PER_ACCOUNT: '3',
      RATE_LIMIT_WINDOW_SECONDS: '60',
    });
  });
  after(() => t.close());

  test('per account: the 4th attempt on one email within the window is a 429, from any address', async () => {
    const victim = await post(
      t,
      '/api/v1/auth/register',
      { email: 'victim@example.com', password: PASSWORD, name: 'V' },
      '10.1.0.1',
    );
    assert.equal(victim.status, 202);
    // registration counted once for this account; two wrong passwords from two other addresses
    assert.equal((await login(t, 'victim@example.com', '10.1.0.2')).status, 401);
    assert.equal(
      (await login(t, 'Victim@Example.COM', '10.1.0.3')).status,
      401,
      'the same account, however it is spelt',
    );
    assertLimited(await login(t, 'victim@example.com', '10.1.0.4'), 'account');
    // even the right password waits: guessing cannot continue by luck
    assertLimited(await login(t, 'victim@example.com', '10.1.0.5', PASSWORD), 'account');
    // another account from one of those addresses is unaffected
    const other = await post(
      t,
      '/api/v1/auth/register',
      { email: 'other@example.com', password: PASSWORD, name: 'O' },
      '10.1.0.2',
    );
    assert.equal(other.status, 202);
  });

  test('per IP: login and registration share one budget per address; other addresses go on', async () => {
    const ip = '10.2.0.1';
    for (let i = 0; i < 4; i++) assert.equal((await login(t, `nobody${i}@example.com`, ip)).status, 401);
    for (let i = 0; i < 2; i++) {
      const res = await post(
        t,
        '/api/v1/auth/register',
        { email: `new${i}@example.com`, password: PASSWORD, name: 'N' },
        ip,
      );
      assert.equal(res.status, 202);
    }
    assertLimited(await login(t, 'nobody9@example.com', ip), 'ip');
    assertLimited(
      await post(
        t,
        '/api/v1/auth/register',
        { email: 'new9@example.com', password: PASSWORD, name: 'N' },
        ip,
      ),
      'ip',
    );
    assert.equal(
      (await login(t, 'nobody9@example.com', '10.2.0.2')).status,
      401,
      'another address is not limited',
    );
  });

  test('X-Forwarded-For is not trusted by default: a made-up address does not reset the count', async () => {
    const ip = '10.3.0.1';
    for (let i = 0; i < 6; i++) {
      const res = await login(t, `xff${i}@example.com`, ip, undefined, { 'x-forwarded-for': `192.0.2.${i}` });
      assert.equal(res.status, 401);
    }
    assertLimited(
      await login(t, 'xff9@example.com', ip, undefined, { 'x-forwarded-for': '192.0.2.200' }),
      'ip',
    );
  });

  test('other routes are not limited by these budgets', async () => {
    for (let i = 0; i < 10; i++) {
      const res = await t.app.server.inject({
        method: 'GET',
        url: '/api/v1/products',
        remoteAddress: '10.2.0.1',
      });
      assert.equal(res.statusCode, 200);
    }
  });
});

const WINDOW_MS = 60_000;

describe('the rate-limit window', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({
      RATE_LIMIT_AUTH_PER_IP: '2',
      RATE_LIMIT_AUTH_PER_ACCOUNT: '100',
      RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_MS / 1000),
    });
  });
  after(() => t.close());

  test('after the window, attempts are allowed again', async (ctx) => {
    // the limiter reads Date.now(): a frozen clock that the test moves on, so a slow machine
    // cannot stretch the three attempts across the window
    ctx.mock.timers.enable({ apis: ['Date'], now: Date.now() });
    assert.equal((await login(t, 'w1@example.com', '10.4.0.1')).status, 401);
    assert.equal((await login(t, 'w2@example.com', '10.4.0.1')).status, 401);
    assertLimited(await login(t, 'w3@example.com', '10.4.0.1'), 'ip');
    ctx.mock.timers.tick(WINDOW_MS - 100);
    assertLimited(await login(t, 'w4@example.com', '10.4.0.1'), 'ip');
    ctx.mock.timers.tick(200);
    assert.equal((await login(t, 'w5@example.com', '10.4.0.1')).status, 401);
  });
});

describe('tokens', () => {
  let t: TestApp;
  let customer: { token: string; id: string; email: string };
  before(async () => {
    t = await createTestApp({ JWT_SECRET: SECRET, JWT_TTL_SECONDS: '900' });
    customer = await t.customer('Tess');
  });
  after(() => t.close());

  const me = (token: string) => t.request('GET', '/api/v1/auth/me', { token });
  const claims = (token: string) =>
    JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

  test('a token lives JWT_TTL_SECONDS', async () => {
    const c = claims(customer.token);
    assert.equal(Number(c['exp']) - Number(c['iat']), 900);
    assert.equal((await me(customer.token)).status, 200);
  });

  test('an expired token is a 401', async () => {
    // signed with the server's key and claims, but issued an hour ago and expired a minute ago
    const sign = (expiresAt: number) =>
      new SignJWT({ ver: 1 })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(customer.id)
        .setIssuer('orderly')
        .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
        .setExpirationTime(expiresAt)
        .sign(new TextEncoder().encode(SECRET));
    const now = Math.floor(Date.now() / 1000);
    assert.equal((await me(await sign(now + 600))).status, 200, 'the same token, not yet expired, is valid');
    const res = await me(await sign(now - 60));
    assert.equal(res.status, 401);
    assert.equal(res.body['code'], 'invalid_token');
  });

  test('a tampered token is a 401: changed claims, no signature, another key, another algorithm, garbage', async () => {
    const [header, , signature] = customer.token.split('.') as [string, string, string];
    const payload = { ...claims(customer.token), role: 'admin' };
    const asAdmin = `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;
    const otherKey = await new SignJWT({ email: customer.email, role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(customer.id)
      .setIssuer('orderly')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-different-secret-that-is-also-long-enough'));
    const hs512 = await new SignJWT({ email: customer.email, role: 'admin' })
      .setProtectedHeader({ alg: 'HS512' })
      .setSubject(customer.id)
      .setIssuer('orderly')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET));
    const otherIssuer = await new SignJWT({ ver: 1 })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(customer.id)
      .setIssuedAt()
      .setExpirationTime('1h')
      .setIssuer('another-issuer')
      .sign(new TextEncoder().encode(SECRET));
    // signed with the right key and issuer, but it would never expire
    const noExpiry = await new SignJWT({ ver: 1 })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(customer.id)
      .setIssuedAt()
      .setIssuer('orderly')
      .sign(new TextEncoder().encode(SECRET));
    for (const [what, token] of Object.entries({
      asAdmin,
      unsigned,
      otherKey,
      hs512,
      otherIssuer,
      noExpiry,
      truncated: customer.token.slice(0, -5),
      garbage: 'not-a-token',
    })) {
      const res = await me(token);
      assert.equal(res.status, 401, what);
      const admin = await t.request('GET', '/api/v1/admin/stats', { token });
      assert.equal(admin.status, 401, `${what} on an admin route`);
    }
  });

  const validToken = (accountId: string, version = 1) =>
    new TokenService(SECRET, 900).issue({ accountId, version });

  test('a validly signed token for an account that does not exist is a 401, never a 500', async () => {
    const token = await validToken('00000000-0000-4000-8000-000000000000');
    const product = await t.product();
    const cart = await t.request('POST', '/api/v1/cart/items', {
      token,
      body: { productId: product.id, quantity: 1 },
    });
    assert.equal(cart.status, 401, JSON.stringify(cart.body));
    assert.equal(cart.body['code'], 'invalid_token');
    assert.equal((await me(token)).status, 401);
  });

  test('a deleted account stops working at once', async () => {
    const gone = await t.customer('Gone');
    assert.equal((await me(gone.token)).status, 200);
    await t.app.database.db.deleteFrom('account').where('id', '=', gone.id).execute();
    assert.equal((await me(gone.token)).status, 401);
  });

  test('role comes from the account: a promoted customer is an admin, a demoted admin is not, at once', async () => {
    const staff = await t.customer('Staff');
    const stats = () => t.request('GET', '/api/v1/admin/stats', { token: staff.token });
    assert.equal((await stats()).status, 403);
    // a staff account has a staff role; the owner's may do what /admin/stats needs
    const setRole = (role: 'admin' | 'customer') =>
      t.app.database.db
        .updateTable('account')
        .set({ role, staff_role: role === 'admin' ? 'owner' : null })
        .where('id', '=', staff.id)
        .execute();
    await setRole('admin');
    assert.equal((await stats()).status, 200);
    await setRole('customer');
    assert.equal((await stats()).status, 403);
  });

  test('a token of an older version of the account is refused', async () => {
    const old = await validToken(customer.id, 1);
    assert.equal((await me(old)).status, 200);
    await t.app.database.db
      .updateTable('account')
      .set((eb) => ({ token_version: eb('token_version', '+', 1) }))
      .where('id', '=', customer.id)
      .execute();
    assert.equal((await me(old)).status, 401);
    assert.equal((await me(await validToken(customer.id, 2))).status, 200);
  });

  test('a malformed Authorization header is a 401, not a guess', async () => {
    for (const authorization of [
      'Bearer',
      'Bearer ',
      'Basic YWRtaW46YWRtaW4=',
      `Bearer ${customer.token} extra`,
    ]) {
      const res = await t.app.server.inject({
        method: 'GET',
        url: '/api/v1/auth/me',
        headers: { authorization },
      });
      assert.equal(res.statusCode, 401, authorization.slice(0, 20));
    }
  });
});

describe('password strength', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  const register = (password: string) =>
    t.request('POST', '/api/v1/auth/register', {
      body: { email: `p${Math.random().toString(36).slice(2)}@example.com`, password, name: 'P' },
    });

  test('too short, too common, too repetitive or too long is refused with the reason', async () => {
    for (const password of [
      'short1',
      'ninechars',
      'password123',
      'Password1',
      'qwertyuiop12',
      'aaaaaaaaaaaa',
      'abababababab',
      'x'.repeat(129),
    ]) {
      const res = await register(password);
      assert.equal(res.status, 400, password.slice(0, 20));
      assert.ok(
        ['weak_password', 'validation_failed'].includes(String(res.body['code'])),
        String(res.body['code']),
      );
      assert.match(String(res.body['message']), /password/i);
    }
  });

  test("a common password is refused with zxcvbn's advice", async () => {
    const res = await register('iloveyou2024');
    assert.equal(res.status, 400);
    assert.equal(res.body['code'], 'weak_password');
    const details = res.body['details'] as { warning: string | null; suggestions: string[] };
    assert.ok(details.warning || details.suggestions.length > 0, JSON.stringify(details));
    assert.match(String(res.body['message']), /too easy to guess: \S/);
  });

  test('a password made of the name or email is refused', async () => {
    const res = await t.request('POST', '/api/v1/auth/register', {
      body: {
        email: 'margarethamilton@example.com',
        password: 'margarethamilton',
        name: 'Margaret Hamilton',
      },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body['code'], 'weak_password');
  });

  test('a reasonable passphrase is accepted, and the hash is not the password', async () => {
    const email = `ok${Math.random().toString(36).slice(2)}@example.com`;
    const res = await t.request('POST', '/api/v1/auth/register', {
      body: { email, password: 'correct horse battery', name: 'P' },
    });
    assert.equal(res.status, 202);
    const row = await t.app.database.db
      .selectFrom('account')
      .select('password_hash')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    assert.match(row.password_hash ?? '', /^scrypt\$/);
    assert.ok(!(row.password_hash ?? '').includes('correct horse battery'));
  });
});
