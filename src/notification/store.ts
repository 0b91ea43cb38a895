import { sql, type Selectable } from 'kysely';
import { nowPlusMs, type Db } from '../platform/db.ts';
import { likePattern } from '../platform/pagination.ts';
import type { NotificationTable } from '../platform/schema.ts';
import { uuidv7 } from '../platform/ids.ts';
import type { ComposedMessage, NotificationStatus } from './model.ts';

/** The notification context's SQL: the `notification` table and nothing else. */
export type NotificationRow = Selectable<NotificationTable>;

const MAX_ERROR_LENGTH = 2000;

/**
 * Stores the messages events made, in one statement. `on conflict do nothing` on (event,
 * channel, recipient): the same event handled twice adds nothing. Returns how many rows are new.
 */
export async function insertMessages(
  db: Db,
  messages: ReadonlyArray<{ eventId: string; orderId: string | null; message: ComposedMessage }>,
): Promise<number> {
  if (messages.length === 0) return 0;
  const result = await db
    .insertInto('notification')
    .values(
      messages.map(({ eventId, orderId, message: m }) => ({
        id: uuidv7(),
        event_id: eventId,
        order_id: orderId,
        channel: m.channel,
        recipient: m.recipient,
        template: m.template,
        subject: m.subject,
        body_html: m.html,
        body_text: m.text,
      })),
    )
    .onConflict((oc) => oc.columns(['event_id', 'channel', 'recipient']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/**
 * Claims up to `limit` due messages in one statement: counts the attempt and hides each message
 * for `leaseMs` by moving its `next_attempt_at` forward. `for update skip locked` means two
 * senders never claim the same row; the statement commits before anything is sent.
 */
export async function claimDue(db: Db, limit: number, leaseMs: number): Promise<NotificationRow[]> {
  return db
    .updateTable('notification')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), next_attempt_at: nowPlusMs(leaseMs) }))
    .where(
      'id',
      'in',
      db
        .selectFrom('notification')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', sql<Date>`now()`)
        .orderBy('next_attempt_at')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .execute();
}

/**
 * Records deliveries, one statement for a batch: each row only if it is still the claim this
 * sender made (same attempt, still pending), since a resend or an expired lease in between makes
 * it someone else's row. Returns the ids recorded.
 */
export async function markSent(
  db: Db,
  sent: ReadonlyArray<{ id: string; attempts: number; provider: string; providerMessageId: string | null }>,
): Promise<Set<string>> {
  if (sent.length === 0) return new Set();
  const { rows } = await sql<{ id: string }>`
    update notification n
       set status = 'sent', sent_at = now(), provider = s.provider, provider_message_id = s.message_id,
           last_error = null
      from unnest(${sent.map((s) => s.id)}::uuid[], ${sent.map((s) => s.attempts)}::int[],
                  ${sent.map((s) => s.provider)}::text[], ${sent.map((s) => s.providerMessageId)}::text[])
           as s(id, attempts, provider, message_id)
     where n.id = s.id and n.status = 'pending' and n.attempts = s.attempts
    returning n.id`.execute(db);
  return new Set(rows.map((r) => r.id));
}

/** Records a failed attempt: retried after `retryInMs`, or `failed` when that is null. */
export async function markAttemptFailed(
  db: Db,
  claim: { id: string; attempts: number },
  provider: string | null,
  error: string,
  retryInMs: number | null,
): Promise<NotificationRow | undefined> {
  return db
    .updateTable('notification')
    .set({
      status: retryInMs === null ? 'failed' : 'pending',
      ...(retryInMs !== null && { next_attempt_at: nowPlusMs(retryInMs) }),
      last_error: error.slice(0, MAX_ERROR_LENGTH),
      provider,
    })
    .where('id', '=', claim.id)
    .where('status', '=', 'pending')
    .where('attempts', '=', claim.attempts)
    .returningAll()
    .executeTakeFirst();
}

/** A new series of attempts, due now; whatever the message's status was. */
export async function resetForResend(db: Db, id: string): Promise<NotificationRow | undefined> {
  return db
    .updateTable('notification')
    .set({
      status: 'pending',
      attempts: 0,
      next_attempt_at: sql<Date>`now()`,
      last_error: null,
      sent_at: null,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export function find(db: Db, id: string): Promise<NotificationRow | undefined> {
  return db.selectFrom('notification').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface ListQuery {
  status?: NotificationStatus | undefined;
  /** part of an address or number, case-insensitive */
  recipient?: string | undefined;
  orderId?: string | undefined;
  /** the last id of the previous page */
  beforeId: string | null;
  limit: number;
}

/** Newest first; ids are UUIDv7, so the id is both the order and the cursor. */
export function list(db: Db, query: ListQuery): Promise<NotificationRow[]> {
  let q = db.selectFrom('notification').selectAll();
  if (query.status) q = q.where('status', '=', query.status);
  if (query.recipient) q = q.where('recipient', 'ilike', likePattern(query.recipient));
  if (query.orderId) q = q.where('order_id', '=', query.orderId);
  if (query.beforeId) q = q.where('id', '<', query.beforeId);
  return q.orderBy('id', 'desc').limit(query.limit).execute();
}

/** Messages waiting to be sent, those of them that failed at least once, and those given up. */
export async function queueFigures(db: Db): Promise<{ pending: number; retrying: number; failed: number }> {
  const { rows } = await sql<{ pending: number; retrying: number; failed: number }>`
    select (count(*) filter (where status = 'pending'))::int as pending,
           (count(*) filter (where status = 'pending' and attempts > 0))::int as retrying,
           (count(*) filter (where status = 'failed'))::int as failed
      from notification`.execute(db);
  return rows[0] ?? { pending: 0, retrying: 0, failed: 0 };
}
