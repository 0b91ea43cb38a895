import type { Logger } from 'pino';
import type { Db } from '../platform/db.ts';
import { AppError, unprocessable } from '../platform/errors.ts';
import { writeTransaction } from '../platform/locks.ts';
import { appendEvents } from '../platform/outbox.ts';
import { retryDelayMs, type RetryPolicy } from '../platform/retry.ts';
import { paymentEvent } from './events.ts';
import { DEFAULT_REFUND_RETRY, allocateRefund, type RefundFailure } from './model.ts';
import { PaymentRejectedError, PaymentUnavailableError, type PaymentProvider } from './provider.ts';
import * as refundStore from './refund-store.ts';
import * as store from './store.ts';

export interface RefundRequest {
  orderId: string;
  /**
   * minor units; or all that is left of the order's payments; or `atMost` that, when less is left
   * (what a charge of the order's gives back, part of which a refund of the whole may have taken)
   */
  amount: number | 'remaining' | { atMost: number };
  currency: string;
  reason: string | null;
  idempotencyKey: string;
}

export interface RefundOutcome {
  orderId: string;
  currency: string;
  /** the admin's words, or the system's label (`cancelled`, `late_payment`) */
  reason: string | null;
  /** minor units refunded under this idempotency key, by this call and any before it */
  refunded: number;
  /** minor units this call refunded; 0 when a retry found everything done already */
  newlyRefunded: number;
  /** refunds this call completed */
  refundIds: string[];
  /** parts that ended `failed` in this call: no money went back for them */
  failed: Array<{ refundId: string; amount: number; failure: RefundFailure; attempts: number }>;
  /**
   * requests (by idempotency key, without the part's `:<n>`) whose every part has now succeeded,
   * the last of them in this call, with all they refunded: each is here once, in the commit that
   * completes it, so what another context records of it is recorded once
   */
  completed: Array<{ key: string; amount: number }>;
}

/**
 * How a refund reaches the order it belongs to. Every refund transaction first takes the order
 * row's lock (`lockOrder`), then the payment rows: the one lock order of every path, so a refund
 * and a settlement of one order never wait on each other's rows. `settle` records on the order,
 * in the same transaction, what the attempt did (payment status, history).
 */
export interface RefundSettlement {
  lockOrder(trx: Db, orderId: string): Promise<void>;
  settle(trx: Db, outcome: RefundOutcome): Promise<void>;
}

interface RefundAttempt {
  refund: refundStore.RefundRow;
  result:
    | { status: 'succeeded'; providerRefundId: string }
    | { status: 'refused'; error: string }
    | { status: 'unavailable'; error: string };
  /** the refund ends with this attempt: succeeded, refused, or unreachable at the last attempt */
  final: boolean;
}

/**
 * Orderly's own refunds of an order's payments: made at once when the gateway answers, retried
 * by the refund job (`retryDue`) when it could not be reached, recorded on the order through the
 * orders context's `RefundSettlement` either way.
 */
export class Refunds {
  readonly #db: Db;
  readonly #provider: PaymentProvider;
  readonly #log: Logger;
  readonly #retry: RetryPolicy;

  constructor(db: Db, provider: PaymentProvider, log: Logger, retry: Partial<RetryPolicy> = {}) {
    this.#db = db;
    this.#provider = provider;
    this.#log = log;
    this.#retry = { ...DEFAULT_REFUND_RETRY, ...retry };
  }

