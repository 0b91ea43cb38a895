/**
 * An order in several shipments: its status follows the quantities shipped and delivered, no unit
 * ships twice, nothing ships after a cancel, and two admins shipping the same lines at once get
 * one shipment between them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { writeTransaction } from '../../src/platform/locks.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createTestApp, type TestApp } from '../helpers.ts';
import {
  eventsOf,
  place,
  type Customer,
  type ErrorJson,
  type OrderJson,
  type Product,
} from '../orders/support.ts';

type Line = OrderJson['items'][number];
type ShippedOrder = OrderJson;
interface ShipmentJson {
  id: string;
  number: number;
  status: string;
  trackingUrl: string | null;
  location: { id: string; name: string };
  lines: Array<{ lineId: string; quantity: number; sku: string }>;
}
type Answer = { shipment: ShipmentJson; order: ShippedOrder };

const TRACKING = { carrier: 'UPS', trackingNumber: '1Z999AA10123456784' };

describe('shipments', () => {
  let t: TestApp;
  let admin: string;
  let customer: Customer;
  let shirt: Product;
  let mug: Product;

  before(async () => {
    t = await createTestApp();
    admin = await t.adminToken();
    customer = await t.customer();
    shirt = await t.product({ price: 20, stock: 50 });
    mug = await t.product({ price: 8, stock: 50 });
  });
  after(async () => {
    await t?.close();
  });

  const order = async (): Promise<ShippedOrder & { shirt: Line; mug: Line }> => {
    const placed = await place(t, customer, [
      [shirt, 2],
      [mug, 1],
    ]);
    const line = (p: Product): Line => {
      const found = placed.items.find((l) => l.productId === p.id);
      assert.ok(found, 'the order has the line');
      return found;
    };
    return { ...placed, shirt: line(shirt), mug: line(mug) };
  };
  const ship = (orderId: string, body: Record<string, unknown>) =>
    t.request<Answer & ErrorJson>('POST', `/api/v1/admin/orders/${orderId}/shipments`, {
      token: admin,
      body,
    });
  const deliver = (orderId: string, shipmentId: string) =>
    t.request<Answer & ErrorJson>('POST', `/api/v1/admin/orders/${orderId}/shipments/${shipmentId}/deliver`, {
      token: admin,
    });
  const count = async (orderId: string, type: string) =>
    (await eventsOf(t, orderId)).filter((e) => e.type === type).length;

  test('one line, then the rest; delivered one parcel at a time', async () => {
    const o = await order();
    const first = await ship(o.id, {
      ...TRACKING,
      trackingUrl: 'https://track.example/1Z999AA10123456784',
      lines: [{ lineId: o.shirt.id, quantity: 1 }],
    });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.shipment.number, 1);
    assert.deepEqual(
      first.body.shipment.lines.map((l) => [l.lineId, l.quantity]),
      [[o.shirt.id, 1]],
    );
    assert.equal(first.body.order.detailedStatus, 'partially_shipped');
    assert.equal(first.body.order.status, 'shipped', 'API 1.0 clients read a partial shipment as shipped');
    assert.equal(first.body.order.actions['cancel']?.allowed, false);
    assert.equal(await count(o.id, 'ShipmentCreated'), 1);
    assert.equal(await count(o.id, 'OrderShipped'), 0, 'the order has not shipped as a whole');

    const cancel = await t.request<ErrorJson>('POST', `/api/v1/admin/orders/${o.id}/cancel`, {
      token: admin,
      body: { reason: 'changed my mind' },
    });
    assert.equal(cancel.status, 409);
    assert.equal(cancel.body.code, 'invalid_transition');
    assert.match(cancel.body.message, /shipped/);

    const tooMany = await ship(o.id, { ...TRACKING, lines: [{ lineId: o.shirt.id, quantity: 2 }] });
    assert.equal(tooMany.status, 409);
    assert.equal(tooMany.body.code, 'quantity_exceeds_remaining');
    assert.deepEqual(tooMany.body.details['lines'], [{ lineId: o.shirt.id, requested: 2, remaining: 1 }]);

    const rest = await ship(o.id, { carrier: 'DHL', trackingNumber: 'JD0002' });
    assert.equal(rest.status, 201, JSON.stringify(rest.body));
    assert.equal(rest.body.shipment.number, 2);
    assert.deepEqual(
      rest.body.shipment.lines.map((l) => [l.lineId, l.quantity]).sort(),
      [
        [o.shirt.id, 1],
        [o.mug.id, 1],
      ].sort(),
    );
    assert.equal(rest.body.order.detailedStatus, 'shipped');
    assert.equal(rest.body.order.trackingNumber, 'JD0002', "the order shows the latest parcel's tracking");
    assert.equal(await count(o.id, 'OrderShipped'), 1);

    const again = await ship(o.id, TRACKING);
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'invalid_transition');

    const one = await deliver(o.id, first.body.shipment.id);
    assert.equal(one.status, 200, JSON.stringify(one.body));
    assert.equal(one.body.shipment.status, 'delivered');
    assert.equal(one.body.order.detailedStatus, 'partially_delivered');
    const twice = await deliver(o.id, first.body.shipment.id);
    assert.equal(twice.status, 200, 'marking a delivered parcel again changes nothing');
    assert.equal(twice.body.order.detailedStatus, 'partially_delivered');
    assert.equal(await count(o.id, 'ShipmentDelivered'), 1);
    assert.equal(await count(o.id, 'OrderDelivered'), 0);

    const both = await deliver(o.id, rest.body.shipment.id);
    assert.equal(both.body.order.detailedStatus, 'delivered');
    assert.equal(both.body.order.status, 'delivered');
    assert.equal(await count(o.id, 'OrderDelivered'), 1);

    const mine = await t.request<{ items: ShipmentJson[] }>('GET', `/api/v1/orders/${o.id}/shipments`, {
      token: customer.token,
    });
    assert.equal(mine.status, 200);
    assert.deepEqual(
      mine.body.items.map((s) => [s.number, s.status, s.trackingUrl]),
      [
        [1, 'delivered', 'https://track.example/1Z999AA10123456784'],
        [2, 'delivered', null],
      ],
    );
    const other = await t.customer('Other');
    const theirs = await t.request('GET', `/api/v1/orders/${o.id}/shipments`, { token: other.token });
    assert.equal(theirs.status, 404);

    const history = await t.request<{ items: Array<{ summary: string }> }>(
      'GET',
      `/api/v1/orders/${o.id}/timeline`,
      {
        token: customer.token,
      },
    );
    const summaries = history.body.items.map((h) => h.summary).join('\n');
    assert.match(summaries, /Shipment 1 shipped with UPS, tracking number 1Z999AA10123456784: 1 × /);
    assert.match(summaries, /Shipment 2 delivered/);
  });

  test('a shipment settles the units the order holds at its location', async () => {
    const o = await order();
    const { inventory } = t.app.services;
    const heldMugs = async () =>
      (await inventory.allocations(t.app.database.db, o.id))
        .filter((a) => a.variantId === mug.id)
        .reduce((n, a) => n + a.quantity, 0);
    assert.equal(await heldMugs(), 1, 'paid for and not yet shipped');
    const shipped = await ship(o.id, { ...TRACKING, lines: [{ lineId: o.mug.id, quantity: 1 }] });
    assert.equal(shipped.status, 201, JSON.stringify(shipped.body));
    assert.equal(shipped.body.shipment.location.id, (await inventory.defaultLocation(t.app.database.db)).id);
    assert.equal(await heldMugs(), 0, 'the mug left');
  });

  test('bad requests change nothing: unknown lines, unknown locations, a cancelled order', async () => {
    const o = await order();
    const missing = await ship(o.id, { carrier: 'UPS' });
    assert.equal(missing.status, 400);
    const unknownLine = await ship(o.id, { ...TRACKING, lines: [{ lineId: mug.id, quantity: 1 }] });
    assert.equal(unknownLine.status, 422);
    assert.equal(unknownLine.body.code, 'unknown_order_lines');
    const unknownPlace = await ship(o.id, { ...TRACKING, locationId: mug.id });
    assert.equal(unknownPlace.status, 422);
    assert.equal(unknownPlace.body.code, 'unknown_location');
    const twiceNamed = await ship(o.id, {
      ...TRACKING,
      lines: [
        { lineId: o.mug.id, quantity: 1 },
        { lineId: o.mug.id, quantity: 1 },
      ],
    });
    assert.equal(twiceNamed.status, 422);
    const badUrl = await ship(o.id, { ...TRACKING, trackingUrl: 'javascript:alert(1)' });
    assert.equal(badUrl.status, 400);
    assert.equal(
      (await t.app.services.fulfilment.lineProgress(t.app.database.db, o.id)).every((l) => l.shipped === 0),
      true,
    );

    const cancelled = await t.request('POST', `/api/v1/admin/orders/${o.id}/cancel`, {
      token: admin,
      body: { reason: 'fraud check' },
    });
    assert.equal(cancelled.status, 200);
    const late = await ship(o.id, TRACKING);
    assert.equal(late.status, 409);
    assert.equal(late.body.code, 'invalid_transition');
    assert.match(late.body.message, /cancelled/i);
    assert.equal(await count(o.id, 'ShipmentCreated'), 0);
  });

  test('the database refuses a unit shipped twice, whatever the code above it does', async () => {
    const o = await order();
    assert.equal((await ship(o.id, TRACKING)).status, 201);
    const [shipment] = await t.app.database.db
      .selectFrom('shipment')
      .select('id')
      .where('order_id', '=', o.id)
      .execute();
    await assert.rejects(
      sql`insert into shipment_line (shipment_id, order_line_id, variant_id, quantity)
          values (${shipment?.id}, ${o.mug.id}, ${mug.id}, 1)
          on conflict (shipment_id, order_line_id) do update set quantity = shipment_line.quantity + 1`.execute(
        t.app.database.db,
      ),
      /would ship 2 of 1/,
    );
  });

  test('two admins shipping the same lines at once: one shipment, one 409', async () => {
    const o = await order();
    const body = { ...TRACKING, lines: [{ lineId: o.shirt.id, quantity: 2 }] };
    const answers = await Promise.all([ship(o.id, body), ship(o.id, body)]);
    assert.deepEqual(answers.map((a) => a.status).sort(), [201, 409]);
    const progress = await t.app.services.fulfilment.lineProgress(t.app.database.db, o.id);
    assert.equal(progress.find((l) => l.lineId === o.shirt.id)?.shipped, 2);
    assert.equal(await count(o.id, 'ShipmentCreated'), 1);
  });

  test('a line added to a delivered order sends it back to partially shipped', async () => {
    const o = await order();
    const shipped = await ship(o.id, TRACKING);
    await deliver(o.id, shipped.body.shipment.id);
    // an exchange's replacement at no charge, as the returns context adds it
    await sql`insert into order_line (order_id, product_id, variant_id, name, sku, unit_price_minor, quantity, total_minor)
              select order_id, product_id, variant_id, name || ' (replacement)', sku, 0, 1, 0
                from order_line where id = ${o.mug.id}`.execute(t.app.database.db);
    const { fulfilment } = t.app.services;
    await writeTransaction(t.app.database.db, createLogger('silent'), (trx) =>
      fulfilment.resettleStatus(trx, o.id, { kind: 'admin', id: null }, 'exchange of a mug'),
    );
    const now = await t.request<ShippedOrder>('GET', `/api/v1/orders/${o.id}`, { token: customer.token });
    assert.equal(now.body.detailedStatus, 'partially_shipped');
    const progress = await fulfilment.lineProgress(t.app.database.db, o.id);
    assert.deepEqual(progress.map((l) => l.quantity - l.shipped).sort(), [0, 0, 1]);
  });
});
