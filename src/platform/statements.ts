import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance } from 'fastify';

/**
 * Counts the SQL statements this process sends, per route and for background work (outbox
 * dispatch, jobs, live updates), so the benchmark can say how many statements an order costs.
 * Only built with `BENCH_COUNT_STATEMENTS=1`; every statement, BEGIN and COMMIT included, passes
 * through Kysely's query log, which is where `record` is hooked in.
 */
interface Scope {
  key: string;
  /** this request is the one whose statements are being listed */
  sampled: boolean;
}

interface Tally {
  requests: number;
  statements: number;
}

export class StatementCounter {
  readonly #scope = new AsyncLocalStorage<Scope>();
  #tallies = new Map<string, Tally>();
  #sample: { key: string; claimed: boolean; statements: string[] } | null = null;

  readonly record = (sql: string): void => {
    const scope = this.#scope.getStore();
    this.#tally(scope?.key ?? 'background').statements++;
    if (scope?.sampled) this.#sample?.statements.push(sql.replace(/\s+/g, ' ').trim());
  };

  #tally(key: string): Tally {
    let tally = this.#tallies.get(key);
    if (!tally) {
      tally = { requests: 0, statements: 0 };
      this.#tallies.set(key, tally);
    }
    return tally;
  }

  /** Every request runs in its route's scope; what runs outside any request counts as background. */
  install(server: FastifyInstance): void {
    server.addHook('onRequest', (request, _reply, done) => {
      const key = `${request.method} ${request.routeOptions.url ?? request.url}`;
      if (key.includes('/internal/statements')) return done();
      this.#tally(key).requests++;
      // the first request of the sampled route that starts after the reset is the sample
      const sampled = this.#sample?.key === key && !this.#sample.claimed;
      if (sampled && this.#sample) this.#sample.claimed = true;
      this.#scope.run({ key, sampled }, done);
    });
    server.get(
      '/internal/statements',
      { schema: { hide: true }, config: { auth: 'admin', permission: 'settings' } },
      async () => ({
        scopes: Object.fromEntries(this.#tallies),
        sample: this.#sample && { key: this.#sample.key, statements: this.#sample.statements },
      }),
    );
    server.post<{ Querystring: { sample?: string } }>(
      '/internal/statements/reset',
      { schema: { hide: true }, config: { auth: 'admin', permission: 'settings' } },
      async (request) => {
        this.#tallies = new Map();
        // `?sample=POST /api/v1/orders`: keep the statements of the next such request
        const key = request.query.sample;
        this.#sample = key ? { key, claimed: false, statements: [] } : null;
        return { reset: true };
      },
    );
  }
}
