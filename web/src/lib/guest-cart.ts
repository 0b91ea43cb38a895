/**
 * The cart of a shopper who is not signed in: kept in this browser only (localStorage), since
 * the server's cart belongs to an account. It holds what the product pages showed (name, price);
 * the server prices the order again at checkout and refuses it if a price is no longer current.
 */
import { useSyncExternalStore } from 'react';

export interface GuestCartItem {
  productId: string;
  name: string;
  /** the unit price shown when added, as a decimal amount */
  price: number;
  currency: string;
  quantity: number;
}

const KEY = 'orderly.guestCart';
const listeners = new Set<() => void>();
let cache: { raw: string | null; items: GuestCartItem[] } = { raw: null, items: [] };

function isItem(value: unknown): value is GuestCartItem {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['productId'] === 'string' &&
    typeof v['name'] === 'string' &&
    typeof v['price'] === 'number' &&
    typeof v['currency'] === 'string' &&
    typeof v['quantity'] === 'number' &&
    Number.isInteger(v['quantity']) &&
    v['quantity'] > 0
  );
}

function read(): GuestCartItem[] {
  let raw: string | null = null;
  try {
    raw = window.localStorage.getItem(KEY);
  } catch {
    // storage disabled: an empty cart
  }
  if (raw === cache.raw) return cache.items;
  let items: GuestCartItem[] = [];
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    items = Array.isArray(parsed) ? parsed.filter(isItem) : [];
  } catch {
    // a damaged entry is an empty cart
  }
  cache = { raw, items };
  return items;
}

function write(items: GuestCartItem[]): void {
  try {
    if (items.length === 0) window.localStorage.removeItem(KEY);
    else window.localStorage.setItem(KEY, JSON.stringify(items));
  } catch {
    // storage full or disabled: nothing can be kept
  }
  for (const listener of listeners) listener();
}

export function guestCartItems(): GuestCartItem[] {
  return read();
}

export function addToGuestCart(item: GuestCartItem): void {
  const items = read();
  const existing = items.find((i) => i.productId === item.productId);
  write(
    existing
      ? items.map((i) =>
          i.productId === item.productId
            ? { ...item, quantity: Math.min(1000, i.quantity + item.quantity) }
            : i,
        )
      : [...items, item],
  );
}

export function setGuestCartQuantity(productId: string, quantity: number): void {
  const items = read();
  write(
    quantity > 0
      ? items.map((i) => (i.productId === productId ? { ...i, quantity } : i))
      : items.filter((i) => i.productId !== productId),
  );
}

/** Replaces the prices kept with the ones the catalog answers now. */
export function repriceGuestCart(prices: ReadonlyMap<string, number>): void {
  write(read().map((i) => ({ ...i, price: prices.get(i.productId) ?? i.price })));
}

export function clearGuestCart(): void {
  write([]);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // another tab changed the cart
  const onStorage = (e: StorageEvent) => {
    if (e.key === KEY) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

export function useGuestCart(): GuestCartItem[] {
  return useSyncExternalStore(subscribe, read, () => []);
}
