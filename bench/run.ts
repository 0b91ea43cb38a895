import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { TokenService } from '../src/platform/auth/tokens.ts';
import { openDatabase } from '../src/platform/db.ts';
import { migrateUp } from '../src/platform/migrate.ts';
import {
  issue16Rows,
  leadingRows,
  memoryPhase,
  outboxLag,
  physicalCeilingPhase,
  storefrontPhase,
  workersPhase,
  type Bench,
} from './issue16.ts';
import { generateOrders, seedCatalog, type Seeded, type SeededVariant, type SeedShape } from './seed.ts';
import {
  BENCH_ADDRESS,
  summarize,
  type Basket,
  type CeilingResult,
  type CeilingSpec,
  type Latency,
  type LoadResult,
  type LoadSpec,
} from './shared.ts';

/**
 * `npm run bench`: order placement through HTTP against the same work sent straight to
 * PostgreSQL (the ceiling), reads over a million orders, live-update latency, and a stock check.
 * It makes its own databases on BENCH_DATABASE_URL's server and drops them afterwards.
 */
const env = process.env;
const num = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);
const settings = {
  adminUrl: env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  concurrency: num('BENCH_CONCURRENCY', 32),
  seconds: num('BENCH_SECONDS', 20),
  warmupSeconds: num('BENCH_WARMUP_SECONDS', 3),
  historicalOrders: num('BENCH_ORDERS', 1_000_000),
  readSeconds: num('BENCH_READ_SECONDS', 3),
  readConcurrency: num('BENCH_READ_CONCURRENCY', 8),
  workers: num('BENCH_WORKERS', 1),
  scarceShare: num('BENCH_SCARCE_SHARE', 0.05),
  /** share of orders that carry the discount code */
  discountShare: num('BENCH_DISCOUNT_SHARE', 0.25),
  /** distinct baskets the load picks from, each priced once by POST /checkout/quote */
  baskets: num('BENCH_BASKETS', 2000),
  shape: {
    products: num('BENCH_PRODUCTS', 1000),
    scarceProducts: 10,
    scarceStock: 40,
    stock: 1_000_000,
    customers: num('BENCH_CUSTOMERS', 10_000),
  } satisfies SeedShape,
  /** customers placing orders in the write phases */
  shoppers: 2000,
  cpuProfile: env['BENCH_CPU_PROF'] === '1',
  /** orders the memory phase places while sampling the server's RSS */
  memoryOrders: num('BENCH_MEMORY_ORDERS', 100_000),
  /** leave phases out to compare changes quickly; the HTTP phase always runs */
  phases: new Set(
    (env['BENCH_PHASES'] ?? 'http,ceiling,physical,storefront,memory,workers,reads,export').split(','),
  ),
  /** named prepared statements in the server and the ceiling alike */
  prepared: env['BENCH_PREPARED'] !== '0',
};

const root = fileURLToPath(new URL('..', import.meta.url));
const node = process.execPath;
const out = (line = '') => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function databaseUrl(name: string): string {
  const url = new URL(settings.adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(run: (client: pg.Client) => Promise<T>, url = settings.adminUrl): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------- CPU time

/**
 * CPU seconds (user + system) used so far by processes, from /proc: a figure that holds up on a
 * busy machine, where throughput and latency also measure everybody else's work.
 */
function cpuSeconds(pids: Iterable<number>): Map<number, number> {
  const used = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      used.set(pid, (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // gone, or not Linux
    }
  }
  return used;
}

/** The server's processes: the one started and any cluster workers it forked. */
async function serverPids(server: Server): Promise<number[]> {
  const root = server.process.pid ?? 0;
  const pids = [root];
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === root) pids.push(Number(entry));
    }
  } catch {
    // not Linux
  }
  return pids;
}

/** The PostgreSQL backends serving a database (on this machine). */
async function backendPids(url: string): Promise<number[]> {
  const name = new URL(url).pathname.slice(1);
  return admin(async (c) => {
    const { rows } = await c.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [
      name,
    ]);
    return rows.map((r) => r.pid);
  });
}

/** CPU used between `start()` and `stop()` by the listed processes, new ones counted from zero. */
function cpuMeter(list: () => Promise<number[]>) {
  let before = new Map<number, number>();
  return {
    async start() {
      before = cpuSeconds(await list());
    },
    async stop(): Promise<number> {
      const after = cpuSeconds(await list());
      let total = 0;
      for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
      return total;
    },
  };
}

// ---------------------------------------------------------------- the server under test

interface Server {
  url: string;
  process: ChildProcess;
  stderr: string[];
  stop(): Promise<number | null>;
}

