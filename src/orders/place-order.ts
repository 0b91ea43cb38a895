import type { SellableVariant } from '../catalog/model.ts';
import type { CatalogService } from '../catalog/service.ts';
import type { ChargeOutcome } from '../payment/service.ts';
import type { AuthUser } from '../platform/auth/model.ts';
import { AppError, conflict, unprocessable, type ErrorBody } from '../platform/errors.ts';
import { uuidv7 } from '../platform/ids.ts';
import { eventsInStatement } from '../platform/outbox.ts';
import type { Db } from '../platform/db.ts';
import type { ShippingAddressJson } from '../platform/schema.ts';
import { writeTransaction } from '../platform/locks.ts';
import type { OrderDeps } from './deps.ts';
import { declined, outOfStock, paymentUnavailable } from './errors.ts';
import { orderEvent } from './events.ts';
import type { RequestedLine } from './model.ts';
import { confirmTotal, priceCheckout, type CheckoutChoice } from './pricing.ts';
import { getOrder, placedOrderView, type OrderView } from './queries.ts';
import { settlePayment } from './settle-payment.ts';
import * as idempotencyStore from './idempotency-store.ts';
import * as store from './store.ts';

export interface PlaceOrderInput extends CheckoutChoice {
  items: RequestedLine[];
  shippingAddress: ShippingAddressJson;
  paymentMethod: { type: string; token: string };
  /** the quote's total the shopper saw, in minor units (see `confirmTotal`) */
  expectedTotal?: number | undefined;
}

export interface Placed {
  order: OrderView;
  /** set while the customer must still authenticate the payment (3-D Secure) */
  clientSecret: string | null;
}

export interface Idempotency {
  key: string;
  requestHash: string;
}

/**
 * The shopper's items as variants: an item names a variant, or a product that has only one
 * (a product with several is a 400 from the catalog). Unknown ids stay as sent, for pricing's
 * "not found".
 */
export async function resolveItems<T extends { variantId: string }>(
  catalog: CatalogService,
  requested: readonly T[],
): Promise<{ items: T[]; variants: Map<string, SellableVariant> }> {
  const resolved = await catalog.resolveVariants(requested.map((i) => i.variantId));
  return {
    items: requested.map((i) => ({ ...i, variantId: resolved.get(i.variantId)?.id ?? i.variantId })),
    variants: new Map([...resolved.values()].map((v) => [v.id, v])),
  };
}

/**
 * Placing an order: reserve in one transaction, pay outside any transaction, record the result
 * in a second (`settlePayment`). The undo of the reservation is the settlement's: a declined or
 * unreachable payment cancels the order, which releases the stock, and a crash in between is
 * healed by recovery, because the pending order is in the database from the first step on.
 * With an idempotency key, a repeat of the same request answers with the first result.
 *
 * `shopperInTransaction` is guest checkout's: `user` is then the account as read before (or a
 * provisional one for a new email, priced like any first order), and the account the order is
 * placed on is made or found in step 1's transaction, so that a refused checkout writes none.
 */
