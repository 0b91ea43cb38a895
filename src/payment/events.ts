import { z } from 'zod';
import type { NewDomainEvent } from '../platform/outbox-event.ts';

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
    timestamp: z.string(),
  }),
  PaymentFailed: z.object({
    paymentId: z.string().nullable(),
    orderId: z.string(),
    reason: z.string(),
    code: z.string(),
    timestamp: z.string(),
  }),
  RefundIssued: z.object({
    refundId: z.string(),
    paymentId: z.string(),
    orderId: z.string(),
    amount: z.number().int(),
    currency: z.string(),
    timestamp: z.string(),
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
    timestamp: z.string(),
  }),
};

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
