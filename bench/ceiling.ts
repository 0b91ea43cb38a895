import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { uuidv7 } from '../src/platform/ids.ts';
import { summarize, type LoadResult } from './shared.ts';

/**
 * The ceiling: the statements the server sends to place one order, in the same transactions and
 * the same order, with the same SQL text, sent straight to PostgreSQL by `pg` from as many clients
 * as the HTTP run has customers; no HTTP, no framework, no query builder. What the server adds on
 * top of this is what the HTTP ÷ ceiling ratio measures. The benchmark compares the number of
 * statements per order here with the server's own count, so the two cannot drift apart unnoticed.
 *
 * Reads its spec from the JSON file BENCH_SPEC names; prints one JSON line.
 */
interface CeilingSpec {
  url: string;
  connections: number;
  seconds: number;
  customers: string[];
  products: Array<{ id: string; price: number; name: string }>;
  scarce: Array<{ id: string; price: number; name: string }>;
  scarceShare: number;
  /** named prepared statements, as the server sends them with DATABASE_PREPARED_STATEMENTS */
  prepared: boolean;
}

const spec = JSON.parse(readFileSync(process.env['BENCH_SPEC'] ?? '', 'utf8')) as CeilingSpec;
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
const RESERVATION_TTL_MS = 15 * 60 * 1000;
const ADDRESS = JSON.stringify({ street: '1 Bench St', city: 'Springfield', state: 'IL', zip: '62701' });

const values = (rows: number, columns: number) =>
  Array.from(
    { length: rows },
    (_, r) => `(${Array.from({ length: columns }, (_, c) => `$${r * columns + c + 1}`).join(', ')})`,
  ).join(', ');
const inList = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `$${i + from}`).join(', ');

const SQL = {
  products: (n: number) =>
    `select "id", "sku", "name", "description", "price_minor", "currency", "image_url", "active" from "product" where "id" in (${inList(n)})`,
  insertOrder: `
    with o as (
      insert into orders (id, customer_id, customer_email, status, currency, total_minor, shipping_address)
      values ($1, $2, 'bench@orderly.test', 'pending', $3, $4, $5::jsonb)
      returning id
    ), l as (
      insert into order_line (order_id, product_id, name, unit_price_minor, quantity)
      select (select id from o), p, n, u, q
        from unnest($6::uuid[], $7::text[], $8::int[], $9::int[]) as x(p, n, u, q)
    )
    insert into order_history (order_id, type, status, actor, actor_id, summary, details)
    select id, $10, $11, $12, $13, $14, $15::jsonb
      from o`,
  lockLevels: (n: number) =>
    `select "product_id", "on_hand", "reserved", "low_stock_threshold" from "stock_level" where "product_id" in (${inList(n)}) order by "product_id" for update`,
  reserve: `
    with moved as (
      update stock_level s
         set reserved = s.reserved + r.quantity, updated_at = now()
        from unnest($1::uuid[], $2::int[])
             as r(product_id, quantity)
       where s.product_id = r.product_id and s.on_hand - s.reserved >= r.quantity
      returning s.product_id, r.quantity
    ), held as (
      insert into stock_reservation (order_id, product_id, quantity, status, expires_at)
      select $3, product_id, quantity, 'active', $4 from moved
    )
    select product_id from moved`,
  outbox: (n: number) =>
    `insert into "outbox" ("type", "context", "aggregate_id", "payload") values ${values(n, 4)}`,
  charge: `insert into "sandbox_charge" ("idempotency_key", "payment_id", "order_id", "amount_minor", "currency", "status") values ($1, $2, $3, $4, $5, $6) on conflict ("idempotency_key") do nothing returning "payment_id", "status", "amount_minor", "currency"`,
  lockOrder: `select "id", "customer_id", "status", "currency", "total_minor", "shipping_address", "payment_status", "cancellation_reason", "tracking_number", "carrier", "version", "created_at", "updated_at" from "orders" where "id" = $1 for no key update`,
  upsertPayment: `
    with previous as (select status from payment where idempotency_key = $1)
    insert into payment (order_id, provider, provider_payment_id, idempotency_key, amount_minor, currency, status,
                         failure_code, failure_message)
    values ($2, $3, $4, $5,
            $6, $7, $8, $9,
            $10)
    on conflict (idempotency_key) do update
      set status = case when payment.status = 'succeeded' then payment.status else excluded.status end,
          provider_payment_id = coalesce(excluded.provider_payment_id, payment.provider_payment_id),
          failure_code = excluded.failure_code, failure_message = excluded.failure_message, updated_at = now()
    returning id, (select status from previous) as previous_status`,
  lockForOrder: `
    select s.product_id from stock_level s
     where s.product_id in (select product_id from stock_reservation where order_id = $1 and status = 'active')
     order by s.product_id
       for update`,
  settle: `
    with r as (
      update stock_reservation set status = $1
       where order_id = $2 and status = 'active'
      returning product_id, quantity
    ), totals as (
      select product_id, sum(quantity)::int as quantity from r group by product_id
    )
    update stock_level s
       set on_hand = s.on_hand - r.quantity, reserved = s.reserved - r.quantity, updated_at = now()
      from totals r
     where s.product_id = r.product_id
    returning s.product_id, r.quantity`,
  confirm: `update "orders" set "status" = $1, "payment_status" = $2, "version" = "version" + $3, "updated_at" = $4 where "id" = $5 and "status" in ($6) returning "id", "customer_id", "status", "currency", "total_minor", "shipping_address", "payment_status", "cancellation_reason", "tracking_number", "carrier", "version", "created_at", "updated_at"`,
  history: `insert into "order_history" ("order_id", "type", "status", "actor", "actor_id", "summary", "details") values ${values(2, 7)}`,
  readOrder: `select "id", "customer_id", "status", "currency", "total_minor", "shipping_address", "payment_status", "cancellation_reason", "tracking_number", "carrier", "version", "created_at", "updated_at" from "orders" where "id" = $1`,
  readLines: `select "product_id", "name", "unit_price_minor", "quantity" from "order_line" where "order_id" = $1 order by "name"`,
  readPayments: `select "order_id", "status", "amount_minor", "refunded_minor" from "payment" where "order_id" in ($1)`,
  readRefunds: `select "order_id", sum("amount_minor") as "total" from "refund" where "order_id" in ($1) and "status" = $2 group by "order_id"`,
};

