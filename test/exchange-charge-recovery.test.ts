/**
 * A dearer exchange's charge is written down before the provider is asked (ADR 0041). Here the
 * request dies after the provider took the money (its answer never comes back), outlives the
 * grace period at the provider, or is sent twice: the recovery job finds a charge whose request
 * is gone and refunds it once, a late request gives back a charge the job closed, and the same
 * request sent again finds its exchange. The process itself is killed in
 * test/faults/exchange-charge-crash.test.ts. PGlite, or PostgreSQL with TEST_DATABASE_URL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PaymentProvider } from '../src/payment/provider.ts';
import { SandboxPaymentProvider } from '../src/payment/sandbox.ts';
import { ADDRESS, createTestApp, type TestApp } from './helpers.ts';

interface ReturnJson {
  id: string;
  status: string;
  exchangeCharge: number;
  code: string;
}

let t: TestApp;
let sandbox: SandboxPaymentProvider | undefined;
/** runs around each charge: before the sandbox sees it, and after it took the money */
const hooks: { before?: () => Promise<void>; after?: () => Promise<void> } = {};
const gateway: PaymentProvider = {
  name: 'sandbox',
  charge: async (request) => {
    await hooks.before?.();
    const result = await (sandbox as SandboxPaymentProvider).charge(request);
    await hooks.after?.();
    return result;
  },
  refund: (request) => (sandbox as SandboxPaymentProvider).refund(request),
  status: (query) => (sandbox as SandboxPaymentProvider).status(query),
};

before(async () => {
  t = await createTestApp({}, { paymentProvider: gateway });
  sandbox = new SandboxPaymentProvider(t.app.database.db);
});
after(() => t.close());

const db = () => t.app.database.db;
const recover = () => t.app.services.returns.recoverExchangeCharges();

