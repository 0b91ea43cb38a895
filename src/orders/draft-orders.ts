import { randomUUID } from 'node:crypto';
import type { OfflineMethod } from '../payment/service.ts';
import type { AccountEmail, AuthUser } from '../platform/auth/model.ts';
import type { TokenService } from '../platform/auth/tokens.ts';
import { recordAudit } from '../platform/audit.ts';
import type { Db } from '../platform/db.ts';
import { AppError, badRequest, notFound, unprocessable } from '../platform/errors.ts';
import { uuidv7 } from '../platform/ids.ts';
import { writeTransaction } from '../platform/locks.ts';
import { formatMoney } from '../platform/money.ts';
import type { ShippingAddressJson } from '../platform/schema.ts';
import { actorOf, type OrderDeps } from './deps.ts';
import * as draftStore from './draft-store.ts';
import { declined, orderChanged, outOfStock, paymentUnavailable, pricingError, refused } from './errors.ts';
import { orderEvent, type OrderEvent } from './events.ts';
import {
  decide,
  priceDraftLines,
  type DraftLineRequest,
  type DraftProblem,
  type OrderAction,
  type OrderFacts,
  type PricedLine,
  type PriceOverride,
} from './model.ts';
import { resolveItems } from './place-order.ts';
import { repriceOrder } from './pricing.ts';
import { adminList, getOrder, type OrderView } from './queries.ts';
import { settlePayment } from './settle-payment.ts';
import * as store from './store.ts';
import type { HistoryEntry, OrderRecord } from './store.ts';
import { transition } from './transition.ts';

/**
 * Draft orders (ADR 0023): the admin builds an order for a customer on the phone, its lines at
 * the catalog's prices or at prices of their own with a reason, while no stock is held; then
 * either records that it was paid offline (draft → confirmed, the stock sold at once) or sends
 * the customer a link to pay (draft → pending, the stock held while the link works). Paying
 * through the link is placement's steps 2 and 3: a charge with the order's key, then
 * `settlePayment`.
 */

/** A payment link, and the stock it holds, works this long. */
export const PAYMENT_LINK_TTL_DAYS = 7;

/** What drafting needs of the accounts context, wired by the composition root. */
export interface DraftAccounts {
  /** an account by id, read with the connection given, with the version its links are bound to */
  find(
    db: Db,
    id: string,
  ): Promise<
    { id: string; email: string; name: string; role: AuthUser['role']; version: number } | undefined
  >;
  /** the email's account, made as a guest one when it has none (guest checkout's rule), in `db` */
  guestShopper(email: string, name: string, db: Db): Promise<{ user: AuthUser }>;
}

export interface DraftOptions {
  accounts: DraftAccounts;
  tokens: TokenService;
  /** stores an email in the transaction given, sent once it commits (the notification context) */
  mailer: { sendAccountEmail(trx: Db, key: string, to: string, email: AccountEmail): Promise<void> };
  /** the storefront's address, for the link in the email */
  publicUrl: string;
}

export type DraftCustomer = { accountId: string } | { email: string; name: string };

export interface DraftInput {
  customer: DraftCustomer;
  items: DraftLineRequest[];
  shippingAddress: ShippingAddressJson;
}

export interface DraftChange {
  items?: DraftLineRequest[] | undefined;
  shippingAddress?: ShippingAddressJson | undefined;
}

export interface OfflinePayment {
  /** minor units: must be the order's total */
  amount: number;
  method: OfflineMethod;
  note?: string | undefined;
}

type Deps = OrderDeps & DraftOptions;

const invalidLink = () =>
  new AppError(
    401,
    'invalid_payment_link',
    'This payment link is not valid or no longer works. Contact the shop for a new one.',
  );

function draftError(problem: DraftProblem): AppError {
  if (problem.kind === 'duplicate_variants') {
    return badRequest('duplicate_items', 'Each variant may be on one line of a draft only.', {
      variantIds: problem.variantIds,
    });
  }
  return pricingError(problem);
}

/** The state machine's answer for an admin's draft action, thrown when it is a refusal. */
function allow(order: OrderRecord, action: OrderAction, facts: OrderFacts = {}, details = {}): void {
  const decision = decide(order.status, action, 'admin', facts);
  if (!decision.allowed) throw refused(order.status, decision, details);
}

function priceHistory(
  admin: AuthUser,
  overrides: readonly PriceOverride[],
  currency: string,
): HistoryEntry[] {
  return overrides.map((o) => ({
    type: 'modification',
    status: null,
    actor: 'admin',
    actorId: admin.id,
    summary: `Price of ${o.name}: ${formatMoney(o.from, currency)} → ${formatMoney(o.to, currency)}${
      o.reason ? ` (${o.reason})` : ''
    }`,
    details: { priceOverride: o },
  }));
}

