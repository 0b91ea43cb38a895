import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { StockLevel } from '../inventory/model.ts';
import type { AuthUser } from './auth/model.ts';
import { AppError, ErrorBody } from './errors.ts';
import type { OutboxDispatcher } from './outbox.ts';
import type { DomainEvent } from './outbox-event.ts';

const STOCK_EVENTS = new Set([
  'StockReserved',
  'StockReleased',
  'StockReplenished',
  'StockAdjusted',
  'StockCommitted',
]);
// stock changes are read and sent in batches this far apart
const STOCK_BATCH_MS = 5;
const STATUS_OF: Record<string, string> = {
  OrderPlaced: 'pending',
  OrderConfirmed: 'confirmed',
  OrderShipped: 'shipped',
  OrderDelivered: 'delivered',
  OrderCancelled: 'cancelled',
};

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
export function liveRoutes(
  outbox: OutboxDispatcher,
  authenticate: (token: string) => Promise<AuthUser | null>,
  stockLevels: (productIds: string[]) => Promise<Map<string, StockLevel>>,
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

    // as soon as an event is committed, not once the dispatcher's subscribers are through with it
    const unsubscribe = outbox.onEvents((events: DomainEvent[]) => {
      if (clients.size === 0) return;
      const productIds = [
        ...new Set(
          events
            .filter((e) => STOCK_EVENTS.has(e.type))
            .map((e) => String(e.payload['productId'] ?? e.aggregateId)),
        ),
      ];
      const orderEvents = events
        .filter((e) => e.context === 'orders' || e.type === 'PaymentProcessed' || e.type === 'RefundIssued')
        .map((e) => ({ orderId: e.aggregateId, type: e.type, status: STATUS_OF[e.type] ?? null }));
      for (const client of clients) {
        if (client.admin) for (const e of orderEvents) send(client, 'order', e);
      }
      if (productIds.length === 0) return;
      for (const id of productIds) changed.add(id);
      // One read of the levels for all the products changed within a few milliseconds: under
      // load, one query per batch of commits instead of one per commit.
      flushing ??= setTimeout(() => {
        flushing = null;
        const ids = [...changed];
        changed.clear();
        stockLevels(ids)
          .then((levels) => {
            for (const level of levels.values()) {
              const data = {
                productId: level.productId,
                onHand: level.onHand,
                reserved: level.reserved,
                available: level.onHand - level.reserved,
              };
              for (const client of clients) send(client, 'stock', data);
            }
          })
          .catch((error: unknown) => app.log.warn({ err: error }, 'live: stock levels unavailable'));
      }, STOCK_BATCH_MS);
    });
    const changed = new Set<string>();
    let flushing: NodeJS.Timeout | null = null;

    const heartbeat = setInterval(() => {
      for (const client of clients) client.reply.raw.write(': keep-alive\n\n');
    }, 15_000);
    heartbeat.unref();

    // Before the server stops listening, not after: an open stream would keep `close()` (and a
    // graceful shutdown on SIGTERM) waiting for ever. Browsers reconnect to another instance.
    app.addHook('preClose', async () => {
      unsubscribe();
      if (flushing) clearTimeout(flushing);
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
          response: {
            200: z.string().meta({
              description: 'Server-Sent Events; the stream stays open',
              'x-media-type': 'text/event-stream',
            }),
            429: ErrorBody,
          },
        },
      },
      async (request, reply) => {
        const user = request.query.token ? await authenticate(request.query.token) : null;
        const admin = user?.role === 'admin';
        const address = request.ip;
        const open = openByAddress.get(address) ?? 0;
        if (!admin && open >= perAddress) {
          throw new AppError(
            429,
            'too_many_streams',
            `At most ${perAddress} live-update streams per address. Close one and try again.`,
            { limit: perAddress },
            { 'retry-after': '5' },
          );
        }
        reply.hijack();
        reply.raw.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        reply.raw.write('retry: 2000\n\n');
        const client: Client = { reply, admin };
        clients.add(client);
        if (!admin) openByAddress.set(address, open + 1);
        send(client, 'ready', { admin: client.admin });
        request.raw.on('close', () => {
          clients.delete(client);
          if (admin) return;
          const left = (openByAddress.get(address) ?? 1) - 1;
          if (left > 0) openByAddress.set(address, left);
          else openByAddress.delete(address);
        });
      },
    );
  };
}
