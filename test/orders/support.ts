/** What the order lifecycle tests share: response types, helpers that read the database, a flaky gateway. */
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import {
  PaymentUnavailableError,
  type ChargeRequest,
  type ChargeResult,
  type PaymentProvider,
  type PaymentStatus,
  type RefundRequest,
  type RefundResult,
} from '../../src/payment/provider.ts';
import { orderBody, type TestApp } from '../helpers.ts';

export interface OrderJson {
  id: string;
  orderNumber: number;
  customerId: string;
  status: string;
  detailedStatus: string;
  items: Array<{ id: string; productId: string; name: string; quantity: number; price: number }>;
  total: number;
  currency: string;
  shippingAddress: Record<string, string | null>;
  customer?: { name: string; email: string };
  payment: { status: string; amountPaid: number; amountRefunded: number };
  trackingNumber: string | null;
  carrier: string | null;
  cancellationReason: string | null;
  cancellationMessage: string | null;
  createdAt: string;
  updatedAt: string;
  actions: Record<string, { allowed: boolean; reason: string | null }>;
}
export interface ErrorJson {
  code: string;
  message: string;
  details: Record<string, unknown>;
}
export interface TimelineJson {
  items: Array<{ at: string; type: string; status: string | null; actor: string; summary: string }>;
}
export interface AdminListJson {
  items: Array<{
    id: string;
    customerId: string;
    customerEmail: string;
    status: string;
    total: number;
    paymentStatus: string;
    createdAt: string;
  }>;
  nextCursor: string | null;
}
export type Customer = { token: string; id: string; email: string };
export type Product = { id: string; price: number; name: string };

export const NEW_ADDRESS = { street: '1 Market St', city: 'Oakland', state: 'CA', zip: '94607' };

// ---------------------------------------------------------------- helpers

