import { currencyDecimals } from '../platform/money.ts';
import type { ShippingRate } from './model.ts';
import type { ShippingService } from './service.ts';

/** Amounts below are in whole units of the shop's currency. */
type DemoRate =
  | { kind: 'flat'; price: number }
  | { kind: 'free_above'; price: number; freeAbove: number }
  | { kind: 'weight_bands'; bands: Array<[upToGrams: number, price: number]> };

/**
 * Two zones: the United States with a standard rate that is free from 50 and an express rate by
 * weight, and five EU countries with one international flat rate (docs/pricing.md, "Demo data").
 */
export const DEMO_ZONES: Array<{
  name: string;
  countries: string[];
  methods: Array<{ name: string; rate: DemoRate }>;
}> = [
  {
    name: 'United States',
    countries: ['US'],
    methods: [
      { name: 'Standard', rate: { kind: 'free_above', price: 5, freeAbove: 50 } },
      {
        name: 'Express',
        rate: {
          kind: 'weight_bands',
          bands: [
            [1000, 12],
            [5000, 20],
            [20000, 35],
          ],
        },
      },
    ],
  },
  {
    name: 'Europe',
    countries: ['DE', 'FR', 'NL', 'ES', 'IT'],
    methods: [{ name: 'International', rate: { kind: 'flat', price: 15 } }],
  },
];

function minor(rate: DemoRate, currency: string): ShippingRate {
  const factor = 10 ** currencyDecimals(currency);
  switch (rate.kind) {
    case 'flat':
      return { kind: 'flat', priceMinor: rate.price * factor };
    case 'free_above':
      return { kind: 'free_above', priceMinor: rate.price * factor, freeAboveMinor: rate.freeAbove * factor };
    case 'weight_bands':
      return {
        kind: 'weight_bands',
        bands: rate.bands.map(([upToGrams, price]) => ({ upToGrams, priceMinor: price * factor })),
      };
  }
}

/** Adds the demo zones the shop does not have yet (by name); returns how many it added. */
export async function seedDemoShipping(shipping: ShippingService, currency: string): Promise<number> {
  const existing = new Set((await shipping.listZones()).map((z) => z.name));
  let added = 0;
  for (const demo of DEMO_ZONES) {
    if (existing.has(demo.name)) continue;
    const zone = await shipping.createZone(
      { name: demo.name, areas: demo.countries.map((country) => ({ country, region: null })) },
      null,
    );
    for (const [position, method] of demo.methods.entries()) {
      await shipping.createMethod(
        zone.id,
        { name: method.name, rate: minor(method.rate, currency), position },
        null,
      );
    }
    added++;
  }
  return added;
}
