import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PGBOUNCER, startPgBouncer, type PgBouncer } from '../bench/pgbouncer.ts';
import { ConfigError, loadConfig } from '../src/config.ts';
import { ADMIN, createTestDatabase, onPostgres, orderBody, type TestDatabase } from './helpers.ts';
import { fetchJson, freePort } from './net.ts';

/**
 * Two Orderly server processes behind Debian's PgBouncer in transaction mode, the topology of
 * docs/production.md: the pooler hands every transaction whichever server connection is free, so
 * nothing a process leaves on a connection (a named prepared statement, LISTEN, a session lock)
 * is there for its next transaction.
 */
const SKIP = !onPostgres
  ? 'needs PostgreSQL (TEST_DATABASE_URL): the pooler sits in front of a server'
  : !existsSync(PGBOUNCER)
    ? `needs PgBouncer at ${PGBOUNCER} (apt-get install pgbouncer)`
    : false;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const JWT_SECRET = 'pooler-test-secret-that-is-long-enough';

async function waitFor(what: string, check: () => Promise<boolean>, output: string[]): Promise<void> {
  // generous: on a loaded CI machine a server takes many seconds to start
  const deadline = Date.now() + 60_000;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} did not start: ${output.join('')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Child {
  process: ChildProcess;
  output: string[];
  stop(): Promise<number | null>;
}

function run(command: string, args: string[], env: Record<string, string | undefined>): Child {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return {
    process: child,
    output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      return exited;
    },
  };
}

interface Instance extends Child {
  url: string;
}

async function startInstance(pooledUrl: string, directUrl: string): Promise<Instance> {
  const port = await freePort();
  const child = run(process.execPath, ['src/main.ts', 'start'], {
    PATH: process.env['PATH'],
    NODE_ENV: 'test',
    DATABASE_URL: pooledUrl,
    DATABASE_POOLER: 'transaction',
    DATABASE_DIRECT_URL: directUrl,
    DATABASE_POOL_SIZE: '8',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    JWT_SECRET,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    // no poll within the test: whatever another process hears, it heard through LISTEN
    OUTBOX_POLL_MS: '600000',
    RATE_LIMIT_AUTH_PER_IP: '100000',
    RATE_LIMIT_AUTH_PER_ACCOUNT: '100000',
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor('a server', async () => (await fetch(`${url}/readyz`)).ok, child.output);
  return { ...child, url };
}

function call<T = Record<string, unknown>>(
  instance: Instance,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T }> {
  return fetchJson<T>(instance.url, method, path, options);
}

describe('the pooler setting', () => {
  test('DATABASE_POOLER=transaction without a direct URL for LISTEN is refused at start', () => {
    assert.throws(
      () => loadConfig({ DATABASE_URL: 'postgres://127.0.0.1:6432/shop', DATABASE_POOLER: 'transaction' }),
      (error: unknown) => error instanceof ConfigError && /DATABASE_DIRECT_URL/.test(error.message),
    );
  });

  test('behind a pooler in transaction mode no statement is prepared by name', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://127.0.0.1:6432/shop',
      DATABASE_POOLER: 'transaction',
      DATABASE_DIRECT_URL: 'postgres://127.0.0.1:5432/shop',
      DATABASE_PREPARED_STATEMENTS: 'true',
    });
    assert.equal(config.database.preparedStatements, false);
    assert.equal(config.database.directUrl, 'postgres://127.0.0.1:5432/shop');
  });
});

