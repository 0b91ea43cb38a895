import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  available,
  chooseLocations,
  consolidate,
  isLowStock,
  type Allocation,
  type AllocationRule,
  type LocationStock,
} from './model.ts';

test('quantities of one product are added together and lines sorted by product id', () => {
  assert.deepEqual(
    consolidate([
      { variantId: 'b', quantity: 1 },
      { variantId: 'a', quantity: 2 },
      { variantId: 'b', quantity: 3 },
    ]),
    [
      { variantId: 'a', quantity: 2 },
      { variantId: 'b', quantity: 4 },
    ],
  );
});

test('available is on hand minus reserved, low stock at or under the threshold', () => {
  const level = { variantId: 'a', productId: 'a', onHand: 10, reserved: 7, lowStockThreshold: 3 };
  assert.equal(available(level), 3);
  assert.equal(isLowStock(level), true);
  assert.equal(isLowStock({ ...level, reserved: 6 }), false);
});

const at = (locationId: string, priority: number, available: Record<string, number>): LocationStock => ({
  locationId,
  priority,
  available: new Map(Object.entries(available)),
});

test('priority: each variant from the first location by priority that has all of it, never split', () => {
  const locations = [at('east', 2, { a: 5, b: 9 }), at('main', 1, { a: 2, b: 9 })];
  assert.deepEqual(
    chooseLocations(
      [
        { variantId: 'a', quantity: 3 },
        { variantId: 'b', quantity: 4 },
      ],
      locations,
      'priority',
    ),
    {
      ok: true,
      allocations: [
        { variantId: 'a', locationId: 'east', quantity: 3 },
        { variantId: 'b', locationId: 'main', quantity: 4 },
      ],
    },
  );
});

test('whole_order: the first location with every line, else each variant by priority', () => {
  const locations = [at('main', 1, { a: 2, b: 9 }), at('east', 2, { a: 5, b: 9 })];
  const requests = [
    { variantId: 'a', quantity: 3 },
    { variantId: 'b', quantity: 4 },
  ];
  assert.deepEqual(chooseLocations(requests, locations, 'whole_order'), {
    ok: true,
    allocations: [
      { variantId: 'a', locationId: 'east', quantity: 3 },
      { variantId: 'b', locationId: 'east', quantity: 4 },
    ],
  });
  const noneWhole = [at('main', 1, { a: 0, b: 9 }), at('east', 2, { a: 5, b: 1 })];
  assert.deepEqual(chooseLocations(requests, noneWhole, 'whole_order'), {
    ok: true,
    allocations: [
      { variantId: 'a', locationId: 'east', quantity: 3 },
      { variantId: 'b', locationId: 'main', quantity: 4 },
    ],
  });
});

test('a shortage sums what the locations have, or names the most one has when only a split would cover it', () => {
  const locations = [at('main', 1, { a: 1, b: 3 }), at('east', 2, { a: 1, b: 3 })];
  assert.deepEqual(
    chooseLocations(
      [
        { variantId: 'a', quantity: 3 },
        { variantId: 'b', quantity: 4 },
        { variantId: 'c', quantity: 1 },
      ],
      locations,
      'priority',
    ),
    {
      ok: false,
      shortages: [
        { variantId: 'a', requested: 3, available: 2 },
        { variantId: 'b', requested: 4, available: 3 },
        { variantId: 'c', requested: 1, available: 0 },
      ],
    },
  );
});

const arbitraryCase = fc
  .record({
    requests: fc.uniqueArray(
      fc.record({ variantId: fc.constantFrom('a', 'b', 'c', 'd'), quantity: fc.integer({ min: 1, max: 8 }) }),
      { minLength: 1, selector: (r) => r.variantId },
    ),
    locations: fc.uniqueArray(
      fc.record({
        locationId: fc.constantFrom('l1', 'l2', 'l3', 'l4'),
        priority: fc.integer({ min: 1, max: 100 }),
        stock: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), fc.integer({ min: 0, max: 10 })),
      }),
      { minLength: 1, maxLength: 4, selector: (l) => l.locationId },
    ),
    rule: fc.constantFrom<AllocationRule>('priority', 'whole_order'),
  })
  .map(({ requests, locations, rule }) => ({
    requests,
    rule,
    locations: locations.map((l, i) => at(l.locationId, l.priority * 10 + i, l.stock)),
  }));

test('property: never more than a location has, each variant whole at one location, refused only when no location can', () => {
  fc.assert(
    fc.property(arbitraryCase, ({ requests, locations, rule }) => {
      const choice = chooseLocations(requests, locations, rule);
      const coverable = (variantId: string, quantity: number) =>
        locations.some((l) => (l.available.get(variantId) ?? 0) >= quantity);
      if (!choice.ok) {
        assert.ok(choice.shortages.length > 0);
        for (const s of choice.shortages) assert.equal(coverable(s.variantId, s.requested), false);
        return;
      }
      assert.ok(requests.every((r) => coverable(r.variantId, r.quantity)));
      assert.equal(choice.allocations.length, requests.length);
      for (const r of requests) {
        const taken: Allocation[] = choice.allocations.filter((a) => a.variantId === r.variantId);
        assert.equal(taken.length, 1);
        assert.equal(taken[0]?.quantity, r.quantity);
      }
      for (const l of locations) {
        for (const a of choice.allocations.filter((x) => x.locationId === l.locationId))
          assert.ok(a.quantity <= (l.available.get(a.variantId) ?? 0));
      }
    }),
  );
});

test('property: whole_order takes everything from one location whenever one can cover the order', () => {
  fc.assert(
    fc.property(arbitraryCase, ({ requests, locations }) => {
      const whole = locations.filter((l) =>
        requests.every((r) => (l.available.get(r.variantId) ?? 0) >= r.quantity),
      );
      fc.pre(whole.length > 0);
      const choice = chooseLocations(requests, locations, 'whole_order');
      assert.ok(choice.ok);
      const first = whole.sort((a, b) => a.priority - b.priority)[0];
      assert.deepEqual(new Set(choice.allocations.map((a) => a.locationId)), new Set([first?.locationId]));
    }),
  );
});
