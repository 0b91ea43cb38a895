import type { Logger } from 'pino';
import type { Db } from '../platform/db.ts';
import { AppError, unprocessable } from '../platform/errors.ts';
import { appendEvents } from '../platform/outbox.ts';
import type { PaymentEvent } from './events.ts';
import { allocateRefund, summarize, type PaymentSummary } from './model.ts';
import {
  PaymentRejectedError,
  PaymentUnavailableError,
  type ChargeRequest,
  type ChargeResult,
  type PaymentProvider,
  type PaymentStatus,
} from './provider.ts';
import * as store from './store.ts';

/**
 * What became of a charge: the gateway's answer, or `unavailable` (it could not be reached and
 * confirms nothing was charged) or `unknown` (it could not even be asked: recovery decides later).
 */
export type ChargeOutcome = ChargeResult | { status: 'unavailable' } | { status: 'unknown' };

export interface RefundOutcome {
  refunded: number;
  refundIds: string[];
}

const event = (type: PaymentEvent['type'], orderId: string, payload: object): PaymentEvent =>
  ({ type, context: 'payment', aggregateId: orderId, payload }) as PaymentEvent;

/**
 * Payments and refunds of orders. Calls to the gateway happen outside any transaction; what
 * they did is recorded afterwards, keyed by idempotency keys so that a retry, a webhook and a
 * recovery pass all land on the same record.
 */
export class PaymentService {
  readonly #db: Db;
  readonly #provider: PaymentProvider;
  readonly #log: Logger;

  constructor(db: Db, provider: PaymentProvider, log: Logger) {
    this.#db = db;
    this.#provider = provider;
    this.#log = log;
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
        event('PaymentProcessed', charge.orderId, {
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
        event('PaymentFailed', charge.orderId, {
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

  /** A failure with no gateway answer (unreachable); published so the order's story is complete. */
  async recordUnreachable(trx: Db, orderId: string): Promise<void> {
    await appendEvents(trx, [
      event('PaymentFailed', orderId, {
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

  /** The order a gateway payment id belongs to, if Orderly created it. */
  findCharge(providerPaymentId: string) {
    return store.findByProviderId(this.#db, this.#provider.name, providerPaymentId);
  }

  /**
   * Refunds `amount` of an order's captured money, split over its charges. Three steps: hold the
   * amount against the charges (so concurrent refunds can never exceed what was paid), call the
   * gateway with one idempotency key per part, then record. `settle` runs in that last
   * transaction so the order's own record moves with it. A retry with the same key finishes what
   * an interrupted attempt started instead of refunding again.
   */
  async refund(
    request: {
      orderId: string;
      amount: number;
      currency: string;
      reason: string | null;
      idempotencyKey: string;
    },
    settle: (trx: Db, outcome: RefundOutcome) => Promise<void>,
  ): Promise<RefundOutcome> {
    const previous = await store.refundsByKeyPrefix(this.#db, `${request.idempotencyKey}:`);
    if (previous.length === 0) {
      await this.#db.transaction().execute(async (trx) => {
        const charges = await store.chargesOf(trx, request.orderId, true);
        const parts = allocateRefund(charges, request.amount);
        if (!parts) {
          const left = charges
            .filter((c) => c.status === 'succeeded')
            .reduce((s, c) => s + c.amount - c.refunded, 0);
          throw unprocessable(
            'refund_exceeds_payment',
            'The refund is larger than what is left of the payment.',
            {
              requested: request.amount,
              refundable: left,
            },
          );
        }
        for (const [i, part] of parts.entries()) {
          await store.insertPendingRefund(trx, {
            paymentId: part.paymentId,
            orderId: request.orderId,
            amount: part.amount,
            idempotencyKey: `${request.idempotencyKey}:${i}`,
            reason: request.reason,
          });
        }
      });
    }
    return this.#executePendingRefunds(request.orderId, request.idempotencyKey, request.currency, settle);
  }

  async #executePendingRefunds(
    orderId: string,
    keyPrefix: string,
    currency: string,
    settle: (trx: Db, outcome: RefundOutcome) => Promise<void>,
  ): Promise<RefundOutcome> {
    const refunds = await store.refundsByKeyPrefix(this.#db, `${keyPrefix}:`);
    const charges = new Map((await store.chargesOf(this.#db, orderId)).map((c) => [c.id, c]));
    const results: Array<{
      id: string;
      outcome: { status: 'succeeded'; providerRefundId: string } | { status: 'failed' };
    }> = [];
    let unavailable = false;
    const refunded = refunds.filter((r) => r.status === 'succeeded').reduce((s, r) => s + r.amount, 0);
    for (const [i, refund] of refunds.entries()) {
      if (refund.status !== 'pending') continue;
      const providerPaymentId = charges.get(refund.paymentId)?.providerPaymentId;
      if (!providerPaymentId) continue;
      try {
        const answer = await this.#provider.refund({
          paymentId: providerPaymentId,
          amount: { amount: refund.amount, currency },
          idempotencyKey: `${keyPrefix}:${i}`,
        });
        results.push({ id: refund.id, outcome: { status: 'succeeded', providerRefundId: answer.refundId } });
      } catch (error) {
        if (error instanceof PaymentRejectedError) {
          this.#log.warn({ orderId, code: error.code }, 'refund refused by the gateway');
          results.push({ id: refund.id, outcome: { status: 'failed' } });
        } else if (error instanceof PaymentUnavailableError) {
          unavailable = true;
        } else {
          throw error;
        }
      }
    }
    const outcome: RefundOutcome = { refunded, refundIds: [] };
    await this.#db.transaction().execute(async (trx) => {
      const timestamp = new Date().toISOString();
      for (const r of results) {
        const finished = await store.finishRefund(trx, r.id, r.outcome);
        if (!finished || r.outcome.status !== 'succeeded') continue;
        outcome.refunded += finished.amount;
        outcome.refundIds.push(r.id);
        await appendEvents(trx, [
          event('RefundIssued', orderId, {
            refundId: r.id,
            paymentId: finished.paymentId,
            orderId,
            amount: finished.amount,
            currency,
            timestamp,
          }),
        ]);
      }
      await settle(trx, outcome);
    });
    if (unavailable) {
      throw new AppError(
        502,
        'payment_unavailable',
        'The payment provider could not be reached; the refund will be retried automatically.',
        { orderId },
      );
    }
    if (outcome.refunded === 0 && results.some((r) => r.outcome.status === 'failed')) {
      throw unprocessable('refund_refused', 'The payment provider refused the refund.', { orderId });
    }
    return outcome;
  }
}
