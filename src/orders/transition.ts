import { recordAudit } from '../platform/audit.ts';
import type { Db } from '../platform/db.ts';
import type { ActorRef } from './deps.ts';
import { invalidTransition, refused } from './errors.ts';
import { orderEvent, type OrderEvent } from './events.ts';
import { cancellationSummary, decide, type OrderFacts, type OrderStatus } from './model.ts';
import * as store from './store.ts';
import type { Capture, HistoryEntry, OrderRecord, StatusChange } from './store.ts';

/**
 * The one path by which an order's status changes (a test holds every other code path to it):
 * the state machine decides, the update matches the status it was decided from, and the
 * history line, the audit record (when an admin acted) and the domain event are written in the
 * same transaction. Like Vendure's order process: the table in `model.ts`, the effects here.
 */

export type TransitionRequest = {
  /** who the history names and the state machine asks about */
  actor: ActorRef;
  /** the admin who asked for a system transition (an admin's confirmation settles the payment) */
  requestedBy?: string | undefined;
  facts?: OrderFacts;
  /** history written just before the status line: what led to it (the payment received) */
  precededBy?: readonly HistoryEntry[];
  /** money this move counts into the customer's figures, in the same statement (a confirmation's payment) */
  capture?: Capture | undefined;
} & (
  | { action: 'confirm'; paymentId: string | null }
  | { action: 'cancel'; reason: string; paymentStatus?: 'failed' | undefined }
  | { action: 'ship'; shipment: ShipmentNote }
  | { action: 'deliver'; shipment: ShipmentNote }
  // lines were added to an order that shipped: its status goes back to what its quantities say
  | { action: 'resettle'; reason: string }
  // a draft leaving draft: OrderPlaced (built by the caller from the lines) comes with it
  | { action: 'recordOfflinePayment'; paymentId: string; method: string; placed: OrderEvent }
  | { action: 'sendPaymentLink'; linkExpiresAt: Date; placed: OrderEvent }
);

/** A shipment as the order's history and events tell it (the fulfilment context's). */
export interface ShipmentNote {
  id: string;
  number: number;
  carrier: string;
  trackingNumber: string;
  trackingUrl: string | null;
  lines: ReadonlyArray<{ lineId: string; variantId: string; sku: string; title: string; quantity: number }>;
}

/**
 * Moves `order` (as read in this transaction) by `request`; throws the state machine's refusal,
 * or a 409 when another request moved the order first. Returns the order as it is now.
 */
export async function transition(
  trx: Db,
  order: OrderRecord,
  request: TransitionRequest,
): Promise<OrderRecord> {
  const decision = decide(order.status, request.action, request.actor.kind, request.facts);
  if (!decision.allowed) throw refused(order.status, decision);
  const effects = effectsOf(order, request, decision.to);
  const moved = await store.updateStatus(
    trx,
    order.id,
    order.status,
    effects.change,
    [
      ...(request.precededBy ?? []),
      {
        type: 'status',
        status: decision.to,
        actor: request.actor.kind,
        actorId: request.actor.id,
        ...effects.history,
      },
    ],
    request.capture,
    request.action === 'recordOfflinePayment' ? [request.placed, ...effects.events] : effects.events,
  );
  if (!moved) {
    // Another request moved it first; this statement sees what it committed.
    const status = (await store.find(trx, order.id))?.status ?? order.status;
    const now = decide(status, request.action, request.actor.kind, request.facts);
    throw invalidTransition(
      status,
      now.allowed ? 'The order was changed by someone else at the same time; try again.' : now.reason,
    );
  }
  const auditor = request.requestedBy ?? (request.actor.kind === 'admin' ? request.actor.id : null);
  if (auditor) {
    await recordAudit(trx, {
      actorId: auditor,
      action: `order.${request.action}`,
      targetType: 'order',
      targetId: order.id,
      details: { from: order.status, to: decision.to, ...effects.audit },
    });
  }
  return moved;
}

interface Effects {
  change: StatusChange;
  history: Pick<HistoryEntry, 'summary' | 'details'>;
  audit: Record<string, unknown>;
  events: OrderEvent[];
}

