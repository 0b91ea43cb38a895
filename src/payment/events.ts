import { z } from 'zod';
import { envelopeSchema, type NewDomainEvent } from '../platform/outbox-event.ts';

/**
 * What the payment context publishes: one schema per event, the types inferred from them, so a
 * consumer parses an envelope into the very type the producer wrote.
 */
export const PAYMENT_EVENTS = {
  PaymentProcessed: z.object({
    paymentId: z.string(),
    orderId: z.string(),
    amount: z.number().int(),
    currency: z.string(),
    timestamp: z.iso.datetime(),
  }),
  PaymentFailed: z.object({
    paymentId: z.string().nullable(),
    orderId: z.string(),
    reason: z.string(),
    code: z.string(),
    timestamp: z.iso.datetime(),
  }),
  RefundIssued: z.object({
    refundId: z.string(),
    paymentId: z.string(),
    orderId: z.string(),
    amount: z.number().int(),
    currency: z.string(),
    timestamp: z.iso.datetime(),
  }),
  /** A refund ended without money going back: refused by the gateway, or never reachable in time. */
  RefundFailed: z.object({
    refundId: z.string(),
    paymentId: z.string(),
    orderId: z.string(),
    amount: z.number().int(),
    currency: z.string(),
    failure: z.enum(['refused', 'unavailable']),
    attempts: z.number().int(),
    reason: z.string().nullable(),
    timestamp: z.iso.datetime(),
  }),
} as const;

export type PaymentEventType = keyof typeof PAYMENT_EVENTS;
export type PaymentEventPayload<T extends PaymentEventType> = z.infer<(typeof PAYMENT_EVENTS)[T]>;
export type PaymentProcessed = PaymentEventPayload<'PaymentProcessed'>;
export type PaymentFailed = PaymentEventPayload<'PaymentFailed'>;
export type RefundIssued = PaymentEventPayload<'RefundIssued'>;
export type RefundFailed = PaymentEventPayload<'RefundFailed'>;

export type PaymentEvent = {
  [T in PaymentEventType]: NewDomainEvent<T, PaymentEventPayload<T>>;
}[PaymentEventType];

/** A payment event of an order, typed by its name: the payload must be that event's. */
export function paymentEvent<T extends PaymentEventType>(
  type: T,
  payload: PaymentEventPayload<T> & { orderId: string },
): NewDomainEvent<T, PaymentEventPayload<T>> {
  return { type, context: 'payment', aggregateId: payload.orderId, payload };
}

/** Every payment event in its envelope, told apart by `type`. */
export const PaymentEventEnvelope = z.discriminatedUnion('type', [
  envelopeSchema('payment', 'PaymentProcessed', PAYMENT_EVENTS.PaymentProcessed),
  envelopeSchema('payment', 'PaymentFailed', PAYMENT_EVENTS.PaymentFailed),
  envelopeSchema('payment', 'RefundIssued', PAYMENT_EVENTS.RefundIssued),
  envelopeSchema('payment', 'RefundFailed', PAYMENT_EVENTS.RefundFailed),
]);