async function priced(deps: Deps, items: readonly DraftLineRequest[], current: readonly PricedLine[]) {
  const { items: resolved, variants } = await resolveItems(deps.catalog, items);
  const result = priceDraftLines(resolved, variants, deps.catalog.currency, current);
  if (!result.ok) throw draftError(result.problem);
  return result;
}

export async function createDraft(deps: Deps, admin: AuthUser, input: DraftInput): Promise<OrderView> {
  const result = await priced(deps, input.items, []);
  const guard = decide('draft', 'editDraft', 'admin', {
    overridesExplained: result.unexplained.length === 0,
  });
  if (!guard.allowed) throw refused('draft', guard, { variantIds: result.unexplained });
  const id = uuidv7();
  // the customer's account is made in the draft's transaction: a draft not made leaves none
  await writeTransaction(deps.db, deps.log, async (trx) => {
    const customer = await customerOf(trx, deps, input.customer);
    await draftStore.insertDraft(
      trx,
      {
        id,
        customerId: customer.id,
        customerEmail: customer.email,
        currency: deps.catalog.currency,
        total: result.total,
        shippingAddress: input.shippingAddress,
      },
      result.lines,
      [
        {
          type: 'status',
          status: 'draft',
          actor: 'admin',
          actorId: admin.id,
          summary: 'Draft order created',
        },
        ...priceHistory(admin, result.overrides, deps.catalog.currency),
      ],
    );
    await recordAudit(trx, {
      actorId: admin.id,
      action: 'order.draft_create',
      targetType: 'order',
      targetId: id,
      details: { customerId: customer.id, total: result.total, priceOverrides: result.overrides },
    });
  });
  return getOrder(deps, admin, id, { drafts: true });
}

async function customerOf(
  db: Db,
  deps: Deps,
  customer: DraftCustomer,
): Promise<{ id: string; email: string }> {
  if ('accountId' in customer) {
    const account = await deps.accounts.find(db, customer.accountId);
    if (!account) throw notFound('Customer', customer.accountId);
    if (account.role === 'admin') {
      throw unprocessable('invalid_customer', "A draft order is for a customer; this is an admin's account.");
    }
    return account;
  }
  const { user } = await deps.accounts.guestShopper(customer.email, customer.name, db);
  return user;
}

/** A draft is priced by its lines alone: no shipping, tax or discount code (ADR 0023). */
const DRAFT_PRICING = {
  shipping: null,
  discountCode: null,
  discountRule: null,
  taxRates: [],
  pricesIncludeTax: false,
};

/** Replaces a draft's lines (the full new list) and/or its address; prices as on creation. */
export async function updateDraft(
  deps: Deps,
  admin: AuthUser,
  orderId: string,
  change: DraftChange,
): Promise<OrderView> {
  const before = await store.findWithLines(deps.db, orderId);
  if (!before) throw notFound('Order', orderId);
  allow(before, 'editDraft');
  const result = change.items && (await priced(deps, change.items, before.lines));
  if (result)
    allow(
      before,
      'editDraft',
      { overridesExplained: result.unexplained.length === 0 },
      { variantIds: result.unexplained },
    );
  await writeTransaction(deps.db, deps.log, async (trx) => {
    const order = await store.lockOrder(trx, orderId);
    if (!order) throw notFound('Order', orderId);
    allow(order, 'editDraft');
    // priced from the lines read before the lock: another edit since would make its overrides wrong
    if (order.version !== before.version) throw orderChanged(order.status);
    const repriced = repriceOrder(result?.lines ?? before.lines, DRAFT_PRICING);
    await store.replaceLines(trx, orderId, repriced.lines, repriced.write, change.shippingAddress);
    const total = result ? { from: before.total, to: result.total } : undefined;
    await store.addHistory(trx, orderId, [
      ...priceHistory(admin, result?.overrides ?? [], order.currency),
      {
        type: 'modification',
        status: null,
        actor: 'admin',
        actorId: admin.id,
        summary: 'Draft edited',
        details: {
          ...(total && { total }),
          ...(change.shippingAddress && {
            shippingAddress: { from: before.shippingAddress, to: change.shippingAddress },
          }),
        },
      },
    ]);
    await recordAudit(trx, {
      actorId: admin.id,
      action: 'order.draft_update',
      targetType: 'order',
      targetId: orderId,
      details: {
        ...(total && { total }),
        priceOverrides: result?.overrides ?? [],
        addressChanged: Boolean(change.shippingAddress),
      },
    });
  });
  return getOrder(deps, admin, orderId, { drafts: true });
}

