import { type ChargeOutcome } from '../payment/service.ts';
import { writeTransaction } from '../platform/locks.ts';
import { errorBody, type ErrorBody } from '../platform/errors.ts';
import { formatMoney } from '../platform/money.ts';
import { SYSTEM, type OrderDeps } from './deps.ts';
import { declineDetails, paymentUnavailable } from './errors.ts';
import { cancelWithStock } from './lifecycle.ts';
import { refundRemaining } from './refunds.ts';
import * as idempotencyStore from './idempotency-store.ts';
import * as store from './store.ts';
import type { OrderRecord } from './store.ts';
import { transition } from './transition.ts';

/**
 * The one place a payment result changes an order, whether it comes from the synchronous
 * answer, a webhook, or the recovery job; any order of arrival, any number of times, ends in
 * the same state. Money that arrives for an order that can no longer be fulfilled is refunded.
 * Answers with the order as it confirmed it, when this result is the one that confirmed it.
 */
export async function settlePayment(
  deps: OrderDeps,
  orderId: string,
  outcome: ChargeOutcome,
  idempotency?: { customerId: string; key: string },
  /** the admin who asked, when it is an admin's confirmation: audited with the change */
  confirmedBy?: string,
): Promise<OrderRecord | null> {
  const chargeKey = deps.payment.chargeKey(orderId);
  const settled = await writeTransaction(deps.db, deps.log, async (trx): Promise<Settled> => {
    const order = await store.lockOrder(trx, orderId);
    if (!order) return UNCHANGED;
    const charge = { orderId, idempotencyKey: chargeKey, amount: order.total, currency: order.currency };
    // what a repeat of the checkout's request (same Idempotency-Key) is answered from now on
    const answerRepeats = async (status: number, body: ErrorBody | null) => {
      if (idempotency)
        await idempotencyStore.saveIdempotentResponse(
          trx,
          idempotency.customerId,
          idempotency.key,
          status,
          body,
        );
    };
    switch (outcome.status) {
      case 'succeeded': {
        if (order.status !== 'pending') {
          const newlyPaid = await deps.payment.record(trx, charge, outcome);
          if (newlyPaid) await store.countCapture(trx, orderId, charge.amount, true);
          return { confirmed: null, refundNeeded: newlyPaid && order.status === 'cancelled' };
        }
        // stock rows before payment rows: the lock order
        await deps.inventory.commit(trx, orderId);
        const newlyPaid = await deps.payment.record(trx, charge, outcome);
        const confirmed = await transition(trx, order, {
          action: 'confirm',
          actor: SYSTEM,
          requestedBy: confirmedBy,
          facts: { paymentCaptured: true },
          paymentId: outcome.paymentId,
          capture: newlyPaid ? { amount: charge.amount, firstCapture: true } : undefined,
          precededBy: [
            {
              type: 'payment',
              status: null,
              actor: 'system',
              actorId: null,
              summary: `Payment of ${formatMoney(order.total, order.currency)} received`,
            },
          ],
        });
        await answerRepeats(201, null);
        return { confirmed, refundNeeded: false };
      }
      case 'requires_action': {
        await deps.payment.record(trx, charge, outcome);
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
        await answerRepeats(201, null);
        return UNCHANGED;
      }
      case 'declined': {
        await deps.payment.record(trx, charge, outcome);
        if (order.status === 'pending') {
          await cancelWithStock(deps, trx, order, SYSTEM, 'payment_declined', 'failed');
        }
        await answerRepeats(402, {
          code: 'payment_declined',
          message: outcome.message,
          details: declineDetails(orderId, outcome),
        });
        return UNCHANGED;
      }
      case 'unavailable': {
        await deps.payment.recordUnreachable(trx, orderId);
        if (order.status === 'pending') {
          await cancelWithStock(deps, trx, order, SYSTEM, 'payment_unavailable', 'failed');
        }
        await answerRepeats(502, errorBody(paymentUnavailable(orderId)));
        return UNCHANGED;
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
        return UNCHANGED;
      }
    }
  });
  if (settled.refundNeeded) {
    deps.log.warn({ orderId }, 'payment arrived for a cancelled order; refunding it');
    await refundRemaining(deps, orderId, SYSTEM, 'late_payment').catch((error: unknown) =>
      deps.log.error({ orderId, err: error }, 'refund of a late payment failed; it will be retried'),
    );
  }
  return settled.confirmed;
}

interface Settled {
  /** the order as this settlement confirmed it */
  confirmed: OrderRecord | null;
  /** money came for an order that was cancelled meanwhile */
  refundNeeded: boolean;
}

const UNCHANGED: Settled = { confirmed: null, refundNeeded: false };

/**
 * Heals what a crash or a lost answer left behind: pending orders whose payment result never
 * got recorded, and reservations past their expiry. Asks the gateway first, then confirms paid
 * orders and cancels unpaid ones. Safe to run in several processes at once.
 */
export async function recoverStalledOrders(deps: OrderDeps): Promise<number> {
  const cutoff = new Date(Date.now() - deps.recoveryAfterMs);
  const stalled = await store.stalledPending(deps.db, cutoff, 100);
  const expired = new Set(await deps.inventory.ordersWithExpiredReservations(100));
  let settled = 0;
  for (const orderId of new Set([...stalled, ...expired])) {
    try {
      if (await recover(deps, orderId, expired.has(orderId))) settled++;
    } catch (error) {
      deps.log.warn({ orderId, err: error }, 'recovery: order not settled yet');
    }
  }
  return settled;
}

async function recover(deps: OrderDeps, orderId: string, reservationExpired: boolean): Promise<boolean> {
  const order = await store.find(deps.db, orderId);
  if (!order || order.status !== 'pending') return false;
  const status = await deps.payment.status(orderId, deps.payment.chargeKey(orderId));
  if (status.status === 'succeeded') {
    await settlePayment(deps, orderId, status);
    return true;
  }
  if (status.status === 'requires_action' && !reservationExpired) return false;
  await writeTransaction(deps.db, deps.log, async (trx) => {
    const current = await store.lockOrder(trx, orderId);
    if (current?.status !== 'pending') return;
    await cancelWithStock(deps, trx, current, SYSTEM, 'payment_not_completed', 'failed');
  });
  return true;
}
