import type { NewDomainEvent } from '../platform/outbox-event.ts';

export interface StockReserved {
  productId: string;
  quantity: number;
  orderId: string;
  timestamp: string;
}
export interface StockReleased {
  productId: string;
  quantity: number;
  orderId: string;
  reason: string;
  timestamp: string;
}
export interface StockReplenished {
  productId: string;
  quantity: number;
  onHand: number;
  timestamp: string;
}
/** An admin lowered the stock on hand (a count correction, damaged goods). */
export interface StockAdjusted {
  productId: string;
  /** negative: units taken off */
  quantity: number;
  onHand: number;
  timestamp: string;
}
/** Reserved units became a sale: on hand and reserved both went down. */
export interface StockCommitted {
  productId: string;
  quantity: number;
  orderId: string;
  timestamp: string;
}

export type InventoryEvent =
  | NewDomainEvent<'StockReserved', StockReserved>
  | NewDomainEvent<'StockReleased', StockReleased>
  | NewDomainEvent<'StockReplenished', StockReplenished>
  | NewDomainEvent<'StockAdjusted', StockAdjusted>
  | NewDomainEvent<'StockCommitted', StockCommitted>;
