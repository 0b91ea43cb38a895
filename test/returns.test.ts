/**
 * Returns end to end through HTTP (docs/returns.md): a shopper's request of delivered units, the
 * admin's approve / reject / receive / refund / cancel, the shopper's withdrawal, what is refused
 * and why, the timeline, the audit log, the emails, and the races (two requests for the same
 * units, a return and a cancellation, two admins receiving one return, one refund sent twice, a
 * cancellation and a receipt). PGlite, or PostgreSQL with TEST_DATABASE_URL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADDRESS, createTestApp, orderBody, type TestApp } from './helpers.ts';

interface ReturnJson {
  id: string;
  number: number;
  status: string;
  cancelledBy: string | null;
  cancellationReason: string | null;
  actions: Record<string, { allowed: boolean; reason: string | null }>;
  refund: number | null;
  shippingRefund: number;
  refundDue: { amount: number; shipping: number } | null;
  lines: Array<{ lineId: string; quantity: number; disposition: string | null; locationId: string | null }>;
}
interface OrderReturnsJson {
  items: ReturnJson[];
  returnable: Array<{ lineId: string; variantId: string; name: string; returnable: number; until: string }>;
}
interface ErrorJson {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

let t: TestApp;
before(async () => {
  t = await createTestApp();
  // shipping is free at home, and costs 4.50 to Germany: the policy test ships there
  const shipping = t.app.services.shipping;
  for (const [country, priceMinor] of [
    ['US', 0],
    ['DE', 450],
  ] as const) {
    const zone = await shipping.createZone({ name: `Returns ${country}`, areas: [{ country }] }, null);
    await shipping.createMethod(
      zone.id,
      { name: 'Parcel', rate: { kind: 'flat', priceMinor }, position: 0 },
      null,
    );
  }
});
after(() => t.close());

const db = () => t.app.database.db;

/** A paid order of a customer, shipped and delivered in one shipment through the admin's routes. */
async function deliveredOrder(
  items: Array<{ price: number; quantity: number }>,
  shipTo: { shippingAddress: object; expectedTotal: number } | null = null,
) {
  const customer = await t.customer();
  const products: Array<{ id: string; price: number; name: string }> = [];
  for (const item of items) products.push(await t.product({ price: item.price, stock: 10 }));
  const placed = await t.request<{ id: string; status: string }>('POST', '/api/v1/orders', {
    token: customer.token,
    body: {
      ...orderBody(
        customer.id,
        items.map((item, i) => ({
          productId: products[i]?.id ?? '',
          quantity: item.quantity,
          price: item.price,
        })),
      ),
      ...shipTo,
    },
  });
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  const admin = await t.adminToken();
  const shipped = await t.request('POST', `/api/v1/admin/orders/${placed.body.id}/ship`, {
    token: admin,
    body: { carrier: 'UPS', trackingNumber: '1Z999AA10123456784' },
  });
  assert.equal(shipped.status, 200, JSON.stringify(shipped.body));
  const delivered = await t.request('POST', `/api/v1/admin/orders/${placed.body.id}/deliver`, {
    token: admin,
  });
  assert.equal(delivered.status, 200, JSON.stringify(delivered.body));
  const returns = await orderReturns(placed.body.id, customer.token);
  return { orderId: placed.body.id, customer, products, lines: returns.returnable };
}

/** A guest's order of one product, shipped and delivered: its id, the order link's `?token=`, its line. */
async function deliveredGuestOrder(price: number) {
  const product = await t.product({ price });
  const guest = await t.request<{ id: string; accessToken: string }>('POST', '/api/v1/guest/orders', {
    body: {
      email: `guest-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`,
      name: 'Guest',
      items: [{ productId: product.id, quantity: 1, price }],
      shippingAddress: ADDRESS,
      paymentMethod: { type: 'card', token: 'tok_visa' },
    },
  });
  assert.equal(guest.status, 201, JSON.stringify(guest.body));
  const adminToken = await t.adminToken();
  await t.request('POST', `/api/v1/admin/orders/${guest.body.id}/ship`, {
    token: adminToken,
    body: { carrier: 'UPS', trackingNumber: '1Z999AA10123456799' },
  });
  await t.request('POST', `/api/v1/admin/orders/${guest.body.id}/deliver`, { token: adminToken });
  const link = `?token=${guest.body.accessToken}`;
  const list = await t.request<OrderReturnsJson>('GET', `/api/v1/orders/${guest.body.id}/returns${link}`);
  assert.equal(list.status, 200, JSON.stringify(list.body));
  const line = list.body.returnable[0];
  assert.ok(line);
  return { id: guest.body.id, link, line };
}

