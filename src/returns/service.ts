import type { Logger } from 'pino';
import type { ActorRef } from '../orders/deps.ts';
import type { OrderRecord } from '../orders/store.ts';
import type { LineTotals } from '../orders/totals.ts';
import type { AuthUser } from '../platform/auth/model.ts';
import { recordAudit } from '../platform/audit.ts';
import type { Db } from '../platform/db.ts';
import { AppError, conflict, notFound, unprocessable } from '../platform/errors.ts';
import { uuidv7 } from '../platform/ids.ts';
import { writeTransaction } from '../platform/locks.ts';
import { formatMoney } from '../platform/money.ts';
import { appendEvents } from '../platform/outbox.ts';
import { decodeCursor, encodeCursor } from '../platform/pagination.ts';
import { returnEvent, type ReturnEventPayload } from './events.ts';
import {
  REASON_WORDS,
  checkReturnable,
  decideReturn,
  returnRefund,
  returnableLines,
  type DeliveredLine,
  type ReturnAction,
  type ReturnProblem,
  type ReturnReason,
  type ReturnRefund,
  type ReturnStatus,
} from './model.ts';
import * as store from './store.ts';
import type { ReturnPolicy, ReturnRecord } from './store.ts';

/** An order line as a return needs it: its id, what it is, and its totals as sold. */
export interface ReturnableOrderLine {
  lineId: string;
  variantId: string;
  name: string;
  variantTitle: string;
  sku: string;
  totals: LineTotals;
}

/** What the returns context asks of the orders context (which owns orders, lines, history, refunds). */
export interface ReturnOrders {
  /** the order row, locked first in the lock order */
  lock(trx: Db, orderId: string): Promise<OrderRecord | undefined>;
  find(db: Db, orderId: string): Promise<OrderRecord | undefined>;
  /** the order if `user` may see it; another customer's order is a 404 */
  owned(user: AuthUser, orderId: string): Promise<OrderRecord>;
  lines(db: Db, orderId: string): Promise<ReturnableOrderLine[]>;
  /** a line on the order's timeline */
  note(
    trx: Db,
    orderId: string,
    actor: ActorRef,
    summary: string,
    details: Record<string, unknown>,
  ): Promise<void>;
  /** what is left of what was paid for the order, net of refunds */
  leftToRefund(db: Db, orderId: string): Promise<number>;
  /** refunds through the order's refund path with the key `orderly-<orderId>-return-<returnId>` */
  refund(
    order: OrderRecord,
    amount: number,
    actor: ActorRef,
    returnId: string,
    reason: string,
  ): Promise<{ refunded: number; failed: readonly unknown[] }>;
}

/** What it asks of fulfilment: per order line, how much was delivered and when. */
export interface ReturnFulfilment {
  deliveries(db: Db, orderId: string): Promise<DeliveredLine[]>;
}

/** What it asks of inventory: returned units back on a shelf, and where the shelves are. */
export interface ReturnInventory {
  restockAt(
    trx: Db,
    orderId: string,
    locationId: string,
    items: readonly { variantId: string; quantity: number }[],
    reason: string,
  ): Promise<void>;
  listLocations(db: Db): Promise<Array<{ id: string; name: string; active: boolean }>>;
  defaultLocation(db: Db): Promise<{ id: string; name: string }>;
}

export interface ReturnDeps {
  db: Db;
  log: Logger;
  orders: ReturnOrders;
  fulfilment: ReturnFulfilment;
  inventory: ReturnInventory;
  now?: () => Date;
}

export interface ReturnRequestInput {
  lines: Array<{ lineId: string; quantity: number }>;
  reason: ReturnReason;
  note?: string | undefined;
}

export interface ReceiptInput {
  lines: Array<{ lineId: string; disposition: 'restock' | 'write_off'; locationId?: string | undefined }>;
}

/** A delivered line the shopper may still return some of, and until when. */
export interface ReturnableLine {
  lineId: string;
  variantId: string;
  name: string;
  variantTitle: string;
  sku: string;
  returnable: number;
  until: Date;
}

/** A return with what its order's currency is, and for the admin what it would refund now. */
export interface ReturnView extends ReturnRecord {
  currency: string;
  /** minor units a refund would give back now; null unless the return is received */
  refundDue: ReturnRefund | null;
}