export async function deleteDraft(deps: Deps, admin: AuthUser, orderId: string): Promise<void> {
  await writeTransaction(deps.db, deps.log, async (trx) => {
    const order = await store.lockOrder(trx, orderId);
    if (!order) throw notFound('Order', orderId);
    allow(order, 'deleteDraft');
    if (!(await draftStore.deleteDraft(trx, orderId))) throw orderChanged(order.status);
    await recordAudit(trx, {
      actorId: admin.id,
      action: 'order.draft_delete',
      targetType: 'order',
      targetId: orderId,
      details: { number: order.number, customerId: order.customerId, total: order.total },
    });
  });
}

/** OrderPlaced for a draft that leaves draft: from then on it is an order like a placed one. */
function placedEvent(order: OrderRecord, lines: readonly PricedLine[]): OrderEvent {
  return orderEvent('OrderPlaced', order.id, {
    orderId: order.id,
    customerId: order.customerId,
    items: lines.map((l) => ({
      productId: l.productId,
      variantId: l.variantId,
      name: l.name,
      variantTitle: l.variantTitle,
      sku: l.sku,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
    })),
    total: order.total,
    currency: order.currency,
    timestamp: new Date().toISOString(),
  });
}

/**
 * The customer paid the shop directly: in one transaction the stock is reserved (409 when it is
 * short, and the draft stays as it was) and sold, the offline payment recorded, and the order
 * confirmed, which sends the confirmation email as for any order.
 */
export async function recordOfflinePayment(
  deps: Deps,
  admin: AuthUser,
  orderId: string,
  payment: OfflinePayment,
): Promise<OrderView> {
  await writeTransaction(deps.db, deps.log, async (trx) => {
    const order = await store.lockOrder(trx, orderId);
    if (!order) throw notFound('Order', orderId);
    allow(
      order,
      'recordOfflinePayment',
      { amountIsTotal: payment.amount === order.total },
      {
        total: order.total,
        currency: order.currency,
      },
    );
    const lines = await store.linesOf(trx, orderId);
    const reserved = await deps.inventory.reserve(trx, orderId, lines);
    if (!reserved.ok) throw outOfStock(reserved.shortages, lines);
    await deps.inventory.commit(trx, orderId);
    const paid = await deps.payment.recordOffline(trx, {
      orderId,
      amount: order.total,
      currency: order.currency,
      method: payment.method,
    });
    const note = payment.note?.trim();
    await transition(trx, order, {
      action: 'recordOfflinePayment',
      actor: actorOf(admin),
      paymentId: paid.paymentId,
      method: payment.method,
      placed: placedEvent(order, lines),
      precededBy: [
        {
          type: 'payment',
          status: null,
          actor: 'admin',
          actorId: admin.id,
          summary: `Payment of ${formatMoney(order.total, order.currency)} received offline (${payment.method.replace('_', ' ')})${
            note ? `: ${note}` : ''
          }`,
          details: { method: payment.method, ...(note && { note }) },
        },
      ],
    });
    if (paid.recorded) await store.countCapture(trx, orderId, order.total, true);
  });
  return getOrder(deps, admin, orderId, { drafts: true });
}

/**
 * Sends the customer a link to pay: the stock is reserved for as long as the link works (409
 * when it is short; the draft stays), the order becomes pending, and the email with the signed
 * link is stored in the same transaction, so it goes out only if all of that commits.
 */
export async function sendPaymentLink(deps: Deps, admin: AuthUser, orderId: string): Promise<OrderView> {
  const ttlSeconds = PAYMENT_LINK_TTL_DAYS * 86_400;
  await writeTransaction(deps.db, deps.log, async (trx) => {
    const order = await store.lockOrder(trx, orderId);
    if (!order) throw notFound('Order', orderId);
    allow(order, 'sendPaymentLink');
    const customer = await deps.accounts.find(trx, order.customerId);
    if (!customer) throw notFound('Customer', order.customerId);
    const lines = await store.linesOf(trx, orderId);
    const reserved = await deps.inventory.reserve(trx, orderId, lines, ttlSeconds);
    if (!reserved.ok) throw outOfStock(reserved.shortages, lines);
    const linkExpiresAt = new Date(Date.now() + ttlSeconds * 1000);
    await transition(trx, order, {
      action: 'sendPaymentLink',
      actor: actorOf(admin),
      linkExpiresAt,
      placed: placedEvent(order, lines),
    });
    const token = await deps.tokens.issueLink(
      'order_payment',
      { subject: orderId, accountId: customer.id, version: customer.version },
      ttlSeconds,
    );
    await deps.mailer.sendAccountEmail(trx, randomUUID(), customer.email, {
      template: 'order_payment_link',
      name: customer.name,
      orderNumber: order.number,
      total: formatMoney(order.total, order.currency),
      payUrl: `${deps.publicUrl.replace(/\/+$/, '')}/pay/${orderId}?token=${encodeURIComponent(token)}`,
      expiresInDays: PAYMENT_LINK_TTL_DAYS,
    });
  });
  return getOrder(deps, admin, orderId, { drafts: true });
}

