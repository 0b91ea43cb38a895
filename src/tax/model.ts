import type { TaxRule } from '../orders/totals.ts';

/**
 * A tax rate of a shipping zone. `category` null is the zone's standard rate, which applies to
 * every line whose category has no rate of its own, and to shipping; a category names reduced
 * (or zero) rates, written as a product variant's `tax_category` is (`reduced`).
 */
export interface TaxRate {
  id: string;
  zoneId: string;
  category: string | null;
  name: string;
  /** 825 = 8.25 %; 0..10000 */
  rateBasisPoints: number;
}

/** The rates as `computeTotals` takes them. */
export function taxRules(rates: readonly TaxRate[]): TaxRule[] {
  return rates.map((r) => ({ name: r.name, rateBasisPoints: r.rateBasisPoints, category: r.category }));
}
