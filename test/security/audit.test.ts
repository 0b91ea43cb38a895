/**
 * Admin actions that change stock or money leave an audit record (who, what, when) written in
 * the same transaction as the change: stock adjustments, new products and price changes, order
 * confirmation, shipping, delivery, admin cancellation (stock back), admin changes to an order,
 * and refunds. A refused admin action leaves none.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PaymentUnavailableError, type PaymentProvider } from '../../src/payment/provider.ts';
import { SandboxPaymentProvider } from '../../src/payment/sandbox.ts';
import { ADDRESS, createTestApp, orderBody, type TestApp } from '../helpers.ts';
import { placeOrder } from './support.ts';

interface AuditRow {
  at: Date;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string;
  details: Record<string, unknown>;
}

describe('the audit log of admin actions', () => {
  let t: TestApp;
  let admin: string;
  let adminId: string;
  let customer: { token: string; id: string; email: string };

  before(async () => {
    t = await createTestApp();
    admin = await t.adminToken();
    adminId = (await t.request<{ id: string }>('GET', '/api/v1/auth/me', { token: admin })).body.id;
    customer = await t.customer('Audrey');
  });
  after(() => t.close());

  const audit = (targetId: string) =>
    t.app.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('target_id', '=', targetId)
      .orderBy('id')
      .execute() as Promise<AuditRow[]>;

  function assertEntry(row: AuditRow | undefined, action: string, started: Date) {
    assert.ok(row, `an audit record for ${action}`);
    assert.equal(row.action, action);
    assert.equal(row.actor_id, adminId, 'who');
    assert.ok(new Date(row.at).getTime() >= started.getTime() - 1000, 'when');
  }

  test('a new product, a price change and a stock adjustment', async () => {
    const started = new Date();
    const product = await t.product({ price: 10, stock: 4 });
    const changed = await t.request('PATCH', `/api/v1/products/${product.id}`, {
      token: admin,
      body: { price: 12.5 },
    });
    assert.equal(changed.status, 200);
    const renamed = await t.request('PATCH', `/api/v1/products/${product.id}`, {
      token: admin,
      body: { name: 'Renamed' },
    });
    assert.equal(renamed.status, 200);
    const same = await t.request('PATCH', `/api/v1/products/${product.id}`, {
      token: admin,
      body: { price: 12.5 },
    });
    assert.equal(same.status, 200, 'nothing changes: nothing to audit');
    const stock = await t.request('POST', `/api/v1/products/${product.id}/stock`, {
      token: admin,
      body: { operation: 'add', quantity: 6 },
    });
    assert.equal(stock.status, 200);
    const rows = await audit(product.id);
    assert.deepEqual(
      rows.map((r) => r.action),
      ['product.create', 'product.price_change', 'product.update', 'stock.adjust'],
    );
    for (const row of rows) assertEntry(row, row.action, started);
    assert.deepEqual(rows[0]?.details, {
      sku: rows[0]?.details['sku'],
      price: 1000,
      currency: 'USD',
      variants: [rows[0]?.details['sku']],
      initialStock: 4,
    });
    assert.deepEqual(rows[1]?.details, { price: { from: 1000, to: 1250 }, currency: 'USD' });
    assert.deepEqual(rows[2]?.details, { name: { from: product.name, to: 'Renamed' } });
    const main = await t.app.services.inventory.defaultLocation(t.app.database.db);
    assert.deepEqual(rows[3]?.details, {
      operation: 'add',
      quantity: 6,
      locationId: main.id,
      from: 4,
      to: 10,
    });
  });

  test('ship and deliver', async () => {
    const started = new Date();
    const orderId = await placeOrder(t, customer, await t.product({ price: 5, stock: 3 }));
    const shipped = await t.request('POST', `/api/v1/admin/orders/${orderId}/ship`, {
      token: admin,
      body: { trackingNumber: 'AUDIT-1', carrier: 'UPS' },
    });
    assert.equal(shipped.status, 200);
    const delivered = await t.request('POST', `/api/v1/admin/orders/${orderId}/deliver`, { token: admin });
    assert.equal(delivered.status, 200);
    const rows = await audit(orderId);
    assert.deepEqual(
      rows.map((r) => r.action),
      ['order.ship', 'order.deliver'],
    );
    assertEntry(rows[0], 'order.ship', started);
    // the shipment in the audit: which parcel, with what, tracked how
    const { lines, shipmentId, ...ship } = rows[0]?.details ?? {};
    assert.deepEqual(ship, {
      from: 'confirmed',
      to: 'shipped',
      number: 1,
      trackingNumber: 'AUDIT-1',
      trackingUrl: null,
      carrier: 'UPS',
    });
    assert.equal(typeof shipmentId, 'string');
    assert.deepEqual(
      (lines as { quantity: number }[]).map((l) => l.quantity),
      [1],
    );
    assert.deepEqual(
      { from: rows[1]?.details['from'], to: rows[1]?.details['to'] },
      { from: 'shipped', to: 'delivered' },
    );
  });

  test('an admin cancellation (stock back, money back) and a partial refund', async () => {
    const started = new Date();
    const product = await t.product({ price: 8, stock: 3 });
    const refunded = await placeOrder(t, customer, product);
    const partial = await t.request('POST', `/api/v1/admin/orders/${refunded}/refund`, {
      token: admin,
      body: { amount: 3, reason: 'scratched box' },
    });
    assert.equal(partial.status, 200);
    const cancelled = await t.request('POST', `/api/v1/admin/orders/${refunded}/cancel`, {
      token: admin,
      body: { reason: 'customer called' },
    });
    assert.equal(cancelled.status, 200);
    const rows = await audit(refunded);
    assert.deepEqual(
      rows.map((r) => r.action),
      ['order.refund', 'order.cancel', 'order.refund'],
    );
    for (const row of rows) assertEntry(row, row.action, started);
    assert.equal(rows[0]?.details['amount'], 300);
    assert.equal(rows[0]?.details['reason'], 'scratched box');
    assert.deepEqual(rows[1]?.details, {
      from: 'confirmed',
      to: 'cancelled',
      reason: 'customer called',
      stockReturned: true,
    });
    assert.equal(rows[2]?.details['amount'], 500, 'the rest of the money went back with the cancellation');
  });

  test("an admin's change to an order", async () => {
    const started = new Date();
    const orderId = await placeOrder(t, customer, await t.product({ price: 4, stock: 5 }));
    const res = await t.request('PATCH', `/api/v1/orders/${orderId}`, {
      token: admin,
      body: { shippingAddress: { ...ADDRESS, street: '9 Audit Lane' } },
    });
    assert.equal(res.status, 200);
    const rows = await audit(orderId);
    assert.deepEqual(
      rows.map((r) => r.action),
      ['order.modify'],
    );
    assertEntry(rows[0], 'order.modify', started);
  });

  test("a customer's own cancellation is in the order's timeline, not the admin audit", async () => {
    const orderId = await placeOrder(t, customer, await t.product({ price: 4, stock: 5 }));
    const res = await t.request('POST', `/api/v1/orders/${orderId}/cancel`, {
      token: customer.token,
      body: { reason: 'changed my mind' },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await audit(orderId), []);
  });

  test('a refused admin action leaves no audit record', async () => {
    const orderId = await placeOrder(t, customer, await t.product({ price: 4, stock: 5 }));
    const tooMuch = await t.request('POST', `/api/v1/admin/orders/${orderId}/refund`, {
      token: admin,
      body: { amount: 400 },
    });
    assert.equal(tooMuch.status, 422);
    const early = await t.request('POST', `/api/v1/admin/orders/${orderId}/deliver`, { token: admin });
    assert.equal(early.status, 409);
    assert.deepEqual(await audit(orderId), []);
  });

  test("an admin's confirmation of a pending order the gateway says is paid", async () => {
    // The charge goes through but its answer is lost, and the gateway cannot be asked at first:
    // the order waits as pending until an admin confirms it.
    let sandbox: SandboxPaymentProvider | undefined;
    let reachable = false;
    const provider: PaymentProvider = {
      name: 'sandbox',
      async charge(request) {
        await sandbox?.charge(request);
        throw new PaymentUnavailableError('the answer was lost', { mayStillComplete: true });
      },
      refund: (request) => (sandbox as SandboxPaymentProvider).refund(request),
      async status(query) {
        if (!reachable) throw new PaymentUnavailableError('unreachable');
        return (sandbox as SandboxPaymentProvider).status(query);
      },
    };
    const app = await createTestApp({}, { paymentProvider: provider });
    try {
      sandbox = new SandboxPaymentProvider(app.app.database.db);
      const token = await app.adminToken();
      const who = (await app.request<{ id: string }>('GET', '/api/v1/auth/me', { token })).body.id;
      const buyer = await app.customer('Pending Pat');
      const product = await app.product({ price: 6, stock: 2 });
      const placed = await app.request<{ code: string; details: { orderId: string } }>(
        'POST',
        '/api/v1/orders',
        {
          token: buyer.token,
          body: orderBody(buyer.id, [{ productId: product.id, quantity: 1, price: 6 }]),
        },
      );
      assert.equal(placed.body.code, 'payment_pending');
      const orderId = placed.body.details.orderId;
      reachable = true;
      const started = new Date();
      const confirmed = await app.request('POST', `/api/v1/admin/orders/${orderId}/confirm`, { token });
      assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
      const rows = (await app.app.database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('target_id', '=', orderId)
        .execute()) as AuditRow[];
      assert.deepEqual(
        rows.map((r) => r.action),
        ['order.confirm'],
      );
      assert.equal(rows[0]?.actor_id, who);
      assert.ok(new Date(rows[0]?.at ?? 0).getTime() >= started.getTime() - 1000);
      assert.equal(rows[0]?.details['amount'], 600);
    } finally {
      await app.close();
    }
  });
});
