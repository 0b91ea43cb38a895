import type { ChargeOutcome } from '../payment/service.ts';
import { AppError, conflict, unprocessable } from '../platform/errors.ts';
import { formatMoney, fromMinor } from '../platform/money.ts';
import {
  allowedActions,
  type Decision,
  type OrderStatus,
  type PricedLine,
  type PricingProblem,
} from './model.ts';

/** The errors a person meets in the orders context, each with its code and words in one place. */

export function pricingError(problem: PricingProblem): AppError {
  switch (problem.kind) {
    case 'unknown_variants':
      return new AppError(404, 'product_not_found', 'A product in the order does not exist.', {
        productIds: problem.variantIds,
      });
    case 'unavailable_variants':
      return conflict('product_unavailable', 'A product in the order is no longer sold.', {
        productIds: problem.variantIds,
      });
    case 'currency_mismatch':
      return unprocessable('currency_mismatch', 'A product is priced in another currency.', {
        productIds: problem.variantIds,
      });
    case 'price_changed':
      return conflict(
        'price_changed',
        'A price changed since you saw it. Review the new prices and try again.',
        {
          items: problem.items,
        },
      );
  }
}

export function invalidTransition(status: OrderStatus, reason: string): AppError {
  return conflict('invalid_transition', reason, { status, allowed: allowedActions(status) });
}

/** The order moved between reading it and keeping a change: a 409 with where it is now. */
export function orderChanged(status: OrderStatus): AppError {
  if (status !== 'confirmed') {
    return invalidTransition(
      status,
      'The order was changed at the same time; nothing of your change was kept.',
    );
  }
  return conflict(
    'order_changed',
    'The order was changed at the same time; nothing of your change was kept. Review it and try again.',
    { status, allowed: allowedActions(status) },
  );
}

export function outOfStock(
  shortages: Array<{ variantId: string; available: number }>,
  lines: readonly PricedLine[],
): AppError {
  const names = shortages.map((s) => {
    const line = lines.find((l) => l.variantId === s.variantId);
    const name = line ? (line.variantTitle ? `${line.name} (${line.variantTitle})` : line.name) : 'a product';
    return s.available === 0 ? `${name} is out of stock` : `only ${s.available} of ${name} left`;
  });
  const text = names.join('; ');
  // productId first: what a v1 client reads; variantId says which variant of it ran short
  const items = shortages.map((s) => ({
    productId: lines.find((l) => l.variantId === s.variantId)?.productId ?? s.variantId,
    ...s,
  }));
  return conflict('out_of_stock', `${text.charAt(0).toUpperCase()}${text.slice(1)}.`, { items });
}

export function declineDetails(orderId: string, outcome: { code: string; declineCode: string | null }) {
  return { orderId, code: outcome.code, declineCode: outcome.declineCode };
}

export function declined(orderId: string, outcome: Extract<ChargeOutcome, { status: 'declined' }>): AppError {
  return new AppError(402, 'payment_declined', outcome.message, declineDetails(orderId, outcome));
}

export function paymentUnavailable(orderId: string): AppError {
  return new AppError(
    502,
    'payment_unavailable',
    'The payment provider could not be reached and your card was not charged. Please try again in a moment.',
    { orderId },
  );
}

/** The state machine's refusal as a person meets it: 409, or 422 when a guard's fact is missing. */
export function refused(
  status: OrderStatus,
  decision: Exclude<Decision, { allowed: true }>,
  details: Record<string, unknown> = {},
): AppError {
  if (decision.kind !== 'guard') return invalidTransition(status, decision.reason);
  if (
    decision.code === 'payment_not_captured' ||
    decision.code === 'amount_mismatch' ||
    decision.code === 'price_override_reason_required'
  )
    return unprocessable(decision.code, decision.reason, details);
  return conflict(decision.code, decision.reason, { status, ...details });
}

/**
 * A charge for more than the order was paid (a change that costs more, a dearer exchange) that
 * did not go through: it is made while the shopper waits, so a card asking for authentication
 * cannot finish it, and an unknown outcome is settled by sending the same request again.
 */
export function extraChargeError(
  orderId: string,
  outcome: Exclude<ChargeOutcome, { status: 'succeeded' }>,
  what: 'change' | 'exchange',
): AppError {
  switch (outcome.status) {
    case 'declined':
      return declined(orderId, outcome);
    case 'requires_action':
      return new AppError(
        402,
        'authentication_required',
        `This card asks for authentication, which paying for ${what === 'change' ? 'a change to an order' : 'an exchange'} cannot do. Use another card; nothing was ${what === 'change' ? 'changed' : 'asked for'}.`,
        { orderId },
      );
    case 'unavailable':
      return paymentUnavailable(orderId);
    case 'unknown':
      return new AppError(
        502,
        'payment_pending',
        `We could not confirm the payment for this ${what} with the payment provider, so nothing was ${what === 'change' ? 'changed' : 'asked for'}. Send the same ${what === 'change' ? 'change' : 'request'} again to finish it; you will not be charged twice.`,
        { orderId },
      );
  }
}

/**
 * Money moves only for the amount the person confirmed: a change to an order or an exchange that
 * costs more needs a card and the amount they saw, and that amount must still be what it costs
 * now. Nothing is charged when any of it is missing.
 */
export function assertChargeConfirmed(
  currency: string,
  amountDue: number,
  request: { paymentMethod?: unknown; confirmedAmount?: number | undefined },
  what: 'change' | 'exchange',
): void {
  const due = { amountDue: fromMinor(amountDue, currency), currency };
  const than = what === 'change' ? 'than the order' : 'than what comes back';
  if (amountDue > 0 && !request.paymentMethod) {
    throw unprocessable(
      'payment_method_required',
      `The ${what} costs more ${than}; give a card to pay the difference.`,
      due,
    );
  }
  if (amountDue > 0 && request.confirmedAmount === undefined) {
    throw unprocessable(
      'confirmation_required',
      `The ${what} costs ${formatMoney(amountDue, currency)} more. Confirm that amount to pay it.`,
      due,
    );
  }
  if (request.confirmedAmount !== undefined && request.confirmedAmount !== amountDue) {
    throw conflict(
      'amount_changed',
      `The ${what} now costs ${formatMoney(amountDue, currency)} more, not what was confirmed. Review it and confirm again; nothing was charged.`,
      { ...due, confirmedAmount: fromMinor(request.confirmedAmount, currency) },
    );
  }
}
