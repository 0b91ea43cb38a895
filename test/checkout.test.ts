import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seedDemoPromotions } from '../src/promotions/demo.ts';
import { seedDemoShipping } from '../src/shipping/demo.ts';
import { seedDemoTax } from '../src/tax/demo.ts';
import { ADDRESS, createTestApp, orderBody, type TestApp } from './helpers.ts';
import { activeReservations, type Customer, type Product } from './orders/support.ts';

/**
 * Checkout with the demo shop's shipping and tax: United States, "Standard" $5.00 (free from
 * $50.00) and "Express" by weight, "Sales tax" 8.25 %; codes WELCOME10 (10 % from $20.00, once per
 * customer) and FREESHIP. Every figure below is worked out by hand from those rules
 * (docs/pricing.md): per-line tax rounded half up, shipping taxed at the standard rate.
 */
interface QuoteJson {
  lines: Array<{ variantId: string; price: number; discount: number; tax: number; total: number }>;
  shippingMethods: Array<{ id: string; name: string; price: number }>;
  shippingMethodId: string | null;
  shipping: { name: string; price: number; discount: number; tax: number; total: number } | null;
  discount: { code: string; amount: number } | null;
  taxLines: Array<{ name: string; rate: number; base: number; amount: number }>;
  subtotal: number;
  discountTotal: number;
  shippingTotal: number;
  taxTotal: number;
  total: number;
}

interface PricedOrderJson extends QuoteJson {
  id: string;
  status: string;
  items: QuoteJson['lines'];
  payment: { amountPaid: number; amountRefunded: number };
}

