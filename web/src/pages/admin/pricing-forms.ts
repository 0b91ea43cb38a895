/**
 * Reading the admin's pricing forms (zones' areas, tax percentages, amounts, limits, dates) into
 * what the API takes, each with the sentence that says why a value cannot be read. Pure: no DOM,
 * no API module (the node test runner loads it), so the shop's locale is passed in.
 */
import { minorDigits, parseMoneyInput } from '../../lib/money-input.ts';

export type Read<T> = { ok: true; value: T } | { ok: false; problem: string };

export interface Area {
  country: string;
  region: string | null;
}

/** "CA, US-NY" → Canada, and New York within the US; one area per comma or line. */
export function readAreas(text: string): Read<Area[]> {
  const parts = text
    .split(/[,\n]/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return { ok: false, problem: 'Enter at least one country code, like CA.' };
  const areas: Area[] = [];
  for (const part of parts) {
    const match = /^([A-Za-z]{2})(?:\s*-\s*(.+))?$/.exec(part);
    if (!match) {
      return {
        ok: false,
        problem: `“${part}” is not a country code (CA) or a country and region (US-NY).`,
      };
    }
    areas.push({ country: (match[1] ?? '').toUpperCase(), region: match[2]?.trim().toUpperCase() ?? null });
  }
  return { ok: true, value: areas };
}

/** The areas as the form writes them, so an edit starts from what is saved. */
export function areasText(areas: readonly Area[]): string {
  return areas.map((a) => (a.region ? `${a.country}-${a.region}` : a.country)).join(', ');
}

/** "8.25" (percent) → 825 basis points; at most two decimals, 0 to 100. */
export function readPercent(text: string, { allowZero }: { allowZero: boolean }): Read<number> {
  const trimmed = text.trim().replace(/\s*%$/, '');
  if (trimmed === '') return { ok: false, problem: 'Enter a rate in percent, like 5 or 8.25.' };
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(trimmed)) {
    return { ok: false, problem: `“${text.trim()}” is not a percentage with at most 2 decimals, like 8.25.` };
  }
  const [whole = '0', fraction = ''] = trimmed.split('.');
  const points = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  if (points > 10_000) return { ok: false, problem: 'A rate is at most 100 %.' };
  if (points === 0 && !allowZero) return { ok: false, problem: 'Enter a percentage above 0.' };
  return { ok: true, value: points };
}

/** 825 → "8.25 %" */
export function percentText(basisPoints: number, locale: string): string {
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(basisPoints / 100)} %`;
}

/** An amount typed in the shop's way, as the decimal the API takes; "0" is allowed where `allowZero`. */
export function readAmount(
  text: string,
  currency: string,
  locale: string,
  { allowZero = false } = {},
): Read<number> {
  if (allowZero && /^\s*0+([.,]0*)?\s*$/.test(text)) return { ok: true, value: 0 };
  const parsed = parseMoneyInput(text, currency, locale);
  if (!parsed.ok) return { ok: false, problem: parsed.problem };
  return { ok: true, value: parsed.minor / 10 ** minorDigits(currency, locale) };
}

/** A whole number of uses, or null when left empty (no limit). */
export function readLimit(text: string): Read<number | null> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: null };
  if (!/^\d+$/.test(trimmed) || Number(trimmed) < 1) {
    return { ok: false, problem: 'Enter a whole number of uses, 1 or more, or leave it empty for no limit.' };
  }
  return { ok: true, value: Number(trimmed) };
}

/** A `datetime-local` value (the admin's own time zone) as an instant, or null when empty. */
export function readInstant(text: string): Read<string | null> {
  if (text.trim() === '') return { ok: true, value: null };
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return { ok: false, problem: 'Enter a date and time.' };
  return { ok: true, value: date.toISOString() };
}

/** An instant as a `datetime-local` value in the admin's time zone. */
export function instantInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * The sentence for a zone the server refused because an area is in another zone: which area,
 * and which zone has it. Null for any other error.
 */
export function overlapSentence(error: {
  code: string;
  message: string;
  details: Record<string, unknown>;
}): string | null {
  if (error.code !== 'zone_overlap') return null;
  const areas = Array.isArray(error.details['areas']) ? error.details['areas'] : [];
  const named = areas.flatMap((a: unknown) => {
    if (typeof a !== 'object' || a === null) return [];
    const { country, region, zoneName } = a as Record<string, unknown>;
    if (typeof country !== 'string') return [];
    const where = typeof region === 'string' ? `${country}-${region}` : country;
    return [typeof zoneName === 'string' ? `${where} is already in the zone “${zoneName}”` : where];
  });
  return named.length > 0 ? `${error.message} ${named.join('; ')}.` : error.message;
}
