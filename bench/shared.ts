import type { SeededVariant } from './seed.ts';

/** A basket the load places again and again, priced once by POST /checkout/quote. */
export interface Basket {
  items: Array<{ variantId: string; quantity: number; price: number }>;
  shippingMethodId: string;
  discountCode?: string;
  /** the quote's total, sent back as `expectedTotal` */
  expectedTotal: number;
}

/**
 * The US address every bench order ships to: in the seeded zone, taxed at its rates, with the
 * recipient's name the storefront asks for.
 */
export const BENCH_ADDRESS = {
  name: 'Bench Customer',
  street: '1 Bench St',
  city: 'Springfield',
  state: 'IL',
  zip: '62701',
  country: 'US',
} as const;

/** What the benchmark's processes hand each other. */
export interface LoadSpec {
  mode: 'orders' | 'reads';
  url: string;
  connections: number;
  seconds: number;
  customers: Array<{ id: string; token: string }>;
  /** how many bench customers exist (`customer<n>@bench.orderly.test`) */
  customerCount: number;
  baskets: Basket[];
  /** baskets with a line of a scarce product */
  scarce: Basket[];
  /** share of orders with a line of a scarce product */
  scarceShare: number;
  /** reads: paths to pick from at random */
  paths?: string[];
  adminToken?: string;
}

/** What bench/ceiling.ts is given: the ceiling database's own catalog, zone and code. */
export interface CeilingSpec {
  url: string;
  connections: number;
  seconds: number;
  customers: string[];
  products: SeededVariant[];
  scarce: SeededVariant[];
  scarceShare: number;
  discountCode: string;
  discountShare: number;
  shippingMethodId: string;
  address: typeof BENCH_ADDRESS;
  /** named prepared statements, as the server sends them with DATABASE_PREPARED_STATEMENTS */
  prepared: boolean;
}

export interface CeilingResult extends LoadResult {
  statementsPerOrder: number;
  /** statements of a placed order, without and with the discount code (0: none placed), to compare with the server's */
  statementsByKind: { plain: number; withCode: number };
  cpuSeconds: number;
  databaseCpuSeconds: number;
}

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export interface LoadResult extends Latency {
  seconds: number;
  requests: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
}

/** Percentiles (nearest rank) of latencies in milliseconds. */
export function summarize(values: number[]): Latency {
  if (values.length === 0) return { p50: 0, p95: 0, p99: 0, max: 0, mean: 0 };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(sorted[sorted.length - 1] as number),
    mean: round(values.reduce((s, v) => s + v, 0) / values.length),
  };
}
