import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  DEMO_SHOP_DETAILS,
  InvoiceData,
  addressLines,
  creditNoteData,
  documentNumber,
  formatRate,
  invoiceData,
  packingSlipData,
  type OrderForDocuments,
} from './model.ts';

const ORDER: OrderForDocuments = {
  id: 'order-1',
  number: 1001,
  createdAt: new Date('2026-03-01T09:30:00Z'),
  currency: 'USD',
  total: 4950,
  shippingAddress: { street: '123 Main St', city: 'San Francisco', state: 'CA', zip: '94102', country: 'US' },
  lines: [
    {
      sku: 'MUG-1',
      name: 'Mug',
      variantTitle: 'Blue',
      quantity: 2,
      unitPrice: 2000,
      discount: 0,
      taxRateBasisPoints: 1000,
      tax: 400,
      total: 4400,
    },
  ],
  taxLines: [{ name: 'Sales tax', rateBasisPoints: 1000, base: 4500, amount: 450 }],
  pricing: {
    subtotal: 4000,
    discount: 0,
    tax: 450,
    pricesIncludeTax: false,
    shipping: { name: 'Ground', price: 500, discount: 0, tax: 50, total: 550 },
  },
};
const CUSTOMER = { name: 'Grace Hopper', email: 'grace@example.com' };

describe('documentNumber', () => {
  test('series, year and a six-digit place in the year', () => {
    assert.equal(documentNumber('invoice', 2026, 1), 'INV-2026-000001');
    assert.equal(documentNumber('credit_note', 2027, 42), 'CN-2027-000042');
    assert.equal(documentNumber('invoice', 2026, 1_234_567), 'INV-2026-1234567');
  });

  test('numbers of one series and year sort as they were given, and never repeat', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_998 }), (n) => {
        const a = documentNumber('invoice', 2026, n);
        const b = documentNumber('invoice', 2026, n + 1);
        assert.ok(a < b, `${a} before ${b}`);
      }),
    );
  });

  test('refuses a number that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN])
      assert.throws(() => documentNumber('invoice', 2026, bad), RangeError);
  });
});

describe('formatRate', () => {
  test('percent with as many decimals as it needs', () => {
    assert.deepEqual([0, 550, 825, 1000, 2000, 10_000, 1].map(formatRate), [
      '0%',
      '5.5%',
      '8.25%',
      '10%',
      '20%',
      '100%',
      '0.01%',
    ]);
  });
});

describe('addressLines', () => {
  test('"city, state zip" where there are states, "zip city" where there are none', () => {
    assert.deepEqual(addressLines(ORDER.shippingAddress), ['123 Main St', 'San Francisco, CA 94102', 'US']);
    assert.deepEqual(addressLines({ street: 'Hauptstraße 5', city: 'Berlin', zip: '10115', country: 'DE' }), [
      'Hauptstraße 5',
      '10115 Berlin',
      'DE',
    ]);
  });
});

describe('invoiceData', () => {
  const issue = { number: 'INV-2026-000007', issuedAt: new Date('2026-03-01T09:31:00Z') };
  const invoice = invoiceData(ORDER, DEMO_SHOP_DETAILS, CUSTOMER, issue);

  test("states the order's own figures: shipping before tax, tax on its own row", () => {
    assert.deepEqual(invoice.totals, { subtotal: 4000, discount: 0, shipping: 500, tax: 450, total: 4950 });
    assert.equal(
      invoice.totals.subtotal - invoice.totals.discount + invoice.totals.shipping + invoice.totals.tax,
      invoice.totals.total,
    );
    assert.deepEqual(invoice.taxLines, ORDER.taxLines);
    assert.equal(invoice.lines[0]?.sku, 'MUG-1');
  });

  test('is billed to the customer and shipped to the name on the address, else the customer', () => {
    assert.deepEqual(invoice.buyer, {
      name: 'Grace Hopper',
      email: 'grace@example.com',
      addressLines: ['123 Main St', 'San Francisco, CA 94102', 'US'],
    });
    const named = invoiceData(
      { ...ORDER, shippingAddress: { ...ORDER.shippingAddress, name: 'Front desk' } },
      DEMO_SHOP_DETAILS,
      CUSTOMER,
      issue,
    );
    assert.equal(named.shipTo.name, 'Front desk');
  });

  test('keeps the seller without the e-mail switch, and survives a trip through JSON unchanged', () => {
    assert.equal('attachInvoiceToConfirmation' in invoice.seller, false);
    assert.deepEqual(InvoiceData.parse(JSON.parse(JSON.stringify(invoice))), invoice);
  });
});

describe('creditNoteData', () => {
  const invoice = invoiceData(ORDER, DEMO_SHOP_DETAILS, CUSTOMER, {
    number: 'INV-2026-000007',
    issuedAt: new Date('2026-03-01T09:31:00Z'),
  });

  test('refers to its invoice and credits the refunded amount', () => {
    const note = creditNoteData(invoice, 1250, {
      number: 'CN-2026-000002',
      issuedAt: new Date('2026-03-05T00:00:00Z'),
    });
    assert.deepEqual(
      [note.invoiceNumber, note.orderNumber, note.amount, note.currency, note.seller.legalName],
      ['INV-2026-000007', 1001, 1250, 'USD', DEMO_SHOP_DETAILS.legalName],
    );
  });

  test('refuses an amount that is not a positive integer of minor units', () => {
    for (const bad of [0, -5, 12.5]) {
      assert.throws(
        () => creditNoteData(invoice, bad, { number: 'CN-2026-000003', issuedAt: new Date() }),
        RangeError,
      );
    }
  });
});

describe('packingSlipData', () => {
  test('has the lines and quantities, and nothing about money', () => {
    const slip = packingSlipData(ORDER, DEMO_SHOP_DETAILS, CUSTOMER);
    assert.deepEqual(slip.lines, [{ sku: 'MUG-1', name: 'Mug', variantTitle: 'Blue', quantity: 2 }]);
    assert.equal(slip.shippingMethod, 'Ground');
    assert.doesNotMatch(JSON.stringify(slip), /price|total|tax/i);
    assert.equal(slip.parcel, null);
  });

  test('for one parcel has only what that parcel holds, and says which parcel it is', () => {
    const parcel = {
      number: 2,
      location: 'East depot',
      carrier: 'UPS',
      trackingNumber: '1Z999AA10000000002',
      lines: [{ sku: 'MUG-1', name: 'Mug', variantTitle: 'Blue', quantity: 1 }],
    };
    const slip = packingSlipData(ORDER, DEMO_SHOP_DETAILS, CUSTOMER, parcel);
    assert.deepEqual(slip.lines, parcel.lines);
    assert.equal(slip.parcel, parcel);
  });
});