async function orderReturns(orderId: string, token: string): Promise<OrderReturnsJson> {
  const res = await t.request<OrderReturnsJson>('GET', `/api/v1/orders/${orderId}/returns`, { token });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

function ask(
  orderId: string,
  token: string | undefined,
  lines: Array<{ lineId: string; quantity: number }>,
  url = '',
) {
  return t.request<ReturnJson & ErrorJson>('POST', `/api/v1/orders/${orderId}/returns${url}`, {
    token,
    body: { lines, reason: 'wrong_size', note: 'Too small' },
  });
}

async function admin<T = ReturnJson & ErrorJson>(path: string, body?: unknown) {
  return t.request<T>('POST', `/api/v1/admin/returns/${path}`, {
    token: await t.adminToken(),
    ...(body !== undefined && { body }),
  });
}

async function getReturn(id: string) {
  const res = await t.request<ReturnJson>('GET', `/api/v1/admin/returns/${id}`, {
    token: await t.adminToken(),
  });
  assert.equal(res.status, 200);
  return res.body;
}

async function onHand(productId: string): Promise<number> {
  const rows = await db()
    .selectFrom('stock_level')
    .select((eb) => eb.fn.sum<number>('on_hand').as('n'))
    .where('variant_id', '=', productId)
    .executeTakeFirstOrThrow();
  return Number(rows.n);
}

async function payment(orderId: string) {
  const res = await t.request<{ payment: { amountPaid: number; amountRefunded: number } }>(
    'GET',
    `/api/v1/orders/${orderId}`,
    { token: await t.adminToken() },
  );
  return res.body.payment;
}

describe('a return from request to refund', () => {
  test('requested, approved, received back in stock and refunded for the confirmed amount, on the timeline, in the audit log and by email', async () => {
    const order = await deliveredOrder([
      { price: 25, quantity: 2 },
      { price: 8, quantity: 1 },
    ]);
    const mug = order.lines.find((l) => l.variantId === order.products[0]?.id);
    assert.ok(mug);
    assert.equal(mug.returnable, 2);

    const asked = await ask(order.orderId, order.customer.token, [{ lineId: mug.lineId, quantity: 1 }]);
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    assert.equal(asked.body.status, 'requested');
    assert.equal(asked.body.number, 1);
    assert.equal(
      (await orderReturns(order.orderId, order.customer.token)).returnable.find(
        (l) => l.lineId === mug.lineId,
      )?.returnable,
      1,
    );

    const early = await admin(`${asked.body.id}/receive`, {
      lines: [{ lineId: mug.lineId, disposition: 'restock' }],
    });
    assert.equal(early.status, 409);
    assert.equal(early.body.code, 'invalid_return_transition');
    assert.equal(early.body.message, 'The return has to be approved before its items are received.');

    assert.equal((await admin(`${asked.body.id}/approve`)).body.status, 'approved');
    const again = await admin(`${asked.body.id}/approve`);
    assert.equal(again.status, 409);
    assert.equal(again.body.message, 'The return is already approved.');

    const before = await onHand(mug.variantId);
    const received = await admin(`${asked.body.id}/receive`, {
      lines: [{ lineId: mug.lineId, disposition: 'restock' }],
    });
    assert.equal(received.status, 200, JSON.stringify(received.body));
    assert.equal(received.body.status, 'received');
    assert.equal(received.body.lines[0]?.disposition, 'restock');
    assert.equal(await onHand(mug.variantId), before + 1);
    assert.deepEqual(received.body.refundDue, { amount: 25, shipping: 0, exchange: 0 });

    const wrong = await admin(`${asked.body.id}/refund`, { expectedAmount: 20 });
    assert.equal(wrong.status, 409);
    assert.equal(wrong.body.code, 'amount_changed');
    assert.equal(wrong.body.details['amount'], 2500);
    assert.equal((await payment(order.orderId)).amountRefunded, 0);

    const refunded = await admin(`${asked.body.id}/refund`, { expectedAmount: 25 });
    assert.equal(refunded.status, 200, JSON.stringify(refunded.body));
    assert.equal(refunded.body.status, 'refunded');
    assert.equal(refunded.body.refund, 25);
    assert.equal((await payment(order.orderId)).amountRefunded, 25);

    const timeline = await t.request<{ items: Array<{ summary: string }> }>(
      'GET',
      `/api/v1/orders/${order.orderId}/timeline`,
      { token: order.customer.token },
    );
    const summaries = timeline.body.items.map((i) => i.summary);
    for (const expected of [
      /^Return 1 requested: 1 × Product \d+ \(Wrong size\)$/,
      /^Return 1 approved$/,
      /^Return 1 received: 1 × Product \d+ back in stock at /,
      /^Refunded \$25\.00: Return 1$/,
      /^Return 1 refunded: \$25\.00$/,
    ]) {
      assert.ok(
        summaries.some((s) => expected.test(s)),
        `${expected} in ${JSON.stringify(summaries)}`,
      );
    }

    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', asked.body.id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['return.request', 'return.approve', 'return.receive', 'return.refund'],
    );

    await t.app.outbox.drain();
    const mail = await db()
      .selectFrom('notification')
      .select('template')
      .where('order_id', '=', order.orderId)
      .execute();
    const templates = mail.map((m) => m.template);
    for (const name of ['return_requested', 'return_approved', 'return_received', 'order_refunded']) {
      assert.ok(templates.includes(name), `${name} in ${templates.join(', ')}`);
    }
  });

  test('a rejection frees the units for another return, and the customer reads the reason', async () => {
    const order = await deliveredOrder([{ price: 12, quantity: 1 }]);
    const line = order.lines[0];
    assert.ok(line);
    const first = await ask(order.orderId, order.customer.token, [{ lineId: line.lineId, quantity: 1 }]);
    const rejected = await admin(`${first.body.id}/reject`, { reason: 'Worn, tags removed' });
    assert.equal(rejected.status, 200);
    assert.equal(rejected.body.status, 'rejected');
    const second = await ask(order.orderId, order.customer.token, [{ lineId: line.lineId, quantity: 1 }]);
    assert.equal(second.status, 201, JSON.stringify(second.body));
    assert.equal(second.body.number, 2);
    const late = await admin(`${first.body.id}/approve`);
    assert.equal(late.status, 409);
    assert.equal(late.body.message, 'The return was rejected.');
  });

  test('a written-off line leaves stock alone; received with nothing left to refund, the return closes', async () => {
    const order = await deliveredOrder([{ price: 30, quantity: 1 }]);
    const line = order.lines[0];
    assert.ok(line);
    const refundAll = await t.request('POST', `/api/v1/admin/orders/${order.orderId}/refund`, {
      token: await t.adminToken(),
      body: { amount: 30 },
      headers: { 'idempotency-key': `all-${order.orderId}` },
    });
    assert.equal(refundAll.status, 200, JSON.stringify(refundAll.body));
    const asked = await ask(order.orderId, order.customer.token, [{ lineId: line.lineId, quantity: 1 }]);
    await admin(`${asked.body.id}/approve`);
    const before = await onHand(line.variantId);
    const received = await admin(`${asked.body.id}/receive`, {
      lines: [{ lineId: line.lineId, disposition: 'write_off' }],
    });
    assert.equal(received.status, 200, JSON.stringify(received.body));
    assert.equal(received.body.status, 'closed');
    assert.equal(await onHand(line.variantId), before);
    const refund = await admin(`${asked.body.id}/refund`, { expectedAmount: 0 });
    assert.equal(refund.status, 409);
    assert.equal(refund.body.message, 'The return is closed.');
  });

  test('the policy refunds the shipping once per order when it says so, and never more than was paid', async () => {
    const admin0 = await t.adminToken();
    const policy = await t.request<{ windowDays: number; refundShipping: boolean }>(
      'PUT',
      '/api/v1/admin/return-policy',
      {
        token: admin0,
        body: { refundShipping: true },
      },
    );
    assert.equal(policy.status, 200);
    assert.equal(policy.body.refundShipping, true);
    try {
      const order = await deliveredOrder([{ price: 10, quantity: 2 }], {
        shippingAddress: { street: 'Unter den Linden 1', city: 'Berlin', zip: '10117', country: 'DE' },
        expectedTotal: 24.5,
      });
      const line = order.lines[0];
      assert.ok(line);
      const shipping = await db()
        .selectFrom('orders')
        .select('shipping_total_minor')
        .where('id', '=', order.orderId)
        .executeTakeFirstOrThrow();
      assert.equal(shipping.shipping_total_minor, 450);
      for (const [n, withShipping] of [
        [1, true],
        [2, false],
      ] as const) {
        const asked = await ask(order.orderId, order.customer.token, [{ lineId: line.lineId, quantity: 1 }]);
        assert.equal(asked.body.number, n);
        await admin(`${asked.body.id}/approve`);
        const received = await admin(`${asked.body.id}/receive`, {
          lines: [{ lineId: line.lineId, disposition: 'restock' }],
        });
        const shipped: number = withShipping ? shipping.shipping_total_minor / 100 : 0;
        assert.deepEqual(received.body.refundDue, { amount: 10 + shipped, shipping: shipped, exchange: 0 });
        const done = await admin(`${asked.body.id}/refund`, { expectedAmount: 10 + shipped });
        assert.equal(done.body.status, 'refunded');
      }
      const paid = await payment(order.orderId);
      assert.equal(paid.amountRefunded, paid.amountPaid);
    } finally {
      await t.request('PUT', '/api/v1/admin/return-policy', {
        token: admin0,
        body: { refundShipping: false },
      });
    }
  });
});

