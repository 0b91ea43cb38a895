import type { Logger } from 'pino';
import type { CatalogService } from '../catalog/service.ts';
import type { InventoryService } from '../inventory/service.ts';
import type { PaymentService, ChargeOutcome } from '../payment/service.ts';
import type { PaymentSummary } from '../payment/model.ts';
import type { AuthUser } from '../platform/auth/model.ts';
import type { Db } from '../platform/db.ts';
import { AppError, conflict, notFound, unprocessable, type ErrorBody } from '../platform/errors.ts';
import { uuidv7 } from '../platform/ids.ts';
import { formatMoney } from '../platform/money.ts';
import { decodeCursor, encodeCursor } from '../platform/pagination.ts';
import { appendEvents } from '../platform/outbox.ts';
import type { ShippingAddressJson } from '../platform/schema.ts';
import type { OrderEvent } from './events.ts';
import {
  actionsFor,
  allowedActions,
  decide,
  orderTotal,
  priceLines,
  type Actor,
  type OrderAction,
  type OrderStatus,
  type PricedLine,
  type PricingProblem,
  type RequestedLine,
} from './model.ts';
import * as store from './store.ts';
import type { HistoryEntry, OrderRecord, OrderWithLines } from './store.ts';

/** Everything a person sees of an order. */
export interface OrderView extends OrderWithLines {
  payment: PaymentSummary;
  actions: ReturnType<typeof actionsFor>;
}

export interface PlaceOrderInput {
  items: RequestedLine[];
  shippingAddress: ShippingAddressJson;
  paymentMethod: { type: string; token: string };
}

export interface Placed {
  order: OrderView;
  /** set while the customer must still authenticate the payment (3-D Secure) */
  clientSecret: string | null;
}

export interface ActorRef {
  kind: Actor;
  id: string | null;
}

const event = (type: OrderEvent['type'], orderId: string, payload: object): OrderEvent =>
  ({ type, context: 'orders', aggregateId: orderId, payload }) as OrderEvent;

const now = () => new Date().toISOString();

function pricingError(problem: PricingProblem): AppError {
  switch (problem.kind) {
    case 'unknown_products':
      return new AppError(404, 'product_not_found', 'A product in the order does not exist.', {
        productIds: problem.productIds,
      });
    case 'unavailable_products':
      return conflict('product_unavailable', 'A product in the order is no longer sold.', {
        productIds: problem.productIds,
      });
    case 'currency_mismatch':
      return unprocessable('currency_mismatch', 'A product is priced in another currency.', {
        productIds: problem.productIds,
      });
    case 'price_changed':
      return conflict(
        'price_changed',
        'A price changed since you saw it. Review the new prices and try again.',
        {
          items: problem.items,
        },
      );
  }
}

function invalidTransition(status: OrderStatus, reason: string): AppError {
  return conflict('invalid_transition', reason, { status, allowed: allowedActions(status) });
}

const CANCELLATION_WORDS: Record<string, string> = {
  payment_declined: 'the payment was declined',
  payment_unavailable: 'the payment provider could not be reached',
  payment_not_completed: 'the payment was not completed in time',
};

/**
 * The order-management context: places orders (reserve → pay → record), settles payments
 * whichever way their result arrives, and moves orders through their lifecycle.
 */
export class OrderService {
  readonly #db: Db;
  readonly #catalog: CatalogService;
  readonly #inventory: InventoryService;
  readonly #payment: PaymentService;
  readonly #log: Logger;
  readonly #recoveryAfterMs: number;

  constructor(deps: {
    db: Db;
    catalog: CatalogService;
    inventory: InventoryService;
    payment: PaymentService;
    log: Logger;
    paymentRecoveryAfterSeconds: number;
  }) {
    this.#db = deps.db;
    this.#catalog = deps.catalog;
    this.#inventory = deps.inventory;
    this.#payment = deps.payment;
    this.#log = deps.log;
    this.#recoveryAfterMs = deps.paymentRecoveryAfterSeconds * 1000;
  }

