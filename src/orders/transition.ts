import { recordAudit } from '../platform/audit.ts';
import type { Db } from '../platform/db.ts';
import { appendEvents } from '../platform/outbox.ts';
import type { ActorRef } from './deps.ts';
import { invalidTransition, refused } from './errors.ts';
import { orderEvent, type OrderEvent } from './events.ts';
import { cancellationSummary, decide, type OrderFacts, type OrderStatus } from './model.ts';
import * as store from './store.ts';
import type { HistoryEntry, OrderRecord, StatusChange } from './store.ts';

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
} & (
  | { action: 'confirm'; paymentId: string | null }
  | { action: 'cancel'; reason: string; paymentStatus?: 'failed' | undefined }
  | { action: 'ship'; shipment: { trackingNumber: string; carrier: string } }
  | { action: 'deliver' }
  // a draft leaving draft: OrderPlaced (built by the caller from the lines) comes with it
  | { action: 'recordOfflinePayment'; paymentId: string; method: string; placed: OrderEvent }
  | { action: 'sendPaymentLink'; linkExpiresAt: Date; placed: OrderEvent }
);

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
  const moved = await store.updateStatus(trx, order.id, order.status, effects.change);
  if (!moved) {
    // Another request moved it first; this statement sees what it committed.
    const status = (await store.find(trx, order.id))?.status ?? order.status;
    const now = decide(status, request.action, request.actor.kind, request.facts);
    throw invalidTransition(
      status,
      now.allowed ? 'The order was changed by someone else at the same time; try again.' : now.reason,
    );
  }
  await store.addHistory(trx, order.id, [
    ...(request.precededBy ?? []),
    {
      type: 'status',
      status: decision.to,
      actor: request.actor.kind,
      actorId: request.actor.id,
      ...effects.history,
    },
  ]);
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
  await appendEvents(
    trx,
    request.action === 'recordOfflinePayment' ? [request.placed, effects.event] : [effects.event],
  );
  return moved;
}

interface Effects {
  change: StatusChange;
  history: Pick<HistoryEntry, 'summary' | 'details'>;
  audit: Record<string, unknown>;
  event: OrderEvent;
}

function effectsOf(order: OrderRecord, request: TransitionRequest, to: OrderStatus): Effects {
  const [orderId, customerId, timestamp] = [order.id, order.customerId, new Date().toISOString()];
  switch (request.action) {
    case 'confirm':
      return {
        change: { status: to, paymentStatus: 'paid' },
        history: { summary: 'Order confirmed' },
        audit: { paymentId: request.paymentId, amount: order.total, currency: order.currency },
        event: orderEvent('OrderConfirmed', orderId, {
          orderId,
          customerId,
          total: order.total,
          currency: order.currency,
          timestamp,
        }),
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
        event: orderEvent('OrderCancelled', orderId, {
          orderId,
          customerId,
          reason: request.reason,
          actor: request.actor.kind,
          wasConfirmed: order.status === 'confirmed',
          timestamp,
        }),
      };
    case 'ship': {
      const { trackingNumber, carrier } = request.shipment;
      return {
        change: { status: to, trackingNumber, carrier },
        history: {
          summary: `Shipped with ${carrier}, tracking number ${trackingNumber}`,
          details: { trackingNumber, carrier },
        },
        audit: { trackingNumber, carrier },
        event: orderEvent('OrderShipped', orderId, {
          orderId,
          customerId,
          trackingNumber,
          carrier,
          timestamp,
        }),
      };
    }
    case 'deliver':
      return {
        change: { status: to },
        history: { summary: 'Delivered' },
        audit: {},
        event: orderEvent('OrderDelivered', orderId, { orderId, customerId, timestamp }),
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
        event: orderEvent('OrderConfirmed', orderId, {
          orderId,
          customerId,
          total: order.total,
          currency: order.currency,
          timestamp,
        }),
      };
    case 'sendPaymentLink':
      return {
        change: { status: to, paymentLinkExpiresAt: request.linkExpiresAt },
        history: {
          summary: 'Payment link sent to the customer',
          details: { linkExpiresAt: request.linkExpiresAt.toISOString() },
        },
        audit: { linkExpiresAt: request.linkExpiresAt.toISOString() },
        event: request.placed,
      };
  }
}
