import type Stripe from 'stripe';
import { z } from 'zod';
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
  const shape = EventShape.safeParse(event);
  if (!shape.success) throw new WebhookPayloadError('The event does not have the shape of a Stripe event.');
  const { id, type } = shape.data;
  const object = shape.data.data.object;
  switch (type) {
    case 'payment_intent.succeeded': {
      const intent = parseObject(PaymentIntentShape, object, type);
      return {
        kind: 'payment_succeeded',
        eventId: id,
        paymentIntentId: intent.id,
        orderId: intent.metadata['order_id'] ?? null,
        amount: intent.amount_received,
        currency: intent.currency.toUpperCase(),
      };
    }
    case 'payment_intent.payment_failed': {
      const intent = parseObject(PaymentIntentShape, object, type);
      const error = intent.last_payment_error;
      return {
        kind: 'payment_failed',
        eventId: id,
        paymentIntentId: intent.id,
        orderId: intent.metadata['order_id'] ?? null,
        code: error?.code ?? 'payment_failed',
        declineCode: error?.decline_code ?? null,
        message: shopperMessage(error?.code ?? undefined, error?.decline_code ?? undefined),
      };
    }
    case 'charge.refunded': {
      const charge = parseObject(ChargeShape, object, type);
      const intent = charge.payment_intent;
      // A charge made without a PaymentIntent was not made by Orderly.
      if (!intent) return { kind: 'ignored', eventId: id, type };
      return {
        kind: 'charge_refunded',
        eventId: id,
        paymentIntentId: typeof intent === 'string' ? intent : intent.id,
        orderId: charge.metadata['order_id'] ?? null,
        amountRefunded: charge.amount_refunded,
      };
    }
    default:
      return { kind: 'ignored', eventId: id, type };
  }
}

/** Signed by Stripe, but not shaped like the event it names: answer 400, change nothing. */
export class WebhookPayloadError extends Error {
  override readonly name = 'WebhookPayloadError';
}

// What Orderly reads of each event, checked before it is read: the signature proves who sent
// an event, not that it has the fields of its type (an API version apart, a test sent by hand).
const EventShape = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  data: z.object({ object: z.unknown() }),
});
const Metadata = z.record(z.string(), z.string());
const PaymentIntentShape = z.object({
  id: z.string().min(1),
  amount_received: z.number().int().min(0),
  currency: z.string().regex(/^[A-Za-z]{3}$/),
  metadata: Metadata,
  last_payment_error: z.object({ code: z.string().nullish(), decline_code: z.string().nullish() }).nullish(),
});
const ChargeShape = z.object({
  payment_intent: z.union([z.string().min(1), z.object({ id: z.string().min(1) })]).nullable(),
  metadata: Metadata,
  amount_refunded: z.number().int().min(0),
});

function parseObject<T>(schema: z.ZodType<T>, object: unknown, type: string): T {
  const parsed = schema.safeParse(object);
  if (!parsed.success)
    throw new WebhookPayloadError(`The ${type} event does not have the fields Orderly reads.`);
  return parsed.data;
}
