import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { StockLevel } from '../inventory/model.ts';
import type { TokenService } from './auth/tokens.ts';
import type { OutboxDispatcher } from './outbox.ts';
import type { DomainEvent } from './outbox-event.ts';

const STOCK_EVENTS = new Set([
  'StockReserved',
  'StockReleased',
  'StockReplenished',
  'StockAdjusted',
  'StockCommitted',
]);
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
  tokens: TokenService,
  stockLevels: (productIds: string[]) => Promise<Map<string, StockLevel>>,
): FastifyPluginAsyncZod {
  return async (app) => {
    const clients = new Set<Client>();
    const send = (client: Client, event: string, data: unknown) => {
      client.reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };

    const unsubscribe = outbox.onCommitted((events: DomainEvent[]) => {
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
      stockLevels(productIds)
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
    });

    const heartbeat = setInterval(() => {
      for (const client of clients) client.reply.raw.write(': keep-alive\n\n');
    }, 15_000);
    heartbeat.unref();

    app.addHook('onClose', async () => {
      unsubscribe();
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
