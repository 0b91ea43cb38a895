import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { connect, type JsMsg, type NatsConnection } from 'nats';
import { createTestApp, orderBody, type TestApp } from './helpers.ts';

/**
 * The outbox relay against the NATS server on this machine (127.0.0.1:4222, JetStream): every
 * event of an order's life arrives once, in order, also when the broker restarts mid-run. Each
 * run publishes to its own stream and subjects and deletes the stream afterwards.
 */
const NATS_URL = 'nats://127.0.0.1:4222';
const NATS_SERVER = '/usr/sbin/nats-server';
const NATS_ARGS = [
  '-a',
  '127.0.0.1',
  '-p',
  '4222',
  '-js',
  '-sd',
  '/var/lib/nats-server',
  '-l',
  '/var/log/nats-server.log',
];

function portOpen(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port: 4222 });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** The local broker's process id, found by its command line, to restart exactly that process. */
function brokerPid(): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args[0]?.endsWith('nats-server') && args.includes('4222')) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

const reachable = await portOpen();
const SKIP = !reachable && 'needs the NATS server with JetStream at 127.0.0.1:4222, which is not reachable';
const RESTART_SKIP =
  SKIP ||
  ((brokerPid() === null || process.getuid?.() !== 0) &&
    'restarting the broker needs its local process and the rights to start it again');

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopBroker(): Promise<void> {
  const pid = brokerPid();
  if (pid === null) throw new Error('no local nats-server on port 4222');
  process.kill(pid, 'SIGTERM');
  await until('the broker has stopped', async () => brokerPid() === null && !(await portOpen()), 15_000);
}

async function startBroker(): Promise<void> {
  if (brokerPid() === null) {
    execFileSync('start-stop-daemon', [
      '--start',
      '--oknodo',
      '--background',
      '--exec',
      NATS_SERVER,
      '--',
      ...NATS_ARGS,
    ]);
  }
  await until('the broker accepts connections', portOpen, 15_000);
}

interface Received {
  subject: string;
  msgId: string | undefined;
  event: {
    id: string;
    sequence: number;
    type: string;
    context: string;
    aggregateId: string;
    payload: Record<string, unknown>;
  };
}

/** Everything in the stream, in stream order, through an ordered consumer; a second more for duplicates. */
async function readStream(nc: NatsConnection, stream: string, expected: number): Promise<Received[]> {
  const consumer = await nc.jetstream().consumers.get(stream);
  const received: Received[] = [];
  const messages = await consumer.consume();
  let timer = setTimeout(() => messages.stop(), 15_000);
  for await (const m of messages as AsyncIterable<JsMsg>) {
    received.push({ subject: m.subject, msgId: m.headers?.get('Nats-Msg-Id'), event: m.json() });
    if (received.length === expected) {
      clearTimeout(timer);
      timer = setTimeout(() => messages.stop(), 1000);
    }
  }
  clearTimeout(timer);
  return received;
}

