/**
 * Every transition the state machine refuses is a 409 that leaves the order untouched; admin
 * endpoints are for admins.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers.ts';
import { type ErrorJson, NEW_ADDRESS, place, snapshot, adminPost, SHIPMENT } from './support.ts';

describe('refused transitions', () => {
  let t: TestApp;
  let admin: string;

  before(async () => {
    t = await createTestApp();
    admin = await t.adminToken();
  });
  after(async () => {
    await t?.close();
  });

  describe('refused transitions are a 409 with the status and the allowed steps; the order is untouched', () => {
    const cases: Array<{
      name: string;
      setup: Array<'cancel' | 'ship' | 'deliver'>;
      attempt: 'ship' | 'deliver' | 'modify' | 'cancel' | 'adminCancel' | 'confirm';
      status: string;
      allowed: string[];
    }> = [
      {
        name: 'ship a cancelled order',
        setup: ['cancel'],
        attempt: 'ship',
        status: 'cancelled',
        allowed: ['refund'],
      },
      {
        name: 'modify a shipped order',
        setup: ['ship'],
        attempt: 'modify',
        status: 'shipped',
        allowed: ['deliver', 'refund'],
      },
      {
        name: 'deliver before shipping',
        setup: [],
        attempt: 'deliver',
        status: 'confirmed',
        allowed: ['modify', 'cancel', 'ship', 'refund'],
      },
      {
        name: 'ship twice',
        setup: ['ship'],
        attempt: 'ship',
        status: 'shipped',
        allowed: ['deliver', 'refund'],
      },
      {
        name: 'cancel a shipped order',
        setup: ['ship'],
        attempt: 'cancel',
        status: 'shipped',
        allowed: ['deliver', 'refund'],
      },
      {
        name: 'admin cancels a delivered order',
        setup: ['ship', 'deliver'],
        attempt: 'adminCancel',
        status: 'delivered',
        allowed: ['refund'],
      },
      {
        name: 'modify a cancelled order',
        setup: ['cancel'],
        attempt: 'modify',
        status: 'cancelled',
        allowed: ['refund'],
      },
      {
        name: 'deliver twice',
        setup: ['ship', 'deliver'],
        attempt: 'deliver',
        status: 'delivered',
        allowed: ['refund'],
      },
      {
        name: 'confirm a confirmed order',
        setup: [],
        attempt: 'confirm',
        status: 'confirmed',
        allowed: ['modify', 'cancel', 'ship', 'refund'],
      },
    ];
    for (const c of cases) {
      test(c.name, async () => {
        const customer = await t.customer();
        const product = await t.product({ price: 10, stock: 10 });
        const order = await place(t, customer, [[product, 2]]);
        for (const step of c.setup) {
          const res =
            step === 'cancel'
              ? await adminPost(t, admin, order.id, 'cancel', { reason: 'setup' })
              : await adminPost(t, admin, order.id, step, step === 'ship' ? SHIPMENT : undefined);
          assert.equal(res.status, 200, `${step}: ${JSON.stringify(res.body)}`);
        }
        const before = await snapshot(t, order.id, [product.id]);
        let res;
        switch (c.attempt) {
          case 'modify':
            res = await t.request<ErrorJson>('PATCH', `/api/v1/orders/${order.id}`, {
              token: customer.token,
              body: { items: [{ productId: product.id, quantity: 1 }], shippingAddress: NEW_ADDRESS },
            });
            break;
          case 'cancel':
            res = await t.request<ErrorJson>('POST', `/api/v1/orders/${order.id}/cancel`, {
              token: customer.token,
              body: { reason: 'too late' },
            });
            break;
          case 'adminCancel':
            res = await adminPost(t, admin, order.id, 'cancel', { reason: 'too late' });
            break;
          case 'ship':
            res = await adminPost(t, admin, order.id, 'ship', { trackingNumber: 'ZZ-0001', carrier: 'DHL' });
            break;
          default:
            res = await adminPost(t, admin, order.id, c.attempt);
        }
        assert.equal(res.status, 409, JSON.stringify(res.body));
        assert.equal(res.body.code, 'invalid_transition');
        assert.deepEqual(res.body.details, { status: c.status, allowed: c.allowed });
        assert.ok(res.body.message.length > 0);
        assert.deepEqual(await snapshot(t, order.id, [product.id]), before);
      });
    }
  });

  test('customers cannot use admin endpoints (403), strangers get a 401', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 10, stock: 10 });
    const order = await place(t, customer, [[product, 1]]);
    const before = await snapshot(t, order.id, [product.id]);
    const attempts: Array<['GET' | 'POST', string, unknown]> = [
      ['GET', '/api/v1/admin/orders', undefined],
      ['GET', `/api/v1/admin/orders?customerId=${customer.id}`, undefined],
      ['GET', '/api/v1/admin/stats', undefined],
      ['POST', `/api/v1/admin/orders/${order.id}/confirm`, undefined],
      ['POST', `/api/v1/admin/orders/${order.id}/ship`, SHIPMENT],
      ['POST', `/api/v1/admin/orders/${order.id}/deliver`, undefined],
      ['POST', `/api/v1/admin/orders/${order.id}/cancel`, { reason: 'me' }],
      ['POST', `/api/v1/admin/orders/${order.id}/refund`, { amount: 10 }],
    ];
    for (const [method, url, body] of attempts) {
      const res = await t.request<ErrorJson>(method, url, { token: customer.token, body });
      assert.equal(res.status, 403, `${method} ${url}`);
      assert.equal(res.body.code, 'forbidden');
      const anonymous = await t.request<ErrorJson>(method, url, { body });
      assert.equal(anonymous.status, 401, `${method} ${url} without a token`);
    }
    assert.deepEqual(await snapshot(t, order.id, [product.id]), before);
  });
});