let sequence = 0;
/** A delivered order of two shirts in M (20.00), and its request to exchange `quantity` for XL (25.00). */
async function deliveredShirts() {
  const tag = `xc${++sequence}-${Date.now()}`;
  const admin = await t.adminToken();
  const created = await t.request<{ variants: Array<{ id: string; sku: string }> }>(
    'POST',
    '/api/v1/products',
    {
      token: admin,
      body: {
        sku: tag,
        name: 'Shirt',
        price: 20,
        initialStock: 0,
        options: [{ name: 'Size', values: ['M', 'XL'] }],
        variants: [
          { sku: `${tag}-m`, options: { Size: 'M' }, price: 20, initialStock: 5 },
          { sku: `${tag}-xl`, options: { Size: 'XL' }, price: 25, initialStock: 5 },
        ],
      },
    },
  );
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const size = (s: string) => created.body.variants.find((v) => v.sku === `${tag}-${s}`)?.id ?? '';
  const customer = await t.customer();
  const placed = await t.request<{ id: string }>('POST', '/api/v1/orders', {
    token: customer.token,
    body: {
      customerId: customer.id,
      items: [{ productId: size('m'), quantity: 2, price: 20 }],
      shippingAddress: ADDRESS,
      paymentMethod: { type: 'card', token: 'tok_visa' },
    },
  });
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  const orderId = placed.body.id;
  for (const step of ['ship', 'deliver']) {
    const res = await t.request('POST', `/api/v1/admin/orders/${orderId}/${step}`, {
      token: admin,
      ...(step === 'ship' && { body: { carrier: 'UPS', trackingNumber: '1Z999AA10123456784' } }),
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  }
  const listed = await t.request<{ returnable: Array<{ lineId: string }> }>(
    'GET',
    `/api/v1/orders/${orderId}/returns`,
    { token: customer.token },
  );
  const lineId = listed.body.returnable[0]?.lineId ?? '';
  const request = (quantity: number, token: string) => ({
    lines: [{ lineId, quantity, replacementVariantId: size('xl') }],
    reason: 'wrong_size',
    paymentMethod: { type: 'card', token },
    confirmedAmount: 5 * quantity,
  });
  const ask = (quantity = 1, token = 'tok_visa') =>
    t.request<ReturnJson>('POST', `/api/v1/orders/${orderId}/returns`, {
      token: customer.token,
      body: request(quantity, token),
    });
  /** the request whose process dies: its 500 is no answer the API documents, so it is not checked as one */
  const askAndDie = () =>
    t.app.server.inject({
      method: 'POST',
      url: `/api/v1/orders/${orderId}/returns`,
      headers: { authorization: `Bearer ${customer.token}` },
      payload: request(1, 'tok_visa'),
    });
  const money = async () => {
    const res = await t.request<{ payment: { amountPaid: number; amountRefunded: number } }>(
      'GET',
      `/api/v1/orders/${orderId}`,
      { token: admin },
    );
    const { amountPaid, amountRefunded } = res.body.payment;
    return { amountPaid, amountRefunded };
  };
  const timeline = async () => {
    const res = await t.request<{ items: Array<{ summary: string }> }>(
      'GET',
      `/api/v1/orders/${orderId}/timeline`,
      { token: customer.token },
    );
    return res.body.items.map((i) => i.summary).filter((s) => /exchange/i.test(s));
  };
  return { orderId, ask, askAndDie, money, timeline };
}

async function exchangeCharges(orderId: string) {
  return db()
    .selectFrom('return_exchange_charge')
    .select(['idempotency_key', 'attempt', 'status'])
    .where('order_id', '=', orderId)
    .orderBy('attempt')
    .execute();
}

/** The grace period is over for the order's charges: they were last touched an hour ago. */
async function anHourLater(orderId: string) {
  await db()
    .updateTable('return_exchange_charge')
    .set({ updated_at: new Date(Date.now() - 3_600_000) })
    .where('order_id', '=', orderId)
    .execute();
}

async function returnsOf(orderId: string) {
  return db().selectFrom('return_request').select('id').where('order_id', '=', orderId).execute();
}

describe("an exchange's charge whose request is gone", () => {
  test('the provider took the money and the answer never came: recovery refunds it once, after the grace period', async () => {
    const order = await deliveredShirts();
    hooks.after = () => Promise.reject(new Error('the process died before the answer was read'));
    const died = await order.askAndDie().finally(() => delete hooks.after);
    assert.equal(died.statusCode, 500, died.body);
    assert.deepEqual(await returnsOf(order.orderId), [], 'no return');
    assert.deepEqual(
      await order.money(),
      { amountPaid: 40, amountRefunded: 0 },
      'and no record of the charge',
    );
    const [open] = await exchangeCharges(order.orderId);
    assert.equal(open?.status, 'open');
    const taken = await db()
      .selectFrom('sandbox_charge')
      .select(['amount_minor', 'refunded_minor'])
      .where('idempotency_key', '=', open?.idempotency_key ?? '')
      .executeTakeFirstOrThrow();
    assert.deepEqual(taken, { amount_minor: 500, refunded_minor: 0 }, 'the provider took 5.00');

    assert.equal(await recover(), 0, 'within the grace period the request may still finish');
    await anHourLater(order.orderId);
    assert.equal(await recover(), 1);
    assert.deepEqual(await order.money(), { amountPaid: 45, amountRefunded: 5 });
    assert.deepEqual(await order.timeline(), [
      'Payment of $5.00 received for an exchange',
      'Refunded $5.00: payment for an exchange that was not made: the request was interrupted',
    ]);
    const refunded = await db()
      .selectFrom('sandbox_charge')
      .select('refunded_minor')
      .where('idempotency_key', '=', open?.idempotency_key ?? '')
      .executeTakeFirstOrThrow();
    assert.equal(refunded.refunded_minor, 500, 'given back at the provider, in full');
    assert.deepEqual(
      (await exchangeCharges(order.orderId)).map((c) => c.status),
      ['refunded'],
    );
    await anHourLater(order.orderId);
    assert.equal(await recover(), 0, 'a second pass finds nothing');
    assert.deepEqual(await order.money(), { amountPaid: 45, amountRefunded: 5 });

    // sent again, it is a new attempt with a key of its own: charged once more, and made
    const again = await order.ask();
    assert.equal(again.status, 201, JSON.stringify(again.body));
    assert.deepEqual(await order.money(), { amountPaid: 50, amountRefunded: 5 });
    assert.deepEqual(
      (await exchangeCharges(order.orderId)).map((c) => [c.idempotency_key, c.status]),
      [
        [open?.idempotency_key, 'refunded'],
        [`${open?.idempotency_key}-1`, 'made'],
      ],
    );
  });

  test('a request slower than the grace period: recovery finds nothing charged yet, and the request gives its charge back', async () => {
    const order = await deliveredShirts();
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let reached = () => {};
    const atProvider = new Promise<void>((resolve) => (reached = resolve));
    hooks.before = () => {
      reached();
      return held;
    };
    const slow = order.ask();
    await atProvider.finally(() => delete hooks.before);
    await anHourLater(order.orderId);
    assert.equal(await recover(), 1, 'the provider has no charge under the key: closed');
    assert.deepEqual(
      (await exchangeCharges(order.orderId)).map((c) => c.status),
      ['not_charged'],
    );
    release();
    const answer = await slow;
    assert.equal(answer.status, 409, JSON.stringify(answer.body));
    assert.equal(answer.body.code, 'exchange_payment_expired');
    assert.deepEqual(await returnsOf(order.orderId), []);
    assert.deepEqual(await order.money(), { amountPaid: 45, amountRefunded: 5 }, 'the late charge went back');
    assert.deepEqual(
      (await exchangeCharges(order.orderId)).map((c) => c.status),
      ['refunded'],
    );
    await anHourLater(order.orderId);
    assert.equal(await recover(), 0);

    const again = await order.ask();
    assert.equal(again.status, 201, JSON.stringify(again.body));
    assert.deepEqual(await order.money(), { amountPaid: 50, amountRefunded: 5 });
  });

  test('a declined charge is closed by recovery with nothing refunded', async () => {
    const order = await deliveredShirts();
    const declined = await order.ask(1, 'tok_chargeDeclined');
    assert.equal(declined.status, 402, JSON.stringify(declined.body));
    await anHourLater(order.orderId);
    assert.equal(await recover(), 1);
    assert.deepEqual(
      (await exchangeCharges(order.orderId)).map((c) => c.status),
      ['not_charged'],
    );
    assert.deepEqual(await order.money(), { amountPaid: 40, amountRefunded: 0 });
    assert.deepEqual(await order.timeline(), []);
  });
});

describe('the same exchange request sent again', () => {
  test('twice at once, and again after its exchange took every unit of the line: one exchange, charged once', async () => {
    const order = await deliveredShirts();
    const [first, second] = await Promise.all([order.ask(2), order.ask(2)]);
    assert.deepEqual([first.status, second.status], [201, 201], JSON.stringify([first.body, second.body]));
    assert.equal(second.body.id, first.body.id, 'both answers are the one exchange');
    const third = await order.ask(2);
    assert.deepEqual([third.status, third.body.id], [201, first.body.id], JSON.stringify(third.body));
    assert.deepEqual(
      await order.money(),
      { amountPaid: 50, amountRefunded: 0 },
      'charged once, nothing given back',
    );
    assert.deepEqual(
      (await exchangeCharges(order.orderId)).map((c) => c.status),
      ['made'],
    );
    await anHourLater(order.orderId);
    assert.equal(await recover(), 0, 'nothing for recovery');
  });
});