describe('checkout with shipping, tax and discount codes', () => {
  let t: TestApp;

  before(async () => {
    t = await createTestApp();
    const { shipping, tax, promotions } = t.app.services;
    await seedDemoShipping(shipping, 'USD');
    await seedDemoTax(tax, new Map((await shipping.listZones()).map((z) => [z.name, z.id])));
    await seedDemoPromotions(promotions);
  });
  after(() => t.close());

  const quote = (body: Record<string, unknown>, token?: string) =>
    t.request<QuoteJson>('POST', '/api/v1/checkout/quote', { token, body });

  const place = (customer: Customer, product: Product, extra: Record<string, unknown>, quantity = 1) =>
    t.request<PricedOrderJson>('POST', '/api/v1/orders', {
      token: customer.token,
      body: {
        ...orderBody(customer.id, [{ productId: product.id, quantity, price: product.price }]),
        ...extra,
      },
    });

  test('a quote prices shipping and tax; placing needs its total and stores every part', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 30, stock: 5 });
    const quoted = await quote({ items: [{ productId: product.id, quantity: 1 }], shippingAddress: ADDRESS });
    assert.equal(quoted.status, 200, JSON.stringify(quoted.body));
    assert.deepEqual(
      quoted.body.shippingMethods.map((m) => [m.name, m.price]),
      [
        ['Standard', 5],
        ['Express', 12],
      ],
    );
    // 30.00 + 8.25 % (2.475 → 2.48) + shipping 5.00 + 8.25 % (0.4125 → 0.41)
    assert.equal(quoted.body.shipping?.name, 'Standard');
    assert.deepEqual(
      [quoted.body.subtotal, quoted.body.shippingTotal, quoted.body.taxTotal, quoted.body.total],
      [30, 5, 2.89, 37.89],
    );
    assert.deepEqual(quoted.body.taxLines, [{ name: 'Sales tax', rate: 8.25, base: 35, amount: 2.89 }]);

    const unconfirmed = await place(customer, product, {});
    assert.equal(unconfirmed.status, 422, JSON.stringify(unconfirmed.body));
    assert.equal(unconfirmed.body['code' as keyof PricedOrderJson], 'confirmation_required');
    assert.deepEqual((unconfirmed.body as unknown as { details: unknown }).details, {
      total: 37.89,
      currency: 'USD',
    });
    const stale = await place(customer, product, { expectedTotal: 30 });
    assert.equal(stale.status, 409);
    assert.equal(stale.body['code' as keyof PricedOrderJson], 'price_changed');

    const placed = await place(customer, product, { expectedTotal: quoted.body.total });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    const order = placed.body;
    assert.equal(order.status, 'confirmed');
    assert.deepEqual(
      [order.subtotal, order.shippingTotal, order.taxTotal, order.total, order.payment.amountPaid],
      [30, 5, 2.89, 37.89, 37.89],
    );
    assert.deepEqual(
      order.items.map((l) => [l.price, l.discount, l.tax, l.total]),
      [[30, 0, 2.48, 32.48]],
    );
    assert.deepEqual(order.taxLines, quoted.body.taxLines);
    const read = await t.request<PricedOrderJson>('GET', `/api/v1/orders/${order.id}`, {
      token: customer.token,
    });
    assert.equal(read.body.total, 37.89);
    assert.equal(read.body.shipping?.name, 'Standard');
  });

  test('the answer to a placement is the order as it is read back, for a shopper and for an admin', async () => {
    // names out of order, mixed case, one line discounted and taxed on its own
    const products = [
      await t.product({ name: 'zebra socks', price: 7.5, stock: 10 }),
      await t.product({ name: 'Apple crate', price: 12, stock: 10 }),
      await t.product({ name: 'Mango', price: 3.25, stock: 10 }),
    ];
    for (const [customer, shippingAddress] of [
      [await t.customer(), ADDRESS],
      [await t.customer(), { ...ADDRESS, name: 'Robin Example' }],
    ] as const) {
      const items = products.map((p, i) => ({ productId: p.id, quantity: i + 1, price: p.price }));
      const body = { ...orderBody(customer.id, items), shippingAddress, discountCode: 'WELCOME10' };
      const quoted = await quote({
        items: items.map(({ productId, quantity }) => ({ productId, quantity })),
        shippingAddress,
        discountCode: 'WELCOME10',
      });
      assert.equal(quoted.status, 200, JSON.stringify(quoted.body));
      const placed = await t.request<PricedOrderJson>('POST', '/api/v1/orders', {
        token: customer.token,
        body: { ...body, expectedTotal: quoted.body.total },
      });
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
      assert.equal(placed.body.items.length, 3);
      const read = await t.request<PricedOrderJson>('GET', `/api/v1/orders/${placed.body.id}`, {
        token: customer.token,
      });
      assert.deepEqual(placed.body, read.body);
      const readByAdmin = await t.request<PricedOrderJson>('GET', `/api/v1/orders/${placed.body.id}`, {
        token: await t.adminToken(),
      });
      assert.deepEqual(
        { ...readByAdmin.body, customer: undefined, actions: undefined },
        { ...placed.body, customer: undefined, actions: undefined },
      );
    }
  });

  test('the shopper picks a method; over $50 Standard is free', async () => {
    const product = await t.product({ price: 60, stock: 5 });
    const cheap = await quote({ items: [{ productId: product.id, quantity: 1 }], shippingAddress: ADDRESS });
    assert.equal(cheap.body.shipping?.price, 0);
    const express = cheap.body.shippingMethods.find((m) => m.name === 'Express');
    assert.ok(express);
    const chosen = await quote({
      items: [{ productId: product.id, quantity: 1 }],
      shippingAddress: ADDRESS,
      shippingMethodId: express.id,
    });
    assert.equal(chosen.body.shippingMethodId, express.id);
    assert.equal(chosen.body.shipping?.price, 12);
  });

  test('a method that does not serve the basket and an unknown code are refused with their reasons', async () => {
    const product = await t.product({ price: 10, stock: 3 });
    const items = [{ productId: product.id, quantity: 1 }];
    const otherMethod = await quote({
      items,
      shippingAddress: ADDRESS,
      shippingMethodId: crypto.randomUUID(),
    });
    assert.equal(otherMethod.status, 422, JSON.stringify(otherMethod.body));
    assert.equal(otherMethod.body['code' as keyof QuoteJson], 'shipping_method_unavailable');
    const unknown = await quote({ items, shippingAddress: ADDRESS, discountCode: 'NO-SUCH-CODE' });
    assert.equal(unknown.status, 422);
    assert.equal((unknown.body as unknown as { details: { reason: string } }).details.reason, 'unknown_code');
  });

  test('an address outside every zone is refused with its reason, and nothing is held', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 10, stock: 3 });
    const abroad = {
      street: '1-1 Marunouchi',
      city: 'Tokyo',
      state: 'Tokyo',
      zip: '100-0005',
      country: 'JP',
    };
    const quoted = await quote({ items: [{ productId: product.id, quantity: 1 }], shippingAddress: abroad });
    assert.equal(quoted.status, 422);
    assert.equal(quoted.body['code' as keyof QuoteJson], 'address_not_served');
    const placed = await place(customer, product, { shippingAddress: abroad, expectedTotal: 10 });
    assert.equal(placed.status, 422);
    const product2 = await t.request<{ available: number }>('GET', `/api/v1/products/${product.id}`);
    assert.equal(product2.body.available, 3);
  });

  test('WELCOME10 takes 10 % off each line, once per customer, and comes back when the order is cancelled', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 30, stock: 10 });
    const quoted = await quote(
      {
        items: [{ productId: product.id, quantity: 1 }],
        shippingAddress: ADDRESS,
        discountCode: 'welcome10',
      },
      customer.token,
    );
    assert.equal(quoted.status, 200, JSON.stringify(quoted.body));
    // 27.00 + 8.25 % (2.2275 → 2.23) + 5.41 shipping
    assert.deepEqual([quoted.body.discountTotal, quoted.body.taxTotal, quoted.body.total], [3, 2.64, 34.64]);
    const placed = await place(customer, product, { discountCode: 'WELCOME10', expectedTotal: 34.64 });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    assert.deepEqual(placed.body.discount, { code: 'WELCOME10', amount: 3 });
    assert.deepEqual(
      placed.body.items.map((l) => [l.discount, l.tax, l.total]),
      [[3, 2.23, 29.23]],
    );

    const again = await place(customer, product, { discountCode: 'WELCOME10', expectedTotal: 34.64 });
    assert.equal(again.status, 422);
    assert.equal(
      (again.body as unknown as { details: { reason: string } }).details.reason,
      'customer_limit_reached',
    );
    assert.equal(await activeReservations(t, placed.body.id), 0);

    const cancelled = await t.request('POST', `/api/v1/orders/${placed.body.id}/cancel`, {
      token: customer.token,
      body: { reason: 'Ordered the wrong size' },
    });
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    const reused = await place(customer, product, { discountCode: 'WELCOME10', expectedTotal: 34.64 });
    assert.equal(reused.status, 201, JSON.stringify(reused.body));
  });

  test('a change to a discounted order is priced by the rules it was placed with', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 30, stock: 10 });
    const placed = await place(customer, product, { discountCode: 'WELCOME10', expectedTotal: 34.64 });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    const changed = await t.request<{ total: number; amountDue: number }>(
      'POST',
      `/api/v1/orders/${placed.body.id}/modification-quote`,
      { token: customer.token, body: { items: [{ productId: product.id, quantity: 2 }] } },
    );
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    // 60.00 − 10 % = 54.00, tax 4.455 → 4.46, shipping kept at what was paid (5.41)
    assert.equal(changed.body.total, 63.87);
    assert.equal(changed.body.amountDue, 29.23);
    const modified = await t.request<PricedOrderJson>('PATCH', `/api/v1/orders/${placed.body.id}`, {
      token: customer.token,
      body: {
        items: [{ productId: product.id, quantity: 2 }],
        paymentMethod: { type: 'card', token: 'tok_visa' },
        confirmedAmount: 29.23,
      },
    });
    assert.equal(modified.status, 200, JSON.stringify(modified.body));
    assert.deepEqual(
      [
        modified.body.discountTotal,
        modified.body.taxTotal,
        modified.body.total,
        modified.body.payment.amountPaid,
      ],
      [6, 4.87, 63.87, 63.87],
    );
  });

  test('the cart checks out with a method and a code, at the quoted total', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 25, stock: 4 });
    const added = await t.request('POST', '/api/v1/cart/items', {
      token: customer.token,
      body: { productId: product.id, quantity: 2 },
    });
    assert.equal(added.status, 200);
    const quoted = await quote({ shippingAddress: ADDRESS, discountCode: 'FREESHIP' }, customer.token);
    assert.equal(quoted.status, 200, JSON.stringify(quoted.body));
    assert.equal(quoted.body.shipping?.total, 0);
    const placed = await t.request<PricedOrderJson>('POST', '/api/v1/cart/checkout', {
      token: customer.token,
      body: {
        shippingAddress: ADDRESS,
        paymentMethod: { type: 'card', token: 'tok_visa' },
        discountCode: 'FREESHIP',
        expectedTotal: quoted.body.total,
      },
    });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    assert.equal(placed.body.total, quoted.body.total);
    const empty = await quote({ shippingAddress: ADDRESS }, customer.token);
    assert.equal(empty.status, 422);
  });
});
