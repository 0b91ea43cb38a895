import { chargeFound, giveBack, recoverIntents } from '../payment/charge-intents.ts';
import type { ChargeOutcome } from '../payment/service.ts';
import type { Db } from '../platform/db.ts';
import { writeTransaction } from '../platform/locks.ts';
import { formatMoney } from '../platform/money.ts';
import * as charges from './change-charge-store.ts';
import type { ChangeChargeRecord } from './change-charge-store.ts';
import { SYSTEM, type OrderDeps } from './deps.ts';
import { refundPayment } from './refunds.ts';
import * as store from './store.ts';
import type { HistoryEntry, OrderRecord } from './store.ts';

/**
 * An order change that costs more has its charge written down in the transaction that reserves
 * its units, before the provider is asked (ADR 0043), so a process that dies between the
 * provider's charge and the change's record leaves a trace that the recovery job finds. These
 * are the charge's steps outside the change's own transactions.
 */

/** What the timeline says after "Refunded $X:" when the request died before its change was kept. */
const INTERRUPTED = 'payment for an order change that was not made: the request was interrupted';

/**
 * The key this request's charge is made with, in the transaction of the change's step (1), the
 * order's row locked. Sent again while its attempt is open, the request meets it: the provider
 * answers it from its key and charges once, and the units that attempt reserved are still held
 * for it (`held`) unless its charge failed. An attempt whose money was given back, or never taken,
 * is over: the request sent again is charged afresh, under the next attempt's key, as the
 * provider would replay the first key's success for money already refunded.
 */
export async function openChangeCharge(
  trx: Db,
  deps: OrderDeps,
  charge: { orderId: string; digest: string; amount: number; reserves: boolean },
): Promise<{ key: string; held: boolean }> {
  const { orderId, digest, amount, reserves } = charge;
  const last = await charges.latest(trx, orderId, digest);
  if (last?.status === 'open') {
    // touched, so recovery leaves it a grace period from now
    await charges.update(trx, last.key, ['open'], { holdsStock: last.holdsStock || reserves });
    return { key: last.key, held: last.holdsStock };
  }
  const attempt = last ? last.attempt + 1 : 0;
  const key = deps.payment.chargeKey(orderId, attempt === 0 ? digest : `${digest}-${attempt}`);
  await charges.insert(trx, { key, orderId, digest, attempt, amount, holdsStock: reserves });
  return { key, held: false };
}

/**
 * Records a charge for an order on top of its total (a change, an exchange) in the caller's
 * transaction, the order's row locked: on the payments, the customer's figures and, the first
 * time only, the timeline; a retry of the same charge records nothing.
 */
export async function recordExtraCharge(
  deps: OrderDeps,
  trx: Db,
  order: OrderRecord,
  charge: { key: string; amount: number; outcome: Extract<ChargeOutcome, { status: 'succeeded' }> },
  entry: HistoryEntry,
): Promise<void> {
  const { key, amount, outcome } = charge;
  const payment = { orderId: order.id, idempotencyKey: key, amount, currency: order.currency };
  if (await deps.payment.record(trx, payment, outcome)) {
    await store.countCapture(trx, order.id, amount, false);
    await store.addHistory(trx, order.id, [entry]);
  }
  const summary = await deps.payment.summary(trx, order.id);
  await store.setPaymentStatus(trx, order.id, summary.state);
}

/**
 * Gives back a recorded change charge that is `refunding`, by the system, with the key
 * `<charge key>-undo`: the request that could not keep its change and the recovery job send the
 * same refund, made once. True once it has ended.
 */
export function giveBackChangeCharge(
  deps: OrderDeps,
  order: OrderRecord,
  charge: Pick<ChangeChargeRecord, 'key' | 'amount'>,
  reason: string,
): Promise<boolean> {
  return giveBack(
    () => refundPayment(deps, order, charge.amount, SYSTEM, `${charge.key}-undo`, reason),
    charge.amount,
    (to) => charges.update(deps.db, charge.key, ['refunding'], { status: to }),
  );
}

/**
 * The recovery job's pass (ADR 0043): change charges left `open` or `refunding` for longer than
 * the grace period, whose request is gone. The provider is asked about each open one by its key
 * before anything moves: money it took is recorded on the order and refunded, and the change's
 * units go back; an open charge it never took is closed, its units given back too; one it cannot
 * decide yet (or a provider that cannot be reached) is asked about again a grace period later.
 * Returns how many it settled. Safe to run in several processes at once.
 */
export async function recoverChangeCharges(deps: OrderDeps): Promise<number> {
  const before = new Date(Date.now() - deps.recoveryAfterMs);
  return recoverIntents(
    deps.log,
    await charges.due(deps.db, before, 100),
    (charge) => charges.claim(deps.db, charge.key, before),
    (charge) => recover(deps, charge),
    'order change charge',
  );
}

async function recover(deps: OrderDeps, charge: ChangeChargeRecord): Promise<boolean> {
  const order = await store.find(deps.db, charge.orderId);
  if (!order) return false;
  if (charge.status === 'refunding') return giveBackChangeCharge(deps, order, charge, INTERRUPTED);
  const found = chargeFound(await deps.payment.status(order.id, charge.key));
  if (found.status === 'undecided') return false;
  const step = await writeTransaction(deps.db, deps.log, async (trx) => {
    const locked = await store.lockOrder(trx, charge.orderId);
    // the request may have kept its change, or given the money back, since the charge was read
    const current = await charges.find(trx, charge.key);
    if (!locked || current?.status !== 'open') return 'moved_on';
    // stock rows before payment rows: the lock order
    if (current.holdsStock) await deps.inventory.release(trx, order.id, 'modification_interrupted');
    if (found.status === 'not_charged') {
      await charges.update(trx, charge.key, ['open'], { status: 'not_charged', holdsStock: false });
      return 'closed';
    }
    await recordExtraCharge(
      deps,
      trx,
      locked,
      { key: charge.key, amount: charge.amount, outcome: found.outcome },
      {
        type: 'payment',
        status: null,
        actor: 'system',
        actorId: null,
        summary: `Payment of ${formatMoney(charge.amount, order.currency)} received for an order change`,
        details: { amount: charge.amount },
      },
    );
    await charges.update(trx, charge.key, ['open'], { status: 'refunding', holdsStock: false });
    return 'refunding';
  });
  if (step !== 'refunding') return step === 'closed';
  deps.log.warn(
    { orderId: order.id, key: charge.key },
    'recovery: refunding an order change charge whose change was never kept',
  );
  return giveBackChangeCharge(deps, order, charge, INTERRUPTED);
}
