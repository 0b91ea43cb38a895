import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bandsProblem, duplicateAreas, rateFor, zoneFor, type ShippingRate, type Zone } from './model.ts';

const zones: Zone[] = [
  { id: 'us', name: 'United States', areas: [{ country: 'US', region: null }] },
  {
    id: 'west',
    name: 'West Coast',
    areas: [
      { country: 'US', region: 'CA' },
      { country: 'US', region: 'OR' },
    ],
  },
  { id: 'eu', name: 'Europe', areas: ['DE', 'FR'].map((country) => ({ country, region: null })) },
];

describe('zoneFor', () => {
  test('a zone naming the region beats the country-wide one, whichever comes first', () => {
    assert.equal(zoneFor(zones, { country: 'US', region: 'CA' })?.id, 'west');
    assert.equal(zoneFor([...zones].reverse(), { country: 'US', region: 'CA' })?.id, 'west');
    assert.equal(zoneFor(zones, { country: 'US', region: 'NY' })?.id, 'us');
    assert.equal(zoneFor(zones, { country: 'US' })?.id, 'us');
  });

  test('regions and countries compare trimmed and upper-cased', () => {
    assert.equal(zoneFor(zones, { country: 'us', region: ' ca ' })?.id, 'west');
    assert.equal(zoneFor(zones, { country: 'fr', region: '' })?.id, 'eu');
  });

  test('an address outside every zone has none; a region alone does not make its country covered', () => {
    assert.equal(zoneFor(zones, { country: 'JP' }), null);
    const regionOnly = zones.filter((z) => z.id === 'west');
    assert.equal(zoneFor(regionOnly, { country: 'US', region: 'NY' }), null);
    assert.equal(zoneFor(regionOnly, { country: 'US' }), null);
  });
});

describe('rateFor', () => {
  const basket = { subtotalMinor: 4999, weightGrams: 1200 };

  test('flat is the price whatever the basket', () => {
    assert.equal(rateFor({ rate: { kind: 'flat', priceMinor: 500 } }, basket), 500);
  });

  test('free_above is free from the threshold up, the price below it', () => {
    const rate = { kind: 'free_above', priceMinor: 500, freeAboveMinor: 5000 } as const;
    assert.equal(rateFor({ rate }, basket), 500);
    assert.equal(rateFor({ rate }, { ...basket, subtotalMinor: 5000 }), 0);
    assert.equal(rateFor({ rate }, { ...basket, subtotalMinor: 12000 }), 0);
  });

  test('weight_bands: the lightest band holding the weight (bounds inclusive), null when none does', () => {
    const rate: ShippingRate = {
      kind: 'weight_bands',
      bands: [
        { upToGrams: 5000, priceMinor: 2500 },
        { upToGrams: 1000, priceMinor: 1200 },
        { upToGrams: 2000, priceMinor: 1800 },
      ],
    };
    assert.equal(rateFor({ rate }, { ...basket, weightGrams: 0 }), 1200);
    assert.equal(rateFor({ rate }, { ...basket, weightGrams: 1000 }), 1200);
    assert.equal(rateFor({ rate }, { ...basket, weightGrams: 1001 }), 1800);
    assert.equal(rateFor({ rate }, { ...basket, weightGrams: 5000 }), 2500);
    assert.equal(rateFor({ rate }, { ...basket, weightGrams: 5001 }), null);
  });
});

test('bandsProblem and duplicateAreas name what the database would refuse', () => {
  assert.equal(bandsProblem([{ upToGrams: 1, priceMinor: 0 }]), null);
  assert.match(bandsProblem([]) ?? '', /at least one/);
  assert.match(
    bandsProblem([
      { upToGrams: 1, priceMinor: 0 },
      { upToGrams: 1, priceMinor: 5 },
    ]) ?? '',
    /same upToGrams/,
  );
  assert.deepEqual(
    duplicateAreas([
      { country: 'US', region: null },
      { country: 'US', region: 'CA' },
      { country: 'US', region: null },
    ]),
    [{ country: 'US', region: null }],
  );
});