export interface PayableOrder {
  order: OrderView;
  /** whether the link can still be paid with: the order pending, the link not expired */
  payable: boolean;
  linkExpiresAt: Date | null;
  clientSecret: string | null;
}

/** The order a payment link names, as its holder sees it; 401 for any token but a valid link. */
export async function payableOrder(deps: Deps, orderId: string, token: string): Promise<PayableOrder> {
  const holder = await linkHolder(deps, orderId, token);
  const order = await getOrder(deps, holder, orderId);
  const linkExpiresAt = await draftStore.paymentLinkExpiry(deps.db, orderId);
  // a payment waiting for 3-D Secure stays payable: paying again returns the same charge
  const payable = order.status === 'pending' && linkExpiresAt !== null && linkExpiresAt > new Date();
  return { order, payable, linkExpiresAt, clientSecret: null };
}

async function linkHolder(deps: Deps, orderId: string, token: string): Promise<AuthUser> {
  const claims = await deps.tokens.verifyLink('order_payment', token);
  if (!claims) throw invalidLink();
  if (claims.subject !== orderId) throw notFound('Order', orderId);
  const account = await deps.accounts.find(deps.db, claims.accountId);
  // whatever revokes the account's sessions (signing out everywhere, a claim) revokes its links
  if (!account || account.version !== claims.version) throw invalidLink();
  return { id: account.id, email: account.email, role: 'guest', staffRole: null };
}

/**
 * Pays a payment link's order: placement's steps 2 and 3. The charge carries the order's own
 * idempotency key, so paying twice (two tabs, a retry) charges once; an order already paid is
 * answered as it is, without a second charge.
 */
export async function payByLink(
  deps: Deps,
  orderId: string,
  token: string,
  paymentMethod: { type: string; token: string },
): Promise<PayableOrder> {
  const current = await payableOrder(deps, orderId, token);
  if (current.order.status !== 'pending') {
    if (current.order.payment.paid > 0) return current;
    throw refused(current.order.status, {
      allowed: false,
      kind: 'state',
      reason: 'This order can no longer be paid for; contact the shop.',
    });
  }
  if (!current.payable) {
    throw new AppError(
      409,
      'payment_link_expired',
      'This payment link has expired. Contact the shop for a new one.',
      {
        orderId,
      },
    );
  }
  const outcome = await deps.payment.charge({
    orderId,
    amount: { amount: current.order.total, currency: current.order.currency },
    paymentMethod,
    idempotencyKey: deps.payment.chargeKey(orderId),
    description: `Orderly order ${orderId}`,
  });
  await settlePayment(deps, orderId, outcome);
  if (outcome.status === 'declined') throw declined(orderId, outcome);
  if (outcome.status === 'unavailable') throw paymentUnavailable(orderId);
  if (outcome.status === 'unknown') {
    throw new AppError(
      502,
      'payment_pending',
      'We could not confirm your payment with the payment provider. The order will be confirmed or cancelled automatically within minutes; you will not be charged twice.',
      { orderId },
    );
  }
  const after = await payableOrder(deps, orderId, token);
  return { ...after, clientSecret: outcome.status === 'requires_action' ? outcome.clientSecret : null };
}

/** The draft use cases as one object, given the orders context's dependencies once. */
export class DraftOrderService {
  readonly #deps: Deps;

  constructor(deps: OrderDeps, options: DraftOptions) {
    this.#deps = { ...deps, ...options };
  }

  /** The drafts, newest first, in keyset pages like the admin's order search. */
  list(query: { limit: number; cursor?: string | undefined }) {
    return adminList(this.#deps, { ...query, status: 'draft', sort: 'createdAt', order: 'desc' });
  }

  /** One draft (or the order it became), for the admin. */
  get(admin: AuthUser, orderId: string) {
    return getOrder(this.#deps, admin, orderId, { drafts: true });
  }

  create(admin: AuthUser, input: DraftInput) {
    return createDraft(this.#deps, admin, input);
  }

  update(admin: AuthUser, orderId: string, change: DraftChange) {
    return updateDraft(this.#deps, admin, orderId, change);
  }

  delete(admin: AuthUser, orderId: string) {
    return deleteDraft(this.#deps, admin, orderId);
  }

  recordOfflinePayment(admin: AuthUser, orderId: string, payment: OfflinePayment) {
    return recordOfflinePayment(this.#deps, admin, orderId, payment);
  }

  sendPaymentLink(admin: AuthUser, orderId: string) {
    return sendPaymentLink(this.#deps, admin, orderId);
  }

  payable(orderId: string, token: string) {
    return payableOrder(this.#deps, orderId, token);
  }

  pay(orderId: string, token: string, paymentMethod: { type: string; token: string }) {
    return payByLink(this.#deps, orderId, token, paymentMethod);
  }
}
