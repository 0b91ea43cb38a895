import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { DatabaseHandle } from './db.ts';

/** Carries the name of the cache whose rows changed, to every instance. */
const CHANNEL = 'orderly_rules';

/**
 * Rows that every order reads and an admin seldom changes (shipping zones with their methods,
 * tax rates, the variants being sold), kept in memory per instance (ADR 0039). A change, once committed, empties its
 * cache here at once and on every other instance when its NOTIFY arrives, a few milliseconds
 * later. A notification lost while an instance's listening connection was down is covered by
 * the entries' age limit.
 */
export class RulesCache<V> {
  readonly #entries = new Map<string, { value: Promise<V>; until: number }>();
  readonly #changed: () => Promise<void>;
  readonly #maxAgeMs: number;
  // counts the clears, so that rows read before one are not kept after it
  #generation = 0;

  constructor(changed: () => Promise<void>, maxAgeMs: number) {
    this.#changed = changed;
    this.#maxAgeMs = maxAgeMs;
  }

  /** The rows under `key`, loaded once and shared by the requests that ask meanwhile. */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = Date.now();
    const entry = this.#entries.get(key);
    if (entry && entry.until > now) return entry.value;
    const value = load();
    this.#entries.set(key, { value, until: now + this.#maxAgeMs });
    // a failed read is not kept: the next request reads again
    value.catch(() => {
      if (this.#entries.get(key)?.value === value) this.#entries.delete(key);
    });
    return value;
  }

  /**
   * The rows under each of `keys`, the missing ones read with one `loadMany`. A key it returns
   * nothing for is absent from the answer and not kept: rows made later, by whatever path, are
   * found at once.
   */
  async getMany(
    keys: readonly string[],
    loadMany: (missing: readonly string[]) => Promise<Map<string, V>>,
  ): Promise<Map<string, V>> {
    const now = Date.now();
    const found = new Map<string, V>();
    const cached: Array<Promise<void>> = [];
    const missing: string[] = [];
    for (const key of new Set(keys)) {
      const entry = this.#entries.get(key);
      if (entry && entry.until > now) cached.push(entry.value.then((value) => void found.set(key, value)));
      else missing.push(key);
    }
    if (missing.length > 0) {
      const generation = this.#generation;
      const loaded = await loadMany(missing);
      for (const [key, value] of loaded) {
        found.set(key, value);
        if (generation === this.#generation) {
          this.#entries.set(key, { value: Promise.resolve(value), until: now + this.#maxAgeMs });
        }
      }
    }
    await Promise.all(cached);
    return found;
  }

  clear(): void {
    this.#generation++;
    this.#entries.clear();
  }

  /**
   * After a change has committed (never inside its transaction: ADR 0015): this cache and the
   * others of its name are emptied here at once, and on the other instances when they hear.
   */
  changed(): Promise<void> {
    return this.#changed();
  }
}

/** The instance's rules caches, emptied by name when any instance says its rows changed. */
export class RulesCaches {
  readonly #handle: DatabaseHandle;
  readonly #log: Logger;
  readonly #maxAgeMs: number;
  readonly #clears = new Map<string, Array<() => void>>();
  #unlisten: (() => Promise<void>) | null = null;

  constructor(handle: DatabaseHandle, log: Logger, maxAgeMs: number) {
    this.#handle = handle;
    this.#log = log;
    this.#maxAgeMs = maxAgeMs;
  }

  /** A cache emptied with every other cache of the same name, on every instance. */
  cache<V>(name: string): RulesCache<V> {
    const cache = new RulesCache<V>(async () => {
      for (const clear of this.#clears.get(name) ?? []) clear();
      await this.#tell(name);
    }, this.#maxAgeMs);
    this.#clears.set(name, [...(this.#clears.get(name) ?? []), () => cache.clear()]);
    return cache;
  }

  async start(): Promise<void> {
    this.#unlisten = await this.#handle.listen(CHANNEL, (name) => {
      for (const clear of this.#clears.get(name) ?? []) clear();
    });
  }

  async stop(): Promise<void> {
    const unlisten = this.#unlisten;
    this.#unlisten = null;
    // a database its owner has already closed has stopped listening with it
    await unlisten?.().catch((error: unknown) =>
      this.#log.debug({ err: error }, 'rules cache: the listener had already stopped'),
    );
  }

  async #tell(name: string): Promise<void> {
    await sql`select pg_notify(${CHANNEL}, ${name})`
      .execute(this.#handle.db)
      .catch((error: unknown) =>
        this.#log.warn(
          { err: error, cache: name },
          'rules cache: the other instances were not told of a change',
        ),
      );
  }
}
