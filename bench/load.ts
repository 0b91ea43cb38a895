import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { BENCH_ADDRESS, summarize, type LoadResult, type LoadSpec } from './shared.ts';

/**
 * The load generator, run as its own process so it never shares an event loop with the server
 * or with the live-update probe: autocannon with a fixed pool of connections, each request built
 * on the fly (a random customer placing one of the pre-quoted baskets, or a random read).
 * Reads its spec from the JSON file BENCH_SPEC names and prints one JSON line with the result.
 */
const spec = JSON.parse(readFileSync(process.env['BENCH_SPEC'] ?? '', 'utf8')) as LoadSpec;

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

function orderRequest(): { method: 'POST'; path: string; headers: Record<string, string>; body: string } {
  const customer = pick(spec.customers);
  const basket =
    spec.scarce.length > 0 && Math.random() < spec.scarceShare ? pick(spec.scarce) : pick(spec.baskets);
  return {
    method: 'POST',
    path: '/api/v1/orders',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${customer.token}` },
    body: JSON.stringify({
      customerId: customer.id,
      items: basket.items,
      shippingAddress: BENCH_ADDRESS,
      shippingMethodId: basket.shippingMethodId,
      discountCode: basket.discountCode,
      expectedTotal: basket.expectedTotal,
      paymentMethod: { type: 'card', token: 'tok_visa' },
    }),
  };
}

function readRequest(): { method: 'GET'; path: string; headers: Record<string, string> } {
  const path = pick(spec.paths ?? ['/healthz']);
  const token =
    spec.adminToken && path.startsWith('/api/v1/admin/') ? spec.adminToken : pick(spec.customers).token;
  // `{customer}` in a path is a random customer's email number (the admin's search box),
  // `{customerId}` the id of a random shopper (the admin's customer filter)
  const filled = path
    .replace('{customer}', String(1 + Math.floor(Math.random() * spec.customerCount)))
    .replace('{customerId}', pick(spec.customers).id);
  return { method: 'GET', path: filled, headers: { authorization: `Bearer ${token}` } };
}

const latencies: number[] = [];
const statuses: Record<string, number> = {};
const started = Date.now();
const instance = autocannon(
  {
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    pipelining: 1,
    timeout: 30,
    requests: [{ setupRequest: () => (spec.mode === 'orders' ? orderRequest() : readRequest()) }],
  },
  (error, result) => {
    if (error) {
      console.error(error);
      process.exit(1);
    }
    const elapsed = (Date.now() - started) / 1000;
    const out: LoadResult = {
      ...summarize(latencies),
      seconds: elapsed,
      requests: latencies.length,
      statuses,
      errors: result.errors,
      timeouts: result.timeouts,
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  },
);
instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
  latencies.push(responseTime);
  statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
});
