import { z } from 'zod';
import { envelopeSchema, type NewDomainEvent } from '../platform/outbox-event.ts';

/**
 * What the fulfilment context publishes: a shipment leaving and arriving. Their aggregate is the
 * order, so they travel in the order's line beside OrderShipped and OrderDelivered. A field is
 * added, never renamed or removed (the notification context and the NATS relay read them).
 */
const Timestamp = z.iso.datetime();

const ShipmentEventLine = z.object({
  lineId: z.string(),
  variantId: z.string(),
  sku: z.string(),
  /** the product's name with the variant's options, as the order line has them */
  title: z.string(),
  quantity: z.number().int(),
});

const ShipmentPayload = z.object({
  orderId: z.string(),
  customerId: z.string(),
  shipmentId: z.string(),
  /** 1, 2, … within the order */
  number: z.number().int(),
  lines: z.array(ShipmentEventLine),
  carrier: z.string(),
  trackingNumber: z.string(),
  trackingUrl: z.string().nullable(),
  locationId: z.string(),
  timestamp: Timestamp,
});

export const FULFILMENT_EVENTS = {
  ShipmentCreated: ShipmentPayload,
  ShipmentDelivered: ShipmentPayload,
} as const;

export type FulfilmentEventType = keyof typeof FULFILMENT_EVENTS;
export type ShipmentEventPayload = z.infer<typeof ShipmentPayload>;

export function fulfilmentEvent<T extends FulfilmentEventType>(
  type: T,
  payload: ShipmentEventPayload,
): NewDomainEvent<T, ShipmentEventPayload> {
  return { type, context: 'fulfilment', aggregateId: payload.orderId, payload };
}

/** Every fulfilment event in its envelope, told apart by `type`. */
export const FulfilmentEventEnvelope = z.discriminatedUnion('type', [
  envelopeSchema('fulfilment', 'ShipmentCreated', ShipmentPayload),
  envelopeSchema('fulfilment', 'ShipmentDelivered', ShipmentPayload),
]);
