import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  findVariant,
  hasOptions,
  initialSelection,
  priceRange,
  valueState,
  variantLabel,
  type Variant,
} from './variants.ts';

const SIZES = ['S', 'M', 'L'];
const COLOURS = ['White', 'Black'];
const OPTIONS = [
  { name: 'Size', values: SIZES },
  { name: 'Colour', values: COLOURS },
];

function variant(size: string, colour: string, over: Partial<Variant> = {}): Variant {
  return {
    id: `${size}-${colour}`,
    sku: `TEE-${size}-${colour}`,
    options: { Size: size, Colour: colour },
    title: `${size} / ${colour}`,
    price: 24,
    available: 5,
    lowStock: false,
    active: true,
    ...over,
  };
}

const everyCombination = () => SIZES.flatMap((s) => COLOURS.map((c) => variant(s, c)));

describe('variant picking', () => {
  test('finds the variant of a full choice, and none for a partial one', () => {
    const tee = { options: OPTIONS, variants: everyCombination() };
    assert.equal(findVariant(tee, { Size: 'M', Colour: 'Black' })?.id, 'M-Black');
    assert.equal(findVariant(tee, { Size: 'M' }), undefined);
  });

  test('a sold-out combination is sold out, a missing or inactive one unavailable', () => {
    const tee = {
      options: OPTIONS,
      variants: [
        variant('S', 'White', { available: 0 }),
        variant('S', 'Black', { active: false }),
        variant('M', 'White'),
      ],
    };
    assert.equal(valueState(tee, { Size: 'S', Colour: 'White' }, 'Colour', 'White'), 'sold_out');
    assert.equal(valueState(tee, { Size: 'S', Colour: 'White' }, 'Colour', 'Black'), 'unavailable');
    assert.equal(valueState(tee, { Size: 'S', Colour: 'White' }, 'Size', 'L'), 'unavailable');
    assert.equal(valueState(tee, { Size: 'S', Colour: 'White' }, 'Size', 'M'), 'available');
    // nothing else picked: a value is available when any variant with it is
    assert.equal(valueState(tee, {}, 'Size', 'S'), 'sold_out');
    assert.equal(valueState(tee, {}, 'Colour', 'White'), 'available');
  });

  test('opens with the variant in the address, else the first in stock', () => {
    const variants = everyCombination().map((v) => (v.id === 'S-White' ? { ...v, available: 0 } : v));
    const tee = { options: OPTIONS, variants };
    assert.deepEqual(initialSelection(tee, 'L-Black'), { Size: 'L', Colour: 'Black' });
    assert.deepEqual(initialSelection(tee, 'no-such-id'), { Size: 'S', Colour: 'Black' });
    assert.deepEqual(initialSelection(tee, null), { Size: 'S', Colour: 'Black' });
    // a product without options picks nothing: its one variant is implied
    assert.deepEqual(initialSelection({ options: [], variants: [variant('S', 'White')] }, null), {});
    assert.equal(hasOptions({ options: [] }), false);
  });

  test('the price range covers the variants on sale only', () => {
    const variants = [
      variant('S', 'White', { price: 24 }),
      variant('L', 'White', { price: 26 }),
      variant('M', 'White', { price: 99, active: false }),
    ];
    assert.deepEqual(priceRange({ price: 24, variants }), { min: 24, max: 26 });
    assert.deepEqual(priceRange({ price: 10, variants: [] }), { min: 10, max: 10 });
  });

  test('a line names its variant and SKU', () => {
    assert.equal(variantLabel({ variantTitle: 'M / Black', sku: 'TEE-M-BLA' }), 'M / Black · SKU TEE-M-BLA');
    assert.equal(variantLabel({ variantTitle: '', sku: 'MUG-1' }), 'SKU MUG-1');
    assert.equal(variantLabel({}), '');
  });

  test('property: the chosen variant’s own values say what the variant is', () => {
    const arbVariant = fc.record({
      available: fc.integer({ min: 0, max: 3 }),
      active: fc.boolean(),
      present: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(arbVariant, { minLength: 6, maxLength: 6 }), (flags) => {
        const variants = everyCombination()
          .map((v, i) => ({ v, f: flags[i] ?? { available: 0, active: false, present: false } }))
          .filter(({ f }) => f.present)
          .map(({ v, f }) => ({ ...v, available: f.available, active: f.active }));
        const tee = { options: OPTIONS, variants };
        for (const size of SIZES) {
          for (const colour of COLOURS) {
            const selection = { Size: size, Colour: colour };
            const v = findVariant(tee, selection);
            const expected = !v || !v.active ? 'unavailable' : v.available > 0 ? 'available' : 'sold_out';
            assert.equal(valueState(tee, selection, 'Size', size), expected);
            assert.equal(valueState(tee, selection, 'Colour', colour), expected);
          }
        }
        // whatever opens the page is a variant on sale, in stock when one is
        const opened = findVariant(tee, initialSelection(tee, null));
        if (variants.some((x) => x.active)) assert.ok(opened?.active);
        if (variants.some((x) => x.active && x.available > 0)) assert.ok((opened?.available ?? 0) > 0);
      }),
      { seed: 14, numRuns: 300 },
    );
  });
});
