import { sql, type Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from './schema.ts';
import type { Db, DatabaseHandle } from './db.ts';
import type { DomainEvent, NewDomainEvent } from './outbox-event.ts';

/**
 * The transactional outbox. A change and the events describing it are written in the same
 * transaction (`appendEvents`); after commit the dispatcher hands each event to every subscriber,
 * inside a transaction that also marks it dispatched, so a subscriber that only writes to the
 * database (notifications, projections) sees each event exactly once, and a crash anywhere means
 * "not yet", never "lost". Side effects beyond the database (mail, broker, browsers) are driven
 * from what those subscribers wrote, or from the committed-event broadcast, at least once.
 */
export async function appendEvents(db: Db, events: readonly NewDomainEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('outbox')
    .values(
      events.map((e) => ({
        type: e.type,
        context: e.context,
        aggregate_id: e.aggregateId,
        payload: JSON.stringify(e.payload),
      })),
    )
    .execute();
}

export interface Subscriber {
  /** stable name, used in logs */
  name: string;
  /** event types it wants */
  types: readonly string[];
  /** runs inside the dispatch transaction: write with `trx`, never call out to the network */
  handle(event: DomainEvent, trx: Transaction<Database>): Promise<void>;
}

/** What every server instance hears after a batch of events commits (live updates). */
export type CommittedEventsListener = (events: DomainEvent[]) => void;

// one dispatcher at a time across all instances keeps events in commit order
const DISPATCH_LOCK = 7_301_001;
const EVENTS_CHANNEL = 'orderly_events';
const WAKE_CHANNEL = 'orderly_outbox';
const MAX_ATTEMPTS = 5;
// NOTIFY payloads must stay under 8000 bytes.
const MAX_NOTIFY_BYTES = 7000;

interface OutboxRow {
  sequence: number;
  id: string;
  type: string;
  context: string;
  aggregate_id: string;
  payload: Record<string, unknown>;
  occurred_at: Date;
  attempts: number;
}

function toEvent(row: OutboxRow): DomainEvent {
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
  #running = false;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;
  #unlisten: Array<() => Promise<void>> = [];

  constructor(handle: DatabaseHandle, log: Logger, options: { pollMs: number; batchSize?: number }) {
    this.#handle = handle;
    this.#log = log;
    this.#pollMs = options.pollMs;
    this.#batchSize = options.batchSize ?? 200;
  }

  subscribe(subscriber: Subscriber): void {
    this.#subscribers.push(subscriber);
  }

  /** Hear events as they are dispatched by any instance sharing the database. */
  onCommitted(listener: CommittedEventsListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async start(): Promise<void> {
    this.#unlisten.push(
      await this.#handle.listen(EVENTS_CHANNEL, (payload) => this.#emit(payload)),
      await this.#handle.listen(WAKE_CHANNEL, () => this.#wake?.()),
    );
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Stops the loop after a last pass, so committed events are not left behind on shutdown. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#wake?.();
    await this.#loop;
    await this.drain().catch((error: unknown) =>
      this.#log.warn({ err: error }, 'outbox: final drain failed'),
    );
    for (const unlisten of this.#unlisten) await unlisten();
    this.#unlisten = [];
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
      for (const event of events) {
        for (const subscriber of this.#subscribers) {
          if (subscriber.types.includes(event.type)) await subscriber.handle(event, trx);
        }
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
      for (const chunk of notifyChunks(events))
        await sql`select pg_notify(${EVENTS_CHANNEL}, ${chunk})`.execute(trx);
      return events;
    });
  }

  #emit(payload: string): void {
    let events: DomainEvent[];
    try {
      events = JSON.parse(payload) as DomainEvent[];
    } catch {
      return;
    }
    for (const listener of this.#listeners) {
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
      if (dispatched === this.#batchSize || !this.#running) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#pollMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = null;
    }
  }
}

/** Live listeners get small events whole; a large payload (a long order) travels as a reference. */
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