async function timelineOf(orderId: string, token: string) {
  const res = await t.request<{ items: Array<{ summary: string; actor: string; actorName: string | null }> }>(
    'GET',
    `/api/v1/orders/${orderId}/timeline`,
    { token },
  );
  assert.equal(res.status, 200);
  return res.body.items;
}

async function templatesOf(orderId: string) {
  await t.app.outbox.drain();
  const mail = await db()
    .selectFrom('notification')
    .select(['template', 'body_text'])
    .where('order_id', '=', orderId)
    .execute();
  return mail;
}

describe('a cancelled return', () => {
  test('cancelled by the shop with a reason: its units may be asked for again; on the timeline, in the audit log and by email', async () => {
    const order = await deliveredOrder([{ price: 14, quantity: 1 }]);
    const line = order.lines[0];
    assert.ok(line);
    const asked = await ask(order.orderId, order.customer.token, [{ lineId: line.lineId, quantity: 1 }]);
    assert.deepEqual(asked.body.actions['cancel'], { allowed: true, reason: null });
    await admin(`${asked.body.id}/approve`);
    const before = await onHand(line.variantId);
    const cancelled = await admin(`${asked.body.id}/cancel`, { reason: 'Never sent back' });
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.status, 'cancelled');
    assert.equal(cancelled.body.cancelledBy, 'admin');
    assert.equal(cancelled.body.cancellationReason, 'Never sent back');
    assert.deepEqual(cancelled.body.actions['cancel'], {
      allowed: false,
      reason: 'The return is already cancelled.',
    });
    assert.equal(await onHand(line.variantId), before, 'a plain return moves no stock when cancelled');
    assert.equal((await payment(order.orderId)).amountRefunded, 0);

    const late = await admin(`${asked.body.id}/receive`, {
      lines: [{ lineId: line.lineId, disposition: 'restock' }],
    });
    assert.equal(late.status, 409);
    assert.equal(late.body.code, 'invalid_return_transition');
    assert.equal(late.body.message, 'The return was cancelled.');
    const twice = await admin(`${asked.body.id}/cancel`, {});
    assert.equal(twice.status, 409);
    assert.equal(twice.body.message, 'The return is already cancelled.');

    const again = await orderReturns(order.orderId, order.customer.token);
    assert.equal(again.returnable.find((l) => l.lineId === line.lineId)?.returnable, 1, 'the units are free');
    const second = await ask(order.orderId, order.customer.token, [{ lineId: line.lineId, quantity: 1 }]);
    assert.equal(second.status, 201, JSON.stringify(second.body));
    assert.equal(second.body.number, 2);

    const entry = (await timelineOf(order.orderId, order.customer.token)).find((i) =>
      i.summary.startsWith('Return 1 cancelled'),
    );
    assert.equal(entry?.summary, 'Return 1 cancelled: Never sent back');
    assert.equal(entry?.actor, 'admin');
    const me = await t.request<{ id: string }>('GET', '/api/v1/auth/me', { token: await t.adminToken() });
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('target_id', '=', asked.body.id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((a) => [a.action, a.actor_id]),
      [
        ['return.request', order.customer.id],
        ['return.approve', me.body.id],
        ['return.cancel', me.body.id],
      ],
    );
    const mail = (await templatesOf(order.orderId)).find((m) => m.template === 'return_cancelled');
    assert.ok(mail, 'the customer is emailed');
    assert.match(mail.body_text, /we cancelled return 1 of order #\d+/);
    assert.match(mail.body_text, /“Never sent back”/);
  });

  test('withdrawn by the shopper while requested or approved, not once the items are back; nobody else may', async () => {
    const order = await deliveredOrder([{ price: 9, quantity: 3 }]);
    const line = order.lines[0];
    assert.ok(line);
    const withdraw = (id: string, token: string | undefined, orderId = order.orderId, query = '') =>
      t.request<ReturnJson & ErrorJson>('POST', `/api/v1/orders/${orderId}/returns/${id}/withdraw${query}`, {
        token,
      });
    const asked = await ask(order.orderId, order.customer.token, [{ lineId: line.lineId, quantity: 1 }]);
    const other = await t.customer();
    assert.equal((await withdraw(asked.body.id, other.token)).status, 404);
    assert.equal((await withdraw(asked.body.id, undefined)).status, 401);
    assert.equal((await withdraw(asked.body.id, undefined, order.orderId, '?token=forged')).status, 401);
    const elsewhere = await deliveredOrder([{ price: 3, quantity: 1 }]);
    assert.equal(
      (await withdraw(asked.body.id, elsewhere.customer.token, elsewhere.orderId)).status,
      404,
      'a return is withdrawn through its own order only',
    );
    assert.equal((await getReturn(asked.body.id)).status, 'requested');

    const withdrawn = await withdraw(asked.body.id, order.customer.token);
    assert.equal(withdrawn.status, 200, JSON.stringify(withdrawn.body));
    assert.equal(withdrawn.body.status, 'cancelled');
    assert.equal(withdrawn.body.cancelledBy, 'customer');
    assert.equal(withdrawn.body.cancellationReason, null);

    const approved = await ask(order.orderId, order.customer.token, [{ lineId: line.lineId, quantity: 1 }]);
    await admin(`${approved.body.id}/approve`);
    assert.equal((await withdraw(approved.body.id, order.customer.token)).body.status, 'cancelled');

    const received = await ask(order.orderId, order.customer.token, [{ lineId: line.lineId, quantity: 1 }]);
    await admin(`${received.body.id}/approve`);
    await admin(`${received.body.id}/receive`, { lines: [{ lineId: line.lineId, disposition: 'restock' }] });
    const refused = await withdraw(received.body.id, order.customer.token);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'invalid_return_transition');
    assert.equal(refused.body.message, 'The items were already received: refund them instead.');
    assert.equal((await getReturn(received.body.id)).status, 'received');

    const summaries = (await timelineOf(order.orderId, order.customer.token)).map((i) => i.summary);
    assert.equal(summaries.filter((s) => /^Return [12] withdrawn by the customer$/.test(s)).length, 2);
    const mail = (await templatesOf(order.orderId)).filter((m) => m.template === 'return_cancelled');
    assert.equal(mail.length, 2);
    assert.match(mail[0]?.body_text ?? '', /as you asked, return \d of order #\d+ is withdrawn/);
  });

  test('a guest withdraws with the order link, as they asked for it', async () => {
    const { id, link, line: guestLine } = await deliveredGuestOrder(13);
    const asked = await ask(id, undefined, [{ lineId: guestLine.lineId, quantity: 1 }], link);
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    const withdrawn = await t.request<ReturnJson>(
      'POST',
      `/api/v1/orders/${id}/returns/${asked.body.id}/withdraw${link}`,
    );
    assert.equal(withdrawn.status, 200, JSON.stringify(withdrawn.body));
    assert.equal(withdrawn.body.status, 'cancelled');
    assert.equal(withdrawn.body.cancelledBy, 'customer');
  });
});

