import { chargeFound } from '../payment/charge-intents.ts';
import type { ChargeOutcome } from '../payment/service.ts';
import type { AuthUser } from '../platform/auth/model.ts';
import type { Db } from '../platform/db.ts';
import { formatMoney } from '../platform/money.ts';
import { recordExtraCharge } from './change-charges.ts';
import { owned, SYSTEM, type ActorRef, type OrderDeps } from './deps.ts';
import { extraChargeError } from './errors.ts';
import { assertWithinRefundLimit, refundPayment, returnRefundKey } from './refunds.ts';
import * as store from './store.ts';
import type { OrderRecord } from './store.ts';

/** A dearer exchange's charge that went through: recorded with the return, or refunded if none is made. */
export interface ExchangePayment {
  key: string;
  amount: number;
  /** the charge on the order's payments, in the caller's transaction (given back: `refundExchangeCharge`) */
  record(trx: Db): Promise<void>;
}

/** What the provider did with an exchange's charge, asked by its key after a request was lost. */
export type ExchangeChargeFound =
  | { status: 'charged'; payment: ExchangePayment }
  | { status: 'not_charged' }
  /** it may still move money (authentication, processing): to be asked again later */
  | { status: 'undecided' };

/**
 * What the returns context (ADR 0028) needs of an order, kept here because the orders context
 * owns the order's rows: its lock, its timeline, its payments and its refund path. A return's
 * refund has the idempotency key `orderly-<orderId>-return-<returnId>`, so sending it twice
 * refunds once; a dearer exchange is charged with `orderly-<orderId>-exchange-<digest>`, and its
 * charge given back on cancellation with `orderly-<orderId>-return-<returnId>-cancel`, on
 * rejection with the return's own key.
 */
export function returnsPort(deps: OrderDeps) {
  return {
    lock: (trx: Db, orderId: string) => store.lockOrder(trx, orderId),
    find: (db: Db, orderId: string) => store.find(db, orderId),
    findMany: (db: Db, orderIds: readonly string[]) => store.findMany(db, orderIds),
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
    /** support's refund limit, as the order's refund route applies it; throws 403 `refund_limit_exceeded` */
    assertRefundLimit: (user: AuthUser, amount: number) => assertWithinRefundLimit(deps, user, amount),
    refund: (order: OrderRecord, amount: number, actor: ActorRef, returnId: string, reason: string) =>
      refundPayment(deps, order, amount, actor, returnRefundKey(order.id, returnId), reason),
    /**
     * gives back a cancelled or rejected exchange's charge: at most `amount`, as much of it as the
     * order's refunds left (a refund of the whole order gave the charge back with the rest). A
     * cancellation's key is its own, so it never meets the return's refund; a rejected return is
     * never refunded otherwise, so its charge goes back under the return's own key.
     */
    refundDroppedExchange: (
      order: OrderRecord,
      amount: number,
      actor: ActorRef,
      returnId: string,
      step: 'cancel' | 'reject',
      reason: string,
    ) =>
      refundPayment(
        deps,
        order,
        { atMost: amount },
        actor,
        step === 'cancel'
          ? `${returnRefundKey(order.id, returnId)}-cancel`
          : returnRefundKey(order.id, returnId),
        reason,
      ),
    exchangeChargeKey: (orderId: string, digest: string) =>
      deps.payment.chargeKey(orderId, `exchange-${digest}`),
    /**
     * Charges what a dearer exchange costs, outside any transaction, while the shopper waits: a
     * charge that does not go through is the same error a change to an order meets.
     */
    async payExchange(
      order: OrderRecord,
      amount: number,
      paymentMethod: { type: string; token: string },
      key: string,
    ): Promise<ExchangePayment> {
      const outcome = await deps.payment.charge({
        orderId: order.id,
        amount: { amount, currency: order.currency },
        paymentMethod,
        idempotencyKey: key,
        description: `Orderly order ${order.id} exchange`,
      });
      if (outcome.status !== 'succeeded') throw extraChargeError(order.id, outcome, 'exchange');
      return exchangePayment(deps, order, amount, key, outcome);
    },
    /**
     * For the recovery of a request that died after charging (ADR 0041): what the provider holds
     * under the charge's key. Only a charge it says went through is money to give back.
     */
    async exchangeCharge(order: OrderRecord, amount: number, key: string): Promise<ExchangeChargeFound> {
      const found = chargeFound(await deps.payment.status(order.id, key));
      return found.status === 'charged'
        ? { status: 'charged', payment: exchangePayment(deps, order, amount, key, found.outcome) }
        : found;
    },
    /**
     * Gives a recorded exchange charge back, by the system, with the key `<charge key>-undo`: the
     * request that could not make its return and the recovery job send the same refund, made once.
     */
    refundExchangeCharge: (order: OrderRecord, amount: number, key: string, reason: string) =>
      refundPayment(deps, order, amount, SYSTEM, `${key}-undo`, reason),
  };
}

function exchangePayment(
  deps: OrderDeps,
  order: OrderRecord,
  amount: number,
  key: string,
  outcome: Extract<ChargeOutcome, { status: 'succeeded' }>,
): ExchangePayment {
  return {
    key,
    amount,
    record: (trx) =>
      recordExtraCharge(
        deps,
        trx,
        order,
        { key, amount, outcome },
        {
          type: 'payment',
          status: null,
          actor: 'customer',
          actorId: order.customerId,
          summary: `Payment of ${formatMoney(amount, order.currency)} received for an exchange`,
          details: { amount },
        },
      ),
  };
}
