import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { computeTotals, refundableFor, type TaxRule, type TotalsInput } from './totals.ts';

const VAT: TaxRule[] = [
  { name: 'VAT', rateBasisPoints: 2000, category: null },
  { name: 'VAT reduced', rateBasisPoints: 700, category: 'reduced' },
];
const line = (key: string, unitPriceMinor: number, quantity: number, taxCategory: string | null = null) => ({
  key,
  unitPriceMinor,
  quantity,
  taxCategory,
});

describe('computeTotals, worked examples (docs/pricing.md)', () => {
  test('tax-exclusive: 10 % off spread by largest remainder, each line taxed at its rate, shipping at the standard rate', () => {
    const totals = computeTotals({
      lines: [line('a', 1999, 1), line('b', 1001, 2, 'reduced')],
      shippingMinor: 500,
      discount: { kind: 'percentage', basisPoints: 1000 },
      taxRates: VAT,
      pricesIncludeTax: false,
    });
    // 10 % of 40.01 is 4.001 → 4.00; a gets 4.00 × 1999/4001 = 1.998… → 1.99 + the leftover cent
    assert.deepEqual(
      totals.lines.map((l) => [l.subtotalMinor, l.discountMinor, l.taxMinor, l.totalMinor]),
      [
        [1999, 200, 360, 2159],
        [2002, 200, 126, 1928],
      ],
    );
    assert.deepEqual(totals.shipping, {
      priceMinor: 500,
      discountMinor: 0,
      taxRateBasisPoints: 2000,
      taxMinor: 100,
      totalMinor: 600,
    });
    assert.deepEqual(totals.taxLines, [
      { name: 'VAT', rateBasisPoints: 2000, baseMinor: 2299, amountMinor: 460 },
      { name: 'VAT reduced', rateBasisPoints: 700, baseMinor: 1802, amountMinor: 126 },
    ]);
    assert.deepEqual(
      [totals.subtotalMinor, totals.discountMinor, totals.shippingMinor, totals.taxMinor, totals.totalMinor],
      [4001, 400, 500, 586, 4687],
    );
  });

  test('tax-inclusive: the tax is taken out of the price, the total stays what the shelf said', () => {
    const totals = computeTotals({
      lines: [line('a', 1200, 1)],
      shippingMinor: 500,
      discount: { kind: 'free_shipping' },
      taxRates: VAT,
      pricesIncludeTax: true,
    });
    assert.deepEqual(totals.lines[0], {
      key: 'a',
      quantity: 1,
      unitPriceMinor: 1200,
      subtotalMinor: 1200,
      discountMinor: 0,
      taxRateBasisPoints: 2000,
      taxMinor: 200,
      totalMinor: 1200,
    });
    assert.deepEqual(totals.shipping, {
      priceMinor: 500,
      discountMinor: 500,
      taxRateBasisPoints: 2000,
      taxMinor: 0,
      totalMinor: 0,
    });
    assert.equal(totals.totalMinor, 1200);
    assert.equal(totals.shippingMinor, 0);
    // 10.00 at 7 % holds 10.00 − round(1000 / 1.07 = 934.58) = 0.65, not the 0.66 of a floor
    const reduced = computeTotals({
      lines: [line('b', 1000, 1, 'reduced')],
      shippingMinor: null,
      discount: null,
      taxRates: VAT,
      pricesIncludeTax: true,
    });
    assert.equal(reduced.taxMinor, 65);
  });

  test('a fixed discount larger than the items is capped there and never reaches shipping', () => {
    const totals = computeTotals({
      lines: [line('a', 300, 1), line('b', 100, 1)],
      shippingMinor: 700,
      discount: { kind: 'fixed', amountMinor: 5000 },
      taxRates: [],
      pricesIncludeTax: false,
    });
    assert.deepEqual(
      totals.lines.map((l) => l.totalMinor),
      [0, 0],
    );
    assert.equal(totals.discountMinor, 400);
    assert.equal(totals.totalMinor, 700);
  });

  test('an unknown category falls back to the standard rate; no standard rate means no tax', () => {
    const fallback = computeTotals({
      lines: [line('a', 1000, 1, 'books')],
      shippingMinor: null,
      discount: null,
      taxRates: VAT,
      pricesIncludeTax: false,
    });
    assert.equal(fallback.lines[0]?.taxRateBasisPoints, 2000);
    assert.equal(fallback.shipping, null);
    const none = computeTotals({
      lines: [line('a', 1000, 1)],
      shippingMinor: 500,
      discount: null,
      taxRates: [{ name: 'VAT reduced', rateBasisPoints: 700, category: 'reduced' }],
      pricesIncludeTax: false,
    });
    assert.equal(none.taxMinor, 0);
    assert.deepEqual(none.taxLines, []);
  });

  test('sums past 2^53 in the intermediate products are exact', () => {
    const totals = computeTotals({
      lines: [line('a', 90_000_000_000, 1000)],
      shippingMinor: null,
      discount: { kind: 'percentage', basisPoints: 3333 },
      taxRates: [{ name: 'T', rateBasisPoints: 1, category: null }],
      pricesIncludeTax: false,
    });
    // 9e13 × 3333 / 10000 = 29 997 000 000 000 exactly; the tax 1 bp of the rest
    assert.equal(totals.discountMinor, 29_997_000_000_000);
    assert.equal(totals.taxMinor, 6_000_300_000);
  });

  test('refuses amounts that are not minor units, and rates above 100 %', () => {
    const base: TotalsInput = {
      lines: [line('a', 100, 1)],
      shippingMinor: null,
      discount: null,
      taxRates: [],
      pricesIncludeTax: false,
    };
    assert.throws(() => computeTotals({ ...base, lines: [line('a', 1.5, 1)] }), RangeError);
    assert.throws(() => computeTotals({ ...base, lines: [line('a', 100, 0)] }), RangeError);
    assert.throws(() => computeTotals({ ...base, shippingMinor: -1 }), RangeError);
    assert.throws(
      () => computeTotals({ ...base, discount: { kind: 'percentage', basisPoints: 10_001 } }),
      RangeError,
    );
  });
});

