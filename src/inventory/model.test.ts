import assert from 'node:assert/strict';
import { test } from 'node:test';
import { available, consolidate, isLowStock, shortages, type StockLevel } from './model.ts';

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

test('shortages name each product that cannot be covered and how many are left', () => {
  const levels = new Map<string, StockLevel>([
    ['a', { variantId: 'a', productId: 'a', onHand: 10, reserved: 8, lowStockThreshold: 3 }],
    ['b', { variantId: 'b', productId: 'b', onHand: 5, reserved: 0, lowStockThreshold: 3 }],
  ]);
  assert.deepEqual(
    shortages(
      [
        { variantId: 'a', quantity: 3 },
        { variantId: 'b', quantity: 5 },
        { variantId: 'c', quantity: 1 },
      ],
      levels,
    ),
    [
      { variantId: 'a', requested: 3, available: 2 },
      { variantId: 'c', requested: 1, available: 0 },
    ],
  );
});

test('available is on hand minus reserved, low stock at or under the threshold', () => {
  const level = { variantId: 'a', productId: 'a', onHand: 10, reserved: 7, lowStockThreshold: 3 };
  assert.equal(available(level), 3);
  assert.equal(isLowStock(level), true);
  assert.equal(isLowStock({ ...level, reserved: 6 }), false);
});
