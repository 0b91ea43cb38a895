/**
 * For the fault suites: Orderly as a real child process (`node src/main.ts start`) on a
 * PostgreSQL database of its own, plain HTTP clients that record every outcome, and the SQL
 * checks that must hold after any fault.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  Agent,
  createServer as createHttpServer,
  request as httpRequest,
  type ServerResponse,
} from 'node:http';
import { createServer, connect, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers.ts';
export { freePort } from '../net.ts';

export { onPostgres };

/**
 * `describe(name, { skip: NEEDS_POSTGRES }, …)`: the reason is printed on the skip line. These
 * suites restart PostgreSQL and kill processes, so `npm test` leaves them out (scripts/test.ts)
 * and `npm run test:faults` runs them one file at a time, after the other suites.
 */
export const NEEDS_POSTGRES = !onPostgres
  ? 'needs PostgreSQL: set TEST_DATABASE_URL and run npm run test:faults (.ci/run does)'
  : false;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NODE = fileURLToPath(new URL('../../node_modules/.bin/node', import.meta.url));

export const ADMIN = { email: 'admin@faults.test', password: 'admin-password-42' };
export const PASSWORD = 'correct horse battery';

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface Server {
  url: string;
  child: ChildProcess;
  logs: LogLine[];
  /** the process's own stderr, for a failure message */
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

/** Environment every fault server gets; a test adds or overrides. */
export function baseEnv(databaseUrl: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '10',
    SEED_DEMO_DATA: 'false',
    JWT_SECRET: 'fault-tests-secret-that-is-long-enough-for-hs256',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    RATE_LIMIT_AUTH_PER_IP: '100000',
    RATE_LIMIT_AUTH_PER_ACCOUNT: '100000',
    EMAIL_PROVIDER: 'log',
    SMS_PROVIDER: 'none',
  };
}

/** Starts `node src/main.ts start` and resolves once it serves. */
export async function startServer(env: Record<string, string>, timeoutMs = 30_000): Promise<Server> {
  const child = spawn(NODE, ['src/main.ts', 'start'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  let stderr = '';
  let pending = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the server did not start in ${timeoutMs} ms: ${stderr.slice(-2000)}`)),
      timeoutMs,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        let parsed: LogLine;
        try {
          parsed = JSON.parse(line) as LogLine;
        } catch {
          continue;
        }
        logs.push(parsed);
        const m = /Orderly is serving on (http:\/\/\S+)/.exec(parsed.msg ?? '');
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code ?? signal}) before serving: ${stderr.slice(-2000)}`));
    });
  });
  return {
    url,
    child,
    logs,
    stderr: () => stderr,
    exited,
    kill: (signal) => child.kill(signal),
  };
}

/** Kills a server that a failed test left running; a no-op once it has exited. */
export async function stopServer(server: Server | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.kill('SIGKILL');
  await server.exited;
}

// ---------------------------------------------------------------- HTTP

export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

/** The outcome of one request: an answer, or the network error a client would see. */
export type Outcome =
  { status: number; retryAfter: string | undefined; code: string | undefined } | { error: string };