const problemError = (problem: ReturnProblem): AppError => {
  switch (problem.code) {
    case 'duplicate_line':
      return unprocessable('duplicate_line', 'Each line of the order may be named once in a return.', {
        lineIds: problem.lineIds,
      });
    case 'unknown_line':
      return unprocessable('unknown_line', 'A line of the return is not on this order.', {
        lineIds: problem.lineIds,
      });
    case 'not_delivered':
      return conflict(
        'not_returnable',
        'Only delivered items that are not in another return can be returned.',
        { lines: problem.lines },
      );
    case 'return_window_closed':
      return conflict(
        'return_window_closed',
        `Items can be returned within ${problem.windowDays} days of their delivery.`,
        { lineIds: problem.lineIds, windowDays: problem.windowDays },
      );
  }
};

const refusedError = (
  status: ReturnStatus,
  decision: Extract<ReturnType<typeof decideReturn>, { allowed: false }>,
) => conflict(decision.code, decision.reason, { status });

/**
 * The returns context (ADR 0028): a shopper asks to return delivered units, an admin approves or
 * rejects, receives the items (back on a shelf or written off) and refunds them through the
 * order's refund path. Every step is one transaction holding the order's lock, then the return's;
 * each writes the order's timeline, the audit log and its event in that transaction.
 */
export class ReturnService {
  readonly #deps: ReturnDeps;

  constructor(deps: ReturnDeps) {
    this.#deps = deps;
  }