describe('what a shopper may not return', () => {
  test('units not delivered, more than delivered, units in another return, lines not on the order', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 5 });
    const placed = await t.request<{ id: string }>('POST', '/api/v1/orders', {
      token: customer.token,
      body: orderBody(customer.id, [{ productId: product.id, quantity: 1, price: 5 }]),
    });
    const confirmed = await orderReturns(placed.body.id, customer.token);
    assert.deepEqual(confirmed, { items: [], returnable: [] });
    const lineId = (
      await db()
        .selectFrom('order_line')
        .select('id')
        .where('order_id', '=', placed.body.id)
        .executeTakeFirstOrThrow()
    ).id;
    const notYet = await ask(placed.body.id, customer.token, [{ lineId, quantity: 1 }]);
    assert.equal(notYet.status, 409);
    assert.equal(notYet.body.code, 'not_returnable');
    assert.deepEqual(notYet.body.details['lines'], [{ lineId, requested: 1, returnable: 0 }]);

    const order = await deliveredOrder([{ price: 9, quantity: 2 }]);
    const line = order.lines[0];
    assert.ok(line);
    const tooMany = await ask(order.orderId, order.customer.token, [{ lineId: line.lineId, quantity: 3 }]);
    assert.equal(tooMany.status, 409);
    assert.equal(tooMany.body.code, 'not_returnable');
    assert.equal(
      (await ask(order.orderId, order.customer.token, [{ lineId: line.lineId, quantity: 2 }])).status,
      201,
    );
    const held = await ask(order.orderId, order.customer.token, [{ lineId: line.lineId, quantity: 1 }]);
    assert.equal(held.status, 409);
    assert.deepEqual(held.body.details['lines'], [{ lineId: line.lineId, requested: 1, returnable: 0 }]);
    const foreign = await ask(order.orderId, order.customer.token, [{ lineId, quantity: 1 }]);
    assert.equal(foreign.status, 422);
    assert.equal(foreign.body.code, 'unknown_line');
    const count = await db()
      .selectFrom('return_request')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('order_id', '=', order.orderId)
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 1, 'refused requests wrote nothing');
  });

  test('after the window since the delivery, the line is no longer returnable', async () => {
    const order = await deliveredOrder([{ price: 7, quantity: 1 }]);
    const line = order.lines[0];
    assert.ok(line);
    // the delivery happened 31 days ago: what the shipment records, moved back in time
    await db()
      .updateTable('shipment')
      .set({ delivered_at: new Date(Date.now() - 31 * 86_400_000) })
      .where('order_id', '=', order.orderId)
      .execute();
    assert.deepEqual((await orderReturns(order.orderId, order.customer.token)).returnable, []);
    const late = await ask(order.orderId, order.customer.token, [{ lineId: line.lineId, quantity: 1 }]);
    assert.equal(late.status, 409);
    assert.equal(late.body.code, 'return_window_closed');
    assert.equal(late.body.message, 'Items can be returned within 30 days of their delivery.');
  });

  test('another customer gets a 404; a guest uses the order link; nobody else is let in', async () => {
    const order = await deliveredOrder([{ price: 6, quantity: 1 }]);
    const line = order.lines[0];
    assert.ok(line);
    const other = await t.customer();
    assert.equal((await ask(order.orderId, other.token, [{ lineId: line.lineId, quantity: 1 }])).status, 404);
    assert.equal((await ask(order.orderId, undefined, [{ lineId: line.lineId, quantity: 1 }])).status, 401);
    assert.equal(
      (await ask(order.orderId, undefined, [{ lineId: line.lineId, quantity: 1 }], '?token=forged')).status,
      401,
    );

    const { id, link, line: guestLine } = await deliveredGuestOrder(11);
    const asked = await ask(id, undefined, [{ lineId: guestLine.lineId, quantity: 1 }], link);
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    const wrongOrder = await ask(order.orderId, undefined, [{ lineId: line.lineId, quantity: 1 }], link);
    assert.equal(wrongOrder.status, 404);
  });
});

