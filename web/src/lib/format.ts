/** Display helpers: money, dates, statuses. */
import type { Address, DetailedStatus, PaymentStatus } from '../api.ts';
import { minorDigits } from './money-input.ts';

/**
 * How the shop writes numbers, money and dates, and so how it reads an amount typed into it.
 * The API does not say yet; it is the one place to change when it does.
 */
export const SHOP_LOCALE = 'en-US';

const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string): Intl.NumberFormat {
  let f = moneyFormats.get(currency);
  if (!f) {
    try {
      f = new Intl.NumberFormat(SHOP_LOCALE, { style: 'currency', currency });
    } catch {
      f = new Intl.NumberFormat(SHOP_LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    moneyFormats.set(currency, f);
  }
  return f;
}

export function money(amount: number, currency: string): string {
  return moneyFormat(currency).format(amount);
}

/** How many decimals a currency has (2 for USD, 0 for JPY). */
export function currencyDecimals(currency: string): number {
  try {
    return minorDigits(currency, SHOP_LOCALE);
  } catch {
    return 2;
  }
}

/** An amount as the shop writes it in a form field: 1,000.00, without the currency sign. */
export function amountForInput(amount: number, currency: string): string {
  const digits = currencyDecimals(currency);
  return new Intl.NumberFormat(SHOP_LOCALE, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(amount);
}

/** price × quantity without floating-point drift (29.99 × 3 = 89.97, not 89.97000000000001). */
export function lineTotal(price: number, quantity: number, currency: string): number {
  const factor = 10 ** currencyDecimals(currency);
  return (Math.round(price * factor) * quantity) / factor;
}

const dateTime = new Intl.DateTimeFormat(SHOP_LOCALE, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(SHOP_LOCALE, { dateStyle: 'medium' });

export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateOnly.format(d);
}

/**
 * The order number people see and quote (`#1001`): the server's sequential number, the same as in
 * the emails, and what the admin search finds.
 */
export function orderNumber(order: { orderNumber: number }): string {
  return `#${order.orderNumber}`;
}

export const STATUS_LABELS: Record<DetailedStatus, string> = {
  pending: 'Pending',
  confirmed: 'Confirmed',
  partially_shipped: 'Partly shipped',
  shipped: 'Shipped',
  partially_delivered: 'Partly delivered',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
};

export function isOrderStatus(value: string): value is DetailedStatus {
  return Object.hasOwn(STATUS_LABELS, value);
}

export const PAYMENT_LABELS: Record<PaymentStatus, string> = {
  pending: 'Payment pending',
  requires_action: 'Awaiting card authentication',
  paid: 'Paid',
  failed: 'Payment failed',
  partially_refunded: 'Partially refunded',
  refunded: 'Refunded',
};

export function statusLabel(status: string): string {
  // a draft is an admin's order only: the draft routes answer it, v1's order status has no such value
  if (status === 'draft') return 'Draft';
  return (STATUS_LABELS as Record<string, string>)[status] ?? status.replace(/_/g, ' ');
}

export function paymentLabel(status: string): string {
  return (PAYMENT_LABELS as Record<string, string>)[status] ?? status.replace(/_/g, ' ');
}

/** Street, town and country on one line (the recipient and phone are shown beside it). */
export function formatAddress(
  a: Pick<Address, 'street' | 'city' | 'zip'> & { state?: string | undefined; country?: string | undefined },
): string {
  const town = [a.city, [a.state, a.zip].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return [a.street, town, a.country].filter(Boolean).join(', ');
}

export function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
