import type { Logger } from 'pino';
import { refused } from '../orders/errors.ts';
import type { ActorRef } from '../orders/deps.ts';
import { decide, FULFILMENT_STATUSES } from '../orders/model.ts';
import type { OrderService } from '../orders/service.ts';
import type { OrderRecord, StoredLine } from '../orders/store.ts';
import type { ShipmentNote } from '../orders/transition.ts';
import type { AuthUser } from '../platform/auth/model.ts';
import type { Db } from '../platform/db.ts';
import { conflict, notFound, unprocessable, type AppError } from '../platform/errors.ts';
import { uuidv7 } from '../platform/ids.ts';
import { writeTransaction } from '../platform/locks.ts';
import { appendEvents } from '../platform/outbox.ts';
import { fulfilmentEvent } from './events.ts';
import {
  planShipment,
  progressAfter,
  statusByQuantities,
  type LineProgress,
  type ShipmentLineRequest,
  type ShipmentProblem,
} from './model.ts';
import * as store from './store.ts';
import type { RequestKey, ShipmentRecord } from './store.ts';

/** What shipments need of the inventory context: the stock leaves the location it ships from. */
export interface StockForShipments {
  /** takes the order's committed units off the location's shelf; 409 insufficient_stock_at_location */
  ship(
    trx: Db,
    orderId: string,
    locationId: string,
    items: Array<{ variantId: string; quantity: number }>,
  ): Promise<void>;
  defaultLocation(db: Db): Promise<{ id: string; name: string }>;
  listLocations(db: Db): Promise<Array<{ id: string; name: string }>>;
}

export interface FulfilmentDeps {
  db: Db;
  log: Logger;
  orders: OrderService;
  inventory: StockForShipments;
}

export interface ShipmentRequest {
  /** omitted: everything that remains */
  lines?: ShipmentLineRequest[] | undefined;
  carrier: string;
  trackingNumber: string;
  trackingUrl?: string | null | undefined;
  /** omitted: the inventory's default location */
  locationId?: string | undefined;
}

/** A shipment as people see it: its lines with what they are, and where it left from. */
export interface Shipment {
  id: string;
  orderId: string;
  number: number;
  status: 'shipped' | 'delivered';
  carrier: string;
  trackingNumber: string;
  trackingUrl: string | null;
  location: { id: string; name: string };
  shippedAt: Date;
  deliveredAt: Date | null;
  lines: Array<{
    lineId: string;
    variantId: string;
    sku: string;
    name: string;
    variantTitle: string;
    quantity: number;
  }>;
}

/**
 * Shipments of an order (ADR 0027): each takes lines and quantities from one stock location,
 * and the order's status follows from what has shipped and arrived, through the orders
 * context's one transition path. Every write holds the order's lock first (ADR 0003).
 */
export class FulfilmentService {
  readonly #deps: FulfilmentDeps;

  constructor(deps: FulfilmentDeps) {
    this.#deps = deps;
  }

  /** per order line: ordered, shipped and delivered quantities */
  async lineProgress(db: Db, orderId: string): Promise<LineProgress[]> {
    const [lines, moved] = await Promise.all([
      this.#deps.orders.lines(db, orderId),
      store.quantities(db, orderId),
    ]);
    return lines.map((l) => ({
      lineId: l.id,
      variantId: l.variantId,
      quantity: l.quantity,
      shipped: moved.get(l.id)?.shipped ?? 0,
      delivered: moved.get(l.id)?.delivered ?? 0,
    }));
  }

  /**
   * Per order line: how much of it arrived and when its last delivered unit did (for returns,
   * whose window counts from a line's delivery), read with the given connection.
   */
  async deliveries(db: Db, orderId: string) {
    const [progress, shipments] = await Promise.all([
      this.lineProgress(db, orderId),
      store.listFor(db, orderId),
    ]);
    return progress.map((line) => {
      const arrivals = shipments
        .filter((s) => s.deliveredAt !== null && s.lines.some((l) => l.lineId === line.lineId))
        .map((s) => s.deliveredAt?.getTime() ?? 0);
      return {
        lineId: line.lineId,
        variantId: line.variantId,
        quantity: line.quantity,
        delivered: line.delivered,
        deliveredAt: arrivals.length > 0 ? new Date(Math.max(...arrivals)) : null,
      };
    });
  }