describe('refundableFor', () => {
  test('one unit at a time rounds cumulatively, so the steps add up to the line total', () => {
    const [l] = computeTotals({
      lines: [line('a', 333, 3)],
      shippingMinor: null,
      discount: { kind: 'fixed', amountMinor: 1 },
      taxRates: [],
      pricesIncludeTax: false,
    }).lines;
    assert.ok(l);
    assert.equal(l.totalMinor, 998);
    assert.deepEqual(
      [refundableFor(l, 1, 0), refundableFor(l, 1, 1), refundableFor(l, 1, 2)],
      [333, 332, 333],
    );
    assert.equal(refundableFor(l, 3, 0), 998);
    assert.throws(() => refundableFor(l, 2, 2), RangeError);
  });
});

const category = fc.constantFrom<string | null>(null, 'reduced', 'zero', 'books');
const input: fc.Arbitrary<TotalsInput> = fc.record({
  lines: fc.array(
    fc.record({
      key: fc.uuid(),
      unitPriceMinor: fc.integer({ min: 0, max: 10_000_000 }),
      quantity: fc.integer({ min: 1, max: 50 }),
      taxCategory: category,
    }),
    { maxLength: 8 },
  ),
  shippingMinor: fc.option(fc.integer({ min: 0, max: 100_000 })),
  discount: fc.option(
    fc.oneof(
      fc.record({
        kind: fc.constant('percentage' as const),
        basisPoints: fc.integer({ min: 0, max: 10_000 }),
      }),
      fc.record({
        kind: fc.constant('fixed' as const),
        amountMinor: fc.integer({ min: 0, max: 50_000_000 }),
      }),
      fc.constant({ kind: 'free_shipping' as const }),
    ),
  ),
  taxRates: fc.subarray([
    { name: 'Standard', rateBasisPoints: 2000, category: null },
    { name: 'Sales tax', rateBasisPoints: 825, category: null },
    { name: 'Reduced', rateBasisPoints: 700, category: 'reduced' },
    { name: 'Zero', rateBasisPoints: 0, category: 'zero' },
  ]),
  pricesIncludeTax: fc.boolean(),
});
const RUNS = { numRuns: 2000 };

