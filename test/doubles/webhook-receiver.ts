import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A webhook receiver on a real port: records every request (headers and raw body, as a receiver
 * verifying signatures must see it) and answers with what the test queued, 200 by default.
 * `hang` holds the request open without answering, as a receiver that times out; `after` answers
 * once the promise settles, so a test can act while an attempt is in flight.
 */
export type Reply = { status: number; body?: string; after?: Promise<unknown> } | 'hang';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface WebhookReceiver {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** answers for the next requests, in order; after them, `200 ok` */
  reply(...replies: Reply[]): void;
  /** resolves once `count` requests have arrived */
  received(count: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const queue: Reply[] = [];
  const waiting: Array<{ count: number; resolve: () => void }> = [];
  const held = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      for (const w of waiting.filter((w) => requests.length >= w.count)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
      const reply = queue.shift() ?? { status: 200, body: 'ok' };
      if (reply === 'hang') {
        held.add(res);
        return;
      }
      const answer = () =>
        res.writeHead(reply.status, { 'content-type': 'text/plain' }).end(reply.body ?? '');
      if (reply.after) {
        held.add(res);
        const release = () => {
          held.delete(res);
          if (!res.destroyed) answer();
        };
        void reply.after.then(release, release);
        return;
      }
      answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    reply: (...replies) => queue.push(...replies),
    received: (count) =>
      requests.length >= count
        ? Promise.resolve(requests)
        : new Promise((resolve) => waiting.push({ count, resolve: () => resolve(requests) })),
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
