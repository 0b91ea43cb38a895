/**
 * Support's refund limit (docs/staff.md) through a return's refund, `refundReturn`: support holds
 * the `refunds` permission, so it reaches the route, and the limit applies to it exactly as to
 * the order's refund route. Above the limit: 403 `refund_limit_exceeded`, nothing refunded at the
 * payment provider (the Stripe double, through the official client), nothing held, the return
 * stays received. At the limit: refunded. Staff are not limited.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startStripeDouble, type StripeDouble } from './doubles/stripe-double.ts';
import { createTestApp, orderBody, staffMember, type TestApp } from './helpers.ts';

const SECRET = `sk_test_limit${randomBytes(12).toString('hex')}`;

interface ReturnJson {
  id: string;
  status: string;
  refund: number | null;
  refundDue: { amount: number } | null;
}
interface ErrorJson {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

describe("support's refund limit on a return's refund", () => {
  let double: StripeDouble;
  let t: TestApp;
  let owner: string;
  let support: { token: string };
  let staff: { token: string };

  before(async () => {
    double = await startStripeDouble({ apiKey: SECRET });
    t = await createTestApp({
      PAYMENT_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: SECRET,
      STRIPE_API_URL: double.url,
      // $50.00, the default, said out loud so the amounts below read plainly
      SUPPORT_REFUND_LIMIT: '5000',
    });
    owner = await t.adminToken();
    support = await staffMember(t, 'support', 'Sid Support');
    staff = await staffMember(t, 'staff', 'Stan Staff');
  });
  after(async () => {
    await t?.close();
    await double?.close();
  });

  /** A received return of one unit of a delivered order of one line at `price`; its Stripe payment. */
  async function receivedReturn(price: number) {
    const customer = await t.customer();
    const product = await t.product({ price, stock: 5 });
    const placed = await t.request<{ id: string }>('POST', '/api/v1/orders', {
      token: customer.token,
      body: orderBody(customer.id, [{ productId: product.id, quantity: 1, price }]),
    });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    const orderId = placed.body.id;
    for (const [step, body] of [
      ['ship', { carrier: 'UPS', trackingNumber: '1Z999AA10123456784' }],
      ['deliver', undefined],
    ] as const) {
      const res = await t.request('POST', `/api/v1/admin/orders/${orderId}/${step}`, { token: owner, body });
      assert.equal(res.status, 200, `${step}: ${JSON.stringify(res.body)}`);
    }
    const returnable = await t.request<{ returnable: Array<{ lineId: string }> }>(
      'GET',
      `/api/v1/orders/${orderId}/returns`,
      { token: customer.token },
    );
    const lineId = returnable.body.returnable[0]?.lineId ?? '';
    const asked = await t.request<ReturnJson>('POST', `/api/v1/orders/${orderId}/returns`, {
      token: customer.token,
      body: { lines: [{ lineId, quantity: 1 }], reason: 'damaged' },
    });
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    const approved = await t.request('POST', `/api/v1/admin/returns/${asked.body.id}/approve`, {
      token: owner,
    });
    assert.equal(approved.status, 200);
    const received = await t.request<ReturnJson>('POST', `/api/v1/admin/returns/${asked.body.id}/receive`, {
      token: owner,
      body: { lines: [{ lineId, disposition: 'restock' }] },
    });
    assert.equal(received.status, 200, JSON.stringify(received.body));
    const [payment] = await t.app.database.db
      .selectFrom('payment')
      .select('provider_payment_id')
      .where('order_id', '=', orderId)
      .execute();
    assert.ok(payment?.provider_payment_id, 'the order was paid at Stripe');
    return {
      orderId,
      returnId: asked.body.id,
      due: received.body.refundDue?.amount ?? 0,
      paymentIntent: payment.provider_payment_id,
    };
  }

  const refund = (token: string, returnId: string, expectedAmount: number) =>
    t.request<ReturnJson & ErrorJson>('POST', `/api/v1/admin/returns/${returnId}/refund`, {
      token,
      body: { expectedAmount },
    });
  const returnOf = async (returnId: string) =>
    (await t.request<ReturnJson>('GET', `/api/v1/admin/returns/${returnId}`, { token: owner })).body;
  const refundRows = (orderId: string) =>
    t.app.database.db.selectFrom('refund').select('amount_minor').where('order_id', '=', orderId).execute();

  test('above the limit: 403 refund_limit_exceeded, nothing refunded at Stripe, the return stays received; staff may', async () => {
    const r = await receivedReturn(60);
    assert.equal(r.due, 60, 'the whole line comes back: $60.00, above the $50.00 limit');

    const over = await refund(support.token, r.returnId, r.due);
    assert.equal(over.status, 403, JSON.stringify(over.body));
    assert.equal(over.body.code, 'refund_limit_exceeded');
    assert.deepEqual(over.body.details, { limit: 50, amount: 60, currency: 'USD' });
    assert.match(over.body.message, /\$50\.00/);
    // what the order's refund route answers for the same amount: the same refusal
    const direct = await t.request<ErrorJson>('POST', `/api/v1/admin/orders/${r.orderId}/refund`, {
      token: support.token,
      body: { amount: 60 },
    });
    assert.deepEqual(
      [direct.status, direct.body.code, direct.body.details],
      [403, over.body.code, over.body.details],
    );

    // confirming a smaller amount than is due does not slip under the limit: nothing moves either
    const understated = await refund(support.token, r.returnId, 50);
    assert.equal(understated.status, 409, JSON.stringify(understated.body));
    assert.equal(understated.body.code, 'amount_changed');

    assert.deepEqual(double.refunds(r.paymentIntent), [], 'nothing refunded at Stripe');
    assert.deepEqual(await refundRows(r.orderId), [], 'nothing held against the payment');
    const still = await returnOf(r.returnId);
    assert.equal(still.status, 'received');
    assert.equal(still.refundDue?.amount, 60);
    const audit = await t.app.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', r.returnId)
      .execute();
    assert.ok(!audit.some((a) => a.action === 'return.refund'), 'no refund in the audit log');

    const byStaff = await refund(staff.token, r.returnId, r.due);
    assert.equal(byStaff.status, 200, JSON.stringify(byStaff.body));
    assert.equal(byStaff.body.status, 'refunded');
    assert.deepEqual(
      double.refunds(r.paymentIntent).map((x) => x.amount),
      [6000],
    );
  });

  test('at the limit: support refunds the return', async () => {
    const r = await receivedReturn(50);
    assert.equal(r.due, 50);
    const atLimit = await refund(support.token, r.returnId, r.due);
    assert.equal(atLimit.status, 200, JSON.stringify(atLimit.body));
    assert.equal(atLimit.body.status, 'refunded');
    assert.equal(atLimit.body.refund, 50);
    assert.deepEqual(
      double.refunds(r.paymentIntent).map((x) => x.amount),
      [5000],
    );
    assert.deepEqual(
      (await refundRows(r.orderId)).map((x) => x.amount_minor),
      [5000],
    );
  });
});
