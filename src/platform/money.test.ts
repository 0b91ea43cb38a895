import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { currencyDecimals, formatMoney, fromMinor, minorToDecimalString, toMinor } from './money.ts';

/** Intl writes narrow and non-breaking spaces; the assertions compare plain text. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

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
  assert.equal(fromMinor(-5, 'USD'), -0.05);
  assert.equal(fromMinor(1234567, 'KWD'), 1234.567);
});

test('formatting follows the currency and the locale', () => {
  assert.equal(formatMoney(2999, 'USD'), '$29.99');
  assert.equal(formatMoney(5, 'USD'), '$0.05');
  assert.equal(formatMoney(0, 'USD'), '$0.00');
  assert.equal(formatMoney(-250, 'USD'), '-$2.50');
  assert.equal(formatMoney(1005, 'JPY'), '¥1,005');
  assert.equal(plain(formatMoney(1234567, 'KWD')), 'KWD 1,234.567');
  assert.equal(plain(formatMoney(123456, 'EUR', 'de-DE')), '1.234,56 €');
  assert.equal(formatMoney(Number.MAX_SAFE_INTEGER, 'USD'), '$90,071,992,547,409.91');
  assert.equal(formatMoney(2n ** 64n, 'USD'), '$184,467,440,737,095,516.16');
});

test('a number that is not an integer count of minor units is refused, not rounded', () => {
  assert.throws(() => formatMoney(19.99, 'USD'), RangeError);
  assert.throws(() => formatMoney(Number.MAX_SAFE_INTEGER + 1, 'USD'), RangeError);
  assert.throws(() => minorToDecimalString(Number.NaN, 'USD'), RangeError);
});

const currencies = ['USD', 'EUR', 'JPY', 'KRW', 'KWD', 'BHD'] as const;
const amounts = fc.oneof(
  fc.maxSafeInteger().map((n) => BigInt(n)),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }),
);

test('every integer formats to exactly its own digits, the point where the currency puts it', () => {
  fc.assert(
    fc.property(amounts, fc.constantFrom(...currencies), (minor, currency) => {
      const digits = currencyDecimals(currency);
      // en-US: "," groups and "." is the decimal point; keep only the number's own characters
      const shown = formatMoney(minor, currency).replace(/[^\d.-]/g, '');
      const [whole = '', fraction = ''] = shown.split('.');
      assert.equal(fraction.length, digits);
      assert.equal(BigInt(whole + fraction), minor);
      if (Number.isSafeInteger(Number(minor))) {
        assert.equal(formatMoney(Number(minor), currency), formatMoney(minor, currency));
      }
    }),
    { numRuns: 2000 },
  );
});

test('the decimal string and the JSON number agree for every safe integer', () => {
  fc.assert(
    fc.property(fc.maxSafeInteger(), fc.constantFrom(...currencies), (minor, currency) => {
      const decimal = minorToDecimalString(minor, currency);
      assert.equal(fromMinor(minor, currency), Number(decimal));
      const scale = 10n ** BigInt(currencyDecimals(currency));
      const [whole = '', fraction = ''] = decimal.replace('-', '').split('.');
      const magnitude = BigInt(whole) * scale + BigInt(fraction || '0');
      assert.equal(decimal.startsWith('-') ? -magnitude : magnitude, BigInt(minor));
    }),
    { numRuns: 2000 },
  );
});
