import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { ActorRef } from '../orders/deps.ts';
import { assertChargeConfirmed } from '../orders/errors.ts';
import type { ExchangeChargeFound, ExchangePayment } from '../orders/returns.ts';
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
import * as charges from './exchange-charge-store.ts';
import { madeBefore, openCharge, recoverExchangeCharges, undoCharge } from './exchange-charges.ts';
import {
  REASON_WORDS,
  checkReturnable,
  decideReturn,
  exchangeBalance,
  priceReplacements,
  returnRefund,
  returnableLines,
  type DeliveredLine,
  type ExchangeOption,
  type ReturnAction,
  type ReturnCircumstances,
  type ReturnProblem,
  type ReturnReason,
  type ReturnRefund,
  type ReturnStatus,
} from './model.ts';
import * as store from './store.ts';
import type { ReturnLineRecord, ReturnPolicy, ReturnRecord } from './store.ts';

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
  findMany(db: Db, orderIds: readonly string[]): Promise<Map<string, OrderRecord>>;
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
  /** support's refund limit for `amount`, before anything is read: 403 `refund_limit_exceeded` */
  assertRefundLimit(user: AuthUser, amount: number): void;
  /** refunds through the order's refund path with the key `orderly-<orderId>-return-<returnId>` */
  refund(
    order: OrderRecord,
    amount: number,
    actor: ActorRef,
    returnId: string,
    reason: string,
  ): Promise<{ refunded: number; failed: readonly unknown[] }>;
  /**
   * gives back a cancelled or rejected exchange's charge, with the key
   * `orderly-<orderId>-return-<returnId>-cancel` or the return's own: at most `amount`, what is left
   * of it after the order's refunds; `requested` is what that came to (0: nothing is refunded)
   */
  refundDroppedExchange(
    order: OrderRecord,
    amount: number,
    actor: ActorRef,
    returnId: string,
    step: 'cancel' | 'reject',
    reason: string,
  ): Promise<{ refunded: number; failed: readonly unknown[]; requested: number }>;
  exchangeChargeKey(orderId: string, digest: string): string;
  /** charges a dearer exchange while the shopper waits; throws the charge's refusal */
  payExchange(
    order: OrderRecord,
    amount: number,
    paymentMethod: { type: string; token: string },
    key: string,
  ): Promise<ExchangePayment>;
  /** what the provider holds under an exchange charge's key, for a request that was lost */
  exchangeCharge(order: OrderRecord, amount: number, key: string): Promise<ExchangeChargeFound>;
  /** gives a recorded exchange charge back, with the key `<charge key>-undo` */
  refundExchangeCharge(
    order: OrderRecord,
    amount: number,
    key: string,
    reason: string,
  ): Promise<{ refunded: number; failed: readonly unknown[] }>;
}

/** What it asks of the catalog: what each variant's units may be exchanged for. */
export interface ReturnCatalog {
  exchangeOptions(variantIds: readonly string[]): Promise<Map<string, ExchangeOption[]>>;
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
  /** holds an exchange's replacements for the order, from the locations the allocation rule picks */
  reserve(
    trx: Db,
    orderId: string,
    items: readonly { variantId: string; quantity: number }[],
    ttlSeconds: number,
  ): Promise<
    | { ok: true }
    | { ok: false; shortages: Array<{ variantId: string; requested: number; available: number }> }
  >;
  /** the held replacements are the order's, paid for */
  commit(trx: Db, orderId: string): Promise<unknown>;
  /** an order's committed units that have not shipped go back on the shelf where they were allocated */
  restock(
    trx: Db,
    orderId: string,
    items: readonly { variantId: string; quantity: number }[],
    reason: string,
  ): Promise<void>;
  /** the replacements leave from a location */
  ship(
    trx: Db,
    orderId: string,
    locationId: string,
    items: readonly { variantId: string; quantity: number }[],
  ): Promise<void>;
}

export interface ReturnDeps {
  db: Db;
  log: Logger;
  orders: ReturnOrders;
  fulfilment: ReturnFulfilment;
  inventory: ReturnInventory;
  catalog: ReturnCatalog;
  /** how long a dearer exchange's charge may stay open before recovery asks the provider about it */
  recoveryAfterMs: number;
  now?: () => Date;
}

