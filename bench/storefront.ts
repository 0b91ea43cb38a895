import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BENCH_ADDRESS, summarize, type LoadResult } from './shared.ts';

/**
 * The storefront flow (issue 16), as the web app drives it: each of `connections` customers, on
 * its own cart, adds one or two products (POST /cart/items, one request each), asks for the
 * quote of its cart (POST /checkout/quote without items), and checks out with the quote's total
 * as `expectedTotal` and a fresh Idempotency-Key (POST /cart/checkout), again and again until the
 * time is up. The latency is the whole flow's; orders/s counts checkouts answered 201.
 *
 * Reads its spec from the JSON file BENCH_SPEC names; prints one JSON line.
 */
export interface StorefrontSpec {
  url: string;
  seconds: number;
  /** one loop per customer, so no two loops share a cart */
  customers: Array<{ id: string; token: string }>;
  variantIds: string[];
  shippingMethodId: string;
}

const spec = JSON.parse(readFileSync(process.env['BENCH_SPEC'] ?? '', 'utf8')) as StorefrontSpec;
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

async function post(
  path: string,
  token: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${spec.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** One flow; the status of the step that ended it (`201` for a placed order). */
async function flow(token: string): Promise<string> {
  const count = Math.random() < 0.5 ? 1 : 2;
  const chosen = new Set<string>();
  while (chosen.size < count) chosen.add(pick(spec.variantIds));
  for (const variantId of chosen) {
    const added = await post('/api/v1/cart/items', token, { variantId, quantity: 1 });
    if (added.status !== 200) return `cart ${added.status}`;
  }
  const quote = await post('/api/v1/checkout/quote', token, {
    shippingAddress: BENCH_ADDRESS,
    shippingMethodId: spec.shippingMethodId,
  });
  if (quote.status !== 200 || typeof quote.body['total'] !== 'number') return `quote ${quote.status}`;
  const placed = await post(
    '/api/v1/cart/checkout',
    token,
    {
      shippingAddress: BENCH_ADDRESS,
      shippingMethodId: spec.shippingMethodId,
      paymentMethod: { type: 'card', token: 'tok_visa' },
      expectedTotal: quote.body['total'],
    },
    { 'idempotency-key': randomUUID() },
  );
  return placed.status === 201 ? '201' : `checkout ${placed.status}`;
}

const latencies: number[] = [];
const statuses: Record<string, number> = {};
let errors = 0;
const started = Date.now();
const deadline = started + spec.seconds * 1000;
await Promise.all(
  spec.customers.map(async (customer) => {
    while (Date.now() < deadline) {
      const t0 = performance.now();
      const status = await flow(customer.token).catch(() => {
        errors++;
        return 'error';
      });
      latencies.push(performance.now() - t0);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }),
);
const result: LoadResult = {
  ...summarize(latencies),
  seconds: (Date.now() - started) / 1000,
  requests: latencies.length,
  statuses,
  errors,
  timeouts: 0,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
