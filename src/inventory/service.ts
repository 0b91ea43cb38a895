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
export interface VariantDirectory {
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
   * levels of every variant they moved within a few milliseconds, so that under load it is one
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
                  variantId: level.variantId,
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
          if (stock) changed.add(stock.payload.variantId);
        }
        if (changed.size > 0) flushing ??= setTimeout(flush, LIVE_BATCH_MS);
      });
      return () => {
        stop();
        if (flushing) clearTimeout(flushing);
      };
    };
  }

  async levels(variantIds: readonly string[]): Promise<Map<string, StockLevel>> {
    const levels = await store.levels(this.#db, variantIds);
    return new Map(levels.map((l) => [l.variantId, l]));
  }

  /**
   * Holds stock for an order until it is paid, released, or the reservation expires (after the
   * configured time, or `ttlSeconds`: a payment link holds it for as long as the link works).
   */
  async reserve(
    trx: Db,
    orderId: string,
    requests: readonly StockRequest[],
    ttlSeconds: number = this.#reservationTtlSeconds,
  ): Promise<ReserveResult> {
    const wanted = consolidate(requests);
    const locked = await store.lockLevels(
      trx,
      wanted.map((r) => r.variantId),
    );
    const short = shortages(wanted, new Map(locked.map((l) => [l.variantId, l])));
    if (short.length > 0) return { ok: false, shortages: short };
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
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
        inventoryEvent('StockReserved', r.variantId, {
          variantId: r.variantId,
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
        inventoryEvent('StockCommitted', r.variantId, {
          variantId: r.variantId,
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
      items.map((r) => r.variantId),
    );
    await store.restock(trx, items);
    await this.#released(trx, orderId, items, reason);
  }

  async #released(trx: Db, orderId: string, items: readonly StockRequest[], reason: string): Promise<void> {
    const timestamp = new Date().toISOString();
    await appendEvents(
      trx,
      items.map((r) =>
        inventoryEvent('StockReleased', r.variantId, {
          variantId: r.variantId,
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

  async initialize(
    trx: Db,
    variant: { variantId: string; productId: string },
    onHand: number,
    lowStockThreshold = 5,
  ): Promise<void> {
    await store.initialize(trx, variant, onHand, lowStockThreshold);
    if (onHand > 0) await this.#replenished(trx, variant.variantId, onHand, onHand);
  }

  /**
   * The one variant of a product without options, for the product-level stock route; a product
   * with several must be told which.
   */
  async soleVariantOf(productId: string): Promise<string> {
    const variants = await store.variantsOfProduct(this.#db, productId);
    const [only] = variants;
    if (only === undefined) throw notFound('Product', productId);
    if (variants.length > 1) {
      throw conflict('variant_required', 'This product has several variants: set the stock of one of them.', {
        productId,
        variantIds: variants,
      });
    }
    return only;
  }

  /** An admin sets or adds to the stock on hand (StockReplenished when it grows). */
  async adjust(
    variantId: string,
    operation: 'set' | 'add',
    quantity: number,
    actorId: string,
  ): Promise<StockLevel> {
    return this.#db.transaction().execute(async (trx) => {
      const result = await store.adjust(trx, variantId, operation, quantity);
      if (result === 'not_found') throw notFound('Variant', variantId);
      if (result === 'below_reserved') {
        throw conflict(
          'below_reserved',
          'Stock on hand cannot go below the units reserved for open orders.',
          {
            variantId,
          },
        );
      }
      const added = result.level.onHand - result.previousOnHand;
      if (added > 0) await this.#replenished(trx, variantId, added, result.level.onHand);
      else if (added < 0) {
        await appendEvents(trx, [
          inventoryEvent('StockAdjusted', variantId, {
            variantId,
            quantity: added,
            onHand: result.level.onHand,
            timestamp: new Date().toISOString(),
          }),
        ]);
      }
      await recordAudit(trx, {
        actorId,
        action: 'stock.adjust',
        targetType: 'variant',
        targetId: variantId,
        details: { operation, quantity, from: result.previousOnHand, to: result.level.onHand },
      });
      return result.level;
    });
  }

  async #replenished(trx: Db, variantId: string, quantity: number, onHand: number): Promise<void> {
    await appendEvents(trx, [
      inventoryEvent('StockReplenished', variantId, {
        variantId,
        quantity,
        onHand,
        timestamp: new Date().toISOString(),
      }),
    ]);
  }

  /**
   * The admin's stock list, lowest available first, then by name. Names and the search
   * are the catalog's (`products`), asked through its service; this context reads only its rows.
   */
  async list(
    query: { search?: string | undefined; lowStockOnly: boolean; limit: number },
    variants: VariantDirectory,
  ): Promise<Array<StockLevel & { sku: string; name: string }>> {
    const variantIds = query.search === undefined ? undefined : await variants.idsMatching(query.search);
    if (variantIds?.length === 0) return [];
    const filter = { lowStockOnly: query.lowStockOnly, ...(variantIds && { variantIds }) };
    let levels = await store.list(this.#db, { ...filter, limit: query.limit });
    const last = levels.at(-1);
    if (levels.length === query.limit && last) {
      // the page ends inside a run of equal availability: which of them it holds goes by name
      const available = last.onHand - last.reserved;
      const tied = await store.list(this.#db, { ...filter, available });
      levels = [...levels.filter((l) => l.onHand - l.reserved < available), ...tied];
    }
    const named = await variants.findMany(levels.map((l) => l.variantId));
    return levels
      .flatMap((l) => {
        const variant = named.get(l.variantId);
        return variant ? [{ ...l, sku: variant.sku, name: variant.name }] : [];
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
