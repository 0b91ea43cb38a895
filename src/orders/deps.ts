import type { Logger } from 'pino';
import type { CatalogService } from '../catalog/service.ts';
import type { InventoryService } from '../inventory/service.ts';
import type { PaymentService } from '../payment/service.ts';
import type { PromotionService } from '../promotions/service.ts';
import type { ShippingService } from '../shipping/service.ts';
import type { TaxService } from '../tax/service.ts';
import type { AuthUser } from '../platform/auth/model.ts';
import type { Db } from '../platform/db.ts';
import type { ReadRouting } from '../platform/replica.ts';
import { notFound } from '../platform/errors.ts';
import type { Actor } from './model.ts';
import * as store from './store.ts';
import type { OrderRecord } from './store.ts';

/** What every use case of the orders context works with, wired once in `service.ts`. */
export interface OrderDeps {
  db: Db;
  /** where reads that may lag a moment go: the replica, unless the reader has just written */
  reads: ReadRouting;
  catalog: CatalogService;
  inventory: InventoryService;
  payment: PaymentService;
  shipping: ShippingService;
  tax: TaxService;
  promotions: PromotionService;
  /** the accounts context, for the name and email of the customer who placed an order */
  customers: {
    contact(customerId: string): Promise<{ name: string; email: string } | undefined>;
    /** ids of the customers whose name or email contains `search`: the admin's order search */
    idsMatching(search: string): Promise<string[]>;
  };
  log: Logger;
  /** how long a pending order waits before recovery asks the gateway about it */
  recoveryAfterMs: number;
  /** the most a `support` staff member may refund at once, in minor units */
  supportRefundLimit: number;
}

export interface ActorRef {
  kind: Actor;
  id: string | null;
}

export const SYSTEM: ActorRef = { kind: 'system', id: null };

export function actorOf(user: AuthUser): ActorRef {
  return { kind: user.role === 'admin' ? 'admin' : 'customer', id: user.id };
}

/** The order, if the user may see it: another customer's order is a 404, never a 403. */
export async function owned(db: Db, user: AuthUser, orderId: string): Promise<OrderRecord> {
  const order = await store.find(db, orderId);
  // a draft is not the customer's order yet (ADR 0023)
  if (!order || (user.role !== 'admin' && (order.customerId !== user.id || order.status === 'draft')))
    throw notFound('Order', orderId);
  return order;
}
