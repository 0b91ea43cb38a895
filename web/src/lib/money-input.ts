/**
 * Reads an amount a person typed (a refund, say) into minor units of the currency, by the rules
 * of one locale: its decimal separator, its thousands separator and where that one may stand
 * (en-IN groups by two after the first three). Whatever does not read one way only is refused
 * with a sentence: `22,00` in en-US is not "twenty-two", and `12.345` is not "twelve thousand"
 * when dollars have two decimals. Pure: Intl only, no DOM.
 */

export type MoneyInput = { ok: true; minor: number } | { ok: false; problem: string };

interface Separators {
  group: string;
  decimal: string;
}

function separators(locale: string): Separators {
  const parts = new Intl.NumberFormat(locale).formatToParts(1234567.5);
  return {
    group: parts.find((p) => p.type === 'group')?.value ?? ',',
    decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
  };
}

/** How many decimals the currency has (2 for USD, 0 for JPY, 3 for BHD). */
export function minorDigits(currency: string, locale: string): number {
  return (
    new Intl.NumberFormat(locale, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
    2
  );
}

/** The currency's symbol as the locale writes it ("$"), which a pasted amount may carry. */
function currencySymbol(currency: string, locale: string): string {
  const parts = new Intl.NumberFormat(locale, { style: 'currency', currency }).formatToParts(1);
  return parts.find((p) => p.type === 'currency')?.value ?? currency;
}

const SPACES = /[\s\u00a0\u202f]/g;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function named(separator: string): string {
  return separator.replace(SPACES, '') === '' ? 'a space' : `“${separator}”`;
}

/**
 * `text` as an amount of `currency` in minor units, read with `locale`'s separators; or the
 * sentence that says why it cannot be read.
 */
export function parseMoneyInput(text: string, currency: string, locale = 'en-US'): MoneyInput {
  const { group, decimal } = separators(locale);
  const digits = minorDigits(currency, locale);
  const example = new Intl.NumberFormat(locale, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(digits > 0 ? 1234.56 : 1234);
  const spaceGroup = group.replace(SPACES, '') === '';

  let rest = text.trim();
  for (const mark of [currencySymbol(currency, locale), currency]) {
    const pattern = new RegExp(`^${escape(mark)}|${escape(mark)}$`, 'i');
    rest = rest.replace(pattern, '').trim();
  }
  if (rest === '') return { ok: false, problem: 'Enter an amount.' };
  if (/^[-\u2212]/.test(rest) || /[-\u2212]$/.test(rest)) {
    return { ok: false, problem: 'Enter an amount greater than zero.' };
  }
  // a space-grouping locale's separator is hard to type: any space stands for it
  const normalized = spaceGroup ? rest.replace(SPACES, group) : rest;
  const grammar = new RegExp(`^([0-9${escape(group)}]*)(?:${escape(decimal)}([0-9]*))?$`);
  const match = grammar.exec(normalized);
  const unclear = {
    ok: false as const,
    problem: `“${text.trim()}” does not read as one amount here: write it like ${example} (${named(group)} between thousands${digits > 0 ? `, ${named(decimal)} before the decimals` : ''}).`,
  };
  if (!match) {
    return /[0-9]/.test(normalized)
      ? unclear
      : { ok: false, problem: `Enter the amount in figures, like ${example}.` };
  }
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  const wholeDigits = whole.split(group).join('');
  if (wholeDigits === '' && fraction === '') return unclear;
  if (whole.includes(group)) {
    // thousands separators only where the locale itself puts them
    const regrouped = new Intl.NumberFormat(locale, { useGrouping: true, maximumFractionDigits: 0 }).format(
      BigInt(wholeDigits),
    );
    if (regrouped.replace(SPACES, group) !== whole) return unclear;
  }
  if (fraction.length > digits) {
    return {
      ok: false,
      problem:
        digits === 0
          ? `An amount in ${currency} has no decimals: “${text.trim()}” cannot be read exactly.`
          : `An amount in ${currency} has at most ${digits} decimals: “${text.trim()}” cannot be read exactly.`,
    };
  }
  const minor = BigInt(`${wholeDigits || '0'}${fraction.padEnd(digits, '0')}`);
  if (minor === 0n) return { ok: false, problem: 'Enter an amount greater than zero.' };
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, problem: 'That amount is too large.' };
  return { ok: true, minor: Number(minor) };
}
