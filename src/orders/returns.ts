import type { AuthUser } from '../platform/auth/model.ts';
import type { Db } from '../platform/db.ts';
import { owned, type ActorRef, type OrderDeps } from './deps.ts';
import { refundPayment } from './refunds.ts';
import * as store from './store.ts';
import type { OrderRecord } from './store.ts';

/**
 * What the returns context (ADR 0028) needs of an order, kept here because the orders context
 * owns the order's rows: its lock, its timeline, and its refund path. A return's refund has the
 * idempotency key `orderly-<orderId>-return-<returnId>`, so sending it twice refunds once.
 */
export function returnsPort(deps: OrderDeps) {
  return {
    lock: (trx: Db, orderId: string) => store.lockOrder(trx, orderId),
    find: (db: Db, orderId: string) => store.find(db, orderId),
    /** the lines with their ids and totals as sold: what `refundableFor` divides */
    async lines(db: Db, orderId: string) {
      return (await store.linesOf(db, orderId)).map((l) => ({
        lineId: l.id,
        variantId: l.variantId,
        name: l.name,
        variantTitle: l.variantTitle,
        sku: l.sku,
        totals: {
          key: l.id,
          quantity: l.quantity,
          unitPriceMinor: l.unitPrice,
          subtotalMinor: l.unitPrice * l.quantity,
          discountMinor: l.discount,
          taxRateBasisPoints: l.taxRateBasisPoints,
          taxMinor: l.tax,
          totalMinor: l.total,
        },
      }));
    },
    owned: (user: AuthUser, orderId: string) => owned(deps.db, user, orderId),
    note: (trx: Db, orderId: string, actor: ActorRef, summary: string, details: Record<string, unknown>) =>
      store.addHistory(trx, orderId, [
        { type: 'note', status: null, actor: actor.kind, actorId: actor.id, summary, details },
      ]),
    async leftToRefund(db: Db, orderId: string): Promise<number> {
      const summary = await deps.payment.summary(db, orderId);
      return Math.max(0, summary.paid - summary.refunded);
    },
    refund: (order: OrderRecord, amount: number, actor: ActorRef, returnId: string, reason: string) =>
      refundPayment(deps, order, amount, actor, `orderly-${order.id}-return-${returnId}`, reason),
  };
}
