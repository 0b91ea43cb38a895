/**
 * Every machine code the API sends that a person could otherwise read — error codes, card
 * decline codes, cancellation reasons, message templates — and the sentence or name shown
 * instead. The one place to add a code: a code missing here is still never shown as is.
 */

export const NO_ANSWER = 'We could not reach the shop. Check your connection and try again.';
export const SERVER_FAILED = 'Something went wrong on our side. Please try again in a moment.';

/** Error answers (`{code, message}`) whose code has a sentence of its own. */
export const ERROR_SENTENCES: Readonly<Record<string, string>> = {
  network_error: NO_ANSWER,
  invalid_credentials: 'That email and password do not match an account. Check them and try again.',
  email_taken: 'An account with this email already exists. Sign in instead, or use another email.',
  unauthorized: 'Please sign in to continue.',
  invalid_token: 'Your session has expired. Please sign in again.',
  forbidden: 'Your account is not allowed to do this.',
  not_found: 'We could not find what you were looking for. It may have been removed.',
  rate_limited: 'Too many attempts in a short time. Please wait a minute and try again.',
  service_unavailable: 'The shop is briefly unavailable. Please try again in a moment.',
  internal_error: SERVER_FAILED,
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
  payment_method_required: 'This costs more than you paid. Choose a card to pay the difference.',
  refund_exceeds_payment: 'The refund is more than what is left to refund on this order.',
  refund_refused: 'The payment provider refused the refund.',
  product_unavailable: 'An item is no longer sold. Please remove it from your cart and try again.',
  product_not_found: 'An item no longer exists. Please remove it from your cart and try again.',
  order_empty: 'An order needs at least one item. To remove everything, cancel the order instead.',
  below_reserved: 'Stock on hand cannot go below the units reserved for open orders.',
  invalid_cursor: 'The list changed while you were browsing. Please start again from the first page.',
  wrong_password: 'Your current password is not right. Check it and try again.',
  invalid_reset_link:
    'This link to choose a new password has expired or has already been used. Ask for a new one.',
  too_many_addresses: 'You have saved as many addresses as an account can keep. Remove one to add another.',
};

const CARD_DECLINED = 'Your card was declined. Please use another card or contact your bank.';

/** The card network's reason for a `payment_declined` answer (`details.declineCode`). */
export const DECLINE_SENTENCES: Readonly<Record<string, string>> = {
  insufficient_funds: 'Your card was declined because of insufficient funds. Please use another card.',
  card_declined: CARD_DECLINED,
  generic_decline: CARD_DECLINED,
  expired_card: 'Your card has expired. Please use another card.',
  incorrect_cvc: 'The card’s security code is incorrect. Please check it or use another card.',
  processing_error: 'The payment could not be processed. Please try again in a moment.',
  lost_card: CARD_DECLINED,
  stolen_card: CARD_DECLINED,
};

/** Why the system cancelled an order (`cancellationReason` when no person wrote one). */
const CANCELLATION_SENTENCES: Readonly<Record<string, string>> = {
  payment_declined: 'The payment was declined, so the order could not be completed.',
  payment_unavailable:
    'We could not reach the payment service to finish your payment, so the order was cancelled and nothing was charged.',
  payment_not_completed: 'The payment was not completed in time, so nothing was charged.',
  payment_failed: 'The payment for this order could not be taken.',
  reservation_expired: 'The items were held during checkout, but the hold ran out before payment finished.',
  customer_request: 'The customer asked for it.',
  out_of_stock: 'One or more items went out of stock before they could ship.',
  fraud_suspected: 'The payment could not be verified, so the order was stopped.',
};

/** The emails and text messages the notification context sends, by template name. */
const TEMPLATE_NAMES: Readonly<Record<string, string>> = {
  order_confirmed: 'Order confirmed',
  order_modified: 'Order changed',
  order_shipped: 'Order shipped',
  order_delivered: 'Order delivered',
  order_cancelled: 'Order cancelled',
  order_refunded: 'Refund issued',
  sms_order_shipped: 'Order shipped (text message)',
  sms_order_delivered: 'Order delivered (text message)',
  password_reset: 'Password reset link',
  account_signup_attempt: 'Sign-up with an existing email',
};

/** The entry of `table` for `code`, if it has one of its own (not `constructor` from its prototype). */
export function sentenceFor(table: Readonly<Record<string, string>>, code: string): string | undefined {
  return Object.hasOwn(table, code) ? table[code] : undefined;
}

/** `payment_declined`, `gateway_timeout_3`: what a program wrote, not a person. */
export function isMachineCode(text: string): boolean {
  return /^[a-z0-9]+(?:_[a-z0-9]+)+$/.test(text.trim());
}

/**
 * Why an order was cancelled: the sentence for a known code, a neutral one for a code nobody
 * described yet, and the words of the person who cancelled it as they wrote them.
 */
export function cancellationSentence(reason: string): string {
  const known = sentenceFor(CANCELLATION_SENTENCES, reason.trim());
  if (known) return known;
  return isMachineCode(reason) ? 'The shop could not complete this order.' : reason;
}

/** A message template's name for people: `order_shipped` → "Order shipped". */
export function templateName(template: string): string {
  const known = sentenceFor(TEMPLATE_NAMES, template);
  if (known) return known;
  const words = template.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
