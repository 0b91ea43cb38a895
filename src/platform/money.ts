/**
 * Money is an integer count of minor units (cents) with an ISO 4217 currency everywhere inside
 * Orderly. The JSON contract shows decimals (`price: 29.99`); these functions convert exactly at
 * that boundary and refuse amounts that have more decimals than the currency allows. Formatting
 * for people works on the integer's digits, never on a float, so no amount picks up rounding.
 */
const decimalsCache = new Map<string, number>();

/** Minor digits of a currency: 2 for USD, 0 for JPY, 3 for KWD. */
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

/**
 * 2999 USD → "29.99", -5 USD → "-0.05", 1005 JPY → "1005": the exact decimal, by moving the
 * point in the integer's digits. Throws a RangeError for a number that is not a safe integer.
 */
export function minorToDecimalString(minor: number | bigint, currency: string): string {
  if (typeof minor === 'number' && !Number.isSafeInteger(minor)) {
    throw new RangeError(`Money must be integer minor units, got ${minor}.`);
  }
  const digits = currencyDecimals(currency);
  const text = String(minor);
  const sign = text.startsWith('-') ? '-' : '';
  const abs = (sign ? text.slice(1) : text).padStart(digits + 1, '0');
  return digits === 0 ? `${sign}${abs}` : `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
}

/** 2999 USD → 29.99: the JSON number nearest to the exact decimal. */
export function fromMinor(minor: number, currency: string): number {
  return Number(minorToDecimalString(minor, currency));
}

const DEFAULT_LOCALE = 'en-US';
// building an Intl.NumberFormat costs far more than using one: one per locale and currency, made once
const formatters = new Map<string, Intl.NumberFormat>();

/**
 * The one way an amount is written for a person (timelines, emails): `$1,234.56`, `¥1,005`,
 * `1.234,56 €` in German. Intl gets the exact decimal as a string, which it formats without
 * converting to a float.
 */
export function formatMoney(
  minor: number | bigint,
  currency: string,
  locale: string = DEFAULT_LOCALE,
): string {
  const decimal = minorToDecimalString(minor, currency);
  const key = `${locale}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatters.set(key, formatter);
  }
  if (!isDecimal(decimal)) throw new RangeError(`Not a decimal amount: ${decimal}.`);
  return formatter.format(decimal);
}

/** A decimal string is one of the inputs Intl formats exactly (a StringNumericLiteral). */
function isDecimal(text: string): text is `${number}` {
  return /^-?\d+(\.\d+)?$/.test(text);
}