async function startServer(
  url: string,
  jwtSecret: string,
  extraEnv: Record<string, string> = {},
): Promise<Server> {
  const port = await freePort();
  // BENCH_CPU_PROF=1: the server writes a V8 CPU profile when it stops (open it in Chrome DevTools)
  const args = settings.cpuProfile
    ? ['--cpu-prof', '--cpu-prof-dir', join(os.tmpdir(), 'orderly-profiles')]
    : [];
  const child = spawn(node, [...args, 'src/main.ts', 'start'], {
    cwd: root,
    env: {
      PATH: env['PATH'],
      NODE_ENV: 'production',
      DATABASE_URL: url,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      JWT_SECRET: jwtSecret,
      WORKERS: String(settings.workers),
      DATABASE_PREPARED_STATEMENTS: String(settings.prepared),
      BENCH_COUNT_STATEMENTS: '1',
      ...extraEnv,
    },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr.push(chunk.toString());
    process.stderr.write(chunk);
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${base}/readyz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (i > 300) throw new Error('the server did not become ready in 30 s');
    await sleep(100);
  }
  return {
    url: base,
    process: child,
    stderr,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

// ---------------------------------------------------------------- child processes

async function runChild<T>(script: string, specEnv: Record<string, string>): Promise<T> {
  const child = spawn(node, [`bench/${script}`], {
    cwd: root,
    env: { PATH: env['PATH'], ...specEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`bench/${script} exited with ${code}`);
  const last = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as T;
}

/** Specs travel in a file: two thousand tokens do not fit in an environment. */
async function withSpecFile<T>(spec: unknown, run: (path: string) => Promise<T>): Promise<T> {
  const path = join(os.tmpdir(), `orderly-bench-${randomBytes(6).toString('hex')}.json`);
  writeFileSync(path, JSON.stringify(spec));
  try {
    return await run(path);
  } finally {
    rmSync(path, { force: true });
  }
}

function load(spec: LoadSpec): Promise<LoadResult> {
  return withSpecFile(spec, (path) => runChild<LoadResult>('load.ts', { BENCH_SPEC: path }));
}

// ---------------------------------------------------------------- statements per order

interface StatementTally {
  scopes: Record<string, { requests: number; statements: number }>;
  sample: { key: string; statements: string[] } | null;
}

async function statements(
  server: Server,
  token: string,
  reset?: { sample?: string },
): Promise<StatementTally> {
  if (reset) {
    const query = reset.sample ? `?sample=${encodeURIComponent(reset.sample)}` : '';
    await fetch(`${server.url}/internal/statements/reset${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
  }
  const res = await fetch(`${server.url}/internal/statements`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return (await res.json()) as StatementTally;
}

// ---------------------------------------------------------------- live updates

interface Probe {
  stop(): Promise<number[]>;
}

/**
 * Places one order at a time for a product nobody else buys and times the `stock` event that
 * shows it sold, from the moment the order was confirmed. The confirmation time is the order's
 * `updatedAt`, stamped by the statement that confirms it inside the second transaction, a few
 * statements before its COMMIT: the figure is an upper bound by that much (well under a millisecond).
 */
async function startProbe(
  server: Server,
  seeded: Seeded,
  basket: Basket,
  customer: { id: string; token: string },
  state: { onHand: number },
): Promise<Probe> {
  const controller = new AbortController();
  const response = await fetch(`${server.url}/api/v1/events/stream`, { signal: controller.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const arrivals = new Map<number, number>();
  const waiting = new Map<number, (at: number) => void>();
  const reading = (async () => {
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!frame.startsWith('event: stock')) continue;
        const at = Date.now();
        const data = JSON.parse(frame.slice(frame.indexOf('data: ') + 6)) as {
          variantId: string;
          onHand: number;
          reserved: number;
        };
        if (data.variantId !== seeded.probe.id || data.reserved !== 0) continue;
        if (!arrivals.has(data.onHand)) arrivals.set(data.onHand, at);
        waiting.get(data.onHand)?.(at);
      }
    }
  })();
  let running = true;
  const latencies: number[] = [];
  const loop = (async () => {
    while (running) {
      const expected = state.onHand - 1;
      const arrived = new Promise<number>((resolve) => {
        waiting.set(expected, resolve);
        setTimeout(() => resolve(-1), 30_000);
      });
      const res = await placeBasket(server, customer, basket);
      const order = (await res.json()) as { status?: string; updatedAt?: string };
      if (res.status !== 201 || order.status !== 'confirmed' || !order.updatedAt) {
        throw new Error(`probe order failed: ${res.status} ${JSON.stringify(order)}`);
      }
      state.onHand = expected;
      const at = arrivals.get(expected) ?? (await arrived);
      waiting.delete(expected);
      if (at < 0) throw new Error('no stock event for a probe order within 30 s');
      latencies.push(at - Date.parse(order.updatedAt));
      await sleep(50);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      controller.abort();
      await reading;
      return latencies;
    },
  };
}

// ---------------------------------------------------------------- correctness

interface StockCheck {
  products: number;
  consistent: boolean;
  oversold: number;
  soldOut: number;
  unitsSold: number;
  pendingOrders: number;
  activeReservations: number;
}

/** Stock on hand + sold = starting stock for every variant; sold never exceeds what there was. */
async function checkStock(url: string, seeded: Seeded): Promise<StockCheck> {
  return admin(async (client) => {
    const { rows } = await client.query<{
      variant_id: string;
      on_hand: number;
      reserved: number;
      sold: string;
      held: string;
      lines: string;
    }>(`select s.variant_id, s.on_hand, s.reserved,
               coalesce((select sum(quantity) from stock_reservation r
                          where r.variant_id = s.variant_id and r.status = 'committed'), 0) as sold,
               coalesce((select sum(quantity) from stock_reservation r
                          where r.variant_id = s.variant_id and r.status = 'active'), 0) as held,
               coalesce((select sum(l.quantity) from order_line l join orders o on o.id = l.order_id
                          where l.variant_id = s.variant_id and o.status = 'confirmed'), 0) as lines
          from stock_level s`);
    const start = new Map(
      [...seeded.products, ...seeded.scarce, seeded.probe].map((p) => [p.id, p.stock] as const),
    );
    let consistent = true;
    let oversold = 0;
    let soldOut = 0;
    let unitsSold = 0;
    for (const r of rows) {
      const initial = start.get(r.variant_id) ?? 0;
      const sold = Number(r.sold);
      unitsSold += sold;
      if (r.on_hand + sold !== initial || Number(r.lines) !== sold || Number(r.held) !== r.reserved) {
        consistent = false;
      }
      if (sold > initial || r.on_hand < 0 || r.reserved > r.on_hand) oversold++;
      if (r.on_hand - r.reserved === 0) soldOut++;
    }
    const pending = await client.query<{ n: string }>(
      `select count(*) as n from orders where status = 'pending'`,
    );
    const active = await client.query<{ n: string }>(
      `select count(*) as n from stock_reservation where status = 'active'`,
    );
    return {
      products: rows.length,
      consistent,
      oversold,
      soldOut,
      unitsSold,
      pendingOrders: Number(pending.rows[0]?.n ?? 0),
      activeReservations: Number(active.rows[0]?.n ?? 0),
    };
  }, url);
}

async function outboxBacklog(url: string): Promise<number> {
  return admin(async (c) => {
    const { rows } = await c.query<{ n: string }>(
      'select count(*) as n from outbox where dispatched_at is null',
    );
    return Number(rows[0]?.n ?? 0);
  }, url);
}

// ---------------------------------------------------------------- the run

async function prepareDatabase(name: string): Promise<string> {
  await admin((c) => c.query(`create database ${name}`));
  return databaseUrl(name);
}

async function seed(url: string): Promise<Seeded> {
  return admin((client) => seedCatalog(client, settings.shape), url);
}

function tokensFor(seeded: Seeded, secret: string) {
  const tokens = new TokenService(secret, 24 * 3600);
  return Promise.all(
    seeded.customers.slice(0, settings.shoppers).map(async (id) => ({
      id,
      token: await tokens.issue({ accountId: id, version: 1 }),
    })),
  );
}

/**
 * The baskets the load places: `settings.baskets` of 1–3 lines of distinct variants, 1–3 units
 * each, and a tenth as many more with one unit of a scarce product first; the share
 * `settings.discountShare` of each carries the discount code. All ship by the Standard method.
 */
function chooseBaskets(seeded: Seeded): { regular: Unquoted[]; scarce: Unquoted[] } {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
  const basket = (first: SeededVariant | null): Unquoted => {
    const count = 1 + Math.floor(Math.random() * 3);
    const chosen = new Map<string, { variant: SeededVariant; quantity: number }>();
    if (first) chosen.set(first.id, { variant: first, quantity: 1 });
    while (chosen.size < count) {
      const v = pick(seeded.products);
      if (!chosen.has(v.id)) chosen.set(v.id, { variant: v, quantity: 1 + Math.floor(Math.random() * 3) });
    }
    return {
      items: [...chosen.values()],
      shippingMethodId: seeded.shipping.standardMethodId,
      ...(Math.random() < settings.discountShare ? { discountCode: seeded.discountCode } : {}),
    };
  };
  return {
    regular: Array.from({ length: settings.baskets }, () => basket(null)),
    scarce: Array.from({ length: Math.ceil(settings.baskets / 10) }, () => basket(pick(seeded.scarce))),
  };
}

interface Unquoted {
  items: Array<{ variant: SeededVariant; quantity: number }>;
  shippingMethodId: string;
  discountCode?: string;
}

/** Each basket priced by the server, so every order confirms the total the server computes. */
async function quoteBaskets(server: Server, baskets: readonly Unquoted[]): Promise<Basket[]> {
  const quote = async (basket: Unquoted): Promise<Basket> => {
    const items = basket.items.map((i) => ({ variantId: i.variant.id, quantity: i.quantity }));
    const res = await fetch(`${server.url}/api/v1/checkout/quote`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        items,
        shippingAddress: BENCH_ADDRESS,
        shippingMethodId: basket.shippingMethodId,
        discountCode: basket.discountCode,
      }),
    });
    const body = (await res.json()) as { total?: number };
    if (res.status !== 200 || body.total === undefined) {
      throw new Error(`a quote failed: ${res.status} ${JSON.stringify(body)}`);
    }
    return {
      items: basket.items.map((i) => ({
        variantId: i.variant.id,
        quantity: i.quantity,
        price: i.variant.price / 100,
      })),
      shippingMethodId: basket.shippingMethodId,
      ...(basket.discountCode ? { discountCode: basket.discountCode } : {}),
      expectedTotal: body.total,
    };
  };
  const quoted: Basket[] = [];
  // eight at a time: a few seconds for the whole pool
  for (let i = 0; i < baskets.length; i += 8) {
    quoted.push(...(await Promise.all(baskets.slice(i, i + 8).map(quote))));
  }
  return quoted;
}

function placeBasket(server: Server, customer: { id: string; token: string }, basket: Basket) {
  return fetch(`${server.url}/api/v1/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${customer.token}` },
    body: JSON.stringify({
      customerId: customer.id,
      items: basket.items,
      shippingAddress: BENCH_ADDRESS,
      shippingMethodId: basket.shippingMethodId,
      discountCode: basket.discountCode,
      expectedTotal: basket.expectedTotal,
      paymentMethod: { type: 'card', token: 'tok_visa' },
    }),
  });
}

function ms(latency: Latency) {
  return `p50 ${latency.p50} ms, p95 ${latency.p95} ms, p99 ${latency.p99} ms`;
}

interface ReadCase {
  name: string;
  paths: string[];
  admin?: boolean;
}

/** A UTC date `days` ago, for the admin's date filters. */
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

/** The reads, each a GET the storefront or the admin makes, timed over the million orders. */
const READS: ReadCase[] = [
  { name: 'product list', paths: ['/api/v1/products?limit=20'] },
  { name: 'cart', paths: ['/api/v1/cart'] },
  { name: 'order history page', paths: ['/api/v1/orders?limit=20'] },
  { name: 'admin order list', paths: ['/api/v1/admin/orders?limit=20'], admin: true },
  {
    name: 'admin search by customer email',
    paths: ['/api/v1/admin/orders?q=customer{customer}%40&limit=20'],
    admin: true,
  },
  {
    name: 'admin search by order number',
    paths: ['/api/v1/admin/orders?q=%2310{customer}&limit=20'],
    admin: true,
  },
  { name: 'admin search by digits', paths: ['/api/v1/admin/orders?q={customer}&limit=20'], admin: true },
  {
    name: 'admin search by customer name',
    paths: ['/api/v1/admin/orders?q=Customer%20{customer}&limit=20'],
    admin: true,
  },
  {
    name: 'admin search by SKU',
    paths: ['000123', '000456', '000789', '000321'].map((n) => `/api/v1/admin/orders?q=BENCH-${n}&limit=20`),
    admin: true,
  },
  { name: 'admin filter by status', paths: ['/api/v1/admin/orders?status=shipped&limit=20'], admin: true },
  {
    name: 'admin filter by customer',
    paths: ['/api/v1/admin/orders?customerId={customerId}&limit=20'],
    admin: true,
  },
  {
    name: 'admin filter by dates',
    paths: [`/api/v1/admin/orders?from=${daysAgo(90)}&to=${daysAgo(60)}&limit=20`],
    admin: true,
  },
  {
    name: 'admin filter by status and dates',
    paths: [
      `/api/v1/admin/orders?status=cancelled&from=${daysAgo(200)}&to=${daysAgo(190)}&order=asc&limit=20`,
    ],
    admin: true,
  },
  {
    name: 'admin sort by total',
    paths: [
      '/api/v1/admin/orders?sort=total&order=desc&limit=20',
      '/api/v1/admin/orders?sort=total&order=asc&limit=20',
    ],
    admin: true,
  },
  {
    name: 'admin filter by status, sort by total',
    paths: ['/api/v1/admin/orders?status=confirmed&sort=total&order=desc&limit=20'],
    admin: true,
  },
];

async function main(): Promise<void> {
  const id = randomBytes(4).toString('hex');
  const names = {
    http: `orderly_bench_${id}`,
    ceiling: `orderly_bench_${id}_ceiling`,
    physical: `orderly_bench_${id}_physical`,
  };
  const jwtSecret = randomBytes(32).toString('hex');
  const started = Date.now();
  let server: Server | null = null;
  const results: Record<string, unknown> = {
    startedAt: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      loadAverageAtStart: os.loadavg()[0],
      node: process.version,
      postgres: await admin(
        async (c) =>
          (await c.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]?.v,
      ),
    },
  };
  try {
    // --------------------------------------------------------- order placement through HTTP
    const httpUrl = await prepareDatabase(names.http);
    server = await startServer(httpUrl, jwtSecret);
    const seeded = await seed(httpUrl);
    const shoppers = await tokensFor(seeded, jwtSecret);
    const tokens = new TokenService(jwtSecret, 24 * 3600);
    const adminToken = await tokens.issue({ accountId: seeded.adminId, version: 1 });
    const probeCustomer = shoppers.pop()!;
    out(
      `Orderly benchmark: ${settings.concurrency} concurrent customers, ${settings.seconds} s per write phase`,
    );
    out(`  pricing ${settings.baskets} baskets with POST /checkout/quote`);
    const chosen = chooseBaskets(seeded);
    const baskets = {
      regular: await quoteBaskets(server, chosen.regular),
      scarce: await quoteBaskets(server, chosen.scarce),
    };
    const standard = seeded.shipping.standardMethodId;
    const twoLines = seeded.products.slice(0, 2).map((variant) => ({ variant, quantity: 1 }));
    const [probeBasket, plainSample, codeSample] = await quoteBaskets(server, [
      { items: [{ variant: seeded.probe, quantity: 1 }], shippingMethodId: standard },
      { items: twoLines, shippingMethodId: standard },
      { items: twoLines, shippingMethodId: standard, discountCode: seeded.discountCode },
    ]);
    const spec: LoadSpec = {
      mode: 'orders',
      url: server.url,
      connections: settings.concurrency,
      seconds: settings.warmupSeconds,
      customers: shoppers,
      customerCount: settings.shape.customers,
      baskets: baskets.regular,
      scarce: [],
      scarceShare: 0,
    };
    out(`  warming up for ${settings.warmupSeconds} s`);
    await load(spec);
    await sleep(1000); // orders still in flight when the load generator stopped

    // one order of each kind on its own, to list the statements it sends: two lines, without
    // and with the discount code, once the server has read its variants (as under load)
    const sampleOf = async (basket: Basket) => {
      const warm = await placeBasket(server!, probeCustomer, basket);
      if (warm.status !== 201) throw new Error(`a sample order failed: ${warm.status} ${await warm.text()}`);
      await statements(server!, adminToken, { sample: 'POST /api/v1/orders' });
      const one = await placeBasket(server!, probeCustomer, basket);
      if (one.status !== 201) throw new Error(`a sample order failed: ${one.status} ${await one.text()}`);
      return (await statements(server!, adminToken)).sample?.statements ?? [];
    };
    const samples = { plain: await sampleOf(plainSample!), withCode: await sampleOf(codeSample!) };

    await sleep(500);
    await statements(server, adminToken, {});
    out(`  placing orders through HTTP for ${settings.seconds} s`);
    const probeStock = { onHand: seeded.probe.stock };
    const bench: Bench = {
      ...settings,
      out,
      admin,
      prepareDatabase,
      dropDatabase: (name) =>
        admin(async (c) => void (await c.query(`drop database if exists ${name} with (force)`))),
      runChild: (script, childSpec) =>
        withSpecFile(childSpec, (path) => runChild(script, { BENCH_SPEC: path })),
      load,
      startServer: (url, extra) => startServer(url, jwtSecret, extra),
    };
    const lag = outboxLag(bench, httpUrl);
    await lag.loadStarts();
    const probe = await startProbe(server, seeded, probeBasket!, probeCustomer, probeStock);
    const serverCpu = cpuMeter(() => serverPids(server!));
    const databaseCpu = cpuMeter(() => backendPids(httpUrl));
    await serverCpu.start();
    await databaseCpu.start();
    const http = await load({
      ...spec,
      seconds: settings.seconds,
      scarce: baskets.scarce,
      scarceShare: settings.scarceShare,
    });
    await lag.loadStopped();
    const sseUnderLoad = await probe.stop();
    const tally = await statements(server, adminToken);
    // what the request path left for the background: events not yet dispatched, and how long
    // the dispatcher needs to catch up once orders stop coming
    const backlog = await outboxBacklog(httpUrl);
    const draining = Date.now();
    while ((await outboxBacklog(httpUrl)) > 0 && Date.now() - draining < 60_000) await sleep(100);
    const drainSeconds = (Date.now() - draining) / 1000;
    const cpu = { server: await serverCpu.stop(), database: await databaseCpu.stop() };
    results['outboxLag'] = await lag.measure();
    // the background's statements once the outbox is empty and the e-mails are out: the work the
    // load left behind, counted whole (at the stop the dispatcher is still seconds behind)
    const settled = await statements(server, adminToken);
    const stock = await checkStock(httpUrl, seeded);
    const quietProbe = await startProbe(server, seeded, probeBasket!, probeCustomer, probeStock);
    await sleep(3000);
    const sseQuiet = await quietProbe.stop();

    const placed = http.statuses['201'] ?? 0;
    const orderScope = tally.scopes['POST /api/v1/orders'] ?? { requests: 0, statements: 0 };
    const background = settled.scopes['background']?.statements ?? 0;
    const fiveXx = Object.entries(http.statuses)
      .filter(([code]) => code.startsWith('5'))
      .reduce((s, [, n]) => s + n, 0);
    const perOrder = (n: number) =>
      orderScope.requests ? Math.round((n / orderScope.requests) * 10) / 10 : 0;
    const httpResult = {
      ordersPerSecond: Math.round(placed / http.seconds),
      requests: http.requests,
      succeeded: placed,
      shareSucceeded: http.requests ? placed / http.requests : 0,
      statuses: http.statuses,
      fiveXx,
      errors: http.errors,
      timeouts: http.timeouts,
      latency: { p50: http.p50, p95: http.p95, p99: http.p99, max: http.max, mean: http.mean },
      /** CPU milliseconds per order placed, background work (dispatch, e-mails) included */
      cpuMsPerOrder: {
        server: placed ? Math.round((cpu.server / placed) * 10000) / 10 : 0,
        database: placed ? Math.round((cpu.database / placed) * 10000) / 10 : 0,
      },
      outboxBacklogAtEnd: backlog,
      outboxDrainSeconds: drainSeconds,
      statementsPerOrder: {
        request: perOrder(orderScope.statements),
        background: perOrder(background),
        total: perOrder(orderScope.statements + background),
        /** the statements of one order placed on its own, without and with the discount code */
        sampleCount: { plain: samples.plain.length, withCode: samples.withCode.length },
        scopes: tally.scopes,
        samples,
      },
      stock,
    };
    results['http'] = httpResult;
    const live = {
      underLoad: { count: sseUnderLoad.length, ...summarize(sseUnderLoad) },
      quiet: { count: sseQuiet.length, ...summarize(sseQuiet) },
    };
    results['liveUpdates'] = live;
    out(
      `  ${httpResult.ordersPerSecond} orders/s, ${ms(httpResult.latency)}, ` +
        `${(httpResult.shareSucceeded * 100).toFixed(1)} % succeeded, ${fiveXx} × 5xx, ` +
        `${httpResult.statementsPerOrder.request} statements per order ` +
        `(+ ${httpResult.statementsPerOrder.background} in the background)`,
    );

    // --------------------------------------------------------- the ceiling, on its own database
    if (settings.phases.has('ceiling')) await ceilingPhase(results, httpResult, names.ceiling);
    if (settings.phases.has('physical')) {
      const physical = await physicalCeilingPhase(bench, names.physical);
      results['physical'] = physical;
      results['ratioToPhysical'] = physical.ordersPerSecond
        ? Math.round((httpResult.ordersPerSecond / physical.ordersPerSecond) * 1000) / 1000
        : 0;
    }
    if (settings.phases.has('storefront')) {
      results['storefront'] = await storefrontPhase(
        bench,
        server,
        seeded,
        shoppers.splice(0, settings.concurrency),
      );
    }
    if (settings.phases.has('memory')) results['memory'] = await memoryPhase(bench, server, spec, httpUrl);
    if (settings.phases.has('workers')) results['workers'] = await workersPhase(bench, spec, httpUrl);
    // --------------------------------------------------------- reads over a million orders
    if (settings.phases.has('reads')) await readPhase(results, spec, httpUrl, adminToken);
    // --------------------------------------------------------- the million orders as one CSV
    if (settings.phases.has('export')) await exportPhase(results, server, httpUrl, adminToken);
    printTable(results);
  } finally {
    if (server) results['serverExitCode'] = await server.stop();
    await admin((c) => c.query(`drop database if exists ${names.http} with (force)`));
    await admin((c) => c.query(`drop database if exists ${names.ceiling} with (force)`));
    await admin((c) => c.query(`drop database if exists ${names.physical} with (force)`));
  }
  results['durationSeconds'] = Math.round((Date.now() - started) / 1000);
  writeFileSync(
    `${root}bench/results.json`,
    `${JSON.stringify({ ...results, settings: { ...settings, phases: [...settings.phases], adminUrl: undefined } }, null, 2)}\n`,
  );
  out(`\nwritten to bench/results.json (${results['durationSeconds']} s)`);
}

async function ceilingPhase(
  results: Record<string, unknown>,
  httpResult: {
    ordersPerSecond: number;
    statementsPerOrder: { sampleCount: { plain: number; withCode: number } };
  },
  name: string,
): Promise<void> {
  out(`  sending the same statements straight to PostgreSQL for ${settings.seconds} s`);
  const ceilingUrl = await prepareDatabase(name);
  const ceilingDb = await openDatabase({ url: ceilingUrl, dataDir: '' });
  await migrateUp(ceilingDb.db);
  await ceilingDb.close();
  const ceilingSeed = await seed(ceilingUrl);
  const ceiling = await withSpecFile(
    {
      url: ceilingUrl,
      connections: settings.concurrency,
      seconds: settings.seconds,
      customers: ceilingSeed.customers.slice(0, settings.shoppers),
      products: ceilingSeed.products,
      scarce: ceilingSeed.scarce,
      scarceShare: settings.scarceShare,
      discountCode: ceilingSeed.discountCode,
      discountShare: settings.discountShare,
      shippingMethodId: ceilingSeed.shipping.standardMethodId,
      address: BENCH_ADDRESS,
      prepared: settings.prepared,
    } satisfies CeilingSpec,
    (path) => runChild<CeilingResult>('ceiling.ts', { BENCH_SPEC: path }),
  );
  const ceilingPlaced = ceiling.statuses['placed'] ?? 0;
  const ceilingResult = {
    ordersPerSecond: Math.round(ceilingPlaced / ceiling.seconds),
    requests: ceiling.requests,
    succeeded: ceilingPlaced,
    shareSucceeded: ceiling.requests ? ceilingPlaced / ceiling.requests : 0,
    latency: { p50: ceiling.p50, p95: ceiling.p95, p99: ceiling.p99, max: ceiling.max, mean: ceiling.mean },
    statementsPerOrder: ceiling.statementsPerOrder,
    statementsByKind: ceiling.statementsByKind,
    cpuMsPerOrder: {
      client: ceilingPlaced ? Math.round((ceiling.cpuSeconds / ceilingPlaced) * 10000) / 10 : 0,
      database: ceilingPlaced ? Math.round((ceiling.databaseCpuSeconds / ceilingPlaced) * 10000) / 10 : 0,
    },
    stock: await checkStock(ceilingUrl, ceilingSeed),
  };
  results['ceiling'] = ceilingResult;
  const ratio = ceilingResult.ordersPerSecond
    ? httpResult.ordersPerSecond / ceilingResult.ordersPerSecond
    : 0;
  results['ratio'] = Math.round(ratio * 100) / 100;
  out(`  ${ceilingResult.ordersPerSecond} orders/s, ${ms(ceilingResult.latency)}`);
  for (const kind of ['plain', 'withCode'] as const) {
    const server = httpResult.statementsPerOrder.sampleCount[kind];
    const mirror = ceiling.statementsByKind[kind];
    if (mirror > 0 && Math.abs(mirror - server) > 0.01) {
      out(
        `  WARNING: for an order ${kind === 'plain' ? 'without' : 'with'} a discount code the ceiling sends ` +
          `${mirror.toFixed(1)} statements, the server ${server}: bench/ceiling.ts no longer mirrors the server`,
      );
    }
  }
  await admin((c) => c.query(`drop database if exists ${name} with (force)`));
}

async function readPhase(
  results: Record<string, unknown>,
  spec: LoadSpec,
  httpUrl: string,
  adminToken: string,
): Promise<void> {
  out(`  generating ${settings.historicalOrders.toLocaleString('en')} orders in SQL`);
  const generating = Date.now();
  await admin((c) => generateOrders(c, settings.historicalOrders), httpUrl);
  results['generationSeconds'] = Math.round((Date.now() - generating) / 100) / 10;
  const reads: Record<string, unknown> = {};
  for (const read of READS) {
    const result = await load({
      ...spec,
      mode: 'reads',
      connections: settings.readConcurrency,
      seconds: settings.readSeconds,
      paths: read.paths,
      adminToken,
    });
    const ok = result.statuses['200'] ?? 0;
    reads[read.name] = {
      requestsPerSecond: Math.round(result.requests / result.seconds),
      p50: result.p50,
      p99: result.p99,
      ok,
      statuses: result.statuses,
    };
    out(`  ${read.name}: p50 ${result.p50} ms, p99 ${result.p99} ms (${ok}/${result.requests} × 200)`);
  }
  results['reads'] = reads;
  results['readsOver'] = await admin(async (c) => {
    const r = await c.query<{ orders: string; lines: string }>(
      'select (select count(*) from orders) as orders, (select count(*) from order_line) as lines',
    );
    return { orders: Number(r.rows[0]?.orders), lines: Number(r.rows[0]?.lines) };
  }, httpUrl);
}

/** A process's resident memory in MiB, from /proc (0 where there is none). */
function residentMb(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 102.4) / 10 : 0;
  } catch {
    return 0;
  }
}

/**
 * Downloads every generated order as the admin's CSV over HTTP, sampling the server's resident
 * memory as it goes: an export that streams keeps it flat (peak − start small), however many rows.
 */
async function exportPhase(
  results: Record<string, unknown>,
  server: Server,
  httpUrl: string,
  adminToken: string,
): Promise<void> {
  if (results['generationSeconds'] === undefined) {
    out(`  generating ${settings.historicalOrders.toLocaleString('en')} orders in SQL`);
    await admin((c) => generateOrders(c, settings.historicalOrders), httpUrl);
  }
  out('  exporting every order as CSV over HTTP');
  const pid = server.process.pid ?? 0;
  const start = residentMb(pid);
  let peak = start;
  const sampler = setInterval(() => (peak = Math.max(peak, residentMb(pid))), 100);
  const began = Date.now();
  let bytes = 0;
  let lines = 0;
  try {
    const res = await fetch(`${server.url}/api/v1/admin/orders/export.csv`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    if (res.status !== 200 || !res.body) throw new Error(`the export answered ${res.status}`);
    for await (const chunk of res.body) {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
    }
  } finally {
    clearInterval(sampler);
  }
  const seconds = (Date.now() - began) / 1000;
  const end = residentMb(pid);
  peak = Math.max(peak, end);
  const exported = {
    rows: lines - 1,
    seconds,
    rowsPerSecond: Math.round((lines - 1) / seconds),
    megabytes: Math.round(bytes / 1024 / 102.4) / 10,
    serverRssMb: { start, peak, end, peakMinusStart: Math.round((peak - start) * 10) / 10 },
  };
  results['export'] = exported;
  out(
    `  ${exported.rows.toLocaleString('en')} rows (${exported.megabytes} MiB) in ${seconds.toFixed(1)} s, ` +
      `${exported.rowsPerSecond.toLocaleString('en')} rows/s; server RSS ${start} → peak ${peak} → ${end} MiB`,
  );
}

function printTable(results: Record<string, unknown>): void {
  type Side = { ordersPerSecond: number; latency: Latency; stock: StockCheck };
  const http = results['http'] as Side & {
    shareSucceeded: number;
    fiveXx: number;
    cpuMsPerOrder: { server: number; database: number };
    outboxBacklogAtEnd: number;
    outboxDrainSeconds: number;
    statementsPerOrder: { request: number; background: number };
  };
  const ceiling = results['ceiling'] as
    (Side & { cpuMsPerOrder: { client: number; database: number } }) | undefined;
  const live = results['liveUpdates'] as {
    underLoad: Latency & { count: number };
    quiet: Latency & { count: number };
  };
  const reads = (results['reads'] ?? {}) as Record<
    string,
    { p50: number; p99: number; requestsPerSecond: number }
  >;
  const lat = (l: Latency) => `${l.p50} / ${l.p95} / ${l.p99} ms`;
  const rows: Array<[string, string]> = [
    ...leadingRows(results),
    ['HTTP orders/s', String(http.ordersPerSecond)],
    ['HTTP latency p50 / p95 / p99', lat(http.latency)],
    ['HTTP share succeeded', `${(http.shareSucceeded * 100).toFixed(1)} % (the rest: 409 out of stock)`],
    ['HTTP 5xx', String(http.fiveXx)],
    [
      'SQL statements per order',
      `${http.statementsPerOrder.request} in the request + ${http.statementsPerOrder.background} in the background`,
    ],
    [
      'CPU per order: server / PostgreSQL',
      `${http.cpuMsPerOrder.server} / ${http.cpuMsPerOrder.database} ms`,
    ],
    [
      'outbox backlog at the end / drained in',
      `${http.outboxBacklogAtEnd} events / ${http.outboxDrainSeconds.toFixed(1)} s`,
    ],
  ];
  if (ceiling) {
    rows.push(
      ['ceiling orders/s (pg, no HTTP)', String(ceiling.ordersPerSecond)],
      ['ceiling latency p50 / p95 / p99', lat(ceiling.latency)],
      [
        'ceiling CPU per order: client / PostgreSQL',
        `${ceiling.cpuMsPerOrder.client} / ${ceiling.cpuMsPerOrder.database} ms`,
      ],
      ['ratio HTTP ÷ same statements (what the HTTP layer costs)', String(results['ratio'])],
    );
  }
  for (const [name, r] of Object.entries(reads)) {
    rows.push([`read: ${name} p50 / p99`, `${r.p50} / ${r.p99} ms (${r.requestsPerSecond}/s)`]);
  }
  rows.push(...issue16Rows(results));
  rows.push(
    [
      'live update under load p50 / p99',
      `${live.underLoad.p50} / ${live.underLoad.p99} ms (${live.underLoad.count})`,
    ],
    ['live update quiet p50 / p99', `${live.quiet.p50} / ${live.quiet.p99} ms (${live.quiet.count})`],
    [
      'stock: on hand + sold = start',
      `${http.stock.consistent && (ceiling?.stock.consistent ?? true) ? 'yes' : 'NO'} (${http.stock.products} variants, ` +
        `${http.stock.oversold + (ceiling?.stock.oversold ?? 0)} oversold, ${http.stock.soldOut} sold out)`,
    ],
  );
  const width = Math.max(...rows.map(([k]) => k.length));
  out('');
  for (const [k, v] of rows) out(`${k.padEnd(width)}  ${v}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
