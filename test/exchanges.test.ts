/**
 * Exchanges end to end through HTTP (docs/returns.md, ADR 0034): a shopper swaps delivered units
 * for another variant of the same product. A swap at one price is free and closes on receipt; a
 * dearer one is charged when asked for, once however often it is sent, and given back if the
 * exchange is rejected or cannot be made; a cheaper one is refunded with the return. Approval
 * takes the replacement from stock, and it ships in its own parcel with an email. PGlite, or
 * PostgreSQL with TEST_DATABASE_URL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
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
  actions: { shipReplacement: { allowed: boolean; reason: string | null } };
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
before(async () => {
  t = await createTestApp();
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
