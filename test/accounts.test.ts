/**
 * Accounts and sessions through the API: sign-up that does not reveal who has an account, signing
 * out, changing and resetting a password (the link arrives in the admin mailbox), the sign-in
 * delay after failures, and a shopper's name, phone and saved addresses.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../src/config.ts';
import { hashLinkToken } from '../src/platform/auth/model.ts';
import { ADDRESS, ADMIN, createTestApp, type TestApp } from './helpers.ts';

const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'plum trumpet galaxy 58';

interface Mail {
  id: string;
  recipient: string;
  template: string;
  subject: string;
  text: string;
  html: string;
}

describe('accounts and sessions', () => {
  let t: TestApp;
  let admin: string;
  before(async () => {
    t = await createTestApp();
    admin = await t.adminToken();
  });
  after(() => t.close());

  const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const register = (email: string, password = PASSWORD, name = 'Sam') =>
    t.request('POST', '/api/v1/auth/register', { body: { email, password, name } });
  const login = (email: string, password = PASSWORD) =>
    t.request<{ token: string; user: { id: string } }>('POST', '/api/v1/auth/login', {
      body: { email, password },
    });
  const me = (token: string) => t.request('GET', '/api/v1/auth/me', { token });
  /** the mailbox as the admin sees it, newest first */
  const mailbox = async (recipient: string): Promise<Mail[]> => {
    const list = await t.request<{ items: Array<{ id: string }> }>(
      'GET',
      `/api/v1/admin/notifications?recipient=${encodeURIComponent(recipient)}`,
      { token: admin },
    );
    assert.equal(list.status, 200);
    return Promise.all(
      list.body.items.map(async ({ id }) => {
        const res = await t.request<Mail>('GET', `/api/v1/admin/notifications/${id}`, { token: admin });
        return res.body;
      }),
    );
  };

  test('sign-up answers the same for a new and a taken email, and emails the owner of the taken one', async () => {
    const email = unique('owner');
    const first = await register(email, PASSWORD, 'Olive Owner');
    const again = await register(email, 'someone elses passphrase 9', 'Mallory');
    assert.equal(first.status, 202);
    assert.equal(again.status, first.status);
    assert.deepEqual(again.body, first.body);
    assert.deepEqual(Object.keys(first.body), ['message']);

    // nothing changed for the owner: their password works, the other one does not
    assert.equal((await login(email)).status, 200);
    assert.equal((await login(email, 'someone elses passphrase 9')).status, 401);

    const mails = await mailbox(email);
    assert.deepEqual(
      mails.map((m) => m.template),
      ['account_signup_attempt'],
    );
    const warning = mails.find((m) => m.template === 'account_signup_attempt');
    assert.match(warning?.text ?? '', /Someone tried to create an Orderly account with your email/);
    assert.match(warning?.text ?? '', /Hello Olive Owner/, 'addressed by the name on the account');
    assert.match(warning?.text ?? '', /\/forgot-password/);
  });

  test('signing out revokes every token of the account at once', async () => {
    const email = unique('out');
    await register(email);
    const phone = (await login(email)).body.token;
    const laptop = (await login(email)).body.token;
    assert.equal((await me(phone)).status, 200);
    const out = await t.request('POST', '/api/v1/auth/logout', { token: phone });
    assert.equal(out.status, 204);
    assert.equal((await me(phone)).status, 401);
    assert.equal((await me(laptop)).status, 401, 'signed out everywhere');
    assert.equal((await me((await login(email)).body.token)).status, 200, 'signing in again works');
  });

  test('changing the password needs the current one, and signs out the other sessions', async () => {
    const email = unique('change');
    await register(email);
    const here = (await login(email)).body.token;
    const elsewhere = (await login(email)).body.token;
    const change = (currentPassword: string, newPassword: string) =>
      t.request<{ token: string; code?: string }>('POST', '/api/v1/auth/password', {
        token: here,
        body: { currentPassword, newPassword },
      });
    const wrong = await change('not my password', NEW_PASSWORD);
    assert.equal(wrong.status, 422);
    assert.equal(wrong.body.code, 'wrong_password');
    const weak = await change(PASSWORD, 'password1234');
    assert.equal(weak.status, 400);
    assert.equal(weak.body.code, 'weak_password');
    assert.equal((await me(elsewhere)).status, 200, 'refused changes revoke nothing');

    const changed = await change(PASSWORD, NEW_PASSWORD);
    assert.equal(changed.status, 200);
    assert.equal((await me(changed.body.token)).status, 200, 'this session goes on with its new token');
    assert.equal((await me(here)).status, 401);
    assert.equal((await me(elsewhere)).status, 401);
    assert.equal((await login(email)).status, 401, 'the old password is gone');
    assert.equal((await login(email, NEW_PASSWORD)).status, 200);
  });

  test('a forgotten password is reset with a single-use emailed link that expires', async () => {
    const email = unique('forgot');
    await register(email, PASSWORD, 'Fran');
    const session = (await login(email)).body.token;
    const ask = (address: string) =>
      t.request('POST', '/api/v1/auth/password-reset', { body: { email: address } });
    const known = await ask(email.toUpperCase());
    const unknown = await ask(unique('nobody'));
    assert.equal(known.status, 202);
    assert.equal(unknown.status, 202);
    assert.deepEqual(unknown.body, known.body, 'the answer does not tell who has an account');

    const mail = (await mailbox(email)).find((m) => m.template === 'password_reset');
    assert.ok(mail, 'the reset email is in the mailbox');
    assert.equal(mail.subject, 'Reset your Orderly password');
    const token = /\/reset-password#token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    assert.ok(token, mail.text);
    assert.ok(mail.html.includes(`#token=${token}`));

    // only a hash is stored
    const stored = await t.app.database.db.selectFrom('password_reset').selectAll().execute();
    assert.ok(stored.every((r) => r.token_hash !== token));
    assert.ok(stored.some((r) => r.token_hash === hashLinkToken(token)));

    const confirm = (resetToken: string, password: string) =>
      t.request<{ token: string; code?: string }>('POST', '/api/v1/auth/password-reset/confirm', {
        body: { token: resetToken, password },
      });
    const weak = await confirm(token, 'qwerty123456');
    assert.equal(weak.status, 400, 'a weak password is refused');
    const reset = await confirm(token, NEW_PASSWORD);
    assert.equal(reset.status, 200, 'and the link still works for a good one');
    assert.equal((await me(reset.body.token)).status, 200);
    assert.equal((await me(session)).status, 401, 'older sessions are signed out');
    assert.equal((await login(email, NEW_PASSWORD)).status, 200);

    const again = await confirm(token, 'yet another passphrase 31');
    assert.equal(again.status, 422, 'single use');
    assert.equal(again.body.code, 'invalid_reset_link');
    assert.equal((await confirm('made-up-token', NEW_PASSWORD)).status, 422);

    // an expired link is refused
    await ask(email);
    const latest = (await mailbox(email)).find((m) => m.template === 'password_reset');
    const second = /#token=([A-Za-z0-9_-]+)/.exec(latest?.text ?? '')?.[1] ?? '';
    assert.notEqual(second, token, 'a new link');
    await t.app.database.db
      .updateTable('password_reset')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('token_hash', '=', hashLinkToken(second))
      .execute();
    assert.equal((await confirm(second, 'yet another passphrase 31')).status, 422);
  });

  test('failed sign-ins earn a doubling delay that even the right password waits out, and then passes', async () => {
    for (const email of [unique('throttled'), unique('no-account')]) {
      const hasAccount = email.startsWith('throttled');
      if (hasAccount) await register(email);
      for (let i = 0; i < 3; i++) assert.equal((await login(email, 'wrong guess here')).status, 401);
      // the third failure started a delay: known email or not, the same answer
      const delayed = await login(email, hasAccount ? PASSWORD : 'wrong guess here');
      assert.equal(delayed.status, 429, `${email}: ${JSON.stringify(delayed.body)}`);
      assert.equal((delayed.body as { code?: string }).code, 'login_delayed');
      assert.equal(delayed.headers['retry-after'], '1');

      // the delay is over (moved into the past rather than waited for)
      const over = () =>
        t.app.database.db
          .updateTable('login_throttle')
          .set({ blocked_until: new Date(Date.now() - 1000) })
          .where('email', '=', email)
          .execute();
      await over();
      assert.equal((await login(email, 'wrong guess again')).status, 401);
      const doubled = await login(email, 'wrong guess again');
      assert.equal(doubled.status, 429);
      assert.equal(doubled.headers['retry-after'], '2', 'the next failure doubles it');
      if (!hasAccount) continue;
      await over();
      assert.equal((await login(email)).status, 200, 'the owner gets in once the delay is over');
      const left = await t.app.database.db
        .selectFrom('login_throttle')
        .selectAll()
        .where('email', '=', email)
        .execute();
      assert.deepEqual(left, [], 'and the count starts again');
    }
  });

  test('the delay never exceeds 15 minutes', async () => {
    const email = unique('capped');
    await t.app.database.db.insertInto('login_throttle').values({ email, failures: 60 }).execute();
    assert.equal((await login(email, 'wrong guess here')).status, 401);
    const res = await login(email, 'wrong guess here');
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers['retry-after']) <= 900, String(res.headers['retry-after']));
    assert.ok(Number(res.headers['retry-after']) > 800, String(res.headers['retry-after']));
  });

  test('a shopper edits their name and phone', async () => {
    const c = await t.customer('Nora');
    const renamed = await t.request<{ name: string; phone: string | null }>('PATCH', '/api/v1/account', {
      token: c.token,
      body: { name: '  Nora Nilsson ', phone: '+46 70 123 45 67' },
    });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.name, 'Nora Nilsson');
    assert.equal(renamed.body.phone, '+46 70 123 45 67');
    const cleared = await t.request<{ phone: string | null }>('PATCH', '/api/v1/account', {
      token: c.token,
      body: { phone: null },
    });
    assert.equal(cleared.body.phone, null);
    assert.equal((await me(c.token)).body['name'], 'Nora Nilsson');
    for (const body of [{}, { name: '' }, { phone: 'call me' }, { email: 'new@example.com' }]) {
      const res = await t.request('PATCH', '/api/v1/account', { token: c.token, body });
      assert.equal(res.status, 400, JSON.stringify(body));
    }
  });

  test('saved addresses: create, list, replace, delete; only the owner sees or touches them', async () => {
    const c = await t.customer('Addy');
    const other = await t.customer('Other');
    const created = await t.request<{ id: string; label: string | null; recipient: string | null }>(
      'POST',
      '/api/v1/account/addresses',
      { token: c.token, body: { ...ADDRESS, label: 'Home', recipient: 'Addy A.', country: 'US' } },
    );
    assert.equal(created.status, 201);
    assert.equal(created.body.label, 'Home');
    const second = await t.request<{ id: string }>('POST', '/api/v1/account/addresses', {
      token: c.token,
      body: { ...ADDRESS, street: '9 Work Way' },
    });
    assert.equal(second.status, 201);
    const list = await t.request<{ items: Array<{ id: string; street: string }> }>(
      'GET',
      '/api/v1/account/addresses',
      { token: c.token },
    );
    assert.deepEqual(
      list.body.items.map((a) => a.id),
      [created.body.id, second.body.id],
    );
    const otherList = await t.request<{ items: unknown[] }>('GET', '/api/v1/account/addresses', {
      token: other.token,
    });
    assert.deepEqual(otherList.body.items, []);

    const url = `/api/v1/account/addresses/${created.body.id}`;
    const replaced = await t.request<{ street: string; label: string | null }>('PUT', url, {
      token: c.token,
      body: { ...ADDRESS, street: '2 New St' },
    });
    assert.equal(replaced.status, 200);
    assert.equal(replaced.body.street, '2 New St');
    assert.equal(replaced.body.label, null, 'PUT replaces the whole address');
    assert.equal((await t.request('PUT', url, { token: other.token, body: ADDRESS })).status, 404);
    assert.equal((await t.request('DELETE', url, { token: other.token })).status, 404);
    assert.equal(
      (
        await t.request('POST', '/api/v1/account/addresses', {
          token: c.token,
          body: { ...ADDRESS, zip: '' },
        })
      ).status,
      400,
    );
    assert.equal((await t.request('DELETE', url, { token: c.token })).status, 204);
    assert.equal((await t.request('DELETE', url, { token: c.token })).status, 404);
  });

  test('an account keeps at most 20 addresses', async () => {
    const c = await t.customer('Many');
    for (let i = 0; i < 20; i++) {
      const res = await t.request('POST', '/api/v1/account/addresses', {
        token: c.token,
        body: { ...ADDRESS, street: `${i} Long Rd` },
      });
      assert.equal(res.status, 201);
    }
    const full = await t.request<{ code: string }>('POST', '/api/v1/account/addresses', {
      token: c.token,
      body: ADDRESS,
    });
    assert.equal(full.status, 409);
    assert.equal(full.body.code, 'too_many_addresses');
  });
});

test('in production, ADMIN_PASSWORD follows the password rules', () => {
  const production = { NODE_ENV: 'production', JWT_SECRET: 'k'.repeat(40), ADMIN_EMAIL: ADMIN.email };
  assert.throws(
    () => loadConfig({ ...production, ADMIN_PASSWORD: 'admin12345' }),
    /ADMIN_PASSWORD is too easy to guess/,
  );
  assert.throws(
    () => loadConfig({ ...production, ADMIN_PASSWORD: 'short' }),
    /ADMIN_PASSWORD must be at least 10/,
  );
  assert.ok(loadConfig({ ...production, ADMIN_PASSWORD: 'violet kettle harbour 12' }));
});
