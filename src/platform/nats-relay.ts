import { sql } from 'kysely';
import {
  connect,
  Events,
  headers,
  nanos,
  StorageType,
  type JetStreamClient,
  type NatsConnection,
} from 'nats';
import type { Logger } from 'pino';
import type { Db, DatabaseHandle } from './db.ts';
import {
  BUSY_RETRY_MS,
  WAKE_CHANNEL,
  onEventsCommittedHere,
  toEvent,
  wakeOtherInstances,
  type OutboxRow,
} from './outbox.ts';
import type { DomainEvent } from './outbox-event.ts';

/**
 * Publishes every outbox event to a NATS JetStream stream, after commit, at least once:
 * subject `<prefix>.<context>.<EventName>` (`orderly.orders.OrderPlaced`), the envelope as JSON,
 * and the event id as `Nats-Msg-Id`, so the broker drops a message it has already stored.
 *
 * Publishing is network I/O, so it never runs inside a transaction: the relay reads a batch of
 * unpublished events in outbox order, publishes them and waits for the broker's acks, then marks
 * them `published_at`. One instance relays at a time (a session advisory lock held on one pooled
 * connection for the length of a batch, outside any transaction; behind a pooler in transaction
 * mode that connection goes straight to PostgreSQL, where the session is really one). A crash between the ack and the
 * mark publishes again, and the broker's de-duplication drops the copy.
 *
 * Order: an event is published only after the broker acknowledged every earlier event of the same
 * aggregate and of the same order (stock events carry their order's id), so a failed publish can
 * never let a later event of that order overtake it; unrelated events are pipelined.
 */
export interface NatsRelayOptions {
  url: string;
  stream: string;
  subjectPrefix: string;
  pollMs: number;
  batchSize?: number;
  /** how long to wait for the broker's ack of one message */
  ackTimeoutMs?: number;
  /** how long the broker remembers message ids to drop duplicates */
  duplicateWindowMs?: number;
  /** the order an event is part of, read from its producer's schema (`src/events.ts`) */
  orderOf: (event: DomainEvent) => string | null;
}

// one relay at a time across all instances sharing the database
const RELAY_LOCK = 7_301_002;
const MAX_BACKOFF_MS = 5_000;

export class NatsRelay {
  readonly #handle: DatabaseHandle;
  readonly #log: Logger;
  readonly #options: Required<NatsRelayOptions>;
  #nc: NatsConnection | null = null;
  #js: JetStreamClient | null = null;
  #streamReady = false;
  #running = false;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;
  /** a commit was announced while a batch was in flight: look again before sleeping */
  #woken = false;
  #connected = false;
  #committedHere = false;
  #wakeOthers: () => void = () => {};
  #unlisten: Array<() => Promise<void>> = [];
  #failures = 0;

  constructor(handle: DatabaseHandle, log: Logger, options: NatsRelayOptions) {
    this.#handle = handle;
    this.#log = log;
    this.#options = { batchSize: 500, ackTimeoutMs: 5_000, duplicateWindowMs: 10 * 60_000, ...options };
  }

  subject(event: Pick<DomainEvent, 'context' | 'type'>): string {
    return `${this.#options.subjectPrefix}.${event.context}.${event.type}`;
  }

  /** Starts relaying in the background; an unreachable broker is retried, never fatal. */
  async start(): Promise<void> {
    if (this.#running) return;
    this.#wakeOthers = wakeOtherInstances(this.#handle, this.#log);
    const local = onEventsCommittedHere(this.#handle.db, () => {
      this.#committedHere = true;
      this.#poke();
    });
    this.#unlisten = [await this.#handle.listen(WAKE_CHANNEL, () => this.#poke()), async () => void local()];
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Stops after a last pass, so events committed before shutdown are not left for the next start. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#poke();
    await this.#loop;
    if (this.#js && this.#connected) {
      await this.relayOnce().catch((error: unknown) =>
        this.#log.warn({ err: error }, 'nats: final relay pass failed'),
      );
    }
    for (const unlisten of this.#unlisten) await unlisten();
    this.#unlisten = [];
    const nc = this.#nc;
    this.#nc = null;
    this.#js = null;
    if (nc && !nc.isClosed()) await nc.drain().catch(() => nc.close());
  }

  /** Publishes one batch; the number published, or 'busy' while another instance relays. */
  async relayOnce(): Promise<number | 'busy'> {
    const js = await this.#ready();
    if (this.#handle.kind === 'pglite') return this.#relayBatch(this.#handle.db, js);
    return this.#handle.session.connection().execute(async (conn) => {
      const { rows } = await sql<{
        locked: boolean;
      }>`select pg_try_advisory_lock(${RELAY_LOCK}) as locked`.execute(conn);
      if (!rows[0]?.locked) return 'busy' as const;
      try {
        return await this.#relayBatch(conn, js);
      } finally {
        await sql`select pg_advisory_unlock(${RELAY_LOCK})`.execute(conn);
      }
    });
  }

