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

export type AllocationRule = 'priority' | 'whole_order';

export interface StockLocation {
  id: string;
  name: string;
  code: string;
  /** 1 is tried first */
  priority: number;
  active: boolean;
}

/** The units one active location has free, per variant. */
export interface LocationStock {
  locationId: string;
  priority: number;
  available: ReadonlyMap<string, number>;
}

/** Units of one variant held, or to be held, at one location. */
export interface Allocation {
  variantId: string;
  locationId: string;
  quantity: number;
}

export type LocationChoice = { ok: true; allocations: Allocation[] } | { ok: false; shortages: Shortage[] };

/**
 * Where each requested variant is taken from (ADR 0026). A variant's quantity is never split:
 * `priority` takes each from the first location (by priority) that has all of it; `whole_order`
 * takes everything from the first location that has every line, and falls back to `priority`
 * when none has. A variant no location can cover is a shortage; its `available` is what all
 * locations have together, or, when together they would have enough, the most one of them has
 * (what the shopper could still order).
 */
export function chooseLocations(
  requests: readonly StockRequest[],
  levelsByLocation: readonly LocationStock[],
  rule: AllocationRule,
): LocationChoice {
  const locations = [...levelsByLocation].sort((a, b) => a.priority - b.priority);
  const free = (l: LocationStock, variantId: string) => l.available.get(variantId) ?? 0;
  if (rule === 'whole_order') {
    const whole = locations.find((l) => requests.every((r) => free(l, r.variantId) >= r.quantity));
    if (whole) {
      return {
        ok: true,
        allocations: requests.map((r) => ({
          variantId: r.variantId,
          locationId: whole.locationId,
          quantity: r.quantity,
        })),
      };
    }
  }
  const allocations: Allocation[] = [];
  const short: Shortage[] = [];
  for (const r of requests) {
    const from = locations.find((l) => free(l, r.variantId) >= r.quantity);
    if (from) {
      allocations.push({ variantId: r.variantId, locationId: from.locationId, quantity: r.quantity });
      continue;
    }
    const frees = locations.map((l) => Math.max(0, free(l, r.variantId)));
    const total = frees.reduce((sum, n) => sum + n, 0);
    short.push({
      variantId: r.variantId,
      requested: r.quantity,
      available: total < r.quantity ? total : Math.max(0, ...frees),
    });
  }
  return short.length > 0 ? { ok: false, shortages: short } : { ok: true, allocations };
}
