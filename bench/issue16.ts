import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import type pg from 'pg';
import type { PhysicalSpec } from './physical.ts';
import { startPgBouncer } from './pgbouncer.ts';
import type { Seeded } from './seed.ts';
import { summarize, type Latency, type LoadResult, type LoadSpec } from './shared.ts';
import type { StorefrontSpec } from './storefront.ts';

/**
 * The phases issue 16 added to `npm run bench`: the physical ceiling, the storefront flow, the
 * server's memory over a long run, the outbox lag under the load, and 1 vs 2 workers behind
 * PgBouncer. bench/run.ts owns the run (databases, the server, the load generator) and hands
 * its pieces over in a `Bench`.
 */
export interface BenchServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<number | null>;
}

export interface Bench {
  concurrency: number;
  seconds: number;
  warmupSeconds: number;
  /** orders the memory phase places */
  memoryOrders: number;
  out(line?: string): void;
  admin<T>(run: (client: pg.Client) => Promise<T>, url?: string): Promise<T>;
  prepareDatabase(name: string): Promise<string>;
  dropDatabase(name: string): Promise<void>;
  runChild<T>(script: string, spec: unknown): Promise<T>;
  load(spec: LoadSpec): Promise<LoadResult>;
  startServer(url: string, env?: Record<string, string>): Promise<BenchServer>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;
const lat = (l: Latency) => `p50 ${l.p50} ms, p99 ${l.p99} ms`;
/** the 1-minute load average as a phase starts: on a shared machine, what else was running */
const loadAverage = () => round(os.loadavg()[0] ?? 0);

// ---------------------------------------------------------------- the physical ceiling

export interface PhysicalResult {
  loadAverage: number;
  ordersPerSecond: number;
  latency: Latency;
  statuses: Record<string, number>;
}

export async function physicalCeilingPhase(bench: Bench, name: string): Promise<PhysicalResult> {
  bench.out(`  the physical ceiling: 2 stock updates + order + lines from pg, ${bench.seconds} s`);
  const url = await bench.prepareDatabase(name);
  const load = loadAverage();
  try {
    const r = await bench.runChild<LoadResult>('physical.ts', {
      url,
      connections: bench.concurrency,
      seconds: bench.seconds,
    } satisfies PhysicalSpec);
    const result = {
      loadAverage: load,
      ordersPerSecond: Math.round((r.statuses['placed'] ?? 0) / r.seconds),
      latency: { p50: r.p50, p95: r.p95, p99: r.p99, max: r.max, mean: r.mean },
      statuses: r.statuses,
    };
    bench.out(`  ${result.ordersPerSecond} orders/s, ${lat(result.latency)} (load average ${load})`);
    return result;
  } finally {
    await bench.dropDatabase(name);
  }
}

// ---------------------------------------------------------------- the storefront flow

/** What the issue measured for the same flow on a machine like this one. */
export const REFERENCES = [
  { name: 'Medusa 2.21', ordersPerSecond: 2, p99Ms: 18_000, wantedMultiple: 100 },
  { name: 'Vendure 3.7', ordersPerSecond: 15, p99Ms: 2_500, wantedMultiple: 20 },
] as const;

export interface StorefrontResult {
  loadAverage: number;
  ordersPerSecond: number;
  flows: number;
  latency: Latency;
  statuses: Record<string, number>;
  errors: number;
  /** Orderly's orders/s ÷ each reference's (Vendure at the top of its 12–15 range) */
  multiples: Record<string, number>;
}

export async function storefrontPhase(
  bench: Bench,
  server: BenchServer,
  seeded: Seeded,
  customers: Array<{ id: string; token: string }>,
): Promise<StorefrontResult> {
  bench.out(
    `  storefront flow: ${customers.length} customers add to cart, quote, check out, ${bench.seconds} s`,
  );
  const load = loadAverage();
  const r = await bench.runChild<LoadResult>('storefront.ts', {
    url: server.url,
    seconds: bench.seconds,
    customers,
    variantIds: seeded.products.map((p) => p.id),
    shippingMethodId: seeded.shipping.standardMethodId,
  } satisfies StorefrontSpec);
  const ordersPerSecond = Math.round((r.statuses['201'] ?? 0) / r.seconds);
  const result = {
    loadAverage: load,
    ordersPerSecond,
    flows: r.requests,
    latency: { p50: r.p50, p95: r.p95, p99: r.p99, max: r.max, mean: r.mean },
    statuses: r.statuses,
    errors: r.errors,
    multiples: Object.fromEntries(
      REFERENCES.map((ref) => [ref.name, Math.round(ordersPerSecond / ref.ordersPerSecond)]),
    ),
  };
  bench.out(
    `  ${ordersPerSecond} orders/s, whole flow ${lat(result.latency)}; ` +
      REFERENCES.map(
        (ref) =>
          `${result.multiples[ref.name]}× ${ref.name} (${ref.ordersPerSecond}/s, p99 ${ref.p99Ms / 1000} s; wanted ≥ ${ref.wantedMultiple}×)`,
      ).join(', ') +
      ` (load average ${load})`,
  );
  return result;
}

// ---------------------------------------------------------------- memory

/** The resident set of a process and its children (cluster workers), in MB, from /proc. */
function residentMb(root: number): number {
  const pids = [root];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === root) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  let kb = 0;
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return kb / 1024;
}

