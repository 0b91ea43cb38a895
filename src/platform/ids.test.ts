import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { uuidPrefixRange, uuidv7 } from './ids.ts';

test('an id is in the range of each of its prefixes, and of no prefix it does not start with', () => {
  fc.assert(
    fc.property(fc.uuid(), fc.uuid(), fc.integer({ min: 1, max: 36 }), (id, other, length) => {
      const range = uuidPrefixRange(id.slice(0, length).toUpperCase());
      assert.ok(range);
      const [low, high] = range;
      assert.ok(low <= id && id <= high);
      const inRange = low <= other && other <= high;
      assert.equal(inRange, other.startsWith(id.slice(0, length)));
    }),
  );
});

test('a prefix no UUID can start with has no range', () => {
  assert.equal(uuidPrefixRange(''), null);
  assert.equal(uuidPrefixRange('0193-'), null);
  assert.equal(uuidPrefixRange('0193g'), null);
  assert.equal(uuidPrefixRange(`${uuidv7()}0`), null);
  assert.deepEqual(uuidPrefixRange('0193abcd-'), [
    '0193abcd-0000-0000-0000-000000000000',
    '0193abcd-ffff-ffff-ffff-ffffffffffff',
  ]);
});
