import type Stripe from 'stripe';
import { shopperMessage } from './stripe.ts';

/** The few Stripe events Orderly acts on, reduced to what the order side needs. */
export type StripeWebhookEvent =
  | {
      kind: 'payment_succeeded';
      eventId: string;
      paymentIntentId: string;
      /** from the intent's metadata; null for intents Orderly did not create */
      orderId: string | null;
      /** minor units received */
      amount: number;
      /** ISO 4217, upper case like the rest of Orderly */
      currency: string;
    }
  | {
      kind: 'payment_failed';
      eventId: string;
      paymentIntentId: string;
      orderId: string | null;
      code: string;
      declineCode: string | null;
      /** a sentence a shopper understands, never Stripe's raw message */
      message: string;
    }
  | {
      kind: 'charge_refunded';
      eventId: string;
      paymentIntentId: string;
      orderId: string | null;
      /** the charge's total refunded so far, not this refund's amount */
      amountRefunded: number;
    }
  | { kind: 'ignored'; eventId: string; type: string };

/** The request is not provably from Stripe: answer 400 and do nothing. */
export class WebhookSignatureError extends Error {
  override readonly name = 'WebhookSignatureError';
}

/**
 * Verifies a webhook delivery against the endpoint's signing secret and maps it. `rawBody` must be
 * the bytes as received: a body parsed and serialised again no longer matches its signature.
 * Stripe retries deliveries and may send them out of order, so handlers must be idempotent by
 * `eventId` and read state rather than assume a sequence.
 */
export function parseStripeWebhook(
  stripe: Stripe,
  rawBody: string | Buffer,
  signatureHeader: string | undefined,
  webhookSecret: string,
): StripeWebhookEvent {
  if (!signatureHeader) throw new WebhookSignatureError('The Stripe-Signature header is missing.');
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(rawBody, signatureHeader, webhookSecret);
  } catch {
    // The SDK's message is not passed on: it is about our secret and a caller has no use for it.
    throw new WebhookSignatureError('The Stripe-Signature header does not match the body.');
  }
  switch (event.type) {
    case 'payment_intent.succeeded': {
      const intent = event.data.object;
      return {
        kind: 'payment_succeeded',
        eventId: event.id,
        paymentIntentId: intent.id,
        orderId: intent.metadata['order_id'] ?? null,
        amount: intent.amount_received,
        currency: intent.currency.toUpperCase(),
      };
    }
    case 'payment_intent.payment_failed': {
      const intent = event.data.object;
      const error = intent.last_payment_error;
      return {
        kind: 'payment_failed',
        eventId: event.id,
        paymentIntentId: intent.id,
        orderId: intent.metadata['order_id'] ?? null,
        code: error?.code ?? 'payment_failed',
        declineCode: error?.decline_code ?? null,
        message: shopperMessage(error?.code, error?.decline_code),
      };
    }
    case 'charge.refunded': {
      const charge = event.data.object;
      const intent = charge.payment_intent;
      // A charge made without a PaymentIntent was not made by Orderly.
      if (!intent) return { kind: 'ignored', eventId: event.id, type: event.type };
      return {
        kind: 'charge_refunded',
        eventId: event.id,
        paymentIntentId: typeof intent === 'string' ? intent : intent.id,
        orderId: charge.metadata['order_id'] ?? null,
        amountRefunded: charge.amount_refunded,
      };
    }
    default:
      return { kind: 'ignored', eventId: event.id, type: event.type };
  }
}
