export interface StockLevel {
  productId: string;
  onHand: number;
  reserved: number;
  lowStockThreshold: number;
}

/** One product's quantity in a request to reserve stock. */
export interface StockRequest {
  productId: string;
  quantity: number;
}

export interface Shortage {
  productId: string;
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
 * Adds up quantities of the same product and sorts by product id: rows are then locked in one
 * global order, so two orders sharing products can never deadlock.
 */
export function consolidate(requests: readonly StockRequest[]): StockRequest[] {
  const totals = new Map<string, number>();
  for (const r of requests) totals.set(r.productId, (totals.get(r.productId) ?? 0) + r.quantity);
  return [...totals]
    .map(([productId, quantity]) => ({ productId, quantity }))
    .sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
}

/** Which requests the current levels cannot cover. */
export function shortages(
  requests: readonly StockRequest[],
  levels: ReadonlyMap<string, StockLevel>,
): Shortage[] {
  const short: Shortage[] = [];
  for (const r of requests) {
    const level = levels.get(r.productId);
    const free = level ? available(level) : 0;
    if (free < r.quantity)
      short.push({ productId: r.productId, requested: r.quantity, available: Math.max(0, free) });
  }
  return short;
}