export interface ReturnRequestInput {
  /** `replacementVariantId`: exchange these units for that variant instead of a refund */
  lines: Array<{ lineId: string; quantity: number; replacementVariantId?: string | undefined }>;
  reason: ReturnReason;
  note?: string | undefined;
  /** pays a dearer exchange */
  paymentMethod?: { type: string; token: string } | undefined;
  /** minor units: the charge of quoteReturn the shopper agreed to pay */
  confirmedAmount?: number | undefined;
}

/** What a return would be, priced now: each line's replacement and difference, and the money. */
export interface ReturnQuote {
  lines: Array<{
    lineId: string;
    quantity: number;
    replacement: ExchangeOption | null;
    difference: number | null;
  }>;
  /** minor units charged when it is asked for (a dearer exchange); 0 otherwise */
  charge: number;
  /** minor units a cheaper exchange gives back with the return's refund */
  exchangeRefund: number;
}

export interface ReplacementShipmentInput {
  carrier: string;
  trackingNumber: string;
  trackingUrl?: string | null | undefined;
  /** omitted: the inventory's default location */
  locationId?: string | undefined;
}

/** How long an approved exchange's replacements are held: until they ship, in practice. */
const REPLACEMENT_HOLD_SECONDS = 366 * 86_400;

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
  /** the variants its units may be exchanged for */
  exchangeOptions: ExchangeOption[];
}

/** A return with what its order's currency is, and for the admin what it would refund now. */
export interface ReturnView extends ReturnRecord {
  currency: string;
  /** minor units a refund would give back now; null unless the return is received */
  refundDue: ReturnRefund | null;
  /** where an exchange's replacements left from, by name */
  replacementLocationName: string;
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
    case 'invalid_replacement':
      return unprocessable(
        'invalid_replacement',
        'An item can be exchanged only for another variant of the same product that is on sale.',
        { lineIds: problem.lineIds },
      );
  }
};

const refusedError = (
  status: ReturnStatus,
  decision: Extract<ReturnType<typeof decideReturn>, { allowed: false }>,
) => conflict(decision.code, decision.reason, { status });

/**
 * A refund made in part or not at all: the same key's refund is being made by another request
 * (or the retry job) right now, a 409, or the provider did not take it, a 502 saying `failure`.
 */
function assertRefunded(
  outcome: { refunded: number; failed: readonly unknown[] },
  amount: number,
  returnId: string,
  failure: string,
): void {
  if (outcome.refunded >= amount) return;
  if (outcome.failed.length === 0) {
    throw conflict('refund_in_progress', 'This refund is being made right now; look again in a moment.', {
      returnId,
    });
  }
  throw new AppError(502, 'refund_failed', failure, { returnId });
}

