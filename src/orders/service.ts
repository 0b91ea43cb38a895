import type { ChargeOutcome } from '../payment/service.ts';
import type { AuthUser } from '../platform/auth/model.ts';
import type { Db } from '../platform/db.ts';
import type { OrderDeps } from './deps.ts';
import type { RequestedLine } from './model.ts';
import { priceCheckout, type CheckoutChoice } from './pricing.ts';
import { recoverChangeCharges } from './change-charges.ts';
import { DraftOrderService, type DraftOptions } from './draft-orders.ts';
import { exportCsv, type ExportKind, type ExportSearch } from './export.ts';
import { cancelOrder, confirmOrder } from './lifecycle.ts';
import { modifyOrder, quote, type OrderChange } from './modify-order.ts';
import { placeOrder, type Idempotency, type PlaceOrderInput } from './place-order.ts';
import * as queries from './queries.ts';
import { adminRefund, refundedOutside, refundSettlement, type ReturnRefundCompleted } from './refunds.ts';
import { returnsPort } from './returns.ts';
import { recoverStalledOrders, settlePayment } from './settle-payment.ts';
import * as store from './store.ts';
import type { AdminOrderQuery, CustomerFiguresQuery, OrderRecord } from './store.ts';
import { transition, type TransitionRequest } from './transition.ts';

/**
 * The orders context as the rest of Orderly sees it: one method per use case, each a plain
 * function in its own file (place-order, settle-payment, lifecycle, modify-order, refunds,
 * queries) given the dependencies wired here once.
 */
export class OrderService {
  readonly #deps: OrderDeps;

  constructor(deps: Omit<OrderDeps, 'recoveryAfterMs'> & { paymentRecoveryAfterSeconds: number }) {
    const { paymentRecoveryAfterSeconds, ...rest } = deps;
    this.#deps = { ...rest, recoveryAfterMs: paymentRecoveryAfterSeconds * 1000 };
  }

  /** The admin's draft orders (phone orders) and their payment links, on these dependencies. */
  drafts(options: DraftOptions): DraftOrderService {
    return new DraftOrderService(this.#deps, options);
  }

  place(
    user: AuthUser,
    input: PlaceOrderInput,
    idempotency?: Idempotency,
    shopperInTransaction?: (trx: Db) => Promise<AuthUser>,
  ) {
    return placeOrder(this.#deps, user, input, idempotency, shopperInTransaction);
  }

  /** A payment result from outside the checkout (a webhook): the order changes, nothing is answered. */
  async settlePayment(orderId: string, outcome: ChargeOutcome): Promise<void> {
    await settlePayment(this.#deps, orderId, outcome);
  }

  recoverStalledOrders() {
    return recoverStalledOrders(this.#deps);
  }

  /** The recovery job's pass over order changes' charges whose request died (ADR 0043). */
  recoverChangeCharges() {
    return recoverChangeCharges(this.#deps);
  }

  confirm(user: AuthUser, orderId: string) {
    return confirmOrder(this.#deps, user, orderId);
  }

  cancel(user: AuthUser, orderId: string, reason: string) {
    return cancelOrder(this.#deps, user, orderId, reason);
  }

  modify(user: AuthUser, orderId: string, change: OrderChange) {
    return modifyOrder(this.#deps, user, orderId, change);
  }

  /** A checkout priced as placing it would price it, with nothing kept. */
  priceCheckout(customerId: string | null, items: RequestedLine[], choice: CheckoutChoice) {
    return priceCheckout(this.#deps, customerId, items, choice);
  }

  get currency(): string {
    return this.#deps.catalog.currency;
  }

  quoteModification(user: AuthUser, orderId: string, change: Pick<OrderChange, 'items'>) {
    return quote(this.#deps, user, orderId, change);
  }

  refund(user: AuthUser, orderId: string, amount: number, reason: string | null, idempotencyKey: string) {
    return adminRefund(this.#deps, user, orderId, amount, reason, idempotencyKey);
  }

  /**
   * For the refund retry job: what a retried refund did is recorded on its order, by the system,
   * and a return's refund it completes on the return (`returnRefunded`, the returns context's).
   */
  refundSettlement(returnRefunded?: ReturnRefundCompleted) {
    return refundSettlement(this.#deps, { kind: 'system', id: null }, returnRefunded);
  }

  refundedOutside(orderId: string, apply: (trx: Db) => Promise<{ amount: number; currency: string } | null>) {
    return refundedOutside(this.#deps, orderId, apply);
  }

  /**
   * For the fulfilment context, in its transaction: the order's row locked, the first lock of
   * the lock order (ADR 0003), so shipments of one order queue behind each other.
   */
  lockForFulfilment(trx: Db, orderId: string) {
    return store.lockOrder(trx, orderId);
  }

  /** The order's lines with their ids, read with the given connection. */
  lines(db: Db, orderId: string) {
    return store.linesOf(db, orderId);
  }

  /** A status change asked for by another context (a shipment), through the one transition path. */
  transition(trx: Db, order: OrderRecord, request: TransitionRequest) {
    return transition(trx, order, request);
  }

  get(user: AuthUser, orderId: string) {
    return queries.getOrder(this.#deps, user, orderId);
  }

  ordersForNotification(orderIds: readonly string[], db: Db = this.#deps.db) {
    return queries.ordersForNotification(db, orderIds);
  }

  listForCustomer(user: AuthUser, query: { limit: number; cursor?: string | undefined }) {
    return queries.listForCustomer(this.#deps, user, query);
  }

  timeline(user: AuthUser, orderId: string) {
    return queries.timeline(this.#deps, user, orderId);
  }

  /** The admin's search, from the replica unless `readerId` has just written (ADR 0032). */
  adminList(
    query: Omit<AdminOrderQuery, 'after'> & { cursor?: string | undefined },
    readerId: string | null = null,
  ) {
    return queries.adminList(this.#deps, query, this.#deps.reads.for(readerId));
  }

  /** An admin search's orders, or their lines, as a CSV byte stream read batch by batch. */
  exportCsv(kind: ExportKind, search: ExportSearch, readerId: string | null = null) {
    return exportCsv({ ...this.#deps, db: this.#deps.reads.for(readerId) }, kind, search);
  }

  /** The customers' figures for the admin's customer list: orders paid for, spent net of refunds. */
  customerFigures(query: Omit<CustomerFiguresQuery, 'after'> & { cursor?: string | undefined }) {
    return queries.customerFigures(this.#deps, query);
  }

  /** One customer's figures; undefined until they have paid for an order. */
  figuresOf(customerId: string) {
    return store.figuresOf(this.#deps.db, customerId);
  }

  /** A customer's order by the number they quote (guest checkout's "find my order"); no authorization. */
  findByNumber(customerId: string, number: number) {
    return store.idByNumber(this.#deps.db, customerId, number);
  }

  /** Whether the account has placed any order, declined ones included. */
  async hasOrders(customerId: string): Promise<boolean> {
    return (await store.anyOrderOf(this.#deps.db, customerId)) !== undefined;
  }

  /** Who placed each order, for routing its live events; no authorization: the caller filters. */
  ownersOf(orderIds: readonly string[]) {
    return store.ownersOf(this.#deps.db, orderIds);
  }

  /** The order's lock, timeline and refund path as the returns context uses them (ADR 0028). */
  forReturns() {
    return returnsPort(this.#deps);
  }

  stats(currency: string, days: number) {
    return queries.stats(this.#deps, currency, days);
  }
}
