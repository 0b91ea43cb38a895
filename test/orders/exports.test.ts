/**
 * The admin's CSV exports: the list's filters, RFC 4180 with formulas defused, money in both
 * forms, and a large export streamed in batches rather than built whole.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { EXPORT_BATCH, exportCsv } from '../../src/orders/export.ts';
import { ADDRESS, createTestApp, type TestApp } from '../helpers.ts';
import { adminPost, getOrder, place, SHIPMENT, type Customer, type OrderJson } from './support.ts';

/** RFC 4180 rows, for reading back what the server wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted && ch === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (!quoted && ch === ',') {
      row.push(field);
      field = '';
    } else if (!quoted && ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += ch;
    }
  }
  return rows;
}

const records = (text: string) => {
  const [header, ...rows] = parseCsv(text);
  assert.ok(header);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
};

describe('CSV exports of orders and order lines', () => {
  let t: TestApp;
  let admin: string;
  let alice: Customer;
  let bob: Customer;
  const o: Record<string, OrderJson> = {};

  const download = async (path: string) => {
    const res = await t.app.server.inject({
      method: 'GET',
      url: path,
      headers: { authorization: `Bearer ${admin}` },
    });
    assert.equal(res.statusCode, 200, res.body);
    return res;
  };

  before(async () => {
    t = await createTestApp();
    admin = await t.adminToken();
    alice = await t.customer('Alice');
    bob = await t.customer('Bob');
    const mug = await t.product({ price: 12.5, stock: 100, name: 'Mug, "large"' });
    const formula = await t.product({ price: 3, stock: 100, name: '=HYPERLINK("http://evil.test","x")' });
    o['a1'] = await place(t, alice, [[mug, 2]]);
    o['b1'] = await place(t, bob, [
      [mug, 1],
      [formula, 3],
    ]);
    o['a2'] = await place(t, alice, [[formula, 1]]);
    assert.equal((await adminPost(t, admin, o['b1'].id, 'ship', SHIPMENT)).status, 200);
    await sql`update orders set created_at = '2024-01-10T12:00:00Z' where id = ${o['a2'].id}`.execute(
      t.app.database.db,
    );
    await sql`update orders set shipping_address = ${JSON.stringify({ ...ADDRESS, name: '@Bob\nSmith', street: '-1 Main St' })}
               where id = ${o['b1'].id}`.execute(t.app.database.db);
  });
  after(() => t.close());

  test('the orders CSV is an attachment of every order the search finds, newest first', async () => {
    const res = await download('/api/v1/admin/orders/export.csv');
    assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
    assert.match(String(res.headers['content-disposition']), /^attachment; filename=orders-\d{8}\.csv$/);
    const rows = records(res.body);
    assert.deepEqual(
      rows.map((r) => r['order_id']),
      [o['b1']!.id, o['a1']!.id, o['a2']!.id],
    );
    const b1 = rows[0]!;
    const order = await getOrder(t, o['b1']!.id);
    assert.equal(b1['order_number'], String(order.orderNumber));
    assert.equal(b1['status'], 'shipped');
    assert.equal(b1['customer_email'], bob.email);
    assert.equal(b1['currency'], 'USD');
    assert.equal(b1['subtotal'], '21.50');
    assert.equal(b1['subtotal_minor'], '2150');
    assert.equal(b1['total'], order.total.toFixed(2));
    assert.equal(b1['total_minor'], String(Math.round(order.total * 100)));
    assert.equal(b1['carrier'], SHIPMENT.carrier);
    assert.equal(b1['created_at'], order.createdAt);
    // a cell that would be a formula is one no longer; a line break stays inside its quotes
    assert.equal(b1['ship_to_name'], "'@Bob\nSmith");
    assert.equal(b1['ship_to_street'], "'-1 Main St");
    assert.equal(rows[2]!['created_at'], '2024-01-10T12:00:00.000Z');
  });

  test("the exports take the list's filters and sort", async () => {
    const ids = async (query: string) =>
      records((await download(`/api/v1/admin/orders/export.csv?${query}`)).body).map((r) => r['order_id']);
    const listed = async (query: string) => {
      const res = await t.request<{ items: Array<{ id: string }> }>(
        'GET',
        `/api/v1/admin/orders?${query}&limit=100`,
        {
          token: admin,
        },
      );
      return res.body.items.map((i) => i.id);
    };
    for (const query of [
      'status=shipped',
      `customerId=${alice.id}`,
      'to=2024-01-10',
      'from=2024-01-11',
      `q=${encodeURIComponent(bob.email.slice(0, 12))}`,
      'q=Mug',
      `q=${encodeURIComponent(`#${o['a1']!.orderNumber}`)}`,
      'sort=total&order=asc',
    ]) {
      assert.deepEqual(await ids(query), await listed(query), query);
    }
    assert.deepEqual(await ids('status=shipped'), [o['b1']!.id]);
    assert.deepEqual(await ids('to=2024-01-10'), [o['a2']!.id]);
    assert.deepEqual(await ids('sort=total&order=asc'), [o['a2']!.id, o['b1']!.id, o['a1']!.id]);
  });

  test('the order-lines CSV has a row per line, quoted and defused', async () => {
    const res = await download(`/api/v1/admin/order-lines/export.csv?customerId=${bob.id}`);
    assert.match(String(res.headers['content-disposition']), /^attachment; filename=order-lines-\d{8}\.csv$/);
    const rows = records(res.body);
    assert.deepEqual(
      rows
        .map((r) => [r['order_id'], r['product_name'], r['quantity'], r['unit_price'], r['line_total_minor']])
        .sort(),
      [
        [o['b1']!.id, '\'=HYPERLINK("http://evil.test","x")', '3', '3.00', '900'],
        [o['b1']!.id, 'Mug, "large"', '1', '12.50', '1250'],
      ],
    );
    assert.ok(res.body.includes('"Mug, ""large"""'), 'a comma and quotes are quoted as RFC 4180 says');
  });

  test('bad filters are a 400 and a customer may not export', async () => {
    const bad = await t.request('GET', '/api/v1/admin/orders/export.csv?status=lost', { token: admin });
    assert.equal(bad.status, 400);
    assert.equal((bad.body as { code: string }).code, 'validation_failed');
    const customer = await t.request('GET', '/api/v1/admin/order-lines/export.csv', { token: alice.token });
    assert.equal(customer.status, 403);
  });
});

describe('a large CSV export', () => {
  let t: TestApp;
  let admin: string;
  const ORDERS = 20_000;

  before(async () => {
    t = await createTestApp();
    admin = await t.adminToken();
    const alice = await t.customer('Alice');
    const mug = await t.product({ price: 10, stock: 100, name: 'Mug' });
    const first = await place(t, alice, [[mug, 1]]);
    // copies of one real order, each with its line, a second apart, loaded as a bulk load is:
    // without the per-row triggers (the copies' totals are the original's, which held)
    await t.app.database.db.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await sql`
        insert into orders (id, customer_id, customer_email, status, currency, total_minor, subtotal_minor,
                            shipping_address, payment_status, created_at, updated_at)
        select gen_random_uuid(), customer_id, customer_email, status, currency, total_minor, subtotal_minor,
               shipping_address, payment_status, created_at - i * interval '1 second', updated_at
          from orders, generate_series(1, ${ORDERS - 1}) i where id = ${first.id}`.execute(trx);
      await sql`
        insert into order_line (order_id, product_id, variant_id, name, variant_title, sku, unit_price_minor, quantity, total_minor)
        select o.id, l.product_id, l.variant_id, l.name, l.variant_title, l.sku, l.unit_price_minor, l.quantity, l.total_minor
          from orders o, order_line l where l.order_id = ${first.id} and o.id <> ${first.id}`.execute(trx);
    });
  });
  after(() => t.close());

  test('streams batch by batch: bytes arrive in many chunks, and every order is in them once', async () => {
    const address = await t.app.server.listen({ port: 0, host: '127.0.0.1' });
    const res = await fetch(`${address}/api/v1/admin/orders/export.csv`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('transfer-encoding'), 'chunked', 'no length: the body is not built first');
    let chunks = 0;
    let text = '';
    const decoder = new TextDecoder();
    for await (const chunk of res.body!) {
      chunks++;
      text += decoder.decode(chunk, { stream: true });
    }
    const ids = parseCsv(text)
      .slice(1)
      .map((r) => r[1]);
    assert.equal(ids.length, ORDERS);
    assert.equal(new Set(ids).size, ORDERS);
    assert.ok(chunks >= ORDERS / EXPORT_BATCH, `${chunks} chunks for ${ORDERS / EXPORT_BATCH} batches`);
  });

  test('a reader that goes away stops the reading', async () => {
    let batchesRead = 0;
    const counted = t.app.database.db.withPlugin({
      transformQuery: (args) => {
        if (args.node.kind === 'SelectQueryNode' && JSON.stringify(args.node.from).includes('"orders"'))
          batchesRead++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const { catalog } = t.app.services;
    const stream = exportCsv(
      { db: counted, catalog, customers: { contact: async () => undefined, idsMatching: async () => [] } },
      'lines',
      { sort: 'createdAt', order: 'desc' },
    );
    let chunks = 0;
    stream.on('data', () => {
      if (++chunks === 3) stream.destroy();
    });
    await new Promise((resolve) => stream.once('close', resolve));
    // the header and two batches were taken; at most the one being read when it went away follows
    assert.ok(batchesRead <= 3, `${batchesRead} of ${ORDERS / EXPORT_BATCH} batches read`);
  });
});
