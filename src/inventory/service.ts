import type { Logger } from 'pino';
import type { Db, StatementPart } from '../platform/db.ts';
import type { LiveFeed } from '../platform/live.ts';
import { parseEnvelope, type DomainEvent, type NewDomainEvent } from '../platform/outbox-event.ts';
import { conflict, notFound } from '../platform/errors.ts';
import { recordAudit } from '../platform/audit.ts';
import { uuidv7 } from '../platform/ids.ts';
import { appendEvents } from '../platform/outbox.ts';
import { InventoryEventEnvelope, inventoryEvent } from './events.ts';
import {
  chooseLocations,
  consolidate,
  type Allocation,
  type AllocationRule,
  type LocationStock,
  type Shortage,
  type StockLevel,
  type StockLocation,
  type StockRequest,
} from './model.ts';
import * as store from './store.ts';
import type { TransferRecord } from './store.ts';

export type ReserveResult = { ok: true; reserved: Allocation[] } | { ok: false; shortages: Shortage[] };
export type { TransferRecord };

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
    const choice = await this.#allocate(trx, requests);
    if (!choice.ok) return choice;
    // the conditional update and the reservations together: one round trip
    const moved = await store.addReserved(trx, orderId, choice.allocations, expiresIn(ttlSeconds));
    assertAllMoved(moved.length, choice.allocations);
    await appendEvents(trx, reservedEvents(orderId, choice.allocations));
    return { ok: true, reserved: choice.allocations };
  }

  /**
   * `reserve` for a caller whose own statement will write the reservations (placement, ADR
   * 0042): the stock rows are locked and the locations chosen now; `part` goes into that
   * statement and `events` with it.
   */
  async reserveInStatement(
    trx: Db,
    orderId: string,
    requests: readonly StockRequest[],
  ): Promise<
    | { ok: true; reserved: Allocation[]; part: StatementPart; events: NewDomainEvent[] }
    | { ok: false; shortages: Shortage[] }
  > {
    const choice = await this.#allocate(trx, requests);
    if (!choice.ok) return choice;
    const { allocations } = choice;
    const expiresAt = expiresIn(this.#reservationTtlSeconds);
    return {
      ok: true,
      reserved: allocations,
      part: store.addReservedPart(orderId, allocations, expiresAt, (moved) =>
        assertAllMoved(moved, allocations),
      ),
      events: reservedEvents(orderId, allocations),
    };
  }

  /** Locks the variants' stock rows in the lock order and chooses where each unit comes from. */
  async #allocate(trx: Db, requests: readonly StockRequest[]) {
    const wanted = consolidate(requests);
    const locked = await store.lockForReservation(
      trx,
      wanted.map((r) => r.variantId),
    );
    const choice = chooseLocations(wanted, byLocation(locked.levels), locked.rule);
    return choice.ok
      ? { ok: true as const, allocations: choice.allocations }
      : { ok: false as const, shortages: choice.shortages };
  }

  /** The order is paid: its still-active reservations are sold (earlier commitments stay as they are). */
  async commit(trx: Db, orderId: string): Promise<StockRequest[]> {
    const moved = await store.settleReservations(trx, orderId, 'committed');
    const timestamp = new Date().toISOString();
    await appendEvents(
      trx,
      moved.map((r) =>
        inventoryEvent('StockCommitted', r.variantId, {
          variantId: r.variantId,
          quantity: r.quantity,
          orderId,
          locationId: r.locationId,
          timestamp,
        }),
      ),
    );
    return consolidate(moved);
  }

  /** The order will not be paid: its reserved units go back to the shelf. */
  async release(trx: Db, orderId: string, reason: string): Promise<StockRequest[]> {
    const moved = await store.settleReservations(trx, orderId, 'released');
    await this.#released(trx, orderId, moved, reason);
    return consolidate(moved);
  }

  /**
   * Units that were sold come back to where they were allocated (a paid order cancelled or
   * reduced): only units not yet shipped, so at most what the order still holds of each variant.
   */
  async restock(trx: Db, orderId: string, requests: readonly StockRequest[], reason: string): Promise<void> {
    const items = consolidate(requests);
    if (items.length === 0) return;
    const variantIds = items.map((r) => r.variantId);
    await store.lockLevels(trx, variantIds);
    const open = await store.openCommitments(trx, orderId, variantIds);
    const takes = takeCommitments(open, items, () => 0);
    await store.settleCommitments(trx, 'restocked', takes);
    const back = consolidateAt(
      takes.map((t) => ({ variantId: t.variantId, locationId: t.locationId, quantity: t.quantity })),
    );
    await store.moveOnHand(
      trx,
      back.map((b) => ({ variantId: b.variantId, locationId: b.locationId, change: b.quantity })),
    );
    await this.#released(trx, orderId, back, reason);
  }

  /** Units of the order committed (paid) and not yet shipped, per variant and location. */
  allocations(db: Db, orderId: string): Promise<Allocation[]> {
    return store.allocations(db, orderId);
  }

  /**
   * A shipment of the order leaves from `locationId`: those committed units are marked shipped.
   * Units allocated elsewhere go back on the shelf there and come off `locationId`'s free units
   * instead (ADR 0026); when it has too few, nothing moves and the 409 says what is short.
   */
  async ship(trx: Db, orderId: string, locationId: string, items: readonly StockRequest[]): Promise<void> {
    const wanted = consolidate(items);
    if (wanted.length === 0) return;
    await this.#activeLocation(trx, locationId);
    const variantIds = wanted.map((r) => r.variantId);
    const levels = await store.lockLevels(trx, variantIds);
    const open = await store.openCommitments(trx, orderId, variantIds);
    const notHeld = wanted.flatMap((r) => {
      const held = open.filter((o) => o.variantId === r.variantId).reduce((n, o) => n + o.open, 0);
      return held < r.quantity ? [{ variantId: r.variantId, requested: r.quantity, held }] : [];
    });
    if (notHeld.length > 0) {
      throw conflict(
        'not_allocated',
        'The order holds fewer paid units of these variants than the shipment takes.',
        {
          shortages: notHeld,
        },
      );
    }
    // the units already at the shipping location go first
    const takes = takeCommitments(open, wanted, (o) => (o.locationId === locationId ? 0 : 1));
    const moves = consolidateAt(takes.filter((t) => t.locationId !== locationId));
    const short = consolidate(moves.map((m) => ({ variantId: m.variantId, quantity: m.quantity }))).flatMap(
      (m) => {
        const here = levels.find((l) => l.variantId === m.variantId && l.locationId === locationId);
        const free = here ? here.onHand - here.reserved : 0;
        return free < m.quantity
          ? [{ variantId: m.variantId, requested: m.quantity, available: Math.max(0, free) }]
          : [];
      },
    );
    if (short.length > 0) throw shortAt(locationId, short);
    await store.settleCommitments(trx, 'shipped', takes);
    const changes = consolidateAt(
      moves.flatMap((m) => [
        { variantId: m.variantId, locationId: m.locationId, quantity: m.quantity },
        { variantId: m.variantId, locationId, quantity: -m.quantity },
      ]),
    ).map((c) => ({ variantId: c.variantId, locationId: c.locationId, change: c.quantity }));
    const moved = await store.moveOnHand(trx, changes);
    // Cannot happen while the rows are locked; the CHECKs would refuse it anyway.
    if (moved.length !== changes.length) throw new Error('stock changed under a lock');
    const timestamp = new Date().toISOString();
    await appendEvents(
      trx,
      consolidateAt(takes).map((t) =>
        inventoryEvent('StockShipped', t.variantId, {
          variantId: t.variantId,
          quantity: t.quantity,
          orderId,
          locationId,
          ...(t.locationId !== locationId && { allocatedAt: t.locationId }),
          timestamp,
        }),
      ),
    );
  }

  /** Returned units go back on the shelf at a location (a received return). */
  async restockAt(
    trx: Db,
    orderId: string,
    locationId: string,
    items: readonly StockRequest[],
    reason: string,
  ): Promise<void> {
    const back = consolidate(items);
    if (back.length === 0) return;
    await this.#activeLocation(trx, locationId);
    await store.lockLevels(
      trx,
      back.map((r) => r.variantId),
    );
    const moved = await store.moveOnHand(
      trx,
      back.map((r) => ({ variantId: r.variantId, locationId, change: r.quantity })),
    );
    if (moved.length !== back.length) {
      const missing = back.find((r) => !moved.some((m) => m.variantId === r.variantId));
      throw notFound('Variant', missing?.variantId ?? '');
    }
    await this.#released(
      trx,
      orderId,
      back.map((r) => ({ ...r, locationId })),
      reason,
    );
  }

  /** The default location: the highest-priority active one (what a one-location shop never names). */
  async defaultLocation(db: Db): Promise<{ id: string; name: string }> {
    const location = await store.defaultLocation(db);
    // the last active location cannot be deactivated, so there always is one
    if (!location) throw new Error('no active stock location');
    return { id: location.id, name: location.name };
  }

  listLocations(db: Db): Promise<StockLocation[]> {
    return store.listLocations(db);
  }

  /** A new location, last in priority unless given one. */
  async createLocation(
    input: { name: string; code: string; priority?: number | undefined; active?: boolean | undefined },
    actorId: string | null,
  ): Promise<StockLocation> {
    return this.#db.transaction().execute(async (trx) => {
      const priority = input.priority ?? (await store.nextPriority(trx));
      const created = await store.insertLocation(trx, {
        id: uuidv7(),
        name: input.name,
        code: input.code,
        priority,
        active: input.active ?? true,
      });
      if (created === 'taken') {
        throw conflict('location_taken', 'Another stock location has this code or priority.', {
          code: input.code,
          priority,
        });
      }
      await recordAudit(trx, {
        actorId,
        action: 'stock_location.create',
        targetType: 'stock_location',
        targetId: created.id,
        details: {
          name: created.name,
          code: created.code,
          priority: created.priority,
          active: created.active,
        },
      });
      return created;
    });
  }

  /**
   * Renames, reorders, activates or deactivates a location. One still holding stock, reservations
   * or paid units not yet shipped stays active (move its stock first), and so does the last one.
   */
  async updateLocation(
    id: string,
    change: { name?: string | undefined; priority?: number | undefined; active?: boolean | undefined },
    actorId: string,
  ): Promise<StockLocation> {
    return this.#db.transaction().execute(async (trx) => {
      const current = await store.lockLocation(trx, id, 'update');
      if (!current) throw notFound('Stock location', id);
      if (change.active === false && current.active) {
        const holdings = await store.locationHoldings(trx, id);
        if (holdings.onHand > 0 || holdings.reserved > 0 || holdings.committed > 0) {
          throw conflict(
            'location_in_use',
            'This location still holds stock or units of open orders: transfer them before deactivating it.',
            { locationId: id, ...holdings },
          );
        }
        const others = (await store.listLocations(trx)).filter((l) => l.active && l.id !== id);
        if (others.length === 0) {
          throw conflict('last_active_location', 'The shop needs at least one active stock location.', {
            locationId: id,
          });
        }
      }
      const updated = await store.updateLocation(trx, id, change);
      if (updated === 'taken') {
        throw conflict('location_taken', 'Another stock location has this priority.', {
          priority: change.priority,
        });
      }
      await recordAudit(trx, {
        actorId,
        action: 'stock_location.update',
        targetType: 'stock_location',
        targetId: id,
        details: {
          from: { name: current.name, priority: current.priority, active: current.active },
          to: { name: updated.name, priority: updated.priority, active: updated.active },
        },
      });
      return updated;
    });
  }

  allocationRule(): Promise<AllocationRule> {
    return store.allocationRule(this.#db);
  }

  async setAllocationRule(rule: AllocationRule, actorId: string): Promise<AllocationRule> {
    await this.#db.transaction().execute(async (trx) => {
      const from = await store.allocationRule(trx);
      await store.setAllocationRule(trx, rule);
      await recordAudit(trx, {
        actorId,
        action: 'inventory.allocation_rule',
        targetType: 'inventory_setting',
        targetId: 'allocation_rule',
        details: { from, to: rule },
      });
    });
    return rule;
  }

  /**
   * Moves free units (on hand, not reserved) from one active location to another; when the source
   * has too few of any variant nothing moves and the 409 lists what is short.
   */
  async transfer(
    input: {
      fromLocationId: string;
      toLocationId: string;
      items: readonly StockRequest[];
      note?: string | undefined;
    },
    actorId: string,
  ): Promise<TransferRecord> {
    const items = consolidate(input.items);
    const { fromLocationId, toLocationId } = input;
    if (fromLocationId === toLocationId) {
      throw conflict('same_location', 'A transfer moves stock between two different locations.', {
        locationId: fromLocationId,
      });
    }
    return this.#db.transaction().execute(async (trx) => {
      const locations = await store.lockLocations(trx, [fromLocationId, toLocationId]);
      for (const id of [fromLocationId, toLocationId]) {
        const location = locations.find((l) => l.id === id);
        if (!location) throw notFound('Stock location', id);
        if (!location.active) {
          throw conflict('location_inactive', 'This stock location is inactive: activate it first.', {
            locationId: id,
          });
        }
      }
      const levels = await store.lockLevels(
        trx,
        items.map((i) => i.variantId),
      );
      const unknown = items.find((i) => !levels.some((l) => l.variantId === i.variantId));
      if (unknown) throw notFound('Variant', unknown.variantId);
      const short = items.flatMap((i) => {
        const from = levels.find((l) => l.variantId === i.variantId && l.locationId === fromLocationId);
        const free = from ? from.onHand - from.reserved : 0;
        return free < i.quantity
          ? [{ variantId: i.variantId, requested: i.quantity, available: Math.max(0, free) }]
          : [];
      });
      if (short.length > 0) {
        throw conflict(
          'insufficient_stock_at_location',
          'The source location has too few free units to move.',
          {
            locationId: fromLocationId,
            shortages: short,
          },
        );
      }
      const changes = consolidateAt(
        items.flatMap((i) => [
          { variantId: i.variantId, locationId: fromLocationId, quantity: -i.quantity },
          { variantId: i.variantId, locationId: toLocationId, quantity: i.quantity },
        ]),
      ).map((c) => ({ variantId: c.variantId, locationId: c.locationId, change: c.quantity }));
      const moved = await store.moveOnHand(trx, changes);
      // Cannot happen while the rows are locked; the CHECKs would refuse it anyway.
      if (moved.length !== changes.length) throw new Error('stock changed under a lock');
      const transfer = {
        id: uuidv7(),
        fromLocationId,
        toLocationId,
        note: input.note ?? null,
        actorId,
        items,
      };
      const createdAt = await store.insertTransfer(trx, transfer);
      const timestamp = createdAt.toISOString();
      await appendEvents(
        trx,
        items.map((i) =>
          inventoryEvent('StockTransferred', i.variantId, {
            variantId: i.variantId,
            quantity: i.quantity,
            transferId: transfer.id,
            fromLocationId,
            toLocationId,
            timestamp,
          }),
        ),
      );
      await recordAudit(trx, {
        actorId,
        action: 'stock.transfer',
        targetType: 'stock_transfer',
        targetId: transfer.id,
        details: { fromLocationId, toLocationId, items, note: transfer.note },
      });
      return { ...transfer, createdAt: new Date(createdAt) };
    });
  }

  listTransfers(query: { locationId?: string | undefined; before?: string | undefined; limit: number }) {
    return store.listTransfers(this.#db, query);
  }

  /** Locks the location for share (it stays active until the caller commits) or refuses it. */
  async #activeLocation(trx: Db, locationId: string): Promise<StockLocation> {
    const location = await store.lockLocation(trx, locationId, 'share');
    if (!location) throw notFound('Stock location', locationId);
    if (!location.active) {
      throw conflict('location_inactive', 'This stock location is inactive: activate it first.', {
        locationId,
      });
    }
    return location;
  }

  async #released(
    trx: Db,
    orderId: string,
    items: ReadonlyArray<StockRequest & { locationId?: string }>,
    reason: string,
  ): Promise<void> {
    const timestamp = new Date().toISOString();
    await appendEvents(
      trx,
      items.map((r) =>
        inventoryEvent('StockReleased', r.variantId, {
          variantId: r.variantId,
          quantity: r.quantity,
          orderId,
          ...(r.locationId !== undefined && { locationId: r.locationId }),
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
    const location = await this.defaultLocation(trx);
    await store.initialize(trx, variant, location.id, onHand, lowStockThreshold);
    if (onHand > 0) await this.#replenished(trx, variant.variantId, location.id, onHand, onHand);
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

  /**
   * An admin sets or adds to the stock on hand at a location, the default one when not named
   * (StockReplenished when it grows).
   */
  async adjust(
    variantId: string,
    operation: 'set' | 'add',
    quantity: number,
    actorId: string | null,
    locationId?: string,
  ): Promise<StockLevel & { locationId: string }> {
    return this.#db.transaction().execute(async (trx) => {
      const location = await this.#activeLocation(trx, locationId ?? (await this.defaultLocation(trx)).id);
      const result = await store.adjust(trx, variantId, location.id, operation, quantity);
      if (result === 'not_found') throw notFound('Variant', variantId);
      if (result === 'below_reserved') {
        throw conflict(
          'below_reserved',
          'Stock on hand cannot go below the units reserved for open orders.',
          {
            variantId,
            locationId: location.id,
          },
        );
      }
      const added = result.level.onHand - result.previousOnHand;
      if (added > 0) await this.#replenished(trx, variantId, location.id, added, result.level.onHand);
      else if (added < 0) {
        await appendEvents(trx, [
          inventoryEvent('StockAdjusted', variantId, {
            variantId,
            quantity: added,
            onHand: result.level.onHand,
            locationId: location.id,
            timestamp: new Date().toISOString(),
          }),
        ]);
      }
      await recordAudit(trx, {
        actorId,
        action: 'stock.adjust',
        targetType: 'variant',
        targetId: variantId,
        details: {
          operation,
          quantity,
          locationId: location.id,
          from: result.previousOnHand,
          to: result.level.onHand,
        },
      });
      return { ...result.level, locationId: location.id };
    });
  }

  async #replenished(
    trx: Db,
    variantId: string,
    locationId: string,
    quantity: number,
    onHand: number,
  ): Promise<void> {
    await appendEvents(trx, [
      inventoryEvent('StockReplenished', variantId, {
        variantId,
        quantity,
        onHand,
        locationId,
        timestamp: new Date().toISOString(),
      }),
    ]);
  }

  /**
   * The admin's stock list, lowest available first, then by name. Names and the search
   * are the catalog's (`products`), asked through its service; this context reads only its rows.
   */
  async list(
    query: {
      search?: string | undefined;
      lowStockOnly: boolean;
      limit: number;
      locationId?: string | undefined;
    },
    variants: VariantDirectory,
  ): Promise<Array<StockLevel & { sku: string; name: string }>> {
    if (query.locationId !== undefined && !(await store.findLocation(this.#db, query.locationId)))
      throw notFound('Stock location', query.locationId);
    const variantIds = query.search === undefined ? undefined : await variants.idsMatching(query.search);
    if (variantIds?.length === 0) return [];
    const filter = {
      lowStockOnly: query.lowStockOnly,
      locationId: query.locationId,
      ...(variantIds && { variantIds }),
    };
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

/** The locked levels as the allocation rule reads them: free units per variant at each location. */
function byLocation(levels: readonly store.LocatedLevel[]): LocationStock[] {
  const locations = new Map<string, { priority: number; available: Map<string, number> }>();
  for (const l of levels) {
    const at = locations.get(l.locationId) ?? { priority: l.priority, available: new Map<string, number>() };
    at.available.set(l.variantId, l.onHand - l.reserved);
    locations.set(l.locationId, at);
  }
  return [...locations].map(([locationId, at]) => ({ locationId, ...at }));
}

/**
 * Which open commitments cover the requested units: per variant, rows in `rank` order (then
 * newest first, as given), each up to what it still holds.
 */
function takeCommitments(
  open: readonly store.OpenCommitment[],
  requests: readonly StockRequest[],
  rank: (o: store.OpenCommitment) => number,
): Array<{ id: string; variantId: string; locationId: string; quantity: number }> {
  const ordered = open.map((o, i) => ({ o, i })).sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i);
  const takes: Array<{ id: string; variantId: string; locationId: string; quantity: number }> = [];
  for (const r of requests) {
    let left = r.quantity;
    for (const { o } of ordered) {
      if (left === 0) break;
      if (o.variantId !== r.variantId) continue;
      const quantity = Math.min(left, o.open);
      takes.push({ id: o.id, variantId: o.variantId, locationId: o.locationId, quantity });
      left -= quantity;
    }
  }
  return takes;
}

/** Adds up quantities per (variant, location), sorted so rows are touched in the lock order. */
function consolidateAt(items: readonly Allocation[]): Allocation[] {
  const totals = new Map<string, Allocation>();
  for (const i of items) {
    const key = `${i.variantId}/${i.locationId}`;
    const at = totals.get(key);
    totals.set(key, { ...i, quantity: (at?.quantity ?? 0) + i.quantity });
  }
  return [...totals.values()].sort((a, b) =>
    a.variantId === b.variantId
      ? compareNames(a.locationId, b.locationId)
      : compareNames(a.variantId, b.variantId),
  );
}

function shortAt(locationId: string, shortages: Shortage[]) {
  return conflict(
    'insufficient_stock_at_location',
    'The shipping location has too few free units of some variants.',
    { locationId, shortages },
  );
}

const expiresIn = (ttlSeconds: number) => new Date(Date.now() + ttlSeconds * 1000);

function assertAllMoved(moved: number, allocations: readonly Allocation[]): void {
  // Cannot happen while the rows are locked; the database's CHECKs would refuse it anyway.
  if (moved !== allocations.length) throw new Error('stock changed under a lock');
}

function reservedEvents(orderId: string, allocations: readonly Allocation[]): NewDomainEvent[] {
  const timestamp = new Date().toISOString();
  return allocations.map((r) =>
    inventoryEvent('StockReserved', r.variantId, {
      variantId: r.variantId,
      quantity: r.quantity,
      orderId,
      locationId: r.locationId,
      timestamp,
    }),
  );
}
