import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from './db.ts';
import { AppError } from './errors.ts';
import type { DomainEvent } from './outbox-event.ts';

/**
 * Prometheus metrics at `GET /metrics` (text format, prom-client, a registry of its own per app).
 *
 * Three kinds of source, chosen so that a sum over several instances is right:
 * - HTTP requests, counted by the instance that served them (route pattern, method, status);
 * - domain outcomes, counted from the outbox: each event is dispatched by exactly one instance,
 *   and counted there after its dispatch commits (`OutboxDispatcher.onDispatched`), so an order
 *   is counted once however many instances run; placements refused before any order existed
 *   (out of stock, changed price) have no event and are counted by the instance that refused;
 * - levels (reservations held, notification queue, outbox lag), read with SQL on each scrape:
 *   they describe the shared database, so every instance reports the same value (use max(), not
 *   sum(), across instances).
 */
export interface MetricsSources {
  db: Db;
  /** active reservations, their units, and those past expiry (inventory context) */
  reservations(): Promise<{ active: number; units: number; overdue: number }>;
  /** messages waiting, waiting after a failed attempt, and given up (notification context) */
  notificationQueue(): Promise<{ pending: number; retrying: number; failed: number }>;
  log: Logger;
}

/** Placement refusals that happen before an order exists; the rest come from events. */
const REFUSALS = new Set([
  'out_of_stock',
  'price_changed',
  'product_unavailable',
  'product_not_found',
  'currency_mismatch',
]);
const PLACING_OPERATIONS = new Set(['createOrder', 'checkoutCart']);

/** Label values come from code, but a free-text reason must never become a label. */
const label = (value: unknown) =>
  typeof value === 'string' && /^[a-z][a-z0-9_]{0,39}$/.test(value) ? value : 'other';

export class Metrics {
  readonly registry = new Registry();
  readonly #sources: MetricsSources;

