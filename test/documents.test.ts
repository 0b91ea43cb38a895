/**
 * Invoices, credit notes and packing slips (issue 15): an invoice issued once when an order is
 * paid, numbered without gaps even when issuers race; a credit note per refund referring to it;
 * the PDFs read back with poppler (text and a picture of the first page); who may download
 * what; the shop's details, and a document that keeps the details it was issued with.
 * PGlite, or PostgreSQL with TEST_DATABASE_URL.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Db } from '../src/platform/db.ts';
import { ADDRESS, createTestApp, orderBody, type TestApp } from './helpers.ts';
import { firstPageImage, pdfText, popplerMissing } from './pdf-reading.ts';

interface Documents {
  invoice: { id: string; number: string; amount: number; currency: string } | null;
  creditNotes: Array<{ id: string; number: string; amount: number }>;
}

const SHOP = {
  legalName: 'Northwind Traders GmbH',
  address: 'Hauptstraße 5\n10115 Berlin\nGermany',
  taxId: 'DE123456789',
  registrationNumber: 'HRB 98765',
  contactEmail: 'invoices@northwind.test',
  invoiceFooter: 'Payable within 14 days. IBAN DE00 1234 5678 9012 3456 78.',
  attachInvoiceToConfirmation: false,
};

let t: TestApp;
let admin: string;
/** one shopper for most orders: signing up hashes a password, which is slow on purpose */
let grace: { token: string; id: string };
const year = new Date().getUTCFullYear();

before(async () => {
  t = await createTestApp();
  admin = await t.adminToken();
  grace = await t.customer('Grace Hopper');
  const zone = await t.app.services.shipping.createZone({ name: 'USA', areas: [{ country: 'US' }] }, null);
  await t.app.services.shipping.createMethod(
    zone.id,
    { name: 'Ground', rate: { kind: 'flat', priceMinor: 500 }, position: 0 },
    null,
  );
  await t.app.services.tax.create(
    { zoneId: zone.id, category: null, name: 'Sales tax', rateBasisPoints: 1000 },
    null,
  );
  const saved = await t.request('PUT', '/api/v1/admin/shop-details', { token: admin, body: SHOP });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
});
after(() => t.close());

