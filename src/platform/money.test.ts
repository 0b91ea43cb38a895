import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMoney, fromMinor, toMinor } from './money.ts';

test('decimal prices convert to minor units exactly', () => {
  assert.equal(toMinor(29.99, 'USD'), 2999);
  assert.equal(toMinor(0.1 + 0.2, 'USD'), 30);
  assert.equal(toMinor(1005, 'JPY'), 1005);
  assert.equal(toMinor(0, 'EUR'), 0);
  assert.equal(toMinor(19.999, 'USD'), null);
  assert.equal(toMinor(10.5, 'JPY'), null);
  assert.equal(toMinor(Number.NaN, 'USD'), null);
  assert.equal(toMinor(1e20, 'USD'), null);
});

test('minor units convert back to the contract decimal', () => {
  assert.equal(fromMinor(2999, 'USD'), 29.99);
  assert.equal(fromMinor(5998, 'USD'), 59.98);
  assert.equal(fromMinor(1005, 'JPY'), 1005);
  assert.equal(fromMinor(1, 'USD'), 0.01);
});

test('formatting follows the currency', () => {
  assert.equal(formatMoney(2999, 'USD'), '$29.99');
  assert.equal(formatMoney(1005, 'JPY'), '¥1,005');
});
