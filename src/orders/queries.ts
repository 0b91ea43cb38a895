import { summarize, type PaymentSummary } from '../payment/model.ts';
import type { AuthUser } from '../platform/auth/model.ts';
import type { Db } from '../platform/db.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { decodeCursor, encodeCursor } from '../platform/pagination.ts';
import { owned, type OrderDeps } from './deps.ts';
import { actionsFor, type Actor } from './model.ts';
import * as store from './store.ts';
import type { OrderWithLines } from './store.ts';

/** The read side of the orders context: one order, a customer's list, a timeline, admin search. */

/** Everything a person sees of an order. */
export interface OrderView extends OrderWithLines {
  payment: PaymentSummary;
  actions: ReturnType<typeof actionsFor>;
  /** the name on the label when the address has none: the customer's */
  recipientName: string;
  /** who placed the order, for an admin writing a label or answering a call */
  customer: { name: string; email: string } | null;
}

/**
 * The order as `user` sees it. A draft is found only with `drafts` (the draft routes, for an
 * admin): it is no one's order yet, and API v1's order answers have no such status (ADR 0023).
 */
export async function getOrder(
  deps: OrderDeps,
  user: AuthUser,
  orderId: string,
  options: { drafts?: boolean } = {},
): Promise<OrderView> {
  const order = await store.findWithLines(deps.db, orderId);
  const hidden = order?.status === 'draft' && !(options.drafts && user.role === 'admin');
  if (!order || hidden || (user.role !== 'admin' && order.customerId !== user.id))
    throw notFound('Order', orderId);
  return view(deps, order, user.role === 'admin' ? 'admin' : 'customer');
}

/**
 * The order placement just confirmed, built from what placement wrote and the settlement
 * answered instead of read back: its one charge captured, nothing refunded yet.
 */
export function placedOrderView(deps: OrderDeps, user: AuthUser, order: OrderWithLines): Promise<OrderView> {
  const payment = summarize([{ status: 'succeeded', amount: order.total, refunded: 0 }], 0);
  return view(deps, order, user.role === 'admin' ? 'admin' : 'customer', payment);
}

async function view(
  deps: OrderDeps,
  order: OrderWithLines,
  actor: Actor,
  knownPayment?: PaymentSummary,
): Promise<OrderView> {
  const admin = actor === 'admin';
  const [payment, contact] = await Promise.all([
    knownPayment ?? deps.payment.summary(deps.db, order.id),
    admin || !order.shippingAddress.name ? deps.customers.contact(order.customerId) : undefined,
  ]);
  return {
    ...order,
    payment,
    actions: actionsFor(order.status, actor),
    recipientName: order.shippingAddress.name ?? contact?.name ?? '',
    customer: admin && contact ? { name: contact.name, email: contact.email } : null,
  };
}

/**
 * For the notification and documents contexts: orders with their lines by id, read with the
 * given connection (their subscribers run inside the outbox's dispatch transaction, a batch of
 * events at a time). No user: events are trusted.
 */
export function ordersForNotification(
  db: Db,
  orderIds: readonly string[],
): Promise<Map<string, OrderWithLines>> {
  return store.findManyWithLines(db, orderIds);
}

export async function listForCustomer(
  deps: OrderDeps,
  user: AuthUser,
  query: { limit: number; cursor?: string | undefined },
) {
  const after = query.cursor === undefined ? null : decodeOrderCursor(query.cursor);
  // the history may come from the replica: the order just placed is read from the primary
  // on its own page, and a shopper who has just written reads here from the primary too
  const rows = await store.listForCustomer(deps.reads.for(user.id), user.id, after, query.limit + 1);
  const more = rows.length > query.limit;
  const items = more ? rows.slice(0, query.limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeOrderCursor(last.createdAtKey, last.id) : null };
}

/**
 * The order's history. Staff reading it see which staff member did each thing (by the name they
 * have now); a customer sees "the store team", as their emails say.
 */
export async function timeline(deps: OrderDeps, user: AuthUser, orderId: string) {
  await owned(deps.db, user, orderId);
  const rows = await store.history(deps.db, orderId);
  const staffIds =
    user.role === 'admin'
      ? [...new Set(rows.flatMap((r) => (r.actor === 'admin' && r.actor_id ? [r.actor_id] : [])))]
      : [];
  const names = new Map<string, string>();
  for (const id of staffIds) {
    const contact = await deps.customers.contact(id);
    if (contact) names.set(id, contact.name);
  }
  return rows.map((r) => ({
    ...r,
    actorName: (r.actor === 'admin' && r.actor_id && names.get(r.actor_id)) || null,
  }));
}

