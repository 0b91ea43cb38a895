import { PaymentUnavailableError, type PaymentService } from '../payment/service.ts';
import type { AuthUser } from '../platform/auth/model.ts';
import type { Db } from '../platform/db.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { writeTransaction } from '../platform/locks.ts';
import { actorOf, owned, type ActorRef, type OrderDeps } from './deps.ts';
import { invalidTransition, refused } from './errors.ts';
import { decide } from './model.ts';
import { getOrder, type OrderView } from './queries.ts';
import { refundRemaining } from './refunds.ts';
import { settlePayment } from './settle-payment.ts';
import * as store from './store.ts';
import type { OrderRecord } from './store.ts';
import { transition } from './transition.ts';

/**
 * Cancels an order that has not shipped; a second cancel changes nothing. Two steps: the
 * cancellation with its stock in one transaction, then the refund of what was paid.
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
    const order = await store.lockOrder(trx, orderId);
    if (!order) throw notFound('Order', orderId);
    if (order.status === 'cancelled') return false;
    await cancelWithStock(deps, trx, order, actor, reason);
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

/**
 * Cancels in the caller's transaction, which holds the order's lock: the status moves, and the
 * stock goes back (a pending order's reservation is released, a confirmed order's units are
 * put back on the shelf). This is also the undo of placing an order whose payment failed.
 */
export async function cancelWithStock(
  deps: OrderDeps,
  trx: Db,
  order: OrderRecord,
  actor: ActorRef,
  reason: string,
  paymentStatus?: 'failed',
): Promise<void> {
  await transition(trx, order, { action: 'cancel', actor, reason, paymentStatus });
  await deps.inventory.release(trx, order.id, reason);
  if (order.status === 'confirmed') {
    const lines = await store.linesOf(trx, order.id);
    await deps.inventory.restock(
      trx,
      order.id,
      lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity })),
      reason,
    );
  }
  // cancelled before it shipped: the discount code's use is given back
  await deps.promotions.release(trx, order.id);
}

/** Admin: confirms a pending order once the gateway says it is paid. */
export async function confirmOrder(deps: OrderDeps, user: AuthUser, orderId: string): Promise<OrderView> {
  const order = await owned(deps.db, user, orderId);
  const decision = decide(order.status, 'confirm', 'admin');
  if (!decision.allowed) throw refused(order.status, decision);
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
  const captured = decide(order.status, 'confirm', 'admin', {
    paymentCaptured: status.status === 'succeeded',
  });
  if (!captured.allowed) throw refused(order.status, captured, { paymentStatus: status.status });
  if (status.status === 'succeeded') await settlePayment(deps, orderId, status, undefined, user.id);
  const settled = await store.find(deps.db, orderId);
  if (settled && settled.status !== 'confirmed') {
    // cancelled meanwhile: settlePayment refunds the payment instead
    throw invalidTransition(settled.status, 'The order was cancelled while its payment was checked.');
  }
  return getOrder(deps, user, orderId);
}
