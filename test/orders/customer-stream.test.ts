/**
 * The shopper's own live stream (issue 13, "Shopper pages stay true"): a signed-in customer hears
 * the events of their own orders, as they commit, and of nobody else's; without a token, 401.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers.ts';
import { place, type Customer } from './http.ts';

interface OrderMessage {
  orderId: string;
  type: string;
  status: string | null;
}

/** An open SSE connection whose `order` messages can be awaited one by one, in arrival order. */
class Stream {
  readonly received: OrderMessage[] = [];
  readonly #abort = new AbortController();
  #waiters: Array<() => void> = [];

  static async open(base: string, path: string): Promise<Stream> {
    const stream = new Stream();
    const res = await fetch(base + path, { signal: stream.#abort.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    const body = res.body;
    assert.ok(body);
    const ready = new Promise<void>((resolve) => stream.#read(body, resolve));
    await ready;
    return stream;
  }

  async #read(body: ReadableStream<Uint8Array>, ready: () => void) {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event === 'ready') ready();
          if (event === 'order' && data) {
            this.received.push(JSON.parse(data) as OrderMessage);
            for (const wake of this.#waiters.splice(0)) wake();
          }
        }
      }
    } catch (error) {
      if (!this.#abort.signal.aborted) throw error;
    }
  }

  /** Resolves once a message matching `predicate` has arrived (no clock: the test runner's timeout bounds it). */
  async until(predicate: (m: OrderMessage) => boolean): Promise<void> {
    while (!this.received.some(predicate)) await new Promise<void>((wake) => this.#waiters.push(wake));
  }

  close() {
    this.#abort.abort();
  }
}

describe("a customer's own order stream", () => {
  let t: TestApp;
  let base: string;
  before(async () => {
    // the outbox runs: live messages come from committed events as it hears them
    t = await createTestApp({}, { background: true });
    await t.app.server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.server.address() as AddressInfo).port}`;
  });
  after(() => t.close());

  test('without a token, or with a bad one, the stream answers 401 and opens nothing', async () => {
    for (const path of ['/api/v1/events/my-orders', '/api/v1/events/my-orders?token=not-a-token']) {
      const res = await fetch(base + path);
      assert.equal(res.status, 401, path);
      const body = (await res.json()) as { code: string };
      assert.equal(typeof body.code, 'string');
    }
  });

  test("each customer hears their own orders' events, shipping included, and never another's", async () => {
    const product = await t.product({ price: 4, stock: 20 });
    const alice: Customer = await t.customer('Alice Live');
    const bob: Customer = await t.customer('Bob Live');
    const aliceStream = await Stream.open(base, `/api/v1/events/my-orders?token=${alice.token}`);
    const bobStream = await Stream.open(base, `/api/v1/events/my-orders?token=${bob.token}`);
    const admin = await t.adminToken();
    const ship = async (orderId: string) => {
      const res = await t.request('POST', `/api/v1/admin/orders/${orderId}/ship`, {
        token: admin,
        body: { trackingNumber: '1Z999AA10123456784', carrier: 'UPS' },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    };
    try {
      const aliceOrder = await place(t, alice, [[product, 1]]);
      await ship(aliceOrder.id);
      await aliceStream.until((m) => m.orderId === aliceOrder.id && m.type === 'OrderShipped');
      assert.deepEqual(
        aliceStream.received.find((m) => m.type === 'OrderShipped'),
        { orderId: aliceOrder.id, type: 'OrderShipped', status: 'shipped' },
      );

      // Bob's order comes after every one of Alice's events was sent: had any gone to Bob's
      // stream, it would have arrived before his own.
      const bobOrder = await place(t, bob, [[product, 2]]);
      await ship(bobOrder.id);
      await bobStream.until((m) => m.orderId === bobOrder.id && m.type === 'OrderShipped');
      assert.deepEqual(new Set(bobStream.received.map((m) => m.orderId)), new Set([bobOrder.id]));
      assert.ok(bobStream.received.some((m) => m.type === 'OrderPlaced'));
    } finally {
      aliceStream.close();
      bobStream.close();
    }
  });
});