describe('races', () => {
  test('two requests for the same units at once: one is kept, the other refused', async () => {
    const order = await deliveredOrder([{ price: 4, quantity: 1 }]);
    const line = order.lines[0];
    assert.ok(line);
    const answers = await Promise.all(
      [1, 2].map(() => ask(order.orderId, order.customer.token, [{ lineId: line.lineId, quantity: 1 }])),
    );
    assert.deepEqual(answers.map((a) => a.status).sort(), [201, 409]);
  });

  test('a return and a cancellation at once: the delivered order is not cancelled, the return is kept', async () => {
    const order = await deliveredOrder([{ price: 4, quantity: 1 }]);
    const line = order.lines[0];
    assert.ok(line);
    const [asked, cancelled] = await Promise.all([
      ask(order.orderId, order.customer.token, [{ lineId: line.lineId, quantity: 1 }]),
      t.request<ErrorJson>('POST', `/api/v1/orders/${order.orderId}/cancel`, {
        token: order.customer.token,
        body: { reason: 'Changed my mind' },
      }),
    ]);
    assert.equal(asked.status, 201);
    assert.equal(cancelled.status, 409);
    const now = await t.request<{ status: string }>('GET', `/api/v1/orders/${order.orderId}`, {
      token: order.customer.token,
    });
    assert.equal(now.body.status, 'delivered');
  });

  test('two admins receiving one return at once: one receipt, stock back once', async () => {
    const order = await deliveredOrder([{ price: 4, quantity: 2 }]);
    const line = order.lines[0];
    assert.ok(line);
    const asked = await ask(order.orderId, order.customer.token, [{ lineId: line.lineId, quantity: 2 }]);
    await admin(`${asked.body.id}/approve`);
    const before = await onHand(line.variantId);
    const answers = await Promise.all(
      [1, 2].map(() =>
        admin(`${asked.body.id}/receive`, { lines: [{ lineId: line.lineId, disposition: 'restock' }] }),
      ),
    );
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409]);
    assert.equal(answers.find((a) => a.status === 409)?.body.code, 'invalid_return_transition');
    assert.equal(await onHand(line.variantId), before + 2);
  });

  test('a cancellation and a receipt at once: one of them happens, the other is refused', async () => {
    for (let round = 0; round < 3; round++) {
      const order = await deliveredOrder([{ price: 4, quantity: 1 }]);
      const line = order.lines[0];
      assert.ok(line);
      const asked = await ask(order.orderId, order.customer.token, [{ lineId: line.lineId, quantity: 1 }]);
      await admin(`${asked.body.id}/approve`);
      const before = await onHand(line.variantId);
      const [cancelled, received] = await Promise.all([
        admin(`${asked.body.id}/cancel`, {}),
        admin(`${asked.body.id}/receive`, { lines: [{ lineId: line.lineId, disposition: 'restock' }] }),
      ]);
      assert.deepEqual(
        [cancelled.status, received.status].sort(),
        [200, 409],
        JSON.stringify([cancelled.body, received.body]),
      );
      const loser = cancelled.status === 409 ? cancelled : received;
      assert.equal(loser.body.code, 'invalid_return_transition');
      const now = await getReturn(asked.body.id);
      assert.equal(now.status, cancelled.status === 200 ? 'cancelled' : 'received');
      assert.equal(await onHand(line.variantId), before + (received.status === 200 ? 1 : 0));
    }
  });

  test('the same refund sent twice at once refunds once', async () => {
    const order = await deliveredOrder([{ price: 15, quantity: 1 }]);
    const line = order.lines[0];
    assert.ok(line);
    const asked = await ask(order.orderId, order.customer.token, [{ lineId: line.lineId, quantity: 1 }]);
    await admin(`${asked.body.id}/approve`);
    await admin(`${asked.body.id}/receive`, { lines: [{ lineId: line.lineId, disposition: 'restock' }] });
    const answers = await Promise.all(
      [1, 2].map(() => admin(`${asked.body.id}/refund`, { expectedAmount: 15 })),
    );
    const again = await admin(`${asked.body.id}/refund`, { expectedAmount: 15 });
    assert.equal(again.status, 200, 'sent again later: the refunded return, nothing more');
    // the second answer comes while the first is with the provider, or after it: never a second refund
    assert.ok(answers.some((a) => a.status === 200 && a.body.status === 'refunded'));
    for (const a of answers) {
      assert.ok(
        (a.status === 200 && a.body.status === 'refunded') ||
          (a.status === 409 && a.body.code === 'refund_in_progress'),
        JSON.stringify(a.body),
      );
    }
    assert.equal((await payment(order.orderId)).amountRefunded, 15);
    const refunds = await db()
      .selectFrom('refund')
      .select('amount_minor')
      .where('order_id', '=', order.orderId)
      .execute();
    assert.deepEqual(
      refunds.map((r) => r.amount_minor),
      [1500],
    );
    assert.equal((await getReturn(asked.body.id)).refund, 15);
  });
});
