import { createHash } from 'node:crypto';
import type { ChargeOutcome } from '../payment/service.ts';
import type { AuthUser } from '../platform/auth/model.ts';
import { recordAudit } from '../platform/audit.ts';
import { AppError, conflict, notFound, unprocessable } from '../platform/errors.ts';
import { writeTransaction } from '../platform/locks.ts';
import { formatMoney } from '../platform/money.ts';
import { appendEvents } from '../platform/outbox.ts';
import type { ShippingAddressJson } from '../platform/schema.ts';
import * as changeCharges from './change-charge-store.ts';
import { giveBackChangeCharge, openChangeCharge } from './change-charges.ts';
import { actorOf, owned, type ActorRef, type OrderDeps } from './deps.ts';
import {
  assertChargeConfirmed,
  extraChargeError,
  refused,
  orderChanged,
  outOfStock,
  pricingError,
} from './errors.ts';
import { orderEvent } from './events.ts';
import {
  decide,
  planChange,
  type ChangePlan,
  type LineChange,
  type OrderLine,
  type PricedLine,
} from './model.ts';
import { repriceOrder } from './pricing.ts';
import { getOrder, type OrderView } from './queries.ts';
import { resolveItems } from './place-order.ts';
import { refundPayment } from './refunds.ts';
import * as store from './store.ts';
import type { HistoryEntry, OrderRecord, PricingWrite } from './store.ts';

export interface OrderChange {
  items?: Array<{ variantId: string; quantity: number }> | undefined;
  shippingAddress?: ShippingAddressJson | undefined;
  paymentMethod?: { type: string; token: string } | undefined;
  /** the amount the person saw and agreed to pay for the change, in minor units */
  confirmedAmount?: number | undefined;
}

/** What a change would make of an order, priced now, before anything is kept or charged. */
export interface ModificationQuote {
  order: OrderRecord;
  /** the lines after the change, priced by the rules the order was placed with */
  plan: Omit<ChangePlan, 'lines'> & { lines: OrderLine[] };
  pricing: PricingWrite;
  /** to charge when the change costs more, in minor units; 0 otherwise */
  amountDue: number;
  /** to refund when the change costs less, in minor units; 0 otherwise */
  amountRefunded: number;
}

/** Prices a change without making it: what the shopper confirms before any money moves. */
export async function quote(
  deps: OrderDeps,
  user: AuthUser,
  orderId: string,
  change: Pick<OrderChange, 'items'>,
): Promise<ModificationQuote> {
  const order = await owned(deps.db, user, orderId);
  const decision = decide(order.status, 'modify', actorOf(user).kind);
  if (!decision.allowed) throw refused(order.status, decision);
  const current = await store.linesOf(deps.db, orderId);
  let plan: ChangePlan = { lines: current, total: order.total, changes: [] };
  if (change.items) {
    const { items, variants } = await resolveItems(deps.catalog, change.items);
    const result = planChange(current, items, variants, deps.catalog.currency);
    if (!result.ok) throw pricingError(result.problem);
    plan = result.plan;
  }
  if (plan.lines.length === 0) {
    throw unprocessable('order_empty', 'An order needs at least one line; cancel the order instead.');
  }
  const repriced = repriceOrder(plan.lines, order.pricing);
  const total = repriced.write.totals.totalMinor;
  const difference = total - order.total;
  return {
    order,
    plan: { ...plan, lines: repriced.lines, total },
    pricing: repriced.write,
    amountDue: Math.max(difference, 0),
    amountRefunded: Math.max(-difference, 0),
  };
}

/**
 * Changes the lines or the address of a confirmed order, in three steps with no transaction
 * held across the gateway: (1) check the order is as read and no other change is being paid
 * for, reserve the extra units and write down the charge; (2) charge the difference; (3) under
 * the order's lock, keep the change only if the order is still at the version it was read at and
 * the charge still open. Whatever fails undoes what ran before it: the reservation is released, a
 * charge refunded; a charge whose request died is refunded by the recovery job (ADR 0043). A
 * decrease is refunded after the change is kept.
 */
