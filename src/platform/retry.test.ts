import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { afterFailure, retryDelayMs } from './retry.ts';

describe('retry policy', () => {
  it('doubles from the base delay and stops at the cap', () => {
    const policy = { baseDelayMs: 1000, maxDelayMs: 5000 };
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 60].map((n) => retryDelayMs(n, policy)),
      [1000, 2000, 4000, 5000, 5000, 5000, 5000],
    );
  });

  it('retries a transient failure until the last attempt, a permanent one never', () => {
    const policy = { baseDelayMs: 1000, maxDelayMs: 5 * 60_000, maxAttempts: 6, leaseMs: 1, batchSize: 1 };
    assert.deepEqual(afterFailure(1, false, policy), { status: 'pending', delayMs: 1000 });
    assert.deepEqual(afterFailure(5, false, policy), { status: 'pending', delayMs: 16_000 });
    assert.deepEqual(afterFailure(6, false, policy), { status: 'failed' });
    assert.deepEqual(afterFailure(1, true, policy), { status: 'failed' });
  });
});