/** What a return's decisions need besides its status: whether its replacement left, whether it is being cancelled. */
export function returnCircumstances(found: ReturnRecord): ReturnCircumstances {
  return {
    replacementShipped: found.replacementShipment !== null,
    cancelling: found.cancelStartedAt !== null,
  };
}

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
    const open = returnableLines(deliveries, held, policy.windowDays, this.#now());
    const options = await this.#deps.catalog.exchangeOptions(
      open.flatMap((r) => {
        const line = byId.get(r.lineId);
        return line ? [line.variantId] : [];
      }),
    );
    const returnable = open.flatMap((r) => {
      const line = byId.get(r.lineId);
      return line
        ? [
            {
              ...r,
              variantId: line.variantId,
              name: line.name,
              variantTitle: line.variantTitle,
              sku: line.sku,
              exchangeOptions: options.get(line.variantId) ?? [],
            },
          ]
        : [];
    });
    const locations = await this.#locationsFor(db, found);
    return {
      returns: await Promise.all(found.map((r) => this.#view(db, order, r, locations))),
      returnable,
    };
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
    const orders = await this.#deps.orders.findMany(
      this.#deps.db,
      page.map((r) => r.orderId),
    );
    const locations = await this.#locationsFor(this.#deps.db, page);
    const items = await Promise.all(
      page.map((r) => {
        const order = orders.get(r.orderId);
        if (!order) throw notFound('Order', r.orderId);
        return this.#view(this.#deps.db, order, r, locations);
      }),
    );
    return { items, nextCursor: more && last ? encodeCursor([last.id]) : null };
  }

  /** What a return (or an exchange) of these lines would be, priced now, before anything moves. */
  async quote(user: AuthUser, orderId: string, lines: ReturnRequestInput['lines']): Promise<ReturnQuote> {
    const order = await this.#deps.orders.owned(user, orderId);
    const { orderLines: _lines, ...quote } = await this.#priced(
      this.#deps.db,
      order,
      lines,
      await this.#options(order.id, lines),
    );
    return quote;
  }

  /**
   * The shopper asks to return delivered units of their order, or to exchange them. A dearer
   * exchange is paid for first, outside any transaction, with a key of the request's content
   * written down before the provider is asked (ADR 0041): the same request sent again is charged
   * once and finds the return it made, and a charge whose request died is found by the recovery
   * job. If the return cannot be made after all (another return took the units meanwhile), the
   * charge goes back.
   */
  async request(user: AuthUser, orderId: string, input: ReturnRequestInput): Promise<ReturnView> {
    const { db, log, orders } = this.#deps;
    const seen = await orders.owned(user, orderId);
    const actor: ActorRef = { kind: user.role === 'admin' ? 'admin' : 'customer', id: user.id };
    if (input.paymentMethod && input.confirmedAmount) {
      // only the confirmed amount is ever charged, so it is the charge a request made was charged
      const made = await madeBefore(this.#deps, orderId, requestDigest(input, input.confirmedAmount));
      if (made) return this.get(made);
    }
    // read before any transaction: the catalog has connections of its own
    const options = await this.#options(orderId, input.lines);
    const quoted = await this.#priced(db, seen, input.lines, options);
    assertChargeConfirmed(seen.currency, quoted.charge, input, 'exchange');
    let payment: ExchangePayment | null = null;
    if (quoted.charge > 0 && input.paymentMethod) {
      const digest = requestDigest(input, quoted.charge);
      const opened = await openCharge(this.#deps, orderId, digest, quoted.charge);
      if (opened.returnId) return this.get(opened.returnId);
      payment = await orders.payExchange(seen, quoted.charge, input.paymentMethod, opened.key);
    }
    const returnId = uuidv7();
    let made: string;
    try {
      made = await writeTransaction(db, log, async (trx) => {
        const order = await orders.lock(trx, orderId);
        if (!order) throw notFound('Order', orderId);
        if (payment) {
          const charge = await charges.lock(trx, payment.key);
          // the same request sent twice at once: the other made the return this charge pays for
          if (charge?.returnId) return charge.returnId;
          if (charge?.status !== 'open') {
            throw conflict(
              'exchange_payment_expired',
              'The payment for this exchange took too long to be confirmed, so nothing was asked for and the payment is given back. Send the request again.',
              { orderId },
            );
          }
        }
        const priced = await this.#priced(trx, order, input.lines, options);
        if (priced.charge !== quoted.charge) {
          throw conflict(
            'amount_changed',
            `The exchange now costs ${formatMoney(priced.charge, order.currency)} more; review it and confirm again.`,
            { charge: priced.charge, confirmedAmount: quoted.charge },
          );
        }
        const byId = new Map(priced.orderLines.map((l) => [l.lineId, l]));
        const returned = priced.lines.map(
          (r): Omit<ReturnLineRecord, 'disposition' | 'locationId' | 'refund'> => {
            const line = byId.get(r.lineId) as ReturnableOrderLine;
            return {
              lineId: r.lineId,
              variantId: line.variantId,
              name: line.name,
              variantTitle: line.variantTitle,
              sku: line.sku,
              quantity: r.quantity,
              replacement: r.replacement && {
                variantId: r.replacement.variantId,
                name: r.replacement.name,
                variantTitle: r.replacement.title,
                sku: r.replacement.sku,
                unitPrice: r.replacement.unitPriceMinor,
              },
              difference: r.difference,
            };
          },
        );
        if (payment) await payment.record(trx);
        await store.insert(trx, {
          id: returnId,
          orderId,
          orderNumber: order.number,
          reason: input.reason,
          note: input.note?.trim() || null,
          requestedBy: user.id,
          lines: returned,
          exchangeCharge: payment ? { amount: payment.amount, key: payment.key } : undefined,
        });
        if (payment) await charges.setStatus(trx, payment.key, ['open'], { made: returnId });
        const created = (await store.find(trx, returnId)) as ReturnRecord;
        const kind = created.lines.some((l) => l.replacement) ? 'Exchange' : 'Return';
        await this.#record(trx, order, created, actor, {
          summary: `${kind} ${created.number} requested: ${itemsText(created)} (${REASON_WORDS[input.reason]})${
            payment ? `; ${formatMoney(payment.amount, order.currency)} paid for the difference` : ''
          }`,
          action: 'return.request',
          event: returnEvent('ReturnRequested', {
            ...facts(order, created, this.#now()),
            reason: input.reason,
            note: created.note,
          }),
        });
        return returnId;
      });
    } catch (error) {
      if (payment) await undoCharge(this.#deps, payment, orderId);
      throw error;
    }
    return this.get(made);
  }

  /** The recovery job's pass over dearer exchanges' charges whose request died (ADR 0041). */
  recoverExchangeCharges(): Promise<number> {
    return recoverExchangeCharges(this.#deps);
  }

  /** What the units of each line to be exchanged may be swapped for, by the line's variant. */
  async #options(
    orderId: string,
    requested: ReturnRequestInput['lines'],
  ): Promise<Map<string, ExchangeOption[]>> {
    const exchanged = new Set(requested.filter((r) => r.replacementVariantId).map((r) => r.lineId));
    if (exchanged.size === 0) return new Map();
    const lines = await this.#deps.orders.lines(this.#deps.db, orderId);
    return this.#deps.catalog.exchangeOptions(
      lines.filter((l) => exchanged.has(l.lineId)).map((l) => l.variantId),
    );
  }

  /**
   * The lines as a return would take them, checked against what may be returned and what each
   * may be exchanged for (`options`, by variant), with each replacement's difference and what is
   * charged or given back; and the order's lines it read, for the return to be written from.
   */
  async #priced(
    db: Db,
    order: OrderRecord,
    requested: ReturnRequestInput['lines'],
    options: ReadonlyMap<string, ExchangeOption[]>,
  ): Promise<ReturnQuote & { orderLines: ReturnableOrderLine[] }> {
    const { orders, fulfilment } = this.#deps;
    const [deliveries, held, policy, lines] = [
      await fulfilment.deliveries(db, order.id),
      await store.heldUnits(db, order.id),
      await store.policy(db),
      await orders.lines(db, order.id),
    ];
    const problem = checkReturnable(requested, deliveries, held, policy.windowDays, this.#now());
    if (problem) throw problemError(problem);
    const priced = priceReplacements(
      requested,
      new Map(lines.map((l) => [l.lineId, { totals: l.totals, options: options.get(l.variantId) ?? [] }])),
      order.pricing.pricesIncludeTax,
    );
    if (!priced.ok) throw problemError(priced.problem);
    const balance = exchangeBalance(priced.lines);
    return {
      lines: priced.lines.map((l) => ({
        lineId: l.lineId,
        quantity: l.quantity,
        replacement: l.replacement,
        difference: l.difference,
      })),
      charge: Math.max(0, balance),
      exchangeRefund: Math.max(0, -balance),
      orderLines: lines,
    };
  }

  /** Approves a return; an exchange's replacements are taken from stock for the order now. */
  async approve(user: AuthUser, returnId: string): Promise<ReturnView> {
    const { inventory } = this.#deps;
    return this.#step(user, returnId, 'approve', async (trx, order, found, actor) => {
      const replacements = replacementItems(found);
      if (replacements.length > 0) {
        const held = await inventory.reserve(trx, order.id, replacements, REPLACEMENT_HOLD_SECONDS);
        if (!held.ok) {
          throw conflict(
            'replacement_out_of_stock',
            'Not enough of the replacement is in stock to approve this exchange.',
            { shortages: held.shortages },
          );
        }
        await inventory.commit(trx, order.id);
      }
      await this.#record(trx, order, found, actor, {
        summary: `${replacements.length > 0 ? 'Exchange' : 'Return'} ${found.number} approved`,
        action: 'return.approve',
        event: returnEvent('ReturnApproved', facts(order, found, this.#now())),
      });
    });
  }

  /**
   * Rejects a return; what a dearer exchange charged goes back to the shopper after, as a
   * cancellation gives it back: at most the charge, what the order's refunds left of it (ADR 0040).
   * The refund's own line and email say how much; when nothing was left, the timeline says so.
   */
  async reject(user: AuthUser, returnId: string, reason: string): Promise<ReturnView> {
    const { db, log, orders } = this.#deps;
    const rejected = await this.#step(
      user,
      returnId,
      'reject',
      async (trx, order, found, actor) => {
        await this.#record(trx, order, found, actor, {
          summary: `${returnTitle(found)} rejected: ${reason}`,
          action: 'return.reject',
          details: { reason },
          event: returnEvent('ReturnRejected', { ...facts(order, found, this.#now()), reason }),
        });
      },
      { rejectionReason: reason },
    );
    if (rejected.exchangeCharge === 0) return rejected;
    const order = await orders.find(db, rejected.orderId);
    if (!order) throw notFound('Order', rejected.orderId);
    const outcome = await orders.refundDroppedExchange(
      order,
      rejected.exchangeCharge,
      { kind: 'admin', id: user.id },
      rejected.id,
      'reject',
      `Exchange ${rejected.number} rejected`,
    );
    if (outcome.requested === 0) {
      // no refund was made, so no refund's line or email says what became of the charge
      await writeTransaction(db, log, async (trx) => {
        await orders.lock(trx, order.id);
        await orders.note(
          trx,
          order.id,
          { kind: 'admin', id: user.id },
          `Exchange ${rejected.number}: nothing is left to refund of the ${formatMoney(rejected.exchangeCharge, order.currency)} paid for it: the order’s refunds gave it back`,
          { returnId: rejected.id, refunded: 0 },
        );
      });
    } else if (outcome.refunded < outcome.requested) {
      log.warn({ returnId }, 'the charge of a rejected exchange is not refunded yet');
    }
    return rejected;
  }

  /** The shop cancels a return or an exchange whose items have not come back, with the reason the customer is told. */
  cancel(user: AuthUser, returnId: string, reason: string | null): Promise<ReturnView> {
    return this.#cancel({ kind: 'admin', id: user.id }, returnId, reason);
  }

  /** The shopper withdraws their own return (of their order, or a guest's with its link) before the items come back. */
  async withdraw(user: AuthUser, orderId: string, returnId: string): Promise<ReturnView> {
    await this.#deps.orders.owned(user, orderId);
    const found = await store.find(this.#deps.db, returnId);
    if (!found || found.orderId !== orderId) throw notFound('Return', returnId);
    return this.#cancel({ kind: user.role === 'admin' ? 'admin' : 'customer', id: user.id }, returnId, null);
  }

  /**
   * Cancels a requested or approved return: an approved exchange's replacements go back on the
   * shelf, and a dearer exchange's charge goes back to the shopper. That refund is made the way a
   * return's refund is: decided under the locks, the money moved outside any transaction with a
   * key of its own, the return cancelled after. Meanwhile the return is marked as being cancelled,
   * so no other step (a receipt, a rejection that would refund the charge again) moves it. When
   * the provider does not take the refund, the return stays as it was and sending the
   * cancellation again finishes it with the same key; a refund refused for good lifts the mark.
   */
  async #cancel(actor: ActorRef, returnId: string, reason: string | null): Promise<ReturnView> {
    const { db, log, orders } = this.#deps;
    const pending = await writeTransaction(db, log, async (trx) => {
      const { order, found } = await this.#locked(trx, returnId);
      const decision = decideReturn(found.status, 'cancel', undefined, returnCircumstances(found));
      if (!decision.allowed) throw refusedError(found.status, decision);
      if (found.exchangeCharge === 0) {
        await this.#cancelled(trx, order, found, actor, reason, 0);
        return null;
      }
      if (!found.cancelStartedAt) await store.setCancelStarted(trx, found.id, this.#now());
      return { order, found };
    });
    if (!pending) return this.get(returnId);
    const { order, found } = pending;
    let outcome: { refunded: number; failed: readonly unknown[]; requested: number };
    try {
      outcome = await orders.refundDroppedExchange(
        order,
        found.exchangeCharge,
        actor,
        found.id,
        'cancel',
        `${returnTitle(found)} cancelled`,
      );
    } catch (error) {
      // refused for good (a 4xx): no money will move under this key, so the return may go on otherwise
      if (error instanceof AppError && error.statusCode < 500) await this.#cancelAbandoned(returnId);
      throw error;
    }
    // less than the charge when the order's refunds gave some back (nothing, after a refund of the whole)
    assertRefunded(
      outcome,
      outcome.requested,
      returnId,
      'The payment provider did not take the refund of the exchange’s charge; the return stays as it was. Try again, or see the order’s timeline.',
    );
    await writeTransaction(db, log, async (trx) => {
      const { order: now, found: current } = await this.#locked(trx, returnId);
      if (current.status === 'cancelled') return;
      const decision = decideReturn(current.status, 'cancel', undefined, returnCircumstances(current));
      if (!decision.allowed) throw refusedError(current.status, decision);
      await this.#cancelled(trx, now, current, actor, reason, outcome.refunded);
    });
    return this.get(returnId);
  }

  /** The return is cancelled in this transaction: its replacements back on the shelf, recorded and told. */
  async #cancelled(
    trx: Db,
    order: OrderRecord,
    found: ReturnRecord,
    actor: ActorRef,
    reason: string | null,
    refunded: number,
  ): Promise<void> {
    const by = actor.kind === 'admin' ? 'admin' : 'customer';
    await store.setStatus(trx, found.id, found.status, 'cancelled', { cancellation: { by, reason } });
    // approval took the replacements from stock for the order; nothing was taken before it
    const released = found.status === 'approved' ? replacementItems(found) : [];
    if (released.length > 0) {
      await this.#deps.inventory.restock(trx, order.id, released, `return ${found.id} cancelled`);
    }
    const title = returnTitle(found);
    await this.#record(trx, order, found, actor, {
      summary: [
        by === 'customer' ? `${title} withdrawn by the customer` : `${title} cancelled`,
        reason ? `: ${reason}` : '',
        released.length > 0 ? '; the replacement is back in stock' : '',
      ].join(''),
      action: 'return.cancel',
      details: { cancelledBy: by, reason, refunded, released },
      event: returnEvent('ReturnCancelled', {
        ...facts(order, found, this.#now()),
        cancelledBy: by,
        reason,
        refunded,
        currency: order.currency,
      }),
    });
  }

  /** A cancellation whose refund was refused for good no longer holds the return back. */
  async #cancelAbandoned(returnId: string): Promise<void> {
    await writeTransaction(this.#deps.db, this.#deps.log, async (trx) => {
      const { found } = await this.#locked(trx, returnId);
      if (found.cancelStartedAt && found.status !== 'cancelled') {
        await store.setCancelStarted(trx, found.id, null);
      }
    });
  }

  /**
   * An approved exchange's replacements leave in one parcel from a location: the units held at
   * approval are shipped, and the shopper is told with the tracking link.
   */
  async shipReplacement(
    user: AuthUser,
    returnId: string,
    input: ReplacementShipmentInput,
  ): Promise<ReturnView> {
    const { db, log, inventory } = this.#deps;
    const actor: ActorRef = { kind: 'admin', id: user.id };
    const locationId = input.locationId ?? (await inventory.defaultLocation(db)).id;
    const locations = await inventory.listLocations(db);
    await writeTransaction(db, log, async (trx) => {
      const { order, found } = await this.#locked(trx, returnId);
      const items = replacementItems(found);
      if (items.length === 0) {
        throw conflict('not_an_exchange', 'This return replaces nothing: it is refunded instead.', {
          returnId,
        });
      }
      const refusal = replacementRefusal(found);
      if (refusal) throw conflict(refusal.code, refusal.reason, { status: found.status });
      await inventory.ship(trx, order.id, locationId, items);
      const parcel = {
        locationId,
        carrier: input.carrier,
        trackingNumber: input.trackingNumber,
        trackingUrl: input.trackingUrl ?? null,
      };
      await store.setReplacementShipment(trx, found.id, parcel);
      const where = locations.find((l) => l.id === locationId)?.name ?? 'a location';
      await this.#record(trx, order, found, actor, {
        summary: `Exchange ${found.number}: replacement shipped from ${where} with ${input.carrier} ${input.trackingNumber}`,
        action: 'return.ship_replacement',
        details: parcel,
        event: returnEvent('ExchangeShipped', { ...facts(order, found, this.#now()), ...parcel }),
      });
    });
    return this.get(returnId);
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
        summary: `${returnTitle(found)} received: ${parts.join('; ')}`,
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
          summary: `${returnTitle(found)} closed: nothing is left to refund`,
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
    // The confirmed amount is the only one that can move (any other is 409 amount_changed), so
    // support's limit is checked on it before anything is read, as the order's refund route does.
    orders.assertRefundLimit(user, expectedAmount);
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
    const outcome = await orders.refund(order, due.total, actor, found.id, returnTitle(found));
    assertRefunded(
      outcome,
      due.total,
      returnId,
      'The payment provider did not take the refund; the return stays received. Try again, or see the order’s timeline.',
    );
    await writeTransaction(db, log, async (trx) => {
      const { order: now, found: current } = await this.#locked(trx, returnId);
      // the refund job may have finished it meanwhile (`refundCompleted`)
      if (current.status === 'refunded') return;
      await this.#refunded(trx, now, current, actor, outcome.refunded, due);
    });
    return this.get(returnId);
  }

  /**
   * For the refund retry job (ADR 0040), in the transaction that records the refund it
   * completed under a return's key, which holds the order's lock: the return is refunded as
   * `refund` leaves it, by the job's actor. Once: a return refunded already (the admin's request
   * finished first) is left alone, and so is one that is not received (a rejected exchange's
   * charge goes back under the return's key too).
   */
  async refundCompleted(
    trx: Db,
    refund: { orderId: string; returnId: string; amount: number },
    actor: ActorRef,
  ): Promise<void> {
    const order = await this.#deps.orders.lock(trx, refund.orderId);
    const found = await store.lock(trx, refund.returnId);
    if (!order || !found || found.orderId !== order.id || found.status !== 'received') return;
    // the lines and shipping as the admin's request had them; the cap by what is left of the
    // payments has moved since (the refund took it), so the amount is the refund's own
    await this.#refunded(trx, order, found, actor, refund.amount, await this.#refundDue(trx, order, found));
  }

  /** A received return's refund went through: refunded in this transaction, recorded and told. */
  async #refunded(
    trx: Db,
    order: OrderRecord,
    found: ReturnRecord,
    actor: ActorRef,
    amount: number,
    due: Pick<ReturnRefund, 'lines' | 'shipping'>,
  ): Promise<void> {
    await store.setStatus(trx, found.id, 'received', 'refunded', {
      refund: amount,
      shippingRefund: due.shipping,
    });
    await store.setLineRefunds(trx, found.id, due.lines);
    await this.#record(trx, order, found, actor, {
      summary: `${returnTitle(found)} refunded: ${formatMoney(amount, order.currency)}`,
      action: 'return.refund',
      details: { amount, shipping: due.shipping, currency: order.currency },
      event: returnEvent('ReturnRefunded', {
        ...facts(order, found, this.#now()),
        amount,
        currency: order.currency,
      }),
    });
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
      const decision = decideReturn(found.status, action, undefined, returnCircumstances(found));
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

  /**
   * A return as answered: with its refund due and where its replacement left from. A page of
   * returns passes the locations it read once (`#locationsFor`).
   */
  async #view(
    db: Db,
    order: OrderRecord,
    found: ReturnRecord,
    locations?: ReadonlyArray<{ id: string; name: string }>,
  ): Promise<ReturnView> {
    const named = locations ?? (await this.#locationsFor(db, [found]));
    return {
      ...found,
      currency: order.currency,
      refundDue: found.status === 'received' ? await this.#refundDue(db, order, found) : null,
      replacementLocationName: named.find((l) => l.id === found.replacementShipment?.locationId)?.name ?? '',
    };
  }

  /** The stock locations, when one of these returns' replacements has left from one. */
  async #locationsFor(db: Db, returns: readonly ReturnRecord[]) {
    return returns.some((r) => r.replacementShipment) ? this.#deps.inventory.listLocations(db) : [];
  }

  /**
   * The timeline line, the audit record and the event of one step, in its transaction. A step
   * of the system's (the refund job's) is no person's action: on the timeline, not in the audit log.
   */
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
    if (actor.kind !== 'system') {
      await recordAudit(trx, {
        actorId: actor.id,
        action: step.action,
        targetType: 'return',
        targetId: found.id,
        details: { orderId: order.id, number: found.number, ...step.details },
      });
    }
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
    replacements: found.lines.flatMap((l) =>
      l.replacement && l.difference !== null
        ? [
            {
              lineId: l.lineId,
              variantId: l.replacement.variantId,
              name: l.replacement.name,
              variantTitle: l.replacement.variantTitle,
              sku: l.replacement.sku,
              quantity: l.quantity,
              difference: l.difference,
            },
          ]
        : [],
    ),
    timestamp: now.toISOString(),
  };
}

