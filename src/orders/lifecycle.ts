import { PaymentUnavailableError, type PaymentService } from '../payment/service.ts';
import type { AuthUser } from '../platform/auth/model.ts';
import { recordAudit } from '../platform/audit.ts';
import type { Db } from '../platform/db.ts';
import { AppError, notFound, unprocessable } from '../platform/errors.ts';
import { writeTransaction } from '../platform/locks.ts';
import { appendEvents } from '../platform/outbox.ts';
import { actorOf, owned, type ActorRef, type OrderDeps } from './deps.ts';
import { invalidTransition } from './errors.ts';
import { orderEvent } from './events.ts';
import { decide, type OrderAction } from './model.ts';
import { getOrder, type OrderView } from './queries.ts';
import { refundRemaining } from './refunds.ts';
import { settlePayment } from './settle-payment.ts';
import * as store from './store.ts';
import type { HistoryEntry, OrderRecord } from './store.ts';

const CANCELLATION_WORDS: Record<string, string> = {
  payment_declined: 'the payment was declined',
  payment_unavailable: 'the payment provider could not be reached',
  payment_not_completed: 'the payment was not completed in time',
};

/**
 * Cancels an order that has not shipped; a second cancel changes nothing. Two steps: the
 * cancellation (stock back) in one transaction, then the refund of what was paid.
 */
export async function cancelOrder(
  deps: OrderDeps,
  user: AuthUser,
  orderId: string,
  reason: string,
): Promise<OrderView> {
  const actor = actorOf(user);
  await owned(deps.db, user, orderId);
  const cancelled = await writeTransaction(deps.db, deps.log, async (trx) => {
    const order = await store.find(trx, orderId, true);
    if (!order) throw notFound('Order', orderId);
    if (order.status === 'cancelled') return false;
    const decision = decide(order.status, 'cancel', actor.kind);
    if (!decision.allowed) throw invalidTransition(order.status, decision.reason);
    await cancelInTransaction(deps, trx, order, actor, reason);
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
    await refundRemaining(deps, orderId, actor, 'cancelled').catch((error: unknown) => {
      if (!(error instanceof AppError)) throw error;
      deps.log.warn({ orderId, code: error.code }, 'refund on cancellation not completed yet');
    });
  }
  return getOrder(deps, user, orderId);
}

/** Cancels inside a transaction: stock back, status, history, OrderCancelled. */
export async function cancelInTransaction(
  deps: OrderDeps,
  trx: Db,
  order: OrderRecord,
  actor: ActorRef,
  reason: string,
  paymentStatus?: OrderRecord['paymentStatus'],
): Promise<void> {
  const wasConfirmed = order.status === 'confirmed';
  await deps.inventory.release(trx, order.id, reason);
  if (wasConfirmed) {
    const lines = await store.linesOf(trx, order.id);
    await deps.inventory.restock(
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
    orderEvent('OrderCancelled', order.id, {
      orderId: order.id,
      customerId: order.customerId,
      reason,
      actor: actor.kind,
      wasConfirmed,
      timestamp: new Date().toISOString(),
    }),
  ]);
}

/**
 * Admin: moves a status forward (ship, deliver). The update only matches the status it was
 * decided from, so of two admins shipping at once exactly one wins and the other gets a 409.
 */
export async function advanceOrder(
  deps: OrderDeps,
  user: AuthUser,
  orderId: string,
  action: Extract<OrderAction, 'ship' | 'deliver'>,
  shipment?: { trackingNumber: string; carrier: string },
): Promise<OrderView> {
  await deps.db.transaction().execute(async (trx) => {
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
    const timestamp = new Date().toISOString();
    await appendEvents(trx, [
      action === 'ship'
        ? orderEvent('OrderShipped', orderId, {
            orderId,
            customerId: order.customerId,
            trackingNumber: shipment?.trackingNumber,
            carrier: shipment?.carrier,
            timestamp,
          })
        : orderEvent('OrderDelivered', orderId, { orderId, customerId: order.customerId, timestamp }),
    ]);
  });
  return getOrder(deps, user, orderId);
}

/** Admin: confirms a pending order once the gateway says it is paid. */
export async function confirmOrder(deps: OrderDeps, user: AuthUser, orderId: string): Promise<OrderView> {
  const order = await owned(deps.db, user, orderId);
  const decision = decide(order.status, 'confirm', 'admin');
  if (!decision.allowed) throw invalidTransition(order.status, decision.reason);
  let status: Awaited<ReturnType<PaymentService['status']>>;
  try {
    status = await deps.payment.status(orderId, deps.payment.chargeKey(orderId));
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
  await settlePayment(deps, orderId, status, undefined, user.id);
  const settled = await store.find(deps.db, orderId);
  if (settled && settled.status !== 'confirmed') {
    // cancelled meanwhile: settlePayment refunds the payment instead
    throw invalidTransition(settled.status, 'The order was cancelled while its payment was checked.');
  }
  return getOrder(deps, user, orderId);
}