describe('two server processes behind PgBouncer in transaction mode', { skip: SKIP }, () => {
  let database: TestDatabase;
  let pooler: PgBouncer;
  let a: Instance;
  let b: Instance;
  let adminToken: string;

  before(async () => {
    database = await createTestDatabase();
    // 4 server connections for two processes with 8 each: transactions really share them
    pooler = await startPgBouncer(database.url!, 4);
    a = await startInstance(pooler.url, database.url!);
    b = await startInstance(pooler.url, database.url!);
    const login = await call<{ token: string }>(a, 'POST', '/api/v1/auth/login', { body: ADMIN });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    adminToken = login.body.token;
  });

  after(async () => {
    const codes = await Promise.all([a?.stop(), b?.stop()]);
    await pooler?.stop();
    await database?.drop();
    assert.deepEqual(codes, [0, 0], 'both processes shut down cleanly on SIGTERM');
  });

  async function product(
    stock: number,
    price = 20,
  ): Promise<{ id: string; variants: Array<{ id: string }> }> {
    const res = await call<{ id: string; variants: Array<{ id: string }> }>(a, 'POST', '/api/v1/products', {
      token: adminToken,
      body: { sku: `PB-${Math.random().toString(36).slice(2)}`, name: 'Pooled', price, initialStock: stock },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  }

  async function customer(instance: Instance, n: number): Promise<{ id: string; token: string }> {
    const credentials = {
      email: `pooled${n}-${Math.random().toString(36).slice(2)}@example.com`,
      password: 'correct horse battery',
    };
    const registered = await call(instance, 'POST', '/api/v1/auth/register', {
      body: { ...credentials, name: `Pooled ${n}` },
    });
    assert.equal(registered.status, 202, JSON.stringify(registered.body));
    const res = await call<{ token: string; user: { id: string } }>(instance, 'POST', '/api/v1/auth/login', {
      body: credentials,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return { id: res.body.user.id, token: res.body.token };
  }

  test('20 shoppers racing for 8 units through both processes buy exactly 8', async () => {
    const item = await product(8, 25);
    const shoppers = await Promise.all(Array.from({ length: 20 }, (_, i) => customer(i % 2 ? b : a, i)));
    const results = await Promise.all(
      shoppers.map((s, i) =>
        call(i % 2 ? b : a, 'POST', '/api/v1/orders', {
          token: s.token,
          body: orderBody(s.id, [{ productId: item.id, quantity: 1, price: 25 }]),
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 8, JSON.stringify(statuses));
    assert.equal(statuses.filter((s) => s === 409).length, 12, JSON.stringify(statuses));
    const level = await database.handle.db
      .selectFrom('stock_level')
      .select(['on_hand', 'reserved'])
      .where('product_id', '=', item.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual([level.on_hand, level.reserved], [0, 0]);
  });

  test('one idempotency key sent to both processes at once makes one order', async () => {
    const item = await product(100);
    const shopper = await customer(a, 100);
    const body = orderBody(shopper.id, [{ productId: item.id, quantity: 2, price: 20 }]);
    const headers = { 'idempotency-key': 'pooled-checkout-1' };
    const first = await Promise.all(
      [a, b].map((instance) =>
        call(instance, 'POST', '/api/v1/orders', { token: shopper.token, body, headers }),
      ),
    );
    for (const r of first) {
      assert.ok(
        r.status === 201 || (r.status === 409 && r.body['code'] === 'idempotency_in_progress'),
        `${r.status} ${JSON.stringify(r.body)}`,
      );
    }
    const again = await Promise.all(
      [b, a].map((instance) =>
        call(instance, 'POST', '/api/v1/orders', { token: shopper.token, body, headers }),
      ),
    );
    assert.deepEqual(
      again.map((r) => r.status),
      [201, 201],
    );
    const ids = new Set([...first, ...again].filter((r) => r.status === 201).map((r) => r.body['id']));
    assert.equal(ids.size, 1, 'every answer is the same order');
    const orders = await database.handle.db
      .selectFrom('orders')
      .select('id')
      .where('customer_id', '=', shopper.id)
      .execute();
    assert.equal(orders.length, 1);
  });

  test('an order placed through one process shows in the other one’s live stream', async () => {
    // the stock event reaches the other process only by NOTIFY, which it hears on its direct
    // connection: a LISTEN made through the pooler hears nothing
    const item = await product(50);
    const variantId = item.variants[0]?.id;
    assert.ok(variantId);
    const shopper = await customer(b, 200);
    const controller = new AbortController();
    const stream = await fetch(`${a.url}/api/v1/events/stream`, { signal: controller.signal });
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    const seen = (async () => {
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return false;
        buffer += value;
        for (const frame of buffer.split('\n\n')) {
          if (!frame.startsWith('event: stock')) continue;
          const data = JSON.parse(frame.slice(frame.indexOf('data: ') + 6)) as {
            variantId: string;
            onHand: number;
          };
          if (data.variantId === variantId && data.onHand === 49) return true;
        }
      }
    })();
    const placed = await call(b, 'POST', '/api/v1/orders', {
      token: shopper.token,
      body: orderBody(shopper.id, [{ productId: item.id, quantity: 1, price: 20 }]),
    });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    const timer = setTimeout(() => controller.abort(), 20_000);
    const arrived = await seen.catch(() => false);
    clearTimeout(timer);
    controller.abort();
    assert.equal(arrived, true, 'the stock event reached the other process');
  });

  test('every confirmation e-mail is sent once although both dispatchers share the pooler', async () => {
    const db = database.handle.db;
    const deadline = Date.now() + 30_000;
    for (;;) {
      // one statement, so one snapshot: counted apart, a dispatch committed between the two
      // counts would hide the e-mail it created
      const { pending, undispatched } = await db
        .selectNoFrom((eb) => [
          eb
            .selectFrom('notification')
            .select((c) => c.fn.countAll<number>().as('n'))
            .where('status', '=', 'pending')
            .as('pending'),
          eb
            .selectFrom('outbox')
            .select((c) => c.fn.countAll<number>().as('n'))
            .where('dispatched_at', 'is', null)
            .as('undispatched'),
        ])
        .executeTakeFirstOrThrow();
      if (Number(pending) === 0 && Number(undispatched) === 0) break;
      assert.ok(Date.now() < deadline, 'the outbox and the senders caught up');
      await new Promise((r) => setTimeout(r, 100));
    }
    const confirmed = await db
      .selectFrom('outbox')
      .select('id')
      .where('type', '=', 'OrderConfirmed')
      .execute();
    assert.ok(confirmed.length >= 10, `orders confirmed: ${confirmed.length}`);
    const emails = await db
      .selectFrom('notification')
      .select(['event_id', 'status'])
      .where('channel', '=', 'email')
      .where(
        'event_id',
        'in',
        confirmed.map((e) => e.id),
      )
      .execute();
    assert.equal(emails.length, confirmed.length, 'one confirmation e-mail per confirmed order');
    assert.ok(emails.every((e) => e.status === 'sent'));
  });
});
