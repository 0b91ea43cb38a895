import { z } from 'zod';
import { envelopeSchema, type NewDomainEvent } from '../platform/outbox-event.ts';

/**
 * What the inventory context publishes: one schema per event, the types inferred from them. Stock
 * events of an order carry its id, so consumers (the NATS relay) can keep them in the order's line.
 */
const Timestamp = z.iso.datetime();
/** Where the units are; absent in events written before stock locations (ADR 0026). */
const LocationId = z.string().optional();

export const INVENTORY_EVENTS = {
  StockReserved: z.object({
    variantId: z.string(),
    quantity: z.number().int(),
    orderId: z.string(),
    locationId: LocationId,
    timestamp: Timestamp,
  }),
  StockReleased: z.object({
    variantId: z.string(),
    quantity: z.number().int(),
    orderId: z.string(),
    locationId: LocationId,
    reason: z.string(),
    timestamp: Timestamp,
  }),
  StockReplenished: z.object({
    variantId: z.string(),
    quantity: z.number().int(),
    onHand: z.number().int(),
    locationId: LocationId,
    timestamp: Timestamp,
  }),
  /** An admin lowered the stock on hand (a count correction, damaged goods); `quantity` is negative. */
  StockAdjusted: z.object({
    variantId: z.string(),
    quantity: z.number().int(),
    onHand: z.number().int(),
    locationId: LocationId,
    timestamp: Timestamp,
  }),
  /** Reserved units became a sale: on hand and reserved both went down. */
  StockCommitted: z.object({
    variantId: z.string(),
    quantity: z.number().int(),
    orderId: z.string(),
    locationId: LocationId,
    timestamp: Timestamp,
  }),
  /**
   * Sold units left in a shipment from `locationId`; `allocatedAt` is where they had been taken
   * from when that was elsewhere (those units went back on the shelf there).
   */
  StockShipped: z.object({
    variantId: z.string(),
    quantity: z.number().int(),
    orderId: z.string(),
    locationId: z.string(),
    allocatedAt: z.string().optional(),
    timestamp: Timestamp,
  }),
  /** An admin moved free units from one location to another. */
  StockTransferred: z.object({
    variantId: z.string(),
    quantity: z.number().int(),
    transferId: z.string(),
    fromLocationId: z.string(),
    toLocationId: z.string(),
    timestamp: Timestamp,
  }),
} as const;

export type InventoryEventType = keyof typeof INVENTORY_EVENTS;
export type InventoryEventPayload<T extends InventoryEventType> = z.infer<(typeof INVENTORY_EVENTS)[T]>;
export type InventoryEvent = {
  [T in InventoryEventType]: NewDomainEvent<T, InventoryEventPayload<T>>;
}[InventoryEventType];

/** A variant's stock event in its envelope; the payload is checked against its schema by the compiler. */
export function inventoryEvent<T extends InventoryEventType>(
  type: T,
  variantId: string,
  payload: InventoryEventPayload<T>,
): NewDomainEvent<T, InventoryEventPayload<T>> {
  return { type, context: 'inventory', aggregateId: variantId, payload };
}

/** Every inventory event in its envelope, told apart by `type`. */
export const InventoryEventEnvelope = z.discriminatedUnion('type', [
  envelopeSchema('inventory', 'StockReserved', INVENTORY_EVENTS.StockReserved),
  envelopeSchema('inventory', 'StockReleased', INVENTORY_EVENTS.StockReleased),
  envelopeSchema('inventory', 'StockReplenished', INVENTORY_EVENTS.StockReplenished),
  envelopeSchema('inventory', 'StockAdjusted', INVENTORY_EVENTS.StockAdjusted),
  envelopeSchema('inventory', 'StockCommitted', INVENTORY_EVENTS.StockCommitted),
  envelopeSchema('inventory', 'StockShipped', INVENTORY_EVENTS.StockShipped),
  envelopeSchema('inventory', 'StockTransferred', INVENTORY_EVENTS.StockTransferred),
]);