  /**
   * Refunds `amount` of an order's captured money (or all that is left: `'remaining'`), split
   * over its charges. Three steps: hold the amount against the charges (so concurrent refunds can
   * never exceed what was paid), call the gateway with one idempotency key per part, then record.
   * Both transactions take the order's lock first (`settlement.lockOrder`), then the payment rows:
   * the lock order every path follows. A retry with the same key finishes what an interrupted
   * attempt started instead of refunding again, and repeats the answer of one that ended: a
   * refusal is refused again; the same key with another amount is refused. The answer adds
   * `requested`: what the key asks for in all, which `remaining` or `atMost` came to (0 when
   * nothing was left, and nothing is refunded).
   */
  async refund(
    request: RefundRequest,
    settlement: RefundSettlement,
  ): Promise<RefundOutcome & { requested: number }> {
    await writeTransaction(this.#db, this.#log, async (trx) => {
      await settlement.lockOrder(trx, request.orderId);
      // The charges' lock serialises refunds of one order, so the look-up below sees a
      // concurrent request with the same key once it has committed, and the unique key never trips.
      const charges = await store.chargesOf(trx, request.orderId, true);
      const previous = await this.#refundsFor(trx, request.idempotencyKey);
      if (previous.length > 0) {
        const amount = previous.reduce((s, r) => s + r.amount, 0);
        if (typeof request.amount === 'number' && amount !== request.amount) {
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
      const amount =
        request.amount === 'remaining'
          ? left
          : typeof request.amount === 'number'
            ? request.amount
            : Math.min(request.amount.atMost, left);
      if (amount === 0 && typeof request.amount !== 'number') return;
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
        await refundStore.insertRefund(
          trx,
          {
            paymentId: part.paymentId,
            orderId: request.orderId,
            amount: part.amount,
            idempotencyKey: `${request.idempotencyKey}:${i}`,
            reason: request.reason,
          },
          { status: 'pending', leaseMs: this.#retry.leaseMs },
        );
      }
    });
    const refunds = await this.#refundsFor(this.#db, request.idempotencyKey);
    const charges = new Map((await store.chargesOf(this.#db, request.orderId)).map((c) => [c.id, c]));
    const attempts = await Promise.all(
      refunds
        .filter((r) => r.status === 'pending')
        .map((r) =>
          this.#attempt({
            ...r,
            currency: request.currency,
            providerPaymentId: charges.get(r.paymentId)?.providerPaymentId ?? null,
          }),
        ),
    );
    const outcome = await this.#record(
      request.orderId,
      request.currency,
      request.reason,
      attempts,
      settlement,
    );
    const before = refunds.filter((r) => r.status === 'succeeded').reduce((s, r) => s + r.amount, 0);
    outcome.refunded += before;
    const requested = refunds.reduce((s, r) => s + r.amount, 0);
    if (attempts.some((a) => a.result.status === 'unavailable' && !a.final)) {
      throw new AppError(
        502,
        'payment_unavailable',
        'The payment provider could not be reached; the refund will be retried automatically.',
        { orderId: request.orderId },
      );
    }
    if (outcome.refunded === 0) {
      // Every part ended failed, now or in an earlier request with this key: the same answer again.
      const failures = new Set([
        ...outcome.failed.map((f) => f.failure),
        ...refunds.filter((r) => r.status === 'failed').map((r) => r.failureCode),
      ]);
      if (failures.has('refused')) {
        throw unprocessable('refund_refused', 'The payment provider refused the refund.', {
          orderId: request.orderId,
        });
      }
      if (failures.has('unavailable')) {
        throw unprocessable(
          'refund_failed',
          'The payment provider could not be reached after every retry; the refund was not made.',
          { orderId: request.orderId },
        );
      }
    }
    return { ...outcome, requested };
  }

  /**
   * The retry job's tick: pending refunds whose time has come (the gateway was down, or the
   * process stopped between hold and answer) are tried again with the same idempotency key, so
   * a refund the gateway did make is found rather than made twice. Each outcome is recorded as
   * the first attempt's would have been; after the last attempt the refund ends `failed`
   * (RefundFailed: the order's timeline and an email to the shop). Returns how many it tried.
   */
  async retryDue(settlement: RefundSettlement): Promise<number> {
    let tried = 0;
    for (;;) {
      const due = await refundStore.claimDueRefunds(this.#db, this.#retry.batchSize, this.#retry.leaseMs);
      for (const refund of due) {
        const attempt = await this.#attempt(refund);
        await this.#record(refund.orderId, refund.currency, refund.reason, [attempt], settlement);
      }
      tried += due.length;
      if (due.length < this.#retry.batchSize) return tried;
    }
  }

  /** The parts of one refund request: keys `<key>:<n>`, and no other key that merely starts alike. */
  async #refundsFor(db: Db, key: string) {
    const rows = await refundStore.refundsByKeyPrefix(db, `${key}:`);
    return rows.filter((r) => /^\d+$/.test(r.idempotencyKey.slice(key.length + 1)));
  }

  /** One call to the gateway for one pending part; never throws for what the gateway answered. */
  async #attempt(
    refund: refundStore.RefundRow & { currency: string; providerPaymentId: string | null },
  ): Promise<RefundAttempt> {
    const done = (result: RefundAttempt['result']): RefundAttempt => ({
      refund,
      result,
      final: result.status !== 'unavailable' || refund.attempts >= this.#retry.maxAttempts,
    });
    if (!refund.providerPaymentId) {
      return done({ status: 'refused', error: 'The charge has no payment at the gateway to refund.' });
    }
    try {
      const answer = await this.#provider.refund({
        paymentId: refund.providerPaymentId,
        amount: { amount: refund.amount, currency: refund.currency },
        // the part's own key: the same part always reaches the gateway with the same key
        idempotencyKey: refund.idempotencyKey,
        ...(refund.reason === null ? {} : { reason: refund.reason }),
      });
      return done({ status: 'succeeded', providerRefundId: answer.refundId });
    } catch (error) {
      if (error instanceof PaymentRejectedError) {
        this.#log.warn({ orderId: refund.orderId, code: error.code }, 'refund refused by the gateway');
        return done({ status: 'refused', error: `${error.code}: ${error.message}` });
      }
      if (error instanceof PaymentUnavailableError) {
        this.#log.warn(
          { orderId: refund.orderId, refundId: refund.id, attempt: refund.attempts },
          'payment gateway unavailable for a refund',
        );
        return done({ status: 'unavailable', error: error.message });
      }
      throw error;
    }
  }

  /** Records attempts of one order's refunds: in one transaction, order row first, with what the order records. */
  async #record(
    orderId: string,
    currency: string,
    reason: string | null,
    attempts: readonly RefundAttempt[],
    settlement: RefundSettlement,
  ): Promise<RefundOutcome> {
    const outcome: RefundOutcome = {
      orderId,
      currency,
      reason,
      refunded: 0,
      newlyRefunded: 0,
      refundIds: [],
      failed: [],
      completed: [],
    };
    for (const { refund, result, final } of attempts) {
      if (final || result.status !== 'unavailable') continue;
      await refundStore.postponeRefund(
        this.#db,
        refund.id,
        retryDelayMs(refund.attempts, this.#retry),
        result.error,
      );
    }
    const finished = attempts.filter((a) => a.final);
    if (finished.length === 0) return outcome;
    await writeTransaction(this.#db, this.#log, async (trx) => {
      // a deadlock retry runs this again: count from nothing each time
      Object.assign(outcome, { refunded: 0, newlyRefunded: 0, refundIds: [], failed: [], completed: [] });
      await settlement.lockOrder(trx, orderId);
      const timestamp = new Date().toISOString();
      const succeededRequests = new Set<string>();
      for (const { refund, result } of finished) {
        const finish: refundStore.RefundFinish =
          result.status === 'succeeded'
            ? result
            : { status: 'failed', code: result.status, error: result.error };
        const row = await refundStore.finishRefund(trx, refund.id, finish);
        if (!row) continue;
        if (finish.status === 'succeeded') {
          outcome.refunded += row.amount;
          outcome.newlyRefunded += row.amount;
          outcome.refundIds.push(refund.id);
          // the part's key is its request's key and `:<n>`
          succeededRequests.add(refund.idempotencyKey.replace(/:\d+$/, ''));
          await appendEvents(trx, [
            paymentEvent('RefundIssued', {
              refundId: refund.id,
              paymentId: row.paymentId,
              orderId,
              amount: row.amount,
              currency,
              timestamp,
            }),
          ]);
        } else {
          outcome.failed.push({
            refundId: refund.id,
            amount: row.amount,
            failure: finish.code,
            attempts: refund.attempts,
          });
          await appendEvents(trx, [
            paymentEvent('RefundFailed', {
              refundId: refund.id,
              paymentId: row.paymentId,
              orderId,
              amount: row.amount,
              currency,
              failure: finish.code,
              attempts: refund.attempts,
              reason,
              timestamp,
            }),
          ]);
        }
      }
      for (const key of succeededRequests) {
        const parts = await this.#refundsFor(trx, key);
        if (parts.every((p) => p.status === 'succeeded')) {
          outcome.completed.push({ key, amount: parts.reduce((s, p) => s + p.amount, 0) });
        }
      }
      await settlement.settle(trx, outcome);
    });
    return outcome;
  }
}
