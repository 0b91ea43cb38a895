import type { Logger } from 'pino';
import type { Db } from '../platform/db.ts';
import { appendEvents } from '../platform/outbox.ts';
import type { RetryPolicy } from '../platform/retry.ts';
import { paymentEvent } from './events.ts';
import { summarize, type PaymentSummary } from './model.ts';
import {
  PaymentRejectedError,
  PaymentUnavailableError,
  type ChargeRequest,
  type ChargeResult,
  type PaymentProvider,
  type PaymentStatus,
} from './provider.ts';
import { Refunds, type RefundOutcome, type RefundRequest, type RefundSettlement } from './refunds.ts';
import * as store from './store.ts';

/** The gateway could not be reached: re-exported so other contexts need only this module. */
export { PaymentUnavailableError } from './provider.ts';
export type { RefundOutcome, RefundRequest, RefundSettlement } from './refunds.ts';

/**
 * What became of a charge: the gateway's answer, or `unavailable` (it could not be reached and
 * confirms nothing was charged) or `unknown` (it could not even be asked: recovery decides later).
 */
/** How money taken outside the gateway was paid. */
export const OFFLINE_METHODS = ['cash', 'bank_transfer', 'card_terminal', 'other'] as const;
export type OfflineMethod = (typeof OFFLINE_METHODS)[number];

export type ChargeOutcome = ChargeResult | { status: 'unavailable' } | { status: 'unknown' };

/**
 * Payments and refunds of orders. Calls to the gateway happen outside any transaction; what
 * they did is recorded afterwards, keyed by idempotency keys so that a retry, a webhook and a
 * recovery pass all land on the same record.
 */
export class PaymentService {
  readonly #db: Db;
  readonly #provider: PaymentProvider;
  readonly #log: Logger;
  readonly #refunds: Refunds;

  constructor(db: Db, provider: PaymentProvider, log: Logger, retry: Partial<RetryPolicy> = {}) {
    this.#db = db;
    this.#provider = provider;
    this.#log = log;
    this.#refunds = new Refunds(db, provider, log, retry);
  }

  get providerName(): string {
    return this.#provider.name;
  }

