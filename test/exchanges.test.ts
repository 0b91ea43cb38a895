/**
 * Exchanges end to end through HTTP (docs/returns.md, ADR 0034): a shopper swaps delivered units
 * for another variant of the same product. A swap at one price is free and closes on receipt; a
 * dearer one is charged when asked for, once however often it is sent, and given back if the
 * exchange is rejected or cannot be made; a cheaper one is refunded with the return. Approval
 * takes the replacement from stock, and it ships in its own parcel with an email. An exchange
 * cancelled before the items come back puts its replacement back on the shelf and gives a dearer
 * one's charge back, once, even when the provider is down the first time. PGlite, or PostgreSQL
 * with TEST_DATABASE_URL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  PaymentRejectedError,
  PaymentUnavailableError,
  type PaymentProvider,
} from '../src/payment/provider.ts';
import { SandboxPaymentProvider } from '../src/payment/sandbox.ts';
import { ADDRESS, createTestApp, type TestApp } from './helpers.ts';

interface ReturnJson {
  id: string;
  status: string;
  kind: string;
  exchangeCharge: number;
  refund: number | null;
  refundDue: { amount: number; shipping: number; exchange: number } | null;
  lines: Array<{
    lineId: string;
    replacement: { variantId: string; sku: string } | null;
    difference: number | null;
  }>;
  replacementShipment: { carrier: string; trackingNumber: string; location: { name: string } } | null;
  actions: Record<
    'shipReplacement' | 'cancel' | 'receive' | 'reject',
    { allowed: boolean; reason: string | null }
  >;
}
interface ErrorJson {
  code: string;
  message: string;
  details: Record<string, unknown>;
}
interface Returnable {
  lineId: string;
  variantId: string;
  returnable: number;
  exchangeOptions: Array<{ variantId: string; sku: string; unitPrice: number; available: number }>;
}

let t: TestApp;
let sequence = 0;
/** the sandbox, whose refunds can be made unreachable, refused, or slow */
const refunds = { down: false, refused: false, delayMs: 0 };
let sandbox: SandboxPaymentProvider | undefined;
const gateway: PaymentProvider = {
  name: 'sandbox',
  charge: (request) => (sandbox as SandboxPaymentProvider).charge(request),
  refund: async (request) => {
    if (refunds.down) throw new PaymentUnavailableError('connection refused');
    if (refunds.refused) throw new PaymentRejectedError('refund_refused', 'charge disputed');
    if (refunds.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, refunds.delayMs));
    return (sandbox as SandboxPaymentProvider).refund(request);
  },
  status: (query) => (sandbox as SandboxPaymentProvider).status(query),
};
before(async () => {
  t = await createTestApp({}, { paymentProvider: gateway });
  sandbox = new SandboxPaymentProvider(t.app.database.db);
  const zone = await t.app.services.shipping.createZone(
    { name: 'Exchanges', areas: [{ country: 'US' }] },
    null,
  );
  await t.app.services.shipping.createMethod(
    zone.id,
    { name: 'Parcel', rate: { kind: 'flat', priceMinor: 0 }, position: 0 },
    null,
  );
});
after(() => t.close());

const db = () => t.app.database.db;

