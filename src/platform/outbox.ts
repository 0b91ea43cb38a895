import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Database } from './schema.ts';
import { afterCommit, beforeCommit, rootOf, type Db, type DatabaseHandle, type StatementPart } from './db.ts';
import type { DomainEvent, NewDomainEvent } from './outbox-event.ts';

/**
 * The transactional outbox (one mechanism, so one file over 400 lines: the write side, the
 * dispatcher with its lock and wake-ups, and the committed-event broadcast share their state).
 *
 * The transactional outbox. A change and the events describing it are written in the same
 * transaction (`appendEvents`); after commit the dispatcher hands each event to every subscriber,
 * inside a transaction that also marks it dispatched, so a subscriber that only writes to the
 * database (notifications, projections) sees each event exactly once, and a crash anywhere means
 * "not yet", never "lost". Side effects beyond the database (mail, broker, browsers) are driven
 * from what those subscribers wrote, or from the committed-event broadcast, at least once.
 * Inside a transaction the events are written with one INSERT just before COMMIT, and once it
 * has committed this process hears of them at once (`onEventsCommittedHere`).
 */
export async function appendEvents(db: Db, events: readonly NewDomainEvent[]): Promise<void> {
  if (events.length === 0) return;
  if (!queue(db, events)) await insertEvents(db, events);
}

/**
 * In a transaction, the events wait for its end and go in with one INSERT, whatever number of
 * contexts appended them: one round trip per transaction instead of one per appendEvents. False
 * outside a transaction, where the caller writes them at once.
 */
function queue(db: Db, events: readonly NewDomainEvent[]): boolean {
  const waiting = pending.get(db);
  if (waiting) {
    waiting.push(...events);
    return true;
  }
  if (!db.isTransaction) return false;
  const batch = [...events];
  if (!beforeCommit(db, () => insertEvents(db, batch))) return false;
  pending.set(db, batch);
  return true;
}

const pending = new WeakMap<Db, NewDomainEvent[]>();

async function insertEvents(db: Db, events: readonly NewDomainEvent[]): Promise<void> {
  pending.delete(db);
  if (events.length === 0) return;
  const rows = await db
    .insertInto('outbox')
    .values(
      events.map((e) => ({
        type: e.type,
        context: e.context,
        aggregate_id: e.aggregateId,
        payload: JSON.stringify(e.payload),
      })),
    )
    .returning(['sequence', 'id', 'occurred_at'])
    .execute();
  announce(db, events, rows);
}

/**
 * The events appended so far in `trx` and `events`, written by a statement of the caller's
 * (a CTE of it) instead of an INSERT of their own before COMMIT: one statement fewer for a
 * transaction whose last write knows its events. Events appended after it go in at COMMIT as
 * before, so the outbox keeps their order. With `when`, a condition on the statement's other
 * CTEs (the order moved), they are written only if it holds, and otherwise wait for COMMIT
 * again, as if this had not been asked.
 */
export function eventsInStatement(
  trx: Db,
  events: readonly NewDomainEvent[],
  when?: RawBuilder<unknown>,
): StatementPart {
  const all = [...(pending.get(trx)?.splice(0) ?? []), ...events];
  if (all.length === 0) return { ctes: [], column: sql`null`, done: () => {} };
  const values = all.map(
    (e) =>
      sql`(${e.type}::text, ${e.context}::text, ${e.aggregateId}::text, ${JSON.stringify(e.payload)}::jsonb)`,
  );
  return {
    ctes: [
      sql`outbox_rows as (
        insert into outbox (type, context, aggregate_id, payload)
        select * from (values ${sql.join(values)}) as e(type, context, aggregate_id, payload)
         where ${when ?? sql`true`}
        returning sequence, id, occurred_at)`,
    ],
    column: sql`(select json_agg(json_build_object('sequence', sequence, 'id', id, 'occurred_at', occurred_at)
                                 order by sequence) from outbox_rows)`,
    done: (value) => {
      const rows = WrittenEvents.parse(value ?? []);
      if (rows.length === 0 && when) {
        if (!queue(trx, all)) throw new Error('events written in a statement outside a transaction');
        return;
      }
      if (rows.length !== all.length) throw new Error('the outbox rows of a statement did not come back');
      announce(trx, all, rows);
    },
  };
}

