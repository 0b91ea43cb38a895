/**
 * SIGTERM under load: the server stops accepting connections, finishes the requests it has,
 * dispatches what is left in the outbox, and exits 0. No client sees a reset connection or a 5xx:
 * every request gets an answer, or its connection is refused once the server no longer listens.
 */
import assert from 'node:assert/strict';
import { Agent, request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  NEEDS_POSTGRES,
  assertInvariants,
  baseEnv,
  call,
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

describe('SIGTERM during load', { skip: NEEDS_POSTGRES }, () => {
  let db: FaultDatabase;
  let server: Server | undefined;

  before(async () => {
    db = await faultDatabase();
  });
  after(async () => {
    await stopServer(server);
    await db.close();
  });

  test('in-flight requests finish, the outbox is flushed, exit code 0, no reset connection', async (ctx) => {
    server = await startServer({ ...baseEnv(db.url), OUTBOX_POLL_MS: '50' });
    const base = server.url;
    const shop = await openShop(base, { customers: 8, products: [{ price: 5, stock: 100_000 }] });
    const product = shop.products[0] as (typeof shop.products)[number];

    // A live-updates client stays connected throughout: shutdown must not wait for it forever.
    const sse = httpRequest(new URL('/api/v1/events/stream', base), { agent: false });
    let sseEnded = false;
    sse.on('response', (res) => {
      res.resume();
      res.on('end', () => (sseEnded = true));
      res.on('error', () => {});
    });
    sse.on('error', () => {});
    sse.end();

    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const outcomes: Outcome[] = [];
    let refused = false;
    let signalled = false;
    const afterSignal: Outcome[] = [];
    const loops = shop.customers.map(async (customer, i) => {
      while (!refused) {
        const write = i % 2 === 0;
        const outcome = await outcomeOf(
          write
            ? call(base, 'POST', '/api/v1/orders', {
                token: customer.token,
                body: orderRequest(customer, product),
                agent,
              })
            : call(base, 'GET', '/api/v1/products', { agent }),
        );
        outcomes.push(outcome);
        if (signalled) afterSignal.push(outcome);
        if ('error' in outcome && outcome.error === 'ECONNREFUSED') refused = true;
      }
    });
    await sleep(1_500);
    const before = outcomes.length;
    assert.ok(before > 20, `load is running (${before} requests so far)`);
    signalled = true;
    server.kill('SIGTERM');
    const exit = await Promise.race([
      server.exited,
      sleep(20_000).then(() => ({ code: null, signal: 'TIMEOUT' as NodeJS.Signals })),
    ]);
    refused = true;
    await Promise.all(loops);
    agent.destroy();

    ctx.diagnostic(`outcomes: ${JSON.stringify(tally(outcomes))}`);
    assert.deepEqual(
      exit,
      { code: 0, signal: null },
      `exit: ${server.stderr().slice(-1000)} ${JSON.stringify(tally(outcomes))}`,
    );
    const errors = outcomes.filter((o) => 'error' in o && o.error !== 'ECONNREFUSED');
    assert.deepEqual(errors, [], `clients saw broken connections: ${JSON.stringify(tally(outcomes))}`);
    const failures = outcomes.filter((o) => 'status' in o && o.status >= 500);
    assert.deepEqual(failures, [], `5xx answers: ${JSON.stringify(tally(outcomes))}`);
    assert.ok(afterSignal.length > 0, 'clients were still sending when the signal came');
    assert.ok(sseEnded, 'the live-updates stream was ended by the server, not cut');

    // everything committed was dispatched before exit
    const undispatched = await rows<{ n: number }>(
      db,
      'select count(*)::int as n from outbox where dispatched_at is null',
    );
    assert.equal(undispatched[0]?.n, 0, 'events left in the outbox');
    const created = outcomes.filter((o) => 'status' in o && o.status === 201).length;
    const confirmed = await rows<{ n: number }>(
      db,
      "select count(*)::int as n from orders where status = 'confirmed'",
    );
    assert.equal(confirmed[0]?.n, created, 'every order a client was told about is confirmed, and no other');
    await assertInvariants(db);
    const messages = server.logs.map((l) => l.msg);
    assert.ok(
      messages.some((m) => /shutting down/.test(m)),
      'the shutdown was logged',
    );
  });
});