/** A T-shirt in four sizes (S 17, M 20, L 20, XL 25), and a delivered order of two in M. */
async function deliveredShirts(stock: { L?: number } = {}) {
  const tag = `x${++sequence}-${Date.now()}`;
  const admin = await t.adminToken();
  const created = await t.request<{ id: string; variants: Array<{ id: string; sku: string }> }>(
    'POST',
    '/api/v1/products',
    {
      token: admin,
      body: {
        sku: tag,
        name: 'Shirt',
        description: 'A shirt',
        price: 20,
        initialStock: 0,
        options: [{ name: 'Size', values: ['S', 'M', 'L', 'XL'] }],
        variants: [
          { sku: `${tag}-s`, options: { Size: 'S' }, price: 17, initialStock: 5 },
          { sku: `${tag}-m`, options: { Size: 'M' }, price: 20, initialStock: 5 },
          { sku: `${tag}-l`, options: { Size: 'L' }, price: 20, initialStock: stock.L ?? 5 },
          { sku: `${tag}-xl`, options: { Size: 'XL' }, price: 25, initialStock: 5 },
        ],
      },
    },
  );
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const size = (s: string) => {
    const v = created.body.variants.find((x) => x.sku === `${tag}-${s}`);
    assert.ok(v);
    return v.id;
  };
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
  for (const step of ['ship', 'deliver']) {
    const res = await t.request('POST', `/api/v1/admin/orders/${placed.body.id}/${step}`, {
      token: admin,
      ...(step === 'ship' && { body: { carrier: 'UPS', trackingNumber: '1Z999AA10123456784' } }),
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  }
  const listed = await t.request<{ returnable: Returnable[] }>(
    'GET',
    `/api/v1/orders/${placed.body.id}/returns`,
    {
      token: customer.token,
    },
  );
  const line = listed.body.returnable[0];
  assert.ok(line);
  return {
    orderId: placed.body.id,
    customer,
    line,
    S: size('s'),
    M: size('m'),
    L: size('l'),
    XL: size('xl'),
  };
}

type Shirts = Awaited<ReturnType<typeof deliveredShirts>>;

function ask(order: Shirts, replacementVariantId: string, extra: Record<string, unknown> = {}, quantity = 1) {
  return t.request<ReturnJson & ErrorJson>('POST', `/api/v1/orders/${order.orderId}/returns`, {
    token: order.customer.token,
    body: {
      lines: [{ lineId: order.line.lineId, quantity, replacementVariantId }],
      reason: 'wrong_size',
      ...extra,
    },
  });
}

async function adminStep<T = ReturnJson & ErrorJson>(path: string, body?: unknown) {
  return t.request<T>('POST', `/api/v1/admin/returns/${path}`, {
    token: await t.adminToken(),
    ...(body !== undefined && { body }),
  });
}

async function stock(variantId: string) {
  const row = await db()
    .selectFrom('stock_level')
    .select((eb) => [eb.fn.sum<number>('on_hand').as('onHand'), eb.fn.sum<number>('reserved').as('reserved')])
    .where('variant_id', '=', variantId)
    .executeTakeFirstOrThrow();
  return { onHand: Number(row.onHand), reserved: Number(row.reserved) };
}

async function payment(orderId: string) {
  const res = await t.request<{ payment: { amountPaid: number; amountRefunded: number } }>(
    'GET',
    `/api/v1/orders/${orderId}`,
    { token: await t.adminToken() },
  );
  const { amountPaid, amountRefunded } = res.body.payment;
  return { amountPaid, amountRefunded };
}

/** The order's stock allocations of a variant: committed when paid for, and how many shipped. */
async function allocations(orderId: string, variantId: string) {
  return db()
    .selectFrom('stock_reservation')
    .select(['status', 'quantity', 'shipped'])
    .where('order_id', '=', orderId)
    .where('variant_id', '=', variantId)
    .execute();
}

async function templates(orderId: string) {
  await t.app.outbox.drain();
  const mail = await db()
    .selectFrom('notification')
    .select('template')
    .where('order_id', '=', orderId)
    .execute();
  return mail.map((m) => m.template);
}

describe('an exchange for another size at the same price', () => {
  test('is free, takes the replacement from stock on approval, closes on receipt and ships the replacement with an email', async () => {
    const order = await deliveredShirts();
    assert.deepEqual(
      order.line.exchangeOptions.map((o) => [o.variantId, o.unitPrice, o.available]),
      [
        [order.S, 17, 5],
        [order.L, 20, 5],
        [order.XL, 25, 5],
      ],
    );
    const quoted = await t.request<{
      charge: number;
      exchangeRefund: number;
      lines: Array<{ difference: number }>;
    }>('POST', `/api/v1/orders/${order.orderId}/returns/quote`, {
      token: order.customer.token,
      body: { lines: [{ lineId: order.line.lineId, quantity: 1, replacementVariantId: order.L }] },
    });
    assert.equal(quoted.status, 200, JSON.stringify(quoted.body));
    assert.deepEqual(
      [quoted.body.charge, quoted.body.exchangeRefund, quoted.body.lines[0]?.difference],
      [0, 0, 0],
    );

    const asked = await ask(order, order.L);
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    assert.equal(asked.body.kind, 'exchange');
    assert.equal(asked.body.lines[0]?.replacement?.variantId, order.L);
    assert.equal(asked.body.actions.shipReplacement.allowed, false);
    const early = await adminStep(`${asked.body.id}/replacement-shipment`, {
      carrier: 'DHL',
      trackingNumber: 'JD0146000012345',
    });
    assert.equal(early.status, 409);
    assert.equal(early.body.code, 'exchange_not_approved');

    const before = await stock(order.L);
    const approved = await adminStep(`${asked.body.id}/approve`);
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.actions.shipReplacement.allowed, true);
    // held for the order and paid for: committed units are off the shelf's count at once
    assert.deepEqual(await stock(order.L), { onHand: before.onHand - 1, reserved: before.reserved });

    const mBefore = await stock(order.M);
    const received = await adminStep(`${asked.body.id}/receive`, {
      lines: [{ lineId: order.line.lineId, disposition: 'restock' }],
    });
    assert.equal(received.status, 200, JSON.stringify(received.body));
    assert.equal(received.body.status, 'closed', 'nothing to refund: the replacement settles it');
    assert.equal((await stock(order.M)).onHand, mBefore.onHand + 1);

    const shipped = await adminStep(`${asked.body.id}/replacement-shipment`, {
      carrier: 'DHL',
      trackingNumber: 'JD0146000012345',
      trackingUrl: 'https://track.example/JD0146000012345',
    });
    assert.equal(shipped.status, 200, JSON.stringify(shipped.body));
    assert.equal(shipped.body.replacementShipment?.carrier, 'DHL');
    assert.equal(shipped.body.actions.shipReplacement.allowed, false);
    assert.deepEqual(await stock(order.L), { onHand: before.onHand - 1, reserved: before.reserved });
    assert.deepEqual(await allocations(order.orderId, order.L), [
      { status: 'committed', quantity: 1, shipped: 1 },
    ]);
    const twice = await adminStep(`${asked.body.id}/replacement-shipment`, {
      carrier: 'DHL',
      trackingNumber: 'JD0146000012346',
    });
    assert.equal(twice.status, 409);
    assert.equal(twice.body.code, 'replacement_shipped');
    assert.equal((await stock(order.L)).onHand, before.onHand - 1, 'shipped once');

    assert.deepEqual(await payment(order.orderId), { amountPaid: 40, amountRefunded: 0 });
    const sent = await templates(order.orderId);
    for (const name of ['return_requested', 'return_approved', 'return_closed', 'exchange_shipped']) {
      assert.ok(sent.includes(name), `${name} in ${sent.join(', ')}`);
    }
    const email = await db()
      .selectFrom('notification')
      .select(['body_text'])
      .where('order_id', '=', order.orderId)
      .where('template', '=', 'exchange_shipped')
      .executeTakeFirstOrThrow();
    assert.match(email.body_text, /Sent to you instead:\s+1 × Shirt \(L\)/);
    assert.match(email.body_text, /https:\/\/track\.example\/JD0146000012345/);
  });

  test('a replacement out of stock cannot be approved, and nothing moves', async () => {
    const order = await deliveredShirts({ L: 0 });
    const asked = await ask(order, order.L);
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    const refused = await adminStep(`${asked.body.id}/approve`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'replacement_out_of_stock');
    const found = await t.request<ReturnJson>('GET', `/api/v1/admin/returns/${asked.body.id}`, {
      token: await t.adminToken(),
    });
    assert.equal(found.body.status, 'requested');
    assert.deepEqual(await stock(order.L), { onHand: 0, reserved: 0 });
  });

  test('only another variant of the same product on sale can replace a line', async () => {
    const order = await deliveredShirts();
    const other = await t.product({ price: 20 });
    for (const variantId of [other.id, order.M]) {
      const refused = await ask(order, variantId);
      assert.equal(refused.status, 422, JSON.stringify(refused.body));
      assert.equal(refused.body.code, 'invalid_replacement');
    }
  });
});

describe('an exchange for a dearer size', () => {
  test('is charged the confirmed difference when asked for, once when sent twice, and given back when rejected', async () => {
    const order = await deliveredShirts();
    const unconfirmed = await ask(order, order.XL);
    assert.equal(unconfirmed.status, 422);
    assert.equal(unconfirmed.body.code, 'payment_method_required');
    const card = { paymentMethod: { type: 'card', token: 'tok_visa' } };
    const noAmount = await ask(order, order.XL, card);
    assert.equal(noAmount.status, 422);
    assert.equal(noAmount.body.code, 'confirmation_required');
    const wrong = await ask(order, order.XL, { ...card, confirmedAmount: 4 });
    assert.equal(wrong.status, 409);
    assert.equal(wrong.body.code, 'amount_changed');
    assert.deepEqual(await payment(order.orderId), { amountPaid: 40, amountRefunded: 0 }, 'nothing charged');

    const asked = await ask(order, order.XL, { ...card, confirmedAmount: 5 });
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    assert.equal(asked.body.exchangeCharge, 5);
    assert.equal(asked.body.lines[0]?.difference, 5);
    const again = await ask(order, order.XL, { ...card, confirmedAmount: 5 });
    assert.equal(again.status, 201, JSON.stringify(again.body));
    assert.equal(again.body.id, asked.body.id, 'the same request finds the exchange it made');
    assert.deepEqual(await payment(order.orderId), { amountPaid: 45, amountRefunded: 0 });
    const timeline = await t.request<{ items: Array<{ type: string; summary: string }> }>(
      'GET',
      `/api/v1/orders/${order.orderId}/timeline`,
      { token: order.customer.token },
    );
    assert.deepEqual(
      timeline.body.items.filter((i) => i.type === 'payment').map((i) => i.summary),
      ['Payment of $40.00 received', 'Payment of $5.00 received for an exchange'],
      'the exchange is paid once, on the timeline',
    );

    const rejected = await adminStep(`${asked.body.id}/reject`, { reason: 'Worn' });
    assert.equal(rejected.status, 200, JSON.stringify(rejected.body));
    assert.deepEqual(await payment(order.orderId), { amountPaid: 45, amountRefunded: 5 });
  });

  test('a declined card makes no exchange and charges nothing; a rejected exchange sends nothing', async () => {
    const order = await deliveredShirts();
    const declined = await ask(order, order.XL, {
      paymentMethod: { type: 'card', token: 'tok_chargeDeclined' },
      confirmedAmount: 5,
    });
    assert.equal(declined.status, 402, JSON.stringify(declined.body));
    assert.equal(declined.body.code, 'payment_declined');
    const listed = await t.request<{ items: unknown[] }>('GET', `/api/v1/orders/${order.orderId}/returns`, {
      token: order.customer.token,
    });
    assert.deepEqual(listed.body.items, [], 'no return was made');
    assert.deepEqual(await payment(order.orderId), { amountPaid: 40, amountRefunded: 0 });

    const asked = await ask(order, order.L);
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    await adminStep(`${asked.body.id}/reject`, { reason: 'Worn' });
    const ship = await adminStep(`${asked.body.id}/replacement-shipment`, {
      carrier: 'DHL',
      trackingNumber: 'JD0146000012345',
    });
    assert.equal(ship.status, 409);
    assert.equal(ship.body.code, 'exchange_rejected');
    assert.deepEqual(await stock(order.L), { onHand: 5, reserved: 0 }, 'nothing left the shelf');
  });

  test('two requests for the same units at once: one exchange is made, the other’s charge goes back', async () => {
    const order = await deliveredShirts();
    const card = (token: string) => ({ paymentMethod: { type: 'card', token }, confirmedAmount: 10 });
    const answers = await Promise.all([
      ask(order, order.XL, card('tok_visa'), 2),
      ask(order, order.XL, card('tok_mastercard'), 2),
    ]);
    assert.deepEqual(
      answers.map((a) => a.status).sort(),
      [201, 409],
      JSON.stringify(answers.map((a) => a.body)),
    );
    assert.equal(answers.find((a) => a.status === 409)?.body.code, 'not_returnable');
    const paid = await payment(order.orderId);
    assert.equal(paid.amountPaid - paid.amountRefunded, 50, 'the order and one exchange are paid for');
  });
});

async function refundRows(orderId: string) {
  return db()
    .selectFrom('refund')
    .select(['idempotency_key', 'amount_minor', 'status'])
    .where('order_id', '=', orderId)
    .orderBy('created_at')
    .execute();
}

describe('a cancelled exchange', () => {
  test('approved, then cancelled by the shop: the replacement goes back on the shelf, nothing ships', async () => {
    const order = await deliveredShirts();
    const asked = await ask(order, order.L);
    const before = await stock(order.L);
    await adminStep(`${asked.body.id}/approve`);
    assert.equal((await stock(order.L)).onHand, before.onHand - 1);
    const cancelled = await adminStep(`${asked.body.id}/cancel`, { reason: 'The shirt never came back' });
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.status, 'cancelled');
    assert.deepEqual(await stock(order.L), before, 'the held replacement is back on the shelf');
    assert.deepEqual(await allocations(order.orderId, order.L), [
      { status: 'committed', quantity: 1, shipped: 0 },
    ]);
    const restocked = await db()
      .selectFrom('stock_reservation')
      .select('restocked')
      .where('order_id', '=', order.orderId)
      .where('variant_id', '=', order.L)
      .executeTakeFirstOrThrow();
    assert.equal(restocked.restocked, 1);
    assert.deepEqual(cancelled.body.actions.shipReplacement, {
      allowed: false,
      reason: 'The exchange was cancelled: nothing is sent.',
    });
    const ship = await adminStep(`${asked.body.id}/replacement-shipment`, {
      carrier: 'DHL',
      trackingNumber: 'JD0146000012345',
    });
    assert.equal(ship.status, 409);
    assert.equal(ship.body.code, 'exchange_cancelled');
    assert.deepEqual(await payment(order.orderId), { amountPaid: 40, amountRefunded: 0 });
    const timeline = await t.request<{ items: Array<{ summary: string }> }>(
      'GET',
      `/api/v1/orders/${order.orderId}/timeline`,
      { token: order.customer.token },
    );
    assert.ok(
      timeline.body.items.some(
        (i) =>
          i.summary === 'Exchange 1 cancelled: The shirt never came back; the replacement is back in stock',
      ),
      JSON.stringify(timeline.body.items.map((i) => i.summary)),
    );
    assert.ok((await templates(order.orderId)).includes('return_cancelled'));
  });

  test('once the replacement has shipped, it can no longer be cancelled', async () => {
    const order = await deliveredShirts();
    const asked = await ask(order, order.L);
    await adminStep(`${asked.body.id}/approve`);
    const shipped = await adminStep(`${asked.body.id}/replacement-shipment`, {
      carrier: 'DHL',
      trackingNumber: 'JD0146000012345',
    });
    assert.equal(shipped.body.actions.cancel.allowed, false);
    const refused = await adminStep(`${asked.body.id}/cancel`, {});
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'replacement_shipped');
    const withdrawn = await t.request<ErrorJson>(
      'POST',
      `/api/v1/orders/${order.orderId}/returns/${asked.body.id}/withdraw`,
      { token: order.customer.token },
    );
    assert.equal(withdrawn.status, 409);
    assert.equal(withdrawn.body.code, 'replacement_shipped');
  });

  test('a dearer exchange withdrawn by the shopper gives back exactly its charge, with a key of its own, once', async () => {
    const order = await deliveredShirts();
    const asked = await ask(order, order.XL, {
      paymentMethod: { type: 'card', token: 'tok_visa' },
      confirmedAmount: 5,
    });
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    await adminStep(`${asked.body.id}/approve`);
    const before = await stock(order.XL);
    const withdraw = () =>
      t.request<ReturnJson & ErrorJson>(
        'POST',
        `/api/v1/orders/${order.orderId}/returns/${asked.body.id}/withdraw`,
        { token: order.customer.token },
      );
    const withdrawn = await withdraw();
    assert.equal(withdrawn.status, 200, JSON.stringify(withdrawn.body));
    assert.equal(withdrawn.body.status, 'cancelled');
    assert.deepEqual(await payment(order.orderId), { amountPaid: 45, amountRefunded: 5 });
    assert.deepEqual(await refundRows(order.orderId), [
      {
        idempotency_key: `orderly-${order.orderId}-return-${asked.body.id}-cancel:0`,
        amount_minor: 500,
        status: 'succeeded',
      },
    ]);
    assert.equal((await stock(order.XL)).onHand, before.onHand + 1);
    const again = await withdraw();
    assert.equal(again.status, 409);
    assert.equal(again.body.message, 'The return is already cancelled.');
    assert.equal((await refundRows(order.orderId)).length, 1, 'refunded once');
    await t.app.outbox.drain();
    const sent = await db()
      .selectFrom('notification')
      .select('body_text')
      .where('order_id', '=', order.orderId)
      .where('template', '=', 'return_cancelled')
      .executeTakeFirstOrThrow();
    assert.match(sent.body_text, /The \$5\.00 you paid for the exchange goes back to your payment method/);
  });

  test('the provider down: 502, the exchange stays approved and nothing else moves it; sent again, it finishes with the same key', async () => {
    const order = await deliveredShirts();
    const asked = await ask(order, order.XL, {
      paymentMethod: { type: 'card', token: 'tok_visa' },
      confirmedAmount: 5,
    });
    await adminStep(`${asked.body.id}/approve`);
    const before = await stock(order.XL);
    refunds.down = true;
    let down;
    try {
      down = await adminStep(`${asked.body.id}/cancel`, {});
    } finally {
      refunds.down = false;
    }
    assert.equal(down.status, 502, JSON.stringify(down.body));
    const found = await t.request<ReturnJson>('GET', `/api/v1/admin/returns/${asked.body.id}`, {
      token: await t.adminToken(),
    });
    assert.equal(found.body.status, 'approved', 'the return stays as it was');
    assert.deepEqual(await stock(order.XL), before, 'the replacement is still held');
    assert.deepEqual(await payment(order.orderId), { amountPaid: 45, amountRefunded: 0 });
    // the refund may still go through: nothing may receive (or reject and refund again) meanwhile
    assert.equal(found.body.actions.receive.allowed, false);
    const receive = await adminStep(`${asked.body.id}/receive`, {
      lines: [{ lineId: order.line.lineId, disposition: 'restock' }],
    });
    assert.equal(receive.status, 409);
    assert.equal(receive.body.code, 'invalid_return_transition');
    assert.match(receive.body.message, /^The return is being cancelled/);

    const finished = await adminStep(`${asked.body.id}/cancel`, {});
    assert.equal(finished.status, 200, JSON.stringify(finished.body));
    assert.equal(finished.body.status, 'cancelled');
    assert.deepEqual(await payment(order.orderId), { amountPaid: 45, amountRefunded: 5 });
    assert.deepEqual(await refundRows(order.orderId), [
      {
        idempotency_key: `orderly-${order.orderId}-return-${asked.body.id}-cancel:0`,
        amount_minor: 500,
        status: 'succeeded',
      },
    ]);
    await t.app.jobs.refunds.tick();
    assert.deepEqual(
      await payment(order.orderId),
      { amountPaid: 45, amountRefunded: 5 },
      'the retry job finds it done',
    );
    assert.equal((await stock(order.XL)).onHand, before.onHand + 1);
  });

  test('after the order was refunded in full, or in part, cancelling gives back what is left of the charge, never more', async () => {
    // 45 paid in all (40 for the order, 5 for the exchange); the admin's refund of the order takes 45, then 42
    for (const [refunded, back] of [
      [45, 0],
      [42, 3],
    ] as const) {
      const order = await deliveredShirts();
      const asked = await ask(order, order.XL, {
        paymentMethod: { type: 'card', token: 'tok_visa' },
        confirmedAmount: 5,
      });
      await adminStep(`${asked.body.id}/approve`);
      const before = await stock(order.XL);
      const whole = await t.request('POST', `/api/v1/admin/orders/${order.orderId}/refund`, {
        token: await t.adminToken(),
        body: { amount: refunded },
        headers: { 'idempotency-key': `whole-${order.orderId}` },
      });
      assert.equal(whole.status, 200, JSON.stringify(whole.body));

      const cancelled = await adminStep(`${asked.body.id}/cancel`, { reason: 'Never sent back' });
      assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
      assert.equal(cancelled.body.status, 'cancelled');
      assert.equal((await stock(order.XL)).onHand, before.onHand + 1, 'the replacement is back on the shelf');
      assert.deepEqual(await payment(order.orderId), { amountPaid: 45, amountRefunded: 45 });
      const cancelKey = `orderly-${order.orderId}-return-${asked.body.id}-cancel:0`;
      assert.deepEqual(
        (await refundRows(order.orderId)).filter((r) => r.idempotency_key === cancelKey),
        back === 0 ? [] : [{ idempotency_key: cancelKey, amount_minor: back * 100, status: 'succeeded' }],
      );
      const event = await db()
        .selectFrom('outbox')
        .select('payload')
        .where('aggregate_id', '=', asked.body.id)
        .where('type', '=', 'ReturnCancelled')
        .executeTakeFirstOrThrow();
      assert.equal((event.payload as { refunded: number }).refunded, back * 100);

      const again = await adminStep(`${asked.body.id}/cancel`, {});
      assert.equal(again.status, 409);
      assert.equal(again.body.message, 'The return is already cancelled.');
      assert.deepEqual(await payment(order.orderId), { amountPaid: 45, amountRefunded: 45 });
    }
  });

  test('after the order was refunded in full, or in part, rejecting gives back what is left of the charge, never more', async () => {
    // as for a cancellation: 45 paid in all, the admin's refund of the order takes 45, then 42
    for (const [refunded, back] of [
      [45, 0],
      [42, 3],
    ] as const) {
      const order = await deliveredShirts();
      const asked = await ask(order, order.XL, {
        paymentMethod: { type: 'card', token: 'tok_visa' },
        confirmedAmount: 5,
      });
      assert.equal(asked.status, 201, JSON.stringify(asked.body));
      // a return is rejected while it is requested only
      const whole = await t.request('POST', `/api/v1/admin/orders/${order.orderId}/refund`, {
        token: await t.adminToken(),
        body: { amount: refunded },
        headers: { 'idempotency-key': `whole-${order.orderId}` },
      });
      assert.equal(whole.status, 200, JSON.stringify(whole.body));

      const rejected = await adminStep(`${asked.body.id}/reject`, { reason: 'Worn' });
      assert.equal(rejected.status, 200, JSON.stringify(rejected.body));
      assert.equal(rejected.body.status, 'rejected');
      assert.deepEqual(await payment(order.orderId), { amountPaid: 45, amountRefunded: 45 });
      const returnKey = `orderly-${order.orderId}-return-${asked.body.id}:0`;
      assert.deepEqual(
        (await refundRows(order.orderId)).filter((r) => r.idempotency_key === returnKey),
        back === 0 ? [] : [{ idempotency_key: returnKey, amount_minor: back * 100, status: 'succeeded' }],
      );
      const atProvider = await db()
        .selectFrom('sandbox_refund')
        .innerJoin('payment', 'payment.provider_payment_id', 'sandbox_refund.payment_id')
        .select('sandbox_refund.amount_minor')
        .where('payment.order_id', '=', order.orderId)
        .execute();
      assert.equal(
        atProvider.reduce((s, r) => s + r.amount_minor, 0),
        4500,
        'the provider gave back what was paid, no more',
      );

      const timeline = await t.request<{ items: Array<{ summary: string }> }>(
        'GET',
        `/api/v1/orders/${order.orderId}/timeline`,
        { token: order.customer.token },
      );
      const told = timeline.body.items
        .map((i) => i.summary)
        .filter((s) => /Exchange 1/.test(s) && !s.startsWith('Exchange 1 requested'));
      assert.deepEqual(
        told,
        back === 0
          ? [
              'Exchange 1 rejected: Worn',
              'Exchange 1: nothing is left to refund of the $5.00 paid for it: the order’s refunds gave it back',
            ]
          : ['Exchange 1 rejected: Worn', 'Refunded $3.00: Exchange 1 rejected'],
      );
      const refundEvents = (
        await db().selectFrom('outbox').select('payload').where('type', '=', 'RefundIssued').execute()
      )
        .map((e) => e.payload as { orderId: string; amount: number })
        .filter((p) => p.orderId === order.orderId);
      assert.equal(
        refundEvents.reduce((s, p) => s + p.amount, 0),
        4500,
        'the refunds told of add up to what was paid',
      );
    }
  });

  test('a refund refused for good leaves the exchange as it was, free to be received', async () => {
    const order = await deliveredShirts();
    const asked = await ask(order, order.XL, {
      paymentMethod: { type: 'card', token: 'tok_visa' },
      confirmedAmount: 5,
    });
    await adminStep(`${asked.body.id}/approve`);
    refunds.refused = true;
    let refused;
    try {
      refused = await adminStep(`${asked.body.id}/cancel`, {});
    } finally {
      refunds.refused = false;
    }
    assert.equal(refused.status, 422, JSON.stringify(refused.body));
    assert.equal(refused.body.code, 'refund_refused');
    const received = await adminStep(`${asked.body.id}/receive`, {
      lines: [{ lineId: order.line.lineId, disposition: 'restock' }],
    });
    assert.equal(received.status, 200, JSON.stringify(received.body));
    assert.equal(received.body.status, 'closed');
    assert.deepEqual(await payment(order.orderId), { amountPaid: 45, amountRefunded: 0 });
  });

  test('a cancellation and a receipt of a dearer exchange at once: one happens; the charge goes back only if the cancellation did', async () => {
    for (let round = 0; round < 4; round++) {
      const order = await deliveredShirts();
      const asked = await ask(order, order.XL, {
        paymentMethod: { type: 'card', token: 'tok_visa' },
        confirmedAmount: 5,
      });
      await adminStep(`${asked.body.id}/approve`);
      // the refund takes a while at the provider: a receipt sent meanwhile meets the cancellation under way
      refunds.delayMs = 50;
      const receipt = { lines: [{ lineId: order.line.lineId, disposition: 'restock' }] };
      const [cancelled, received] = await Promise.all([
        adminStep(`${asked.body.id}/cancel`, {}),
        round % 2 === 0
          ? adminStep(`${asked.body.id}/receive`, receipt)
          : new Promise((resolve) => setTimeout(resolve, 20)).then(() =>
              adminStep(`${asked.body.id}/receive`, receipt),
            ),
      ]).finally(() => {
        refunds.delayMs = 0;
      });
      assert.deepEqual(
        [cancelled.status, received.status].sort(),
        [200, 409],
        JSON.stringify([cancelled.body, received.body]),
      );
      assert.equal((cancelled.status === 409 ? cancelled : received).body.code, 'invalid_return_transition');
      const paid = await payment(order.orderId);
      assert.deepEqual(paid, { amountPaid: 45, amountRefunded: cancelled.status === 200 ? 5 : 0 });
      const found = await t.request<ReturnJson>('GET', `/api/v1/admin/returns/${asked.body.id}`, {
        token: await t.adminToken(),
      });
      assert.equal(found.body.status, cancelled.status === 200 ? 'cancelled' : 'closed');
    }
  });
});

describe('an exchange for a cheaper size', () => {
  test('refunds the difference with the return, for the confirmed amount', async () => {
    const order = await deliveredShirts();
    const asked = await ask(order, order.S);
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    assert.equal(asked.body.lines[0]?.difference, -3);
    await adminStep(`${asked.body.id}/approve`);
    const received = await adminStep(`${asked.body.id}/receive`, {
      lines: [{ lineId: order.line.lineId, disposition: 'restock' }],
    });
    assert.equal(received.body.status, 'received');
    assert.deepEqual(received.body.refundDue, { amount: 3, shipping: 0, exchange: 3 });
    const refunded = await adminStep(`${asked.body.id}/refund`, { expectedAmount: 3 });
    assert.equal(refunded.status, 200, JSON.stringify(refunded.body));
    assert.equal(refunded.body.refund, 3);
    assert.deepEqual(await payment(order.orderId), { amountPaid: 40, amountRefunded: 3 });
  });
});
