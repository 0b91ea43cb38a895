import type { TaxService } from './service.ts';

/** Sales tax in the US zone; VAT in Europe, standard and reduced (docs/pricing.md, "Demo data"). */
export const DEMO_RATES: Array<{
  zone: string;
  category: string | null;
  name: string;
  rateBasisPoints: number;
}> = [
  { zone: 'United States', category: null, name: 'Sales tax', rateBasisPoints: 825 },
  { zone: 'Europe', category: null, name: 'VAT', rateBasisPoints: 2000 },
  { zone: 'Europe', category: 'reduced', name: 'VAT', rateBasisPoints: 700 },
];

/**
 * Adds each demo rate whose zone exists and has no rate for that category yet; returns how many
 * it added. The zones come from the shipping context (`zoneIds`: name → id).
 */
export async function seedDemoTax(tax: TaxService, zoneIds: ReadonlyMap<string, string>): Promise<number> {
  const existing = new Set((await tax.list()).map((r) => `${r.zoneId}|${r.category ?? ''}`));
  let added = 0;
  for (const demo of DEMO_RATES) {
    const zoneId = zoneIds.get(demo.zone);
    if (!zoneId || existing.has(`${zoneId}|${demo.category ?? ''}`)) continue;
    await tax.create(
      { zoneId, category: demo.category, name: demo.name, rateBasisPoints: demo.rateBasisPoints },
      null,
    );
    added++;
  }
  return added;
}