  /** ships lines in the caller's transaction (the order's lock held); used by the admin route and by exchanges */
  async shipInTransaction(
    trx: Db,
    order: OrderRecord,
    request: ShipmentRequest,
    actor: ActorRef,
    requestKey?: RequestKey,
  ): Promise<Shipment> {
    const allowed = decide(order.status, 'ship', actor.kind);
    if (!allowed.allowed) throw refused(order.status, allowed);
    const progress = await this.lineProgress(trx, order.id);
    const plan = planShipment(progress, request.lines);
    if (!plan.ok) throw shipmentError(plan.problem);
    const location = await this.#location(trx, request.locationId);
    const record = await store.insert(
      trx,
      {
        id: uuidv7(),
        orderId: order.id,
        number: await store.nextNumber(trx, order.id),
        locationId: location.id,
        carrier: request.carrier,
        trackingNumber: request.trackingNumber,
        trackingUrl: request.trackingUrl ?? null,
        createdBy: actor.id,
        lines: plan.lines,
      },
      requestKey,
    );
    await this.#deps.inventory.ship(
      trx,
      order.id,
      location.id,
      plan.lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity })),
    );
    const shipment = describe(record, await this.#deps.orders.lines(trx, order.id), location);
    await this.#deps.orders.transition(trx, order, {
      action: 'ship',
      actor,
      facts: { statusByQuantities: statusByQuantities(progressAfter(progress, plan.lines, 'shipped')) },
      shipment: note(shipment),
    });
    await appendEvents(trx, [fulfilmentEvent('ShipmentCreated', payload(shipment, order.customerId))]);
    return shipment;
  }

  /** after lines were added to the order (an exchange), moves the order's status back to what its quantities say */
  async resettleStatus(trx: Db, orderId: string, actor: ActorRef, reason: string): Promise<void> {
    const order = await this.#deps.orders.lockForFulfilment(trx, orderId);
    if (!order) throw notFound('Order', orderId);
    if (!FULFILMENT_STATUSES.includes(order.status)) return;
    const to = statusByQuantities(await this.lineProgress(trx, orderId));
    if (to === order.status) return;
    await this.#deps.orders.transition(trx, order, {
      action: 'resettle',
      actor,
      reason,
      facts: { statusByQuantities: to },
    });
  }

  /**
   * Admin: a shipment of the lines asked for (or everything remaining); the shipment and the order
   * after it. With an `Idempotency-Key` (`requestKey`), the same request sent again answers with
   * the shipment it made, and the same key with another request is 422 `idempotency_key_reused`;
   * the key is looked up under the order's lock, so a repeat sent at the same time waits and finds it.
   */
  async ship(user: AuthUser, orderId: string, request: ShipmentRequest, requestKey?: RequestKey) {
    const shipment = await writeTransaction(this.#deps.db, this.#deps.log, async (trx) => {
      const order = await this.#deps.orders.lockForFulfilment(trx, orderId);
      if (!order) throw notFound('Order', orderId);
      if (requestKey) {
        const made = await store.findByKey(trx, orderId, requestKey.key);
        if (made && made.requestHash !== requestKey.requestHash) {
          throw unprocessable(
            'idempotency_key_reused',
            'This Idempotency-Key was already used with a different request. Use a new key for a new shipment.',
          );
        }
        const record = made && (await store.listFor(trx, orderId)).find((s) => s.id === made.shipmentId);
        if (record) return this.#view(trx, record);
      }
      return this.shipInTransaction(trx, order, request, actorOf(user), requestKey);
    });
    return { shipment, order: await this.#deps.orders.get(user, orderId) };
  }

  /** Admin: a shipment arrived. Marking it again changes nothing and tells no one twice. */
  async deliver(user: AuthUser, orderId: string, shipmentId: string) {
    const shipment = await writeTransaction(this.#deps.db, this.#deps.log, async (trx) => {
      const order = await this.#deps.orders.lockForFulfilment(trx, orderId);
      if (!order) throw notFound('Order', orderId);
      const record = (await store.listFor(trx, orderId)).find((s) => s.id === shipmentId);
      if (!record) throw notFound('Shipment', shipmentId);
      if (record.status === 'delivered') return this.#view(trx, record);
      await this.#deliverInTransaction(trx, order, record, actorOf(user));
      return this.#view(trx, { ...record, status: 'delivered' });
    });
    return { shipment, order: await this.#deps.orders.get(user, orderId) };
  }

  /** API 1.x's shipOrder: everything remaining in one shipment from the default location. */
  async shipRemaining(
    user: AuthUser,
    orderId: string,
    tracking: { carrier: string; trackingNumber: string },
  ) {
    return (await this.ship(user, orderId, tracking)).order;
  }

  /** API 1.x's deliverOrder: every shipment not yet delivered arrived. */
  async deliverAll(user: AuthUser, orderId: string) {
    await writeTransaction(this.#deps.db, this.#deps.log, async (trx) => {
      let order = await this.#deps.orders.lockForFulfilment(trx, orderId);
      if (!order) throw notFound('Order', orderId);
      const allowed = decide(order.status, 'deliver', 'admin');
      if (!allowed.allowed) throw refused(order.status, allowed);
      for (const record of await store.listFor(trx, orderId)) {
        if (record.status === 'shipped')
          order = await this.#deliverInTransaction(trx, order, record, actorOf(user));
      }
    });
    return this.#deps.orders.get(user, orderId);
  }

  /** The order's shipments, for whoever may see the order (another customer's order is a 404). */
  async list(user: AuthUser, orderId: string): Promise<Shipment[]> {
    await this.#deps.orders.get(user, orderId);
    const [records, lines, locations] = await Promise.all([
      store.listFor(this.#deps.db, orderId),
      this.#deps.orders.lines(this.#deps.db, orderId),
      this.#deps.inventory.listLocations(this.#deps.db),
    ]);
    return records.map((r) => describe(r, lines, locationOf(locations, r.locationId)));
  }

  /** The stock locations a shipment can leave from, the default first. */
  async locations() {
    const [all, fallback] = await Promise.all([
      this.#deps.inventory.listLocations(this.#deps.db),
      this.#deps.inventory.defaultLocation(this.#deps.db),
    ]);
    return [fallback, ...all.filter((l) => l.id !== fallback.id)];
  }

  async #deliverInTransaction(
    trx: Db,
    order: OrderRecord,
    record: ShipmentRecord,
    actor: ActorRef,
  ): Promise<OrderRecord> {
    const progress = await this.lineProgress(trx, order.id);
    await store.markDelivered(trx, record.id);
    const shipment = await this.#view(trx, { ...record, status: 'delivered' });
    const moved = await this.#deps.orders.transition(trx, order, {
      action: 'deliver',
      actor,
      facts: { statusByQuantities: statusByQuantities(progressAfter(progress, record.lines, 'delivered')) },
      shipment: note(shipment),
    });
    await appendEvents(trx, [fulfilmentEvent('ShipmentDelivered', payload(shipment, order.customerId))]);
    return moved;
  }

  async #view(db: Db, record: ShipmentRecord): Promise<Shipment> {
    const [lines, locations] = await Promise.all([
      this.#deps.orders.lines(db, record.orderId),
      this.#deps.inventory.listLocations(db),
    ]);
    return describe(record, lines, locationOf(locations, record.locationId));
  }

  async #location(trx: Db, locationId: string | undefined): Promise<{ id: string; name: string }> {
    if (locationId === undefined) return this.#deps.inventory.defaultLocation(trx);
    const location = (await this.#deps.inventory.listLocations(trx)).find((l) => l.id === locationId);
    if (!location)
      throw unprocessable('unknown_location', 'There is no stock location with this id.', { locationId });
    return location;
  }
}

