import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { AuthUser } from './auth/model.ts';
import { AppError, ErrorBody, unauthorized } from './errors.ts';
import type { OutboxDispatcher } from './outbox.ts';
import type { DomainEvent } from './outbox-event.ts';

const STATUS_OF: Record<string, string> = {
  OrderPlaced: 'pending',
  OrderConfirmed: 'confirmed',
  OrderShipped: 'shipped',
  OrderDelivered: 'delivered',
  OrderCancelled: 'cancelled',
};

/**
 * One message on the stream: its SSE event name, its data, and who may see it: everyone on the
 * public stream, admins on it, or one customer on their own stream (`{ customerId }`).
 */
export interface LiveMessage {
  event: string;
  data: unknown;
  audience: 'everyone' | 'admins' | { customerId: string };
}

/**
 * What a feed is given: where to publish, and whether anyone listens (so it can skip the work);
 * `watchedByCustomers` says whether a customer's own stream is open.
 */
export interface LiveStream {
  publish(message: LiveMessage): void;
  watched(): boolean;
  watchedByCustomers(): boolean;
}

/**
 * A source of live messages (the inventory context's stock levels, the order feed below): it
 * starts publishing when the stream starts and returns how to stop it. The stream knows no context.
 */
export type LiveFeed = (stream: LiveStream) => () => void;

/** Who placed each order (payment events do not say), asked only while a customer listens. */
export type OrderOwners = (orderIds: readonly string[]) => Promise<Map<string, string>>;

/**
 * Order events from each committed batch: all of them for admins, and each one to the customer
 * whose order it is.
 */
export function orderFeed(outbox: OutboxDispatcher, owners: OrderOwners, log: Logger): LiveFeed {
  return (stream) =>
    outbox.onEvents((events: DomainEvent[]) => {
      if (!stream.watched()) return;
      const messages = events
        .filter((e) => e.context === 'orders' || e.type === 'PaymentProcessed' || e.type === 'RefundIssued')
        .map((e) => ({ orderId: e.aggregateId, type: e.type, status: STATUS_OF[e.type] ?? null }));
      for (const data of messages) stream.publish({ event: 'order', data, audience: 'admins' });
      if (messages.length === 0 || !stream.watchedByCustomers()) return;
      owners([...new Set(messages.map((m) => m.orderId))])
        .then((owner) => {
          for (const data of messages) {
            const customerId = owner.get(data.orderId);
            if (customerId) stream.publish({ event: 'order', data, audience: { customerId } });
          }
        })
        .catch((error: unknown) => log.warn({ err: error }, 'live: order owners unavailable'));
    });
}

/** A stream's 200 in the API document: text that stays open. */
const EventStream = z.string().meta({
  description: 'Server-Sent Events; the stream stays open',
  'x-media-type': 'text/event-stream',
});

interface Client {
  reply: FastifyReply;
  admin: boolean;
  /** set on a customer's own stream, which carries only that customer's order events */
  customerId: string | null;
}

function receives(client: Client, audience: LiveMessage['audience']): boolean {
  if (typeof audience === 'object') return client.customerId === audience.customerId;
  if (client.customerId !== null) return false;
  return audience === 'everyone' || client.admin;
}

/**
 * Live updates over Server-Sent Events, fed by the outbox: every instance hears every committed
 * event (PostgreSQL NOTIFY), so a browser connected to any instance sees changes made on any other.
 * Everyone gets stock levels; admins (token in the query, as EventSource cannot send headers)
 * also get order events.
 */
export function liveRoutes(
  authenticate: (token: string) => Promise<AuthUser | null>,
  feeds: readonly LiveFeed[],
  /** streams one client address may hold open at once; admins' are not counted */
  perAddress: number,
): FastifyPluginAsyncZod {
  return async (app) => {
    const clients = new Set<Client>();
    // Open streams cost a socket and a write per event each: without a limit, one address could
    // open thousands anonymously. Counted per instance, like the other rate limits.
    const openByAddress = new Map<string, number>();
    const send = (client: Client, event: string, data: unknown) => {
      client.reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const publish = (message: LiveMessage) => {
      for (const client of clients) {
        if (receives(client, message.audience)) send(client, message.event, message.data);
      }
    };
    let customerClients = 0;
    const stops = feeds.map((feed) =>
      feed({ publish, watched: () => clients.size > 0, watchedByCustomers: () => customerClients > 0 }),
    );

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

    const open = (request: FastifyRequest, reply: FastifyReply, client: Omit<Client, 'reply'>) => {
      const address = request.ip;
      const counted = !client.admin;
      const already = openByAddress.get(address) ?? 0;
      if (counted && already >= perAddress) {
        throw new AppError(
          429,
          'too_many_streams',
          `At most ${perAddress} live-update streams per address. Close one and try again.`,
          { limit: perAddress },
          { 'retry-after': '5' },
        );
      }
      if (counted) openByAddress.set(address, already + 1);
      reply.hijack();
      reply.raw.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      reply.raw.write('retry: 2000\n\n');
      const opened: Client = { ...client, reply };
      clients.add(opened);
      if (opened.customerId !== null) customerClients += 1;
      send(opened, 'ready', { admin: opened.admin });
      request.raw.on('close', () => {
        if (clients.delete(opened) && opened.customerId !== null) customerClients -= 1;
        if (!counted) return;
        const left = (openByAddress.get(address) ?? 1) - 1;
        if (left > 0) openByAddress.set(address, left);
        else openByAddress.delete(address);
      });
    };

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
          response: {
            200: EventStream,
            429: ErrorBody,
          },
        },
      },
      async (request, reply) => {
        const user = request.query.token ? await authenticate(request.query.token) : null;
        open(request, reply, { admin: user?.role === 'admin', customerId: null });
      },
    );

    app.get(
      '/events/my-orders',
      {
        config: { auth: 'public' },
        schema: {
          operationId: 'streamMyOrderEvents',
          tags: ['Live'],
          summary:
            "Server-Sent Events of the signed-in customer's own orders (`order`: id, event type, status)",
          description:
            'The token goes in the query (an EventSource cannot send headers) or in the Authorization header. ' +
            "Without a valid one: 401. Only events of orders the token's account placed are sent.",
          security: [],
          querystring: z.object({ token: z.string().max(2000).optional() }),
          response: {
            200: EventStream,
            401: ErrorBody,
            429: ErrorBody,
          },
        },
      },
      async (request, reply) => {
        const user = request.user ?? (request.query.token ? await authenticate(request.query.token) : null);
        if (!user) throw unauthorized();
        open(request, reply, { admin: false, customerId: user.id });
      },
    );
  };
}