/**
 * What a text search asks the contexts that own the words: the customers whose name or email
 * holds it (the accounts' index of ten thousand rows, not a million orders' emails), the products
 * whose name or SKU does. "#1001" is an order number and no one's name or email.
 */
export async function searchAnswers(
  deps: Pick<OrderDeps, 'customers' | 'catalog'>,
  q: string | undefined,
): Promise<Pick<store.AdminOrderSearch, 'customerIdsMatching' | 'productIdsMatching'>> {
  const text = q?.trim();
  if (!text) return {};
  const [customerIdsMatching, productIdsMatching] = await Promise.all([
    text.startsWith('#') ? [] : deps.customers.idsMatching(text),
    deps.catalog.productIdsMatching(text),
  ]);
  return { customerIdsMatching, productIdsMatching };
}

/** The admin's search: filters, a sort, keyset pages whose cursor belongs to the sort. */
export async function adminList(
  deps: OrderDeps,
  query: Omit<store.AdminOrderQuery, 'after'> & { cursor?: string | undefined },
  db: Db = deps.db,
) {
  const byTotal = query.sort === 'total';
  let after: store.AdminOrderQuery['after'] = null;
  if (query.cursor !== undefined) {
    if (byTotal) {
      const [total, id] = decodeCursor(query.cursor, ['number', 'string']) as [number, string];
      if (!Number.isSafeInteger(total) || !UUID.test(id)) throw invalidCursor();
      after = [total, id];
    } else {
      after = decodeOrderCursor(query.cursor);
    }
  }
  const answers = await searchAnswers(deps, query.q);
  const rows = await store.adminList(db, { ...query, after, ...answers });
  const more = rows.length > query.limit;
  const items = more ? rows.slice(0, query.limit) : rows;
  const last = items[items.length - 1];
  let nextCursor: string | null = null;
  if (more && last) {
    nextCursor = byTotal
      ? encodeCursor([last.total_minor, last.id])
      : encodeOrderCursor(last.created_at_key, last.id);
  }
  return { items, nextCursor };
}

/**
 * Customers who paid for an order, by last order or total spent, in keyset pages; `customerIds`
 * narrows it to the customers a search of their accounts found (ADR 0024).
 */
export async function customerFigures(
  deps: OrderDeps,
  query: Omit<store.CustomerFiguresQuery, 'after'> & { cursor?: string | undefined },
): Promise<{ items: store.CustomerFigures[]; nextCursor: string | null }> {
  const bySpent = query.sort === 'totalSpent';
  let after: store.CustomerFiguresQuery['after'] = null;
  if (query.cursor !== undefined) {
    if (bySpent) {
      const [spent, id] = decodeCursor(query.cursor, ['number', 'string']) as [number, string];
      if (!Number.isSafeInteger(spent) || !UUID.test(id)) throw invalidCursor();
      after = [spent, id];
    } else {
      after = decodeOrderCursor(query.cursor);
    }
  }
  const rows = await store.customerFigures(deps.db, { ...query, after, limit: query.limit + 1 });
  const more = rows.length > query.limit;
  const items = more ? rows.slice(0, query.limit) : rows;
  const last = items[items.length - 1];
  let nextCursor: string | null = null;
  if (more && last) {
    nextCursor = bySpent
      ? encodeCursor([last.totalSpent, last.customerId])
      : encodeOrderCursor(last.lastOrderKey, last.customerId);
  }
  return { items, nextCursor };
}

/**
 * Orders, failed payments and revenue per UTC day over the last `days` days. Revenue is net:
 * what was captured minus what was refunded that day, from the payment context, which owns both.
 */
export async function stats(deps: OrderDeps, currency: string, days: number) {
  const [orders, revenue] = await Promise.all([
    store.stats(deps.db, currency, days),
    deps.payment.netRevenueByDay(currency, days),
  ]);
  const byDay = new Map(orders.map((r) => [r.day, r]));
  return Array.from({ length: days }, (_, i) => {
    const date = new Date(Date.now() - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10);
    const day = byDay.get(date);
    return { date, orders: day?.orders ?? 0, failed: day?.failed ?? 0, revenue: revenue.get(date) ?? 0 };
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CREATED_AT_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

const invalidCursor = () =>
  new AppError(400, 'invalid_cursor', 'The cursor is not valid; start again from the first page.');

/** Newest-first pages follow (created_at, id), kept to the microsecond so no row is skipped. */
function encodeOrderCursor(createdAtKey: string, id: string): string {
  return encodeCursor([createdAtKey, id]);
}

function decodeOrderCursor(cursor: string): [string, string] {
  const [at, id] = decodeCursor(cursor, ['string', 'string']) as [string, string];
  if (!CREATED_AT_KEY.test(at) || !UUID.test(id)) throw invalidCursor();
  return [at, id];
}
