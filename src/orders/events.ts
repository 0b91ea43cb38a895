import { z } from 'zod';
import { envelopeSchema, type NewDomainEvent } from '../platform/outbox-event.ts';

/**
 * What the orders context publishes: one schema per event, the types inferred from them. The
 * notification context and the NATS relay read these payloads, so a field is added, never
 * renamed or removed. Money is in minor units of the order's currency.
 */

const Timestamp = z.iso.datetime();
const Minor = z.number().int();

/** A line as events carry it: unit price in minor units of the order's currency. */
const EventLineItem = z.object({
  productId: z.string(),
  variantId: z.string(),
  name: z.string(),
  variantTitle: z.string(),
  sku: z.string(),
  quantity: z.number().int(),
  unitPrice: Minor,
});

export const OrderPlaced = z.object({
  orderId: z.string(),
  customerId: z.string(),
  items: z.array(EventLineItem),
  total: Minor,
  currency: z.string(),
  timestamp: Timestamp,
});

export const OrderConfirmed = z.object({
  orderId: z.string(),
  customerId: z.string(),
  total: Minor,
  currency: z.string(),
  timestamp: Timestamp,
});

export const OrderModified = z.object({
  orderId: z.string(),
  customerId: z.string(),
  /** what changed: line quantities before/after, address before/after, total before/after */
  changes: z.object({
    items: z
      .array(
        z.object({
          productId: z.string(),
          variantId: z.string(),
          name: z.string(),
          from: z.number().int(),
          to: z.number().int(),
        }),
      )
      .optional(),
    shippingAddress: z.object({ from: z.unknown(), to: z.unknown() }).optional(),
    total: z.object({ from: Minor, to: Minor }).optional(),
  }),
  currency: z.string(),
  timestamp: Timestamp,
});

export const OrderCancelled = z.object({
  orderId: z.string(),
  customerId: z.string(),
  /** a code of `CANCELLATION_REASONS` when the system cancelled, a person's own words otherwise */
  reason: z.string(),
  /** who cancelled: customer, admin, or system (payment declined, unreachable, not completed) */
  actor: z.enum(['customer', 'admin', 'system']),
  /** false when the order never got past payment (a declined card at checkout) */
  wasConfirmed: z.boolean(),
  timestamp: Timestamp,
});

export const OrderShipped = z.object({
  orderId: z.string(),
  customerId: z.string(),
  trackingNumber: z.string(),
  carrier: z.string(),
  timestamp: Timestamp,
});

export const OrderDelivered = z.object({
  orderId: z.string(),
  customerId: z.string(),
  timestamp: Timestamp,
});

export const ORDER_EVENTS = {
  OrderPlaced,
  OrderConfirmed,
  OrderModified,
  OrderCancelled,
  OrderShipped,
  OrderDelivered,
} as const;

export type OrderEventType = keyof typeof ORDER_EVENTS;
export type OrderEventPayload<T extends OrderEventType> = z.infer<(typeof ORDER_EVENTS)[T]>;
export type OrderEvent = {
  [T in OrderEventType]: NewDomainEvent<T, OrderEventPayload<T>>;
}[OrderEventType];

/** An order's event in its envelope; the payload is checked against its schema by the compiler. */
export function orderEvent<T extends OrderEventType>(
  type: T,
  orderId: string,
  payload: OrderEventPayload<T>,
): NewDomainEvent<T, OrderEventPayload<T>> {
  return { type, context: 'orders', aggregateId: orderId, payload };
}

/** Every order event in its envelope, told apart by `type` (for consumers: notifications, the NATS relay). */
export const OrderEventEnvelope = z.discriminatedUnion('type', [
  envelopeSchema('orders', 'OrderPlaced', OrderPlaced),
  envelopeSchema('orders', 'OrderConfirmed', OrderConfirmed),
  envelopeSchema('orders', 'OrderModified', OrderModified),
  envelopeSchema('orders', 'OrderCancelled', OrderCancelled),
  envelopeSchema('orders', 'OrderShipped', OrderShipped),
  envelopeSchema('orders', 'OrderDelivered', OrderDelivered),
]);
