/**
 * Turns API errors into sentences a shopper (or an admin) understands. Pages never show raw
 * JSON or codes: they call `describeError`, optionally with the names and currency of the
 * products in view so messages can say "Only 2 left of Blue Mug".
 */
import { ApiError } from '../api.ts';
import {
  DECLINE_SENTENCES,
  ERROR_SENTENCES,
  isMachineCode,
  NO_ANSWER,
  sentenceFor,
  SERVER_FAILED,
} from './codes.ts';
import { statusLabel } from './format.ts';

// The contract types an error's `details` as any object; these are the shapes the API puts there
// for the codes below, read defensively because an older or newer server may differ.

interface ValidationIssue {
  path: string;
  message: string;
}

interface StockShortage {
  productId: string;
  variantId?: string;
  requested: number;
  available: number;
}

interface PriceChange {
  productId: string;
  variantId?: string;
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
      ? `${nameOf(item.variantId ?? item.productId, ctx)} is out of stock — please remove it from your cart.`
      : `Only ${item.available} left of ${nameOf(item.variantId ?? item.productId, ctx)} — please lower the quantity.`,
  );
}

/**
 * The amounts in `price_changed` details are not shown: the API sends them in minor units there
 * (unlike everywhere else); the refreshed cart shows the old and new price instead.
 */
export function priceChangeSentences(items: PriceChange[], ctx: ErrorContext): string[] {
  return items.map(
    (item) =>
      `The price of ${nameOf(item.variantId ?? item.productId, ctx)} has changed — please review your cart.`,
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
      // the quote's total no longer holds (a price, shipping, tax or the code changed)
      if (typeof d['currentTotal'] === 'number') {
        return 'The total has changed since you saw it. Check the new total, then place the order.';
      }
      return 'Some prices have changed since you added the items. Please review your cart.';
    }
    case 'payment_declined': {
      const code = typeof d['declineCode'] === 'string' ? d['declineCode'] : '';
      return sentenceFor(DECLINE_SENTENCES, code) ?? 'Your card was declined. Please use another card.';
    }
    case 'invalid_transition': {
      const status = typeof d['status'] === 'string' ? d['status'] : '';
      const what = ctx.action ?? 'do this';
      return status
        ? `We could not ${what}: the order is now ${statusLabel(status).toLowerCase()}. The page has been refreshed.`
        : `We could not ${what} in the order's current state.`;
    }
    case 'weak_password':
      return passwordAdvice(error) ?? 'Choose a longer password that is harder to guess.';
    case 'login_delayed': {
      const seconds = typeof d['retryAfterSeconds'] === 'number' ? d['retryAfterSeconds'] : 0;
      return `Too many failed sign-ins for this account. Wait ${waitFor(seconds)}, then try again.`;
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
  const known = sentenceFor(ERROR_SENTENCES, error.code);
  if (known) return known;
  if (error.status === 0) return NO_ANSWER;
  if (error.status >= 500) return SERVER_FAILED;
  // the API writes its messages for people; a code we do not know still has a sentence
  return error.message && !isMachineCode(error.message)
    ? error.message
    : 'Something went wrong. Please try again.';
}

/** "30 seconds", "2 minutes": how long `login_delayed` asks to wait. */
function waitFor(seconds: number): string {
  if (seconds <= 1) return 'a second';
  if (seconds < 90) return `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

/**
 * Why the server refused a new password (`weak_password`), in words: too short, or easy to
 * guess with zxcvbn's warning and suggestions ("This is a very common password. Add more
 * words that are less common."). `null` for any other error.
 */
export function passwordAdvice(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.code !== 'weak_password') return null;
  const warning = typeof error.details['warning'] === 'string' ? error.details['warning'] : '';
  const suggestions = asArray<unknown>(error.details['suggestions']).filter(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );
  if (!warning && suggestions.length === 0) {
    const issue = validationIssues(error)[0];
    return /at least/.test(issue?.message ?? '')
      ? `Use at least ${MIN_PASSWORD_LENGTH} characters.`
      : 'Choose a longer password that is harder to guess.';
  }
  return ['This password is too easy to guess.', warning, ...suggestions]
    .filter(Boolean)
    .map((s) => (/[.!?]$/.test(s) ? s : `${s}.`))
    .join(' ');
}

/** The server's shortest acceptable password (docs/api/changelog.md, 1.1.0). */
export const MIN_PASSWORD_LENGTH = 10;

const FIELD_LABELS: Record<string, string> = {
  street: 'Street',
  city: 'City',
  state: 'State',
  zip: 'ZIP code',
  country: 'Country',
  email: 'Email',
  password: 'Password',
  currentPassword: 'Current password',
  newPassword: 'New password',
  label: 'Label',
  recipient: 'Recipient',
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
  const advice = passwordAdvice(error);
  for (const issue of validationIssues(error)) {
    const key = issue.path.split('.').pop() ?? issue.path;
    out[key] ??= advice ?? `${fieldLabel(issue.path)} ${issue.message}`;
  }
  return out;
}

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}
