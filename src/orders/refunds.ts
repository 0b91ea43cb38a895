import type { RefundOutcome, RefundRequest, RefundSettlement } from '../payment/service.ts';
import type { AuthUser } from '../platform/auth/model.ts';
import { recordAudit } from '../platform/audit.ts';
import type { Db } from '../platform/db.ts';
import { AppError } from '../platform/errors.ts';
import { writeTransaction } from '../platform/locks.ts';
import { formatMoney, fromMinor } from '../platform/money.ts';
import { owned, type ActorRef, type OrderDeps } from './deps.ts';
import { refused } from './errors.ts';
import { decide, refundLimitBreach } from './model.ts';
import { getOrder, type OrderView } from './queries.ts';
import * as store from './store.ts';
import type { HistoryEntry, OrderRecord } from './store.ts';

/**
 * The reasons Orderly itself gives its refunds (for the gateway's metadata): codes, not words, so
 * the timeline leaves them out. Any other reason is an admin's own and is shown after the amount.
 */
const ORDERLY_REASONS = new Set(['cancelled', 'late_payment', 'order_modified', 'modification_conflict']);

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

/** Refunds through the payment context; what it did reaches the order through `refundSettlement`. */
export async function refundPayment(
  deps: OrderDeps,
  order: OrderRecord,
  amount: RefundRequest['amount'],
  actor: ActorRef,
  idempotencyKey: string,
  reason: string | null,
) {
  return deps.payment.refund(
    { orderId: order.id, amount, currency: order.currency, reason, idempotencyKey },
    refundSettlement(deps, actor),
  );
}

/** The idempotency key of a return's refund: sending it twice, or by two admins, refunds once. */
export function returnRefundKey(orderId: string, returnId: string): string {
  return `orderly-${orderId}-return-${returnId}`;
}

/** The return whose `returnRefundKey` this is; null for any other key, a cancellation's too. */
function returnOfRefundKey(orderId: string, key: string): string | null {
  const prefix = returnRefundKey(orderId, '');
  const returnId = key.startsWith(prefix) ? key.slice(prefix.length) : '';
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(returnId) ? returnId : null;
}

/**
 * The returns context's record of a return's refund that the refund retry job completed (ADR
 * 0040), written in the transaction that records the refund: the order's row is locked, the
 * refund's own lines are written, the customer's figures not yet (the return's row comes before
 * them in the lock order).
 */
export type ReturnRefundCompleted = (
  trx: Db,
  refund: { orderId: string; returnId: string; amount: number },
  actor: ActorRef,
) => Promise<void>;

/**
 * How the payment context's refunds reach an order, whether made at once or by the retry job:
 * the order row is locked first, then the payment context writes its rows, then the order's
 * payment status, history and (for an admin) audit record follow in the same commit, and with
 * `returnRefunded` the return whose refund this commit completes.
 */
export function refundSettlement(
  deps: OrderDeps,
  actor: ActorRef,
  returnRefunded?: ReturnRefundCompleted,
): RefundSettlement {
  return {
    lockOrder: async (trx, orderId) => {
      await store.lockOrder(trx, orderId);
    },
    settle: (trx, outcome) => settleRefund(deps, trx, outcome, actor, returnRefunded),
  };
}

async function settleRefund(
  deps: OrderDeps,
  trx: Db,
  outcome: RefundOutcome,
  actor: ActorRef,
  returnRefunded: ReturnRefundCompleted | undefined,
): Promise<void> {
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
    const summary = await deps.payment.summary(trx, orderId);
    await store.setPaymentStatus(trx, orderId, summary.state);
    const refunded = `Refunded ${formatMoney(outcome.newlyRefunded, currency)}`;
    entries.unshift({
      type: 'refund',
      status: null,
      actor: actor.kind,
      actorId: actor.id,
      summary: reason && !ORDERLY_REASONS.has(reason) ? `${refunded}: ${reason}` : refunded,
      details: { amount: outcome.newlyRefunded, reason },
    });
  }
  if (entries.length > 0) await store.addHistory(trx, orderId, entries);
  // after the refund's line, so the return's follows it on the timeline as when the admin refunds
  for (const done of outcome.completed) {
    const returnId = returnOfRefundKey(orderId, done.key);
    if (returnId && returnRefunded)
      await returnRefunded(trx, { orderId, returnId, amount: done.amount }, actor);
  }
  // the customer's figures row comes after the return's in the lock order (ADR 0003)
  if (outcome.newlyRefunded > 0) await store.countRefund(trx, orderId, outcome.newlyRefunded);
}

/** A refund that ended without money going back, in the admin's words. */
function refundFailedSummary(amount: string, failure: 'refused' | 'unavailable', attempts: number): string {
  return failure === 'refused'
    ? `Refund of ${amount} failed: the payment provider refused it`
    : `Refund of ${amount} failed: the payment provider could not be reached in ${attempts} attempts`;
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
  await writeTransaction(deps.db, deps.log, async (trx) => {
    const order = await store.lockOrder(trx, orderId);
    if (!order) return;
    const refunded = await apply(trx);
    if (!refunded) return;
    const summary = await deps.payment.summary(trx, orderId);
    await store.setPaymentStatus(trx, orderId, summary.state);
    await store.countRefund(trx, orderId, refunded.amount);
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

/**
 * Support's refund limit (docs/staff.md), for every route that refunds money an admin names: the
 * order's refund and a return's. Checked before anything is read or sent: the limit is about the
 * person, whatever the order. 403 `refund_limit_exceeded`.
 */
export function assertWithinRefundLimit(deps: OrderDeps, user: AuthUser, amount: number): void {
  const breach = refundLimitBreach(user.staffRole, amount, deps.supportRefundLimit);
  if (!breach) return;
  const currency = deps.catalog.currency;
  throw new AppError(
    403,
    'refund_limit_exceeded',
    `Support staff may refund at most ${formatMoney(breach.limit, currency)} at a time; this refund is ${formatMoney(breach.amount, currency)}. Ask an owner or a staff member to make it.`,
    // in the API's money, like the amount that was sent
    { limit: fromMinor(breach.limit, currency), amount: fromMinor(breach.amount, currency), currency },
  );
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
  assertWithinRefundLimit(deps, user, amount);
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