export async function modifyOrder(
  deps: OrderDeps,
  user: AuthUser,
  orderId: string,
  change: OrderChange,
): Promise<OrderView> {
  const actor = actorOf(user);
  const { order, plan, pricing, amountDue } = await quote(deps, user, orderId, change);
  const { lines: newLines, total: newTotal, changes: diff } = plan;
  const extra = newTotal - order.total;
  if (diff.length === 0 && !change.shippingAddress) return getOrder(deps, user, orderId);
  assertChargeConfirmed(order.currency, amountDue, change, 'change');

  const increases = diff
    .filter((d) => d.to > d.from)
    .map((d) => ({ variantId: d.variantId, quantity: d.to - d.from }));
  const decreases = diff
    .filter((d) => d.to < d.from)
    .map((d) => ({ variantId: d.variantId, quantity: d.from - d.to }));

  // (1) Extra units are held under the order's lock, and only while no other change of this
  // order holds any: so the active reservations of a confirmed order are always exactly those
  // of the one change in flight, and committing or releasing them can never take another's.
  // The difference's charge is written down here, before the provider is asked (ADR 0043): a
  // process that dies after the provider took it leaves a trace for the recovery job. Its key is
  // of this version and this request: the same request sent again is charged once, and another
  // card after a decline is a new charge.
  const paymentMethod = extra > 0 ? change.paymentMethod : undefined;
  const charging = paymentMethod !== undefined;
  const digest = `v${order.version}-${changeDigest(newLines, extra, change.paymentMethod)}`;
  let chargeKey = deps.payment.chargeKey(orderId, digest);
  if (increases.length > 0 || charging) {
    chargeKey = await writeTransaction(deps.db, deps.log, async (trx) => {
      const current = await store.lockOrder(trx, orderId);
      if (!current) throw notFound('Order', orderId);
      if (current.status !== 'confirmed' || current.version !== order.version)
        throw orderChanged(current.status);
      const reserves = increases.length > 0;
      const opened = charging
        ? await openChangeCharge(trx, deps, { orderId, digest, amount: extra, reserves })
        : { key: chargeKey, held: false };
      // sent again while its charge is open, the request's units are still held for it
      if (reserves && !opened.held) {
        const changeInFlight = (await deps.inventory.activeReservations(trx, orderId)).length > 0;
        const guarded = decide(current.status, 'modify', actor.kind, { changeInFlight });
        if (!guarded.allowed) throw refused(current.status, guarded);
        const reserved = await deps.inventory.reserve(trx, orderId, increases);
        if (!reserved.ok) throw outOfStock(reserved.shortages, newLines);
      }
      return opened.key;
    });
  }

  // (2) The difference is charged. Its undo is (1)'s: the reservation is released.
  let charged: Extract<ChargeOutcome, { status: 'succeeded' }> | null = null;
  if (paymentMethod) {
    let outcome: ChargeOutcome;
    try {
      outcome = await deps.payment.charge({
        orderId,
        amount: { amount: extra, currency: order.currency },
        paymentMethod,
        idempotencyKey: chargeKey,
        description: `Orderly order ${orderId} change`,
      });
    } catch (error) {
      await releaseChange(deps, orderId, 'modification_failed', chargeKey);
      throw error;
    }
    if (outcome.status !== 'succeeded') {
      await releaseChange(deps, orderId, 'modification_failed', chargeKey);
      throw extraChargeError(orderId, outcome, 'change');
    }
    charged = outcome;
  }

  // (3) Keep the change, or undo it.
  const applied = await writeTransaction(deps.db, deps.log, async (trx): Promise<Applied> => {
    const current = await store.lockOrder(trx, orderId);
    const intent = charged ? await changeCharges.find(trx, chargeKey) : undefined;
    // the same request sent twice at once: the other kept the change this charge paid for
    if (intent?.status === 'made') return { result: 'made', giveBack: false };
    // a charge no longer open was given back, or closed, by recovery: the change cannot be kept
    const kept =
      current?.version === order.version &&
      current.status === 'confirmed' &&
      (!charged || intent?.status === 'open');
    // only the units the change holds: a twin request that kept the change committed them
    const releases = charged ? intent?.holdsStock === true : increases.length > 0;
    // stock rows before payment rows: the lock order
    if (!kept) {
      // the undo of (1): the extra units go back
      if (releases) await deps.inventory.release(trx, orderId, 'modification_conflict');
    } else {
      if (increases.length > 0) await deps.inventory.commit(trx, orderId);
      await deps.inventory.restock(trx, orderId, decreases, 'order_modified');
    }
    // a charge is recorded whether the change is kept or not: its refund below needs the record
    let giveBack = false;
    if (charged) {
      const newlyPaid = await deps.payment.record(
        trx,
        { orderId, idempotencyKey: chargeKey, amount: extra, currency: order.currency },
        charged,
      );
      if (newlyPaid) await store.countCapture(trx, orderId, extra, false);
      // money recovery found not taken, or is giving back already: refunded once, under one key
      const moved = await changeCharges.update(trx, chargeKey, kept ? ['open'] : ['open', 'not_charged'], {
        status: kept ? 'made' : 'refunding',
        holdsStock: false,
      });
      giveBack = !kept && (moved || intent?.status === 'refunding');
    }
    if (!kept) return { result: intent && intent.status !== 'open' ? 'expired' : 'conflict', giveBack };
    await store.replaceLines(trx, orderId, newLines, pricing, change.shippingAddress);
    const changes = {
      ...(diff.length > 0 && { items: diff, total: { from: order.total, to: newTotal } }),
      ...(change.shippingAddress && {
        shippingAddress: { from: order.shippingAddress, to: change.shippingAddress },
      }),
    };
    if (actor.kind === 'admin') {
      await recordAudit(trx, {
        actorId: actor.id,
        action: 'order.modify',
        targetType: 'order',
        targetId: orderId,
        details: changes,
      });
    }
    await store.addHistory(trx, orderId, [
      {
        type: 'modification',
        status: null,
        actor: actor.kind,
        actorId: actor.id,
        summary: describeChanges(diff, !!change.shippingAddress),
        details: changes,
      },
      ...(charged ? [changePayment(extra, order.currency, actor)] : []),
    ]);
    await appendEvents(trx, [
      orderEvent('OrderModified', orderId, {
        orderId,
        customerId: order.customerId,
        changes,
        currency: order.currency,
        timestamp: new Date().toISOString(),
      }),
    ]);
    if (charged) {
      const summary = await deps.payment.summary(trx, orderId);
      await store.setPaymentStatus(trx, orderId, summary.state);
    }
    return { result: 'kept', giveBack: false };
  });
  if (applied.result === 'conflict' || applied.result === 'expired') {
    // the undo of (2): the charge goes back, with the key recovery gives it back with too
    if (applied.giveBack) {
      await giveBackChangeCharge(
        deps,
        order,
        { key: chargeKey, amount: extra },
        'modification_conflict',
      ).catch((error: unknown) => {
        // refund_exceeds_payment: a cancellation meanwhile refunded everything, this charge too
        if (!(error instanceof AppError)) throw error;
        deps.log.warn({ orderId, code: error.code }, 'refund of an undone change not completed yet');
      });
    }
    if (applied.result === 'expired') {
      throw conflict(
        'change_payment_expired',
        'The payment for this change took too long to be confirmed, so the change was not kept and the payment is given back. Send the request again.',
        { orderId },
      );
    }
    const current = await store.find(deps.db, orderId);
    throw orderChanged(current?.status ?? order.status);
  }
  if (extra < 0) {
    await refundPayment(
      deps,
      order,
      -extra,
      actor,
      deps.payment.chargeKey(orderId, `v${order.version}-decrease`),
      'order_modified',
    ).catch((error: unknown) => {
      if (!(error instanceof AppError)) throw error;
      deps.log.warn({ orderId, code: error.code }, 'refund of a reduced order not completed yet');
    });
  }
  return getOrder(deps, user, orderId);
}