  // ---------------------------------------------------------------- placing an order

  /**
   * Reserve in one transaction, pay outside any transaction, record the result in a second.
   * With an idempotency key, a repeat of the same request answers with the first result.
   */
  async place(
    user: AuthUser,
    input: PlaceOrderInput,
    idempotency?: { key: string; requestHash: string },
  ): Promise<Placed> {
    if (idempotency) {
      const replay = await this.#replay(user, idempotency);
      if (replay) return replay;
    }
    const products = await this.#catalog.findMany(input.items.map((i) => i.productId));
    const priced = priceLines(input.items, products, this.#catalog.currency);
    if (!priced.ok) throw pricingError(priced.problem);
    const { lines, total } = priced;
    const currency = this.#catalog.currency;
    const orderId = uuidv7();

    const claimed = await this.#db.transaction().execute(async (trx) => {
      if (
        idempotency &&
        !(await store.claimIdempotencyKey(trx, user.id, idempotency.key, idempotency.requestHash, orderId))
      ) {
        return false;
      }
      await store.insertOrder(
        trx,
        { id: orderId, customerId: user.id, currency, total, shippingAddress: input.shippingAddress },
        lines,
        {
          type: 'status',
          status: 'pending',
          actor: 'customer',
          actorId: user.id,
          summary: 'Order placed',
        },
      );
      const reserved = await this.#inventory.reserve(trx, orderId, lines);
      if (!reserved.ok) {
        throw conflict('out_of_stock', this.#shortageMessage(reserved.shortages, lines), {
          items: reserved.shortages,
        });
      }
      await appendEvents(trx, [
        event('OrderPlaced', orderId, {
          orderId,
          customerId: user.id,
          items: lines.map((l) => ({
            productId: l.productId,
            name: l.name,
            quantity: l.quantity,
            unitPrice: l.unitPrice,
          })),
          total,
          currency,
          timestamp: now(),
        }),
      ]);
      return true;
    });
    if (!claimed && idempotency) {
      const replay = await this.#replay(user, idempotency);
      if (replay) return replay;
      throw conflict('idempotency_in_progress', 'This request is already being processed.');
    }

    const chargeKey = this.#payment.chargeKey(orderId);
    const outcome = await this.#payment.charge({
      orderId,
      amount: { amount: total, currency },
      paymentMethod: input.paymentMethod,
      idempotencyKey: chargeKey,
      description: `Orderly order ${orderId}`,
    });
    await this.settlePayment(orderId, outcome, idempotency && { customerId: user.id, key: idempotency.key });
    return this.#placedResult(user, orderId, outcome);
  }

  #shortageMessage(
    shortages: Array<{ productId: string; available: number }>,
    lines: readonly PricedLine[],
  ): string {
    const names = shortages.map((s) => {
      const name = lines.find((l) => l.productId === s.productId)?.name ?? 'a product';
      return s.available === 0 ? `${name} is out of stock` : `only ${s.available} of ${name} left`;
    });
    const text = names.join('; ');
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  }

  async #placedResult(user: AuthUser, orderId: string, outcome: ChargeOutcome): Promise<Placed> {
    if (outcome.status === 'declined')
      throw new AppError(402, 'payment_declined', outcome.message, this.#declineDetails(orderId, outcome));
    if (outcome.status === 'unavailable') throw this.#unavailableError(orderId);
    if (outcome.status === 'unknown') {
      throw new AppError(
        502,
        'payment_pending',
        'We could not confirm your payment with the payment provider. Your order is on hold and will be confirmed or cancelled automatically within minutes; you will not be charged twice.',
        { orderId },
      );
    }
    return {
      order: await this.get(user, orderId),
      clientSecret: outcome.status === 'requires_action' ? outcome.clientSecret : null,
    };
  }

  #declineDetails(orderId: string, outcome: { code: string; declineCode: string | null }) {
    return { orderId, code: outcome.code, declineCode: outcome.declineCode };
  }

  #unavailableError(orderId: string): AppError {
    return new AppError(
      502,
      'payment_unavailable',
      'The payment provider could not be reached and your card was not charged. Please try again in a moment.',
      { orderId },
    );
  }

  async #replay(user: AuthUser, idempotency: { key: string; requestHash: string }): Promise<Placed | null> {
    const record = await store.findIdempotencyKey(this.#db, user.id, idempotency.key);
    if (!record) return null;
    if (record.requestHash !== idempotency.requestHash) {
      throw unprocessable(
        'idempotency_key_reused',
        'This Idempotency-Key was already used with a different request. Use a new key for a new order.',
      );
    }
    if (record.responseStatus !== null && record.responseStatus >= 400) {
      const body = record.responseBody as ErrorBody;
      throw new AppError(record.responseStatus, body.code, body.message, body.details);
    }
    if (!record.orderId) return null;
    const order = await store.find(this.#db, record.orderId);
    if (!order) return null;
    if (order.status === 'pending' && order.paymentStatus === 'pending') {
      throw conflict(
        'idempotency_in_progress',
        'This request is still being processed. Try again in a moment.',
        {
          orderId: order.id,
        },
      );
    }
    return { order: await this.get(user, order.id), clientSecret: null };
  }

  /**
   * The one place a payment result changes an order, whether it comes from the synchronous
   * answer, a webhook, or the recovery job; any order of arrival, any number of times, ends in
   * the same state. Money that arrives for an order that can no longer be fulfilled is refunded.
   */
  async settlePayment(
    orderId: string,
    outcome: ChargeOutcome,
    idempotency?: { customerId: string; key: string },
  ): Promise<void> {
    const chargeKey = this.#payment.chargeKey(orderId);
    const refundNeeded = await this.#db.transaction().execute(async (trx) => {
      const order = await store.find(trx, orderId, true);
      if (!order) return false;
      const charge = { orderId, idempotencyKey: chargeKey, amount: order.total, currency: order.currency };
      switch (outcome.status) {
        case 'succeeded': {
          const newlyPaid = await this.#payment.record(trx, charge, outcome);
          if (order.status === 'pending') {
            await this.#inventory.commit(trx, orderId);
            await store.transition(trx, orderId, ['pending'], { status: 'confirmed', paymentStatus: 'paid' });
            await store.addHistory(trx, orderId, [
              {
                type: 'payment',
                status: null,
                actor: 'system',
                actorId: null,
                summary: `Payment of ${formatMoney(order.total, order.currency)} received`,
              },
              {
                type: 'status',
                status: 'confirmed',
                actor: 'system',
                actorId: null,
                summary: 'Order confirmed',
              },
            ]);
            await appendEvents(trx, [
              event('OrderConfirmed', orderId, {
                orderId,
                customerId: order.customerId,
                total: order.total,
                currency: order.currency,
                timestamp: now(),
              }),
            ]);
            if (idempotency)
              await store.saveIdempotentResponse(trx, idempotency.customerId, idempotency.key, 201, null);
            return false;
          }
          return newlyPaid && order.status === 'cancelled';
        }
        case 'requires_action': {
          await this.#payment.record(trx, charge, outcome);
          if (order.status === 'pending' && order.paymentStatus !== 'requires_action') {
            await store.setPaymentStatus(trx, orderId, 'requires_action');
            await store.addHistory(trx, orderId, [
              {
                type: 'payment',
                status: null,
                actor: 'system',
                actorId: null,
                summary: 'Waiting for the customer to authenticate the payment',
              },
            ]);
          }
          if (idempotency)
            await store.saveIdempotentResponse(trx, idempotency.customerId, idempotency.key, 201, null);
          return false;
        }
        case 'declined': {
          await this.#payment.record(trx, charge, outcome);
          if (order.status === 'pending') {
            await this.#cancelInTransaction(
              trx,
              order,
              { kind: 'system', id: null },
              'payment_declined',
              'failed',
            );
          }
          if (idempotency) {
            await store.saveIdempotentResponse(trx, idempotency.customerId, idempotency.key, 402, {
              code: 'payment_declined',
              message: outcome.message,
              details: this.#declineDetails(orderId, outcome),
            });
          }
          return false;
        }
        case 'unavailable': {
          await this.#payment.recordUnreachable(trx, orderId);
          if (order.status === 'pending') {
            await this.#cancelInTransaction(
              trx,
              order,
              { kind: 'system', id: null },
              'payment_unavailable',
              'failed',
            );
          }
          if (idempotency) {
            const error = this.#unavailableError(orderId);
            await store.saveIdempotentResponse(trx, idempotency.customerId, idempotency.key, 502, {
              code: error.code,
              message: error.message,
              details: error.details,
            });
          }
          return false;
        }
        case 'unknown': {
          await store.addHistory(trx, orderId, [
            {
              type: 'note',
              status: null,
              actor: 'system',
              actorId: null,
              summary: 'Payment result unknown; the order will be settled automatically',
            },
          ]);
          return false;
        }
      }
    });
    if (refundNeeded) {
      this.#log.warn({ orderId }, 'payment arrived for a cancelled order; refunding it');
      await this.#refundRemaining(orderId, { kind: 'system', id: null }, 'late_payment').catch(
        (error: unknown) =>
          this.#log.error({ orderId, err: error }, 'refund of a late payment failed; it will be retried'),
      );
    }
  }

  /** Cancels inside a transaction: stock back, status, history, OrderCancelled. */
  async #cancelInTransaction(
    trx: Db,
    order: OrderRecord,
    actor: ActorRef,
    reason: string,
    paymentStatus?: OrderRecord['paymentStatus'],
  ): Promise<void> {
    const wasConfirmed = order.status === 'confirmed';
    await this.#inventory.release(trx, order.id, reason);
    if (wasConfirmed) {
      const lines = await store.linesOf(trx, order.id);
      await this.#inventory.restock(
        trx,
        order.id,
        lines.map((l) => ({ productId: l.productId, quantity: l.quantity })),
        reason,
      );
    }
    await store.transition(trx, order.id, [order.status], {
      status: 'cancelled',
      cancellationReason: reason,
      ...(paymentStatus && { paymentStatus }),
    });
    const words = CANCELLATION_WORDS[reason] ?? reason;
    await store.addHistory(trx, order.id, [
      {
        type: 'status',
        status: 'cancelled',
        actor: actor.kind,
        actorId: actor.id,
        summary: `Order cancelled: ${words}`,
        details: { reason },
      },
    ]);
    await appendEvents(trx, [
      event('OrderCancelled', order.id, {
        orderId: order.id,
        customerId: order.customerId,
        reason,
        actor: actor.kind,
        wasConfirmed,
        timestamp: now(),
      }),
    ]);
  }

  // ---------------------------------------------------------------- recovery

  /**
   * Heals what a crash or a lost answer left behind: pending orders whose payment result never
   * got recorded, and reservations past their expiry. Asks the gateway first, then confirms paid
   * orders and cancels unpaid ones. Safe to run in several processes at once.
   */
  async recoverStalledOrders(): Promise<number> {
    const cutoff = new Date(Date.now() - this.#recoveryAfterMs);
    const stalled = await store.stalledPending(this.#db, cutoff, 100);
    const expired = new Set(await this.#inventory.ordersWithExpiredReservations(100));
    let settled = 0;
    for (const orderId of new Set([...stalled, ...expired])) {
      try {
        if (await this.#recover(orderId, expired.has(orderId))) settled++;
      } catch (error) {
        this.#log.warn({ orderId, err: error }, 'recovery: order not settled yet');
      }
    }
    return settled;
  }

  async #recover(orderId: string, reservationExpired: boolean): Promise<boolean> {
    const order = await store.find(this.#db, orderId);
    if (!order || order.status !== 'pending') return false;
    const status = await this.#payment.status(orderId, this.#payment.chargeKey(orderId));
    if (status.status === 'succeeded') {
      await this.settlePayment(orderId, status);
      return true;
    }
    if (status.status === 'requires_action' && !reservationExpired) return false;
    await this.#db.transaction().execute(async (trx) => {
      const current = await store.find(trx, orderId, true);
      if (current?.status !== 'pending') return;
      await this.#cancelInTransaction(
        trx,
        current,
        { kind: 'system', id: null },
        'payment_not_completed',
        'failed',
      );
    });
    return true;
  }

  // ---------------------------------------------------------------- reading

  async get(user: AuthUser, orderId: string): Promise<OrderView> {
    const order = await store.findWithLines(this.#db, orderId);
    if (!order || (user.role !== 'admin' && order.customerId !== user.id)) throw notFound('Order', orderId);
    return this.#view(order, user.role === 'admin' ? 'admin' : 'customer');
  }

  async #view(order: OrderWithLines, actor: Actor): Promise<OrderView> {
    const payment = await this.#payment.summary(this.#db, order.id);
    return { ...order, payment, actions: actionsFor(order.status, actor) };
  }

  async listForCustomer(user: AuthUser, query: { limit: number; cursor?: string | undefined }) {
    const beforeId = query.cursor ? decodeOrderCursor(query.cursor) : null;
    const rows = await store.listForCustomer(this.#db, user.id, beforeId, query.limit + 1);
    const more = rows.length > query.limit;
    const items = more ? rows.slice(0, query.limit) : rows;
    const last = items[items.length - 1];
    return { items, nextCursor: more && last ? encodeOrderCursor(last.id) : null };
  }

  async timeline(user: AuthUser, orderId: string) {
    await this.#owned(user, orderId);
    return store.history(this.#db, orderId);
  }

  async #owned(user: AuthUser, orderId: string): Promise<OrderRecord> {
    const order = await store.find(this.#db, orderId);
    if (!order || (user.role !== 'admin' && order.customerId !== user.id)) throw notFound('Order', orderId);
    return order;
  }

  // ---------------------------------------------------------------- lifecycle

  /** Cancels an order that has not shipped; a second cancel changes nothing. */
  async cancel(user: AuthUser, orderId: string, reason: string): Promise<OrderView> {
    const actor: ActorRef = { kind: user.role === 'admin' ? 'admin' : 'customer', id: user.id };
    await this.#owned(user, orderId);
    const cancelled = await this.#db.transaction().execute(async (trx) => {
      const order = await store.find(trx, orderId, true);
      if (!order) throw notFound('Order', orderId);
      if (order.status === 'cancelled') return false;
      const decision = decide(order.status, 'cancel', actor.kind);
      if (!decision.allowed) throw invalidTransition(order.status, decision.reason);
      await this.#cancelInTransaction(trx, order, actor, reason);
      return true;
    });
    if (cancelled) {
      await this.#refundRemaining(orderId, actor, 'cancelled').catch((error: unknown) => {
        if (!(error instanceof AppError)) throw error;
        this.#log.warn({ orderId, code: error.code }, 'refund on cancellation not completed yet');
      });
    }
    return this.get(user, orderId);
  }

  async #refundRemaining(orderId: string, actor: ActorRef, label: string): Promise<void> {
    const order = await store.find(this.#db, orderId);
    if (!order) return;
    const summary = await this.#payment.summary(this.#db, orderId);
    const remaining = summary.paid - summary.refunded;
    if (remaining <= 0) return;
    await this.#refund(order, remaining, actor, `orderly-${orderId}-${label}`, label);
  }

  async #refund(
    order: OrderRecord,
    amount: number,
    actor: ActorRef,
    idempotencyKey: string,
    reason: string | null,
  ) {
    return this.#payment.refund(
      { orderId: order.id, amount, currency: order.currency, reason, idempotencyKey },
      async (trx, outcome) => {
        if (outcome.refunded === 0) return;
        const summary = await this.#payment.summary(trx, order.id);
        await store.setPaymentStatus(trx, order.id, summary.state);
        await store.addHistory(trx, order.id, [
          {
            type: 'refund',
            status: null,
            actor: actor.kind,
            actorId: actor.id,
            summary: `Refunded ${formatMoney(outcome.refunded, order.currency)}`,
            details: { amount: outcome.refunded, reason },
          },
        ]);
      },
    );
  }

  /** Admin: refund part or all of what was paid, never more than is left across all refunds. */
  async refund(
    user: AuthUser,
    orderId: string,
    amount: number,
    reason: string | null,
    idempotencyKey: string,
  ): Promise<OrderView> {
    const order = await this.#owned(user, orderId);
    const decision = decide(order.status, 'refund', 'admin');
    if (!decision.allowed) throw invalidTransition(order.status, decision.reason);
    await this.#refund(
      order,
      amount,
      { kind: 'admin', id: user.id },
      `orderly-${orderId}-admin-${idempotencyKey}`,
      reason,
    );
    return this.get(user, orderId);
  }

  /** Admin: moves a status forward (ship, deliver); a concurrent duplicate gets a 409. */
  async advance(
    user: AuthUser,
    orderId: string,
    action: Extract<OrderAction, 'ship' | 'deliver'>,
    shipment?: { trackingNumber: string; carrier: string },
  ): Promise<OrderView> {
    await this.#db.transaction().execute(async (trx) => {
      const order = await store.find(trx, orderId);
      if (!order) throw notFound('Order', orderId);
      const decision = decide(order.status, action, 'admin');
      if (!decision.allowed) throw invalidTransition(order.status, decision.reason);
      const moved = await store.transition(
        trx,
        orderId,
        [order.status],
        { status: decision.to, ...(shipment ?? {}) },
        order.version,
      );
      if (!moved) {
        const current = await store.find(trx, orderId);
        throw invalidTransition(
          current?.status ?? order.status,
          'The order was changed by someone else at the same time.',
        );
      }
      const entry: HistoryEntry =
        action === 'ship'
          ? {
              type: 'status',
              status: 'shipped',
              actor: 'admin',
              actorId: user.id,
              summary: `Shipped with ${shipment?.carrier}, tracking number ${shipment?.trackingNumber}`,
              details: { ...shipment },
            }
          : { type: 'status', status: 'delivered', actor: 'admin', actorId: user.id, summary: 'Delivered' };
      await store.addHistory(trx, orderId, [entry]);
      await appendEvents(trx, [
        action === 'ship'
          ? event('OrderShipped', orderId, {
              orderId,
              customerId: order.customerId,
              trackingNumber: shipment?.trackingNumber,
              carrier: shipment?.carrier,
              timestamp: now(),
            })
          : event('OrderDelivered', orderId, { orderId, customerId: order.customerId, timestamp: now() }),
      ]);
    });
    return this.get(user, orderId);
  }

  /** Admin: confirms a pending order once the gateway says it is paid. */
  async confirm(user: AuthUser, orderId: string): Promise<OrderView> {
    const order = await this.#owned(user, orderId);
    const decision = decide(order.status, 'confirm', 'admin');
    if (!decision.allowed) throw invalidTransition(order.status, decision.reason);
    const status = await this.#payment.status(orderId, this.#payment.chargeKey(orderId));
    if (status.status !== 'succeeded') {
      throw unprocessable(
        'payment_not_captured',
        'The payment has not been captured, so the order cannot be confirmed yet.',
        {
          paymentStatus: status.status,
        },
      );
    }
    await this.settlePayment(orderId, status);
    return this.get(user, orderId);
  }

  /**
   * Changes the lines or the address of a confirmed order. Extra units are reserved first and an
   * increase is charged before anything of the change is kept; a decrease is refunded after.
   */
  async modify(
    user: AuthUser,
    orderId: string,
    change: {
      items?: Array<{ productId: string; quantity: number }> | undefined;
      shippingAddress?: ShippingAddressJson | undefined;
      paymentMethod?: { type: string; token: string } | undefined;
    },
  ): Promise<OrderView> {
    const actor: ActorRef = { kind: user.role === 'admin' ? 'admin' : 'customer', id: user.id };
    const order = await this.#owned(user, orderId);
    const decision = decide(order.status, 'modify', actor.kind);
    if (!decision.allowed) throw invalidTransition(order.status, decision.reason);
    const oldLines = await store.linesOf(this.#db, orderId);
    const newLines = change.items ? await this.#repriceLines(oldLines, change.items) : oldLines;
    const diff = lineDiff(oldLines, newLines);
    const newTotal = orderTotal(newLines);
    const extra = newTotal - order.total;
    if (extra > 0 && !change.paymentMethod) {
      throw unprocessable(
        'payment_method_required',
        'The change costs more than the order; give a card to pay the difference.',
        {
          amountDue: extra,
        },
      );
    }
    if (diff.length === 0 && !change.shippingAddress) return this.get(user, orderId);

    const increases = diff
      .filter((d) => d.to > d.from)
      .map((d) => ({ productId: d.productId, quantity: d.to - d.from }));
    const decreases = diff
      .filter((d) => d.to < d.from)
      .map((d) => ({ productId: d.productId, quantity: d.from - d.to }));
    if (increases.length > 0) {
      await this.#db.transaction().execute(async (trx) => {
        const reserved = await this.#inventory.reserve(trx, orderId, increases);
        if (!reserved.ok)
          throw conflict('out_of_stock', this.#shortageMessage(reserved.shortages, newLines), {
            items: reserved.shortages,
          });
      });
    }

    const chargeKey = this.#payment.chargeKey(orderId, `v${order.version}`);
    let charged: ChargeOutcome | null = null;
    if (extra > 0 && change.paymentMethod) {
      charged = await this.#payment.charge({
        orderId,
        amount: { amount: extra, currency: order.currency },
        paymentMethod: change.paymentMethod,
        idempotencyKey: chargeKey,
        description: `Orderly order ${orderId} change`,
      });
      if (charged.status !== 'succeeded') {
        await this.#db
          .transaction()
          .execute((trx) => this.#inventory.release(trx, orderId, 'modification_failed'));
        if (charged.status === 'declined')
          throw new AppError(
            402,
            'payment_declined',
            charged.message,
            this.#declineDetails(orderId, charged),
          );
        throw this.#unavailableError(orderId);
      }
    }

    const applied = await this.#db.transaction().execute(async (trx) => {
      const current = await store.find(trx, orderId, true);
      if (charged?.status === 'succeeded') {
        await this.#payment.record(
          trx,
          { orderId, idempotencyKey: chargeKey, amount: extra, currency: order.currency },
          charged,
        );
      }
      if (!current || current.version !== order.version || current.status !== 'confirmed') {
        await this.#inventory.release(trx, orderId, 'modification_conflict');
        return false;
      }
      await this.#inventory.commit(trx, orderId);
      await this.#inventory.restock(trx, orderId, decreases, 'order_modified');
      await store.replaceLines(trx, orderId, newLines, newTotal, change.shippingAddress);
      const changes = {
        ...(diff.length > 0 && { items: diff, total: { from: order.total, to: newTotal } }),
        ...(change.shippingAddress && {
          shippingAddress: { from: order.shippingAddress, to: change.shippingAddress },
        }),
      };
      await store.addHistory(trx, orderId, [
        {
          type: 'modification',
          status: null,
          actor: actor.kind,
          actorId: actor.id,
          summary: describeChanges(diff, !!change.shippingAddress),
          details: changes,
        },
      ]);
      await appendEvents(trx, [
        event('OrderModified', orderId, {
          orderId,
          customerId: order.customerId,
          changes,
          currency: order.currency,
          timestamp: now(),
        }),
      ]);
      if (charged?.status === 'succeeded') {
        const summary = await this.#payment.summary(trx, orderId);
        await store.setPaymentStatus(trx, orderId, summary.state);
      }
      return true;
    });
    if (!applied) {
      if (charged?.status === 'succeeded') {
        await this.#refund(
          order,
          extra,
          { kind: 'system', id: null },
          `${chargeKey}-undo`,
          'modification_conflict',
        );
      }
      const current = await store.find(this.#db, orderId);
      throw invalidTransition(
        current?.status ?? order.status,
        'The order was changed at the same time; nothing of your change was kept.',
      );
    }
    if (extra < 0) {
      await this.#refund(order, -extra, actor, `${chargeKey}-decrease`, 'order_modified').catch(
        (error: unknown) => {
          if (!(error instanceof AppError)) throw error;
          this.#log.warn({ orderId, code: error.code }, 'refund of a reduced order not completed yet');
        },
      );
    }
    return this.get(user, orderId);
  }

  /** Lines already in the order keep their price; new ones take today's price. */
  async #repriceLines(
    oldLines: readonly PricedLine[],
    items: ReadonlyArray<{ productId: string; quantity: number }>,
  ): Promise<PricedLine[]> {
    const known = new Map(oldLines.map((l) => [l.productId, l]));
    const added = items.filter((i) => !known.has(i.productId));
    let priced: PricedLine[] = [];
    if (added.length > 0) {
      const products = await this.#catalog.findMany(added.map((i) => i.productId));
      const result = priceLines(added, products, this.#catalog.currency);
      if (!result.ok) throw pricingError(result.problem);
      priced = result.lines;
    }
    const merged = new Map<string, PricedLine>();
    for (const item of items) {
      const base = known.get(item.productId) ?? priced.find((p) => p.productId === item.productId);
      if (!base) continue;
      const existing = merged.get(item.productId);
      merged.set(item.productId, { ...base, quantity: (existing?.quantity ?? 0) + item.quantity });
    }
    const lines = [...merged.values()];
    if (lines.length === 0) {
      throw unprocessable('order_empty', 'An order needs at least one line; cancel the order instead.');
    }
    return lines;
  }

  // ---------------------------------------------------------------- admin

  adminList(query: store.AdminOrderQuery) {
    return store.adminList(this.#db, query);
  }

  stats(currency: string) {
    return store.stats(this.#db, currency);
  }
}

export function lineDiff(
  before: readonly PricedLine[],
  after: readonly PricedLine[],
): Array<{ productId: string; name: string; from: number; to: number }> {
  const ids = new Set([...before.map((l) => l.productId), ...after.map((l) => l.productId)]);
  const diff: Array<{ productId: string; name: string; from: number; to: number }> = [];
  for (const id of ids) {
    const b = before.find((l) => l.productId === id);
    const a = after.find((l) => l.productId === id);
    const from = b?.quantity ?? 0;
    const to = a?.quantity ?? 0;
    if (from !== to) diff.push({ productId: id, name: (a ?? b)?.name ?? '', from, to });
  }
  return diff;
}

function describeChanges(diff: ReturnType<typeof lineDiff>, address: boolean): string {
  const parts = diff.map((d) =>
    d.to === 0
      ? `removed ${d.name}`
      : d.from === 0
        ? `added ${d.to} × ${d.name}`
        : `${d.name}: ${d.from} → ${d.to}`,
  );
  if (address) parts.push('shipping address changed');
  const text = parts.join('; ');
  return `Order changed: ${text}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function encodeOrderCursor(id: string): string {
  return encodeCursor([id]);
}

function decodeOrderCursor(cursor: string): string {
  const [id] = decodeCursor(cursor, ['string']) as [string];
  if (!UUID.test(id))
    throw new AppError(400, 'invalid_cursor', 'The cursor is not valid; start again from the first page.');
  return id;
}