const WrittenEvents = z.array(
  z.object({ sequence: z.coerce.number(), id: z.string(), occurred_at: z.string() }),
);

interface WrittenEvent {
  sequence: number | string;
  id: string;
  occurred_at: Date | string;
}

/** Tells this process's listeners of written events once their transaction has committed. */
function announce(db: Db, events: readonly NewDomainEvent[], rows: readonly WrittenEvent[]): void {
  const committed = events.map((e, i) => ({
    id: rows[i]?.id ?? '',
    sequence: Number(rows[i]?.sequence ?? 0),
    type: e.type,
    context: e.context,
    aggregateId: e.aggregateId,
    payload: e.payload as Record<string, unknown>,
    occurredAt: new Date(rows[i]?.occurred_at ?? Date.now()).toISOString(),
  }));
  const root = rootOf(db);
  const tell = () => {
    for (const listener of committedHere.get(root) ?? []) listener(committed);
  };
  if (!afterCommit(db, tell) && !db.isTransaction) tell();
}

/** Listeners, per database, to events committed by this process. */
const committedHere = new WeakMap<Db, Set<CommittedEventsListener>>();

/**
 * Hear the events this process commits, right after COMMIT: the dispatcher and the relay start
 * at once, and live updates need not wait for the dispatcher. (Other processes' commits reach
 * `OutboxDispatcher.onEvents` through their broadcast.)
 */