export async function place(
  t: TestApp,
  customer: Customer,
  lines: Array<[Product, number]>,
  token = 'tok_visa',
): Promise<OrderJson> {
  const res = await t.request<OrderJson>('POST', '/api/v1/orders', {
    token: customer.token,
    body: orderBody(
      customer.id,
      lines.map(([p, quantity]) => ({ productId: p.id, quantity, price: p.price })),
      token,
    ),
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

export async function available(t: TestApp, productId: string): Promise<number> {
  const res = await t.request<{ available: number }>('GET', `/api/v1/products/${productId}`);
  assert.equal(res.status, 200);
  return res.body.available;
}

export async function stockLevel(t: TestApp, productId: string) {
  return t.app.database.db
    .selectFrom('stock_level')
    .select(['on_hand', 'reserved'])
    .where('product_id', '=', productId)
    .executeTakeFirstOrThrow();
}

/** Every outbox event about the order: its own, and stock and payment events naming it. */
export async function eventsOf(t: TestApp, orderId: string) {
  return t.app.database.db
    .selectFrom('outbox')
    .select(['type', 'payload'])
    .where((eb) => eb.or([eb('aggregate_id', '=', orderId), eb(sql`payload->>'orderId'`, '=', orderId)]))
    .orderBy('sequence')
    .execute();
}

export async function paymentsOf(t: TestApp, orderId: string) {
  return t.app.database.db
    .selectFrom('payment')
    .select(['amount_minor', 'status', 'refunded_minor'])
    .where('order_id', '=', orderId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function refundsOf(t: TestApp, orderId: string) {
  return t.app.database.db
    .selectFrom('refund')
    .select(['amount_minor', 'status'])
    .where('order_id', '=', orderId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function activeReservations(t: TestApp, orderId: string): Promise<number> {
  const rows = await t.app.database.db
    .selectFrom('stock_reservation')
    .select('id')
    .where('order_id', '=', orderId)
    .where('status', '=', 'active')
    .execute();
  return rows.length;
}

export async function gatewayCalls(t: TestApp, orderId: string) {
  const charges = await t.app.database.db
    .selectFrom('sandbox_charge')
    .select(['amount_minor', 'status', 'refunded_minor'])
    .where('order_id', '=', orderId)
    .orderBy('created_at')
    .execute();
  return charges;
}

export async function timeline(t: TestApp, orderId: string, token?: string): Promise<TimelineJson['items']> {
  const res = await t.request<TimelineJson>('GET', `/api/v1/orders/${orderId}/timeline`, {
    token: token ?? (await t.adminToken()),
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.items;
}

export async function getOrder(t: TestApp, orderId: string, token?: string): Promise<OrderJson> {
  const res = await t.request<OrderJson>('GET', `/api/v1/orders/${orderId}`, {
    token: token ?? (await t.adminToken()),
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

/** Everything a request could have changed about an order, to prove that it changed nothing. */
export async function snapshot(t: TestApp, orderId: string, productIds: readonly string[]) {
  return {
    order: await getOrder(t, orderId),
    timeline: await timeline(t, orderId),
    events: (await eventsOf(t, orderId)).map((e) => e.type),
    payments: await paymentsOf(t, orderId),
    refunds: await refundsOf(t, orderId),
    gateway: await gatewayCalls(t, orderId),
    activeReservations: await activeReservations(t, orderId),
    stock: await Promise.all(productIds.map((id) => stockLevel(t, id))),
  };
}

export function adminPost(
  t: TestApp,
  token: string,
  orderId: string,
  action: string,
  body?: unknown,
  key?: string,
) {
  return t.request<OrderJson & ErrorJson>('POST', `/api/v1/admin/orders/${orderId}/${action}`, {
    token,
    ...(body !== undefined && { body }),
    ...(key !== undefined && { headers: { 'idempotency-key': key } }),
  });
}

export const SHIPMENT = { trackingNumber: '1Z999AA10123456784', carrier: 'UPS' };
// ---------------------------------------------------------------- confirm, with a gateway that loses answers

/** A gateway double whose answers can be lost, as when the network fails after the charge. */
export class FlakyGateway implements PaymentProvider {
  readonly name = 'flaky';
  /** the charge is taken but the answer never arrives */
  loseAnswers = false;
  /** the request never reaches the gateway */
  dropRequests = false;
  /** status queries fail too */
  statusDown = false;
  readonly #charges = new Map<
    string,
    { paymentId: string; amount: number; currency: string; refunded: number }
  >();
  #n = 0;

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    if (this.dropRequests) throw new PaymentUnavailableError('connection refused');
    const existing = this.#charges.get(request.idempotencyKey);
    const charge = existing ?? {
      paymentId: `pi_flaky_${++this.#n}`,
      amount: request.amount.amount,
      currency: request.amount.currency,
      refunded: 0,
    };
    this.#charges.set(request.idempotencyKey, charge);
    if (this.loseAnswers) throw new PaymentUnavailableError('connection reset');
    return {
      status: 'succeeded',
      paymentId: charge.paymentId,
      amount: { amount: charge.amount, currency: charge.currency },
    };
  }

  /** refunds cannot reach the gateway */
  refundsDown = false;
  /** refunds by idempotency key, as a gateway remembers them */
  readonly refunds = new Map<string, { paymentId: string; amount: number; refundId: string }>();

  async refund(request: RefundRequest): Promise<RefundResult> {
    if (this.refundsDown) throw new PaymentUnavailableError('connection refused');
    const previous = this.refunds.get(request.idempotencyKey);
    if (previous) {
      // Stripe refuses a key reused with other parameters; so does this double.
      if (previous.paymentId !== request.paymentId || previous.amount !== request.amount.amount) {
        throw new Error(`idempotency key ${request.idempotencyKey} reused with other parameters`);
      }
      return { refundId: previous.refundId, status: 'succeeded' };
    }
    const charge = [...this.#charges.values()].find((c) => c.paymentId === request.paymentId);
    if (!charge) throw new PaymentUnavailableError('unknown payment');
    charge.refunded += request.amount.amount;
    const refundId = `re_flaky_${++this.#n}`;
    this.refunds.set(request.idempotencyKey, {
      paymentId: request.paymentId,
      amount: request.amount.amount,
      refundId,
    });
    return { refundId, status: 'succeeded' };
  }

  refundedOf(paymentId: string): number {
    return [...this.#charges.values()].find((c) => c.paymentId === paymentId)?.refunded ?? 0;
  }

  async status(query: { idempotencyKey: string }): Promise<PaymentStatus> {
    if (this.statusDown) throw new PaymentUnavailableError('timeout');
    const charge = this.#charges.get(query.idempotencyKey);
    if (!charge) return { status: 'not_found' };
    return {
      status: 'succeeded',
      paymentId: charge.paymentId,
      amount: { amount: charge.amount, currency: charge.currency },
    };
  }
}
