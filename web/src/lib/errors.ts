/**
 * Turns API errors into sentences a shopper (or an admin) understands. Pages never show raw
 * JSON or codes: they call `describeError`, optionally with the names and currency of the
 * products in view so messages can say "Only 2 left of Blue Mug".
 */
import { ApiError } from '../api.ts';
import { statusLabel } from './format.ts';

// The contract types an error's `details` as any object; these are the shapes the API puts there
// for the codes below, read defensively because an older or newer server may differ.

interface ValidationIssue {
  path: string;
  message: string;
}

interface StockShortage {
  productId: string;
  requested: number;
  available: number;
}

interface PriceChange {
  productId: string;
  expected: number;
  current: number;
}

export interface ErrorContext {
  /** product id → product name, for stock and price messages */
  names?: ReadonlyMap<string, string>;
  currency?: string;
  /** what the user was trying to do, e.g. "cancel this order" */
  action?: string;
}

const DECLINE_MESSAGES: Record<string, string> = {
  insufficient_funds: 'Your card was declined because of insufficient funds. Please use another card.',
  card_declined: 'Your card was declined. Please use another card or contact your bank.',
  generic_decline: 'Your card was declined. Please use another card or contact your bank.',
  expired_card: 'Your card has expired. Please use another card.',
  incorrect_cvc: 'The card’s security code is incorrect. Please check it or use another card.',
  processing_error: 'The payment could not be processed. Please try again in a moment.',
  lost_card: 'Your card was declined. Please use another card or contact your bank.',
  stolen_card: 'Your card was declined. Please use another card or contact your bank.',
};

const GENERIC: Record<string, string> = {
  network_error: 'We could not reach the shop. Check your connection and try again.',
  invalid_credentials: 'That email and password do not match an account. Check them and try again.',
  email_taken: 'An account with this email already exists. Sign in instead, or use another email.',
  unauthorized: 'Please sign in to continue.',
  invalid_token: 'Your session has expired. Please sign in again.',
  forbidden: 'Your account is not allowed to do this.',
  not_found: 'We could not find what you were looking for. It may have been removed.',
  rate_limited: 'Too many attempts in a short time. Please wait a minute and try again.',
  service_unavailable: 'The shop is briefly unavailable. Please try again in a moment.',
  internal_error: 'Something went wrong on our side. Please try again in a moment.',
  bad_response: 'Something went wrong. Please try again.',
  cart_empty: 'Your cart is empty. Add something before checking out.',
  empty_cart: 'Your cart is empty. Add something before checking out.',
  idempotency_in_progress: 'This order is already being placed. Wait a moment, then check your orders.',
  idempotency_key_reused:
    'This checkout attempt changed while it was being sent. Please press Place order again.',
  payment_pending:
    'We could not confirm your payment yet. Your order is on hold and will be confirmed or cancelled automatically within minutes — you will not be charged twice.',
  payment_unavailable:
    'The payment service could not be reached and your card was not charged. Please try again in a moment.',
  payment_method_required: 'The change costs more than your order. Choose a card to pay the difference.',
  refund_exceeds_payment: 'The refund is more than what is left to refund on this order.',
  refund_refused: 'The payment provider refused the refund.',
  product_unavailable: 'An item is no longer sold. Please remove it from your cart and try again.',
  product_not_found: 'An item no longer exists. Please remove it from your cart and try again.',
  order_empty: 'An order needs at least one item. To remove everything, cancel the order instead.',
  below_reserved: 'Stock on hand cannot go below the units reserved for open orders.',
  invalid_cursor: 'The list changed while you were browsing. Please start again from the first page.',
};

function nameOf(id: string, ctx: ErrorContext): string {
  return ctx.names?.get(id) ?? 'an item in your cart';
}

function asArray<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

