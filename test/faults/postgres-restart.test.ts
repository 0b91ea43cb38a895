/**
 * PostgreSQL restarts under load. Requests caught by it fail with 503 and Retry-After (or
 * succeed), never a 500 and never a dropped connection; the server reconnects by itself, live
 * updates come back, and afterwards no order is half-written: every order has lines and a total
 * equal to their sum, stock agrees with the reservations, and every order left pending by the
 * outage is settled by the recovery job, paid ones confirmed and the rest cancelled.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import {
  NEEDS_POSTGRES,
  assertInvariants,
  baseEnv,
  call,
  eventually,
  faultDatabase,
  openShop,
  orderRequest,
  outcomeOf,
  rows,
  startServer,
  stopServer,
  tally,
  type FaultDatabase,
  type Outcome,
  type Server,
} from './support.ts';

const run = promisify(execFile);

async function restartPostgres(): Promise<void> {
  const version = readdirSync('/etc/postgresql')[0] ?? '15';
  await run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart']);
}

describe('PostgreSQL restarts under load', { skip: NEEDS_POSTGRES }, () => {
  let db: FaultDatabase;
  let server: Server | undefined;

  before(async () => {
    db = await faultDatabase();
  });
  after(async () => {
    await stopServer(server);
    await db.close();
  });

  test('503 + Retry-After while it is down, never a 500; reconnects; nothing half-written', async (ctx) => {
    server = await startServer({
      ...baseEnv(db.url),
      PAYMENT_RECOVERY_AFTER: '1',
      SWEEP_INTERVAL_MS: '300',
      OUTBOX_POLL_MS: '100',
    });
    const base = server.url;
    const shop = await openShop(base, { customers: 8, products: [{ price: 7, stock: 100_000 }] });
    const product = shop.products[0] as (typeof shop.products)[number];

    // a live-updates client, to see that they come back after the outage
    const stockEvents: string[] = [];
    const sse = httpRequest(new URL('/api/v1/events/stream', base), { agent: false });
    sse.on('response', (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (chunk.includes('event: stock')) stockEvents.push(chunk);
      });
      res.on('error', () => {});
    });
    sse.on('error', () => {});
    sse.end();

    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const outcomes: Outcome[] = [];
    let stop = false;
    const loops = shop.customers.map(async (customer, i) => {
      while (!stop) {
        outcomes.push(
          await outcomeOf(
            i % 2 === 0
              ? call(base, 'POST', '/api/v1/orders', {
                  token: customer.token,
                  body: orderRequest(customer, product),
                  agent,
                })
              : call(base, 'GET', `/api/v1/orders?limit=5`, { token: customer.token, agent }),
          ),
        );
        if (outcomes.length % 50 === 0) await sleep(1);
      }
    });
    await sleep(1_000);
    const beforeRestart = outcomes.length;
    await restartPostgres();
    // keep the load on while it comes back and the pool reconnects
    await eventually(
      'requests to succeed again',
      async () => {
        const recent = outcomes.slice(-8);
        return recent.length === 8 && recent.every((o) => 'status' in o && o.status < 300) ? true : undefined;
      },
      30_000,
    ).catch((error: Error) => {
      stop = true;
      throw new Error(
        `${error.message}: exit ${server?.child.exitCode} ${server?.stderr().slice(-3000)} ${JSON.stringify(server?.logs.filter((l) => l.level >= 50).slice(-5))} ${JSON.stringify(tally(outcomes.slice(beforeRestart)))} last ${JSON.stringify(outcomes.slice(-8))}`,
      );
    });
    await sleep(1_000);
    stop = true;
    await Promise.all(loops);
    agent.destroy();

    ctx.diagnostic(`outcomes: ${JSON.stringify(tally(outcomes))}`);
    const during = outcomes.slice(beforeRestart);
    const counts = tally(outcomes);
    assert.ok(server.child.exitCode === null, 'the server is still running');
    assert.deepEqual(
      outcomes.filter((o) => 'error' in o),
      [],
      `no dropped connections: ${JSON.stringify(counts)}`,
    );
    const unavailable = during.filter((o) => 'status' in o && o.status === 503);
    assert.ok(unavailable.length > 0, `the outage was seen by clients: ${JSON.stringify(counts)}`);
    for (const o of unavailable) {
      assert.ok('status' in o && o.retryAfter && Number(o.retryAfter) >= 1, 'a 503 says when to retry');
      assert.ok('status' in o && o.code === 'service_unavailable', `503 code ${'status' in o ? o.code : ''}`);
    }
    const other = outcomes.filter((o) => 'status' in o && ![200, 201, 503].includes(o.status));
    assert.deepEqual(other, [], `only 200, 201 and 503: ${JSON.stringify(counts)}`);

    // reconnected by itself: readiness, a new order, and live updates
    assert.equal((await call(base, 'GET', '/readyz')).status, 200);
    const customer = shop.customers[0] as (typeof shop.customers)[number];
    const eventsBefore = stockEvents.length;
    const res = await call(base, 'POST', '/api/v1/orders', {
      token: customer.token,
      body: orderRequest(customer, product),
    });
    assert.equal(res.status, 201);
    await eventually(
      'a live stock update after the restart',
      async () => (stockEvents.length > eventsBefore ? true : undefined),
      10_000,
    );
    sse.destroy();

    // the recovery job settles what the outage left pending
    await eventually(
      'no order left pending',
      async () => {
        const [row] = await rows<{ n: number }>(
          db,
          "select count(*)::int as n from orders where status = 'pending'",
        );
        return row?.n === 0 ? true : undefined;
      },
      30_000,
    );
    await assertInvariants(db);
    // every order a client was told about exists and is confirmed; every charge has its order
    const created = outcomes.filter((o) => 'status' in o && o.status === 201).length;
    const [confirmed] = await rows<{ n: number }>(
      db,
      "select count(*)::int as n from orders where status = 'confirmed'",
    );
    assert.ok((confirmed?.n ?? 0) >= created, `confirmed ${confirmed?.n} < told ${created}`);
    const orphanCharges = await rows(
      db,
      `select c.order_id, o.status from sandbox_charge c left join orders o on o.id = c.order_id
        where c.status = 'succeeded' and (o.id is null or (o.status <> 'confirmed' and c.refunded_minor < c.amount_minor))`,
    );
    assert.deepEqual(orphanCharges, [], 'charges without a confirmed order (or a refund)');
  });
});