/** 2 × $20.00 + $5.00 shipping, 10 % sales tax on both: $49.50. */
async function paidOrder(customer?: { token: string; id: string }) {
  const product = await t.product({ price: 20, stock: 50 });
  const buyer = customer ?? grace;
  const res = await t.request<{ id: string; total: number }>('POST', '/api/v1/orders', {
    token: buyer.token,
    body: {
      ...orderBody(buyer.id, [{ productId: product.id, quantity: 2, price: 20 }]),
      expectedTotal: 49.5,
    },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const sku = await t.app.database.db
    .selectFrom('order_line')
    .select('sku')
    .where('order_id', '=', res.body.id)
    .executeTakeFirstOrThrow();
  return { orderId: res.body.id, buyer, sku: sku.sku };
}

async function documentsOf(orderId: string): Promise<Documents> {
  const res = await t.request<Documents>('GET', `/api/v1/admin/orders/${orderId}/documents`, {
    token: admin,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

/** One order's invoice issued directly, as the subscriber issues a batch's. */
async function issueInvoice(trx: Db, orderId: string, issuedAt: Date): Promise<string | null> {
  const numbers = await t.app.services.documents.issueInvoices(trx, [{ orderId, issuedAt }]);
  return numbers.get(orderId) ?? null;
}

async function download(url: string, token?: string) {
  const res = await t.app.server.inject({
    method: 'GET',
    url,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return {
    status: res.statusCode,
    type: res.headers['content-type'],
    disposition: res.headers['content-disposition'],
    pdf: res.rawPayload,
  };
}

describe('the invoice', () => {
  test('is issued once the order is paid, numbered INV-<year>-000001, and reads as an invoice', async (ctx) => {
    const { orderId, sku } = await paidOrder();
    assert.equal((await documentsOf(orderId)).invoice, null, 'not before the confirmation is dispatched');
    await t.app.outbox.drain();
    const { invoice } = await documentsOf(orderId);
    assert.ok(invoice);
    assert.match(invoice.number, new RegExp(`^INV-${year}-\\d{6}$`));
    assert.deepEqual([invoice.amount, invoice.currency], [49.5, 'USD']);

    const file = await download(`/api/v1/admin/orders/${orderId}/invoice.pdf`, admin);
    assert.equal(file.status, 200);
    assert.equal(file.type, 'application/pdf');
    assert.equal(file.disposition, `attachment; filename="${invoice.number}.pdf"`);
    assert.equal(file.pdf.subarray(0, 5).toString(), '%PDF-');
    if (popplerMissing) return ctx.diagnostic(`PDF not read back: ${popplerMissing}`);
    const text = await pdfText(file.pdf);
    for (const expected of [
      'INVOICE',
      invoice.number,
      SHOP.legalName,
      'DE123456789',
      'Grace Hopper',
      '123 Main St',
      sku,
      'Shipping: Ground',
      'Sales tax',
      '10%',
      '$40.00', // the line: 2 × $20.00
      '$4.50', // tax on $45.00
      '$49.50',
      SHOP.invoiceFooter,
    ]) {
      assert.ok(text.includes(expected), `the invoice says ${expected}:\n${text}`);
    }
    const page = await firstPageImage(file.pdf);
    assert.ok(Math.abs(page.width - 413) <= 1, `A4 at 50 dpi: ${page.width}`);
    assert.ok(
      page.inked > 0.005 && page.inked < 0.3,
      `the page has text on it, not a blank or a black page: ${page.inked}`,
    );
  });

  test('is drawn the same every time, with the details it was issued with after the shop changes them', async (ctx) => {
    const { orderId } = await paidOrder();
    await t.app.outbox.drain();
    const first = await download(`/api/v1/admin/orders/${orderId}/invoice.pdf`, admin);
    const renamed = { ...SHOP, legalName: 'Renamed Later AG' };
    assert.equal(
      (await t.request('PUT', '/api/v1/admin/shop-details', { token: admin, body: renamed })).status,
      200,
    );
    try {
      const again = await download(`/api/v1/admin/orders/${orderId}/invoice.pdf`, admin);
      assert.ok(first.pdf.equals(again.pdf), 'the same bytes: the document was not issued again');
      const later = await paidOrder();
      await t.app.outbox.drain();
      if (popplerMissing) return ctx.diagnostic(`PDF not read back: ${popplerMissing}`);
      assert.ok((await pdfText(again.pdf)).includes(SHOP.legalName));
      const next = await download(`/api/v1/admin/orders/${later.orderId}/invoice.pdf`, admin);
      assert.ok((await pdfText(next.pdf)).includes('Renamed Later AG'), 'a new invoice has the new details');
    } finally {
      await t.request('PUT', '/api/v1/admin/shop-details', { token: admin, body: SHOP });
    }
  });

  test('orders confirmed together are invoiced in the order they were confirmed', async () => {
    const placed = await Promise.all([1, 2, 3, 4].map(() => paidOrder()));
    await t.app.outbox.drain();
    const db = t.app.database.db;
    const ids = placed.map((p) => p.orderId);
    const confirmations = await db
      .selectFrom('outbox')
      .select('aggregate_id')
      .where('type', '=', 'OrderConfirmed')
      .where('aggregate_id', 'in', ids)
      .orderBy('sequence')
      .execute();
    const invoices = await db
      .selectFrom('invoice')
      .select(['order_id', 'number'])
      .where('order_id', 'in', ids)
      .orderBy('number')
      .execute();
    assert.equal(invoices.length, 4);
    assert.deepEqual(
      invoices.map((i) => i.order_id),
      confirmations.map((c) => c.aggregate_id),
    );
    const sequence = invoices.map((i) => Number(i.number.slice(-6)));
    assert.deepEqual(
      sequence,
      sequence.map((_, i) => (sequence[0] ?? 0) + i),
      'consecutive numbers',
    );
  });

  test('is issued exactly once, however often its confirmation is handled', async () => {
    const { orderId } = await paidOrder();
    await t.app.outbox.drain();
    const { invoice } = await documentsOf(orderId);
    const event = await t.app.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('type', '=', 'OrderConfirmed')
      .where('aggregate_id', '=', orderId)
      .executeTakeFirstOrThrow();
    await t.app.database.db.transaction().execute((trx) =>
      t.app.services.documents.handle(
        [
          {
            id: event.id,
            sequence: Number(event.sequence),
            type: event.type,
            context: 'orders',
            aggregateId: orderId,
            payload: event.payload,
            occurredAt: new Date(event.occurred_at).toISOString(),
          },
        ],
        trx,
      ),
    );
    const rows = await t.app.database.db
      .selectFrom('invoice')
      .select('number')
      .where('order_id', '=', orderId)
      .execute();
    assert.deepEqual(rows, [{ number: invoice?.number }]);
  });

  test('numbers have no gaps and no duplicates when invoices are issued at once, and a rollback gives its number back', async () => {
    const orders: string[] = [];
    for (let i = 0; i < 6; i++) orders.push((await paidOrder()).orderId);
    const db = t.app.database.db;
    const before = await db
      .selectFrom('invoice')
      .select(({ fn }) => fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const issuedAt = new Date();
    // one issuer fails after taking a number: its transaction rolls back, and the number with it
    const failing = db
      .transaction()
      .execute(async (trx) => {
        await issueInvoice(trx, orders[0] ?? '', issuedAt);
        throw new Error('crash after numbering');
      })
      .catch((error: unknown) => error);
    const issued = await Promise.all(
      orders.slice(1).map((id) => db.transaction().execute((trx) => issueInvoice(trx, id, issuedAt))),
    );
    assert.ok((await failing) instanceof Error);
    await t.app.outbox.drain();
    const numbers = (await db.selectFrom('invoice').select('number').execute())
      .map((r) => Number(r.number.slice(-6)))
      .sort((a, b) => a - b);
    assert.equal(
      numbers.length,
      Number(before.n) + orders.length,
      'one invoice per order, the failed one issued by the subscriber',
    );
    assert.deepEqual(
      numbers,
      numbers.map((_, i) => i + 1),
      `consecutive from 1: ${numbers.join(', ')}`,
    );
    assert.equal(new Set(issued).size, issued.length);
  });

  test('two issuers of one order at once leave one invoice, and the loser takes no number with it', async () => {
    const { orderId } = await paidOrder();
    const db = t.app.database.db;
    const issuedAt = new Date();
    const outcomes = await Promise.allSettled(
      [1, 2].map(() => db.transaction().execute((trx) => issueInvoice(trx, orderId, issuedAt))),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled').map((o) => o.value);
    assert.ok(won.length >= 1, 'one issuer wins');
    const rows = await db.selectFrom('invoice').select('number').where('order_id', '=', orderId).execute();
    assert.equal(rows.length, 1);
    // a loser either saw the winner's invoice (PGlite queues transactions) or hit the unique key and rolled back
    for (const number of won) assert.equal(number, rows[0]?.number);
    await t.app.outbox.drain();
    const numbers = (await db.selectFrom('invoice').select('number').execute())
      .map((r) => Number(r.number.slice(-6)))
      .sort((x, y) => x - y);
    assert.deepEqual(
      numbers,
      numbers.map((_, i) => i + 1),
    );
  });

  test('an order that was not paid has none: 404', async () => {
    const product = await t.product({ price: 20 });
    const buyer = await t.customer();
    const res = await t.request<{ id: string }>('POST', '/api/v1/orders', {
      token: buyer.token,
      body: {
        ...orderBody(buyer.id, [{ productId: product.id, quantity: 1, price: 20 }], 'tok_chargeDeclined'),
        expectedTotal: 27.5,
      },
    });
    assert.equal(res.status, 402, JSON.stringify(res.body));
    await t.app.outbox.drain();
    const { id } = await t.app.database.db
      .selectFrom('orders')
      .select('id')
      .where('customer_id', '=', buyer.id)
      .executeTakeFirstOrThrow();
    const file = await t.request<{ code: string }>('GET', `/api/v1/admin/orders/${id}/invoice.pdf`, {
      token: admin,
    });
    assert.equal(file.status, 404);
    assert.equal(file.body.code, 'not_found');
  });
});

describe('credit notes', () => {
  test("a refund handled in the same batch as its order's confirmation corrects the invoice that batch issued", async () => {
    const { orderId } = await paidOrder();
    await t.app.outbox.drain();
    const db = t.app.database.db;
    const confirmation = await db
      .selectFrom('outbox')
      .selectAll()
      .where('type', '=', 'OrderConfirmed')
      .where('aggregate_id', '=', orderId)
      .executeTakeFirstOrThrow();
    const now = new Date().toISOString();
    const refundId = randomUUID();
    const rolledBack = new Error('rolled back: the numbers taken here go back');
    let invoice: { id: string } | undefined;
    let note: { invoice_id: string; amount_minor: number } | undefined;
    await db
      .transaction()
      .execute(async (trx) => {
        // as if the dispatcher met the confirmation for the first time, with a refund behind it
        await trx.deleteFrom('invoice').where('order_id', '=', orderId).execute();
        await t.app.services.documents.handle(
          [
            {
              id: confirmation.id,
              sequence: Number(confirmation.sequence),
              type: 'OrderConfirmed',
              context: 'orders',
              aggregateId: orderId,
              payload: confirmation.payload,
              occurredAt: now,
            },
            {
              id: randomUUID(),
              sequence: Number(confirmation.sequence) + 1,
              type: 'RefundIssued',
              context: 'payment',
              aggregateId: orderId,
              payload: {
                refundId,
                paymentId: randomUUID(),
                orderId,
                amount: 1000,
                currency: 'USD',
                timestamp: now,
              },
              occurredAt: now,
            },
          ],
          trx,
        );
        invoice = await trx
          .selectFrom('invoice')
          .select(['id'])
          .where('order_id', '=', orderId)
          .executeTakeFirst();
        note = await trx
          .selectFrom('credit_note')
          .select(['invoice_id', 'amount_minor'])
          .where('refund_id', '=', refundId)
          .executeTakeFirst();
        throw rolledBack;
      })
      .catch((error: unknown) => {
        if (error !== rolledBack) throw error;
      });
    assert.ok(invoice, 'the batch issued the invoice');
    assert.deepEqual(note, { invoice_id: invoice.id, amount_minor: 1000 });
  });

  test('one per refund, numbered CN-<year>-…, each referring to the invoice with the amount refunded', async (ctx) => {
    const { orderId } = await paidOrder();
    await t.app.outbox.drain();
    for (const [amount, key] of [
      [10, 'first'],
      [5.5, 'second'],
    ] as const) {
      const res = await t.request('POST', `/api/v1/admin/orders/${orderId}/refund`, {
        token: admin,
        body: { amount, reason: 'damaged in transit' },
        headers: { 'idempotency-key': `cn-${orderId}-${key}` },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    await t.app.outbox.drain();
    await t.app.outbox.drain();
    const { invoice, creditNotes } = await documentsOf(orderId);
    assert.ok(invoice);
    assert.deepEqual(
      creditNotes.map((n) => n.amount),
      [10, 5.5],
    );
    for (const note of creditNotes) assert.match(note.number, new RegExp(`^CN-${year}-\\d{6}$`));
    const [a, b] = creditNotes.map((n) => Number(n.number.slice(-6)));
    assert.equal(b, (a ?? 0) + 1, 'consecutive');

    const note = creditNotes[1];
    assert.ok(note);
    const file = await download(`/api/v1/admin/orders/${orderId}/credit-notes/${note.id}.pdf`, admin);
    assert.equal(file.status, 200);
    assert.equal(file.type, 'application/pdf');
    if (popplerMissing) return ctx.diagnostic(`PDF not read back: ${popplerMissing}`);
    const text = await pdfText(file.pdf);
    for (const expected of ['CREDIT NOTE', note.number, invoice.number, SHOP.legalName, '$5.50']) {
      assert.ok(text.includes(expected), `the credit note says ${expected}:\n${text}`);
    }
    assert.ok((await firstPageImage(file.pdf)).inked > 0.005);

    const other = await paidOrder();
    const elsewhere = await t.request(
      'GET',
      `/api/v1/admin/orders/${other.orderId}/credit-notes/${note.id}.pdf`,
      {
        token: admin,
      },
    );
    assert.equal(elsewhere.status, 404, 'a credit note is found under its own order only');
  });
});

describe('the packing slip', () => {
  test('lists the lines, their quantities and where they go, without a price', async (ctx) => {
    const { orderId, sku } = await paidOrder();
    const file = await download(`/api/v1/admin/orders/${orderId}/packing-slip.pdf`, admin);
    assert.equal(file.status, 200);
    assert.equal(file.type, 'application/pdf');
    if (popplerMissing) return ctx.diagnostic(`PDF not read back: ${popplerMissing}`);
    const text = await pdfText(file.pdf);
    for (const expected of [
      'PACKING SLIP',
      sku,
      'Grace Hopper',
      ADDRESS.street,
      'San Francisco, CA 94102',
      'Ground',
    ]) {
      assert.ok(text.includes(expected), `the slip says ${expected}:\n${text}`);
    }
    assert.match(text, new RegExp(`${sku}.*\\b2\\b`), 'the quantity on the line');
    assert.doesNotMatch(text, /\$/, 'no prices');
    assert.ok((await firstPageImage(file.pdf)).inked > 0.003);
  });

  test('of one shipment lists only what that parcel holds, where it leaves from and its tracking', async (ctx) => {
    const { orderId, sku } = await paidOrder();
    const lineId = (
      await t.app.database.db
        .selectFrom('order_line')
        .select('id')
        .where('order_id', '=', orderId)
        .executeTakeFirstOrThrow()
    ).id;
    const parcels = [];
    for (const trackingNumber of ['1Z999AA10000000001', '1Z999AA10000000002']) {
      const shipped = await t.request<{ shipment: { id: string } }>(
        'POST',
        `/api/v1/admin/orders/${orderId}/shipments`,
        {
          token: admin,
          body: { lines: [{ lineId, quantity: 1 }], carrier: 'UPS', trackingNumber },
        },
      );
      assert.equal(shipped.status, 201, JSON.stringify(shipped.body));
      parcels.push(shipped.body.shipment.id);
    }
    const file = await download(
      `/api/v1/admin/orders/${orderId}/shipments/${parcels[1]}/packing-slip.pdf`,
      admin,
    );
    assert.equal(file.status, 200, file.pdf.toString());
    assert.equal(file.type, 'application/pdf');
    assert.match(String(file.disposition), /packing-slip-\d+-2\.pdf/);
    const elsewhere = await download(
      `/api/v1/admin/orders/${(await paidOrder()).orderId}/shipments/${parcels[1]}/packing-slip.pdf`,
      admin,
    );
    assert.equal(elsewhere.status, 404, 'a shipment is found under its own order only');
    if (popplerMissing) return ctx.diagnostic(`PDF not read back: ${popplerMissing}`);
    const text = await pdfText(file.pdf);
    for (const expected of ['PACKING SLIP', 'Parcel', 'Ships from', 'Main warehouse', '1Z999AA10000000002']) {
      assert.ok(text.includes(expected), `the slip says ${expected}:\n${text}`);
    }
    assert.match(text, new RegExp(`${sku}.*\\b1\\b`), 'one of the two units is in this parcel');
    assert.doesNotMatch(text, /1Z999AA10000000001/, 'not the other parcel');
  });

  test('404 for an order that does not exist', async () => {
    const res = await t.request(
      'GET',
      '/api/v1/admin/orders/0190a0a0-0000-7000-8000-000000000000/packing-slip.pdf',
      {
        token: admin,
      },
    );
    assert.equal(res.status, 404);
  });
});

describe("the shopper's invoice", () => {
  test('the owner downloads it; another customer gets a 404; nobody signed in a 401', async () => {
    const { orderId, buyer } = await paidOrder();
    await t.app.outbox.drain();
    const own = await download(`/api/v1/orders/${orderId}/invoice.pdf`, buyer.token);
    assert.equal(own.status, 200);
    assert.equal(own.type, 'application/pdf');
    const stranger = await t.customer();
    assert.equal(
      (await t.request('GET', `/api/v1/orders/${orderId}/invoice.pdf`, { token: stranger.token })).status,
      404,
    );
    assert.equal((await t.request('GET', `/api/v1/orders/${orderId}/invoice.pdf`)).status, 401);
  });

  test("a guest opens it with the order link's token, and only for that order", async () => {
    const product = await t.product({ price: 20 });
    const placed = await t.request<{ id: string; accessToken: string }>('POST', '/api/v1/guest/orders', {
      body: {
        email: 'guest-invoice@example.com',
        name: 'Guest Shopper',
        items: [{ productId: product.id, quantity: 1, price: 20 }],
        shippingAddress: ADDRESS,
        paymentMethod: { type: 'card', token: 'tok_visa' },
        expectedTotal: 27.5,
      },
    });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    await t.app.outbox.drain();
    const token = encodeURIComponent(placed.body.accessToken);
    const file = await download(`/api/v1/orders/${placed.body.id}/invoice.pdf?token=${token}`);
    assert.equal(file.status, 200);
    if (!popplerMissing) assert.ok((await pdfText(file.pdf)).includes('Guest Shopper'));
    const other = await paidOrder();
    await t.app.outbox.drain();
    assert.equal(
      (await t.request('GET', `/api/v1/orders/${other.orderId}/invoice.pdf?token=${token}`)).status,
      404,
      "another order's link opens nothing",
    );
    assert.equal(
      (await t.request('GET', `/api/v1/orders/${placed.body.id}/invoice.pdf?token=forged`)).status,
      401,
    );
  });
});

describe('shop details', () => {
  test('are read back as saved; a bad field is a 400 that changes nothing', async () => {
    const read = await t.request<typeof SHOP>('GET', '/api/v1/admin/shop-details', { token: admin });
    assert.deepEqual(read.body, SHOP);
    for (const body of [
      { ...SHOP, legalName: '' },
      { ...SHOP, contactEmail: 'not an address' },
      { ...SHOP, attachInvoiceToConfirmation: 'yes' },
      { legalName: 'Only a name' },
    ]) {
      const res = await t.request<{ code: string }>('PUT', '/api/v1/admin/shop-details', {
        token: admin,
        body,
      });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.code, 'validation_failed');
    }
    assert.deepEqual((await t.request('GET', '/api/v1/admin/shop-details', { token: admin })).body, SHOP);
  });
});
