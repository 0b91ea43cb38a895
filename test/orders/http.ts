/**
 * Placing an order with a chosen card and address, and the shopper's own list, for the tests
 * of issue 13 under test/orders/ (the rest is in support.ts).
 */
import assert from 'node:assert/strict';
import { ADDRESS, orderBody, type TestApp } from '../helpers.ts';
import type { Customer, ErrorJson, OrderJson, Product } from './support.ts';

export type { Customer, ErrorJson, OrderJson, Product };

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

export async function myOrders(t: TestApp, customer: Customer) {
  const res = await t.request<{ items: Array<{ id: string; orderNumber: number; status: string }> }>(
    'GET',
    '/api/v1/orders',
    { token: customer.token },
  );
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.items;
}
