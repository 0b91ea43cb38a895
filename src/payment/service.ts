import type { Logger } from 'pino';
import type { Db } from '../platform/db.ts';
import { AppError, unprocessable } from '../platform/errors.ts';
import { writeTransaction } from '../platform/locks.ts';
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

/** The gateway could not be reached: re-exported so other contexts need only this module. */
export { PaymentUnavailableError } from './provider.ts';

/**
 * What became of a charge: the gateway's answer, or `unavailable` (it could not be reached and
 * confirms nothing was charged) or `unknown` (it could not even be asked: recovery decides later).
 */
export type ChargeOutcome = ChargeResult | { status: 'unavailable' } | { status: 'unknown' };

export interface RefundOutcome {
  /** minor units refunded under this idempotency key, by this call and any before it */
  refunded: number;
  /** minor units this call refunded; 0 when a retry found everything done already */
  newlyRefunded: number;
  /** refunds this call completed */
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
   * Refunds `amount` of an order's captured money (or all that is left: `'remaining'`), split
   * over its charges. Three steps: hold the amount against the charges (so concurrent refunds can
   * never exceed what was paid), call the gateway with one idempotency key per part, then record.
   * `settle` runs in that last transaction so the order's own record moves with it. A retry with
   * the same key finishes what an interrupted attempt started instead of refunding again; the
   * same key with another amount is refused. Both transactions take `lockOrder` first: the order
   * row comes before payment rows in the lock order (platform/locks.ts), as in settlement.
   */
  async refund(
    request: {
      orderId: string;
      amount: number | 'remaining';
      currency: string;
      reason: string | null;
      idempotencyKey: string;
    },
    settle: (trx: Db, outcome: RefundOutcome) => Promise<void>,
    lockOrder: (trx: Db) => Promise<unknown>,
  ): Promise<RefundOutcome> {
    await writeTransaction(this.#db, this.#log, async (trx) => {
      await lockOrder(trx);
      // The charges' lock serialises refunds of one order, so the look-up below sees a
      // concurrent request with the same key once it has committed, and the unique key never trips.
      const charges = await store.chargesOf(trx, request.orderId, true);
      const previous = await this.#refundsFor(trx, request.idempotencyKey);
      if (previous.length > 0) {
        const amount = previous.reduce((s, r) => s + r.amount, 0);
        if (request.amount !== 'remaining' && amount !== request.amount) {
          throw unprocessable(
            'idempotency_key_reused',
            'This Idempotency-Key was already used for a refund of another amount. Use a new key for a new refund.',
            { amount },
          );
        }
        return;
      }
      const left = charges
        .filter((c) => c.status === 'succeeded')
        .reduce((s, c) => s + c.amount - c.refunded, 0);
      const amount = request.amount === 'remaining' ? left : request.amount;
      if (amount === 0 && request.amount === 'remaining') return;
      const parts = allocateRefund(charges, amount);
      if (!parts) {
        throw unprocessable(
          'refund_exceeds_payment',
          'The refund is larger than what is left of the payment.',
          {
            requested: amount,
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
    return this.#executePendingRefunds(
      request.orderId,
      request.idempotencyKey,
      request.currency,
      settle,
      lockOrder,
    );
  }

  /** The parts of one refund request: keys `<key>:<n>`, and no other key that merely starts alike. */
  async #refundsFor(db: Db, key: string) {
    const rows = await store.refundsByKeyPrefix(db, `${key}:`);
    return rows.filter((r) => /^\d+$/.test(r.idempotencyKey.slice(key.length + 1)));
  }

  async #executePendingRefunds(
    orderId: string,
    keyPrefix: string,
    currency: string,
    settle: (trx: Db, outcome: RefundOutcome) => Promise<void>,
    lockOrder: (trx: Db) => Promise<unknown>,
  ): Promise<RefundOutcome> {
    const refunds = await this.#refundsFor(this.#db, keyPrefix);
    const charges = new Map((await store.chargesOf(this.#db, orderId)).map((c) => [c.id, c]));
    const results: Array<{
      id: string;
      outcome: { status: 'succeeded'; providerRefundId: string } | { status: 'failed' };
    }> = [];
    let unavailable = false;
    const refunded = refunds.filter((r) => r.status === 'succeeded').reduce((s, r) => s + r.amount, 0);
    for (const refund of refunds) {
      if (refund.status !== 'pending') continue;
      const providerPaymentId = charges.get(refund.paymentId)?.providerPaymentId;
      if (!providerPaymentId) continue;
      try {
        const answer = await this.#provider.refund({
          paymentId: providerPaymentId,
          amount: { amount: refund.amount, currency },
          // the part's own key: the same part always reaches the gateway with the same key
          idempotencyKey: refund.idempotencyKey,
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
    const outcome: RefundOutcome = { refunded, newlyRefunded: 0, refundIds: [] };
    await writeTransaction(this.#db, this.#log, async (trx) => {
      await lockOrder(trx);
      const timestamp = new Date().toISOString();
      for (const r of results) {
        const finished = await store.finishRefund(trx, r.id, r.outcome);
        if (!finished || r.outcome.status !== 'succeeded') continue;
        outcome.refunded += finished.amount;
        outcome.newlyRefunded += finished.amount;
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
