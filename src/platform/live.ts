import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TokenService } from './auth/tokens.ts';
import type { OutboxDispatcher } from './outbox.ts';
import type { DomainEvent } from './outbox-event.ts';

const STATUS_OF: Record<string, string> = {
  OrderPlaced: 'pending',
  OrderConfirmed: 'confirmed',
  OrderShipped: 'shipped',
  OrderDelivered: 'delivered',
  OrderCancelled: 'cancelled',
};

/** One message on the stream: its SSE event name, its data, and who may see it. */
export interface LiveMessage {
  event: string;
  data: unknown;
  audience: 'everyone' | 'admins';
}

/** What a feed is given: where to publish, and whether anyone listens (so it can skip the work). */
export interface LiveStream {
  publish(message: LiveMessage): void;
  watched(): boolean;
}

/**
 * A source of live messages (the inventory context's stock levels, the order feed below): it
 * starts publishing when the stream starts and returns how to stop it. The stream knows no context.
 */
export type LiveFeed = (stream: LiveStream) => () => void;

/** Order events for admins, straight from each committed batch. */
export function orderFeed(outbox: OutboxDispatcher): LiveFeed {
  return (stream) =>
    outbox.onEvents((events: DomainEvent[]) => {
      if (!stream.watched()) return;
      for (const e of events) {
        if (e.context !== 'orders' && e.type !== 'PaymentProcessed' && e.type !== 'RefundIssued') continue;
        stream.publish({
          event: 'order',
          data: { orderId: e.aggregateId, type: e.type, status: STATUS_OF[e.type] ?? null },
          audience: 'admins',
        });
      }
    });
}

interface Client {
  reply: FastifyReply;
  admin: boolean;
}

/**
 * Live updates over Server-Sent Events, fed by the outbox: every instance hears every committed
 * event (PostgreSQL NOTIFY), so a browser connected to any instance sees changes made on any other.
 * Everyone gets stock levels; admins (token in the query, as EventSource cannot send headers)
 * also get order events.
 */
export function liveRoutes(tokens: TokenService, feeds: readonly LiveFeed[]): FastifyPluginAsyncZod {
  return async (app) => {
    const clients = new Set<Client>();
    const send = (client: Client, event: string, data: unknown) => {
      client.reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const publish = (message: LiveMessage) => {
      for (const client of clients) {
        if (message.audience === 'everyone' || client.admin) send(client, message.event, message.data);
      }
    };
    const stops = feeds.map((feed) => feed({ publish, watched: () => clients.size > 0 }));

    const heartbeat = setInterval(() => {
      for (const client of clients) client.reply.raw.write(': keep-alive\n\n');
    }, 15_000);
    heartbeat.unref();

    // Before the server stops listening, not after: an open stream would keep `close()` (and a
    // graceful shutdown on SIGTERM) waiting for ever. Browsers reconnect to another instance.
    app.addHook('preClose', async () => {
      for (const stop of stops) stop();
      clearInterval(heartbeat);
      for (const client of clients) client.reply.raw.end();
      clients.clear();
    });

    app.get(
      '/events/stream',
      {
        config: { auth: 'public' },
        schema: {
          operationId: 'streamEvents',
          tags: ['Live'],
          summary: 'Server-Sent Events: `stock` for everyone, `order` too with an admin token',
          security: [],
          querystring: z.object({ token: z.string().max(2000).optional() }),
        },
      },
      async (request, reply) => {
        const user = request.query.token ? await tokens.verify(request.query.token) : null;
        reply.hijack();
        reply.raw.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        reply.raw.write('retry: 2000\n\n');
        const client: Client = { reply, admin: user?.role === 'admin' };
        clients.add(client);
        send(client, 'ready', { admin: client.admin });
        request.raw.on('close', () => clients.delete(client));
      },
    );
  };
}