interface Line {
  id: string;
  price: number;
  name: string;
  quantity: number;
}

function chooseLines(): Line[] {
  const count = 1 + Math.floor(Math.random() * 3);
  const chosen = new Map<string, Line>();
  if (spec.scarce.length > 0 && Math.random() < spec.scarceShare) {
    const p = pick(spec.scarce);
    chosen.set(p.id, { ...p, quantity: 1 });
  }
  while (chosen.size < count) {
    const p = pick(spec.products);
    if (!chosen.has(p.id)) chosen.set(p.id, { ...p, quantity: 1 + Math.floor(Math.random() * 3) });
  }
  return [...chosen.values()];
}

const event = (type: string, context: string, aggregateId: string, payload: object) => [
  type,
  context,
  aggregateId,
  JSON.stringify(payload),
];

/** Each simulated customer's client, with the statements it has sent. */
type Client = pg.PoolClient & { statements: number };

const names = new Map<string, string>();
async function q(client: Client, text: string, params: unknown[] = []) {
  client.statements++;
  if (!spec.prepared || params.length === 0) return client.query(text, params);
  let name = names.get(text);
  if (!name) names.set(text, (name = `ceiling_${names.size}`));
  return client.query({ name, text, values: params });
}

/** One order, as `OrderService.place` sends it for a customer paying with tok_visa. */
async function placeOrder(client: Client): Promise<boolean> {
  const customerId = pick(spec.customers);
  const lines = chooseLines();
  await q(
    client,
    SQL.products(lines.length),
    lines.map((l) => l.id),
  );
  const orderId = uuidv7();
  const total = lines.reduce((s, l) => s + l.price * l.quantity, 0);
  const sorted = [...lines].sort((a, b) => (a.id < b.id ? -1 : 1));
  const now = () => new Date().toISOString();

  await q(client, 'begin');
  try {
    await q(client, SQL.insertOrder, [
      orderId,
      customerId,
      'USD',
      total,
      ADDRESS,
      lines.map((l) => l.id),
      lines.map((l) => l.name),
      lines.map((l) => l.price),
      lines.map((l) => l.quantity),
      'status',
      'pending',
      'customer',
      customerId,
      'Order placed',
      '{}',
    ]);
    const locked = await q(
      client,
      SQL.lockLevels(sorted.length),
      sorted.map((l) => l.id),
    );
    const free = new Map(
      locked.rows.map((r: { product_id: string; on_hand: number; reserved: number }) => [
        r.product_id,
        r.on_hand - r.reserved,
      ]),
    );
    if (sorted.some((l) => (free.get(l.id) ?? 0) < l.quantity)) {
      await q(client, 'rollback');
      return false;
    }
    const expires = new Date(Date.now() + RESERVATION_TTL_MS);
    await q(client, SQL.reserve, [sorted.map((l) => l.id), sorted.map((l) => l.quantity), orderId, expires]);
    // the transaction's events, in one INSERT just before COMMIT (as appendEvents does)
    const reservedAt = now();
    await q(client, SQL.outbox(sorted.length + 1), [
      ...sorted.flatMap((l) =>
        event('StockReserved', 'inventory', l.id, {
          productId: l.id,
          quantity: l.quantity,
          orderId,
          timestamp: reservedAt,
        }),
      ),
      ...event('OrderPlaced', 'orders', orderId, {
        orderId,
        customerId,
        items: lines.map((l) => ({
          productId: l.id,
          name: l.name,
          quantity: l.quantity,
          unitPrice: l.price,
        })),
        total,
        currency: 'USD',
        timestamp: now(),
      }),
    ]);
    await q(client, 'commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  }

  const chargeKey = `orderly-${orderId}-placement`;
  const paymentId = `pi_sandbox_${randomBytes(12).toString('hex')}`;
  await q(client, SQL.charge, [chargeKey, paymentId, orderId, total, 'USD', 'succeeded']);

  await q(client, 'begin');
  try {
    await q(client, SQL.lockOrder, [orderId]);
    const payment = await q(client, SQL.upsertPayment, [
      chargeKey,
      orderId,
      'sandbox',
      paymentId,
      chargeKey,
      total,
      'USD',
      'succeeded',
      null,
      null,
    ]);
    const paidAt = now();
    const events = event('PaymentProcessed', 'payment', orderId, {
      paymentId: (payment.rows[0] as { id: string }).id,
      orderId,
      amount: total,
      currency: 'USD',
      timestamp: paidAt,
    });
    await q(client, SQL.lockForOrder, [orderId]);
    const moved = await q(client, SQL.settle, ['committed', orderId]);
    const committedAt = now();
    const sold = moved.rows as Array<{ product_id: string; quantity: number }>;
    for (const r of sold) {
      events.push(
        ...event('StockCommitted', 'inventory', r.product_id, {
          productId: r.product_id,
          quantity: r.quantity,
          orderId,
          timestamp: committedAt,
        }),
      );
    }
    await q(client, SQL.confirm, ['confirmed', 'paid', 1, new Date(), orderId, 'pending']);
    await q(client, SQL.history, [
      orderId,
      'payment',
      null,
      'system',
      null,
      `Payment of $${(total / 100).toFixed(2)} received`,
      '{}',
      orderId,
      'status',
      'confirmed',
      'system',
      null,
      'Order confirmed',
      '{}',
    ]);
    events.push(
      ...event('OrderConfirmed', 'orders', orderId, {
        orderId,
        customerId,
        total,
        currency: 'USD',
        timestamp: now(),
      }),
    );
    await q(client, SQL.outbox(events.length / 4), events);
    await q(client, 'commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  }

  await q(client, SQL.readOrder, [orderId]);
  await q(client, SQL.readLines, [orderId]);
  await q(client, SQL.readPayments, [orderId]);
  await q(client, SQL.readRefunds, [orderId, 'succeeded']);
  return true;
}

/** CPU seconds a PostgreSQL backend has used, when it runs on this machine. */
function backendCpu(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

const pool = new pg.Pool({ connectionString: spec.url, max: spec.connections });
let databaseCpuSeconds = 0;
const latencies: number[] = [];
const statuses: Record<string, number> = {};
let placedStatements = 0;
let placed = 0;
const started = Date.now();
const deadline = started + spec.seconds * 1000;
await Promise.all(
  Array.from({ length: spec.connections }, async () => {
    const client = Object.assign(await pool.connect(), { statements: 0 });
    const backend = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid ?? 0;
    const cpuBefore = backendCpu(backend);
    try {
      while (Date.now() < deadline) {
        const t0 = performance.now();
        const before = client.statements;
        const ok = await placeOrder(client);
        latencies.push(performance.now() - t0);
        statuses[ok ? 'placed' : 'out_of_stock'] = (statuses[ok ? 'placed' : 'out_of_stock'] ?? 0) + 1;
        if (ok) {
          placed++;
          placedStatements += client.statements - before;
        }
      }
    } finally {
      databaseCpuSeconds += backendCpu(backend) - cpuBefore;
      client.release();
    }
  }),
);
const seconds = (Date.now() - started) / 1000;
await pool.end();
const usage = process.cpuUsage();
const result: LoadResult & { statementsPerOrder: number; cpuSeconds: number; databaseCpuSeconds: number } = {
  ...summarize(latencies),
  seconds,
  requests: latencies.length,
  statuses,
  errors: 0,
  timeouts: 0,
  statementsPerOrder: placed ? placedStatements / placed : 0,
  cpuSeconds: (usage.user + usage.system) / 1e6,
  databaseCpuSeconds,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
