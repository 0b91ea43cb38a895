import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  areasText,
  instantInput,
  overlapSentence,
  percentText,
  readAmount,
  readAreas,
  readInstant,
  readLimit,
  readPercent,
} from './pricing-forms.ts';

describe('readAreas', () => {
  test('countries and country-regions, in any case, separated by commas or lines', () => {
    assert.deepEqual(readAreas('ca, us-ny\nMX'), {
      ok: true,
      value: [
        { country: 'CA', region: null },
        { country: 'US', region: 'NY' },
        { country: 'MX', region: null },
      ],
    });
  });

  test('an empty list or a word that is not a country code is refused with a sentence', () => {
    const empty = readAreas(' , ');
    assert.ok(!empty.ok && /at least one country/.test(empty.problem));
    const word = readAreas('CA, Canada');
    assert.ok(!word.ok && word.problem.includes('“Canada”'));
  });

  test('what areasText writes reads back as the same areas', () => {
    const area = fc
      .record({
        country: fc.stringMatching(/^[A-Z]{2}$/),
        region: fc.option(fc.stringMatching(/^[A-Z0-9]{1,5}$/), { nil: null }),
      })
      .map((a) => ({ country: a.country, region: a.region }));
    fc.assert(
      fc.property(fc.array(area, { minLength: 1, maxLength: 8 }), (areas) => {
        assert.deepEqual(readAreas(areasText(areas)), { ok: true, value: areas });
      }),
    );
  });
});

describe('readPercent', () => {
  test('percent with up to two decimals becomes basis points', () => {
    assert.deepEqual(readPercent('5', { allowZero: false }), { ok: true, value: 500 });
    assert.deepEqual(readPercent('8.25 %', { allowZero: false }), { ok: true, value: 825 });
    assert.deepEqual(readPercent('0', { allowZero: true }), { ok: true, value: 0 });
  });

  test('too many decimals, above 100, or zero where a discount needs more, are refused', () => {
    for (const [text, allowZero] of [
      ['8.255', true],
      ['101', true],
      ['0', false],
      ['', true],
      ['-5', true],
    ] as const) {
      assert.equal(readPercent(text, { allowZero }).ok, false, text);
    }
  });

  test('every basis-point value written as percentText reads back as itself', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (points) => {
        const text = percentText(points, 'en-US').replace(/,/g, '');
        assert.deepEqual(readPercent(text, { allowZero: true }), { ok: true, value: points });
      }),
    );
  });
});

describe('readAmount, readLimit, readInstant', () => {
  test('an amount becomes the decimal the API takes; zero only where allowed', () => {
    assert.deepEqual(readAmount('1,234.50', 'USD', 'en-US'), { ok: true, value: 1234.5 });
    assert.deepEqual(readAmount('0.00', 'USD', 'en-US', { allowZero: true }), { ok: true, value: 0 });
    assert.equal(readAmount('0', 'USD', 'en-US').ok, false);
    assert.equal(readAmount('12,3', 'USD', 'en-US').ok, false);
  });

  test('a limit is a whole number of at least 1, or empty for none', () => {
    assert.deepEqual(readLimit(''), { ok: true, value: null });
    assert.deepEqual(readLimit('5'), { ok: true, value: 5 });
    for (const text of ['0', '2.5', 'five', '-1']) assert.equal(readLimit(text).ok, false, text);
  });

  test('a local date and time round-trips through the instant the API takes', () => {
    const read = readInstant('2027-03-01T09:30');
    assert.ok(read.ok && read.value !== null);
    assert.equal(instantInput(read.value), '2027-03-01T09:30');
    assert.deepEqual(readInstant(''), { ok: true, value: null });
  });
});

describe('overlapSentence', () => {
  test('names each area and the zone that has it', () => {
    const error = {
      code: 'zone_overlap',
      message: 'An area is already in another shipping zone.',
      details: { areas: [{ country: 'US', region: 'NY', zoneName: 'United States' }] },
    };
    assert.equal(
      overlapSentence(error),
      'An area is already in another shipping zone. US-NY is already in the zone “United States”.',
    );
  });

  test('is null for any other error', () => {
    const error = { code: 'zone_name_taken', message: 'Taken.', details: {} };
    assert.equal(overlapSentence(error), null);
  });
});