  readonly #requests = new Counter({
    name: 'orderly_http_requests_total',
    help: 'HTTP requests served by this instance, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly #latency = new Histogram({
    name: 'orderly_http_request_duration_seconds',
    help: 'Time from request received to response sent, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly #placed = new Counter({
    name: 'orderly_orders_placed_total',
    help: 'Orders recorded with their stock reserved (OrderPlaced), before payment',
    registers: [this.registry],
  });
  readonly #confirmed = new Counter({
    name: 'orderly_orders_confirmed_total',
    help: 'Orders paid and confirmed (OrderConfirmed)',
    registers: [this.registry],
  });
  readonly #failed = new Counter({
    name: 'orderly_orders_failed_total',
    help: 'Orders that did not go through, by reason: refused at placement (out_of_stock, price_changed, …) or cancelled by the system before confirmation (payment_declined, payment_unavailable, payment_not_completed)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly #cancelled = new Counter({
    name: 'orderly_orders_cancelled_total',
    help: 'Orders cancelled by a customer or an admin, by who cancelled',
    labelNames: ['actor'] as const,
    registers: [this.registry],
  });
  readonly #payments = new Counter({
    name: 'orderly_payments_total',
    help: 'Payment results recorded (PaymentProcessed, PaymentFailed), by outcome and, for failures, the decline code',
    labelNames: ['outcome', 'reason'] as const,
    registers: [this.registry],
  });
  readonly #refunds = new Counter({
    name: 'orderly_refunds_total',
    help: 'Refunds issued (RefundIssued)',
    registers: [this.registry],
  });
  readonly #expired = new Counter({
    name: 'orderly_reservations_expired_total',
    help: 'Reservations released because their order was not paid in time (StockReleased, payment_not_completed)',
    registers: [this.registry],
  });
  readonly #notificationsSent = new Counter({
    name: 'orderly_notifications_sent_total',
    help: 'Emails and SMS delivered to the provider (EmailSent, SMSSent), by channel',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });
  readonly #reservationsActive = new Gauge({
    name: 'orderly_reservations_active',
    help: 'Stock reservations holding units for unpaid orders (SQL on scrape)',
    registers: [this.registry],
  });
  readonly #reservedUnits = new Gauge({
    name: 'orderly_reserved_units',
    help: 'Units held by active reservations (SQL on scrape)',
    registers: [this.registry],
  });
  readonly #reservationsOverdue = new Gauge({
    name: 'orderly_reservations_overdue',
    help: 'Active reservations past their expiry, waiting for the recovery job (SQL on scrape)',
    registers: [this.registry],
  });
  readonly #queueDepth = new Gauge({
    name: 'orderly_notification_queue_depth',
    help: 'Notifications waiting to be sent, including those waiting to retry (SQL on scrape)',
    registers: [this.registry],
  });
  readonly #queueRetrying = new Gauge({
    name: 'orderly_notification_queue_retrying',
    help: 'Waiting notifications that have failed at least once (SQL on scrape)',
    registers: [this.registry],
  });
  readonly #notificationsFailed = new Gauge({
    name: 'orderly_notifications_failed',
    help: 'Notifications given up on after their last attempt (SQL on scrape)',
    registers: [this.registry],
  });
  readonly #outboxPending = new Gauge({
    name: 'orderly_outbox_pending_events',
    help: 'Domain events committed but not yet dispatched (SQL on scrape)',
    registers: [this.registry],
  });
  readonly #outboxLag = new Gauge({
    name: 'orderly_outbox_lag_seconds',
    help: 'Age of the oldest undispatched domain event, 0 when none waits (SQL on scrape)',
    registers: [this.registry],
  });
  readonly #scrapeErrors = new Counter({
    name: 'orderly_metrics_scrape_errors_total',
    help: 'Scrapes whose SQL gauges could not be read (their previous values were kept)',
    registers: [this.registry],
  });

  constructor(sources: MetricsSources) {
    this.#sources = sources;
    collectDefaultMetrics({ register: this.registry });
  }

  /** Counts what the events dispatched by this instance say happened. */
  countEvents(events: readonly DomainEvent[]): void {
    for (const event of events) {
      const p = event.payload as Record<string, unknown>;
      switch (event.type) {
        case 'OrderPlaced':
          this.#placed.inc();
          break;
        case 'OrderConfirmed':
          this.#confirmed.inc();
          break;
        case 'OrderCancelled':
          if (p['actor'] === 'system' && p['wasConfirmed'] === false)
            this.#failed.inc({ reason: label(p['reason']) });
          else this.#cancelled.inc({ actor: label(p['actor']) });
          break;
        case 'PaymentProcessed':
          this.#payments.inc({ outcome: 'succeeded', reason: '' });
          break;
        case 'PaymentFailed':
          this.#payments.inc({ outcome: 'failed', reason: label(p['code']) });
          break;
        case 'RefundIssued':
          this.#refunds.inc();
          break;
        case 'StockReleased':
          if (p['reason'] === 'payment_not_completed') this.#expired.inc();
          break;
        case 'EmailSent':
          this.#notificationsSent.inc({ channel: 'email' });
          break;
        case 'SMSSent':
          this.#notificationsSent.inc({ channel: 'sms' });
          break;
      }
    }
  }

  /** Hooks: request counts and latency per route pattern; placements refused before an order existed. */
  install(server: FastifyInstance): void {
    server.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
      const labels = {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      };
      this.#requests.inc(labels);
      this.#latency.observe(labels, reply.elapsedTime / 1000);
    });
    server.addHook('onError', async (request: FastifyRequest, _reply: FastifyReply, error: FastifyError) => {
      const operation = (request.routeOptions.schema as { operationId?: string } | undefined)?.operationId;
      if (
        error instanceof AppError &&
        operation &&
        PLACING_OPERATIONS.has(operation) &&
        REFUSALS.has(error.code)
      ) {
        this.#failed.inc({ reason: error.code });
      }
    });
  }

  /** The `GET /metrics` answer: the SQL levels read now, then every metric in text format. */
  async scrape(reply: FastifyReply): Promise<FastifyReply> {
    await this.refresh();
    return reply.type(this.registry.contentType).send(await this.registry.metrics());
  }

  /** Reads the levels that live in the database. A failure keeps the last values and is counted. */
  async refresh(): Promise<void> {
    try {
      const db = this.#sources.db;
      const reservations = await this.#sources.reservations();
      this.#reservationsActive.set(reservations.active);
      this.#reservedUnits.set(reservations.units);
      this.#reservationsOverdue.set(reservations.overdue);
      const { rows: outbox } = await sql<{ pending: number; lag: number }>`
        select count(*)::int as pending,
               coalesce(extract(epoch from now() - min(occurred_at)), 0)::float8 as lag
          from outbox where dispatched_at is null`.execute(db);
      this.#outboxPending.set(outbox[0]?.pending ?? 0);
      this.#outboxLag.set(Math.max(0, outbox[0]?.lag ?? 0));
      const queue = await this.#sources.notificationQueue();
      this.#queueDepth.set(queue.pending);
      this.#queueRetrying.set(queue.retrying);
      this.#notificationsFailed.set(queue.failed);
    } catch (error) {
      this.#scrapeErrors.inc();
      this.#sources.log.warn({ err: error }, 'metrics: database levels could not be read');
    }
  }
}
