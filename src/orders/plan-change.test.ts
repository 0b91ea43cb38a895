import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planChange, type CatalogEntry, type PricedLine } from './model.ts';

const MUG = 'mug';
const TEA = 'tea';
const catalog = (entries: Array<{ id: string; priceMinor?: number; active?: boolean }>) =>
  new Map<string, CatalogEntry>(
    entries.map((e) => [
      e.id,
      {
        id: e.id,
        productId: e.id,
        name: e.id,
        title: '',
        sku: e.id,
        priceMinor: e.priceMinor ?? 100,
        currency: 'USD',
        active: e.active ?? true,
        taxCategory: null,
      },
    ]),
  );
const line = (variantId: string, unitPrice: number, quantity: number): PricedLine => ({
  variantId,
  productId: variantId,
  name: variantId,
  variantTitle: '',
  sku: variantId,
  unitPrice,
  quantity,
  taxCategory: null,
});

describe('planChange', () => {
  it('adds units at today’s price on a line of their own, and keeps the units bought before', () => {
    const result = planChange(
      [line(MUG, 1000, 2)],
      [{ variantId: MUG, quantity: 3 }],
      catalog([{ id: MUG, priceMinor: 1250 }]),
      'USD',
    );
    assert.ok(result.ok);
    assert.deepEqual(result.plan.lines, [line(MUG, 1000, 2), line(MUG, 1250, 1)]);
    assert.equal(result.plan.total, 3250);
    assert.deepEqual(result.plan.changes, [{ variantId: MUG, productId: MUG, name: MUG, from: 2, to: 3 }]);
  });

  it('adds to the same line while the price has not moved', () => {
    const result = planChange(
      [line(MUG, 1000, 2)],
      [{ variantId: MUG, quantity: 5 }],
      catalog([{ id: MUG, priceMinor: 1000 }]),
      'USD',
    );
    assert.ok(result.ok);
    assert.deepEqual(result.plan.lines, [line(MUG, 1000, 5)]);
  });

  it('takes the dearest units away first', () => {
    const result = planChange(
      [line(MUG, 1000, 2), line(MUG, 1250, 2)],
      [{ variantId: MUG, quantity: 1 }],
      new Map(),
      'USD',
    );
    assert.ok(result.ok);
    assert.deepEqual(result.plan.lines, [line(MUG, 1000, 1)]);
    assert.equal(result.plan.total, 1000);
  });

  it('refuses to grow a withdrawn product and never asks about products that do not grow', () => {
    const withdrawn = planChange(
      [line(MUG, 1000, 1)],
      [{ variantId: MUG, quantity: 2 }],
      catalog([{ id: MUG, active: false }]),
      'USD',
    );
    assert.deepEqual(withdrawn, { ok: false, problem: { kind: 'unavailable_variants', variantIds: [MUG] } });
    const same = planChange(
      [line(MUG, 1000, 2), line(TEA, 300, 1)],
      [{ variantId: MUG, quantity: 2 }],
      catalog([{ id: MUG, active: false }]),
      'USD',
    );
    assert.ok(same.ok, 'a withdrawn product kept as it is, another line removed');
    assert.deepEqual(same.plan.lines, [line(MUG, 1000, 2)]);
    assert.deepEqual(same.plan.changes, [{ variantId: TEA, productId: TEA, name: TEA, from: 1, to: 0 }]);
  });

  it('prices a new product and refuses one that does not exist', () => {
    const added = planChange(
      [line(MUG, 1000, 1)],
      [
        { variantId: MUG, quantity: 1 },
        { variantId: TEA, quantity: 2 },
      ],
      catalog([{ id: TEA, priceMinor: 300 }]),
      'USD',
    );
    assert.ok(added.ok);
    assert.deepEqual(added.plan.lines, [line(MUG, 1000, 1), line(TEA, 300, 2)]);
    const unknown = planChange([line(MUG, 1000, 1)], [{ variantId: TEA, quantity: 1 }], new Map(), 'USD');
    assert.deepEqual(unknown, { ok: false, problem: { kind: 'unknown_variants', variantIds: [TEA] } });
  });
});