/** The least-squares slope of y over x. */
export function slope(points: ReadonlyArray<{ x: number; y: number }>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

export interface MemoryResult {
  loadAverage: number;
  orders: number;
  seconds: number;
  samples: Array<{ orders: number; rssMb: number }>;
  startMb: number;
  endMb: number;
  peakMb: number;
  /** least squares over the samples after the first 20 % of the orders */
  slopeMbPer10kOrders: number;
}

/**
 * Places `bench.memoryOrders` orders in back-to-back load runs while sampling the server's RSS
 * and the number of orders in the database every second.
 */
export async function memoryPhase(bench: Bench, server: BenchServer, spec: LoadSpec, url: string) {
  const target = bench.memoryOrders;
  bench.out(`  memory: the server's RSS every second while it places ${target.toLocaleString('en')} orders`);
  const count = () =>
    bench.admin(
      async (c) => Number((await c.query<{ n: string }>('select count(*) as n from orders')).rows[0]?.n),
      url,
    );
  const before = await count();
  const load = loadAverage();
  const samples: Array<{ orders: number; rssMb: number }> = [];
  let running = true;
  const sampling = (async () => {
    while (running) {
      samples.push({
        orders: (await count()) - before,
        rssMb: round(residentMb(server.process.pid ?? 0), 1),
      });
      await sleep(1000);
    }
  })();
  const started = Date.now();
  let placed = 0;
  while (placed < target) {
    // a chunk sized to what is left at the rate so far, so the run ends near the target
    const rate = placed > 0 ? placed / ((Date.now() - started) / 1000) : 200;
    const seconds = Math.max(2, Math.min(30, Math.ceil((target - placed) / rate)));
    const r = await bench.load({ ...spec, seconds, scarce: [], scarceShare: 0 });
    placed += r.statuses['201'] ?? 0;
    if ((r.statuses['201'] ?? 0) === 0)
      throw new Error(`the memory run placed no orders: ${JSON.stringify(r.statuses)}`);
  }
  running = false;
  await sampling;
  const warm = samples.filter((s) => s.orders >= placed * 0.2);
  const result: MemoryResult = {
    loadAverage: load,
    orders: placed,
    seconds: Math.round((Date.now() - started) / 1000),
    samples,
    startMb: samples[0]?.rssMb ?? 0,
    endMb: samples[samples.length - 1]?.rssMb ?? 0,
    peakMb: Math.max(...samples.map((s) => s.rssMb)),
    slopeMbPer10kOrders: round(slope(warm.map((s) => ({ x: s.orders / 10_000, y: s.rssMb })))),
  };
  bench.out(
    `  ${placed} orders in ${result.seconds} s: RSS ${result.startMb} → ${result.endMb} MB (peak ${result.peakMb}), ` +
      `slope after warm-up ${result.slopeMbPer10kOrders} MB per 10k orders (load average ${load})`,
  );
  return result;
}

// ---------------------------------------------------------------- outbox lag

export interface OutboxLagResult {
  loadAverage: number;
  /** confirmed orders placed during the load that had a confirmation e-mail in the end */
  orders: number;
  latency: Latency;
  /** its two parts: confirmed → its event dispatched (the e-mail stored), dispatched → handed over */
  dispatch: Latency;
  sending: Latency;
  /** at the moment the load stopped */
  eventsBehind: number;
  emailsBehind: number;
}

/**
 * The time from an order's confirmation to its confirmation e-mail handed to the provider, for
 * every order the load placed: `orders.updated_at`, stamped by the statement that confirms the
 * order a few statements before its COMMIT, to `notification.sent_at`, stamped by the statement
 * that records the provider's answer (both on this machine's clock). Orders whose e-mail went out
 * only after the load stopped count with their whole wait: that is the lag a shopper sees.
 */
export function outboxLag(bench: Bench, url: string) {
  const now = () =>
    bench.admin(
      async (c) => (await c.query<{ now: Date }>('select clock_timestamp() as now')).rows[0]!.now,
      url,
    );
  let from: Date | null = null;
  let to: Date | null = null;
  let eventsBehind = 0;
  let emailsBehind = 0;
  let load = 0;
  const confirmedIn = `
    from orders o
    join outbox e on e.aggregate_id = o.id::text and e.type = 'OrderConfirmed'
    left join notification n on n.event_id = e.id and n.channel = 'email'
   where o.status = 'confirmed' and o.updated_at between $1 and $2`;
  return {
    async loadStarts() {
      load = loadAverage();
      from = await now();
    },
    async loadStopped() {
      to = await now();
      await bench.admin(async (c) => {
        const events = await c.query<{ n: string }>(
          'select count(*) as n from outbox where dispatched_at is null',
        );
        eventsBehind = Number(events.rows[0]?.n ?? 0);
        const mails = await c.query<{ n: string }>(
          `select count(*) as n ${confirmedIn} and (n.id is null or n.status <> 'sent')`,
          [from, to],
        );
        emailsBehind = Number(mails.rows[0]?.n ?? 0);
      }, url);
    },
    /** once the e-mails have gone out (at most a minute more) */
    async measure(): Promise<OutboxLagResult> {
      const waiting = Date.now();
      const left = async () =>
        bench.admin(
          async (c) =>
            Number(
              (
                await c.query<{ n: string }>(
                  `select count(*) as n ${confirmedIn} and (n.id is null or n.status <> 'sent')`,
                  [from, to],
                )
              ).rows[0]?.n,
            ),
          url,
        );
      while ((await left()) > 0 && Date.now() - waiting < 60_000) await sleep(200);
      const rows = await bench.admin(
        async (c) =>
          (
            await c.query<{ total: number; dispatch: number; sending: number }>(
              `select (extract(epoch from n.sent_at - o.updated_at) * 1000)::float8 as total,
                      (extract(epoch from e.dispatched_at - o.updated_at) * 1000)::float8 as dispatch,
                      (extract(epoch from n.sent_at - e.dispatched_at) * 1000)::float8 as sending
                 ${confirmedIn} and n.status = 'sent'`,
              [from, to],
            )
          ).rows,
        url,
      );
      const result = {
        loadAverage: load,
        orders: rows.length,
        latency: summarize(rows.map((r) => r.total)),
        dispatch: summarize(rows.map((r) => r.dispatch)),
        sending: summarize(rows.map((r) => r.sending)),
        eventsBehind,
        emailsBehind,
      };
      bench.out(
        `  outbox lag, confirmed → e-mail handed over: ${lat(result.latency)} over ${result.orders} orders ` +
          `(dispatch ${lat(result.dispatch)}, sending ${lat(result.sending)}); ` +
          `${eventsBehind} events and ${emailsBehind} e-mails behind when the load stopped`,
      );
      return result;
    },
  };
}

// ---------------------------------------------------------------- workers behind PgBouncer

export interface WorkersResult {
  poolSize: number;
  runs: Array<{
    loadAverage: number;
    workers: number;
    ordersPerSecond: number;
    latency: Latency;
    fiveXx: number;
    statuses: Record<string, number>;
  }>;
}

/**
 * The same order load against WORKERS=1 and then WORKERS=2, each server started anew with
 * DATABASE_URL through PgBouncer in transaction mode and DATABASE_DIRECT_URL for LISTEN.
 */
export async function workersPhase(bench: Bench, spec: LoadSpec, url: string): Promise<WorkersResult> {
  const poolSize = 20;
  const pooler = await startPgBouncer(url, poolSize);
  const runs: WorkersResult['runs'] = [];
  try {
    for (const workers of [1, 2]) {
      bench.out(
        `  ${workers} worker${workers > 1 ? 's' : ''} behind PgBouncer (transaction mode), ${bench.seconds} s`,
      );
      const server = await bench.startServer(pooler.url, {
        WORKERS: String(workers),
        DATABASE_POOLER: 'transaction',
        DATABASE_DIRECT_URL: url,
      });
      try {
        await bench.load({ ...spec, url: server.url, seconds: bench.warmupSeconds });
        await sleep(1000);
        const load = loadAverage();
        const r = await bench.load({ ...spec, url: server.url, seconds: bench.seconds });
        const run = {
          loadAverage: load,
          workers,
          ordersPerSecond: Math.round((r.statuses['201'] ?? 0) / r.seconds),
          latency: { p50: r.p50, p95: r.p95, p99: r.p99, max: r.max, mean: r.mean },
          fiveXx: Object.entries(r.statuses)
            .filter(([code]) => code.startsWith('5'))
            .reduce((s, [, n]) => s + n, 0),
          statuses: r.statuses,
        };
        runs.push(run);
        bench.out(
          `  ${run.ordersPerSecond} orders/s, ${lat(run.latency)}, ${run.fiveXx} × 5xx (load average ${load})`,
        );
      } finally {
        await server.stop();
      }
    }
  } finally {
    await pooler.stop();
  }
  return { poolSize, runs };
}

// ---------------------------------------------------------------- the summary

/** The first line of the summary: the figure to steer by. */
export function leadingRows(results: Record<string, unknown>): Array<[string, string]> {
  const ratio = results['ratioToPhysical'];
  return ratio === undefined
    ? []
    : [['HTTP ÷ physical ceiling (steer by this)', `${ratio} (goal 0.75, first bar 0.3)`]];
}

export function issue16Rows(results: Record<string, unknown>): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  const physical = results['physical'] as PhysicalResult | undefined;
  if (physical) {
    rows.push([
      'physical ceiling orders/s, p50 / p99',
      `${physical.ordersPerSecond}, ${physical.latency.p50} / ${physical.latency.p99} ms (load ${physical.loadAverage})`,
    ]);
  }
  const lag = results['outboxLag'] as OutboxLagResult | undefined;
  if (lag) {
    rows.push(
      [
        'outbox lag p50 / p99 (confirmed → e-mail)',
        `${lag.latency.p50} / ${lag.latency.p99} ms (${lag.orders} orders, load ${lag.loadAverage})`,
      ],
      ['  of which dispatch / sending, p99', `${lag.dispatch.p99} / ${lag.sending.p99} ms`],
      ['behind when the load stopped', `${lag.eventsBehind} events, ${lag.emailsBehind} e-mails`],
    );
  }
  const storefront = results['storefront'] as StorefrontResult | undefined;
  if (storefront) {
    rows.push(
      [
        'storefront flow orders/s, p50 / p99',
        `${storefront.ordersPerSecond}, ${storefront.latency.p50} / ${storefront.latency.p99} ms (load ${storefront.loadAverage})`,
      ],
      ...REFERENCES.map((ref): [string, string] => [
        `  vs ${ref.name} (${ref.ordersPerSecond}/s, p99 ${ref.p99Ms / 1000} s)`,
        `${storefront.multiples[ref.name]}× (wanted ≥ ${ref.wantedMultiple}×)`,
      ]),
    );
  }
  const memory = results['memory'] as MemoryResult | undefined;
  if (memory) {
    rows.push([
      `memory over ${memory.orders} orders`,
      `${memory.startMb} → ${memory.endMb} MB, slope ${memory.slopeMbPer10kOrders} MB / 10k orders after warm-up (load ${memory.loadAverage})`,
    ]);
  }
  const workers = results['workers'] as WorkersResult | undefined;
  for (const run of workers?.runs ?? []) {
    rows.push([
      `${run.workers} worker${run.workers > 1 ? 's' : ''} behind PgBouncer orders/s, p99`,
      `${run.ordersPerSecond}, ${run.latency.p99} ms, ${run.fiveXx} × 5xx (load ${run.loadAverage})`,
    ]);
  }
  return rows;
}
