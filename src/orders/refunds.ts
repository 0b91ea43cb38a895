import type { AuthUser } from '../platform/auth/model.ts';
import { recordAudit } from '../platform/audit.ts';
import type { Db } from '../platform/db.ts';
import { formatMoney } from '../platform/money.ts';
import { owned, type ActorRef, type OrderDeps } from './deps.ts';
import { refused } from './errors.ts';
import { decide } from './model.ts';
import { getOrder, type OrderView } from './queries.ts';
import * as store from './store.ts';
import type { OrderRecord } from './store.ts';

/**
 * Refunds whatever is left of an order's payments. "Left" is worked out under the payments'
 * lock, net of refunds still in flight, so it can never collide with another refund.
 */
export async function refundRemaining(
  deps: OrderDeps,
  orderId: string,
  actor: ActorRef,
  label: string,
): Promise<void> {
  const order = await store.find(deps.db, orderId);
  if (!order) return;
  await refundPayment(deps, order, 'remaining', actor, `orderly-${orderId}-${label}`, label);
}

/**
 * Refunds through the payment context; in the transaction that records the refund, the order's
 * payment status, history and (for an admin) the audit record follow.
 */
export async function refundPayment(
  deps: OrderDeps,
  order: OrderRecord,
  amount: number | 'remaining',
  actor: ActorRef,
  idempotencyKey: string,
  reason: string | null,
) {
  return deps.payment.refund(
    { orderId: order.id, amount, currency: order.currency, reason, idempotencyKey },
    async (trx, outcome) => {
      // a retry that found the refund done already has nothing new to record
      if (outcome.newlyRefunded === 0) return;
      if (actor.kind === 'admin') {
        await recordAudit(trx, {
          actorId: actor.id,
          action: 'order.refund',
          targetType: 'order',
          targetId: order.id,
          details: {
            amount: outcome.newlyRefunded,
            currency: order.currency,
            reason,
            refundIds: outcome.refundIds,
          },
        });
      }
      const summary = await deps.payment.summary(trx, order.id);
      await store.setPaymentStatus(trx, order.id, summary.state);
      await store.addHistory(trx, order.id, [
        {
          type: 'refund',
          status: null,
          actor: actor.kind,
          actorId: actor.id,
          summary: `Refunded ${formatMoney(outcome.newlyRefunded, order.currency)}`,
          details: { amount: outcome.newlyRefunded, reason },
        },
      ]);
    },
  );
}

/**
 * For the payment context's webhooks: a refund made outside Orderly (in Stripe's dashboard).
 * `apply` records it on the payment side inside this transaction, which holds the order's lock
 * first, as `settlePayment` does, so the two never wait on each other's rows; the order's
 * payment status and history follow in the same commit.
 */
export async function refundedOutside(
  deps: OrderDeps,
  orderId: string,
  apply: (trx: Db) => Promise<{ amount: number; currency: string } | null>,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const order = await store.find(trx, orderId, true);
    if (!order) return;
    const refunded = await apply(trx);
    if (!refunded) return;
    const summary = await deps.payment.summary(trx, orderId);
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
export async function adminRefund(
  deps: OrderDeps,
  user: AuthUser,
  orderId: string,
  amount: number,
  reason: string | null,
  idempotencyKey: string,
): Promise<OrderView> {
  const order = await owned(deps.db, user, orderId);
  const decision = decide(order.status, 'refund', 'admin');
  if (!decision.allowed) throw refused(order.status, decision);
  await refundPayment(
    deps,
    order,
    amount,
    { kind: 'admin', id: user.id },
    `orderly-${orderId}-admin-${idempotencyKey}`,
    reason,
  );
  return getOrder(deps, user, orderId);
}
