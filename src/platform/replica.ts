import type { FastifyInstance } from 'fastify';
import type { Db } from './db.ts';

/**
 * Which database a read goes to when a read replica is configured (`DATABASE_READ_URL`, ADR 0032).
 * Reads that may lag the primary by a moment go to the replica; a person who has just written
 * reads from the primary for `stickyMs` afterwards, so they see what they wrote whatever the
 * replica's lag (read-your-writes). Writes, and reads of one order, always go to the primary.
 *
 * Who wrote when is kept by this process: a write is marked before its answer leaves, so the
 * next request of the same person to this instance sees it. Entries older than `stickyMs` are
 * forgotten as new ones come in, so the map holds at most the people who wrote in that window.
 */
export class ReadRouting<D = Db> {
  readonly primary: D;
  readonly #replica: D | null;
  readonly #stickyMs: number;
  readonly #wroteAt = new Map<string, number>();

  constructor(primary: D, replica: D | null, stickyMs: number) {
    this.primary = primary;
    this.#replica = replica;
    this.#stickyMs = stickyMs;
  }

  /** The database for a read by `personId` (null: anyone, e.g. a signed-out shopper). */
  for(personId: string | null): D {
    if (!this.#replica) return this.primary;
    if (personId === null) return this.#replica;
    const at = this.#wroteAt.get(personId);
    return at !== undefined && Date.now() - at < this.#stickyMs ? this.primary : this.#replica;
  }

  /** Marks that `personId` has just written. */
  wrote(personId: string): void {
    if (!this.#replica) return;
    const now = Date.now();
    // re-inserted so the map stays in the order of the last write, oldest first
    this.#wroteAt.delete(personId);
    this.#wroteAt.set(personId, now);
    for (const [id, at] of this.#wroteAt) {
      if (now - at < this.#stickyMs) break;
      this.#wroteAt.delete(id);
    }
  }

  /** Marks every signed-in person's request that may write (any method but GET and HEAD). */
  install(server: FastifyInstance): void {
    if (!this.#replica) return;
    server.addHook('onSend', async (request, _reply, payload) => {
      if (request.user && request.method !== 'GET' && request.method !== 'HEAD') this.wrote(request.user.id);
      return payload;
    });
  }
}
