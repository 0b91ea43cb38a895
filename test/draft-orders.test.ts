/**
 * Draft orders through the API (ADR 0023): the admin builds a phone order at catalog prices or
 * at prices of their own with a reason, edits and deletes it while it is a draft, then records
 * an offline payment (confirmed, stock sold, confirmation emailed) or sends a payment link that
 * the customer pays once, however often they press the button.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TokenService } from '../src/platform/auth/tokens.ts';
import { ADDRESS, createTestApp, type TestApp } from './helpers.ts';

// the test configuration's JWT_SECRET (test/helpers.ts): links forged with it are well signed
const SECRET = 'test-secret-that-is-long-enough-for-hs256';

interface Order {
  id: string;
  orderNumber: number;
  customerId: string;
  status: string;
  total: number;
  items: Array<{ variantId: string; quantity: number; price: number }>;
  payment: { status: string; amountPaid: number };
  actions: Record<string, { allowed: boolean; reason: string | null }>;
}
interface Payable {
  order: { id: string; status: string; total: number; payment: { status: string; amountPaid: number } };
  payable: boolean;
  linkExpiresAt: string | null;
}
interface Mail {
  id: string;
  recipient: string;
  template: string;
  text: string;
}
interface ErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

describe('draft orders', () => {
  let t: TestApp;
  let admin: string;
  before(async () => {
    t = await createTestApp();
    admin = await t.adminToken();
  });
  after(() => t.close());

  const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const create = (body: unknown) =>
    t.request<Order & ErrorBody>('POST', '/api/v1/admin/draft-orders', { token: admin, body });
  const update = (id: string, body: unknown) =>
    t.request<Order & ErrorBody>('PATCH', `/api/v1/admin/draft-orders/${id}`, { token: admin, body });
  const offline = (id: string, body: unknown) =>
    t.request<Order & ErrorBody>('POST', `/api/v1/admin/draft-orders/${id}/offline-payment`, {
      token: admin,
      body,
    });
  const sendLink = (id: string) =>
    t.request<Order & ErrorBody>('POST', `/api/v1/admin/draft-orders/${id}/payment-link`, { token: admin });
  const payable = (id: string, token: string) =>
    t.request<Payable & ErrorBody>('GET', `/api/v1/orders/${id}/pay?token=${encodeURIComponent(token)}`);
  const pay = (id: string, token: string, card = 'tok_visa') =>
    t.request<Payable & ErrorBody>('POST', `/api/v1/orders/${id}/pay`, {
      body: { token, paymentMethod: { type: 'card', token: card } },
    });
  const available = async (productId: string) =>
    (await t.request<{ available: number }>('GET', `/api/v1/products/${productId}`)).body.available;
  const timeline = async (id: string) =>
    (
      await t.request<{ items: Array<{ type: string; status: string | null; summary: string }> }>(
        'GET',
        `/api/v1/orders/${id}/timeline`,
        { token: admin },
      )
    ).body.items;
  const mailbox = async (recipient: string): Promise<Mail[]> => {
    await t.app.outbox.drain();
    const list = await t.request<{ items: Array<{ id: string }> }>(
      'GET',
      `/api/v1/admin/notifications?recipient=${encodeURIComponent(recipient)}`,
      { token: admin },
    );
    assert.equal(list.status, 200);
    return Promise.all(
      list.body.items.map(
        async ({ id }) =>
          (await t.request<Mail>('GET', `/api/v1/admin/notifications/${id}`, { token: admin })).body,
      ),
    );
  };
  const linkToken = (mail: Mail | undefined) =>
    /\/pay\/[0-9a-f-]+\?token=([A-Za-z0-9_.%-]+)/.exec(mail?.text ?? '')?.[1];
  const draftFor = async (
    email: string,
    productId: string,
    quantity = 2,
    extra: Record<string, unknown> = {},
  ) => {
    const res = await create({
      customer: { email, name: 'Phoebe Phone' },
      items: [{ productId, quantity, ...extra }],
      shippingAddress: ADDRESS,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };
  const sentLink = async (email: string, orderId: string) => {
    const sent = await sendLink(orderId);
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const mail = (await mailbox(email)).find((m) => m.template === 'order_payment_link');
    const token = linkToken(mail);
    assert.ok(token, 'the email carries the payment link');
    return decodeURIComponent(token);
  };

  test('a draft at catalog prices holds no stock; a price of the admin needs a reason, kept in the history', async () => {
    const product = await t.product({ price: 20, stock: 5 });
    const other = await t.product({ price: 7.5, stock: 5 });
    const draft = await draftFor(unique('create'), product.id, 2);
    assert.equal(draft.status, 'draft');
    assert.equal(draft.total, 40);
    assert.equal(await available(product.id), 5, 'no stock held while drafting');
    assert.equal(draft.actions['sendPaymentLink']?.allowed, true);
    assert.equal(draft.actions['ship']?.allowed, false);

    const noReason = await update(draft.id, { items: [{ productId: product.id, quantity: 2, price: 15 }] });
    assert.equal(noReason.status, 422, JSON.stringify(noReason.body));
    assert.equal(noReason.body.code, 'price_override_reason_required');

    const edited = await update(draft.id, {
      items: [
        { productId: product.id, quantity: 3, price: 15, reason: 'loyal customer' },
        { productId: other.id, quantity: 1 },
      ],
    });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.equal(edited.body.total, 52.5);
    assert.equal(edited.body.items.find((i) => i.variantId === product.id)?.price, 15);
    // the same override again needs no new reason; it changes nothing of the prices
    const again = await update(draft.id, {
      items: [
        { productId: product.id, quantity: 4, price: 15 },
        { productId: other.id, quantity: 1 },
      ],
    });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body.total, 67.5);

    const history = await timeline(draft.id);
    const overrides = history.filter((h) => h.summary.startsWith('Price of'));
    assert.equal(overrides.length, 1, JSON.stringify(history));
    assert.match(overrides[0]?.summary ?? '', /\$20\.00 → \$15\.00 \(loyal customer\)/);
    const audit = await t.app.database.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('target_id', '=', draft.id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['order.draft_create', 'order.draft_update', 'order.draft_update'],
    );
    const details = audit[1]?.details as { priceOverrides?: Array<Record<string, unknown>> } | undefined;
    assert.deepEqual(
      details?.priceOverrides?.map(({ from, to, reason }) => ({ from, to, reason })),
      [{ from: 2000, to: 1500, reason: 'loyal customer' }],
    );
  });

  test('a new line priced by the admin without a reason, an unknown variant, a duplicate line: 4xx, nothing written', async () => {
    const product = await t.product({ price: 10, stock: 5 });
    const email = unique('refused');
    const body = (items: unknown) => ({ customer: { email, name: 'N' }, items, shippingAddress: ADDRESS });
    const before = await t.app.database.db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const noReason = await create(body([{ productId: product.id, quantity: 1, price: 8 }]));
    assert.equal(noReason.status, 422);
    assert.equal(noReason.body.code, 'price_override_reason_required');
    const unknown = await create(body([{ variantId: '01890000-0000-7000-8000-000000000000', quantity: 1 }]));
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 'product_not_found');
    const duplicate = await create(
      body([
        { productId: product.id, quantity: 1 },
        { productId: product.id, quantity: 2 },
      ]),
    );
    assert.equal(duplicate.status, 400);
    assert.equal(duplicate.body.code, 'duplicate_items');
    const noSuchCustomer = await create({
      customer: { accountId: '01890000-0000-7000-8000-000000000001' },
      items: [{ productId: product.id, quantity: 1 }],
      shippingAddress: ADDRESS,
    });
    assert.equal(noSuchCustomer.status, 404);
    const afterwards = await t.app.database.db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(afterwards.n), Number(before.n));
  });

  test('an order that left draft cannot be edited, deleted or finished again: 409', async () => {
    const product = await t.product({ price: 10, stock: 5 });
    const draft = await draftFor(unique('left'), product.id, 1);
    assert.equal((await offline(draft.id, { amount: 10, method: 'cash' })).status, 200);
    const edit = await update(draft.id, { items: [{ productId: product.id, quantity: 2 }] });
    assert.equal(edit.status, 409);
    assert.equal(edit.body.code, 'invalid_transition');
    assert.equal(
      (await t.request('DELETE', `/api/v1/admin/draft-orders/${draft.id}`, { token: admin })).status,
      409,
    );
    assert.equal((await sendLink(draft.id)).status, 409);
    assert.equal((await offline(draft.id, { amount: 10, method: 'cash' })).status, 409);
  });

  test('a draft is deleted while it is a draft, with an audit record', async () => {
    const product = await t.product({ price: 10, stock: 5 });
    const draft = await draftFor(unique('delete'), product.id, 1);
    const deleted = await t.request('DELETE', `/api/v1/admin/draft-orders/${draft.id}`, { token: admin });
    assert.equal(deleted.status, 204);
    assert.equal(
      (await t.request('GET', `/api/v1/admin/draft-orders/${draft.id}`, { token: admin })).status,
      404,
    );
    const audit = await t.app.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', draft.id)
      .execute();
    assert.ok(audit.some((a) => a.action === 'order.draft_delete'));
  });

  test('an offline payment of the total confirms the draft, sells its stock and emails the confirmation', async () => {
    const product = await t.product({ price: 12.5, stock: 6 });
    const email = unique('offline');
    const draft = await draftFor(email, product.id, 2);
    const wrong = await offline(draft.id, { amount: 20, method: 'cash' });
    assert.equal(wrong.status, 422);
    assert.equal(wrong.body.code, 'amount_mismatch');
    const paid = await offline(draft.id, { amount: 25, method: 'bank_transfer', note: 'ref 4471' });
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    assert.equal(paid.body.status, 'confirmed');
    assert.equal(paid.body.payment.status, 'paid');
    assert.equal(paid.body.payment.amountPaid, 25);
    assert.equal(await available(product.id), 4);
    const level = await t.app.database.db
      .selectFrom('stock_level')
      .select(['on_hand', 'reserved'])
      .where('variant_id', '=', product.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(level, { on_hand: 4, reserved: 0 }, 'committed, not merely reserved');
    const payment = await t.app.database.db
      .selectFrom('payment')
      .select(['provider', 'offline_method', 'amount_minor', 'status'])
      .where('order_id', '=', draft.id)
      .execute();
    assert.deepEqual(payment, [
      { provider: 'offline', offline_method: 'bank_transfer', amount_minor: 2500, status: 'succeeded' },
    ]);
    const history = await timeline(draft.id);
    assert.ok(history.some((h) => /received offline \(bank transfer\): ref 4471/.test(h.summary)));
    const events = await t.app.database.db
      .selectFrom('outbox')
      .select('type')
      .where('aggregate_id', '=', draft.id)
      .where('context', '=', 'orders')
      .orderBy('sequence')
      .execute();
    assert.deepEqual(
      events.map((e) => e.type),
      ['OrderPlaced', 'OrderConfirmed'],
    );
    const mails = await mailbox(email);
    assert.ok(
      mails.some((m) => m.template === 'order_confirmed'),
      JSON.stringify(mails.map((m) => m.template)),
    );
  });

  test('a payment link holds the stock; the customer pays it once, even when paying twice', async () => {
    const product = await t.product({ price: 30, stock: 3 });
    const email = unique('link');
    const draft = await draftFor(email, product.id, 2);
    const token = await sentLink(email, draft.id);
    assert.equal(await available(product.id), 1, 'held while the link works');
    const page = await payable(draft.id, token);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    assert.equal(page.body.payable, true);
    assert.equal(page.body.order.total, 60);
    assert.ok(
      page.body.linkExpiresAt && new Date(page.body.linkExpiresAt) > new Date(Date.now() + 86_400_000),
    );

    const first = await pay(draft.id, token);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.order.status, 'confirmed');
    assert.equal(first.body.payable, false);
    const second = await pay(draft.id, token);
    assert.equal(second.status, 200, JSON.stringify(second.body));
    assert.equal(second.body.order.payment.amountPaid, 60);
    const charges = await t.app.database.db
      .selectFrom('sandbox_charge')
      .selectAll()
      .where('order_id', '=', draft.id)
      .execute();
    assert.equal(charges.length, 1, 'charged once');
    const level = await t.app.database.db
      .selectFrom('stock_level')
      .select(['on_hand', 'reserved'])
      .where('variant_id', '=', product.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(level, { on_hand: 1, reserved: 0 });
    assert.ok((await mailbox(email)).some((m) => m.template === 'order_confirmed'));
  });

  test('paying at the same time from two tabs charges once', async () => {
    const product = await t.product({ price: 9, stock: 3 });
    const email = unique('tabs');
    const draft = await draftFor(email, product.id, 1);
    const token = await sentLink(email, draft.id);
    const both = await Promise.all([pay(draft.id, token), pay(draft.id, token)]);
    assert.ok(
      both.some((r) => r.status === 200),
      JSON.stringify(both.map((r) => r.body)),
    );
    const charges = await t.app.database.db
      .selectFrom('sandbox_charge')
      .selectAll()
      .where('order_id', '=', draft.id)
      .execute();
    assert.equal(charges.length, 1);
    const payments = await t.app.database.db
      .selectFrom('payment')
      .select('status')
      .where('order_id', '=', draft.id)
      .execute();
    assert.deepEqual(payments, [{ status: 'succeeded' }]);
  });

  test('a wrong, tampered, foreign or expired token is refused and charges nothing', async () => {
    const product = await t.product({ price: 5, stock: 5 });
    const email = unique('tokens');
    const draft = await draftFor(email, product.id, 1);
    const token = await sentLink(email, draft.id);
    const other = await draftFor(unique('other'), product.id, 1);
    const otherEmail = await t.app.database.db
      .selectFrom('orders')
      .select('customer_email')
      .where('id', '=', other.id)
      .executeTakeFirstOrThrow();
    const otherToken = await sentLink(otherEmail.customer_email, other.id);

    assert.equal((await pay(draft.id, 'not-a-token')).status, 401);
    assert.equal((await pay(draft.id, `${token.slice(0, -3)}abc`)).status, 401);
    assert.equal((await pay(draft.id, otherToken)).status, 404, 'a link to another order');
    const tokens = new TokenService(SECRET, 3600);
    const claims = { subject: draft.id, accountId: draft.customerId, version: 0 };
    const expired = await tokens.issueLink('order_payment', claims, -60);
    assert.equal((await pay(draft.id, expired)).status, 401);
    const orderAccess = await tokens.issueLink('order_access', claims, 3600);
    assert.equal((await payable(draft.id, orderAccess)).status, 401, 'an order link is not a payment link');
    const session = await t.customer();
    assert.equal((await pay(draft.id, session.token)).status, 401, 'a session is not a payment link');
    const charges = await t.app.database.db
      .selectFrom('sandbox_charge')
      .selectAll()
      .where('order_id', '=', draft.id)
      .execute();
    assert.equal(charges.length, 0);
    assert.equal((await payable(draft.id, token)).body.payable, true, 'still payable with the real link');
  });

  test('out of stock when the draft is finished is a 409 naming the product, and the draft stays', async () => {
    const product = await t.product({ price: 10, stock: 2, name: 'Last Lamp' });
    const email = unique('short');
    const draft = await draftFor(email, product.id, 3);
    for (const res of [await sendLink(draft.id), await offline(draft.id, { amount: 30, method: 'cash' })]) {
      assert.equal(res.status, 409, JSON.stringify(res.body));
      assert.equal(res.body.code, 'out_of_stock');
      assert.match(res.body.message, /Last Lamp/);
    }
    const still = await t.request<Order>('GET', `/api/v1/admin/draft-orders/${draft.id}`, { token: admin });
    assert.equal(still.body.status, 'draft');
    assert.equal(await available(product.id), 2);
    assert.equal((await mailbox(email)).length, 0, 'no link was emailed');
    const fixed = await update(draft.id, { items: [{ productId: product.id, quantity: 2 }] });
    assert.equal(fixed.status, 200);
    assert.equal((await offline(draft.id, { amount: 20, method: 'card_terminal' })).status, 200);
  });

  test("a draft is not in the customer's history, nor theirs to open, nor in the stats, until it leaves draft", async () => {
    const product = await t.product({ price: 11, stock: 5 });
    const customer = await t.customer('Dana');
    const res = await create({
      customer: { accountId: customer.id },
      items: [{ productId: product.id, quantity: 1 }],
      shippingAddress: ADDRESS,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const draft = res.body;
    const history = async () =>
      (
        await t.request<{ items: Array<{ id: string }> }>('GET', '/api/v1/orders', { token: customer.token })
      ).body.items.map((o) => o.id);
    assert.deepEqual(await history(), []);
    assert.equal(
      (await t.request('GET', `/api/v1/orders/${draft.id}`, { token: customer.token })).status,
      404,
    );
    assert.equal(
      (
        await t.request('POST', `/api/v1/orders/${draft.id}/cancel`, {
          token: customer.token,
          body: { reason: 'no' },
        })
      ).status,
      404,
    );
    const stats = async () =>
      (await t.request<{ today: { orders: number } }>('GET', '/api/v1/admin/stats', { token: admin })).body
        .today.orders;
    const ordersToday = await stats();
    const list = (url: string) =>
      t.request<{ items: Array<{ id: string; status: string }> }>('GET', url, { token: admin });
    const drafts = await list('/api/v1/admin/draft-orders');
    assert.ok(drafts.body.items.some((o) => o.id === draft.id && o.status === 'draft'));
    // API v1's order answers know no draft: the admin's order search and order page leave drafts out
    assert.ok(!(await list('/api/v1/admin/orders')).body.items.some((o) => o.id === draft.id));
    assert.equal((await t.request('GET', `/api/v1/orders/${draft.id}`, { token: admin })).status, 404);
    assert.equal((await offline(draft.id, { amount: 11, method: 'cash' })).status, 200);
    assert.deepEqual(await history(), [draft.id]);
    assert.equal(await stats(), ordersToday + 1);
  });

  test('a declined card on the pay page is a 402: the order is cancelled and its stock released, as at checkout', async () => {
    const product = await t.product({ price: 6, stock: 2 });
    const email = unique('declined');
    const draft = await draftFor(email, product.id, 2);
    const moved = await update(draft.id, { shippingAddress: { ...ADDRESS, street: '1 Phone Lane' } });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    const token = await sentLink(email, draft.id);
    assert.equal(await available(product.id), 0);
    const declined = await pay(draft.id, token, 'tok_chargeDeclined');
    assert.equal(declined.status, 402, JSON.stringify(declined.body));
    assert.equal(await available(product.id), 2);
    const page = await payable(draft.id, token);
    assert.equal(page.body.order.status, 'cancelled');
    assert.equal(page.body.payable, false);
    assert.equal((await pay(draft.id, token)).status, 409, 'a cancelled order is not paid');
  });

  test('a payment link whose stock reservation expired is cancelled by recovery and can no longer be paid', async () => {
    const product = await t.product({ price: 4, stock: 2 });
    const email = unique('expired');
    const draft = await draftFor(email, product.id, 1);
    const token = await sentLink(email, draft.id);
    // recovery leaves a link's pending order alone while the link works
    assert.equal(await t.app.services.orders.recoverStalledOrders(), 0);
    await t.app.database.db
      .updateTable('stock_reservation')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('order_id', '=', draft.id)
      .execute();
    assert.equal(await t.app.services.orders.recoverStalledOrders(), 1);
    const paid = await pay(draft.id, token);
    assert.equal(paid.status, 409, JSON.stringify(paid.body));
    assert.equal(await available(product.id), 2);
  });
});
