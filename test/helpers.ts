import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { buildApp, type App, type AppOptions } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type DatabaseHandle } from '../src/platform/db.ts';
import { createLogger } from '../src/platform/logger.ts';
import { assertDocumentedResponse } from './contract/response-validator.ts';

/**
 * Each test file gets its own database: an in-memory PGlite by default, or, when
 * TEST_DATABASE_URL points at a PostgreSQL server, a database created for it and dropped after.
 */
export const onPostgres = Boolean(process.env['TEST_DATABASE_URL']);

export interface TestDatabase {
  handle: DatabaseHandle;
  url: string | undefined;
  drop(): Promise<void>;
}

/**
 * Where `test/global-setup.ts` left a database with every migration applied: the name of a
 * template database on PostgreSQL, the path of a saved data directory on PGlite. And on PGlite
 * an empty cluster's data directory: initdb takes PGlite two seconds of CPU.
 */
export const MIGRATED_TEMPLATE = 'ORDERLY_TEST_MIGRATED_TEMPLATE';
export const EMPTY_CLUSTER = 'ORDERLY_TEST_EMPTY_CLUSTER';

/**
 * A database of the test's own: blank, or with `migrated` a copy of the migrated one the global
 * setup made (when there is one; otherwise blank, and the app's start migrates it).
 */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = process.env['TEST_DATABASE_URL'];
  const template = options.migrated ? process.env[MIGRATED_TEMPLATE] : undefined;
  if (!serverUrl) {
    const saved = template ?? process.env[EMPTY_CLUSTER];
    const loadDataDir = saved ? new Blob([await readFile(saved)]) : undefined;
    const handle = await openDatabase({ dataDir: 'memory://', loadDataDir });
    return { handle, url: undefined, drop: () => handle.close() };
  }
  const name = `orderly_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(template ? `create database ${name} template ${template}` : `create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), dataDir: '', poolSize: 30 });
  return {
    handle,
    url: url.toString(),
    async drop() {
      await handle.close();
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

export const ADMIN = { email: 'admin@orderly.test', password: 'admin-password-42' };

export interface Response<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
}

export interface TestApp {
  app: App;
  database: TestDatabase;
  request<T = Record<string, unknown>>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    options?: { token?: string | undefined; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response<T>>;
  /** the admin's token, signed in once; `renew` signs in again (after a test revoked it) */
  adminToken(renew?: boolean): Promise<string>;
  customer(name?: string): Promise<{ token: string; id: string; email: string }>;
  product(input?: {
    price?: number;
    stock?: number;
    name?: string;
  }): Promise<{ id: string; price: number; name: string }>;
  close(): Promise<void>;
}

let sequence = 0;

export async function createTestApp(
  env: Record<string, string> = {},
  options: AppOptions = {},
): Promise<TestApp> {
  const database = await createTestDatabase({ migrated: true });
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SEED_DEMO_DATA: 'false',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256',
    // Every test signs in from one address; the rate-limit tests set their own limits.
    RATE_LIMIT_AUTH_PER_IP: '1000000',
    RATE_LIMIT_AUTH_PER_ACCOUNT: '1000000',
    // the least scrypt cost: a hash takes a millisecond instead of 50, over a thousand sign-ups
    PASSWORD_HASH_COST: '10',
    // uploaded images go to a scratch folder, not the working copy's data/
    UPLOAD_DIR: join(tmpdir(), 'orderly-test-uploads'),
    ...env,
  });
  const app = await buildApp(config, {
    database: database.handle,
    background: false,
    logger: createLogger('silent'),
    ...options,
  });
  await app.start();
  let admin: string | undefined;

  const request: TestApp['request'] = async (method, url, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers['authorization'] = `Bearer ${opts.token}`;
    const response = await app.server.inject({
      method,
      url,
      headers,
      ...(opts.body !== undefined && { payload: opts.body as object }),
    });
    let body: unknown = response.body;
    try {
      body = response.body ? JSON.parse(response.body) : {};
    } catch {
      // not JSON: left as text
    }
    // Every answer from the API must be one docs/api/openapi.yaml documents (status and body).
    if (url.startsWith('/api/v1/') || url === '/api/v1') {
      assertDocumentedResponse(method, url, response.statusCode, response.headers['content-type'], body);
    }
    return { status: response.statusCode, body: body as never, headers: response.headers };
  };

  const adminToken = async (renew = false) => {
    if (!admin || renew) {
      const res = await request<{ token: string }>('POST', '/api/v1/auth/login', { body: ADMIN });
      admin = res.body.token;
    }
    return admin;
  };

  return {
    app,
    database,
    request,
    adminToken,
    async customer(name = 'Customer') {
      const email = `customer${++sequence}-${randomBytes(3).toString('hex')}@example.com`;
      const password = 'correct horse battery';
      const registered = await request('POST', '/api/v1/auth/register', { body: { email, password, name } });
      if (registered.status !== 202) {
        throw new Error(`register failed: ${registered.status} ${JSON.stringify(registered.body)}`);
      }
      const res = await request<{ token: string; user: { id: string } }>('POST', '/api/v1/auth/login', {
        body: { email, password },
      });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { token: res.body.token, id: res.body.user.id, email };
    },
    async product(input = {}) {
      const token = await adminToken();
      const res = await request<{ id: string; price: number; name: string }>('POST', '/api/v1/products', {
        token,
        body: {
          sku: `SKU-${++sequence}-${randomBytes(3).toString('hex')}`,
          name: input.name ?? `Product ${sequence}`,
          price: input.price ?? 10,
          initialStock: input.stock ?? 10,
        },
      });
      if (res.status !== 201) throw new Error(`product failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

export const ADDRESS = { street: '123 Main St', city: 'San Francisco', state: 'CA', zip: '94102' };

export function orderBody(
  customerId: string,
  items: Array<{ productId: string; quantity: number; price: number }>,
  token = 'tok_visa',
) {
  return { customerId, items, shippingAddress: ADDRESS, paymentMethod: { type: 'card', token } };
}

export const STAFF_PASSWORD = 'staff passphrase 2026';

/**
 * A staff member with `role`, made as the owner makes one: invited through the API, then the
 * password chosen with the link from the invitation email. Signed in.
 */
export async function staffMember(
  t: TestApp,
  role: 'owner' | 'staff' | 'support',
  name = `${role[0]?.toUpperCase()}${role.slice(1)} Member`,
): Promise<{ token: string; id: string; email: string }> {
  const email = `${role}-${++sequence}-${randomBytes(3).toString('hex')}@example.com`;
  const invited = await t.request<{ id: string }>('POST', '/api/v1/admin/staff', {
    token: await t.adminToken(),
    body: { email, name, role },
  });
  if (invited.status !== 201)
    throw new Error(`invite failed: ${invited.status} ${JSON.stringify(invited.body)}`);
  const token = await invitationToken(t, email);
  const session = await t.request<{ token: string }>('POST', '/api/v1/auth/password-reset/confirm', {
    body: { token, password: STAFF_PASSWORD },
  });
  if (session.status !== 200) throw new Error(`set password failed: ${session.status}`);
  return { token: session.body.token, id: invited.body.id, email };
}

/** The link tokens (`#token=…`) of the `template` emails sent to `email`, newest first. */
export async function emailedTokens(t: TestApp, email: string, template: string): Promise<string[]> {
  const mails = await t.app.database.db
    .selectFrom('notification')
    .select('body_text')
    .where('recipient', '=', email)
    .where('template', '=', template)
    .orderBy('created_at', 'desc')
    .execute();
  return mails.flatMap((mail) => /#token=([A-Za-z0-9_-]+)/.exec(mail.body_text)?.[1] ?? []);
}

/** The set-password token from the newest invitation email sent to `email`. */
export async function invitationToken(t: TestApp, email: string): Promise<string> {
  const [token] = await emailedTokens(t, email, 'staff_invitation');
  if (!token) throw new Error('no invitation email with a link was sent');
  return token;
}
