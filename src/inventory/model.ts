export interface StockLevel {
  variantId: string;
  productId: string;
  onHand: number;
  reserved: number;
  lowStockThreshold: number;
}

/** One variant's quantity in a request to reserve stock. */
export interface StockRequest {
  variantId: string;
  quantity: number;
}

export interface Shortage {
  variantId: string;
  requested: number;
  available: number;
}

export function available(level: StockLevel): number {
  return level.onHand - level.reserved;
}

export function isLowStock(level: StockLevel): boolean {
  return available(level) <= level.lowStockThreshold;
}

/**
 * Adds up quantities of the same variant and sorts by variant id: rows are then locked in one
 * global order, so two orders sharing variants can never deadlock.
 */
export function consolidate(requests: readonly StockRequest[]): StockRequest[] {
  const totals = new Map<string, number>();
  for (const r of requests) totals.set(r.variantId, (totals.get(r.variantId) ?? 0) + r.quantity);
  return [...totals]
    .map(([variantId, quantity]) => ({ variantId, quantity }))
    .sort((a, b) => (a.variantId < b.variantId ? -1 : a.variantId > b.variantId ? 1 : 0));
}

/** Which requests the current levels cannot cover. */
export function shortages(
  requests: readonly StockRequest[],
  levels: ReadonlyMap<string, StockLevel>,
): Shortage[] {
  const short: Shortage[] = [];
  for (const r of requests) {
    const level = levels.get(r.variantId);
    const free = level ? available(level) : 0;
    if (free < r.quantity)
      short.push({ variantId: r.variantId, requested: r.quantity, available: Math.max(0, free) });
  }
  return short;
}
