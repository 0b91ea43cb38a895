/**
 * Money is an integer count of minor units (cents) with an ISO 4217 currency everywhere inside
 * Orderly. The JSON contract shows decimals (`price: 29.99`); these functions convert exactly at
 * that boundary and refuse amounts that have more decimals than the currency allows.
 */
const decimalsCache = new Map<string, number>();

export function currencyDecimals(currency: string): number {
  let decimals = decimalsCache.get(currency);
  if (decimals === undefined) {
    decimals =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2;
    decimalsCache.set(currency, decimals);
  }
  return decimals;
}

/** 29.99 USD → 2999; null when the amount has more precision than the currency (29.999). */
export function toMinor(amount: number, currency: string): number | null {
  if (!Number.isFinite(amount)) return null;
  const factor = 10 ** currencyDecimals(currency);
  const minor = Math.round(amount * factor);
  if (
    !Number.isSafeInteger(minor) ||
    Math.abs(minor / factor - amount) > 1e-9 * Math.max(1, Math.abs(amount))
  ) {
    return null;
  }
  return minor;
}

/** 2999 USD → 29.99 */
export function fromMinor(minor: number, currency: string): number {
  const decimals = currencyDecimals(currency);
  return Number((minor / 10 ** decimals).toFixed(decimals));
}

// building an Intl.NumberFormat costs far more than using one: one per currency, made once
const formatters = new Map<string, Intl.NumberFormat>();

export function formatMoney(minor: number, currency: string): string {
  let formatter = formatters.get(currency);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en', { style: 'currency', currency });
    formatters.set(currency, formatter);
  }
  return formatter.format(fromMinor(minor, currency));
}