export function onEventsCommittedHere(db: Db, listener: CommittedEventsListener): () => void {
  let listeners = committedHere.get(db);
  if (!listeners) committedHere.set(db, (listeners = new Set()));
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export interface Subscriber {
  /** stable name, used in logs */
  name: string;
  /** event types it wants */
  types: readonly string[];
  /**
   * Runs inside the dispatch transaction with the batch's events of its types, in commit order:
   * write with `trx`, never call out to the network. It reads and writes for the whole batch at
   * once, a statement per kind of row rather than per event, so the outbox keeps up with the load.
   */
  handle(events: readonly DomainEvent[], trx: Transaction<Database>): Promise<void>;
}

/** What every server instance hears after a batch of events commits (live updates). */
export type CommittedEventsListener = (events: DomainEvent[]) => void;

// one dispatcher at a time across all instances keeps events in commit order
const DISPATCH_LOCK = 7_301_001;
const EVENTS_CHANNEL = 'orderly_events';
// events just committed, from the instance that committed them, for live updates elsewhere
const LIVE_CHANNEL = 'orderly_live';
/**
 * Wakes the dispatcher and the relay of every instance. Commits in this process wake its own
 * directly (`onEventsCommittedHere`); an instance that finds another holding the lock sends this
 * NOTIFY, outside any transaction, so the holder starts at once instead of at its next poll.
 */
export const WAKE_CHANNEL = 'orderly_outbox';
// a busy instance tries the lock again, and nudges the holder, at most this often
export const BUSY_RETRY_MS = 50;
// Events committed here are broadcast to the other instances in batches this far apart. Their
// own live listeners hear at once; another instance's shopper sees a change at most this much
// later, and a busy instance sends one NOTIFY per window rather than one per commit or two.
const BROADCAST_DELAY_MS = 50;
/** Runs a function in the context this module was loaded in, outside any request's. */
const outsideRequests = AsyncLocalStorage.snapshot();

/** A NOTIFY on WAKE_CHANNEL, sent at most once per BUSY_RETRY_MS, never inside a transaction. */
export function wakeOtherInstances(handle: DatabaseHandle, log: Logger): () => void {
  let last = 0;
  return () => {
    const now = Date.now();
    if (now - last < BUSY_RETRY_MS) return;
    last = now;
    sql`select pg_notify(${WAKE_CHANNEL}, '')`
      .execute(handle.db)
      .catch((error: unknown) => log.debug({ err: error }, 'outbox: could not wake the other instances'));
  };
}
const MAX_ATTEMPTS = 5;
// NOTIFY payloads must stay under 8000 bytes.
const MAX_NOTIFY_BYTES = 7000;

export interface OutboxRow {
  sequence: number;
  id: string;
  type: string;
  context: string;
  aggregate_id: string;
  payload: Record<string, unknown>;
  occurred_at: Date;
  attempts: number;
}

export function toEvent(row: OutboxRow): DomainEvent {
  return {
    id: row.id,
    sequence: row.sequence,
    type: row.type,
    context: row.context as DomainEvent['context'],
    aggregateId: row.aggregate_id,
    payload: row.payload,
    occurredAt: new Date(row.occurred_at).toISOString(),
  };
}

export class OutboxDispatcher {
  readonly #handle: DatabaseHandle;
  readonly #log: Logger;
  readonly #pollMs: number;
  readonly #batchSize: number;
  readonly #subscribers: Subscriber[] = [];
  readonly #listeners = new Set<CommittedEventsListener>();
  readonly #liveListeners = new Set<CommittedEventsListener>();
  readonly #dispatchedHere = new Set<CommittedEventsListener>();
  #running = false;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;
  /** woken while a batch was in flight: look again before sleeping */
  #woken = false;
  /** events committed in this process since the last batch this instance dispatched */
  #committedHere = false;
  #wakeOthers: () => void = () => {};
  #unlisten: Array<() => Promise<void>> = [];
  /** ids of events already handed to the committed-events listeners (each arrives twice) */
  readonly #told = new Set<string>();
  /** events committed here, waiting to be broadcast to the other instances */
  #outgoing: DomainEvent[] = [];
  #broadcasting: NodeJS.Timeout | null = null;

  constructor(handle: DatabaseHandle, log: Logger, options: { pollMs: number; batchSize?: number }) {
    this.#handle = handle;
    this.#log = log;
    this.#pollMs = options.pollMs;
    this.#batchSize = options.batchSize ?? 1000;
  }

  subscribe(subscriber: Subscriber): void {
    this.#subscribers.push(subscriber);
  }

  /** Hear events as they are dispatched by any instance sharing the database. */
  /**
   * Hear, after commit, the events this instance dispatched: each event reaches exactly one
   * instance's listeners, so counting here counts every event once across all instances (metrics).
   */
  onDispatched(listener: CommittedEventsListener): () => void {
    this.#dispatchedHere.add(listener);
    return () => this.#dispatchedHere.delete(listener);
  }

  onCommitted(listener: CommittedEventsListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Hear every committed event once, as soon as this instance knows of it, dispatched or not:
   * at once for commits of this process, within milliseconds for those of other instances. For
   * live updates, which must not wait behind the subscribers' work.
   */
  onEvents(listener: CommittedEventsListener): () => void {
    this.#liveListeners.add(listener);
    return () => this.#liveListeners.delete(listener);
  }

  async start(): Promise<void> {
    this.#wakeOthers = wakeOtherInstances(this.#handle, this.#log);
    const local = onEventsCommittedHere(this.#handle.db, (events) => {
      this.#committedHere = true;
      this.#poke();
      // background work, not part of the request that committed (nor of its statement count)
      outsideRequests(() => {
        this.#tell(events);
        this.#broadcast(events);
      });
    });
    this.#unlisten.push(
      await this.#handle.listen(EVENTS_CHANNEL, (payload) => this.#emit(payload)),
      await this.#handle.listen(LIVE_CHANNEL, (payload) => this.#tell(parseEvents(payload))),
      await this.#handle.listen(WAKE_CHANNEL, () => this.#poke()),
      async () => void local(),
    );
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Stops the loop after a last pass, so committed events are not left behind on shutdown. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#poke();
    await this.#loop;
    await this.drain().catch((error: unknown) =>
      this.#log.warn({ err: error }, 'outbox: final drain failed'),
    );
    for (const unlisten of this.#unlisten) await unlisten();
    this.#unlisten = [];
    if (this.#broadcasting) clearTimeout(this.#broadcasting);
    this.#broadcasting = null;
    this.#outgoing = [];
  }

  /** Dispatches until nothing is left; for shutdown and tests. */
  async drain(): Promise<void> {
    for (let idle = 0; idle < 50;) {
      const result = await this.dispatchOnce();
      if (result === 'busy') {
        idle++;
        await new Promise((r) => setTimeout(r, 20));
      } else if (result === 0) {
        return;
      }
    }
  }

  /** Number of events dispatched, or 'busy' when another instance holds the dispatch lock. */
  async dispatchOnce(): Promise<number | 'busy'> {
    try {
      const result = await this.#dispatchBatch(this.#batchSize);
      if (result !== 'busy') this.#tellDispatched(result);
      return result === 'busy' ? result : result.length;
    } catch (error) {
      // One event's handler failed: take them one at a time so the failing one is found,
      // counted and finally set aside, and the events before it still go through.
      this.#log.warn({ err: error }, 'outbox: batch failed, dispatching one by one');
      return (await this.#dispatchSingly()).length;
    }
  }

  async #dispatchSingly(): Promise<DomainEvent[]> {
    const done: DomainEvent[] = [];
    for (let i = 0; i < this.#batchSize; i++) {
      try {
        const result = await this.#dispatchBatch(1);
        if (result === 'busy' || result.length === 0) break;
        this.#tellDispatched(result);
        done.push(...result);
      } catch (error) {
        await this.#recordFailure(error);
        break;
      }
    }
    return done;
  }

  async #recordFailure(error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const row = await this.#handle.db
      .updateTable('outbox')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: message.slice(0, 2000) }))
      .where(
        'sequence',
        '=',
        this.#handle.db
          .selectFrom('outbox')
          .select('sequence')
          .where('dispatched_at', 'is', null)
          .orderBy('sequence')
          .limit(1),
      )
      .returning(['sequence', 'type', 'attempts'])
      .executeTakeFirst();
    if (row && row.attempts >= MAX_ATTEMPTS) {
      // Set aside so that one poisoned event cannot stop every later one.
      await this.#handle.db
        .updateTable('outbox')
        .set({ dispatched_at: new Date() })
        .where('sequence', '=', row.sequence)
        .execute();
      this.#log.error({ sequence: row.sequence, type: row.type, error: message }, 'outbox: event set aside');
    }
  }

  async #dispatchBatch(limit: number): Promise<DomainEvent[] | 'busy'> {
    return this.#handle.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{
        locked: boolean;
      }>`select pg_try_advisory_xact_lock(${DISPATCH_LOCK}) as locked`.execute(trx);
      if (!rows[0]?.locked) return 'busy' as const;
      const pending = (await trx
        .selectFrom('outbox')
        .select(['sequence', 'id', 'type', 'context', 'aggregate_id', 'payload', 'occurred_at', 'attempts'])
        .where('dispatched_at', 'is', null)
        .orderBy('sequence')
        .limit(limit)
        .execute()) as OutboxRow[];
      if (pending.length === 0) return [];
      const events = pending.map(toEvent);
      for (const subscriber of this.#subscribers) {
        const theirs = events.filter((e) => subscriber.types.includes(e.type));
        if (theirs.length > 0) await subscriber.handle(theirs, trx);
      }
      await trx
        .updateTable('outbox')
        .set({ dispatched_at: new Date() })
        .where(
          'sequence',
          'in',
          pending.map((p) => p.sequence),
        )
        .execute();
      await notifyAll(trx, EVENTS_CHANNEL, events);
      return events;
    });
  }

  #tellDispatched(events: DomainEvent[]): void {
    if (events.length === 0) return;
    for (const listener of this.#dispatchedHere) {
      try {
        listener(events);
      } catch (error) {
        this.#log.warn({ err: error }, 'outbox: dispatched-events listener failed');
      }
    }
  }

  #emit(payload: string): void {
    const events = parseEvents(payload);
    if (events.length === 0) return;
    this.#tell(events);
    for (const listener of this.#listeners) {
      try {
        listener(events);
      } catch (error) {
        this.#log.warn({ err: error }, 'outbox: committed-events listener failed');
      }
    }
  }

  /**
   * Live listeners hear each event once, as soon as it is known here: at once for commits of this
   * process, from the broadcast of its committing process for others', and from the dispatcher's
   * broadcast for any that missed both (a process that stopped right after its commit).
   */
  #tell(all: DomainEvent[]): void {
    const events = all.filter((e) => !this.#told.has(e.id));
    if (events.length === 0) return;
    for (const e of events) this.#told.add(e.id);
    if (this.#told.size > 50_000) {
      let excess = this.#told.size - 40_000;
      for (const id of this.#told) {
        if (excess-- <= 0) break;
        this.#told.delete(id);
      }
    }
    for (const listener of this.#liveListeners) {
      try {
        listener(events);
      } catch (error) {
        this.#log.warn({ err: error }, 'outbox: committed-events listener failed');
      }
    }
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let dispatched: number | 'busy' = 0;
      try {
        dispatched = await this.dispatchOnce();
      } catch (error) {
        this.#log.warn({ err: error }, 'outbox: dispatch failed; will retry');
      }
      const busy = dispatched === 'busy';
      // Another instance holds the lock: if events were committed here, make sure it knows.
      if (busy && this.#committedHere) this.#wakeOthers();
      this.#committedHere = false;
      if (dispatched === this.#batchSize || !this.#running) continue;
      if (!busy && this.#woken) {
        this.#woken = false;
        continue;
      }
      // While busy, commits here do not wake this loop (the holder dispatches them); it only
      // tries again after a short while, in case the holder has gone.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, busy ? Math.min(this.#pollMs, BUSY_RETRY_MS) : this.#pollMs);
        this.#wake = busy
          ? null
          : () => {
              clearTimeout(timer);
              resolve();
            };
      });
      this.#wake = null;
      this.#woken = false;
    }
  }

  #poke(): void {
    this.#woken = true;
    this.#wake?.();
  }

  /** Events committed here go to the other instances' live listeners within ~10 ms, outside any transaction. */
  #broadcast(events: DomainEvent[]): void {
    this.#outgoing.push(...events);
    this.#broadcasting ??= setTimeout(() => {
      this.#broadcasting = null;
      const outgoing = this.#outgoing;
      this.#outgoing = [];
      notifyAll(this.#handle.db, LIVE_CHANNEL, outgoing).catch((error: unknown) =>
        this.#log.debug({ err: error }, 'outbox: broadcast failed'),
      );
    }, BROADCAST_DELAY_MS);
  }
}