describe('domain events on NATS JetStream', { skip: SKIP }, () => {
  const suffix = randomBytes(4).toString('hex');
  const stream = `ORDERLY_TEST_${suffix.toUpperCase()}`;
  const prefix = `orderlytest_${suffix}`;
  let t: TestApp;
  let nc: NatsConnection;

  before(async () => {
    t = await createTestApp(
      { NATS_URL, NATS_STREAM: stream, NATS_SUBJECT_PREFIX: prefix, OUTBOX_POLL_MS: '50' },
      { background: true },
    );
  });

  after(async () => {
    await t?.close();
    await startBroker();
    const cleanup = await connect({ servers: NATS_URL });
    await (await cleanup.jetstreamManager()).streams.delete(stream).catch(() => false);
    await cleanup.close();
    await nc?.close();
  });

  async function unpublished(): Promise<number> {
    const row = await t.app.database.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('published_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** An order's life: placed and paid, then shipped and delivered, or cancelled, or declined. */
  async function orderLife(kind: number, product: { id: string }): Promise<string> {
    const customer = await t.customer();
    const admin = await t.adminToken();
    const card = kind % 4 === 3 ? 'tok_chargeDeclined' : 'tok_visa';
    const placed = await t.request<{ id: string }>('POST', '/api/v1/orders', {
      token: customer.token,
      body: orderBody(customer.id, [{ productId: product.id, quantity: 1 + (kind % 2), price: 12 }], card),
    });
    assert.equal(placed.status, card === 'tok_visa' ? 201 : 402, JSON.stringify(placed.body));
    const id =
      placed.status === 201
        ? placed.body.id
        : (placed.body as unknown as { details: { orderId: string } }).details.orderId;
    if (kind % 4 === 1) {
      const shipped = await t.request('POST', `/api/v1/admin/orders/${id}/ship`, {
        token: admin,
        body: { trackingNumber: `TRK-${suffix}-${kind}`, carrier: 'UPS' },
      });
      assert.equal(shipped.status, 200, JSON.stringify(shipped.body));
      const delivered = await t.request('POST', `/api/v1/admin/orders/${id}/deliver`, { token: admin });
      assert.equal(delivered.status, 200, JSON.stringify(delivered.body));
    } else if (kind % 4 === 2) {
      const cancelled = await t.request('POST', `/api/v1/orders/${id}/cancel`, {
        token: customer.token,
        body: { reason: 'changed my mind' },
      });
      assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    }
    return id;
  }

  async function checkStream(orderIds: string[]): Promise<void> {
    await until('every event is published', async () => (await unpublished()) === 0);
    // the sender's EmailSent events come a moment later; wait until the outbox is still
    let count = -1;
    await until('the outbox is quiet', async () => {
      const rows = await t.app.database.db.selectFrom('outbox').select('id').execute();
      const settled = rows.length === count && (await unpublished()) === 0;
      count = rows.length;
      if (!settled) await new Promise((r) => setTimeout(r, 400));
      return settled;
    });
    const outbox = await t.app.database.db
      .selectFrom('outbox')
      .select(['id', 'sequence', 'type', 'context', 'aggregate_id', 'payload'])
      .orderBy('sequence')
      .execute();
    nc ??= await connect({ servers: NATS_URL });
    const received = await readStream(nc, stream, outbox.length);

    // once: every event exactly once, nothing else
    const ids = received.map((r) => r.event.id);
    assert.equal(new Set(ids).size, ids.length, 'no event arrived twice');
    assert.deepEqual([...ids].sort(), outbox.map((e) => e.id).sort(), 'every outbox event arrived');
    // subjects, de-duplication ids and payloads as documented
    const byId = new Map(outbox.map((e) => [e.id, e]));
    for (const r of received) {
      const row = byId.get(r.event.id)!;
      assert.equal(r.subject, `${prefix}.${row.context}.${row.type}`);
      assert.equal(r.msgId, row.id);
      assert.deepEqual(r.event.payload, row.payload);
      assert.equal(r.event.aggregateId, row.aggregate_id);
    }
    // in order per order: the order's own events and the stock events it caused
    for (const orderId of orderIds) {
      const concerns = (e: { aggregate_id?: string; aggregateId?: string; payload: unknown }) =>
        (e.aggregate_id ?? e.aggregateId) === orderId ||
        (e.payload as Record<string, unknown>)['orderId'] === orderId;
      const expected = outbox.filter(concerns).map((e) => e.type);
      const arrived = received.map((r) => r.event).filter(concerns);
      assert.deepEqual(
        arrived.map((e) => e.type),
        expected,
        `order ${orderId}: events in the order they happened`,
      );
      assert.ok(expected.includes('OrderPlaced') || expected.includes('OrderCancelled'));
    }
  }

  test('every event of an order life is published once, in order, with its id as Nats-Msg-Id', async () => {
    const product = await t.product({ price: 12, stock: 500 });
    const orderIds: string[] = [];
    for (let i = 0; i < 8; i++) orderIds.push(await orderLife(i, product));
    await checkStream(orderIds);
    // the broker drops a second copy of an event it has (what makes a re-publish after a crash harmless)
    const js = nc.jetstream();
    const [first] = await t.app.database.db
      .selectFrom('outbox')
      .select(['id', 'type', 'context'])
      .limit(1)
      .execute();
    const ack = await js.publish(`${prefix}.${first!.context}.${first!.type}`, '{}', { msgID: first!.id });
    assert.equal(ack.duplicate, true);
  });

  test(
    'events committed while the broker is down arrive once, in order, after it restarts',
    { skip: RESTART_SKIP },
    async () => {
      const product = await t.product({ price: 12, stock: 500 });
      const orderIds: string[] = [];
      // orders keep coming while the broker stops and starts under them
      let placing = true;
      const shopping = (async () => {
        for (let i = 0; placing || i < 6; i++) orderIds.push(await orderLife(i, product));
      })();
      await until('some orders have been placed', async () => orderIds.length >= 2);
      await stopBroker();
      const whileDown = orderIds.length;
      await until('orders are placed while the broker is down', async () => orderIds.length >= whileDown + 3);
      assert.ok((await unpublished()) > 0, 'events wait in the outbox while the broker is away');
      await startBroker();
      placing = false;
      await shopping;
      await checkStream(orderIds);
    },
  );
});
