import type { Logger } from 'pino';
import { recordAudit } from '../platform/audit.ts';
import type { Db } from '../platform/db.ts';
import { notFound, unprocessable } from '../platform/errors.ts';
import { uuidv7 } from '../platform/ids.ts';
import { writeTransaction } from '../platform/locks.ts';
import type { Subscriber } from '../platform/outbox.ts';
import {
  DEFAULT_RETRY_SCHEDULE,
  SIGNATURE_HEADER,
  TEST_EVENT_TYPE,
  afterFailedAttempt,
  deliveryBody,
  generateSecret,
  signatureHeader,
  urlRefusal,
  type RetrySchedule,
  type UrlPolicy,
} from './model.ts';
import { RefusedAddress, checkedAddress, postWebhook, systemResolver, type Resolver } from './sender.ts';
import * as store from './store.ts';
import type { AttemptRow, ClaimedDelivery, DeliveryRow, EndpointRow } from './store.ts';

/** How often the delivery worker looks for due deliveries when nothing wakes it earlier. */
export const DELIVERY_INTERVAL_MS = 1000;
const BATCH_SIZE = 20;
const LEASE_MARGIN_MS = 5_000;
const USER_AGENT = 'Orderly-Webhooks/1.0 (+https://github.com/orderly)';

export interface WebhookServiceOptions {
  db: Db;
  log: Logger;
  /** the event types an endpoint may ask for: every published domain event */
  eventTypes: readonly string[];
  policy: UrlPolicy;
  timeoutMs: number;
  schedule?: Partial<RetrySchedule>;
  /** the time, injectable so a test can step past the 24-hour horizon */
  clock?: () => Date;
  resolve?: Resolver;
}

export interface EndpointInput {
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
}

export interface EndpointWithFigures extends EndpointRow {
  pending: number;
  failed: number;
}

/**
 * The webhooks context. Like notifications, two halves that never meet in one transaction:
 * - `subscriber()`: inside the outbox's dispatch transaction, stores one pending delivery per
 *   endpoint that asked for the event, so none is lost in a crash;
 * - `deliverDue()`: the delivery worker, outside any transaction, claims due deliveries, POSTs
 *   each signed, and logs the attempt: delivered, retried with backoff, or failed after 24 hours.
 */
export class WebhookService {
  readonly #db: Db;
  readonly #log: Logger;
  readonly #eventTypes: readonly string[];
  readonly #policy: UrlPolicy;
  readonly #timeoutMs: number;
  readonly #schedule: RetrySchedule;
  readonly #clock: () => Date;
  readonly #resolve: Resolver;

  constructor(options: WebhookServiceOptions) {
    this.#db = options.db;
    this.#log = options.log;
    this.#eventTypes = options.eventTypes;
    this.#policy = options.policy;
    this.#timeoutMs = options.timeoutMs;
    this.#schedule = { ...DEFAULT_RETRY_SCHEDULE, ...options.schedule };
    this.#clock = options.clock ?? (() => new Date());
    this.#resolve = options.resolve ?? systemResolver;
  }

  // ---------------------------------------------------------------- events → deliveries

  subscriber(): Subscriber {
    return {
      name: 'webhooks',
      types: this.#eventTypes,
      handle: async (events, trx) => {
        await store.insertDeliveriesFor(
          trx,
          events.map((e) => ({ id: e.id, type: e.type, createdAt: e.occurredAt, data: e.payload })),
          this.#clock(),
        );
      },
    };
  }

