import { sql } from 'kysely';
import type { Db } from './db.ts';
import { badRequest } from './errors.ts';
import { decodeCursor, toPage, type Page } from './pagination.ts';

/**
 * Who changed stock, money, settings or the staff, what and when: written in the same
 * transaction as the change, so a change that rolls back leaves no entry.
 */
export async function recordAudit(
  trx: Db,
  entry: {
    actorId: string | null;
    action: string;
    targetType: string;
    targetId: string;
    details: Record<string, unknown>;
  },
): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      actor_id: entry.actorId,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      details: JSON.stringify(entry.details),
    })
    .execute();
}

export interface AuditEntry {
  /** the log's own sequence, as text: it outgrows a JavaScript number in theory, never in order */
  id: string;
  at: Date;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  details: Record<string, unknown>;
}

export interface AuditFilter {
  actorId?: string | undefined;
  /** `order.` finds every order action; `order.refund` only refunds */
  actionPrefix?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  from?: Date | undefined;
  /** exclusive */
  to?: Date | undefined;
}

/** The log newest first, a page at a time, by its sequence (the order entries were written in). */
export async function readAudit(
  db: Db,
  filter: AuditFilter,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<AuditEntry>> {
  const after = decodeCursor(page.cursor, ['string'])?.[0];
  if (after !== undefined && !/^\d{1,19}$/.test(String(after))) {
    throw badRequest('invalid_cursor', 'The cursor is not valid; start again from the first page.');
  }
  let query = db
    .selectFrom('audit_log')
    .select([
      sql<string>`id::text`.as('id'),
      'at',
      'actor_id',
      'action',
      'target_type',
      'target_id',
      'details',
    ]);
  if (filter.actorId) query = query.where('actor_id', '=', filter.actorId);
  if (filter.actionPrefix) {
    const prefix = filter.actionPrefix.replace(/[\\%_]/g, (c) => `\\${c}`);
    query = query.where('action', 'like', `${prefix}%`);
  }
  if (filter.targetType) query = query.where('target_type', '=', filter.targetType);
  if (filter.targetId) query = query.where('target_id', '=', filter.targetId);
  if (filter.from) query = query.where('at', '>=', filter.from);
  if (filter.to) query = query.where('at', '<', filter.to);
  if (after !== undefined) query = query.where(sql<boolean>`id < ${String(after)}::bigint`);
  const rows = await query
    .orderBy('audit_log.id', 'desc')
    .limit(page.limit + 1)
    .execute();
  return toPage(
    rows,
    page.limit,
    (r) => ({
      id: r.id,
      at: new Date(r.at),
      actorId: r.actor_id,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      details: r.details,
    }),
    (r) => [r.id],
  );
}
