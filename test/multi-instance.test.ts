import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { ChargeRequest, PaymentProvider } from '../src/payment/provider.ts';
import { SandboxPaymentProvider } from '../src/payment/sandbox.ts';
import { createLogger } from '../src/platform/logger.ts';
import { ADDRESS, ADMIN, createTestDatabase, onPostgres, orderBody, type TestDatabase } from './helpers.ts';
import { fetchJson, freePort } from './net.ts';

/**
 * Two Orderly server processes on different ports, one PostgreSQL database: what one process
 * keeps in memory must never be the truth for a request the other serves.
 */
const SKIP = !onPostgres && 'needs PostgreSQL: two server processes cannot share an embedded PGlite';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const JWT_SECRET = 'multi-instance-secret-that-is-long-enough';

interface Instance {
  url: string;
  process: ChildProcess;
  output: string[];
  stop(): Promise<number | null>;
}

async function startInstance(databaseUrl: string): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, ['src/main.ts', 'start'], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'],
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      JWT_SECRET,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      // the recovery job runs often in both, and settles an order stalled for 4 s
      SWEEP_INTERVAL_MS: '200',
      PAYMENT_RECOVERY_AFTER: '4',
      OUTBOX_POLL_MS: '50',
      // every shopper registers and signs in from this one address
      RATE_LIMIT_AUTH_PER_IP: '100000',
      RATE_LIMIT_AUTH_PER_ACCOUNT: '100000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${output.join('')}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 200) throw new Error(`server did not start: ${output.join('')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    process: child,
    output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      return exited;
    },
  };
}

function call<T = Record<string, unknown>>(
  instance: Instance,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T }> {
  return fetchJson<T>(instance.url, method, path, options);
}

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A gateway that charges (or not) and then the process "dies" before recording the result. */
function crashingProvider(sandbox: SandboxPaymentProvider, chargeFirst: boolean): PaymentProvider {
  return {
    name: sandbox.name,
    async charge(request: ChargeRequest) {
      if (chargeFirst) await sandbox.charge(request);
      throw new Error('the process died while paying');
    },
    refund: (request) => sandbox.refund(request),
    status: (query) => sandbox.status(query),
  };
}