  #now(): Date {
    return this.#deps.now?.() ?? new Date();
  }

  policy(): Promise<ReturnPolicy> {
    return store.policy(this.#deps.db);
  }

  async updatePolicy(
    user: AuthUser,
    change: { windowDays?: number | undefined; refundShipping?: boolean | undefined },
  ) {
    await writeTransaction(this.#deps.db, this.#deps.log, async (trx) => {
      const before = await store.policy(trx);
      await store.updatePolicy(trx, change, user.id);
      await recordAudit(trx, {
        actorId: user.id,
        action: 'returns.policy',
        targetType: 'return_policy',
        targetId: 'shop',
        details: {
          from: { windowDays: before.windowDays, refundShipping: before.refundShipping },
          to: change,
        },
      });
    });
    return this.policy();
  }

  /** The order's returns, and what may still be returned of it, for whoever may see the order. */
  async ofOrder(
    user: AuthUser,
    orderId: string,
  ): Promise<{ returns: ReturnView[]; returnable: ReturnableLine[] }> {
    const { db, orders, fulfilment } = this.#deps;
    const order = await orders.owned(user, orderId);
    const [found, deliveries, held, policy, lines] = await Promise.all([
      store.ofOrder(db, orderId),
      fulfilment.deliveries(db, orderId),
      store.heldUnits(db, orderId),
      store.policy(db),
      orders.lines(db, orderId),
    ]);
    const byId = new Map(lines.map((l) => [l.lineId, l]));
    const returnable = returnableLines(deliveries, held, policy.windowDays, this.#now()).flatMap((r) => {
      const line = byId.get(r.lineId);
      return line
        ? [
            {
              ...r,
              variantId: line.variantId,
              name: line.name,
              variantTitle: line.variantTitle,
              sku: line.sku,
            },
          ]
        : [];
    });
    return { returns: await Promise.all(found.map((r) => this.#view(db, order, r))), returnable };
  }

  async get(returnId: string): Promise<ReturnView> {
    const found = await store.find(this.#deps.db, returnId);
    if (!found) throw notFound('Return', returnId);
    const order = await this.#deps.orders.find(this.#deps.db, found.orderId);
    if (!order) throw notFound('Return', returnId);
    return this.#view(this.#deps.db, order, found);
  }

  async list(query: { status?: ReturnStatus | undefined; limit: number; cursor?: string | undefined }) {
    const after = decodeCursor(query.cursor, ['string']);
    const rows = await store.list(this.#deps.db, {
      status: query.status,
      limit: query.limit,
      after: (after?.[0] as string) ?? null,
    });
    const more = rows.length > query.limit;
    const page = more ? rows.slice(0, query.limit) : rows;
    const last = page[page.length - 1];
    const items = await Promise.all(
      page.map(async (r) => {
        const order = await this.#deps.orders.find(this.#deps.db, r.orderId);
        if (!order) throw notFound('Order', r.orderId);
        return this.#view(this.#deps.db, order, r);
      }),
    );
    return { items, nextCursor: more && last ? encodeCursor([last.id]) : null };
  }

  /** The shopper asks to return delivered units of their order. */
  async request(user: AuthUser, orderId: string, input: ReturnRequestInput): Promise<ReturnView> {
    const { db, log, orders, fulfilment } = this.#deps;
    await orders.owned(user, orderId);
    const actor: ActorRef = { kind: user.role === 'admin' ? 'admin' : 'customer', id: user.id };
    const returnId = uuidv7();
    await writeTransaction(db, log, async (trx) => {
      const order = await orders.lock(trx, orderId);
      if (!order) throw notFound('Order', orderId);
      const [deliveries, held, policy, lines] = [
        await fulfilment.deliveries(trx, orderId),
        await store.heldUnits(trx, orderId),
        await store.policy(trx),
        await orders.lines(trx, orderId),
      ];
      const problem = checkReturnable(input.lines, deliveries, held, policy.windowDays, this.#now());
      if (problem) throw problemError(problem);
      const byId = new Map(lines.map((l) => [l.lineId, l]));
      const returned = input.lines.map((r) => {
        const line = byId.get(r.lineId) as ReturnableOrderLine;
        return {
          lineId: r.lineId,
          variantId: line.variantId,
          name: line.name,
          variantTitle: line.variantTitle,
          sku: line.sku,
          quantity: r.quantity,
        };
      });
      await store.insert(trx, {
        id: returnId,
        orderId,
        orderNumber: order.number,
        reason: input.reason,
        note: input.note?.trim() || null,
        requestedBy: user.id,
        lines: returned,
      });
      const created = (await store.find(trx, returnId)) as ReturnRecord;
      await this.#record(trx, order, created, actor, {
        summary: `Return ${created.number} requested: ${itemsText(created)} (${REASON_WORDS[input.reason]})`,
        action: 'return.request',
        event: returnEvent('ReturnRequested', {
          ...facts(order, created, this.#now()),
          reason: input.reason,
          note: created.note,
        }),
      });
    });
    return this.get(returnId);
  }

  async approve(user: AuthUser, returnId: string): Promise<ReturnView> {
    return this.#step(user, returnId, 'approve', async (trx, order, found, actor) => {
      await this.#record(trx, order, found, actor, {
        summary: `Return ${found.number} approved`,
        action: 'return.approve',
        event: returnEvent('ReturnApproved', facts(order, found, this.#now())),
      });
    });
  }

  async reject(user: AuthUser, returnId: string, reason: string): Promise<ReturnView> {
    return this.#step(
      user,
      returnId,
      'reject',
      async (trx, order, found, actor) => {
        await this.#record(trx, order, found, actor, {
          summary: `Return ${found.number} rejected: ${reason}`,
          action: 'return.reject',
          details: { reason },
          event: returnEvent('ReturnRejected', { ...facts(order, found, this.#now()), reason }),
        });
      },
      { rejectionReason: reason },
    );
  }

  /**
   * The items are back: each line goes back on a shelf at a location, or is written off. When
   * nothing is left to refund (the order was refunded before), the return is closed at once.
   */
  async receive(user: AuthUser, returnId: string, input: ReceiptInput): Promise<ReturnView> {
    const { db, inventory } = this.#deps;
    const locations = await inventory.listLocations(db);
    const fallback = await inventory.defaultLocation(db);
    return this.#step(user, returnId, 'receive', async (trx, order, found, actor) => {
      const given = new Map(input.lines.map((l) => [l.lineId, l]));
      const missing = found.lines.filter((l) => !given.has(l.lineId)).map((l) => l.lineId);
      const unknown = input.lines
        .filter((l) => !found.lines.some((r) => r.lineId === l.lineId))
        .map((l) => l.lineId);
      if (missing.length > 0 || unknown.length > 0) {
        throw unprocessable(
          'receipt_lines',
          'Say for every line of the return, and only those, whether it is restocked or written off.',
          {
            missing,
            unknown,
          },
        );
      }
      const dispositions = found.lines.map((line) => {
        const choice = given.get(line.lineId) as ReceiptInput['lines'][number];
        const locationId = choice.disposition === 'restock' ? (choice.locationId ?? fallback.id) : null;
        return { line, disposition: choice.disposition, locationId };
      });
      const badLocations = dispositions
        .filter((d) => d.locationId !== null && !locations.some((l) => l.id === d.locationId && l.active))
        .map((d) => d.locationId);
      if (badLocations.length > 0) {
        throw unprocessable('unknown_location', 'Restock at an active stock location.', {
          locationIds: badLocations,
        });
      }
      await store.setDisposition(
        trx,
        found.id,
        dispositions.map((d) => ({
          lineId: d.line.lineId,
          disposition: d.disposition,
          locationId: d.locationId,
        })),
      );
      const byLocation = new Map<string, Array<{ variantId: string; quantity: number }>>();
      for (const d of dispositions) {
        if (d.locationId === null) continue;
        byLocation.set(d.locationId, [
          ...(byLocation.get(d.locationId) ?? []),
          { variantId: d.line.variantId, quantity: d.line.quantity },
        ]);
      }
      for (const [locationId, items] of [...byLocation].sort(([a], [b]) => a.localeCompare(b))) {
        await inventory.restockAt(trx, order.id, locationId, items, `return ${found.id}`);
      }
      const restocked = dispositions.flatMap((d) =>
        d.locationId === null
          ? []
          : [{ lineId: d.line.lineId, locationId: d.locationId, quantity: d.line.quantity }],
      );
      const writtenOff = dispositions
        .filter((d) => d.locationId === null)
        .map((d) => ({ lineId: d.line.lineId, quantity: d.line.quantity }));
      const names = new Map(locations.map((l) => [l.id, l.name]));
      const parts = [
        ...restocked.map(
          (r) =>
            `${r.quantity} × ${lineName(found, r.lineId)} back in stock at ${names.get(r.locationId) ?? 'a location'}`,
        ),
        ...writtenOff.map((w) => `${w.quantity} × ${lineName(found, w.lineId)} written off`),
      ];
      await this.#record(trx, order, found, actor, {
        summary: `Return ${found.number} received: ${parts.join('; ')}`,
        action: 'return.receive',
        details: { restocked, writtenOff },
        event: returnEvent('ReturnReceived', { ...facts(order, found, this.#now()), restocked, writtenOff }),
      });
      const due = await this.#refundDue(trx, order, found);
      if (due.total === 0) {
        const close = decideReturn('received', 'close', 0);
        if (!close.allowed) throw refusedError('received', close);
        await store.setStatus(trx, found.id, 'received', 'closed');
        await this.#record(trx, order, found, actor, {
          summary: `Return ${found.number} closed: nothing is left to refund`,
          action: 'return.close',
          event: returnEvent('ReturnClosed', facts(order, found, this.#now())),
        });
      }
    });
  }

  /**
   * Refunds a received return: the amount is worked out under the order's lock and must be the
   * one the admin confirmed (`expectedAmount`); the money moves outside any transaction, through
   * the order's refund path with one idempotency key per return, so the same refund sent twice
   * (or by two admins at once) gives money back once; the return is marked refunded after.
   */
  async refund(user: AuthUser, returnId: string, expectedAmount: number): Promise<ReturnView> {
    const { db, log, orders } = this.#deps;
    const actor: ActorRef = { kind: 'admin', id: user.id };
    const planned = await writeTransaction(db, log, async (trx) => {
      const { order, found } = await this.#locked(trx, returnId);
      if (found.status === 'refunded') return null;
      const due = await this.#refundDue(trx, order, found);
      const decision = decideReturn(found.status, 'refund', due.total);
      if (!decision.allowed) throw refusedError(found.status, decision);
      if (due.total !== expectedAmount) {
        throw conflict(
          'amount_changed',
          `The refund is now ${formatMoney(due.total, order.currency)}; confirm that amount.`,
          {
            amount: due.total,
            expected: expectedAmount,
          },
        );
      }
      return { order, found, due };
    });
    if (!planned) return this.get(returnId);
    const { order, found, due } = planned;
    const outcome = await orders.refund(order, due.total, actor, found.id, `Return ${found.number}`);
    if (outcome.refunded < due.total && outcome.failed.length === 0) {
      // the same key's refund is being made by another request (or the retry job) right now
      throw conflict('refund_in_progress', 'This refund is being made right now; look again in a moment.', {
        returnId,
      });
    }
    if (outcome.refunded < due.total) {
      throw new AppError(
        502,
        'refund_failed',
        'The payment provider did not take the refund; the return stays received. Try again, or see the order’s timeline.',
        { returnId },
      );
    }
    await writeTransaction(db, log, async (trx) => {
      const { order: now, found: current } = await this.#locked(trx, returnId);
      if (current.status === 'refunded') return;
      await store.setStatus(trx, current.id, 'received', 'refunded', {
        refund: outcome.refunded,
        shippingRefund: due.shipping,
      });
      await store.setLineRefunds(trx, current.id, due.lines);
      await this.#record(trx, now, current, actor, {
        summary: `Return ${current.number} refunded: ${formatMoney(outcome.refunded, now.currency)}`,
        action: 'return.refund',
        details: { amount: outcome.refunded, shipping: due.shipping, currency: now.currency },
        event: returnEvent('ReturnRefunded', {
          ...facts(now, current, this.#now()),
          amount: outcome.refunded,
          currency: now.currency,
        }),
      });
    });
    return this.get(returnId);
  }

  async #locked(trx: Db, returnId: string): Promise<{ order: OrderRecord; found: ReturnRecord }> {
    const peek = await store.find(trx, returnId);
    if (!peek) throw notFound('Return', returnId);
    const order = await this.#deps.orders.lock(trx, peek.orderId);
    const found = await store.lock(trx, returnId);
    if (!order || !found) throw notFound('Return', returnId);
    return { order, found };
  }

  /** One admin step of the state machine in one transaction: order locked, then the return. */
  async #step(
    user: AuthUser,
    returnId: string,
    action: ReturnAction,
    effects: (trx: Db, order: OrderRecord, found: ReturnRecord, actor: ActorRef) => Promise<void>,
    extra: { rejectionReason?: string } = {},
  ): Promise<ReturnView> {
    const actor: ActorRef = { kind: 'admin', id: user.id };
    await writeTransaction(this.#deps.db, this.#deps.log, async (trx) => {
      const { order, found } = await this.#locked(trx, returnId);
      const decision = decideReturn(found.status, action);
      if (!decision.allowed) throw refusedError(found.status, decision);
      await store.setStatus(trx, found.id, found.status, decision.to, extra);
      await effects(trx, order, found, actor);
    });
    return this.get(returnId);
  }

  async #refundDue(db: Db, order: OrderRecord, found: ReturnRecord): Promise<ReturnRefund> {
    const [lines, refunded, policy, left] = [
      await this.#deps.orders.lines(db, order.id),
      await store.refundedByReturns(db, order.id),
      await store.policy(db),
      await this.#deps.orders.leftToRefund(db, order.id),
    ];
    return returnRefund(
      found.lines,
      lines.map((l) => ({
        lineId: l.lineId,
        totals: l.totals,
        refundedQuantity: refunded.units.get(l.lineId) ?? 0,
      })),
      {
        total: order.pricing.shipping?.total ?? 0,
        refundShipping: policy.refundShipping,
        alreadyRefunded: refunded.shippingRefunded,
      },
      left,
    );
  }

  async #view(db: Db, order: OrderRecord, found: ReturnRecord): Promise<ReturnView> {
    return {
      ...found,
      currency: order.currency,
      refundDue: found.status === 'received' ? await this.#refundDue(db, order, found) : null,
    };
  }

  /** The timeline line, the audit record and the event of one step, in its transaction. */
  async #record(
    trx: Db,
    order: OrderRecord,
    found: ReturnRecord,
    actor: ActorRef,
    step: {
      summary: string;
      action: string;
      details?: Record<string, unknown>;
      event: Parameters<typeof appendEvents>[1][number];
    },
  ): Promise<void> {
    await this.#deps.orders.note(trx, order.id, actor, step.summary, { returnId: found.id, ...step.details });
    await recordAudit(trx, {
      actorId: actor.id,
      action: step.action,
      targetType: 'return',
      targetId: found.id,
      details: { orderId: order.id, number: found.number, ...step.details },
    });
    await appendEvents(trx, [step.event]);
  }
}

function facts(order: OrderRecord, found: ReturnRecord, now: Date): ReturnEventPayload<'ReturnApproved'> {
  return {
    orderId: order.id,
    returnId: found.id,
    number: found.number,
    customerId: order.customerId,
    lines: found.lines.map((l) => ({
      lineId: l.lineId,
      variantId: l.variantId,
      name: l.name,
      variantTitle: l.variantTitle,
      sku: l.sku,
      quantity: l.quantity,
    })),
    timestamp: now.toISOString(),
  };
}

function lineName(found: ReturnRecord, lineId: string): string {
  const line = found.lines.find((l) => l.lineId === lineId);
  if (!line) return 'an item';
  return line.variantTitle ? `${line.name} (${line.variantTitle})` : line.name;
}

function itemsText(found: ReturnRecord): string {
  return found.lines.map((l) => `${l.quantity} × ${lineName(found, l.lineId)}`).join(', ');
}
