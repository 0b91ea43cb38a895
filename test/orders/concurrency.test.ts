/**
 * Requests racing against one order (PostgreSQL only: PGlite has one connection).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, onPostgres, type TestApp } from '../helpers.ts';
import {
  type ErrorJson,
  NEW_ADDRESS,
  place,
  stockLevel,
  eventsOf,
  paymentsOf,
  refundsOf,
  activeReservations,
  gatewayCalls,
  timeline,
  getOrder,
  adminPost,
} from './support.ts';

describe('concurrency', { skip: !onPostgres && 'needs PostgreSQL: PGlite has one connection' }, () => {
  let t: TestApp;
  let admins: string[];

  before(async () => {
    t = await createTestApp();
    await t.app.services.auth.ensureAdmin('second-admin@orderly.test', 'second-admin-password');
    const login = await t.request<{ token: string }>('POST', '/api/v1/auth/login', {
      body: { email: 'second-admin@orderly.test', password: 'second-admin-password' },
    });
    assert.equal(login.status, 200);
    admins = [await t.adminToken(), login.body.token];
  });
  after(async () => {
    await t?.close();
  });

  test('two admins ship the same order at once: exactly one 200 and one 409', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 10, stock: 100 });
    for (let round = 0; round < 8; round++) {
      const order = await place(t, customer, [[product, 1]]);
      const results = await Promise.all(
        admins.map((token, i) =>
          adminPost(t, token, order.id, 'ship', { trackingNumber: `TRACK-${round}-${i}`, carrier: 'UPS' }),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, 409], JSON.stringify(results.map((r) => r.body)));
      const loser = results.find((r) => r.status === 409);
      assert.equal(loser?.body.code, 'invalid_transition');
      assert.equal(loser?.body.details['status'], 'shipped');
      const winner = results.find((r) => r.status === 200);
      const shown = await getOrder(t, order.id);
      assert.equal(shown.trackingNumber, winner?.body.trackingNumber);
      const events = (await eventsOf(t, order.id)).filter((e) => e.type === 'OrderShipped');
      assert.equal(events.length, 1);
      assert.equal(events[0]?.payload['trackingNumber'], shown.trackingNumber);
      assert.equal((await timeline(t, order.id)).filter((i) => i.status === 'shipped').length, 1);
    }
  });

  test('concurrent refunds never exceed what was paid; one key sent twice at once refunds once', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 10, stock: 100 });
    const order = await place(t, customer, [[product, 3]]);
    const keyed = await Promise.all(
      admins.map((token) => adminPost(t, token, order.id, 'refund', { amount: 5 }, 'same-key')),
    );
    assert.deepEqual(
      keyed.map((r) => [r.status, r.body.payment?.amountRefunded]),
      [
        [200, 5],
        [200, 5],
      ],
      JSON.stringify(keyed.map((r) => r.body)),
    );
    assert.deepEqual(
      (await refundsOf(t, order.id)).map((r) => [r.amount_minor, r.status]),
      [[500, 'succeeded']],
      'the key refunded once',
    );

    // 25 left: of five refunds of 10 at once, exactly two fit.
    const plain = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => adminPost(t, admins[i % 2] as string, order.id, 'refund', { amount: 10 })),
    );
    assert.deepEqual(
      plain.map((r) => r.status).sort(),
      [200, 200, 422, 422, 422],
      JSON.stringify(plain.map((r) => r.body)),
    );
    for (const r of plain.filter((p) => p.status === 422))
      assert.equal(r.body.code, 'refund_exceeds_payment');
    const refunds = await refundsOf(t, order.id);
    assert.equal(
      refunds.reduce((sum, r) => sum + r.amount_minor, 0),
      2500,
    );
    assert.ok(refunds.every((r) => r.status === 'succeeded'));
    assert.equal((await gatewayCalls(t, order.id))[0]?.refunded_minor, 2500);
    assert.equal((await getOrder(t, order.id)).payment.amountRefunded, 25);
  });

  test('concurrent modifications and cancellations of one order end consistent', async () => {
    const START = 200;
    const customer = await t.customer();
    const p1 = await t.product({ price: 10, stock: START });
    const p2 = await t.product({ price: 4, stock: START });
    const p3 = await t.product({ price: 7, stock: START });
    const statuses = new Map<string, number>();
    const endings = { confirmed: 0, cancelled: 0 };
    const later = <T>(ms: number, send: () => Promise<T>) =>
      new Promise<T>((resolve, reject) => setTimeout(() => send().then(resolve, reject), ms));

    for (let round = 0; round < 8; round++) {
      const order = await place(t, customer, [
        [p1, 2],
        [p2, 3],
      ]);
      // Odd rounds race changes against each other; even rounds add two cancellations that land
      // while changes are being reserved, charged and kept. Requests start within 40 ms.
      const requests: Array<Promise<{ status: number; body: unknown }>> = [];
      for (let i = 0; i < 20; i++) {
        const delay = (i * 13 + round * 7) % 40;
        if (round % 2 === 0 && (i === 7 || i === 15)) {
          requests.push(
            later(delay, () =>
              i === 7
                ? t.request('POST', `/api/v1/orders/${order.id}/cancel`, {
                    token: customer.token,
                    body: { reason: `race ${i}` },
                  })
                : adminPost(t, admins[round % 2] as string, order.id, 'cancel', { reason: `race ${i}` }),
            ),
          );
          continue;
        }
        const items = [
          { productId: p1.id, quantity: 1 + ((i * 7 + round) % 5) },
          ...(i % 3 === 0 ? [] : [{ productId: p2.id, quantity: 1 + ((i + round) % 4) }]),
          ...(i % 4 === 1 ? [{ productId: p3.id, quantity: 1 + (i % 3) }] : []),
        ];
        const card = i % 5 === 2 ? 'tok_chargeDeclined' : i % 5 === 4 ? undefined : 'tok_visa';
        requests.push(
          later(delay, () =>
            t.request('PATCH', `/api/v1/orders/${order.id}`, {
              token: customer.token,
              body: {
                items,
                ...(i % 6 === 0 && { shippingAddress: NEW_ADDRESS }),
                ...(card && { paymentMethod: { type: 'card', token: card } }),
              },
            }),
          ),
        );
      }
      const results = await Promise.all(requests);
      for (const r of results) {
        const outcome = `${r.status} ${(r.body as Partial<ErrorJson>).code ?? ''}`.trim();
        statuses.set(outcome, (statuses.get(outcome) ?? 0) + 1);
        assert.ok(
          [200, 402, 409, 422].includes(r.status),
          `unexpected ${r.status}: ${JSON.stringify(r.body)}`,
        );
      }

      const final = await getOrder(t, order.id);
      assert.ok(final.status === 'confirmed' || final.status === 'cancelled');
      endings[final.status as 'confirmed' | 'cancelled']++;
      if (round % 2 === 1) assert.equal(final.status, 'confirmed');
      const lines = await t.app.database.db
        .selectFrom('order_line')
        .select(['product_id', 'quantity', 'unit_price_minor'])
        .where('order_id', '=', order.id)
        .execute();
      const total = await t.app.database.db
        .selectFrom('orders')
        .select('total_minor')
        .where('id', '=', order.id)
        .executeTakeFirstOrThrow();
      assert.equal(
        total.total_minor,
        lines.reduce((s, l) => s + l.unit_price_minor * l.quantity, 0),
        'the total equals the sum of the lines',
      );
      assert.equal(await activeReservations(t, order.id), 0, 'no reservation left behind');

      const payments = await paymentsOf(t, order.id);
      const refunds = await refundsOf(t, order.id);
      const paid = payments.filter((p) => p.status === 'succeeded').reduce((s, p) => s + p.amount_minor, 0);
      const refundedOrHeld = refunds
        .filter((r) => r.status !== 'failed')
        .reduce((s, r) => s + r.amount_minor, 0);
      const refunded = refunds
        .filter((r) => r.status === 'succeeded')
        .reduce((s, r) => s + r.amount_minor, 0);
      assert.ok(refundedOrHeld <= paid, `refunds ${refundedOrHeld} exceed payments ${paid}`);
      assert.equal(refunded, refundedOrHeld, 'no refund left pending');
      // Money follows the order: what is kept is the total, or nothing once cancelled.
      assert.equal(paid - refunded, final.status === 'cancelled' ? 0 : total.total_minor);
      for (const p of payments) assert.ok(p.refunded_minor <= p.amount_minor);
    }

    // Sold units per product equal the lines of the orders that were not cancelled.
    for (const product of [p1, p2, p3]) {
      const { rows } = await sql<{ sold: number }>`
        select coalesce(sum(l.quantity), 0)::int as sold
          from order_line l join orders o on o.id = l.order_id
         where l.product_id = ${product.id} and o.status <> 'cancelled'`.execute(t.app.database.db);
      const level = await stockLevel(t, product.id);
      assert.equal(level.reserved, 0, `${product.name}: nothing reserved`);
      assert.equal(START - level.on_hand, rows[0]?.sold, `${product.name}: sold units equal the lines`);
    }
    // The race was a race: changes were kept, declined and refused for conflicts.
    const seen = JSON.stringify([...statuses]);
    assert.ok((statuses.get('200') ?? 0) >= 8, `changes were kept: ${seen}`);
    assert.ok(endings.cancelled > 0 && endings.confirmed >= 4, JSON.stringify(endings));
  });
});
