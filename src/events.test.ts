import assert from 'node:assert/strict';
import { test } from 'node:test';
import { orderOf } from './events.ts';
import type { DomainEvent } from './platform/outbox-event.ts';

const at = '2026-01-01T00:00:00.000Z';
const envelope = (
  context: DomainEvent['context'],
  type: string,
  payload: Record<string, unknown>,
): DomainEvent => ({
  id: 'e1',
  sequence: 1,
  type,
  context,
  aggregateId: 'agg',
  payload,
  occurredAt: at,
});

test("an event's order is read with its producer's schema", () => {
  const delivered = { orderId: 'o1', customerId: 'c1', timestamp: at };
  assert.equal(orderOf(envelope('orders', 'OrderDelivered', delivered)), 'o1');
  const reserved = { variantId: 'v1', quantity: 2, orderId: 'o2', timestamp: at };
  assert.equal(orderOf(envelope('inventory', 'StockReserved', reserved)), 'o2');
  const refunded = {
    refundId: 'r',
    paymentId: 'p',
    orderId: 'o3',
    amount: 5,
    currency: 'USD',
    timestamp: at,
  };
  assert.equal(orderOf(envelope('payment', 'RefundIssued', refunded)), 'o3');
  const replenished = { productId: 'p1', quantity: 2, onHand: 9, timestamp: at };
  assert.equal(orderOf(envelope('inventory', 'StockReplenished', replenished)), null, 'no order');
});

test('an event that is not what its type says has no order', () => {
  assert.equal(orderOf(envelope('orders', 'OrderDelivered', { orderId: 'o1' })), null, 'fields missing');
  assert.equal(
    orderOf(envelope('payment', 'OrderDelivered', { orderId: 'o1', customerId: 'c', timestamp: at })),
    null,
  );
  assert.equal(orderOf(envelope('orders', 'Unheard', { orderId: 'o1' })), null);
});