  /** The idempotency key of an order's charge: derived from the order, so every retry reuses it. */
  chargeKey(orderId: string, label = 'placement'): string {
    return `orderly-${orderId}-${label}`;
  }

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    try {
      return await this.#provider.charge(request);
    } catch (error) {
      if (error instanceof PaymentRejectedError) {
        // The gateway refused the request itself (this key already used with other parameters, an
        // amount below its minimum…): nothing was charged, so the order fails like a decline
        // instead of a 500, and the code says why.
        this.#log.warn({ orderId: request.orderId, code: error.code }, 'payment refused by the gateway');
        return {
          status: 'declined',
          paymentId: null,
          code: error.code,
          declineCode: null,
          message:
            error.code === 'idempotency_conflict'
              ? 'This payment clashes with an earlier attempt for the same order. Reload the order and try again.'
              : 'The payment provider could not accept this payment. Try another card or contact us.',
        };
      }
      if (!(error instanceof PaymentUnavailableError)) throw error;
      this.#log.warn(
        { orderId: request.orderId, err: error },
        'payment gateway unavailable; asking for status',
      );
      try {
        const status = await this.#provider.status({
          orderId: request.orderId,
          idempotencyKey: request.idempotencyKey,
        });
        if (status.status === 'succeeded') return status;
        if (status.status === 'requires_action') return { status: 'unknown' };
        // Not there yet is not "never": the order waits for the recovery job to ask again.
        if (status.status === 'not_found' && error.mayStillComplete) return { status: 'unknown' };
        return { status: 'unavailable' };
      } catch {
        return { status: 'unknown' };
      }
    }
  }

  status(orderId: string, idempotencyKey: string, paymentId?: string | null): Promise<PaymentStatus> {
    return this.#provider.status({ orderId, idempotencyKey, paymentId: paymentId ?? null });
  }

  /**
   * Records a charge's result inside the caller's transaction and publishes PaymentProcessed or
   * PaymentFailed the first time it is seen. Returns true when this call recorded the success.
   */
  async record(
    trx: Db,
    charge: { orderId: string; idempotencyKey: string; amount: number; currency: string },
    result: ChargeResult,
  ): Promise<boolean> {
    const timestamp = new Date().toISOString();
    const status = result.status === 'declined' ? 'failed' : result.status;
    const saved = await store.upsertCharge(trx, {
      orderId: charge.orderId,
      provider: this.#provider.name,
      providerPaymentId: result.paymentId,
      idempotencyKey: charge.idempotencyKey,
      amount: charge.amount,
      currency: charge.currency,
      status,
      failureCode: result.status === 'declined' ? (result.declineCode ?? result.code) : null,
      failureMessage: result.status === 'declined' ? result.message : null,
    });
    if (saved.previousStatus === status || saved.previousStatus === 'succeeded') return false;
    if (result.status === 'succeeded') {
      await appendEvents(trx, [
        paymentEvent('PaymentProcessed', {
          paymentId: saved.id,
          orderId: charge.orderId,
          amount: charge.amount,
          currency: charge.currency,
          timestamp,
        }),
      ]);
      return true;
    }
    if (result.status === 'declined') {
      await appendEvents(trx, [
        paymentEvent('PaymentFailed', {
          paymentId: saved.id,
          orderId: charge.orderId,
          reason: result.message,
          code: result.declineCode ?? result.code,
          timestamp,
        }),
      ]);
    }
    return false;
  }

  /**
   * Records money taken outside the gateway (a phone order paid in cash, by bank transfer, on the
   * shop's own terminal) in the caller's transaction, and publishes PaymentProcessed the first
   * time. Orderly cannot refund it through a gateway: such a refund happens outside too.
   */
  async recordOffline(
    trx: Db,
    payment: { orderId: string; amount: number; currency: string; method: OfflineMethod },
  ): Promise<{ paymentId: string; recorded: boolean }> {
    const saved = await store.insertOfflinePayment(trx, {
      ...payment,
      idempotencyKey: this.chargeKey(payment.orderId, 'offline'),
    });
    if (saved.recorded) {
      await appendEvents(trx, [
        paymentEvent('PaymentProcessed', {
          paymentId: saved.id,
          orderId: payment.orderId,
          amount: payment.amount,
          currency: payment.currency,
          timestamp: new Date().toISOString(),
        }),
      ]);
    }
    return { paymentId: saved.id, recorded: saved.recorded };
  }

  /** A failure with no gateway answer (unreachable); published so the order's story is complete. */
  async recordUnreachable(trx: Db, orderId: string): Promise<void> {
    await appendEvents(trx, [
      paymentEvent('PaymentFailed', {
        paymentId: null,
        orderId,
        reason: 'The payment provider could not be reached.',
        code: 'payment_unavailable',
        timestamp: new Date().toISOString(),
      }),
    ]);
  }

  async summaries(orderIds: readonly string[]): Promise<Map<string, PaymentSummary>> {
    const totals = await store.totalsFor(this.#db, orderIds);
    return new Map([...totals].map(([id, t]) => [id, summarize(t.charges, t.refundedSucceeded)]));
  }

  async summary(db: Db, orderId: string): Promise<PaymentSummary> {
    const totals = await store.totalsFor(db, [orderId]);
    const t = totals.get(orderId) ?? { charges: [], refundedSucceeded: 0 };
    return summarize(t.charges, t.refundedSucceeded);
  }

  /** Captured minus refunded, per UTC day (`YYYY-MM-DD`) of the last `days` days: the dashboard's revenue. */
  netRevenueByDay(currency: string, days: number): Promise<Map<string, number>> {
    return store.netRevenueByDay(this.#db, currency, days);
  }

  /** The order a gateway payment id belongs to, if Orderly created it. */
  findCharge(providerPaymentId: string) {
    return store.findByProviderId(this.#db, this.#provider.name, providerPaymentId);
  }

  /** See `Refunds.refund`: hold, call the gateway, record, with the order's settlement. */
  refund(
    request: RefundRequest,
    settlement: RefundSettlement,
  ): Promise<RefundOutcome & { requested: number }> {
    return this.#refunds.refund(request, settlement);
  }

  /** The refund retry job's tick (`Refunds.retryDue`). */
  retryDueRefunds(settlement: RefundSettlement): Promise<number> {
    return this.#refunds.retryDue(settlement);
  }
}
