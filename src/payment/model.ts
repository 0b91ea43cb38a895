import type { RetryPolicy } from '../platform/retry.ts';

export type PaymentState =
  'pending' | 'requires_action' | 'paid' | 'failed' | 'partially_refunded' | 'refunded';

export interface PaymentSummary {
  state: PaymentState;
  /** minor units captured across all charges of the order */
  paid: number;
  /** minor units refunded (succeeded refunds) */
  refunded: number;
}

export interface ChargeRecord {
  status: 'requires_action' | 'succeeded' | 'failed';
  amount: number;
  refunded: number;
}

/** What an order's payments add up to; the single rule for "paid", "refunded" and the rest. */
export function summarize(charges: readonly ChargeRecord[], refundedSucceeded: number): PaymentSummary {
  const paid = charges.filter((c) => c.status === 'succeeded').reduce((sum, c) => sum + c.amount, 0);
  let state: PaymentState;
  if (paid > 0) {
    state = refundedSucceeded === 0 ? 'paid' : refundedSucceeded >= paid ? 'refunded' : 'partially_refunded';
  } else if (charges.some((c) => c.status === 'requires_action')) {
    state = 'requires_action';
  } else if (charges.some((c) => c.status === 'failed')) {
    state = 'failed';
  } else {
    state = 'pending';
  }
  return { state, paid, refunded: refundedSucceeded };
}

export interface RefundPart {
  paymentId: string;
  providerPaymentId: string;
  amount: number;
}

/**
 * Splits a refund over an order's charges, newest first, never more than each has left.
 * Returns null when the charges together cannot cover it ("cannot refund more than paid").
 */
export function allocateRefund(
  charges: ReadonlyArray<{
    id: string;
    providerPaymentId: string | null;
    amount: number;
    refunded: number;
    status: string;
  }>,
  amount: number,
): RefundPart[] | null {
  const parts: RefundPart[] = [];
  let left = amount;
  for (const charge of [...charges].reverse()) {
    if (left === 0) break;
    if (charge.status !== 'succeeded' || !charge.providerPaymentId) continue;
    const take = Math.min(left, charge.amount - charge.refunded);
    if (take <= 0) continue;
    parts.push({ paymentId: charge.id, providerPaymentId: charge.providerPaymentId, amount: take });
    left -= take;
  }
  return left === 0 ? parts : null;
}

/**
 * The refund retry job's timing: the first retry a minute after the gateway could not be reached,
 * doubling to at most an hour, `failed` after the tenth attempt (about eight hours in all), when
 * the shop is emailed. An outage of the gateway rarely lasts longer; a person must look after that.
 */
export const DEFAULT_REFUND_RETRY: RetryPolicy = {
  baseDelayMs: 60_000,
  maxDelayMs: 60 * 60_000,
  maxAttempts: 10,
  leaseMs: 5 * 60_000,
  batchSize: 20,
};

/** Why a refund ended `failed`: the gateway refused it, or could not be reached until the last attempt. */
export type RefundFailure = 'refused' | 'unavailable';
