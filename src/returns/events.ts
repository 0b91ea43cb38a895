import { z } from 'zod';
import { envelopeSchema, type NewDomainEvent } from '../platform/outbox-event.ts';
import { RETURN_REASONS } from './model.ts';

/**
 * What the returns context publishes: one schema per event, the types inferred from them. Every
 * event names its order, the return (id and its number within the order) and the returned lines;
 * money is in minor units of the order's currency.
 */

const ReturnedLine = z.object({
  lineId: z.string(),
  variantId: z.string(),
  name: z.string(),
  variantTitle: z.string(),
  sku: z.string(),
  quantity: z.number().int(),
});

/** an exchanged line's replacement: the variant sent instead, and the signed price difference */
const ReplacementLine = z.object({
  lineId: z.string(),
  variantId: z.string(),
  name: z.string(),
  variantTitle: z.string(),
  sku: z.string(),
  quantity: z.number().int(),
  difference: z.number().int(),
});

const ReturnFacts = {
  orderId: z.string(),
  returnId: z.string(),
  number: z.number().int(),
  customerId: z.string(),
  lines: z.array(ReturnedLine),
  /** empty for a return that is refunded; an exchange's replacements otherwise */
  replacements: z.array(ReplacementLine).default([]),
  timestamp: z.iso.datetime(),
};

export const RETURN_EVENTS = {
  ReturnRequested: z.object({ ...ReturnFacts, reason: z.enum(RETURN_REASONS), note: z.string().nullable() }),
  ReturnApproved: z.object(ReturnFacts),
  ReturnRejected: z.object({ ...ReturnFacts, reason: z.string() }),
  /** the items are back: each restocked at a location or written off */
  ReturnReceived: z.object({
    ...ReturnFacts,
    restocked: z.array(z.object({ lineId: z.string(), locationId: z.string(), quantity: z.number().int() })),
    writtenOff: z.array(z.object({ lineId: z.string(), quantity: z.number().int() })),
  }),
  ReturnRefunded: z.object({ ...ReturnFacts, amount: z.number().int(), currency: z.string() }),
  /** received with nothing left to refund (the order was refunded before, or an exchange at one price) */
  ReturnClosed: z.object(ReturnFacts),
  /**
   * cancelled before its items came back: withdrawn by the shopper (`cancelledBy: customer`) or by
   * the shop with its reason; `refunded` is what a dearer exchange's charge gave back (0 otherwise)
   */
  ReturnCancelled: z.object({
    ...ReturnFacts,
    cancelledBy: z.enum(['customer', 'admin']),
    reason: z.string().nullable(),
    refunded: z.number().int(),
    currency: z.string(),
  }),
  /** an exchange's replacements left in one parcel */
  ExchangeShipped: z.object({
    ...ReturnFacts,
    locationId: z.string(),
    carrier: z.string(),
    trackingNumber: z.string(),
    trackingUrl: z.string().nullable(),
  }),
} as const;

export type ReturnEventType = keyof typeof RETURN_EVENTS;
export type ReturnEventPayload<T extends ReturnEventType> = z.infer<(typeof RETURN_EVENTS)[T]>;

/** A return's event in its envelope; its aggregate is the return. */
export function returnEvent<T extends ReturnEventType>(
  type: T,
  payload: ReturnEventPayload<T>,
): NewDomainEvent<T, ReturnEventPayload<T>> {
  return { type, context: 'returns', aggregateId: payload.returnId, payload };
}

export const ReturnEventEnvelope = z.discriminatedUnion('type', [
  envelopeSchema('returns', 'ReturnRequested', RETURN_EVENTS.ReturnRequested),
  envelopeSchema('returns', 'ReturnApproved', RETURN_EVENTS.ReturnApproved),
  envelopeSchema('returns', 'ReturnRejected', RETURN_EVENTS.ReturnRejected),
  envelopeSchema('returns', 'ReturnReceived', RETURN_EVENTS.ReturnReceived),
  envelopeSchema('returns', 'ReturnRefunded', RETURN_EVENTS.ReturnRefunded),
  envelopeSchema('returns', 'ReturnClosed', RETURN_EVENTS.ReturnClosed),
  envelopeSchema('returns', 'ReturnCancelled', RETURN_EVENTS.ReturnCancelled),
  envelopeSchema('returns', 'ExchangeShipped', RETURN_EVENTS.ExchangeShipped),
]);
