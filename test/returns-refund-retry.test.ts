/**
 * A return's refund the provider could not take while the admin waited, finished later by the
 * refund retry job (ADR 0040): the return ends refunded in the job's own transaction, once, with
 * its timeline line, its ReturnRefunded event and the refund's email; the admin who sends the
 * refund again gets the refunded return, and nothing is refunded twice. The sandbox, behind a
 * switch that makes its refunds unreachable. PGlite, or PostgreSQL with TEST_DATABASE_URL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PaymentUnavailableError, type PaymentProvider } from '../src/payment/provider.ts';
import { SandboxPaymentProvider } from '../src/payment/sandbox.ts';
import { createTestApp, orderBody, type TestApp } from './helpers.ts';

interface ReturnJson {
  id: string;
  status: string;
  refund: number | null;
  refundDue: { amount: number } | null;
  lines: Array<{ lineId: string; refund: number | null }>;
}
interface ErrorJson {
  code: string;
}

let t: TestApp;
/** while true, the sandbox's refunds cannot be reached */
let down = false;
let sandbox: SandboxPaymentProvider | undefined;
const gateway: PaymentProvider = {
  name: 'sandbox',
  charge: (request) => (sandbox as SandboxPaymentProvider).charge(request),
  refund: async (request) => {
    if (down) throw new PaymentUnavailableError('connection refused');
    return (sandbox as SandboxPaymentProvider).refund(request);
  },
  status: (query) => (sandbox as SandboxPaymentProvider).status(query),
};
before(async () => {
  // every retry due at once: the test drives the job tick by tick
  t = await createTestApp(
    {},
    { paymentProvider: gateway, refundRetry: { baseDelayMs: 0, maxDelayMs: 0, leaseMs: 0 } },
  );
  sandbox = new SandboxPaymentProvider(t.app.database.db);
  const zone = await t.app.services.shipping.createZone({ name: 'Home', areas: [{ country: 'US' }] }, null);
  await t.app.services.shipping.createMethod(
    zone.id,
    { name: 'Parcel', rate: { kind: 'flat', priceMinor: 0 }, position: 0 },
    null,
  );
});
after(() => t.close());

const db = () => t.app.database.db;

async function admin<T = ReturnJson & ErrorJson>(method: 'GET' | 'POST', path: string, body?: unknown) {
  return t.request<T>(method, path, { token: await t.adminToken(), ...(body !== undefined && { body }) });
}

/** A delivered order of one unit at `price`, and a return of it, received back in stock. */
async function receivedReturn(price: number) {
  const customer = await t.customer();
  const product = await t.product({ price, stock: 5 });
  const placed = await t.request<{ id: string }>('POST', '/api/v1/orders', {
    token: customer.token,
    body: orderBody(customer.id, [{ productId: product.id, quantity: 1, price }]),
  });
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  const orderId = placed.body.id;
  const shipped = await admin('POST', `/api/v1/admin/orders/${orderId}/ship`, {
    carrier: 'UPS',
    trackingNumber: '1Z999AA10123456784',
  });
  assert.equal(shipped.status, 200, JSON.stringify(shipped.body));
  assert.equal((await admin('POST', `/api/v1/admin/orders/${orderId}/deliver`)).status, 200);
  const listed = await t.request<{ returnable: Array<{ lineId: string }> }>(
    'GET',
    `/api/v1/orders/${orderId}/returns`,
    { token: customer.token },
  );
  const lineId = listed.body.returnable[0]?.lineId ?? '';
  const asked = await t.request<ReturnJson>('POST', `/api/v1/orders/${orderId}/returns`, {
    token: customer.token,
    body: { lines: [{ lineId, quantity: 1 }], reason: 'damaged' },
  });
  assert.equal(asked.status, 201, JSON.stringify(asked.body));
  assert.equal((await admin('POST', `/api/v1/admin/returns/${asked.body.id}/approve`)).status, 200);
  const received = await admin('POST', `/api/v1/admin/returns/${asked.body.id}/receive`, {
    lines: [{ lineId, disposition: 'restock' }],
  });
  assert.equal(received.body.status, 'received', JSON.stringify(received.body));
  return { orderId, returnId: asked.body.id, lineId, customer, due: received.body.refundDue?.amount ?? 0 };
}

