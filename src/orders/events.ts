import type { NewDomainEvent } from '../platform/outbox-event.ts';

/** A line as events carry it: unit price in minor units of the order's currency. */
export interface EventLineItem {
  productId: string;
  name: string;
  quantity: number;
  unitPrice: number;
}

export interface OrderPlaced {
  orderId: string;
  customerId: string;
  items: EventLineItem[];
  total: number;
  currency: string;
  timestamp: string;
}
export interface OrderConfirmed {
  orderId: string;
  customerId: string;
  total: number;
  currency: string;
  timestamp: string;
}
export interface OrderModified {
  orderId: string;
  customerId: string;
  /** what changed: line quantities before/after, address before/after, total before/after */
  changes: {
    items?: { productId: string; name: string; from: number; to: number }[];
    shippingAddress?: { from: unknown; to: unknown };
    total?: { from: number; to: number };
  };
  currency: string;
  timestamp: string;
}
export interface OrderCancelled {
  orderId: string;
  customerId: string;
  reason: string;
  /** who cancelled: customer, admin, or system (payment declined, reservation expired) */
  actor: 'customer' | 'admin' | 'system';
  /** false when the order never got past payment (a declined card at checkout) */
  wasConfirmed: boolean;
  timestamp: string;
}
export interface OrderShipped {
  orderId: string;
  customerId: string;
  trackingNumber: string;
  carrier: string;
  timestamp: string;
}
export interface OrderDelivered {
  orderId: string;
  customerId: string;
  timestamp: string;
}

export type OrderEvent =
  | NewDomainEvent<'OrderPlaced', OrderPlaced>
  | NewDomainEvent<'OrderConfirmed', OrderConfirmed>
  | NewDomainEvent<'OrderModified', OrderModified>
  | NewDomainEvent<'OrderCancelled', OrderCancelled>
  | NewDomainEvent<'OrderShipped', OrderShipped>
  | NewDomainEvent<'OrderDelivered', OrderDelivered>;

export const orderEvent = (type: OrderEvent['type'], orderId: string, payload: object): OrderEvent =>
  ({ type, context: 'orders', aggregateId: orderId, payload }) as OrderEvent;
