import type { Logger } from 'pino';
import type { Db } from './db.ts';

/**
 * A transaction that is run again when PostgreSQL picks it as a deadlock victim: an order's
 * stock rows are locked in two sorted groups (reservations, then lines), so two orders sharing
 * products can, rarely, wait on each other. The work inside must not call out.
 */
export async function writeTransaction<T>(db: Db, log: Logger, work: (trx: Db) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= 3 || (code !== '40P01' && code !== '40001')) throw error;
      log.warn({ code, attempt }, 'order transaction retried after a deadlock');
    }
  }
}
