import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Metrics } from './metrics.ts';

export interface MetricsEndpointOptions {
  /** `METRICS_TOKEN`: when set, a scrape must send `Authorization: Bearer <token>` */
  token: string | undefined;
  /** `METRICS_PORT`: when set, `/metrics` has a listener of its own on `host:port` */
  port: number | undefined;
  host: string;
}

/** Compares digests, so neither the length nor the first wrong character shows in the timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function authorized(request: FastifyRequest, token: string | undefined): boolean {
  if (token === undefined) return true;
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1] !== undefined && sameSecret(match[1], token);
}

function addRoute(server: FastifyInstance, metrics: Metrics, token: string | undefined): void {
  server.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!authorized(request, token)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="metrics"')
        .send({ code: 'unauthorized', message: 'Send the metrics token as a bearer token.', details: {} });
    }
    return metrics.scrape(reply);
  });
}

/**
 * `GET /metrics`, on the public listener or, with `METRICS_PORT`, on a listener of its own (an
 * address only the monitoring network reaches); with `METRICS_TOKEN`, only for whoever sends it.
 * Returns the separate listener, to start and stop with the app, or null.
 */
export function installMetricsEndpoint(
  server: FastifyInstance,
  metrics: Metrics,
  options: MetricsEndpointOptions,
): { listen(): Promise<string>; close(): Promise<void> } | null {
  if (options.port === undefined) {
    addRoute(server, metrics, options.token);
    return null;
  }
  const own = Fastify({ logger: false });
  addRoute(own, metrics, options.token);
  return {
    listen: () => own.listen({ host: options.host, port: options.port }),
    close: () => own.close(),
  };
}
