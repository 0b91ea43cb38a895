import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { slope } from '../bench/issue16.ts';

// The bench's memory verdict: "flat" is a slope near 0 MB per 10k orders after warm-up.
test('the slope of points on a line is that line’s slope, whatever the offset', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: -50, max: 50 }),
      fc.integer({ min: 0, max: 500 }),
      fc.integer({ min: 3, max: 40 }),
      (perStep, offset, n) => {
        const points = Array.from({ length: n }, (_, i) => ({ x: i, y: offset + perStep * i }));
        assert.ok(Math.abs(slope(points) - perStep) < 1e-9);
      },
    ),
  );
});

test('a constant series has slope 0, and so do fewer than two points or one x only', () => {
  assert.equal(slope(Array.from({ length: 10 }, (_, x) => ({ x, y: 312.5 }))), 0);
  assert.equal(slope([{ x: 1, y: 5 }]), 0);
  assert.equal(slope([]), 0);
  assert.equal(
    slope([
      { x: 2, y: 1 },
      { x: 2, y: 9 },
    ]),
    0,
  );
});
