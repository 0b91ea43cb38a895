import type { ExchangePayment } from '../orders/returns.ts';
import type { OrderRecord } from '../orders/store.ts';
import { giveBack, recoverIntents } from '../payment/charge-intents.ts';
import { writeTransaction } from '../platform/locks.ts';
import * as charges from './exchange-charge-store.ts';
import type { ExchangeChargeRecord } from './exchange-charge-store.ts';
import type { ReturnDeps } from './service.ts';
import * as store from './store.ts';

/**
 * A dearer exchange's charge is written down before the provider is asked for it (ADR 0041), so a
 * process that dies between the provider's charge and the return's record leaves a trace that
 * the recovery job finds. These are the charge's steps outside the return's own transaction.
 */

/** What the timeline says after "Refunded $X:" when no exchange was made for a charge. */
const NOT_MADE = 'payment for an exchange that could not be made';
const INTERRUPTED = 'payment for an exchange that was not made: the request was interrupted';

/**
 * The exchange this request made, if it was sent before: looked for before the request is priced,
 * as its units are now that exchange's. Before migration 0033 the return alone held the key.
 */
export async function madeBefore(
  deps: ReturnDeps,
  orderId: string,
  digest: string,
): Promise<string | undefined> {
  return (
    (await charges.madeReturn(deps.db, orderId, digest)) ??
    (await store.findByChargeKey(deps.db, deps.orders.exchangeChargeKey(orderId, digest)))
  );
}

/**
 * The key this request's charge is made with, written `open` unless it is open already: the same
 * request sent again meets its own attempt (the provider answers it from its key, and charges
 * once), or the return that attempt made. An attempt whose money was given back, or never taken,
 * is over: the request sent again is charged afresh, under the next attempt's key.
 */
export async function openCharge(
  deps: ReturnDeps,
  orderId: string,
  digest: string,
  amount: number,
): Promise<{ key: string; returnId: string | null }> {
  return writeTransaction(deps.db, deps.log, async (trx) => {
    await deps.orders.lock(trx, orderId);
    const latest = await charges.lockLatest(trx, orderId, digest);
    if (latest?.status === 'open' || latest?.status === 'made') {
      return { key: latest.key, returnId: latest.returnId };
    }
    const attempt = latest ? latest.attempt + 1 : 0;
    const key = deps.orders.exchangeChargeKey(orderId, attempt === 0 ? digest : `${digest}-${attempt}`);
    await charges.insert(trx, { key, orderId, digest, attempt, amount });
    return { key, returnId: null };
  });
}

/**
 * The request could not make its return after the money was taken: the charge is recorded on
 * the order and given back. Should the process stop in between, the charge is left `refunding`
 * and the recovery job finishes the refund with the same key.
 */
export async function undoCharge(deps: ReturnDeps, payment: ExchangePayment, orderId: string): Promise<void> {
  const { db, log, orders } = deps;
  try {
    const order = await writeTransaction(db, log, async (trx) => {
      const locked = await orders.lock(trx, orderId);
      // money the provider took, whatever a recovery pass that asked too early concluded
      await charges.setStatus(trx, payment.key, ['open', 'not_charged'], 'refunding');
      await payment.record(trx);
      return locked;
    });
    if (order) await giveBackCharge(deps, order, { key: payment.key, amount: payment.amount }, NOT_MADE);
  } catch (error) {
    log.error({ err: error, orderId }, 'could not give back the charge of an exchange that was not made');
  }
}

/**
 * The recovery job's pass (ADR 0041): charges left `open` or `refunding` for longer than the
 * grace period, whose request is gone. The provider is asked about each open one by its key
 * before anything moves: money it took is recorded on the order and refunded, with nothing else
 * done; an open charge it never took is closed; one it cannot decide yet (or a provider that
 * cannot be reached) is asked about again a grace period later. Returns how many it settled.
 * Safe to run in several processes at once: each charge is claimed by one pass.
 */
export async function recoverExchangeCharges(deps: ReturnDeps): Promise<number> {
  const now = deps.now?.() ?? new Date();
  const before = new Date(now.getTime() - deps.recoveryAfterMs);
  return recoverIntents(
    deps.log,
    await charges.due(deps.db, before, 100),
    // another instance's pass took it first; whatever this pass leaves undone waits a grace period
    (charge) => charges.claim(deps.db, charge.key, before),
    (charge) => recover(deps, charge),
    'exchange charge',
  );
}

async function recover(deps: ReturnDeps, charge: ExchangeChargeRecord): Promise<boolean> {
  const { db, log, orders } = deps;
  const order = await orders.find(db, charge.orderId);
  if (!order) return false;
  if (charge.status === 'refunding') return giveBackCharge(deps, order, charge, INTERRUPTED);
  const found = await orders.exchangeCharge(order, charge.amount, charge.key);
  if (found.status === 'undecided') return false;
  const step = await writeTransaction(db, log, async (trx) => {
    await orders.lock(trx, charge.orderId);
    // the request may have made its return, or given the money back, since the charge was read
    if ((await charges.lock(trx, charge.key))?.status !== 'open') return 'moved_on';
    if (found.status === 'not_charged') {
      await charges.setStatus(trx, charge.key, ['open'], 'not_charged');
      return 'closed';
    }
    await found.payment.record(trx);
    await charges.setStatus(trx, charge.key, ['open'], 'refunding');
    return 'refunding';
  });
  if (step !== 'refunding') return step === 'closed';
  log.warn(
    { orderId: order.id, key: charge.key },
    'recovery: refunding an exchange charge whose return was never made',
  );
  return giveBackCharge(deps, order, charge, INTERRUPTED);
}

/** Refunds a recorded charge that is `refunding` (`giveBack`), with the exchange's undo key. */
function giveBackCharge(
  deps: ReturnDeps,
  order: OrderRecord,
  charge: Pick<ExchangeChargeRecord, 'key' | 'amount'>,
  reason: string,
): Promise<boolean> {
  return giveBack(
    () => deps.orders.refundExchangeCharge(order, charge.amount, charge.key, reason),
    charge.amount,
    (to) => charges.setStatus(deps.db, charge.key, ['refunding'], to),
  );
}