  async #ready(): Promise<JetStreamClient> {
    if (!this.#nc || this.#nc.isClosed()) {
      this.#nc = await connect({
        servers: this.#options.url,
        name: 'orderly-outbox-relay',
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
      });
      this.#js = null;
      this.#streamReady = false;
      this.#connected = true;
      void this.#watch(this.#nc);
    }
    if (!this.#streamReady) {
      await this.#ensureStream(this.#nc);
      this.#streamReady = true;
    }
    this.#js ??= this.#nc.jetstream();
    return this.#js;
  }

  /** After the broker comes back, publish at once instead of waiting out the backoff. */
  async #watch(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === Events.Disconnect) this.#connected = false;
      if (status.type === Events.Reconnect) {
        this.#log.info('nats: reconnected');
        this.#connected = true;
        this.#streamReady = false;
        this.#poke();
      }
    }
    this.#connected = false;
  }

  async #ensureStream(nc: NatsConnection): Promise<void> {
    const jsm = await nc.jetstreamManager();
    const subjects = [`${this.#options.subjectPrefix}.>`];
    try {
      const info = await jsm.streams.info(this.#options.stream);
      if (!subjects.every((s) => info.config.subjects?.includes(s))) {
        await jsm.streams.update(this.#options.stream, {
          subjects: [...new Set([...(info.config.subjects ?? []), ...subjects])],
        });
      }
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await jsm.streams.add({
        name: this.#options.stream,
        subjects,
        storage: StorageType.File,
        duplicate_window: nanos(this.#options.duplicateWindowMs),
      });
      this.#log.info({ stream: this.#options.stream, subjects }, 'nats: stream created');
    }
  }

  async #relayBatch(db: Db, js: JetStreamClient): Promise<number> {
    const rows = (await db
      .selectFrom('outbox')
      .select(['sequence', 'id', 'type', 'context', 'aggregate_id', 'payload', 'occurred_at', 'attempts'])
      .where('published_at', 'is', null)
      .orderBy('sequence')
      .limit(this.#options.batchSize)
      .execute()) as OutboxRow[];
    if (rows.length === 0) return 0;
    const events = rows.map(toEvent);
    const outcomes = await Promise.allSettled(this.#publishInOrder(js, events));
    const published = events.filter((_, i) => outcomes[i]?.status === 'fulfilled').map((e) => e.sequence);
    if (published.length > 0) {
      await db
        .updateTable('outbox')
        .set({ published_at: new Date() })
        .where('sequence', 'in', published)
        .execute();
    }
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) {
      if (isNoStream(failed.reason)) this.#streamReady = false;
      throw failed.reason;
    }
    return published.length;
  }

  /** One publish per event, each waiting for the acks of the events it must follow. */
  #publishInOrder(js: JetStreamClient, events: DomainEvent[]): Array<Promise<unknown>> {
    const last = new Map<string, Promise<unknown>>();
    return events.map((event) => {
      const keys = new Set([event.aggregateId]);
      const orderId = this.#options.orderOf(event);
      if (orderId) keys.add(orderId);
      const before = [...keys].map((k) => last.get(k)).filter((p) => p !== undefined);
      const publish = () => {
        const h = headers();
        h.set('Orderly-Event-Type', event.type);
        h.set('Orderly-Aggregate-Id', event.aggregateId);
        return js.publish(this.subject(event), JSON.stringify(event), {
          msgID: event.id,
          headers: h,
          timeout: this.#options.ackTimeoutMs,
          expect: { streamName: this.#options.stream },
        });
      };
      const done = before.length === 0 ? publish() : Promise.all(before).then(publish);
      for (const key of keys) last.set(key, done);
      return done;
    });
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let published: number | 'busy' = 0;
      let delay = this.#options.pollMs;
      try {
        published = await this.relayOnce();
        if (this.#failures > 0) this.#log.info({ after: this.#failures }, 'nats: publishing again');
        this.#failures = 0;
      } catch (error) {
        this.#failures++;
        if (this.#failures === 1 || this.#failures % 50 === 0) {
          this.#log.warn({ err: error, failures: this.#failures }, 'nats: publish failed; will retry');
        }
        delay = Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.min(this.#failures, 6));
      }
      const busy = published === 'busy';
      // another instance relays: if events were committed here, make sure it knows
      if (busy && this.#committedHere) this.#wakeOthers();
      this.#committedHere = false;
      if (published === this.#options.batchSize || !this.#running) continue;
      if (this.#woken && this.#failures === 0 && !busy) {
        this.#woken = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, busy ? Math.min(delay, BUSY_RETRY_MS) : delay);
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
}

function isNotFound(error: unknown): boolean {
  const e = error as { code?: string; api_error?: { err_code?: number }; message?: string };
  return e.api_error?.err_code === 10059 || e.code === '404' || /stream not found/i.test(e.message ?? '');
}

function isNoStream(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e.code === '503' || /no responders|stream not found|expected stream/i.test(e.message ?? '');
}
