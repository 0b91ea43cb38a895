import type { Logger } from 'pino';
import { AppError } from '../platform/errors.ts';
import type { PaymentStatus } from './provider.ts';

/**
 * A charge written down before the provider is asked for it, so that a process dying between
 * the provider's charge and its record leaves a trace for the recovery job (ADR 0041 for a dearer
 * exchange, ADR 0043 for an order change). Each context keeps its own table of them; what is
 * the same for all of them is here.
 *
 * `open` from before the provider is asked until what it pays for is `made`, or it is found
 * `not_charged`, or it is given back (`refunding`, then `refunded`, or `refund_failed` when the
 * provider refused the refund for good).
 */
export type ChargeIntentStatus = 'open' | 'made' | 'refunding' | 'refunded' | 'not_charged' | 'refund_failed';

/** What the provider holds under an intent's key, as recovery acts on it. */
export type ChargeFound =
  | { status: 'charged'; outcome: Extract<PaymentStatus, { status: 'succeeded' }> }
  | { status: 'not_charged' }
  /** it may still move money (authentication, processing): to be asked again later */
  | { status: 'undecided' };

/** Only a charge the provider says went through is money to give back. */
export function chargeFound(status: PaymentStatus): ChargeFound {
  switch (status.status) {
    case 'succeeded':
      return { status: 'charged', outcome: status };
    case 'requires_action':
      return { status: 'undecided' };
    case 'failed':
    case 'not_found':
      return { status: 'not_charged' };
  }
}

/**
 * The recovery job's pass over intents due (left `open` or `refunding` for a grace period): each
 * is claimed first, so one pass of any instance works on it at a time, and one that fails is
 * looked at again a grace period later. Returns how many `recover` settled.
 */
export async function recoverIntents<T extends { key: string; orderId: string }>(
  log: Logger,
  due: readonly T[],
  claim: (intent: T) => Promise<boolean>,
  recover: (intent: T) => Promise<boolean>,
  what: string,
): Promise<number> {
  let settled = 0;
  for (const intent of due) {
    try {
      if (!(await claim(intent))) continue;
      if (await recover(intent)) settled++;
    } catch (error) {
      log.warn({ err: error, orderId: intent.orderId, key: intent.key }, `recovery: ${what} not settled yet`);
    }
  }
  return settled;
}

/**
 * Refunds a recorded intent that is `refunding` and marks how it ended: `refunded`, or
 * `refund_failed` when the provider refused it for good (the refund's own failure is on the
 * order's timeline and told to the shop, ADR 0017). A refund still under way leaves it
 * `refunding`, for the next pass to send again with the same key. True once it has ended.
 */
export async function giveBack(
  refund: () => Promise<{ refunded: number }>,
  amount: number,
  mark: (to: 'refunded' | 'refund_failed') => Promise<unknown>,
): Promise<boolean> {
  let refunded: number;
  try {
    ({ refunded } = await refund());
  } catch (error) {
    if (!(error instanceof AppError && error.statusCode < 500)) throw error;
    await mark('refund_failed');
    return true;
  }
  if (refunded < amount) return false;
  await mark('refunded');
  return true;
}