describe('computeTotals, properties', () => {
  test('the total is the sum of its parts', () => {
    fc.assert(
      fc.property(input, (i) => {
        const t = computeTotals(i);
        const shipping = (t.shipping?.priceMinor ?? 0) - (t.shipping?.discountMinor ?? 0);
        const parts = t.subtotalMinor - t.discountMinor + shipping + (i.pricesIncludeTax ? 0 : t.taxMinor);
        assert.equal(t.totalMinor, parts);
        assert.equal(t.shippingMinor, shipping);
        assert.equal(
          t.taxMinor,
          t.taxLines.reduce((a, l) => a + l.amountMinor, 0),
        );
        assert.equal(
          t.totalMinor,
          t.lines.reduce((a, l) => a + l.totalMinor, 0) + (t.shipping?.totalMinor ?? 0),
        );
      }),
      RUNS,
    );
  });

  test('no line, and no part of shipping, is ever negative', () => {
    fc.assert(
      fc.property(input, (i) => {
        const t = computeTotals(i);
        for (const l of t.lines) {
          for (const v of [l.subtotalMinor, l.discountMinor, l.taxMinor, l.totalMinor]) assert.ok(v >= 0);
          assert.ok(l.discountMinor <= l.subtotalMinor);
        }
        if (t.shipping) for (const v of Object.values(t.shipping)) assert.ok(v >= 0);
      }),
      RUNS,
    );
  });

  test('the line discounts add up exactly to the discount, which never exceeds the items', () => {
    fc.assert(
      fc.property(input, (i) => {
        const t = computeTotals(i);
        assert.equal(
          t.lines.reduce((a, l) => a + l.discountMinor, 0),
          t.discountMinor,
        );
        assert.ok(t.discountMinor <= t.subtotalMinor);
        if (i.discount?.kind === 'fixed') {
          assert.equal(t.discountMinor, Math.min(i.discount.amountMinor, t.subtotalMinor));
        }
        if (i.discount?.kind !== 'free_shipping') assert.equal(t.shipping?.discountMinor ?? 0, 0);
        // each line's share is its exact proportional part rounded down or up, never further off
        for (const l of t.lines) {
          const off =
            BigInt(l.discountMinor) * BigInt(t.subtotalMinor) -
            BigInt(t.discountMinor) * BigInt(l.subtotalMinor);
          assert.ok(
            t.subtotalMinor === 0 || (off > -BigInt(t.subtotalMinor) && off < BigInt(t.subtotalMinor)),
          );
        }
      }),
      RUNS,
    );
  });

  test('a percentage discount is within one minor unit of the exact percentage', () => {
    fc.assert(
      fc.property(input, fc.integer({ min: 0, max: 10_000 }), (i, basisPoints) => {
        const t = computeTotals({ ...i, discount: { kind: 'percentage', basisPoints } });
        const exactTimes10000 = BigInt(t.subtotalMinor) * BigInt(basisPoints);
        const diff = BigInt(t.discountMinor) * 10_000n - exactTimes10000;
        assert.ok(diff <= 10_000n && diff >= -10_000n, `${t.discountMinor} vs ${exactTimes10000}/10000`);
      }),
      RUNS,
    );
  });

  test('with tax-inclusive prices, tax does not change a line total or the total', () => {
    fc.assert(
      fc.property(input, (i) => {
        const taxed = computeTotals({ ...i, pricesIncludeTax: true });
        const untaxed = computeTotals({ ...i, pricesIncludeTax: true, taxRates: [] });
        assert.deepEqual(
          taxed.lines.map((l) => l.totalMinor),
          taxed.lines.map((l) => l.subtotalMinor - l.discountMinor),
        );
        assert.deepEqual(
          taxed.lines.map((l) => l.totalMinor),
          untaxed.lines.map((l) => l.totalMinor),
        );
        assert.equal(taxed.totalMinor, untaxed.totalMinor);
        for (const l of taxed.lines) assert.ok(l.taxMinor <= l.totalMinor);
      }),
      RUNS,
    );
  });

  test('refunding every line in random steps returns each line total, and together all but shipping', () => {
    const withSteps = input.chain((i) =>
      fc.tuple(
        fc.constant(i),
        fc.tuple(...i.lines.map((l) => fc.array(fc.integer({ min: 1, max: l.quantity }), { minLength: 1 }))),
      ),
    );
    fc.assert(
      fc.property(withSteps, ([i, stepsPerLine]) => {
        const t = computeTotals(i);
        let refunded = 0;
        t.lines.forEach((l, index) => {
          let done = 0;
          let back = 0;
          for (const step of [...(stepsPerLine[index] ?? []), l.quantity]) {
            const q = Math.min(step, l.quantity - done);
            const refund = refundableFor(l, q, done);
            assert.ok(refund >= 0);
            back += refund;
            done += q;
          }
          assert.equal(done, l.quantity);
          assert.equal(back, l.totalMinor);
          refunded += back;
        });
        assert.equal(refunded, t.totalMinor - (t.shipping?.totalMinor ?? 0));
      }),
      RUNS,
    );
  });
});