const refundRows = (orderId: string) =>
  db()
    .selectFrom('refund')
    .select(['idempotency_key', 'amount_minor', 'status'])
    .where('order_id', '=', orderId)
    .orderBy('idempotency_key')
    .execute();

async function returnEvents(returnId: string) {
  return (
    await db()
      .selectFrom('outbox')
      .select('type')
      .where('aggregate_id', '=', returnId)
      .orderBy('sequence')
      .execute()
  ).map((r) => r.type);
}

describe('a return refunded by the refund retry job', () => {
  test('the provider down when the admin refunds, back for the job: the return ends refunded once, told once', async () => {
    const r = await receivedReturn(25);
    assert.equal(r.due, 25);
    down = true;
    let failed;
    try {
      failed = await admin('POST', `/api/v1/admin/returns/${r.returnId}/refund`, { expectedAmount: 25 });
    } finally {
      down = false;
    }
    assert.equal(failed.status, 502, JSON.stringify(failed.body));
    assert.equal(failed.body.code, 'payment_unavailable');
    assert.equal(
      (await admin<ReturnJson>('GET', `/api/v1/admin/returns/${r.returnId}`)).body.status,
      'received',
    );

    await t.app.jobs.refunds.tick();
    assert.deepEqual(await refundRows(r.orderId), [
      {
        idempotency_key: `orderly-${r.orderId}-return-${r.returnId}:0`,
        amount_minor: 2500,
        status: 'succeeded',
      },
    ]);
    const found = await admin<ReturnJson>('GET', `/api/v1/admin/returns/${r.returnId}`);
    assert.equal(found.body.status, 'refunded', JSON.stringify(found.body));
    assert.equal(found.body.refund, 25);
    assert.equal(
      found.body.lines[0]?.refund,
      25,
      "the line's share is recorded, as the admin's refund records it",
    );
    assert.equal(found.body.refundDue, null);

    // the admin sends it again: the refunded return, no second refund, nothing recorded again
    const again = await admin('POST', `/api/v1/admin/returns/${r.returnId}/refund`, { expectedAmount: 25 });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body.status, 'refunded');
    await t.app.jobs.refunds.tick();
    assert.equal((await refundRows(r.orderId)).length, 1, 'refunded once');
    assert.equal(
      (await t.app.database.db.selectFrom('sandbox_refund').select('amount_minor').execute()).length,
      1,
      'the provider refunded once',
    );

    assert.deepEqual(
      (await returnEvents(r.returnId)).filter((e) => e === 'ReturnRefunded'),
      ['ReturnRefunded'],
    );
    const timeline = await t.request<{ items: Array<{ summary: string; actor: string }> }>(
      'GET',
      `/api/v1/orders/${r.orderId}/timeline`,
      { token: r.customer.token },
    );
    const lines = timeline.body.items.filter((i) => /^Return 1 refunded|^Refunded /.test(i.summary));
    assert.deepEqual(
      lines.map((i) => [i.summary, i.actor]),
      [
        ['Refunded $25.00: Return 1', 'system'],
        ['Return 1 refunded: $25.00', 'system'],
      ],
    );
    await t.app.outbox.drain();
    const mail = await db()
      .selectFrom('notification')
      .select('template')
      .where('order_id', '=', r.orderId)
      .where('template', '=', 'order_refunded')
      .execute();
    assert.equal(mail.length, 1, 'the customer is emailed about the money once');
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', r.returnId)
      .where('action', '=', 'return.refund')
      .execute();
    assert.deepEqual(audit, [], 'no person refunded it: the job is on the timeline, not in the audit log');
  });
});
