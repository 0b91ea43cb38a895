/**
 * The cart of a shopper who is not signed in: kept in this browser only (localStorage), since
 * the server's cart belongs to an account. It holds what the product pages showed (name, variant,
 * price); the server prices the order again at checkout and refuses it if a price is no longer
 * current. A line is one variant: two sizes of a tee are two lines.
 */
import { useSyncExternalStore } from 'react';

export interface GuestCartItem {
  productId: string;
  /** what is bought; a product without options has one variant with the product's id */
  variantId: string;
  name: string;
  /** "M / Black"; empty for a product without options */
  variantTitle: string;
  sku: string;
  /** the unit price shown when added, as a decimal amount */
  price: number;
  currency: string;
  quantity: number;
}

const KEY = 'orderly.guestCart';
const listeners = new Set<() => void>();
let cache: { raw: string | null; items: GuestCartItem[] } = { raw: null, items: [] };

function isItem(
  value: unknown,
): value is Omit<GuestCartItem, 'variantId' | 'variantTitle' | 'sku'> & Partial<GuestCartItem> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['productId'] === 'string' &&
    typeof v['name'] === 'string' &&
    typeof v['price'] === 'number' &&
    typeof v['currency'] === 'string' &&
    typeof v['quantity'] === 'number' &&
    Number.isInteger(v['quantity']) &&
    v['quantity'] > 0 &&
    (v['variantId'] === undefined || typeof v['variantId'] === 'string') &&
    (v['variantTitle'] === undefined || typeof v['variantTitle'] === 'string') &&
    (v['sku'] === undefined || typeof v['sku'] === 'string')
  );
}

/** A line kept before carts had variants named its product, which is then its default variant. */
function normalize(item: Omit<GuestCartItem, 'variantId' | 'variantTitle' | 'sku'> & Partial<GuestCartItem>) {
  return {
    ...item,
    variantId: item.variantId ?? item.productId,
    variantTitle: item.variantTitle ?? '',
    sku: item.sku ?? '',
  };
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
    items = Array.isArray(parsed) ? parsed.filter(isItem).map(normalize) : [];
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
  const existing = items.find((i) => i.variantId === item.variantId);
  write(
    existing
      ? items.map((i) =>
          i.variantId === item.variantId
            ? { ...item, quantity: Math.min(1000, i.quantity + item.quantity) }
            : i,
        )
      : [...items, item],
  );
}

export function setGuestCartQuantity(variantId: string, quantity: number): void {
  const items = read();
  write(
    quantity > 0
      ? items.map((i) => (i.variantId === variantId ? { ...i, quantity } : i))
      : items.filter((i) => i.variantId !== variantId),
  );
}

/** Replaces the prices kept with the ones the catalog answers now (by variant id). */
export function repriceGuestCart(prices: ReadonlyMap<string, number>): void {
  write(read().map((i) => ({ ...i, price: prices.get(i.variantId) ?? i.price })));
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
