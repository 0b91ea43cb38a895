import { createHash } from 'node:crypto';
import Stripe from 'stripe';
import {
  PaymentRejectedError,
  PaymentUnavailableError,
  type ChargeRequest,
  type ChargeResult,
  type Money,
  type PaymentProvider,
  type PaymentStatus,
  type RefundRequest,
  type RefundResult,
} from './provider.ts';

export interface StripeProviderOptions {
  secretKey: string;
  /** Only to point the client at a local double of Stripe's API; unset in production. */
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
  /** Retries of a failed request, always with the same idempotency key (default 2). */
  maxNetworkRetries?: number;
  /** Per attempt (default 20 s): a shopper is waiting, Stripe's own default of 80 s is too long. */
  timeoutMs?: number;
  /**
   * How far back `status` lists recent PaymentIntents when search finds nothing (default 15 min).
   * Stripe's search index lags behind writes by up to a minute; its lists do not.
   */
  recentWindowSeconds?: number;
}

/** `STRIPE_API_URL` (e.g. `http://127.0.0.1:12111`) as the client's host/port/protocol; nothing when unset. */
export function stripeApiAddress(
  apiUrl: string | undefined,
): Pick<StripeProviderOptions, 'host' | 'port' | 'protocol'> {
  if (!apiUrl) return {};
  const url = new URL(apiUrl);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: Number(url.port || (protocol === 'http' ? 80 : 443)), protocol };
}

/**
 * What a shopper reads when a card is declined, by Stripe's `decline_code` or `code`. Fraud-related
 * codes (`fraudulent`, `lost_card`, `stolen_card`, `pickup_card`, …) deliberately fall through to
 * the generic sentence, as Stripe advises: telling a fraudster why helps the fraudster.
 */
const SHOPPER_MESSAGES: Record<string, string> = {
  generic_decline: 'Your card was declined. Try another card or contact your bank.',
  insufficient_funds: 'Your card has insufficient funds. Try another card.',
  expired_card: 'Your card has expired. Try another card.',
  incorrect_cvc: "Your card's security code (CVC) is incorrect. Check it and try again.",
  invalid_cvc: "Your card's security code (CVC) is incorrect. Check it and try again.",
  incorrect_number: 'Your card number is incorrect. Check it and try again.',
  invalid_number: 'Your card number is incorrect. Check it and try again.',
  invalid_expiry_month: "Your card's expiry date is incorrect. Check it and try again.",
  invalid_expiry_year: "Your card's expiry date is incorrect. Check it and try again.",
  incorrect_zip: "Your card's postal code is incorrect. Check it and try again.",
  processing_error: 'Your card could not be processed. Try again in a moment.',
  try_again_later: 'Your card could not be processed. Try again in a moment.',
  card_velocity_exceeded: 'Your card has reached its spending limit. Try another card or contact your bank.',
  withdrawal_count_limit_exceeded:
    'Your card has reached its spending limit. Try another card or contact your bank.',
  card_not_supported: 'Your card does not support this purchase. Try another card.',
  currency_not_supported: 'Your card does not support this currency. Try another card.',
  authentication_required: 'Your bank could not confirm this payment. Try again or use another card.',
  payment_intent_authentication_failure:
    'Your bank could not confirm this payment. Try again or use another card.',
  invalid_payment_method: 'This card could not be used. Check the card details or try another card.',
};
const GENERIC_DECLINE = 'Your card was declined. Try another card or contact your bank.';

export function shopperMessage(
  code: string | null | undefined,
  declineCode: string | null | undefined,
): string {
  return SHOPPER_MESSAGES[declineCode ?? ''] ?? SHOPPER_MESSAGES[code ?? ''] ?? GENERIC_DECLINE;
}

const REFUND_REASONS: readonly Stripe.RefundCreateParams.Reason[] = [
  'duplicate',
  'fraudulent',
  'requested_by_customer',
];
const STRIPE_MAX_KEY_LENGTH = 255;

/**
 * Stripe refuses an idempotency key over 255 characters, and Orderly's keys embed the client's
 * (up to 255 itself): a longer key is sent as its SHA-256, the same for every retry of the request.
 * Shorter keys go as they are, so the keys of refunds already in flight keep matching.
 */
export function stripeIdempotencyKey(key: string): string {
  if (key.length <= STRIPE_MAX_KEY_LENGTH) return key;
  return `orderly-sha256-${createHash('sha256').update(key).digest('hex')}`;
}

/** A bound on the fallback scan of `status`, newest first; a busy shop's last minutes fit well within it. */
const RECENT_SCAN_LIMIT = 2000;

/**
 * The gateway behind `PAYMENT_PROVIDER=stripe`: one PaymentIntent per charge, created and
 * confirmed in one call under the caller's idempotency key, which the SDK reuses on its own retries,
 * so a lost answer or a 5xx never charges twice.
 */
