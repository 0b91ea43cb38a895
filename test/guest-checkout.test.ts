/**
 * Guest checkout through the API (ADR 0022): an order placed with an email only, opened with the
 * link token from its answer and its confirmation email, found again by number and email; a
 * guest account nobody can sign in to, and the emailed link that makes it a customer's account
 * with every past guest order in its history.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TokenService } from '../src/platform/auth/tokens.ts';
import { ADDRESS, createTestApp, orderBody, type TestApp } from './helpers.ts';

const PASSWORD = 'plum trumpet galaxy 58';
// the test configuration's JWT_SECRET (test/helpers.ts): links forged with it are well signed
const SECRET = 'test-secret-that-is-long-enough-for-hs256';

interface GuestOrder {
  id: string;
  orderNumber: number;
  customerId: string;
  status: string;
  total: number;
  accessToken: string;
  actions: Record<string, { allowed: boolean; reason: string | null }>;
}
interface GuestView {
  order: { id: string; orderNumber: number; status: string; customerId: string };
  timeline: Array<{ status: string | null; summary: string }>;
}
interface Mail {
  id: string;
  recipient: string;
  template: string;
  text: string;
  html: string;
}

describe('guest checkout', () => {
  let t: TestApp;
  let product: { id: string; price: number };
  before(async () => {
    t = await createTestApp();
    product = await t.product({ price: 12.5, stock: 100 });
  });
  after(() => t.close());

  const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const body = (email: string, overrides: Record<string, unknown> = {}) => ({
    email,
    name: 'Gwen Guest',
    items: [{ productId: product.id, quantity: 2, price: product.price }],
    shippingAddress: ADDRESS,
    paymentMethod: { type: 'card', token: 'tok_visa' },
    ...overrides,
  });
  const place = (payload: unknown, headers: Record<string, string> = {}) =>
    t.request<GuestOrder>('POST', '/api/v1/guest/orders', { body: payload, headers });
  const open = (id: string, token: string) =>
    t.request<GuestView>('GET', `/api/v1/guest/orders/${id}?token=${encodeURIComponent(token)}`);
  const lookup = (number: unknown, email: string) =>
    t.request<{ orderId: string; accessToken: string }>('POST', '/api/v1/guest/orders/lookup', {
      body: { number, email },
    });
  const register = (email: string, password = PASSWORD, name = 'Gwen Registered') =>
    t.request('POST', '/api/v1/auth/register', { body: { email, password, name } });
  const login = (email: string, password = PASSWORD) =>
    t.request<{ token: string; user: { id: string } }>('POST', '/api/v1/auth/login', {
      body: { email, password },
    });
  const history = async (token: string) => {
    const res = await t.request<{ items: Array<{ id: string }> }>('GET', '/api/v1/orders', { token });
    assert.equal(res.status, 200);
    return res.body.items.map((o) => o.id);
  };
  /** the messages to an address, newest first, after the outbox has been dispatched */
  const mailbox = async (recipient: string): Promise<Mail[]> => {
    await t.app.outbox.drain();
    const admin = await t.adminToken();
    const list = await t.request<{ items: Array<{ id: string }> }>(
      'GET',
      `/api/v1/admin/notifications?recipient=${encodeURIComponent(recipient)}`,
      { token: admin },
    );
    assert.equal(list.status, 200);
    return Promise.all(
      list.body.items.map(
        async ({ id }) =>
          (await t.request<Mail>('GET', `/api/v1/admin/notifications/${id}`, { token: admin })).body,
      ),
    );
  };
  const claimLink = (mail: Mail | undefined) =>
    /\/claim-account#token=([A-Za-z0-9_.-]+)/.exec(mail?.text ?? '')?.[1];

  test('a guest places an order with an email only, and its token opens it with its timeline', async () => {
    const email = unique('gwen');
    const placed = await place(body(email));
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    assert.equal(placed.body.status, 'confirmed');
    assert.equal(placed.body.total, 25);
    assert.ok(placed.body.accessToken.length > 20);
    assert.ok(
      Object.values(placed.body.actions).every((a) => !a.allowed),
      'nothing can be changed through a link',
    );

    const opened = await open(placed.body.id, placed.body.accessToken);
    assert.equal(opened.status, 200, JSON.stringify(opened.body));
    assert.equal(opened.body.order.id, placed.body.id);
    assert.equal(opened.body.order.orderNumber, placed.body.orderNumber);
    assert.deepEqual(opened.body.timeline.map((e) => e.status).filter(Boolean), ['pending', 'confirmed']);
  });

  test('the confirmation email links to the order with a token that opens it', async () => {
    const email = unique('mailed');
    const placed = await place(body(email));
    assert.equal(placed.status, 201);
    const confirmation = (await mailbox(email)).find((m) => m.template === 'order_confirmed');
    assert.ok(confirmation, 'a confirmation was sent to the guest');
    const token = new RegExp(`/orders/${placed.body.id}\\?token=([A-Za-z0-9_.-]+)`).exec(
      confirmation.text,
    )?.[1];
    assert.ok(token, `the email links to the order with its token: ${confirmation.text}`);
    assert.equal((await open(placed.body.id, token)).status, 200);
  });

  test('a registered customer is emailed a plain link to the order: they sign in to it', async () => {
    const customer = await t.customer('Rita');
    const placed = await t.request<{ id: string }>('POST', '/api/v1/orders', {
      token: customer.token,
      body: orderBody(customer.id, [{ productId: product.id, quantity: 1, price: product.price }]),
    });
    assert.equal(placed.status, 201);
    const confirmation = (await mailbox(customer.email)).find((m) => m.template === 'order_confirmed');
    assert.match(confirmation?.text ?? '', new RegExp(`/orders/${placed.body.id}(?!\\?token)`));
    assert.doesNotMatch(confirmation?.text ?? '', /token=/);
  });

  test('a wrong, tampered, expired or other-order token does not open the order', async () => {
    const first = await place(body(unique('first')));
    const second = await place(body(unique('second')));
    assert.equal(first.status, 201);
    assert.equal(second.status, 201);

    const wrong = await open(first.body.id, 'not-a-token');
    assert.equal(wrong.status, 401);
    assert.equal((wrong.body as unknown as { code: string }).code, 'invalid_order_link');

    const token = first.body.accessToken;
    const tampered = `${token.slice(0, -4)}${token.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    assert.equal((await open(first.body.id, tampered)).status, 401);

    assert.equal((await open(second.body.id, first.body.accessToken)).status, 404, 'another order');
    assert.equal((await open('01890000-0000-7000-8000-000000000000', token)).status, 404);

    const tokens = new TokenService(SECRET, 3600);
    const claims = { subject: first.body.id, accountId: first.body.customerId, version: 1 };
    const expired = await tokens.issueLink('order_access', claims, -60);
    assert.equal((await open(first.body.id, expired)).status, 401, 'expired');
    const forged = await new TokenService('another-secret-that-is-long-enough-too', 3600).issueLink(
      'order_access',
      claims,
      3600,
    );
    assert.equal((await open(first.body.id, forged)).status, 401, 'signed with another key');
    const claimToken = await tokens.issueLink('account_claim', claims, 3600);
    assert.equal((await open(first.body.id, claimToken)).status, 401, 'a link for another purpose');

    // an order link is not a session, and a session is not an order link
    const asBearer = await t.request('GET', '/api/v1/orders', { token });
    assert.equal(asBearer.status, 401);
    const customer = await t.customer();
    assert.equal((await open(first.body.id, customer.token)).status, 401);
  });

  test('find my order: number and email give a token; a wrong email answers as an unknown number', async () => {
    const email = unique('finder');
    const placed = await place(body(email));
    assert.equal(placed.status, 201);

    const found = await lookup(placed.body.orderNumber, email.toUpperCase());
    assert.equal(found.status, 200, JSON.stringify(found.body));
    assert.equal(found.body.orderId, placed.body.id);
    assert.equal((await open(found.body.orderId, found.body.accessToken)).status, 200);

    const wrongEmail = await lookup(placed.body.orderNumber, unique('stranger'));
    const unknownNumber = await lookup(placed.body.orderNumber + 100_000, email);
    const otherGuests = await lookup(placed.body.orderNumber, unique('nobody'));
    assert.equal(wrongEmail.status, 404);
    assert.equal(unknownNumber.status, 404);
    assert.deepEqual(wrongEmail.body, unknownNumber.body);
    assert.deepEqual(otherGuests.body, unknownNumber.body);

    // a registered customer's orders are found by signing in, not by a guessable number
    const customer = await t.customer();
    const own = await t.request<{ orderNumber: number }>('POST', '/api/v1/orders', {
      token: customer.token,
      body: orderBody(customer.id, [{ productId: product.id, quantity: 1, price: product.price }]),
    });
    assert.equal(own.status, 201);
    const registered = await lookup(own.body.orderNumber, customer.email);
    assert.equal(registered.status, 404);
    assert.deepEqual(registered.body, unknownNumber.body);
  });

  test('a guest account cannot sign in, whatever the password, and answers like a wrong password', async () => {
    const email = unique('nologin');
    assert.equal((await place(body(email))).status, 201);
    const unknown = await login(unique('unknown'), PASSWORD);
    for (const password of [PASSWORD, 'orderly-timing-equaliser', '']) {
      const res = await login(email, password || 'x');
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, unknown.body);
    }
  });

  test('signing up with a guest email attaches nothing until the emailed link is used', async () => {
    const email = unique('claimer');
    const first = await place(body(email));
    const second = await place(body(email, { name: 'Gwen G.' }));
    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    assert.equal(second.body.customerId, first.body.customerId, 'one guest account per email');

    const signup = await register(email);
    const fresh = await register(unique('fresh'));
    assert.equal(signup.status, 202);
    assert.deepEqual(signup.body, fresh.body, 'sign-up answers the same');
    assert.equal((await login(email)).status, 401, 'no sign-in without the link');

    const mail = (await mailbox(email)).find((m) => m.template === 'account_claim');
    assert.ok(mail, 'the guest email was sent a link');
    assert.match(mail.text, /Finish creating your account/);
    const token = claimLink(mail);
    assert.ok(token);

    // a password reset for a guest email sends the same kind of link, not a reset
    const reset = await t.request('POST', '/api/v1/auth/password-reset', { body: { email } });
    assert.equal(reset.status, 202);
    const templates = (await mailbox(email)).map((m) => m.template);
    assert.equal(templates.filter((n) => n === 'account_claim').length, 2);
    assert.ok(!templates.includes('password_reset'));

    const weak = await t.request('POST', '/api/v1/auth/claim', {
      body: { token, password: 'password1', name: 'Gwen' },
    });
    assert.equal(weak.status, 400);

    const claimed = await t.request<{ token: string; user: { id: string; role: string; name: string } }>(
      'POST',
      '/api/v1/auth/claim',
      { body: { token, password: PASSWORD, name: 'Gwen Claimed' } },
    );
    assert.equal(claimed.status, 200, JSON.stringify(claimed.body));
    assert.equal(claimed.body.user.id, first.body.customerId, 'the same account, so the same orders');
    assert.equal(claimed.body.user.role, 'customer');
    assert.equal(claimed.body.user.name, 'Gwen Claimed');

    const orders = await history(claimed.body.token);
    assert.deepEqual(new Set(orders), new Set([first.body.id, second.body.id]));
    const signedIn = await login(email);
    assert.equal(signedIn.status, 200);
    const detail = await t.request('GET', `/api/v1/orders/${first.body.id}`, { token: signedIn.body.token });
    assert.equal(detail.status, 200);

    // the link works once, and the guest's order links stop working with it: the owner signs in now
    const again = await t.request('POST', '/api/v1/auth/claim', {
      body: { token, password: 'another fine passphrase 7', name: 'Mallory' },
    });
    assert.equal(again.status, 422);
    assert.equal((again.body as { code?: string }).code, 'invalid_claim_link');
    assert.equal((await open(first.body.id, first.body.accessToken)).status, 401);
    assert.equal((await lookup(first.body.orderNumber, email)).status, 404, 'now found by signing in');
    assert.equal((await login(email)).status, 200, 'the password chosen with the link still works');
  });

  test('a guest order with a registered email goes on that account, with no hint in the answer', async () => {
    const customer = await t.customer('Rhea');
    const asGuest = await place(body(customer.email));
    const newGuest = await place(body(unique('newcomer')));
    assert.equal(asGuest.status, 201);
    assert.deepEqual(Object.keys(asGuest.body).sort(), Object.keys(newGuest.body).sort());
    assert.equal(asGuest.body.customerId, customer.id);
    assert.ok((await history(customer.token)).includes(asGuest.body.id), 'in their history');
    assert.equal((await open(asGuest.body.id, asGuest.body.accessToken)).status, 200);
    assert.equal((await login(customer.email, 'correct horse battery')).status, 200, 'account unchanged');
    const me = await t.request<{ name: string }>('GET', '/api/v1/auth/me', { token: customer.token });
    assert.equal(me.body.name, 'Rhea', 'the guest name does not rename the account');
  });

  test('first checkouts with one email at the same time share one guest account', async () => {
    const email = unique('together');
    const placed = await Promise.all([place(body(email)), place(body(email)), place(body(email))]);
    assert.deepEqual(
      placed.map((p) => p.status),
      [201, 201, 201],
    );
    assert.equal(new Set(placed.map((p) => p.body.customerId)).size, 1);
    assert.equal(new Set(placed.map((p) => p.body.id)).size, 3);
  });

  test('the same Idempotency-Key places one order; the same key with another body is refused', async () => {
    const email = unique('retry');
    const headers = { 'idempotency-key': `guest-${Math.random()}` };
    const first = await place(body(email), headers);
    const again = await place(body(email), headers);
    assert.equal(first.status, 201);
    assert.equal(again.status, 201);
    assert.equal(again.body.id, first.body.id);
    const other = await place(body(email, { name: 'Someone Else' }), headers);
    assert.equal(other.status, 422);
    assert.equal((other.body as { code?: string }).code, 'idempotency_key_reused');
  });

  test('bad bodies are 4xx with the field named, never a 500', async () => {
    const email = unique('bad');
    const cases: unknown[] = [
      {},
      body('not-an-email'),
      body(email, { name: '' }),
      body(email, { items: [] }),
      body(email, { items: [{ productId: 'nope', quantity: 1, price: 1 }] }),
      body(email, { items: [{ productId: product.id, quantity: 0, price: product.price }] }),
      body(email, { shippingAddress: { street: '' } }),
      body(email, { customerId: 'x' }),
      body(email, { paymentMethod: { type: 'cash', token: 'x' } }),
      body(email, { items: [{ productId: product.id, quantity: 1, price: 0.001 }] }),
    ];
    for (const payload of cases) {
      const res = await place(payload);
      assert.ok(res.status >= 400 && res.status < 500, `${res.status} for ${JSON.stringify(payload)}`);
      assert.equal(typeof (res.body as { code?: unknown }).code, 'string');
    }
    const accountOf = (address: string) =>
      t.app.database.db.selectFrom('account').select('id').where('email', '=', address).executeTakeFirst();
    const stale = await place(body(email, { items: [{ productId: product.id, quantity: 1, price: 1 }] }));
    assert.equal(stale.status, 409, 'a stale price is refused, as for a signed-in customer');
    const tooMany = await place(
      body(email, { items: [{ productId: product.id, quantity: 1000, price: product.price }] }),
    );
    assert.equal(tooMany.status, 409, 'out of stock');
    assert.equal(await accountOf(email), undefined, 'a refused checkout leaves no guest account behind');
    const declined = await place(
      body(email, { paymentMethod: { type: 'card', token: 'tok_chargeDeclined' } }),
    );
    assert.equal(declined.status, 402);
    assert.ok(await accountOf(email), 'a declined order is kept, and the account it is on');
    const renamed = await place(
      body(email, {
        name: 'Someone Else',
        items: [{ productId: product.id, quantity: 1000, price: product.price }],
      }),
    );
    assert.equal(renamed.status, 409);
    const kept = await t.app.database.db
      .selectFrom('account')
      .select('name')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    assert.equal(kept.name, 'Gwen Guest', 'a refused checkout does not rename the guest account either');

    for (const payload of [{}, { number: 'one', email }, { number: 1001 }, { number: 0, email }]) {
      const res = await t.request('POST', '/api/v1/guest/orders/lookup', { body: payload });
      assert.equal(res.status, 400, JSON.stringify(payload));
    }
    assert.equal((await t.request('GET', `/api/v1/guest/orders/not-a-uuid?token=x`)).status, 400);
    assert.equal((await t.request('GET', `/api/v1/guest/orders/${product.id}`)).status, 400, 'no token');
    for (const payload of [
      {},
      { token: 'x', password: PASSWORD },
      { token: '', password: PASSWORD, name: 'A' },
    ]) {
      const res = await t.request('POST', '/api/v1/auth/claim', { body: payload });
      assert.equal(res.status, 400, JSON.stringify(payload));
    }
    const garbage = await t.request('POST', '/api/v1/auth/claim', {
      body: { token: 'garbage', password: PASSWORD, name: 'A' },
    });
    assert.equal(garbage.status, 422);
  });

  test('the database refuses a guest with a password and a customer without one', async () => {
    const db = t.app.database.db;
    await assert.rejects(
      db
        .insertInto('account')
        .values({
          email: unique('bad-guest'),
          name: 'X',
          phone: null,
          role: 'guest',
          password_hash: 'scrypt$x',
        })
        .execute(),
      /account_password_check/,
    );
    await assert.rejects(
      db
        .insertInto('account')
        .values({
          email: unique('bad-customer'),
          name: 'X',
          phone: null,
          role: 'customer',
          password_hash: null,
        })
        .execute(),
      /account_password_check/,
    );
  });
});

describe('guest checkout rate limits', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ RATE_LIMIT_AUTH_PER_IP: '100', RATE_LIMIT_AUTH_PER_ACCOUNT: '3' });
  });
  after(() => t.close());

  test('find my order is limited per email', async () => {
    const email = 'target@example.com';
    const statuses: number[] = [];
    for (let number = 1001; number < 1006; number++) {
      const res = await t.request('POST', '/api/v1/guest/orders/lookup', { body: { number, email } });
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [404, 404, 404, 429, 429]);
    const other = await t.request('POST', '/api/v1/guest/orders/lookup', {
      body: { number: 1001, email: 'someone-else@example.com' },
    });
    assert.equal(other.status, 404, 'another email is not held up');
  });
});