/** The variants and units an exchange sends instead of what came back. */
function replacementItems(found: ReturnRecord): Array<{ variantId: string; quantity: number }> {
  return found.lines.flatMap((l) =>
    l.replacement ? [{ variantId: l.replacement.variantId, quantity: l.quantity }] : [],
  );
}

/** Why an exchange's replacements cannot leave now, or null when they can. */
export function replacementRefusal(found: ReturnRecord): { code: string; reason: string } | null {
  if (found.replacementShipment) {
    return { code: 'replacement_shipped', reason: 'The replacement of this exchange has already shipped.' };
  }
  if (found.status === 'requested') {
    return { code: 'exchange_not_approved', reason: 'Approve the exchange before its replacement ships.' };
  }
  if (found.status === 'rejected') {
    return { code: 'exchange_rejected', reason: 'The exchange was rejected: nothing is sent.' };
  }
  if (found.status === 'cancelled') {
    return { code: 'exchange_cancelled', reason: 'The exchange was cancelled: nothing is sent.' };
  }
  if (found.cancelStartedAt) {
    const cancelling = decideReturn(found.status, 'receive', undefined, { cancelling: true });
    if (!cancelling.allowed) return { code: cancelling.code, reason: cancelling.reason };
  }
  return null;
}

/** The same request (its lines, the charge, the card) gives the same charge key. */
function requestDigest(input: ReturnRequestInput, charge: number): string {
  const lines = [...input.lines]
    .sort((a, b) => a.lineId.localeCompare(b.lineId))
    .map((l) => [l.lineId, l.quantity, l.replacementVariantId ?? null]);
  return createHash('sha256')
    .update(JSON.stringify([lines, charge, input.paymentMethod?.token ?? null]))
    .digest('hex')
    .slice(0, 32);
}

function lineName(found: ReturnRecord, lineId: string): string {
  const line = found.lines.find((l) => l.lineId === lineId);
  if (!line) return 'an item';
  return line.variantTitle ? `${line.name} (${line.variantTitle})` : line.name;
}

/** "Exchange 2" when some of its lines are swapped for another variant, "Return 2" otherwise. */
function returnTitle(found: ReturnRecord): string {
  return `${found.lines.some((l) => l.replacement) ? 'Exchange' : 'Return'} ${found.number}`;
}

function itemsText(found: ReturnRecord): string {
  return found.lines.map((l) => `${l.quantity} × ${lineName(found, l.lineId)}`).join(', ');
}
