import type { Logger } from 'pino';
import type { Db } from '../platform/db.ts';
import type { LiveFeed } from '../platform/live.ts';
import { parseEnvelope, type DomainEvent } from '../platform/outbox-event.ts';
import { conflict, notFound } from '../platform/errors.ts';
import { recordAudit } from '../platform/audit.ts';
import { appendEvents } from '../platform/outbox.ts';
import { InventoryEventEnvelope, inventoryEvent } from './events.ts';
import { consolidate, shortages, type Shortage, type StockLevel, type StockRequest } from './model.ts';
import * as store from './store.ts';

export type ReserveResult = { ok: true; reserved: StockRequest[] } | { ok: false; shortages: Shortage[] };

/**
 * Stock levels and reservations. Functions taking `trx` run inside the caller's transaction,
 * so an order and the stock it holds change together or not at all.
 */
/** What the inventory list needs from the catalog context, given by the composition root. */
export interface ProductDirectory {
  idsMatching(search: string): Promise<string[]>;
  findMany(ids: readonly string[]): Promise<Map<string, { sku: string; name: string }>>;
}

// stock changes are read and sent in batches this far apart
const LIVE_BATCH_MS = 5;

/** Names in code-point order, the order PostgreSQL's C collation gives. */
const compareNames = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export class InventoryService {
  readonly #db: Db;
  readonly #reservationTtlSeconds: number;

  constructor(db: Db, reservationTtlSeconds: number) {
    this.#db = db;
    this.#reservationTtlSeconds = reservationTtlSeconds;
  }

  /**
   * Stock levels for the live stream, to everyone: after committed stock events, one read of the
   * levels of every product they moved within a few milliseconds, so that under load it is one
   * query per burst of commits instead of one per commit.
   */
  liveStock(onEvents: (listener: (events: DomainEvent[]) => void) => () => void, log: Logger): LiveFeed {
    return (stream) => {
      const changed = new Set<string>();
      let flushing: NodeJS.Timeout | null = null;
      const flush = () => {
        flushing = null;
        const ids = [...changed];
        changed.clear();
        this.levels(ids)
          .then((levels) => {
            for (const level of levels.values()) {
              stream.publish({
                event: 'stock',
                data: {
                  productId: level.productId,
                  onHand: level.onHand,
                  reserved: level.reserved,
                  available: level.onHand - level.reserved,
                },
                audience: 'everyone',
              });
            }
          })
          .catch((error: unknown) => log.warn({ err: error }, 'live: stock levels unavailable'));
      };
      const stop = onEvents((events) => {
        if (!stream.watched()) return;
        for (const e of events) {
          const stock = parseEnvelope(InventoryEventEnvelope, e);
          if (stock) changed.add(stock.payload.productId);
        }
        if (changed.size > 0) flushing ??= setTimeout(flush, LIVE_BATCH_MS);
      });
      return () => {
        stop();
        if (flushing) clearTimeout(flushing);
      };
    };
  }

  async levels(productIds: readonly string[]): Promise<Map<string, StockLevel>> {
    const levels = await store.levels(this.#db, productIds);
    return new Map(levels.map((l) => [l.productId, l]));
  }

  /** Holds stock for an order until it is paid, released, or the reservation expires. */
  async reserve(trx: Db, orderId: string, requests: readonly StockRequest[]): Promise<ReserveResult> {
    const wanted = consolidate(requests);
    const locked = await store.lockLevels(
      trx,
      wanted.map((r) => r.productId),
    );
    const short = shortages(wanted, new Map(locked.map((l) => [l.productId, l])));
    if (short.length > 0) return { ok: false, shortages: short };
    const expiresAt = new Date(Date.now() + this.#reservationTtlSeconds * 1000);
    // the conditional update and the reservations together: one round trip
    const moved = await store.addReserved(trx, orderId, wanted, expiresAt);
    if (moved.length !== wanted.length) {
      // Cannot happen while the rows are locked; the database's CHECKs would refuse it anyway.
      throw new Error('stock changed under a lock');
    }
    const timestamp = new Date().toISOString();
    await appendEvents(
      trx,
      wanted.map((r) =>
        inventoryEvent('StockReserved', r.productId, {
          productId: r.productId,
          quantity: r.quantity,
          orderId,
          timestamp,
        }),
      ),
    );
    return { ok: true, reserved: wanted };
  }

  /** The order is paid: its reserved units are sold. */
  async commit(trx: Db, orderId: string): Promise<StockRequest[]> {
    await store.lockForOrder(trx, orderId);
    const moved = await store.settleReservations(trx, orderId, 'committed');
    const timestamp = new Date().toISOString();
    await appendEvents(
      trx,
      moved.map((r) =>
        inventoryEvent('StockCommitted', r.productId, {
          productId: r.productId,
          quantity: r.quantity,
          orderId,
          timestamp,
        }),
      ),
    );
    return moved;
  }

  /** The order will not be paid: its reserved units go back to the shelf. */
  async release(trx: Db, orderId: string, reason: string): Promise<StockRequest[]> {
    await store.lockForOrder(trx, orderId);
    const moved = await store.settleReservations(trx, orderId, 'released');
    await this.#released(trx, orderId, moved, reason);
    return moved;
  }

  /** Units that were sold come back (a paid order cancelled or reduced). */
  async restock(trx: Db, orderId: string, requests: readonly StockRequest[], reason: string): Promise<void> {
    const items = consolidate(requests);
    if (items.length === 0) return;
    await store.lockLevels(
      trx,
      items.map((r) => r.productId),
    );
    await store.restock(trx, items);
    await this.#released(trx, orderId, items, reason);
  }

  async #released(trx: Db, orderId: string, items: readonly StockRequest[], reason: string): Promise<void> {
    const timestamp = new Date().toISOString();
    await appendEvents(
      trx,
      items.map((r) =>
        inventoryEvent('StockReleased', r.productId, {
          productId: r.productId,
          quantity: r.quantity,
          orderId,
          reason,
          timestamp,
        }),
      ),
    );
  }

  activeReservations(trx: Db, orderId: string): Promise<StockRequest[]> {
    return store.activeReservations(trx, orderId);
  }

  async initialize(trx: Db, productId: string, onHand: number, lowStockThreshold = 5): Promise<void> {
    await store.initialize(trx, productId, onHand, lowStockThreshold);
    if (onHand > 0) await this.#replenished(trx, productId, onHand, onHand);
  }

  /** An admin sets or adds to the stock on hand (StockReplenished when it grows). */
  async adjust(
    productId: string,
    operation: 'set' | 'add',
    quantity: number,
    actorId: string,
  ): Promise<StockLevel> {
    return this.#db.transaction().execute(async (trx) => {
      const result = await store.adjust(trx, productId, operation, quantity);
      if (result === 'not_found') throw notFound('Product', productId);
      if (result === 'below_reserved') {
        throw conflict(
          'below_reserved',
          'Stock on hand cannot go below the units reserved for open orders.',
          {
            productId,
          },
        );
      }
      const added = result.level.onHand - result.previousOnHand;
      if (added > 0) await this.#replenished(trx, productId, added, result.level.onHand);
      else if (added < 0) {
        await appendEvents(trx, [
          inventoryEvent('StockAdjusted', productId, {
            productId,
            quantity: added,
            onHand: result.level.onHand,
            timestamp: new Date().toISOString(),
          }),
        ]);
      }
      await recordAudit(trx, {
        actorId,
        action: 'stock.adjust',
        targetType: 'product',
        targetId: productId,
        details: { operation, quantity, from: result.previousOnHand, to: result.level.onHand },
      });
      return result.level;
    });
  }

  async #replenished(trx: Db, productId: string, quantity: number, onHand: number): Promise<void> {
    await appendEvents(trx, [
      inventoryEvent('StockReplenished', productId, {
        productId,
        quantity,
        onHand,
        timestamp: new Date().toISOString(),
      }),
    ]);
  }

  /**
   * The admin's stock list, lowest available first, then by product name. Names and the search
   * are the catalog's (`products`), asked through its service; this context reads only its rows.
   */
  async list(
    query: { search?: string | undefined; lowStockOnly: boolean; limit: number },
    products: ProductDirectory,
  ): Promise<Array<StockLevel & { sku: string; name: string }>> {
    const productIds = query.search === undefined ? undefined : await products.idsMatching(query.search);
    if (productIds?.length === 0) return [];
    const filter = { lowStockOnly: query.lowStockOnly, ...(productIds && { productIds }) };
    let levels = await store.list(this.#db, { ...filter, limit: query.limit });
    const last = levels.at(-1);
    if (levels.length === query.limit && last) {
      // the page ends inside a run of equal availability: which of them it holds goes by name
      const available = last.onHand - last.reserved;
      const tied = await store.list(this.#db, { ...filter, available });
      levels = [...levels.filter((l) => l.onHand - l.reserved < available), ...tied];
    }
    const named = await products.findMany(levels.map((l) => l.productId));
    return levels
      .flatMap((l) => {
        const product = named.get(l.productId);
        return product ? [{ ...l, sku: product.sku, name: product.name }] : [];
      })
      .sort((a, b) => a.onHand - a.reserved - (b.onHand - b.reserved) || compareNames(a.name, b.name))
      .slice(0, query.limit);
  }

  ordersWithExpiredReservations(limit: number): Promise<string[]> {
    return store.ordersWithExpiredReservations(this.#db, limit);
  }

  /** For metrics: reservations holding stock, their units, and those past expiry. */
  reservationCounts(): Promise<{ active: number; units: number; overdue: number }> {
    return store.reservationCounts(this.#db);
  }
}