/** Field-level problems from a 400 `validation_failed` answer, keyed by the last path segment. */
export function validationIssues(error: unknown): ValidationIssue[] {
  if (!(error instanceof ApiError)) return [];
  return asArray<ValidationIssue>(error.details['issues']).filter(
    (i) => typeof i?.path === 'string' && typeof i?.message === 'string',
  );
}

export function shortageSentences(items: StockShortage[], ctx: ErrorContext): string[] {
  return items.map((item) =>
    item.available <= 0
      ? `${nameOf(item.productId, ctx)} is out of stock — please remove it from your cart.`
      : `Only ${item.available} left of ${nameOf(item.productId, ctx)} — please lower the quantity.`,
  );
}

/**
 * The amounts in `price_changed` details are not shown: the API sends them in minor units there
 * (unlike everywhere else); the refreshed cart shows the old and new price instead.
 */
export function priceChangeSentences(items: PriceChange[], ctx: ErrorContext): string[] {
  return items.map(
    (item) => `The price of ${nameOf(item.productId, ctx)} has changed — please review your cart.`,
  );
}

/** A sentence (or a few) for a failed call. */
export function describeError(error: unknown, ctx: ErrorContext = {}): string {
  if (!(error instanceof ApiError)) {
    return 'Something unexpected happened. Please reload the page and try again.';
  }
  const d = error.details;
  switch (error.code) {
    case 'out_of_stock':
    case 'insufficient_stock': {
      const items = asArray<StockShortage>(d['items']);
      if (items.length > 0) return shortageSentences(items, ctx).join(' ');
      return 'Some items are no longer in stock in the quantity you asked for. Please review your cart.';
    }
    case 'price_changed': {
      const items = asArray<PriceChange>(d['items']);
      if (items.length > 0) return priceChangeSentences(items, ctx).join(' ');
      return 'Some prices have changed since you added the items. Please review your cart.';
    }
    case 'payment_declined': {
      const code = typeof d['declineCode'] === 'string' ? d['declineCode'] : '';
      return DECLINE_MESSAGES[code] ?? 'Your card was declined. Please use another card.';
    }
    case 'invalid_transition': {
      const status = typeof d['status'] === 'string' ? d['status'] : '';
      const what = ctx.action ?? 'do this';
      return status
        ? `We could not ${what}: the order is now ${statusLabel(status).toLowerCase()}. The page has been refreshed.`
        : `We could not ${what} in the order's current state.`;
    }
    case 'validation_failed':
    case 'invalid_request': {
      const issues = validationIssues(error);
      if (issues.length > 0) {
        return `Please check the form: ${issues.map((i) => `${fieldLabel(i.path)} ${i.message}`).join('; ')}.`;
      }
      return 'Some of the information is not valid. Please check the form and try again.';
    }
  }
  const known = GENERIC[error.code];
  if (known) return known;
  if (error.status === 0) return GENERIC['network_error'] as string;
  if (error.status >= 500) return GENERIC['internal_error'] as string;
  // the API writes its messages for people; a code we do not know still has a sentence
  return error.message || 'Something went wrong. Please try again.';
}

const FIELD_LABELS: Record<string, string> = {
  street: 'Street',
  city: 'City',
  state: 'State',
  zip: 'ZIP code',
  country: 'Country',
  email: 'Email',
  password: 'Password',
  name: 'Name',
  phone: 'Phone',
  quantity: 'Quantity',
  reason: 'Reason',
  amount: 'Amount',
  trackingNumber: 'Tracking number',
  carrier: 'Carrier',
  token: 'Card',
};

export function fieldLabel(path: string): string {
  const last =
    path
      .split('.')
      .filter((p) => !/^\d+$/.test(p))
      .pop() ?? path;
  return FIELD_LABELS[last] ?? last;
}

/** Maps server validation issues to form field names (the last path segment). */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of validationIssues(error)) {
    const key = issue.path.split('.').pop() ?? issue.path;
    out[key] ??= `${fieldLabel(issue.path)} ${issue.message}`;
  }
  return out;
}

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}