const STATUS_WORDS: Partial<Record<OrderStatus, string>> = {
  confirmed: 'confirmed',
  partially_shipped: 'partially shipped',
  shipped: 'shipped',
  partially_delivered: 'partially delivered',
  delivered: 'delivered',
};

function shipmentDetails(shipment: ShipmentNote) {
  return {
    shipmentId: shipment.id,
    number: shipment.number,
    carrier: shipment.carrier,
    trackingNumber: shipment.trackingNumber,
    trackingUrl: shipment.trackingUrl,
    lines: shipment.lines.map((l) => ({ ...l })),
  };
}

function contents(shipment: ShipmentNote): string {
  return shipment.lines.map((l) => `${l.quantity} × ${l.title}`).join(', ');
}

function effectsOf(order: OrderRecord, request: TransitionRequest, to: OrderStatus): Effects {
  const [orderId, customerId, timestamp] = [order.id, order.customerId, new Date().toISOString()];
  switch (request.action) {
    case 'confirm':
      return {
        change: { status: to, paymentStatus: 'paid' },
        history: { summary: 'Order confirmed' },
        audit: { paymentId: request.paymentId, amount: order.total, currency: order.currency },
        events: [
          orderEvent('OrderConfirmed', orderId, {
            orderId,
            customerId,
            total: order.total,
            currency: order.currency,
            timestamp,
          }),
        ],
      };
    case 'cancel':
      return {
        change: {
          status: to,
          cancellationReason: request.reason,
          ...(request.paymentStatus && { paymentStatus: request.paymentStatus }),
        },
        history: {
          summary: `Order cancelled: ${cancellationSummary(request.reason)}`,
          details: { reason: request.reason },
        },
        audit: { reason: request.reason, stockReturned: true },
        events: [
          orderEvent('OrderCancelled', orderId, {
            orderId,
            customerId,
            reason: request.reason,
            actor: request.actor.kind,
            wasConfirmed: order.status === 'confirmed',
            timestamp,
          }),
        ],
      };
    case 'ship': {
      const { shipment } = request;
      const { trackingNumber, carrier } = shipment;
      return {
        change: { status: to, trackingNumber, carrier },
        history: {
          summary: `Shipment ${shipment.number} shipped with ${carrier}, tracking number ${trackingNumber}: ${contents(shipment)}`,
          details: shipmentDetails(shipment),
        },
        audit: shipmentDetails(shipment),
        // the order as a whole shipped with its last parcel; each parcel is the fulfilment context's event
        events:
          to === 'shipped'
            ? [
                orderEvent('OrderShipped', orderId, {
                  orderId,
                  customerId,
                  trackingNumber,
                  carrier,
                  timestamp,
                }),
              ]
            : [],
      };
    }
    case 'deliver':
      return {
        change: { status: to },
        history: {
          summary: `Shipment ${request.shipment.number} delivered: ${contents(request.shipment)}`,
          details: shipmentDetails(request.shipment),
        },
        audit: { shipmentId: request.shipment.id, number: request.shipment.number },
        events:
          to === 'delivered'
            ? [orderEvent('OrderDelivered', orderId, { orderId, customerId, timestamp })]
            : [],
      };
    case 'resettle':
      return {
        change: { status: to },
        history: {
          summary: `Order ${STATUS_WORDS[to] ?? to} again: ${request.reason}`,
          details: { reason: request.reason },
        },
        audit: { reason: request.reason },
        events: [],
      };
    case 'recordOfflinePayment':
      return {
        change: { status: to, paymentStatus: 'paid' },
        history: { summary: 'Order confirmed', details: { method: request.method } },
        audit: {
          paymentId: request.paymentId,
          method: request.method,
          amount: order.total,
          currency: order.currency,
        },
        events: [
          orderEvent('OrderConfirmed', orderId, {
            orderId,
            customerId,
            total: order.total,
            currency: order.currency,
            timestamp,
          }),
        ],
      };
    case 'sendPaymentLink':
      return {
        change: { status: to, paymentLinkExpiresAt: request.linkExpiresAt },
        history: {
          summary: 'Payment link sent to the customer',
          details: { linkExpiresAt: request.linkExpiresAt.toISOString() },
        },
        audit: { linkExpiresAt: request.linkExpiresAt.toISOString() },
        events: [request.placed],
      };
  }
}
