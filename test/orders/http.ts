/**
 * What the tests under test/orders/ share: an order as the API answers it, and the few calls
 * every one of them makes (place, read, timeline, the shopper's list).
 */
import assert from 'node:assert/strict';
import { ADDRESS, orderBody, type TestApp } from '../helpers.ts';

export interface OrderJson {
  id: string;
  orderNumber: number;
  customerId: string;
  status: string;
  items: Array<{ productId: string; name: string; quantity: number; price: number }>;
  total: number;
  currency: string;
  shippingAddress: Record<string, string | null>;
  payment: { status: string; amountPaid: number; amountRefunded: number };
  cancellationReason: string | null;
  cancellationMessage: string | null;
  customer?: { name: string; email: string };
}
export interface ErrorJson {
  code: string;
  message: string;
  details: Record<string, unknown>;
}
export type Customer = { token: string; id: string; email: string };
export type Product = { id: string; price: number; name: string };

export async function place(
  t: TestApp,
  customer: Customer,
  lines: Array<[Product, number]>,
  options: { card?: string; shippingAddress?: Record<string, unknown> } = {},
): Promise<OrderJson> {
  const res = await placeRequest(t, customer, lines, options);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as OrderJson;
}

export function placeRequest(
  t: TestApp,
  customer: Customer,
  lines: Array<[Product, number]>,
  options: { card?: string; shippingAddress?: Record<string, unknown> } = {},
) {
  const body = orderBody(
    customer.id,
    lines.map(([p, quantity]) => ({ productId: p.id, quantity, price: p.price })),
    options.card,
  );
  return t.request<OrderJson | ErrorJson>('POST', '/api/v1/orders', {
    token: customer.token,
    body: { ...body, shippingAddress: options.shippingAddress ?? ADDRESS },
  });
}

export async function getOrder(t: TestApp, orderId: string, token: string): Promise<OrderJson> {
  const res = await t.request<OrderJson>('GET', `/api/v1/orders/${orderId}`, { token });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

export async function timeline(t: TestApp, orderId: string, token: string) {
  const res = await t.request<{ items: Array<{ type: string; actor: string; summary: string }> }>(
    'GET',
    `/api/v1/orders/${orderId}/timeline`,
    { token },
  );
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.items;
}

export async function myOrders(t: TestApp, customer: Customer) {
  const res = await t.request<{ items: Array<{ id: string; orderNumber: number; status: string }> }>(
    'GET',
    '/api/v1/orders',
    { token: customer.token },
  );
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.items;
}
