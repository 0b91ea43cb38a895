import { readFileSync } from 'node:fs';
import pg from 'pg';
import { summarize, type LoadResult } from './shared.ts';

/**
 * The physical ceiling (issue 16): the least any order system must write for a two-line order,
 * on a schema made for nothing else. One transaction: two conditional stock updates (in variant
 * order, so two orders never wait on each other the wrong way round), the order insert and one
 * insert of its two lines; sent by `pg` as named prepared statements from as many connections as
 * the HTTP phase has customers. No pricing, no idempotency, no outbox, no history: what is left
 * is what PostgreSQL itself needs, so HTTP ÷ this is how much of the machine Orderly uses.
 *
 * Reads its spec from the JSON file BENCH_SPEC names ({ url, connections, seconds }); builds its
 * own tables in that (empty) database and prints one JSON line.
 */
export interface PhysicalSpec {
  url: string;
  connections: number;
  seconds: number;
}

const VARIANTS = 1000;
const STOCK = 1_000_000_000;

const spec = JSON.parse(readFileSync(process.env['BENCH_SPEC'] ?? '', 'utf8')) as PhysicalSpec;

const setup = new pg.Client({ connectionString: spec.url });
await setup.connect();
await setup.query(`
  create table stock_level (
    variant_id integer primary key,
    on_hand integer not null,
    reserved integer not null default 0,
    check (reserved between 0 and on_hand)
  );
  create table orders (
    id bigint generated always as identity primary key,
    customer_id integer not null,
    total_minor integer not null,
    placed_at timestamptz not null default now()
  );
  create table order_line (
    order_id bigint not null references orders (id),
    variant_id integer not null,
    quantity integer not null,
    unit_price_minor integer not null,
    primary key (order_id, variant_id)
  );
  insert into stock_level (variant_id, on_hand) select v, ${STOCK} from generate_series(1, ${VARIANTS}) v;
`);
await setup.query('vacuum analyze stock_level');
await setup.end();

const RESERVE = {
  name: 'physical_reserve',
  text: 'update stock_level set reserved = reserved + $2 where variant_id = $1 and on_hand - reserved >= $2',
};
const ORDER = {
  name: 'physical_order',
  text: 'insert into orders (customer_id, total_minor) values ($1, $2) returning id',
};
const LINES = {
  name: 'physical_lines',
  text: 'insert into order_line (order_id, variant_id, quantity, unit_price_minor) values ($1, $2, $3, $4), ($1, $5, $6, $7)',
};

/** Places one two-line order; false when a line is out of stock (never, at this stock). */
async function placeOrder(client: pg.PoolClient): Promise<boolean> {
  const first = 1 + Math.floor(Math.random() * VARIANTS);
  let second = 1 + Math.floor(Math.random() * (VARIANTS - 1));
  if (second >= first) second++;
  const [a, b] = first < second ? [first, second] : [second, first];
  const qa = 1 + Math.floor(Math.random() * 3);
  const qb = 1 + Math.floor(Math.random() * 3);
  await client.query('begin');
  try {
    for (const [variant, quantity] of [
      [a, qa],
      [b, qb],
    ] as const) {
      const moved = await client.query({ ...RESERVE, values: [variant, quantity] });
      if (moved.rowCount !== 1) {
        await client.query('rollback');
        return false;
      }
    }
    const order = await client.query<{ id: string }>({
      ...ORDER,
      values: [1 + Math.floor(Math.random() * 10_000), qa * 1999 + qb * 2999],
    });
    await client.query({ ...LINES, values: [order.rows[0]?.id, a, qa, 1999, b, qb, 2999] });
    await client.query('commit');
    return true;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  }
}

const pool = new pg.Pool({ connectionString: spec.url, max: spec.connections });
const latencies: number[] = [];
const statuses: Record<string, number> = {};
const started = Date.now();
const deadline = started + spec.seconds * 1000;
await Promise.all(
  Array.from({ length: spec.connections }, async () => {
    const client = await pool.connect();
    try {
      while (Date.now() < deadline) {
        const t0 = performance.now();
        const placed = await placeOrder(client);
        latencies.push(performance.now() - t0);
        const status = placed ? 'placed' : 'out_of_stock';
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    } finally {
      client.release();
    }
  }),
);
const seconds = (Date.now() - started) / 1000;
await pool.end();
const result: LoadResult = {
  ...summarize(latencies),
  seconds,
  requests: latencies.length,
  statuses,
  errors: 0,
  timeouts: 0,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