function actorOf(user: AuthUser): ActorRef {
  return { kind: user.role === 'admin' ? 'admin' : 'customer', id: user.id };
}

function locationOf(locations: ReadonlyArray<{ id: string; name: string }>, id: string) {
  return locations.find((l) => l.id === id) ?? { id, name: '' };
}

function describe(
  record: ShipmentRecord,
  lines: readonly StoredLine[],
  location: { id: string; name: string },
): Shipment {
  const byId = new Map(lines.map((l) => [l.id, l]));
  return {
    id: record.id,
    orderId: record.orderId,
    number: record.number,
    status: record.status,
    carrier: record.carrier,
    trackingNumber: record.trackingNumber,
    trackingUrl: record.trackingUrl,
    location: { id: location.id, name: location.name },
    shippedAt: record.shippedAt,
    deliveredAt: record.deliveredAt,
    lines: record.lines.map((l) => {
      const line = byId.get(l.lineId);
      return {
        lineId: l.lineId,
        variantId: l.variantId,
        sku: line?.sku ?? '',
        name: line?.name ?? '',
        variantTitle: line?.variantTitle ?? '',
        quantity: l.quantity,
      };
    }),
  };
}

/** A line's name as the shopper picked it: "T-shirt (M / Blue)". */
function titleOf(line: { name: string; variantTitle: string }): string {
  return line.variantTitle ? `${line.name} (${line.variantTitle})` : line.name;
}

function note(shipment: Shipment): ShipmentNote {
  return {
    id: shipment.id,
    number: shipment.number,
    carrier: shipment.carrier,
    trackingNumber: shipment.trackingNumber,
    trackingUrl: shipment.trackingUrl,
    lines: shipment.lines.map((l) => ({
      lineId: l.lineId,
      variantId: l.variantId,
      sku: l.sku,
      title: titleOf(l),
      quantity: l.quantity,
    })),
  };
}

function payload(shipment: Shipment, customerId: string) {
  return {
    orderId: shipment.orderId,
    customerId,
    shipmentId: shipment.id,
    number: shipment.number,
    lines: note(shipment).lines.map((l) => ({ ...l })),
    carrier: shipment.carrier,
    trackingNumber: shipment.trackingNumber,
    trackingUrl: shipment.trackingUrl,
    locationId: shipment.location.id,
    timestamp: new Date().toISOString(),
  };
}

function shipmentError(problem: ShipmentProblem): AppError {
  switch (problem.kind) {
    case 'unknown_lines':
      return unprocessable('unknown_order_lines', 'A line named is not a line of this order.', {
        lineIds: problem.lineIds,
      });
    case 'duplicate_lines':
      return unprocessable('duplicate_order_lines', 'Name each line once, with all its units.', {
        lineIds: problem.lineIds,
      });
    case 'exceeds_remaining':
      return conflict(
        'quantity_exceeds_remaining',
        'A shipment cannot take more of a line than remains to ship.',
        {
          lines: problem.lines,
        },
      );
    case 'nothing_to_ship':
      return conflict('nothing_to_ship', 'Everything on the order has already shipped.', {});
  }
}
