/**
 * Without `JWT_SECRET` (allowed outside production), the signing key is random, made on the first
 * start and kept with the data: a token forged with a key from the source is refused, and tokens
 * survive a restart on the same database.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/platform/db.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { ADMIN, createTestApp, onPostgres } from '../helpers.ts';

// the key earlier versions signed with when JWT_SECRET was unset
const OLD_CONSTANT = 'orderly-development-secret-change-me';

describe('no JWT_SECRET outside production', () => {
  test('a token signed with a key from the source is refused; a second instance shares the stored key', async () => {
    const t = await createTestApp({ JWT_SECRET: '' });
    after(() => t.close());
    const me = await t.request<{ id: string }>('GET', '/api/v1/auth/me', { token: await t.adminToken() });
    assert.equal(me.status, 200);
    const forged = await new SignJWT({ email: ADMIN.email, role: 'admin', ver: 1 })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(me.body.id)
      .setIssuer('orderly')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(OLD_CONSTANT));
    const stats = await t.request('GET', '/api/v1/admin/stats', { token: forged });
    assert.equal(stats.status, 401);

    const stored = await t.app.database.db.selectFrom('app_secret').selectAll().execute();
    assert.equal(stored.length, 1);
    assert.ok((stored[0]?.value.length ?? 0) >= 48, 'a long random key');

    // another instance on the same database signs and verifies with the same key
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SEED_DEMO_DATA: 'false' });
    const other = await buildApp(config, {
      database: t.app.database,
      background: false,
      logger: createLogger('silent'),
    });
    await other.start();
    after(() => other.close());
    const res = await other.server.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${await t.adminToken()}` },
    });
    assert.equal(res.statusCode, 200);
  });

  test(
    'PGlite keeps the key in its data folder: a token still works after a restart',
    { skip: onPostgres && 'PGlite only' },
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'orderly-secret-'));
      after(() => rm(dir, { recursive: true, force: true }));
      const config = loadConfig({
        NODE_ENV: 'development',
        LOG_LEVEL: 'silent',
        SEED_DEMO_DATA: 'false',
        DATA_DIR: dir,
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
      });
      const login = async () => {
        const database = await openDatabase({ dataDir: dir });
        const app = await buildApp(config, { database, background: false, logger: createLogger('silent') });
        await app.start();
        return { app, database };
      };
      const first = await login();
      const signIn = await first.app.server.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: ADMIN,
      });
      const token = (signIn.json() as { token: string }).token;
      await first.app.close();
      await first.database.close();

      const second = await login();
      after(async () => {
        await second.app.close();
        await second.database.close();
      });
      const me = await second.app.server.inject({
        method: 'GET',
        url: '/api/v1/auth/me',
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(me.statusCode, 200);
    },
  );
});
