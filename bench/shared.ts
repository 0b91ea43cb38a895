/** What the benchmark's processes hand each other. */
export interface LoadSpec {
  mode: 'orders' | 'reads';
  url: string;
  connections: number;
  seconds: number;
  customers: Array<{ id: string; token: string }>;
  /** how many bench customers exist (`customer<n>@bench.orderly.test`) */
  customerCount: number;
  products: Array<{ id: string; price: number }>;
  scarce: Array<{ id: string; price: number }>;
  /** share of orders with a line of a scarce product */
  scarceShare: number;
  /** reads: paths to pick from at random */
  paths?: string[];
  adminToken?: string;
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