export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'stripe';
  /** Also what `parseStripeWebhook` verifies signatures with. */
  readonly stripe: Stripe;
  readonly #recentWindowSeconds: number;

  constructor(options: StripeProviderOptions) {
    if (!options.secretKey) throw new Error('StripePaymentProvider needs a secret key.');
    this.stripe = new Stripe(options.secretKey, {
      maxNetworkRetries: options.maxNetworkRetries ?? 2,
      timeout: options.timeoutMs ?? 20_000,
      ...(options.host === undefined ? {} : { host: options.host }),
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.protocol === undefined ? {} : { protocol: options.protocol }),
    });
    this.#recentWindowSeconds = options.recentWindowSeconds ?? 15 * 60;
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const token = request.paymentMethod.token;
    const params: Stripe.PaymentIntentCreateParams = {
      amount: request.amount.amount,
      currency: request.amount.currency.toLowerCase(),
      // Since API version 2026-09-30 (endive, the version this SDK pins) `payment_method_types` is
      // read-only and Stripe answers 400 `payment_method_types_no_longer_supported`.
      allowed_payment_method_types: ['card'],
      confirm: true,
      // The key lets `status` find this very attempt, not just some attempt for the order.
      metadata: { order_id: request.orderId, idempotency_key: request.idempotencyKey },
      ...(request.description === undefined ? {} : { description: request.description }),
    };
    if (token.startsWith('tok_')) {
      // Stripe refuses a card token as `payment_method` and wants it wrapped; stripe-node leaves
      // `payment_method_data.card` untyped on purpose (raw card numbers), hence the widened object.
      const tokenData = { type: 'card' as const, card: { token } };
      params.payment_method_data = tokenData;
    } else {
      params.payment_method = token;
    }
    try {
      const intent = await this.stripe.paymentIntents.create(params, {
        idempotencyKey: stripeIdempotencyKey(request.idempotencyKey),
      });
      return chargeResult(intent);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeCardError) {
        return {
          status: 'declined',
          paymentId: error.payment_intent?.id ?? null,
          code: error.code ?? 'card_declined',
          declineCode: error.decline_code ?? null,
          message: shopperMessage(error.code, error.decline_code),
        };
      }
      if (error instanceof Stripe.errors.StripeInvalidRequestError && isPaymentMethodProblem(error)) {
        return {
          status: 'declined',
          paymentId: error.payment_intent?.id ?? null,
          code: 'invalid_payment_method',
          declineCode: null,
          message: shopperMessage('invalid_payment_method', null),
        };
      }
      throw translate(error, 'charge');
    }
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    const reason = REFUND_REASONS.find((r) => r === request.reason);
    const params: Stripe.RefundCreateParams = {
      payment_intent: request.paymentId,
      amount: request.amount.amount,
      ...(reason ? { reason } : {}),
      // Stripe's reason is an enum; the admin's words travel as metadata, within its 500 characters.
      ...(request.reason ? { metadata: { reason: request.reason.slice(0, 500) } } : {}),
    };
    try {
      const refund = await this.stripe.refunds.create(params, {
        idempotencyKey: stripeIdempotencyKey(request.idempotencyKey),
      });
      return refundResult(refund);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeInvalidRequestError) {
        if (error.code === 'charge_already_refunded') return this.#existingRefund(request.paymentId);
        if (error.code === 'amount_too_large') {
          throw new PaymentRejectedError(
            'refund_exceeds_payment',
            'The refund is larger than what remains of the payment.',
          );
        }
        throw new PaymentRejectedError(error.code ?? 'refund_refused', 'Stripe refused the refund.');
      }
      throw translate(error, 'refund');
    }
  }

  /** Already refunded in full (a retry under another key, or from Stripe's dashboard): done, with the latest refund. */
  async #existingRefund(paymentId: string): Promise<RefundResult> {
    try {
      const refunds = await this.stripe.refunds.list({ payment_intent: paymentId, limit: 100 });
      const done = refunds.data.find((r) => r.status === 'succeeded' || r.status === 'pending');
      if (!done) {
        throw new PaymentRejectedError(
          'charge_already_refunded',
          'Stripe says the payment was refunded but lists no refund.',
        );
      }
      return { refundId: done.id, status: done.status === 'succeeded' ? 'succeeded' : 'pending' };
    } catch (error) {
      if (error instanceof PaymentRejectedError) throw error;
      throw translate(error, 'refund');
    }
  }

  async status(query: {
    orderId: string;
    idempotencyKey: string;
    paymentId?: string | null;
  }): Promise<PaymentStatus> {
    try {
      if (query.paymentId) {
        return paymentStatus(await this.stripe.paymentIntents.retrieve(query.paymentId));
      }
      const mine = (pi: Stripe.PaymentIntent) =>
        pi.metadata['order_id'] === query.orderId && pi.metadata['idempotency_key'] === query.idempotencyKey;
      const searched = (await this.#searchOrder(query.orderId)).filter(mine);
      const found = searched.length > 0 ? searched : await this.#recent(mine);
      const statuses = found.map(paymentStatus);
      return (
        statuses.find((s) => s.status === 'succeeded') ??
        statuses.find((s) => s.status === 'requires_action') ??
        statuses.find((s) => s.status === 'failed') ?? { status: 'not_found' }
      );
    } catch (error) {
      if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === 'resource_missing') {
        return { status: 'not_found' };
      }
      throw translate(error, 'status');
    }
  }

  async #searchOrder(orderId: string): Promise<Stripe.PaymentIntent[]> {
    const escaped = orderId.replaceAll('\\', '\\\\').replaceAll("'", "\\'");
    const result = await this.stripe.paymentIntents.search({
      query: `metadata['order_id']:'${escaped}'`,
      limit: 100,
    });
    return result.data;
  }

  /**
   * Search can miss an intent created in the last minute (Stripe's search index is eventually
   * consistent), and that is exactly the one recovery asks about after a lost answer; lists are
   * strongly consistent, so the last minutes are read from the list, newest first.
   */
  async #recent(wanted: (pi: Stripe.PaymentIntent) => boolean): Promise<Stripe.PaymentIntent[]> {
    const since = Math.floor(Date.now() / 1000) - this.#recentWindowSeconds;
    let scanned = 0;
    for await (const pi of this.stripe.paymentIntents.list({ created: { gte: since }, limit: 100 })) {
      // One intent per idempotency key: the first match is the answer.
      if (wanted(pi)) return [pi];
      if (++scanned >= RECENT_SCAN_LIMIT) break;
    }
    return [];
  }
}

