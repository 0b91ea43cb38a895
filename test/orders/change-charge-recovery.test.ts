/**
 * An order change that costs more has its charge written down before the provider is asked
 * (ADR 0043). Here its request dies after the provider took the money (its answer never comes
 * back), is slower than the grace period, or is sent twice: the recovery job refunds a charge
 * whose change was never kept, once, and gives its units back; a late request gives back a charge
 * the job closed; the same request sent again is charged once. The process itself is killed in
 * test/faults/order-change-charge-crash.test.ts. PGlite, or PostgreSQL with TEST_DATABASE_URL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PaymentProvider } from '../../src/payment/provider.ts';
import { SandboxPaymentProvider } from '../../src/payment/sandbox.ts';
import { createTestApp, type TestApp } from '../helpers.ts';
import {
  activeReservations,
  available,
  getOrder,
  place,
  timeline,
  type ErrorJson,
  type OrderJson,
} from './support.ts';

let t: TestApp;
let sandbox: SandboxPaymentProvider | undefined;
/** runs around each charge of a change: before the sandbox sees it, and after it took the money */
const hooks: { before?: () => Promise<void>; after?: () => Promise<void> } = {};
const gateway: PaymentProvider = {
  name: 'sandbox',
  charge: async (request) => {
    const change = request.description?.endsWith('change') === true;
    if (change) await hooks.before?.();
    const result = await (sandbox as SandboxPaymentProvider).charge(request);
    if (change) await hooks.after?.();
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
const recover = () => t.app.services.orders.recoverChangeCharges();

/** A confirmed order of 2 × 10.00, and its request to make it 3 (10.00 more). */
async function anOrder() {
  const customer = await t.customer();
  const product = await t.product({ price: 10, stock: 10 });
  const order = await place(t, customer, [[product, 2]]);
  const body = (card = 'tok_visa') => ({
    items: [{ productId: product.id, quantity: 3 }],
    paymentMethod: { type: 'card', token: card },
    confirmedAmount: 10,
  });
  const change = (card?: string) =>
    t.request<OrderJson & ErrorJson>('PATCH', `/api/v1/orders/${order.id}`, {
      token: customer.token,
      body: body(card),
    });
  /** the request whose process dies: its 500 is no answer the API documents, so it is not checked as one */
  const changeAndDie = () =>
    t.app.server.inject({
      method: 'PATCH',
      url: `/api/v1/orders/${order.id}`,
      headers: { authorization: `Bearer ${customer.token}` },
      payload: body(),
    });
  const money = async () => {
    const { payment, total } = await getOrder(t, order.id);
    return { total, paid: payment.amountPaid, refunded: payment.amountRefunded };
  };
  const story = async () =>
    (await timeline(t, order.id, customer.token))
      .map((i) => i.summary)
      .filter((s) => /change|Refunded/.test(s));
  return { order, product, change, changeAndDie, money, story };
}

async function changeCharges(orderId: string) {
  return db()
    .selectFrom('order_change_charge')
    .select(['idempotency_key', 'attempt', 'status', 'holds_stock'])
    .where('order_id', '=', orderId)
    .orderBy('attempt')
    .execute();
}

/** The grace period is over for the order's charges: they were last touched an hour ago. */
async function anHourLater(orderId: string) {
  await db()
    .updateTable('order_change_charge')
    .set({ updated_at: new Date(Date.now() - 3_600_000) })
    .where('order_id', '=', orderId)
    .execute();
}

async function atProvider(key: string) {
  return db()
    .selectFrom('sandbox_charge')
    .select(['amount_minor', 'refunded_minor'])
    .where('idempotency_key', '=', key)
    .execute();
}

const INTERRUPTED =
  'Refunded $10.00: payment for an order change that was not made: the request was interrupted';

describe("an order change's charge whose request is gone", () => {
  test('the provider took the money and the answer never came: recovery refunds it once, after the grace period', async () => {
    const { order, product, change, changeAndDie, money, story } = await anOrder();
    hooks.after = () => Promise.reject(new Error('the process died before the answer was read'));
    const died = await changeAndDie().finally(() => delete hooks.after);
    assert.equal(died.statusCode, 500, died.body);
    assert.deepEqual(
      await money(),
      { total: 20, paid: 20, refunded: 0 },
      'no change, no record of the charge',
    );
    const [open] = await changeCharges(order.id);
    assert.equal(open?.status, 'open');
    const key = open?.idempotency_key ?? '';
    assert.deepEqual(
      await atProvider(key),
      [{ amount_minor: 1000, refunded_minor: 0 }],
      'the provider took 10.00',
    );

    assert.equal(await recover(), 0, 'within the grace period the request may still finish');
    await anHourLater(order.id);
    assert.equal(await recover(), 1);
    assert.deepEqual(await money(), { total: 20, paid: 30, refunded: 10 });
    assert.deepEqual(await story(), ['Payment of $10.00 received for an order change', INTERRUPTED]);
    assert.deepEqual(
      await atProvider(key),
      [{ amount_minor: 1000, refunded_minor: 1000 }],
      'given back in full',
    );
    assert.deepEqual(
      (await changeCharges(order.id)).map((c) => c.status),
      ['refunded'],
    );
    await anHourLater(order.id);
    assert.equal(await recover(), 0, 'a second pass finds nothing');
    assert.deepEqual(await money(), { total: 20, paid: 30, refunded: 10 });

    // sent again, it is charged afresh under a key of its own (the refund moved the order's
    // version on), and kept
    const again = await change();
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.deepEqual(await money(), { total: 30, paid: 40, refunded: 10 });
    const [first, second] = await changeCharges(order.id);
    assert.deepEqual([first?.status, second?.status], ['refunded', 'made']);
    assert.notEqual(second?.idempotency_key, key);
    assert.equal(await available(t, product.id), 7);
  });

  test('sent again while its charge is open: answered from the same key, kept, charged once', async () => {
    const { order, change, changeAndDie, money } = await anOrder();
    hooks.after = () => Promise.reject(new Error('the process died before the answer was read'));
    await changeAndDie().finally(() => delete hooks.after);
    const again = await change();
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.deepEqual(await money(), { total: 30, paid: 30, refunded: 0 });
    const [made] = await changeCharges(order.id);
    assert.deepEqual([made?.status, made?.holds_stock], ['made', false]);
    assert.equal((await atProvider(made?.idempotency_key ?? '')).length, 1, 'one charge at the provider');
    await anHourLater(order.id);
    assert.equal(await recover(), 0, 'nothing for recovery');
  });

  test('a request slower than the grace period, after the provider took the money: recovery refunds it and gives the units back; the request refunds nothing more', async () => {
    const { order, product, change, money, story } = await anOrder();
    assert.equal(await available(t, product.id), 8);
    hooks.after = async () => {
      assert.equal(await activeReservations(t, order.id), 1, 'the change holds its unit');
      await anHourLater(order.id);
      assert.equal(await recover(), 1);
    };
    const answer = await change().finally(() => delete hooks.after);
    assert.equal(answer.status, 409, JSON.stringify(answer.body));
    assert.equal(answer.body.code, 'change_payment_expired');
    assert.deepEqual(await money(), { total: 20, paid: 30, refunded: 10 }, 'refunded once');
    assert.deepEqual(await story(), ['Payment of $10.00 received for an order change', INTERRUPTED]);
    assert.equal(await activeReservations(t, order.id), 0);
    assert.equal(await available(t, product.id), 8, 'the unit went back');
    assert.deepEqual(
      (await changeCharges(order.id)).map((c) => [c.status, c.holds_stock]),
      [['refunded', false]],
    );
  });

  test('a request slower than the grace period, before the provider took the money: recovery closes it, the request gives its charge back', async () => {
    const { order, product, change, money } = await anOrder();
    hooks.before = async () => {
      await anHourLater(order.id);
      assert.equal(await recover(), 1, 'the provider has no charge under the key: closed');
      assert.equal(await available(t, product.id), 8, 'and the unit went back');
    };
    const answer = await change().finally(() => delete hooks.before);
    assert.equal(answer.status, 409, JSON.stringify(answer.body));
    assert.equal(answer.body.code, 'change_payment_expired');
    assert.deepEqual(await money(), { total: 20, paid: 30, refunded: 10 }, 'the late charge went back');
    assert.deepEqual(
      (await changeCharges(order.id)).map((c) => c.status),
      ['refunded'],
    );
    assert.equal(await available(t, product.id), 8);
    await anHourLater(order.id);
    assert.equal(await recover(), 0);

    const again = await change();
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.deepEqual(await money(), { total: 30, paid: 40, refunded: 10 });
    assert.equal(await available(t, product.id), 7);
  });

  test('a declined charge is closed by recovery with nothing refunded', async () => {
    const { order, change, money, story } = await anOrder();
    const declined = await change('tok_chargeDeclined');
    assert.equal(declined.status, 402, JSON.stringify(declined.body));
    await anHourLater(order.id);
    assert.equal(await recover(), 1);
    assert.deepEqual(
      (await changeCharges(order.id)).map((c) => c.status),
      ['not_charged'],
    );
    assert.deepEqual(await money(), { total: 20, paid: 20, refunded: 0 });
    assert.deepEqual(await story(), []);
  });
});

describe('the same change request sent twice at once', () => {
  test('one change, charged once, nothing given back', async () => {
    const { order, product, change, money } = await anOrder();
    const answers = await Promise.all([change(), change()]);
    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 200],
      JSON.stringify(answers.map((a) => a.body)),
    );
    assert.deepEqual(await money(), { total: 30, paid: 30, refunded: 0 });
    assert.equal(await available(t, product.id), 7);
    assert.deepEqual(
      (await changeCharges(order.id)).map((c) => c.status),
      ['made'],
    );
    await anHourLater(order.id);
    assert.equal(await recover(), 0);
  });
});
