/**
 * Exponential backoff for work that is retried from the database (messages to send, refunds the
 * gateway could not take): the pure rule both jobs follow, so they back off alike.
 */
export interface RetryPolicy {
  /** delay after the first failed attempt; doubles with each further failure */
  baseDelayMs: number;
  /** the doubling stops here */
  maxDelayMs: number;
  /** work whose attempts reach this many ends `failed` */
  maxAttempts: number;
  /**
   * How long claimed work is hidden from other instances while it is being done. Longer than
   * any provider's timeout; an instance that crashes mid-way leaves it to be retried after this.
   */
  leaseMs: number;
  /** rows claimed per round */
  batchSize: number;
}

/** The wait before the next attempt, after `attempts` attempts have failed (attempts ≥ 1). */
export function retryDelayMs(
  attempts: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
): number {
  const exponent = Math.max(0, attempts - 1);
  // 2^exponent overflows to Infinity long before it matters; min() keeps the cap exact.
  return Math.min(policy.baseDelayMs * 2 ** exponent, policy.maxDelayMs);
}

export type FailureOutcome = { status: 'failed' } | { status: 'pending'; delayMs: number };

/** What a failed attempt leads to: another try later, or the end. */
export function afterFailure(attempts: number, permanent: boolean, policy: RetryPolicy): FailureOutcome {
  if (permanent || attempts >= policy.maxAttempts) return { status: 'failed' };
  return { status: 'pending', delayMs: retryDelayMs(attempts, policy) };
}
