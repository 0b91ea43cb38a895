import { sql, type Selectable } from 'kysely';
import type { Db } from '../platform/db.ts';
import { uuidv7 } from '../platform/ids.ts';
import type { WebhookAttemptTable, WebhookDeliveryTable, WebhookEndpointTable } from '../platform/schema.ts';
import type { AttemptOutcome } from './model.ts';

/** The webhooks context's SQL: its three tables and nothing else. */
export type EndpointRow = Selectable<WebhookEndpointTable>;
export type DeliveryRow = Selectable<WebhookDeliveryTable>;
export type AttemptRow = Selectable<WebhookAttemptTable>;

const MAX_ERROR_LENGTH = 2000;

// ---------------------------------------------------------------- endpoints

export function insertEndpoint(
  db: Db,
  endpoint: { url: string; description: string; eventTypes: string[]; secret: string; enabled: boolean },
  now: Date,
): Promise<EndpointRow> {
  return db
    .insertInto('webhook_endpoint')
    .values({
      id: uuidv7(now.getTime()),
      url: endpoint.url,
      description: endpoint.description,
      event_types: endpoint.eventTypes,
      secret: endpoint.secret,
      enabled: endpoint.enabled,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listEndpoints(db: Db): Promise<EndpointRow[]> {
  return db.selectFrom('webhook_endpoint').selectAll().orderBy('id').execute();
}

export function findEndpoint(db: Db, id: string): Promise<EndpointRow | undefined> {
  return db.selectFrom('webhook_endpoint').selectAll().where('id', '=', id).executeTakeFirst();
}

export function updateEndpoint(
  db: Db,
  id: string,
  change: { url?: string; description?: string; eventTypes?: string[]; enabled?: boolean; secret?: string },
  now: Date,
): Promise<EndpointRow | undefined> {
  return db
    .updateTable('webhook_endpoint')
    .set({
      ...(change.url !== undefined && { url: change.url }),
      ...(change.description !== undefined && { description: change.description }),
      ...(change.eventTypes !== undefined && { event_types: change.eventTypes }),
      ...(change.enabled !== undefined && { enabled: change.enabled }),
      ...(change.secret !== undefined && { secret: change.secret }),
      updated_at: now,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteEndpoint(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('webhook_endpoint').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

// ---------------------------------------------------------------- deliveries

export interface EventToDeliver {
  id: string;
  type: string;
  createdAt: string;
  data: Record<string, unknown>;
}

/**
 * One delivery per event and enabled endpoint that asked for its type, for a batch of events in
 * the dispatcher's transaction: two statements whatever the batch's size. The partial unique
 * index turns an event handled twice into nothing new.
 */
export async function insertDeliveriesFor(
  db: Db,
  events: readonly EventToDeliver[],
  now: Date,
): Promise<number> {
  const types = [...new Set(events.map((e) => e.type))];
  const endpoints = await db
    .selectFrom('webhook_endpoint')
    .select(['id', 'event_types'])
    .where('enabled', '=', true)
    .where(sql<boolean>`event_types && ${types}::text[]`)
    .execute();
  const deliveries = events.flatMap((event) =>
    endpoints
      .filter((e) => e.event_types.includes(event.type))
      .map((e) => deliveryValues(e.id, event, null, now)),
  );
  if (deliveries.length === 0) return 0;
  const result = await db
    .insertInto('webhook_delivery')
    .values(deliveries)
    .onConflict((oc) => oc.columns(['endpoint_id', 'event_id']).where('replay_of', 'is', null).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/** A delivery beside the event's first: a replay (`replayOf`) or a test event (none). */
export function insertDelivery(
  db: Db,
  endpointId: string,
  event: EventToDeliver,
  replayOf: string | null,
  now: Date,
): Promise<DeliveryRow> {
  return db
    .insertInto('webhook_delivery')
    .values(deliveryValues(endpointId, event, replayOf, now))
    .returningAll()
    .executeTakeFirstOrThrow();
}

function deliveryValues(endpointId: string, event: EventToDeliver, replayOf: string | null, now: Date) {
  return {
    id: uuidv7(now.getTime()),
    endpoint_id: endpointId,
    event_id: event.id,
    event_type: event.type,
    event_created_at: event.createdAt,
    data: JSON.stringify(event.data),
    replay_of: replayOf,
    next_attempt_at: now,
    created_at: now,
  };
}

export function findDelivery(db: Db, id: string): Promise<DeliveryRow | undefined> {
  return db.selectFrom('webhook_delivery').selectAll().where('id', '=', id).executeTakeFirst();
}

/** An endpoint's deliveries, newest first; ids are UUIDv7, so the id is the order and the cursor. */
export function listDeliveries(
  db: Db,
  query: { endpointId: string; beforeId: string | null; limit: number },
): Promise<DeliveryRow[]> {
  let q = db.selectFrom('webhook_delivery').selectAll().where('endpoint_id', '=', query.endpointId);
  if (query.beforeId) q = q.where('id', '<', query.beforeId);
  return q.orderBy('id', 'desc').limit(query.limit).execute();
}

export function attemptsOf(db: Db, deliveryId: string): Promise<AttemptRow[]> {
  return db
    .selectFrom('webhook_attempt')
    .selectAll()
    .where('delivery_id', '=', deliveryId)
    .orderBy('attempt')
    .execute();
}

export type ClaimedDelivery = DeliveryRow & { url: string; secret: string };

/**
 * Claims up to `limit` due deliveries of enabled endpoints in one statement: counts the attempt
 * and hides each for `leaseMs` by moving `next_attempt_at` forward. `for update skip locked`
 * means two workers never claim the same attempt; the statement commits before anything is sent.
 */
export async function claimDue(
  db: Db,
  now: Date,
  limit: number,
  leaseMs: number,
): Promise<ClaimedDelivery[]> {
  const claimed = await db
    .updateTable('webhook_delivery')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), next_attempt_at: new Date(now.getTime() + leaseMs) }))
    .where(
      'id',
      'in',
      db
        .selectFrom('webhook_delivery')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .where(
          'endpoint_id',
          'in',
          db.selectFrom('webhook_endpoint').select('id').where('enabled', '=', true),
        )
        .orderBy('next_attempt_at')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .execute();
  if (claimed.length === 0) return [];
  const endpoints = await db
    .selectFrom('webhook_endpoint')
    .select(['id', 'url', 'secret'])
    .where(
      'id',
      'in',
      claimed.map((d) => d.endpoint_id),
    )
    .execute();
  const byId = new Map(endpoints.map((e) => [e.id, e]));
  return claimed.flatMap((d) => {
    const endpoint = byId.get(d.endpoint_id);
    return endpoint ? [{ ...d, url: endpoint.url, secret: endpoint.secret }] : [];
  });
}

export interface AttemptRecord {
  startedAt: Date;
  durationMs: number;
  outcome: AttemptOutcome;
  statusCode: number | null;
  error: string | null;
  responseBody: string | null;
}

/**
 * Logs an attempt and moves its delivery on (delivered, retried at `nextAttemptAt`, or failed),
 * if the delivery is still the claim this worker made: same attempt, still pending. Otherwise
 * nothing is written, and the answer says why: `taken_over` (a lease that ran out and was claimed
 * again) or `gone` (the endpoint was deleted, with its deliveries, while the attempt was made).
 * Run it in a transaction: the delivery row stays locked from the update to the log's insert, so
 * a deletion waits for both or comes before either.
 */
export async function recordAttempt(
  db: Db,
  claim: { id: string; attempts: number },
  attempt: AttemptRecord,
  next: { status: 'delivered' } | { status: 'failed' } | { status: 'pending'; nextAttemptAt: Date },
): Promise<'recorded' | 'taken_over' | 'gone'> {
  const updated = await db
    .updateTable('webhook_delivery')
    .set({
      status: next.status,
      ...(next.status === 'pending' && { next_attempt_at: next.nextAttemptAt }),
      ...(next.status === 'delivered' && {
        delivered_at: new Date(attempt.startedAt.getTime() + attempt.durationMs),
      }),
    })
    .where('id', '=', claim.id)
    .where('status', '=', 'pending')
    .where('attempts', '=', claim.attempts)
    .returning('id')
    .executeTakeFirst();
  if (!updated) return (await findDelivery(db, claim.id)) ? 'taken_over' : 'gone';
  await db
    .insertInto('webhook_attempt')
    .values({
      id: uuidv7(attempt.startedAt.getTime()),
      delivery_id: claim.id,
      attempt: claim.attempts,
      started_at: attempt.startedAt,
      duration_ms: Math.max(0, Math.round(attempt.durationMs)),
      outcome: attempt.outcome,
      status_code: attempt.statusCode,
      error: attempt.error?.slice(0, MAX_ERROR_LENGTH) ?? null,
      response_body: attempt.responseBody,
    })
    .execute();
  return 'recorded';
}

/** An endpoint's deliveries still waiting to be sent (what its deletion drops). */
export async function countPending(db: Db, endpointId: string): Promise<number> {
  const row = await db
    .selectFrom('webhook_delivery')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('endpoint_id', '=', endpointId)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Per endpoint: its deliveries waiting, and those given up (the admin's list shows both). */
export async function deliveryFigures(db: Db): Promise<Map<string, { pending: number; failed: number }>> {
  const rows = await db
    .selectFrom('webhook_delivery')
    .select((eb) => [
      'endpoint_id',
      eb.fn.countAll<number>().filterWhere('status', '=', 'pending').as('pending'),
      eb.fn.countAll<number>().filterWhere('status', '=', 'failed').as('failed'),
    ])
    .groupBy('endpoint_id')
    .execute();
  return new Map(rows.map((r) => [r.endpoint_id, { pending: Number(r.pending), failed: Number(r.failed) }]));
}
