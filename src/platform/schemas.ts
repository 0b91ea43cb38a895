import { z } from 'zod';
import { badRequest } from './errors.ts';
import { toMinor } from './money.ts';

/** Shared pieces of the HTTP contract. */
export const Id = z.uuid();
export const IdParams = z.object({ id: Id });

/** The lines of a postal address every address of Orderly shares (an order's, a saved one). */
export const Street = z.string().trim().min(1).max(200);
export const City = z.string().trim().min(1).max(100);
export const PostalCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 -]{1,10}[A-Za-z0-9]$/, 'must be a postal code');
export const CountryCode = z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter country code');

/** A decimal amount in the JSON contract (29.99); converted to minor units with `minorUnits`. */
export const Amount = z.number().min(0).max(100_000_000);

export function minorUnits(amount: number, currency: string, field: string): number {
  const minor = toMinor(amount, currency);
  if (minor === null) {
    throw badRequest('invalid_amount', `${field} has more decimals than ${currency} allows.`, {
      issues: [{ path: field, message: `must be a valid ${currency} amount` }],
    });
  }
  return minor;
}

/** The end of a `to` filter: a date covers its whole day, a date-time is exact. */
export function endOf(to: string): Date {
  const end = new Date(to);
  if (/^\d{4}-\d{2}-\d{2}$/.test(to)) end.setUTCDate(end.getUTCDate() + 1);
  return end;
}
