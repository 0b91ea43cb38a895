import { z } from 'zod';
import { InventoryEventEnvelope } from './inventory/events.ts';
import { NotificationEventEnvelope } from './notification/events.ts';
import { OrderEventEnvelope } from './orders/events.ts';
import { PaymentEventEnvelope } from './payment/events.ts';
import { ReturnEventEnvelope } from './returns/events.ts';
import { parseEnvelope, type DomainEvent } from './platform/outbox-event.ts';

/**
 * Every event the contexts publish, each with its producer's schema: for the consumers that take
 * them all (the NATS relay), wired in `app.ts` so the platform needs no context.
 */
export const PublishedEvent = z.union([
  OrderEventEnvelope,
  PaymentEventEnvelope,
  InventoryEventEnvelope,
  NotificationEventEnvelope,
  ReturnEventEnvelope,
]);
export type PublishedEvent = z.infer<typeof PublishedEvent>;

/**
 * The order an event is part of (an order's own events, its payments, its stock movements), so a
 * consumer can keep that order's events in their order; null for events of no order.
 */
export function orderOf(event: DomainEvent): string | null {
  const known = parseEnvelope(PublishedEvent, event);
  if (!known) return null;
  return 'orderId' in known.payload ? known.payload.orderId : null;
}

/** Every published event's type and the context it comes from (webhook subscriptions offer these). */
export const PUBLISHED_EVENT_TYPES = PublishedEvent.options.flatMap((union) =>
  union.options.map((event) => ({ type: event.shape.type.value, context: event.shape.context.value })),
);
