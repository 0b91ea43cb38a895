/**
 * Changing a confirmed order (issue 13): the shopper sees what a change costs and confirms that
 * amount before it is charged; added units are priced today and a withdrawn product cannot
 * grow; every charge and refund of a change is on the order's timeline.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers.ts';
import { place, type Customer, type ErrorJson, type OrderJson } from './http.ts';
import { getOrder, timeline } from './support.ts';

interface QuoteJson {
  items: Array<{ productId: string; name: string; quantity: number; price: number }>;
  changes: Array<{ productId: string; from: number; to: number }>;
  previousTotal: number;
  total: number;
  currency: string;
  amountDue: number;
  amountRefunded: number;
}

const CARD = { type: 'card', token: 'tok_visa' };

describe('changing an order: quote, confirm, today’s prices', () => {
  let t: TestApp;
  let admin: string;
  before(async () => {
    t = await createTestApp();
    admin = await t.adminToken();
  });
  after(() => t.close());

  const quote = (
    customer: Customer,
    orderId: string,
    items: Array<{ productId: string; quantity: number }>,
  ) =>
    t.request<QuoteJson | ErrorJson>('POST', `/api/v1/orders/${orderId}/modification-quote`, {
      token: customer.token,
      body: { items },
    });
  const modify = (customer: Customer, orderId: string, body: Record<string, unknown>) =>
    t.request<OrderJson | ErrorJson>('PATCH', `/api/v1/orders/${orderId}`, { token: customer.token, body });
  const setProduct = async (productId: string, body: Record<string, unknown>) => {
    const res = await t.request('PATCH', `/api/v1/products/${productId}`, { token: admin, body });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };
  const payments = (orderId: string) =>
    t.app.database.db
      .selectFrom('payment')
      .select(['amount_minor', 'status'])
      .where('order_id', '=', orderId)
      .orderBy('created_at')
      .execute();

  test('a quote prices the change and changes nothing', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 12, stock: 10 });
    const order = await place(t, customer, [[product, 3]]);
    const res = await quote(customer, order.id, [{ productId: product.id, quantity: 5 }]);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, {
      items: [
        {
          productId: product.id,
          variantId: product.id,
          name: product.name,
          variantTitle: '',
          sku: (await t.request('GET', `/api/v1/products/${product.id}`)).body['sku'],
          quantity: 5,
          price: 12,
          discount: 0,
          tax: 0,
          total: 60,
        },
      ],
      changes: [{ productId: product.id, variantId: product.id, name: product.name, from: 3, to: 5 }],
      previousTotal: 36,
      total: 60,
      currency: 'USD',
      amountDue: 24,
      amountRefunded: 0,
    });
    const lower = await quote(customer, order.id, [{ productId: product.id, quantity: 1 }]);
    assert.equal((lower.body as QuoteJson).amountDue, 0);
    assert.equal((lower.body as QuoteJson).amountRefunded, 24);
    const after = await getOrder(t, order.id, customer.token);
    assert.equal(after.total, 36);
    assert.equal(after.items[0]?.quantity, 3);
    assert.equal((await payments(order.id)).length, 1);
  });

  test('an increase is charged only for the amount the shopper confirmed', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 12, stock: 10 });
    const order = await place(t, customer, [[product, 3]]);
    const items = [{ productId: product.id, quantity: 6 }];

    const unconfirmed = await modify(customer, order.id, { items, paymentMethod: CARD });
    assert.equal(unconfirmed.status, 422, JSON.stringify(unconfirmed.body));
    assert.equal((unconfirmed.body as ErrorJson).code, 'confirmation_required');
    assert.deepEqual((unconfirmed.body as ErrorJson).details, { amountDue: 36, currency: 'USD' });

    const wrong = await modify(customer, order.id, { items, paymentMethod: CARD, confirmedAmount: 24 });
    assert.equal(wrong.status, 409, JSON.stringify(wrong.body));
    assert.equal((wrong.body as ErrorJson).code, 'amount_changed');
    assert.deepEqual((wrong.body as ErrorJson).details, {
      amountDue: 36,
      currency: 'USD',
      confirmedAmount: 24,
    });
    assert.deepEqual(
      (await payments(order.id)).map((p) => p.amount_minor),
      [3600],
      'nothing charged by a change that was not confirmed',
    );
    assert.equal((await getOrder(t, order.id, customer.token)).total, 36);

    const confirmed = await modify(customer, order.id, { items, paymentMethod: CARD, confirmedAmount: 36 });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    assert.equal((confirmed.body as OrderJson).total, 72);
    assert.equal((confirmed.body as OrderJson).payment.amountPaid, 72);
  });

  test('a price that moved between the quote and the confirmation is a 409 with the new amount', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 10, stock: 10 });
    const order = await place(t, customer, [[product, 1]]);
    const items = [{ productId: product.id, quantity: 2 }];
    const quoted = (await quote(customer, order.id, items)).body as QuoteJson;
    assert.equal(quoted.amountDue, 10);
    await setProduct(product.id, { price: 11 });
    const res = await modify(customer, order.id, {
      items,
      paymentMethod: CARD,
      confirmedAmount: quoted.amountDue,
    });
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.equal((res.body as ErrorJson).code, 'amount_changed');
    assert.equal((res.body as ErrorJson).details['amountDue'], 11);
    assert.equal((await payments(order.id)).length, 1);
  });

  test('the timeline shows every charge and refund of a change', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 12, stock: 10 });
    const order = await place(t, customer, [[product, 3]]);
    const grown = await modify(customer, order.id, {
      items: [{ productId: product.id, quantity: 6 }],
      paymentMethod: CARD,
      confirmedAmount: 36,
    });
    assert.equal(grown.status, 200, JSON.stringify(grown.body));
    const shrunk = await modify(customer, order.id, { items: [{ productId: product.id, quantity: 4 }] });
    assert.equal(shrunk.status, 200, JSON.stringify(shrunk.body));
    const money = (await timeline(t, order.id, customer.token))
      .filter((i) => i.type === 'payment' || i.type === 'refund')
      .map((i) => [i.type, i.summary]);
    assert.deepEqual(money, [
      ['payment', 'Payment of $36.00 received'],
      ['payment', 'Payment of $36.00 received for the change'],
      ['refund', 'Refunded $24.00'],
    ]);
  });

  test('added units are charged at today’s price; the units bought before keep theirs, refunds are exact', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 10, stock: 10 });
    const order = await place(t, customer, [[product, 2]]);
    await setProduct(product.id, { price: 12.5 });

    const quoted = await quote(customer, order.id, [{ productId: product.id, quantity: 3 }]);
    assert.equal(quoted.status, 200, JSON.stringify(quoted.body));
    assert.equal((quoted.body as QuoteJson).amountDue, 12.5);
    const grown = await modify(customer, order.id, {
      items: [{ productId: product.id, quantity: 3 }],
      paymentMethod: CARD,
      confirmedAmount: 12.5,
    });
    assert.equal(grown.status, 200, JSON.stringify(grown.body));
    const body = grown.body as OrderJson;
    assert.deepEqual(
      body.items.map((i) => [i.productId, i.quantity, i.price]),
      [
        [product.id, 2, 10],
        [product.id, 1, 12.5],
      ],
      'one line per price: the total is still the sum of the lines',
    );
    assert.equal(body.total, 32.5);
    assert.deepEqual(
      (await payments(order.id)).map((p) => p.amount_minor),
      [2000, 1250],
    );

    // back to two: the dearest unit goes, refunded at what it cost
    const shrunk = await modify(customer, order.id, { items: [{ productId: product.id, quantity: 2 }] });
    assert.equal(shrunk.status, 200, JSON.stringify(shrunk.body));
    const after = shrunk.body as OrderJson;
    assert.deepEqual(
      after.items.map((i) => [i.quantity, i.price]),
      [[2, 10]],
    );
    assert.equal(after.total, 20);
    assert.equal(after.payment.amountRefunded, 12.5);
  });

  test('a withdrawn product cannot be increased, but can still be reduced', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 10, stock: 10 });
    const order = await place(t, customer, [[product, 3]]);
    await setProduct(product.id, { active: false });

    const items = [{ productId: product.id, quantity: 4 }];
    const quoted = await quote(customer, order.id, items);
    assert.equal(quoted.status, 409, JSON.stringify(quoted.body));
    assert.equal((quoted.body as ErrorJson).code, 'product_unavailable');
    const res = await modify(customer, order.id, { items, paymentMethod: CARD, confirmedAmount: 10 });
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.equal((res.body as ErrorJson).code, 'product_unavailable');
    assert.deepEqual((res.body as ErrorJson).details, { productIds: [product.id] });
    assert.equal((await getOrder(t, order.id, customer.token)).total, 30);

    const reduced = await modify(customer, order.id, { items: [{ productId: product.id, quantity: 2 }] });
    assert.equal(reduced.status, 200, JSON.stringify(reduced.body));
    assert.equal((reduced.body as OrderJson).total, 20);
  });
});
