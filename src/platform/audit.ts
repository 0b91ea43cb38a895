import type { Db } from './db.ts';

/** Who changed stock or money, what and when: written in the same transaction as the change. */
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