export async function call<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; agent?: Agent | false; timeoutMs?: number } = {},
): Promise<Answer<T>> {
  const url = new URL(path, base);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method,
        agent: options.agent ?? false,
        headers: {
          ...(payload !== undefined && { 'content-type': 'application/json' }),
          ...(options.token && { authorization: `Bearer ${options.token}` }),
        },
        timeout: options.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : {};
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: body as T });
        });
      },
    );
    req.on('timeout', () =>
      req.destroy(Object.assign(new Error('client timeout'), { code: 'CLIENT_TIMEOUT' })),
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export async function outcomeOf(promise: Promise<Answer>): Promise<Outcome> {
  try {
    const res = await promise;
    const retryAfter = res.headers['retry-after'];
    return {
      status: res.status,
      retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
      code: typeof res.body === 'object' && res.body ? (res.body['code'] as string | undefined) : undefined,
    };
  } catch (error) {
    return { error: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
}

export function tally(outcomes: Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const key = 'error' in o ? o.error : String(o.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

// ---------------------------------------------------------------- a shop to work in

export interface Shop {
  admin: string;
  customers: Array<{ id: string; token: string; email: string }>;
  products: Array<{ id: string; price: number }>;
}

export async function openShop(
  base: string,
  options: { customers: number; products: Array<{ price: number; stock: number }> },
): Promise<Shop> {
  const login = await call<{ token: string }>(base, 'POST', '/api/v1/auth/login', { body: ADMIN });
  assert.equal(login.status, 200, 'admin login');
  const admin = login.body.token;
  const products: Shop['products'] = [];
  for (const p of options.products) {
    const res = await call<{ id: string }>(base, 'POST', '/api/v1/products', {
      token: admin,
      body: {
        sku: `F-${randomBytes(5).toString('hex')}`,
        name: `Fault ${p.price}`,
        price: p.price,
        initialStock: p.stock,
      },
    });
    assert.equal(res.status, 201, `product: ${JSON.stringify(res.body)}`);
    products.push({ id: res.body.id, price: p.price });
  }
  const customers: Shop['customers'] = [];
  for (let i = 0; i < options.customers; i++) {
    const email = `c${i}-${randomBytes(4).toString('hex')}@faults.test`;
    const registered = await call(base, 'POST', '/api/v1/auth/register', {
      body: { email, password: PASSWORD, name: `Customer ${i}` },
    });
    assert.equal(registered.status, 202, `register: ${JSON.stringify(registered.body)}`);
    const res = await call<{ token: string; user: { id: string } }>(base, 'POST', '/api/v1/auth/login', {
      body: { email, password: PASSWORD },
    });
    assert.equal(res.status, 200, `login: ${JSON.stringify(res.body)}`);
    customers.push({ id: res.body.user.id, token: res.body.token, email });
  }
  return { admin, customers, products };
}

export const ADDRESS = { street: '1 Fault Lane', city: 'Springfield', state: 'IL', zip: '62701' };

export function orderRequest(
  customer: { id: string },
  product: { id: string; price: number },
  quantity = 1,
  token = 'tok_visa',
) {
  return {
    customerId: customer.id,
    items: [{ productId: product.id, quantity, price: product.price }],
    shippingAddress: ADDRESS,
    paymentMethod: { type: 'card', token },
  };
}

// ---------------------------------------------------------------- SQL

export interface FaultDatabase {
  test: TestDatabase;
  url: string;
  sql: pg.Pool;
  close(): Promise<void>;
}

/** A database of its own on the PostgreSQL server (migrated by the server at its first start). */
export async function faultDatabase(): Promise<FaultDatabase> {
  const test = await createTestDatabase();
  if (!test.url) throw new Error('the fault suites need TEST_DATABASE_URL');
  // The test's own handle is not needed: the server under test opens its own pool.
  const sql = new pg.Pool({ connectionString: test.url, max: 3 });
  sql.on('error', () => {});
  return {
    test,
    url: test.url,
    sql,
    async close() {
      await sql.end().catch(() => {});
      await test.drop().catch(() => {});
    },
  };
}

export async function rows<T = Record<string, unknown>>(
  db: FaultDatabase,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const result = await db.sql.query(text, params);
  return result.rows as T[];
}

/** Polls until `check` returns a value other than undefined, or fails with the last state. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let value: T | undefined;
    try {
      value = await check();
    } catch {
      value = undefined;
    }
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * What must hold whatever happened: every order has lines and a total equal to their sum; stock
 * never negative and reserved ≤ on hand; every product's reserved count is exactly its active
 * reservations; no reservation is active for an order that is not pending or confirmed-in-change;
 * every confirmed, shipped or delivered order has a succeeded payment covering its total.
 */
export async function assertInvariants(db: FaultDatabase): Promise<void> {
  const noLines = await rows(
    db,
    `select o.id from orders o where not exists (select 1 from order_line l where l.order_id = o.id)`,
  );
  assert.deepEqual(noLines, [], 'orders without lines');
  const badTotals = await rows(
    db,
    `select o.id, o.total_minor, sum(l.total_minor::bigint) as lines, o.shipping_total_minor
       from orders o join order_line l on l.order_id = o.id
      group by o.id having o.total_minor <> sum(l.total_minor::bigint) + o.shipping_total_minor`,
  );
  assert.deepEqual(badTotals, [], 'orders whose total is not the sum of their lines and shipping');
  const badStock = await rows(
    db,
    `select s.variant_id, s.on_hand, s.reserved,
            coalesce((select sum(r.quantity) from stock_reservation r
                       where r.variant_id = s.variant_id and r.location_id = s.location_id
                         and r.status = 'active'), 0) as active
       from stock_level s
      where s.on_hand < 0 or s.reserved < 0 or s.reserved > s.on_hand
         or s.reserved <> coalesce((select sum(r.quantity) from stock_reservation r
                                     where r.variant_id = s.variant_id and r.location_id = s.location_id
                                       and r.status = 'active'), 0)`,
  );
  assert.deepEqual(badStock, [], 'stock levels that disagree with the reservations or go negative');
  const strayReservations = await rows(
    db,
    `select r.order_id, o.status from stock_reservation r join orders o on o.id = r.order_id
      where r.status = 'active' and o.status not in ('pending', 'confirmed')`,
  );
  assert.deepEqual(strayReservations, [], 'active reservations of finished orders');
  const stranded = await rows(
    db,
    `select o.id from orders o where o.status = 'pending'
        and not exists (select 1 from stock_reservation r where r.order_id = o.id and r.status = 'active')`,
  );
  assert.deepEqual(stranded, [], 'pending orders holding no stock: half-written or never settled');
  const unpaid = await rows(
    db,
    `select o.id, o.status from orders o
      where o.status in ('confirmed', 'shipped', 'delivered')
        and coalesce((select sum(p.amount_minor) from payment p where p.order_id = o.id and p.status = 'succeeded'), 0) < o.total_minor`,
  );
  assert.deepEqual(unpaid, [], 'confirmed orders without a charge covering them');
}

// ---------------------------------------------------------------- outages

/** A port nothing listens on yet. */

/**
 * A service's address that can go away: nothing listens there until `up()` (connections are
 * refused), then every connection is forwarded to `target`; `down()` cuts them all again.
 */
export function switchableAddress(port: number, target: number) {
  let server: NetServer | null = null;
  const sockets = new Set<Socket>();
  return {
    async up() {
      server = createServer((client) => {
        const upstream = connect(target, '127.0.0.1');
        sockets.add(client).add(upstream);
        client.pipe(upstream).pipe(client);
        const end = () => {
          client.destroy();
          upstream.destroy();
        };
        client.on('error', end).on('close', end);
        upstream.on('error', end).on('close', end);
      });
      await new Promise<void>((resolve) => server?.listen(port, '127.0.0.1', resolve));
    },
    async down() {
      for (const s of sockets) s.destroy();
      if (server) await new Promise<void>((resolve) => server?.close(() => resolve()));
      server = null;
    },
  };
}

/**
 * A relay in front of the Stripe double: every request goes through to Stripe, but the answer
 * to a request `swallow` picks is read from Stripe and never passed back; its connection waits
 * in `held`. So Stripe has done the work (a charge, a refund) and Orderly never hears of it: the
 * moment a crash is then made at.
 */
export async function startStripeGate(
  target: string,
  swallow: (request: { method: string; url: string; body: Buffer }) => boolean,
) {
  const held: ServerResponse[] = [];
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const swallowed = swallow({ method: req.method ?? 'GET', url: req.url ?? '/', body });
      const upstream = httpRequest(
        new URL(req.url ?? '/', target),
        { method: req.method, headers: req.headers },
        (answer) => {
          if (swallowed) {
            answer.resume();
            answer.on('end', () => held.push(res));
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    held,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Once recovery has settled what a crash left: a dozen more of its passes (a server started with
 * `SWEEP_INTERVAL_MS` 200) leave the rows `snapshot` reads as they were and ask Stripe nothing.
 */
export async function assertRecoveryQuiet(
  snapshot: () => Promise<unknown>,
  stripeRequests: () => readonly unknown[],
): Promise<void> {
  const askedBefore = stripeRequests().length;
  const settled = await snapshot();
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  assert.deepEqual(await snapshot(), settled, 'later recovery passes change nothing');
  assert.deepEqual(stripeRequests().slice(askedBefore), [], 'and ask Stripe nothing more');
}

/** The summaries on an order's timeline as its customer reads them. */
export async function timelineOf(base: string, token: string, orderId: string): Promise<string[]> {
  const res = await call<{ items: Array<{ summary: string }> }>(
    base,
    'GET',
    `/api/v1/orders/${orderId}/timeline`,
    {
      token,
    },
  );
  assert.equal(res.status, 200);
  return res.body.items.map((i) => i.summary);
}
