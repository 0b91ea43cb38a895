import type { Logger } from 'pino';
import { rootOf, type Db } from './db.ts';

/**
 * The lock order (docs/adr/0003-lock-order.md). A write transaction takes row locks in this
 * order, and only through the named helpers that call `takeLock`:
 *
 *   1. `order`   — the order row, FOR NO KEY UPDATE (`orders/store.ts` lockOrder). One order per
 *                  transaction; it serialises all the work on one order.
 *   2. `return`  — the return row a transaction works on, FOR UPDATE (`returns/store.ts` lock),
 *                  after its order's row: receiving, approving and refunding a return also write
 *                  its order (history, lines) and stock. A dearer exchange's charge row takes
 *                  this rank too (`returns/exchange-charge-store.ts`, ADR 0041): the return it pays for.
 *   3. `stock`   — stock rows, in (variant, location) order (`inventory/store.ts` lockLevels,
 *                  lockForReservation, settleReservations). A stock location's row is outside this order:
 *                  writes putting stock there lock it for share at any point, and the one change
 *                  that locks it exclusively (deactivating it) locks nothing else, so no cycle forms.
 *   4. `discount` — the discount code row an order redeems or gives back, one per order
 *                  (`promotions/store.ts` shareByCode, takeUse, releaseForOrder, lockById), and
 *                  the code's counter row it adds to (countUse, ADR 0037).
 *   5. `payment` — the order's payment rows (`payment/store.ts` chargesOf with a lock).
 *   6. `customer` — the customer's figures row (`orders/store.ts` countCapture, countRefund,
 *                  and updateStatus when a confirmation counts its payment), written
 *                  after the money it counts was recorded (ADR 0024).
 *   7. `document_number` — the counter row of an invoice or credit-note series (`documents/store.ts`
 *                  nextNumber), held to commit so numbers have no gaps (ADR 0029); last, because a
 *                  document is issued about what the transaction has already written.
 *   8. `staff`   — the active owners' account rows, in id order (`auth/store.ts` lockActiveOwners),
 *                  before a staff member's role changes or they are deactivated (ADR 0031).
 *
 * Each statement stays in its own context's store; this file holds the order they are taken in
 * and checks it: taking an earlier kind after a later one in the same transaction throws, so a
 * path that would deadlock against another fails in the test suite instead of once a month in
 * production. What two orders can still wait on each other for — stock rows locked in two
 * sorted groups (an order's reservations, then its lines) — is what the retry below is for.
 */
export type LockKind =
  'order' | 'return' | 'stock' | 'discount' | 'payment' | 'customer' | 'document_number' | 'staff';

const RANK: Record<LockKind, number> = {
  order: 1,
  return: 2,
  stock: 3,
  discount: 4,
  payment: 5,
  customer: 6,
  document_number: 7,
  staff: 8,
};
const taken = new WeakMap<Db, LockKind>();

export class LockOrderError extends Error {
  constructor(kind: LockKind, after: LockKind) {
    super(
      `${kind} rows locked after ${after} rows: the lock order is order → return → stock → discount → payment → customer → document_number → staff`,
    );
    this.name = 'LockOrderError';
  }
}

/** Called by each locking helper before its statement; a no-op outside a transaction. */
export function takeLock(trx: Db, kind: LockKind): void {
  if (rootOf(trx) === trx) return;
  const last = taken.get(trx);
  if (last && RANK[last] > RANK[kind]) throw new LockOrderError(kind, last);
  if (!last || RANK[kind] > RANK[last]) taken.set(trx, kind);
}

const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 3;

/**
 * A write transaction, run again (up to three attempts in all) when PostgreSQL picks it as a
 * deadlock victim (40P01) or cannot serialise it (40001): both roll the whole transaction back,
 * so running it again is safe. Every write transaction of an order goes through here; the work
 * inside must not call out (a network call would be repeated).
 */
export async function writeTransaction<T>(db: Db, log: Logger, work: (trx: Db) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= ATTEMPTS || typeof code !== 'string' || !RETRYABLE.has(code)) throw error;
      log.warn({ code, attempt }, 'transaction retried after a deadlock or serialization failure');
    }
  }
}