function parseEvents(payload: string): DomainEvent[] {
  try {
    const events: unknown = JSON.parse(payload);
    return Array.isArray(events) ? (events as DomainEvent[]) : [];
  } catch {
    return [];
  }
}

/** Live listeners get small events whole; a large payload (a long order) travels as a reference. */
/**
 * The events on `channel`, in as many notifications as their size needs and one statement for
 * all of them: a batch of a busy moment takes several, and each statement costs a round trip.
 */
async function notifyAll(db: Db, channel: string, events: DomainEvent[]): Promise<void> {
  const chunks = notifyChunks(events);
  if (chunks.length === 0) return;
  await sql`select pg_notify(${channel}, chunk) from unnest(${chunks}::text[]) with ordinality as c(chunk, n) order by n`.execute(
    db,
  );
}

function notifyChunks(events: DomainEvent[]): string[] {
  const chunks: string[] = [];
  let current: DomainEvent[] = [];
  let size = 2;
  for (const event of events) {
    let item = event;
    let text = JSON.stringify(item);
    if (text.length > 1500) {
      item = { ...event, payload: {} };
      text = JSON.stringify(item);
    }
    if (size + text.length + 1 > MAX_NOTIFY_BYTES && current.length > 0) {
      chunks.push(JSON.stringify(current));
      current = [];
      size = 2;
    }
    current.push(item);
    size += text.length + 1;
  }
  if (current.length > 0) chunks.push(JSON.stringify(current));
  return chunks;
}
