import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { CatalogService } from '../catalog/service.ts';
import type { InventoryService } from '../inventory/service.ts';
import {
  PaymentUnavailableError,
  type ChargeOutcome,
  type PaymentService,
  type RefundOutcome,
  type RefundSettlement,
} from '../payment/service.ts';
import type { PaymentSummary } from '../payment/model.ts';
import type { AuthUser } from '../platform/auth/model.ts';
import { recordAudit } from '../platform/audit.ts';
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
    /** the admin who asked, when it is an admin's confirmation: audited with the change */
    confirmedBy?: string,
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
            if (confirmedBy) {
              await recordAudit(trx, {
                actorId: confirmedBy,
                action: 'order.confirm',
                targetType: 'order',
                targetId: orderId,
                details: {
                  from: 'pending',
                  to: 'confirmed',
                  paymentId: outcome.paymentId,
                  amount: order.total,
                  currency: order.currency,
                },
              });
            }
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

  /**
   * For the notification context: the order with its lines, read with the given connection (its
   * subscriber runs inside the outbox's dispatch transaction). No user: events are trusted.
   */
  orderForNotification(orderId: string, db: Db = this.#db): Promise<OrderWithLines | undefined> {
    return store.findWithLines(db, orderId);
  }

  async #view(order: OrderWithLines, actor: Actor): Promise<OrderView> {
    const payment = await this.#payment.summary(this.#db, order.id);
    return { ...order, payment, actions: actionsFor(order.status, actor) };
  }

  async listForCustomer(user: AuthUser, query: { limit: number; cursor?: string | undefined }) {
    const after = query.cursor === undefined ? null : decodeOrderCursor(query.cursor);
    const rows = await store.listForCustomer(this.#db, user.id, after, query.limit + 1);
    const more = rows.length > query.limit;
    const items = more ? rows.slice(0, query.limit) : rows;
    const last = items[items.length - 1];
    return { items, nextCursor: more && last ? encodeOrderCursor(last.createdAtKey, last.id) : null };
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

  /**
   * A transaction that is run again when PostgreSQL picks it as a deadlock victim: an order's
   * stock rows are locked in two sorted groups (reservations, then lines), so two orders sharing
   * products can, rarely, wait on each other. The work inside must not call out.
   */
  async #transaction<T>(work: (trx: Db) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#db.transaction().execute(work);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (attempt >= 3 || (code !== '40P01' && code !== '40001')) throw error;
        this.#log.warn({ code, attempt }, 'order transaction retried after a deadlock');
      }
    }
  }

  // ---------------------------------------------------------------- lifecycle

  /** Cancels an order that has not shipped; a second cancel changes nothing. */
  async cancel(user: AuthUser, orderId: string, reason: string): Promise<OrderView> {
    const actor = actorOf(user);
    await this.#owned(user, orderId);
    const cancelled = await this.#transaction(async (trx) => {
      const order = await store.find(trx, orderId, true);
      if (!order) throw notFound('Order', orderId);
      if (order.status === 'cancelled') return false;
      const decision = decide(order.status, 'cancel', actor.kind);
      if (!decision.allowed) throw invalidTransition(order.status, decision.reason);
      await this.#cancelInTransaction(trx, order, actor, reason);
      if (actor.kind === 'admin') {
        await recordAudit(trx, {
          actorId: actor.id,
          action: 'order.cancel',
          targetType: 'order',
          targetId: orderId,
          details: { from: order.status, to: 'cancelled', reason, stockReturned: true },
        });
      }
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

  /**
   * Refunds whatever is left of an order's payments. "Left" is worked out under the payments'
   * lock, net of refunds still in flight, so it can never collide with another refund.
   */
  async #refundRemaining(orderId: string, actor: ActorRef, label: string): Promise<void> {
    const order = await store.find(this.#db, orderId);
    if (!order) return;
    await this.#refund(order, 'remaining', actor, `orderly-${orderId}-${label}`, label);
  }

  async #refund(
    order: OrderRecord,
    amount: number | 'remaining',
    actor: ActorRef,
    idempotencyKey: string,
    reason: string | null,
  ) {
    return this.#payment.refund(
      { orderId: order.id, amount, currency: order.currency, reason, idempotencyKey },
      this.refundSettlement(actor),
    );
  }

  /**
   * How the payment context's refunds reach an order, whether made at once or by the retry job:
   * the order row is locked first, then the payment context writes its rows, then the order's
   * payment status, history and (for an admin) audit record follow in the same commit.
   */
  refundSettlement(actor: ActorRef = { kind: 'system', id: null }): RefundSettlement {
    return {
      lockOrder: async (trx, orderId) => {
        await store.find(trx, orderId, true);
      },
      settle: (trx, outcome) => this.#settleRefund(trx, outcome, actor),
    };
  }

  async #settleRefund(trx: Db, outcome: RefundOutcome, actor: ActorRef): Promise<void> {
    const { orderId, currency, reason } = outcome;
    const entries: HistoryEntry[] = outcome.failed.map((f) => ({
      type: 'refund',
      status: null,
      actor: 'system',
      actorId: null,
      summary: refundFailedSummary(formatMoney(f.amount, currency), f.failure, f.attempts),
      details: { amount: f.amount, reason, failure: f.failure, attempts: f.attempts },
    }));
    // a retry that found the refund done already has nothing new to record
    if (outcome.newlyRefunded > 0) {
      if (actor.kind === 'admin') {
        await recordAudit(trx, {
          actorId: actor.id,
          action: 'order.refund',
          targetType: 'order',
          targetId: orderId,
          details: { amount: outcome.newlyRefunded, currency, reason, refundIds: outcome.refundIds },
        });
      }
      const summary = await this.#payment.summary(trx, orderId);
      await store.setPaymentStatus(trx, orderId, summary.state);
      const refunded = `Refunded ${formatMoney(outcome.newlyRefunded, currency)}`;
      entries.unshift({
        type: 'refund',
        status: null,
        actor: actor.kind,
        actorId: actor.id,
        summary: reason ? `${refunded}: ${reason}` : refunded,
        details: { amount: outcome.newlyRefunded, reason },
      });
    }
    if (entries.length > 0) await store.addHistory(trx, orderId, entries);
  }

  /**
   * For the payment context's webhooks: a refund made outside Orderly (in Stripe's dashboard).
   * `apply` records it on the payment side inside this transaction, which holds the order's lock
   * first, as `settlePayment` does, so the two never wait on each other's rows; the order's
   * payment status and history follow in the same commit.
   */
  async refundedOutside(
    orderId: string,
    apply: (trx: Db) => Promise<{ amount: number; currency: string } | null>,
  ): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      const order = await store.find(trx, orderId, true);
      if (!order) return;
      const refunded = await apply(trx);
      if (!refunded) return;
      const summary = await this.#payment.summary(trx, orderId);
      await store.setPaymentStatus(trx, orderId, summary.state);
      await store.addHistory(trx, orderId, [
        {
          type: 'refund',
          status: null,
          actor: 'system',
          actorId: null,
          summary: `Refunded ${formatMoney(refunded.amount, refunded.currency)} outside Orderly (in the payment provider's dashboard)`,
          details: { amount: refunded.amount, reason: 'refunded_outside_orderly' },
        },
      ]);
    });
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

  /**
   * Admin: moves a status forward (ship, deliver). The update only matches the status it was
   * decided from, so of two admins shipping at once exactly one wins and the other gets a 409.
   */
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
      const moved = await store.transition(trx, orderId, [order.status], {
        status: decision.to,
        ...(shipment ?? {}),
      });
      if (!moved) {
        // Another request moved it first; this statement sees what it committed.
        const status = (await store.find(trx, orderId))?.status ?? order.status;
        const now = decide(status, action, 'admin');
        throw invalidTransition(
          status,
          now.allowed ? 'The order was changed by someone else at the same time; try again.' : now.reason,
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
      await recordAudit(trx, {
        actorId: user.id,
        action: `order.${action}`,
        targetType: 'order',
        targetId: orderId,
        details: { from: order.status, to: decision.to, ...(shipment ?? {}) },
      });
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
    let status: Awaited<ReturnType<PaymentService['status']>>;
    try {
      status = await this.#payment.status(orderId, this.#payment.chargeKey(orderId));
    } catch (error) {
      if (!(error instanceof PaymentUnavailableError)) throw error;
      throw new AppError(
        502,
        'payment_unavailable',
        'The payment provider could not be reached to check the payment. Try again in a moment.',
        { orderId },
      );
    }
    if (status.status !== 'succeeded') {
      throw unprocessable(
        'payment_not_captured',
        'The payment has not been captured, so the order cannot be confirmed yet.',
        {
          paymentStatus: status.status,
        },
      );
    }
    await this.settlePayment(orderId, status, undefined, user.id);
    const settled = await store.find(this.#db, orderId);
    if (settled && settled.status !== 'confirmed') {
      // cancelled meanwhile: settlePayment refunds the payment instead
      throw invalidTransition(settled.status, 'The order was cancelled while its payment was checked.');
    }
    return this.get(user, orderId);
  }

  /**
   * Changes the lines or the address of a confirmed order, in three steps with no transaction
   * held across the gateway: (1) check the order is as read and no other change is being paid
   * for, and reserve the extra units; (2) charge the difference; (3) under the order's lock, keep
   * the change only if the order is still at the version it was read at. Whatever fails undoes
   * what ran before it: the reservation is released, a charge refunded. A decrease is refunded
   * after the change is kept.
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
    const actor = actorOf(user);
    const order = await this.#owned(user, orderId);
    const decision = decide(order.status, 'modify', actor.kind);
    if (!decision.allowed) throw invalidTransition(order.status, decision.reason);
    const oldLines = await store.linesOf(this.#db, orderId);
    const newLines = change.items ? await this.#repriceLines(oldLines, change.items) : oldLines;
    const diff = lineDiff(oldLines, newLines);
    const newTotal = orderTotal(newLines);
    const extra = newTotal - order.total;
    if (diff.length === 0 && !change.shippingAddress) return this.get(user, orderId);
    if (extra > 0 && !change.paymentMethod) {
      throw unprocessable(
        'payment_method_required',
        'The change costs more than the order; give a card to pay the difference.',
        {
          amountDue: extra,
        },
      );
    }

    const increases = diff
      .filter((d) => d.to > d.from)
      .map((d) => ({ productId: d.productId, quantity: d.to - d.from }));
    const decreases = diff
      .filter((d) => d.to < d.from)
      .map((d) => ({ productId: d.productId, quantity: d.from - d.to }));

    // (1) Extra units are held under the order's lock, and only while no other change of this
    // order holds any: so the active reservations of a confirmed order are always exactly those
    // of the one change in flight, and committing or releasing them can never take another's.
    if (increases.length > 0) {
      await this.#transaction(async (trx) => {
        const current = await store.find(trx, orderId, true);
        if (!current) throw notFound('Order', orderId);
        if (current.status !== 'confirmed' || current.version !== order.version)
          throw orderChanged(current.status);
        if ((await this.#inventory.activeReservations(trx, orderId)).length > 0) {
          throw conflict(
            'modification_in_progress',
            'Another change to this order is being paid for. Try again in a moment.',
            { status: current.status },
          );
        }
        const reserved = await this.#inventory.reserve(trx, orderId, increases);
        if (!reserved.ok)
          throw conflict('out_of_stock', this.#shortageMessage(reserved.shortages, newLines), {
            items: reserved.shortages,
          });
      });
    }

    // (2) The difference is charged with a key of this version and this request: the same
    // request sent again is charged once, and another card after a decline is a new charge.
    const chargeKey = this.#payment.chargeKey(
      orderId,
      `v${order.version}-${changeDigest(newLines, extra, change.paymentMethod)}`,
    );
    let charged: Extract<ChargeOutcome, { status: 'succeeded' }> | null = null;
    if (extra > 0 && change.paymentMethod) {
      let outcome: ChargeOutcome;
      try {
        outcome = await this.#payment.charge({
          orderId,
          amount: { amount: extra, currency: order.currency },
          paymentMethod: change.paymentMethod,
          idempotencyKey: chargeKey,
          description: `Orderly order ${orderId} change`,
        });
      } catch (error) {
        await this.#releaseChange(orderId, 'modification_failed');
        throw error;
      }
      if (outcome.status !== 'succeeded') {
        await this.#releaseChange(orderId, 'modification_failed');
        throw this.#changeChargeError(orderId, outcome);
      }
      charged = outcome;
    }

    // (3) Keep the change, or undo it.
    const applied = await this.#transaction(async (trx) => {
      const current = await store.find(trx, orderId, true);
      if (charged) {
        await this.#payment.record(
          trx,
          { orderId, idempotencyKey: chargeKey, amount: extra, currency: order.currency },
          charged,
        );
      }
      if (!current || current.version !== order.version || current.status !== 'confirmed') {
        if (increases.length > 0) await this.#inventory.release(trx, orderId, 'modification_conflict');
        return false;
      }
      if (increases.length > 0) await this.#inventory.commit(trx, orderId);
      await this.#inventory.restock(trx, orderId, decreases, 'order_modified');
      await store.replaceLines(trx, orderId, newLines, newTotal, change.shippingAddress);
      const changes = {
        ...(diff.length > 0 && { items: diff, total: { from: order.total, to: newTotal } }),
        ...(change.shippingAddress && {
          shippingAddress: { from: order.shippingAddress, to: change.shippingAddress },
        }),
      };
      if (actor.kind === 'admin') {
        await recordAudit(trx, {
          actorId: actor.id,
          action: 'order.modify',
          targetType: 'order',
          targetId: orderId,
          details: changes,
        });
      }
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
      if (charged) {
        const summary = await this.#payment.summary(trx, orderId);
        await store.setPaymentStatus(trx, orderId, summary.state);
      }
      return true;
    });
    if (!applied) {
      if (charged) {
        await this.#refund(
          order,
          extra,
          { kind: 'system', id: null },
          `${chargeKey}-undo`,
          'modification_conflict',
        ).catch((error: unknown) => {
          // refund_exceeds_payment: a cancellation meanwhile refunded everything, this charge too
          if (!(error instanceof AppError)) throw error;
          this.#log.warn({ orderId, code: error.code }, 'refund of an undone change not completed yet');
        });
      }
      const current = await store.find(this.#db, orderId);
      throw orderChanged(current?.status ?? order.status);
    }
    if (extra < 0) {
      await this.#refund(
        order,
        -extra,
        actor,
        this.#payment.chargeKey(orderId, `v${order.version}-decrease`),
        'order_modified',
      ).catch((error: unknown) => {
        if (!(error instanceof AppError)) throw error;
        this.#log.warn({ orderId, code: error.code }, 'refund of a reduced order not completed yet');
      });
    }
    return this.get(user, orderId);
  }

  async #releaseChange(orderId: string, reason: string): Promise<void> {
    await this.#transaction((trx) => this.#inventory.release(trx, orderId, reason));
  }

  #changeChargeError(orderId: string, outcome: Exclude<ChargeOutcome, { status: 'succeeded' }>): AppError {
    switch (outcome.status) {
      case 'declined':
        return new AppError(402, 'payment_declined', outcome.message, this.#declineDetails(orderId, outcome));
      case 'requires_action':
        return new AppError(
          402,
          'authentication_required',
          'This card asks for authentication, which a change to an order cannot do. Use another card; nothing was changed.',
          { orderId },
        );
      case 'unavailable':
        return this.#unavailableError(orderId);
      case 'unknown':
        return new AppError(
          502,
          'payment_pending',
          'We could not confirm the payment for this change with the payment provider, so nothing was changed. Send the same change again to finish it; you will not be charged twice.',
          { orderId },
        );
    }
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

  /** The admin's search: filters, a sort, keyset pages whose cursor belongs to the sort. */
  async adminList(query: Omit<store.AdminOrderQuery, 'after'> & { cursor?: string | undefined }) {
    const byTotal = query.sort === 'total';
    let after: store.AdminOrderQuery['after'] = null;
    if (query.cursor !== undefined) {
      if (byTotal) {
        const [total, id] = decodeCursor(query.cursor, ['number', 'string']) as [number, string];
        if (!Number.isSafeInteger(total) || !UUID.test(id)) throw invalidCursor();
        after = [total, id];
      } else {
        after = decodeOrderCursor(query.cursor);
      }
    }
    const rows = await store.adminList(this.#db, { ...query, after });
    const more = rows.length > query.limit;
    const items = more ? rows.slice(0, query.limit) : rows;
    const last = items[items.length - 1];
    let nextCursor: string | null = null;
    if (more && last) {
      nextCursor = byTotal
        ? encodeCursor([last.total_minor, last.id])
        : encodeOrderCursor(last.created_at_key, last.id);
    }
    return { items, nextCursor };
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
const CREATED_AT_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

const invalidCursor = () =>
  new AppError(400, 'invalid_cursor', 'The cursor is not valid; start again from the first page.');

/** Newest-first pages follow (created_at, id), kept to the microsecond so no row is skipped. */
function encodeOrderCursor(createdAtKey: string, id: string): string {
  return encodeCursor([createdAtKey, id]);
}

function decodeOrderCursor(cursor: string): [string, string] {
  const [at, id] = decodeCursor(cursor, ['string', 'string']) as [string, string];
  if (!CREATED_AT_KEY.test(at) || !UUID.test(id)) throw invalidCursor();
  return [at, id];
}

function actorOf(user: AuthUser): ActorRef {
  return { kind: user.role === 'admin' ? 'admin' : 'customer', id: user.id };
}

/** The order moved between reading it and keeping a change: a 409 with where it is now. */
function orderChanged(status: OrderStatus): AppError {
  if (status !== 'confirmed') {
    return invalidTransition(
      status,
      'The order was changed at the same time; nothing of your change was kept.',
    );
  }
  return conflict(
    'order_changed',
    'The order was changed at the same time; nothing of your change was kept. Review it and try again.',
    { status, allowed: allowedActions(status) },
  );
}

/** Identifies one requested change for the gateway's idempotency: same lines, amount and card. */
function changeDigest(
  lines: readonly PricedLine[],
  amount: number,
  paymentMethod: { type: string; token: string } | undefined,
): string {
  const key = JSON.stringify([
    lines.map((l) => [l.productId, l.quantity, l.unitPrice]).sort(),
    amount,
    paymentMethod?.type ?? null,
    paymentMethod?.token ?? null,
  ]);
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** A refund that ended without money going back, in the admin's words. */
function refundFailedSummary(amount: string, failure: 'refused' | 'unavailable', attempts: number): string {
  return failure === 'refused'
    ? `Refund of ${amount} failed: the payment provider refused it`
    : `Refund of ${amount} failed: the payment provider could not be reached in ${attempts} attempts`;
}