export async function placeOrder(
  deps: OrderDeps,
  shopper: AuthUser,
  input: PlaceOrderInput,
  idempotency?: Idempotency,
  shopperInTransaction?: (trx: Db) => Promise<AuthUser>,
): Promise<Placed> {
  let user = shopper;
  if (idempotency) {
    const replay = await replayPlacement(deps, user, idempotency);
    if (replay) return replay;
  }
  const currency = deps.catalog.currency;
  const checkout = await priceCheckout(deps, shopper.id, input.items, input);
  confirmTotal(checkout.totals, input.expectedTotal, currency);
  const { lines } = checkout;
  const total = checkout.totals.totalMinor;
  const orderId = uuidv7();

  // step 1: the pending order and its reservation, in one transaction
  const stored = await writeTransaction(deps.db, deps.log, async (trx) => {
    if (shopperInTransaction) user = await shopperInTransaction(trx);
    if (
      idempotency &&
      !(await idempotencyStore.claimIdempotencyKey(
        trx,
        user.id,
        idempotency.key,
        idempotency.requestHash,
        orderId,
      ))
    ) {
      return null;
    }
    // the stock rows first (the lock order); the order, its lines, the reservation and the
    // events then go to PostgreSQL as one statement (ADR 0042)
    const reserved = await deps.inventory.reserveInStatement(trx, orderId, lines);
    if (!reserved.ok) throw outOfStock(reserved.shortages, lines);
    const placed = orderEvent('OrderPlaced', orderId, {
      orderId,
      customerId: user.id,
      items: lines.map((l) => ({
        productId: l.productId,
        variantId: l.variantId,
        name: l.name,
        variantTitle: l.variantTitle,
        sku: l.sku,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
      })),
      total,
      currency,
      timestamp: new Date().toISOString(),
    });
    const written = await store.insertOrder(
      trx,
      {
        id: orderId,
        customerId: user.id,
        customerEmail: user.email,
        currency,
        total,
        shippingAddress: input.shippingAddress,
      },
      lines,
      checkout.write,
      {
        type: 'status',
        status: 'pending',
        actor: 'customer',
        actorId: user.id,
        summary: 'Order placed',
      },
      [reserved.part, eventsInStatement(trx, [...reserved.events, placed])],
    );
    // after the order's row, which the redemption references
    const discount = checkout.write.discount;
    if (discount) {
      const redeemed = await deps.promotions.redeem(trx, {
        code: discount.code,
        customerId: user.id,
        orderId,
        subtotalMinor: checkout.totals.subtotalMinor,
      });
      if (JSON.stringify(redeemed.rule) !== JSON.stringify(discount.rule)) {
        throw conflict(
          'price_changed',
          'The discount code changed since you saw it. Review your order and try again.',
        );
      }
    }
    return written;
  });
  if (!stored && idempotency) {
    const replay = await replayPlacement(deps, user, idempotency);
    if (replay) return replay;
    throw conflict('idempotency_in_progress', 'This request is already being processed.');
  }

  // step 2: the charge, outside any transaction
  const outcome = await deps.payment.charge({
    orderId,
    amount: { amount: total, currency },
    paymentMethod: input.paymentMethod,
    idempotencyKey: deps.payment.chargeKey(orderId),
    description: `Orderly order ${orderId}`,
  });
  // step 3: confirm, or cancel (the undo of step 1)
  const confirmed = await settlePayment(
    deps,
    orderId,
    outcome,
    idempotency && { customerId: user.id, key: idempotency.key },
  );
  if (confirmed && stored) {
    return { order: await placedOrderView(deps, user, { ...confirmed, ...stored }), clientSecret: null };
  }
  return placedResult(deps, user, orderId, outcome);
}

async function placedResult(
  deps: OrderDeps,
  user: AuthUser,
  orderId: string,
  outcome: ChargeOutcome,
): Promise<Placed> {
  if (outcome.status === 'declined') throw declined(orderId, outcome);
  if (outcome.status === 'unavailable') throw paymentUnavailable(orderId);
  if (outcome.status === 'unknown') {
    throw new AppError(
      502,
      'payment_pending',
      'We could not confirm your payment with the payment provider. Your order is on hold and will be confirmed or cancelled automatically within minutes; you will not be charged twice.',
      { orderId },
    );
  }
  return {
    order: await getOrder(deps, user, orderId),
    clientSecret: outcome.status === 'requires_action' ? outcome.clientSecret : null,
  };
}

/** The first answer to a request sent again with the same Idempotency-Key, or null if there is none. */
async function replayPlacement(
  deps: OrderDeps,
  user: AuthUser,
  idempotency: Idempotency,
): Promise<Placed | null> {
  const record = await idempotencyStore.findIdempotencyKey(deps.db, user.id, idempotency.key);
  if (!record) return null;
  if (record.requestHash !== idempotency.requestHash) {
    throw unprocessable(
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request. Use a new key for a new order.',
    );
  }
  if (record.responseStatus !== null && record.responseStatus >= 400) {
    const body = record.responseBody as ErrorBody;
    throw new AppError(record.responseStatus, body.code, body.message, body.details);
  }
  if (!record.orderId) return null;
  const order = await store.find(deps.db, record.orderId);
  if (!order) return null;
  if (order.status === 'pending' && order.paymentStatus === 'pending') {
    throw conflict(
      'idempotency_in_progress',
      'This request is still being processed. Try again in a moment.',
      {
        orderId: order.id,
      },
    );
  }
  return { order: await getOrder(deps, user, order.id), clientSecret: null };
}