describe('two server processes on one database', { skip: SKIP }, () => {
  let database: TestDatabase;
  let a: Instance;
  let b: Instance;
  let adminToken: string;
  const starting = new Map<string, number>();

  before(async () => {
    database = await createTestDatabase();
    // the first applies the migrations and creates the admin; the second finds them done
    a = await startInstance(database.url!);
    b = await startInstance(database.url!);
    const login = await call<{ token: string }>(a, 'POST', '/api/v1/auth/login', { body: ADMIN });
    adminToken = login.body.token;
  });

  after(async () => {
    const codes = await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
    assert.deepEqual(codes, [0, 0], 'both processes shut down cleanly on SIGTERM');
  });

  async function product(stock: number, price = 20): Promise<{ id: string }> {
    const res = await call<{ id: string }>(a, 'POST', '/api/v1/products', {
      token: adminToken,
      body: { sku: `MI-${Math.random().toString(36).slice(2)}`, name: 'Shared', price, initialStock: stock },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    starting.set(res.body.id, stock);
    return res.body;
  }

  async function customer(instance: Instance, n: number): Promise<{ id: string; token: string }> {
    const credentials = {
      email: `shopper${n}-${Math.random().toString(36).slice(2)}@example.com`,
      password: 'correct horse battery',
    };
    const registered = await call(instance, 'POST', '/api/v1/auth/register', {
      body: { ...credentials, name: `Shopper ${n}` },
    });
    assert.equal(registered.status, 202, JSON.stringify(registered.body));
    const res = await call<{ token: string; user: { id: string } }>(instance, 'POST', '/api/v1/auth/login', {
      body: credentials,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return { id: res.body.user.id, token: res.body.token };
  }

  test('a race for the last 10 units sent to both processes at once sells exactly 10', async () => {
    const item = await product(10, 25);
    const shoppers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => customer(i % 2 === 0 ? a : b, i)),
    );
    const results = await Promise.all(
      shoppers.map((s, i) =>
        call(i % 2 === 0 ? a : b, 'POST', '/api/v1/orders', {
          token: s.token,
          body: orderBody(s.id, [{ productId: item.id, quantity: 1, price: 25 }]),
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 10, JSON.stringify(statuses));
    assert.equal(statuses.filter((s) => s === 409).length, 20, JSON.stringify(statuses));
    for (const r of results.filter((r) => r.status === 409)) assert.equal(r.body['code'], 'out_of_stock');
    const level = await database.handle.db
      .selectFrom('stock_level')
      .select(['on_hand', 'reserved'])
      .where('product_id', '=', item.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual([level.on_hand, level.reserved], [0, 0]);
  });

  test('a discount code limited to 10 uses, raced by 50 shoppers on both processes, is redeemed exactly 10 times', async () => {
    const item = await product(100, 20);
    const code = `RACE${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
    const created = await call(a, 'POST', '/api/v1/admin/discount-codes', {
      token: adminToken,
      body: { code, kind: 'percentage', percentage: 10, usageLimit: 10 },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const shoppers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => customer(i % 2 === 0 ? a : b, 1000 + i)),
    );
    const results = await Promise.all(
      shoppers.map((s, i) =>
        call(i % 2 === 0 ? a : b, 'POST', '/api/v1/orders', {
          token: s.token,
          body: {
            ...orderBody(s.id, [{ productId: item.id, quantity: 1, price: 20 }]),
            discountCode: code,
            // 10 % off 20.00: the quote the shopper saw
            expectedTotal: 18,
          },
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 10, JSON.stringify(statuses));
    for (const r of results.filter((r) => r.status !== 201)) {
      assert.equal(r.status, 422, JSON.stringify(r.body));
      assert.equal(r.body['code'], 'discount_code_invalid');
    }
    const db = database.handle.db;
    const uses = await db
      .selectFrom('discount_redemption as r')
      .innerJoin('discount_code as c', 'c.id', 'r.code_id')
      .select(['r.order_id', 'c.times_used'])
      .where('c.code', '=', code)
      .where('r.status', '=', 'active')
      .execute();
    assert.equal(uses.length, 10);
    assert.ok(uses.every((u) => u.times_used === 10));
    const discounted = await db
      .selectFrom('orders')
      .select(['total_minor', 'discount_minor', 'status'])
      .where('discount_code', '=', code)
      .execute();
    assert.equal(discounted.length, 10, 'refused checkouts kept no order');
    assert.ok(
      discounted.every((o) => o.total_minor === 1800 && o.discount_minor === 200 && o.status === 'confirmed'),
    );
  });

  test('one idempotency key sent to both processes at once makes one order', async () => {
    const item = await product(100);
    const shopper = await customer(a, 100);
    const body = orderBody(shopper.id, [{ productId: item.id, quantity: 2, price: 20 }]);
    const headers = { 'idempotency-key': 'checkout-attempt-1' };
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
    assert.ok(first.some((r) => r.status === 201));
    // once settled, either process answers the repeat with the same order
    const again = await Promise.all(
      [b, a].map((instance) =>
        call(instance, 'POST', '/api/v1/orders', { token: shopper.token, body, headers }),
      ),
    );
    const ids = new Set([...first, ...again].filter((r) => r.status === 201).map((r) => r.body['id']));
    assert.deepEqual(
      again.map((r) => r.status),
      [201, 201],
    );
    assert.equal(ids.size, 1, 'every answer is the same order');
    const orders = await database.handle.db
      .selectFrom('orders')
      .select('id')
      .where('customer_id', '=', shopper.id)
      .execute();
    assert.equal(orders.length, 1);
  });

  test('stalled orders are recovered once although both processes run the recovery job', async () => {
    const item = await product(20, 15);
    const shopper = await customer(b, 200);
    // A third process places orders and "dies" while paying: after charging for some, before for others.
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: database.url,
      JWT_SECRET,
    });
    const sandbox = new SandboxPaymentProvider(database.handle.db);
    const crashed: Array<{ id: string; paid: boolean }> = [];
    for (const paid of [true, false, true, false, true, false]) {
      const app: App = await buildApp(config, {
        database: database.handle,
        background: false,
        logger: createLogger('silent'),
        paymentProvider: crashingProvider(sandbox, paid),
      });
      await app.start();
      const res = await app.server.inject({
        method: 'POST',
        url: '/api/v1/orders',
        headers: { authorization: `Bearer ${shopper.token}` },
        payload: orderBody(shopper.id, [{ productId: item.id, quantity: 2, price: 15 }]),
      });
      assert.equal(res.statusCode, 500, 'the placement died after reserving');
      await app.close();
      const newest = await database.handle.db
        .selectFrom('orders')
        .select(['id', 'status'])
        .where('customer_id', '=', shopper.id)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      assert.equal(newest.status, 'pending');
      crashed.push({ id: newest.id, paid });
    }
    const ids = crashed.map((c) => c.id);
    await eventually('both processes have settled every stalled order', async () => {
      const rows = await database.handle.db
        .selectFrom('orders')
        .select('status')
        .where('id', 'in', ids)
        .execute();
      return rows.every((r) => r.status !== 'pending');
    });
    const orders = await database.handle.db
      .selectFrom('orders')
      .select(['id', 'status'])
      .where('id', 'in', ids)
      .execute();
    for (const c of crashed) {
      assert.equal(orders.find((o) => o.id === c.id)?.status, c.paid ? 'confirmed' : 'cancelled');
    }
    const events = await database.handle.db
      .selectFrom('outbox')
      .select(['type', 'aggregate_id'])
      .where('aggregate_id', 'in', ids)
      .where('type', 'in', ['OrderConfirmed', 'OrderCancelled', 'PaymentProcessed'])
      .execute();
    for (const c of crashed) {
      const mine = events
        .filter((e) => e.aggregate_id === c.id)
        .map((e) => e.type)
        .sort();
      assert.deepEqual(mine, c.paid ? ['OrderConfirmed', 'PaymentProcessed'] : ['OrderCancelled'], c.id);
    }
    const payments = await database.handle.db
      .selectFrom('payment')
      .select('order_id')
      .where('order_id', 'in', ids)
      .execute();
    assert.equal(payments.length, 3, 'one payment record per charged order');
    const level = await database.handle.db
      .selectFrom('stock_level')
      .select(['on_hand', 'reserved'])
      .where('product_id', '=', item.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      [level.on_hand, level.reserved],
      [20 - 3 * 2, 0],
      'paid units sold once, the rest back once',
    );
  });

  test('every event is dispatched once and every confirmation email sent once', async () => {
    const db = database.handle.db;
    await eventually('both dispatchers have nothing left', async () => {
      const left = await db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('dispatched_at', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(left.n) === 0;
    });
    await eventually('both senders have nothing left', async () => {
      const left = await db
        .selectFrom('notification')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'pending')
        .executeTakeFirstOrThrow();
      return Number(left.n) === 0;
    });
    const confirmed = await db
      .selectFrom('outbox')
      .select('id')
      .where('type', '=', 'OrderConfirmed')
      .execute();
    assert.ok(confirmed.length >= 14, `orders confirmed: ${confirmed.length}`);
    const emails = await db
      .selectFrom('notification')
      .select(['id', 'event_id', 'status'])
      .where('channel', '=', 'email')
      .where(
        'event_id',
        'in',
        confirmed.map((e) => e.id),
      )
      .execute();
    assert.equal(emails.length, confirmed.length, 'one confirmation email per OrderConfirmed');
    assert.ok(emails.every((e) => e.status === 'sent'));
    const sent = await db.selectFrom('outbox').select('payload').where('type', '=', 'EmailSent').execute();
    const sentIds = sent.map((e) => (e.payload as { notificationId: string }).notificationId);
    for (const email of emails) {
      assert.equal(sentIds.filter((id) => id === email.id).length, 1, `email ${email.id} sent once`);
    }
    // nothing oversold anywhere
    const levels = await db.selectFrom('stock_level').select(['product_id', 'on_hand', 'reserved']).execute();
    const sold = await db
      .selectFrom('stock_reservation')
      .select(['variant_id', (eb) => eb.fn.sum<number>('quantity').as('n')])
      .where('status', '=', 'committed')
      .groupBy('variant_id')
      .execute();
    for (const level of levels) {
      const start = starting.get(level.product_id);
      if (start === undefined) continue;
      const n = Number(sold.find((s) => s.variant_id === level.product_id)?.n ?? 0);
      assert.equal(level.on_hand + n, start, `on hand + sold = start for ${level.product_id}`);
      assert.equal(level.reserved, 0);
    }
  });

  test('a price changed and a product taken off sale on one process are priced and refused by the other, which had cached the variant', async () => {
    const item = await product(100, 30);
    const quote = () =>
      call<{ subtotal: number }>(b, 'POST', '/api/v1/checkout/quote', {
        body: { items: [{ productId: item.id, quantity: 1 }], shippingAddress: ADDRESS },
      });
    // b reads the variant, twice: the second from its cache
    assert.equal((await quote()).body.subtotal, 30);
    assert.equal((await quote()).body.subtotal, 30);

    const repriced = await call(a, 'PATCH', `/api/v1/products/${item.id}`, {
      token: adminToken,
      body: { price: 25 },
    });
    assert.equal(repriced.status, 200, JSON.stringify(repriced.body));
    // well before b's cached variant would expire (30 s): b was told of the change
    await eventually('b prices the new price', async () => (await quote()).body.subtotal === 25, 10_000);

    const withdrawn = await call(a, 'PATCH', `/api/v1/products/${item.id}`, {
      token: adminToken,
      body: { active: false },
    });
    assert.equal(withdrawn.status, 200, JSON.stringify(withdrawn.body));
    await eventually('b refuses the product off sale', async () => (await quote()).status !== 200, 10_000);
    const refused = await quote();
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
  });

  // last: from here on the shop ships to the US by a method the orders above did not choose
  test('a shipping zone made and a price changed on one process are quoted by the other, which had cached the old rules', async () => {
    const item = await product(100, 30);
    const quote = () =>
      call<{ shippingMethods: Array<{ name: string; price: number }> }>(b, 'POST', '/api/v1/checkout/quote', {
        body: { items: [{ productId: item.id, quantity: 1 }], shippingAddress: ADDRESS },
      });
    const offered = async () => {
      const res = await quote();
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.shippingMethods;
    };
    // b reads the rules: no zone at all, so it ships everywhere for nothing
    assert.deepEqual(await offered(), []);
    assert.deepEqual(await offered(), []);

    const zone = await call<{ id: string }>(a, 'POST', '/api/v1/admin/shipping/zones', {
      token: adminToken,
      body: { name: 'USA', areas: [{ country: 'US' }] },
    });
    assert.equal(zone.status, 201, JSON.stringify(zone.body));
    const method = await call<{ id: string }>(
      a,
      'POST',
      `/api/v1/admin/shipping/zones/${zone.body.id}/methods`,
      {
        token: adminToken,
        body: { name: 'Standard', rate: { kind: 'flat', price: 5 } },
      },
    );
    assert.equal(method.status, 201, JSON.stringify(method.body));
    // well before b's cached rules would expire (30 s): b was told of the change
    await eventually('b quotes the new zone', async () => (await offered()).length > 0, 10_000);
    assert.deepEqual(
      (await offered()).map((m) => ({ name: m.name, price: m.price })),
      [{ name: 'Standard', price: 5 }],
    );

    const changed = await call(a, 'PATCH', `/api/v1/admin/shipping/methods/${method.body.id}`, {
      token: adminToken,
      body: { rate: { kind: 'flat', price: 7 } },
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    await eventually('b quotes the new price', async () => (await offered())[0]?.price === 7, 10_000);
  });
});