function money(amount: number, currency: string): Money {
  return { amount, currency: currency.toUpperCase() };
}

function chargeResult(intent: Stripe.PaymentIntent): ChargeResult {
  switch (intent.status) {
    case 'succeeded':
      return {
        status: 'succeeded',
        paymentId: intent.id,
        amount: money(intent.amount_received, intent.currency),
      };
    // `processing` (rare for cards) is not final either: the client secret lets the storefront follow it.
    case 'requires_action':
    case 'processing':
      return { status: 'requires_action', paymentId: intent.id, clientSecret: intent.client_secret ?? '' };
    default: {
      const error = intent.last_payment_error;
      return {
        status: 'declined',
        paymentId: intent.id,
        code: error?.code ?? 'payment_intent_unexpected_state',
        declineCode: error?.decline_code ?? null,
        message: shopperMessage(error?.code, error?.decline_code),
      };
    }
  }
}

function paymentStatus(intent: Stripe.PaymentIntent): PaymentStatus {
  switch (intent.status) {
    case 'succeeded':
      return {
        status: 'succeeded',
        paymentId: intent.id,
        amount: money(intent.amount_received, intent.currency),
      };
    // Not final: money may still move, so recovery must not treat these as failed.
    case 'requires_action':
    case 'processing':
    case 'requires_capture':
      return { status: 'requires_action', paymentId: intent.id };
    default:
      return { status: 'failed', paymentId: intent.id };
  }
}

function refundResult(refund: Stripe.Refund): RefundResult {
  if (refund.status === 'succeeded') return { refundId: refund.id, status: 'succeeded' };
  if (refund.status === 'pending' || refund.status === 'requires_action')
    return { refundId: refund.id, status: 'pending' };
  throw new PaymentRejectedError(
    'refund_failed',
    `Stripe could not complete the refund (status ${refund.status}).`,
  );
}

/** A 400 about the card the shopper gave (unknown or unusable token), as opposed to a bug in the request. */
function isPaymentMethodProblem(error: Stripe.errors.StripeInvalidRequestError): boolean {
  const param = error.param ?? '';
  return param === 'payment_method' || param.startsWith('payment_method_data');
}

/**
 * Every other failure, phrased from fields Stripe documents (type, code, status, request id) and
 * never from its message: that may quote the API key, even if only in part.
 */
function translate(error: unknown, action: string): Error {
  // Not from Stripe's API or the network (those are all StripeErrors): a bug, left as it is.
  if (!(error instanceof Stripe.errors.StripeError))
    return error instanceof Error ? error : new Error(String(error));
  const detail = [error.type, error.code, error.statusCode && `HTTP ${error.statusCode}`, error.requestId]
    .filter(Boolean)
    .join(', ');
  if (error instanceof Stripe.errors.StripeIdempotencyError) {
    // The same key with other parameters: this key's charge was first attempted for another amount.
    return new PaymentRejectedError(
      'idempotency_conflict',
      `Stripe ${action} reused a key with other parameters (${detail}).`,
    );
  }
  if (
    error instanceof Stripe.errors.StripeAuthenticationError ||
    error instanceof Stripe.errors.StripePermissionError
  ) {
    return new PaymentUnavailableError(
      `Stripe rejected the configured API key; check STRIPE_SECRET_KEY (${detail}).`,
    );
  }
  if (
    error instanceof Stripe.errors.StripeInvalidRequestError ||
    error instanceof Stripe.errors.StripeCardError
  ) {
    return new PaymentRejectedError(
      error.code ?? 'invalid_request',
      `Stripe refused the ${action} (${detail}).`,
    );
  }
  // Connection errors, timeouts, 5xx, 409 (same key in flight) and 429, after the SDK's retries.
  // After a timeout, a cut connection or a 409 the first attempt may still be running at Stripe.
  return new PaymentUnavailableError(`Stripe ${action} failed after retries (${detail}).`, {
    mayStillComplete: error instanceof Stripe.errors.StripeConnectionError || error.statusCode === 409,
  });
}