/** The charge for a change, on the order's timeline beside the change itself. */
function changePayment(amount: number, currency: string, actor: ActorRef): HistoryEntry {
  return {
    type: 'payment',
    status: null,
    actor: actor.kind,
    actorId: actor.id,
    summary: `Payment of ${formatMoney(amount, currency)} received for the change`,
    details: { amount },
  };
}

/**
 * What step (3) did: the change kept, or not (and why), or kept by the same request sent twice;
 * and whether this request is to give the charge back.
 */
interface Applied {
  result: 'kept' | 'conflict' | 'expired' | 'made';
  giveBack: boolean;
}

/**
 * The undo of step (1): the extra units go back, and the charge, still open for recovery to ask
 * the provider about, no longer holds them. Only units it holds: the same request sent twice at
 * once may have kept the change with them, and the next change may hold others by now.
 */
async function releaseChange(
  deps: OrderDeps,
  orderId: string,
  reason: string,
  chargeKey: string,
): Promise<void> {
  await writeTransaction(deps.db, deps.log, async (trx) => {
    await store.lockOrder(trx, orderId);
    if (!(await changeCharges.find(trx, chargeKey))?.holdsStock) return;
    await changeCharges.update(trx, chargeKey, ['open'], { holdsStock: false });
    await deps.inventory.release(trx, orderId, reason);
  });
}

function describeChanges(diff: readonly LineChange[], address: boolean): string {
  const parts = diff.map((d) =>
    d.to === 0
      ? `removed ${d.name}`
      : d.from === 0
        ? `added ${d.to} × ${d.name}`
        : `${d.name}: ${d.from} → ${d.to}`,
  );
  if (address) parts.push('shipping address changed');
  const text = parts.join('; ');
  return `Order changed: ${text}`;
}

/** Identifies one requested change for the gateway's idempotency: same lines, amount and card. */
function changeDigest(
  lines: readonly PricedLine[],
  amount: number,
  paymentMethod: { type: string; token: string } | undefined,
): string {
  const key = JSON.stringify([
    lines.map((l) => [l.variantId, l.quantity, l.unitPrice]).sort(),
    amount,
    paymentMethod?.type ?? null,
    paymentMethod?.token ?? null,
  ]);
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}