  /** Whether a batch of dispatched events may have made deliveries (to wake the worker early). */
  concerns(events: readonly { type: string }[]): boolean {
    return events.some((e) => this.#eventTypes.includes(e.type));
  }

  // ---------------------------------------------------------------- endpoints

  /** Registers an endpoint; its secret is in the answer, and afterwards only on reveal or rotate. */
  async createEndpoint(
    input: EndpointInput,
    actorId: string | null,
  ): Promise<{ endpoint: EndpointWithFigures; secret: string }> {
    await this.#assertAllowedUrl(input.url);
    const secret = generateSecret();
    const row = await this.#write(async (trx) => {
      const created = await store.insertEndpoint(trx, { ...input, secret }, this.#clock());
      await this.#audit(trx, actorId, 'webhook_endpoint.create', created.id, {
        host: new URL(created.url).host,
        eventTypes: created.event_types,
        enabled: created.enabled,
      });
      return created;
    });
    this.#log.info({ endpointId: row.id, eventTypes: row.event_types }, 'webhooks: endpoint registered');
    return { endpoint: { ...row, pending: 0, failed: 0 }, secret };
  }

  async listEndpoints(): Promise<EndpointWithFigures[]> {
    const [rows, figures] = await Promise.all([
      store.listEndpoints(this.#db),
      store.deliveryFigures(this.#db),
    ]);
    return rows.map((row) => ({ ...row, ...(figures.get(row.id) ?? { pending: 0, failed: 0 }) }));
  }

  async getEndpoint(id: string): Promise<EndpointWithFigures> {
    const row = await store.findEndpoint(this.#db, id);
    if (!row) throw notFound('Webhook endpoint', id);
    const figures = (await store.deliveryFigures(this.#db)).get(id) ?? { pending: 0, failed: 0 };
    return { ...row, ...figures };
  }

  async updateEndpoint(
    id: string,
    change: Partial<EndpointInput>,
    actorId: string | null,
  ): Promise<EndpointWithFigures> {
    if (change.url !== undefined) await this.#assertAllowedUrl(change.url);
    await this.#write(async (trx) => {
      const row = await store.updateEndpoint(trx, id, change, this.#clock());
      if (!row) throw notFound('Webhook endpoint', id);
      await this.#audit(trx, actorId, 'webhook_endpoint.update', id, {
        ...(change.url !== undefined && { host: new URL(row.url).host }),
        ...(change.eventTypes !== undefined && { eventTypes: row.event_types }),
        ...(change.enabled !== undefined && { enabled: row.enabled }),
        ...(change.description !== undefined && { description: row.description }),
      });
    });
    return this.getEndpoint(id);
  }

  /**
   * Deletes the endpoint with its deliveries and their log (pending ones are never sent); the
   * audit entry keeps how many were still waiting. An attempt in flight finishes, and the worker
   * logs that its endpoint was deleted.
   */
  async deleteEndpoint(id: string, actorId: string | null): Promise<void> {
    const pendingDeliveries = await this.#write(async (trx) => {
      const pending = await store.countPending(trx, id);
      if (!(await store.deleteEndpoint(trx, id))) throw notFound('Webhook endpoint', id);
      await this.#audit(trx, actorId, 'webhook_endpoint.delete', id, { pendingDeliveries: pending });
      return pending;
    });
    this.#log.info({ endpointId: id, pendingDeliveries }, 'webhooks: endpoint deleted');
  }

  /** Showing a secret is recorded with who asked: whoever holds it can forge Orderly's requests. */
  async revealSecret(id: string, actorId: string | null): Promise<string> {
    return this.#write(async (trx) => {
      const row = await store.findEndpoint(trx, id);
      if (!row) throw notFound('Webhook endpoint', id);
      await this.#audit(trx, actorId, 'webhook_endpoint.reveal_secret', id, {});
      return row.secret;
    });
  }

  /** A new secret at once: deliveries from now on are signed with it, the old one stops working. */
  async rotateSecret(id: string, actorId: string | null): Promise<string> {
    const secret = generateSecret();
    await this.#write(async (trx) => {
      if (!(await store.updateEndpoint(trx, id, { secret }, this.#clock()))) {
        throw notFound('Webhook endpoint', id);
      }
      await this.#audit(trx, actorId, 'webhook_endpoint.rotate_secret', id, {});
    });
    return secret;
  }

  #write<T>(work: (trx: Db) => Promise<T>): Promise<T> {
    return writeTransaction(this.#db, this.#log, work);
  }

  #audit(
    trx: Db,
    actorId: string | null,
    action: string,
    endpointId: string,
    details: Record<string, unknown>,
  ) {
    return recordAudit(trx, {
      actorId,
      action,
      targetType: 'webhook_endpoint',
      targetId: endpointId,
      details,
    });
  }

  async #assertAllowedUrl(url: string): Promise<void> {
    const refusal = urlRefusal(url, this.#policy);
    if (refusal) throw unprocessable(refusal.code, refusal.message, { field: 'url' });
    if (this.#policy.allowPrivateAddresses) return;
    try {
      await checkedAddress(new URL(url), this.#policy, this.#resolve);
    } catch (error) {
      if (!(error instanceof RefusedAddress)) throw error;
      throw unprocessable('webhook_url_forbidden', error.message, { field: 'url' });
    }
  }

  // ---------------------------------------------------------------- deliveries

  async listDeliveries(query: {
    endpointId: string;
    beforeId: string | null;
    limit: number;
  }): Promise<DeliveryRow[]> {
    await this.getEndpoint(query.endpointId);
    return store.listDeliveries(this.#db, query);
  }

  async getDelivery(id: string): Promise<{ delivery: DeliveryRow; attempts: AttemptRow[] }> {
    const delivery = await store.findDelivery(this.#db, id);
    if (!delivery) throw notFound('Webhook delivery', id);
    return { delivery, attempts: await store.attemptsOf(this.#db, id) };
  }

  /** A new delivery of the same event (same id, type, data and time), due now. */
  async replay(id: string, actorId: string | null): Promise<DeliveryRow> {
    const original = await store.findDelivery(this.#db, id);
    if (!original) throw notFound('Webhook delivery', id);
    const replay = await store.insertDelivery(
      this.#db,
      original.endpoint_id,
      {
        id: original.event_id,
        type: original.event_type,
        createdAt: iso(original.event_created_at),
        data: original.data,
      },
      original.replay_of ?? original.id,
      this.#clock(),
    );
    this.#log.info({ deliveryId: replay.id, replayOf: id, actorId }, 'webhooks: delivery replayed');
    return replay;
  }

  /** A `WebhookTest` event to one endpoint, whatever it subscribed to, so its owner can check the wiring. */
  async sendTest(endpointId: string): Promise<DeliveryRow> {
    const endpoint = await this.getEndpoint(endpointId);
    const now = this.#clock();
    return store.insertDelivery(
      this.#db,
      endpoint.id,
      {
        id: uuidv7(now.getTime()),
        type: TEST_EVENT_TYPE,
        createdAt: now.toISOString(),
        data: { endpointId: endpoint.id, message: 'A test event from Orderly.' },
      },
      null,
      now,
    );
  }

  // ---------------------------------------------------------------- the worker

  /** The worker's tick: claims due deliveries a batch at a time and sends each batch concurrently. */
  async deliverDue(): Promise<number> {
    let attempted = 0;
    for (;;) {
      // Hidden from other workers for longer than an attempt can take (its timeout, plus time to
      // record it); a worker that dies mid-attempt leaves the delivery to be retried after this.
      const claimed = await store.claimDue(
        this.#db,
        this.#clock(),
        BATCH_SIZE,
        this.#timeoutMs + LEASE_MARGIN_MS,
      );
      await Promise.all(claimed.map((row) => this.#deliver(row)));
      attempted += claimed.length;
      if (claimed.length < BATCH_SIZE) return attempted;
    }
  }

  async #deliver(row: ClaimedDelivery): Promise<void> {
    const body = deliveryBody({
      id: row.event_id,
      type: row.event_type,
      createdAt: iso(row.event_created_at),
      data: row.data,
    });
    const startedAt = this.#clock();
    const result = await postWebhook({
      url: row.url,
      body,
      timeoutMs: this.#timeoutMs,
      policy: this.#policy,
      resolve: this.#resolve,
      headers: {
        [SIGNATURE_HEADER]: signatureHeader(row.secret, body, Math.floor(startedAt.getTime() / 1000)),
        'Orderly-Event-Id': row.event_id,
        'Orderly-Event-Type': row.event_type,
        'Orderly-Delivery-Id': row.id,
        'User-Agent': USER_AGENT,
      },
    });
    const next =
      result.outcome === 'delivered'
        ? ({ status: 'delivered' } as const)
        : afterFailedAttempt(
            row.attempts,
            new Date(row.created_at).getTime(),
            this.#clock().getTime(),
            this.#schedule,
            Math.random(),
          );
    const context = {
      deliveryId: row.id,
      endpointId: row.endpoint_id,
      eventType: row.event_type,
      attempt: row.attempts,
      outcome: result.outcome,
      statusCode: result.statusCode,
    };
    try {
      const recorded = await this.#write((trx) =>
        store.recordAttempt(
          trx,
          row,
          { ...result, startedAt },
          next.status === 'pending'
            ? { status: 'pending', nextAttemptAt: new Date(next.nextAttemptAt) }
            : next,
        ),
      );
      if (recorded === 'gone')
        this.#log.warn(context, 'webhooks: attempt ended after its endpoint was deleted; nothing recorded');
      else if (recorded === 'taken_over')
        this.#log.warn(context, 'webhooks: attempt ended after its claim was taken over');
      else if (next.status === 'failed') this.#log.error(context, 'webhooks: delivery failed for good');
      else if (next.status === 'pending') this.#log.warn(context, 'webhooks: attempt failed; will retry');
      else this.#log.info(context, 'webhooks: delivered');
    } catch (error) {
      // The lease runs out and the delivery is tried again: receivers de-duplicate by event id.
      this.#log.error({ ...context, err: error }, 'webhooks: could not record the attempt');
    }
  }
}

const iso = (value: Date | string) => new Date(value).toISOString();
