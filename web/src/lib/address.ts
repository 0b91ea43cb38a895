/**
 * The countries the storefront offers, and which of them write a state, province or prefecture
 * on an address. The server refuses an address without one in exactly these countries
 * (`addressProblems` in src/orders/model.ts); test/address-rules.test.ts holds the two together.
 */
export const COUNTRIES: readonly { code: string; name: string; state?: string }[] = [
  { code: 'US', name: 'United States', state: 'State' },
  { code: 'CA', name: 'Canada', state: 'Province' },
  { code: 'AU', name: 'Australia', state: 'State or territory' },
  { code: 'GB', name: 'United Kingdom' },
  { code: 'DE', name: 'Germany' },
  { code: 'FR', name: 'France' },
  { code: 'NL', name: 'Netherlands' },
  { code: 'ES', name: 'Spain' },
  { code: 'IT', name: 'Italy' },
  { code: 'JP', name: 'Japan', state: 'Prefecture' },
];

/** What the state field is called in this country, or null where addresses have none. */
export function stateLabel(country: string): string | null {
  return COUNTRIES.find((c) => c.code === country)?.state ?? null;
}
