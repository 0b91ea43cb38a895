/**
 * The orders context's SQL: orders, their lines and history, and nothing of another context's.
 * A little over 400 lines so that every statement an order's hot path sends can be read in one place.
 */
import { sql, type Expression, type RawBuilder, type Selectable, type SqlBool } from 'kysely';
import type { Db, StatementPart } from '../platform/db.ts';
import { uuidPrefixRange } from '../platform/ids.ts';
import { takeLock } from '../platform/locks.ts';
import type { NewDomainEvent } from '../platform/outbox-event.ts';
import { eventsInStatement } from '../platform/outbox.ts';
import type {
  DiscountRuleJson,
  OrderLineTable,
  OrdersTable,
  OrderTaxLineTable,
  ShippingAddressJson,
  TaxRuleJson,
} from '../platform/schema.ts';
import type { Actor, OrderLine, OrderStatus } from './model.ts';
import type { Totals } from './totals.ts';

/** How an order was priced beyond its lines (docs/pricing.md). */
export interface OrderPricing {
  subtotal: number;
  discount: number;
  tax: number;
  pricesIncludeTax: boolean;
  shipping: {
    methodId: string | null;
    name: string;
    price: number;
    discount: number;
    taxRateBasisPoints: number;
    tax: number;
    total: number;
  } | null;
  discountCode: string | null;
  discountRule: DiscountRuleJson | null;
  taxRates: TaxRuleJson[];
}

export interface TaxLineRecord {
  name: string;
  rateBasisPoints: number;
  base: number;
  amount: number;
}

export interface OrderRecord {
  id: string;
  number: number;
  customerId: string;
  status: OrderStatus;
  currency: string;
  total: number;
  shippingAddress: ShippingAddressJson;
  paymentStatus: Selectable<OrdersTable>['payment_status'];
  cancellationReason: string | null;
  trackingNumber: string | null;
  carrier: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  pricing: OrderPricing;
}

/** A line as stored: its id is what a shipment names. */
export interface StoredLine extends OrderLine {
  id: string;
}

export interface OrderWithLines extends OrderRecord {
  lines: StoredLine[];
  taxLines: TaxLineRecord[];
}

export interface HistoryEntry {
  type: 'status' | 'modification' | 'payment' | 'refund' | 'note';
  status: OrderStatus | null;
  actor: Actor;
  actorId: string | null;
  summary: string;
  details?: Record<string, unknown>;
}

const orderColumns = [
  'id',
  'number',
  'customer_id',
  'status',
  'currency',
  'total_minor',
  'shipping_address',
  'payment_status',
  'cancellation_reason',
  'tracking_number',
  'carrier',
  'version',
  'created_at',
  'updated_at',
  'subtotal_minor',
  'discount_minor',
  'tax_minor',
  'prices_include_tax',
  'shipping_method_id',
  'shipping_name',
  'shipping_price_minor',
  'shipping_discount_minor',
  'shipping_tax_rate_basis_points',
  'shipping_tax_minor',
  'shipping_total_minor',
  'discount_code',
  'discount_rule',
  'tax_rates',
] as const;

type OrderRow = Pick<Selectable<OrdersTable>, (typeof orderColumns)[number]>;

export function toRecord(row: OrderRow): OrderRecord {
  return {
    id: row.id,
    number: row.number,
    customerId: row.customer_id,
    status: row.status,
    currency: row.currency,
    total: row.total_minor,
    shippingAddress: row.shipping_address,
    paymentStatus: row.payment_status,
    cancellationReason: row.cancellation_reason,
    trackingNumber: row.tracking_number,
    carrier: row.carrier,
    version: row.version,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    pricing: {
      subtotal: row.subtotal_minor,
      discount: row.discount_minor,
      tax: row.tax_minor,
      pricesIncludeTax: row.prices_include_tax,
      shipping:
        row.shipping_name === null
          ? null
          : {
              methodId: row.shipping_method_id,
              name: row.shipping_name,
              price: row.shipping_price_minor,
              discount: row.shipping_discount_minor,
              taxRateBasisPoints: row.shipping_tax_rate_basis_points,
              tax: row.shipping_tax_minor,
              total: row.shipping_total_minor,
            },
      discountCode: row.discount_code,
      discountRule: row.discount_rule,
      taxRates: row.tax_rates,
    },
  };
}

/** What placing or changing an order writes of its pricing, besides the lines. */
export interface PricingWrite {
  totals: Totals;
  shipping: { methodId: string | null; name: string } | null;
  discount: { code: string; rule: DiscountRuleJson } | null;
  taxRates: TaxRuleJson[];
  pricesIncludeTax: boolean;
}

/** The lines of `lines` with their totals from `totals` (matched by `lineKey`). */
export function linesWithTotals(lines: readonly OrderLineInput[], totals: Totals): OrderLine[] {
  const byKey = new Map(totals.lines.map((l) => [l.key, l]));
  return lines.map((l) => {
    const t = byKey.get(lineKey(l));
    if (!t) throw new Error(`no totals for line ${lineKey(l)}`);
    return {
      ...l,
      discount: t.discountMinor,
      taxRateBasisPoints: t.taxRateBasisPoints,
      tax: t.taxMinor,
      total: t.totalMinor,
    };
  });
}

type OrderLineInput = Omit<OrderLine, 'discount' | 'taxRateBasisPoints' | 'tax' | 'total'>;

/** A line's key for the totals: one variant may be on an order at two prices. */
export function lineKey(line: { variantId: string; unitPrice: number }): string {
  return `${line.variantId}@${line.unitPrice}`;
}

function pricingColumns(pricing: PricingWrite) {
  const { totals } = pricing;
  return {
    subtotal_minor: totals.subtotalMinor,
    discount_minor: totals.discountMinor,
    tax_minor: totals.taxMinor,
    prices_include_tax: pricing.pricesIncludeTax,
    shipping_method_id: pricing.shipping?.methodId ?? null,
    shipping_name: pricing.shipping?.name ?? null,
    shipping_price_minor: totals.shipping?.priceMinor ?? 0,
    shipping_discount_minor: totals.shipping?.discountMinor ?? 0,
    shipping_tax_rate_basis_points: totals.shipping?.taxRateBasisPoints ?? 0,
    shipping_tax_minor: totals.shipping?.taxMinor ?? 0,
    shipping_total_minor: totals.shipping?.totalMinor ?? 0,
    discount_code: pricing.discount?.code ?? null,
    discount_rule: pricing.discount ? JSON.stringify(pricing.discount.rule) : null,
    tax_rates: JSON.stringify(pricing.taxRates),
  };
}

/**
 * The order, its lines and the first line of its history, in one statement that answers with
 * the lines and tax lines as stored (ids and order as `linesOf` and `taxLinesOf` read them).
 */
export async function insertOrder(
  trx: Db,
  order: {
    id: string;
    customerId: string;
    customerEmail: string;
    currency: string;
    total: number;
    shippingAddress: ShippingAddressJson;
  },
  lines: readonly OrderLine[],
  pricing: PricingWrite,
  history: HistoryEntry,
  /** other contexts' writes that go with the order's, in this statement (ADR 0042) */
  parts: readonly StatementPart[] = [],
): Promise<{ lines: StoredLine[]; taxLines: TaxLineRecord[] }> {
  const p = pricingColumns(pricing);
  const taxLines = pricing.totals.taxLines;
  const partCtes = parts.flatMap((part) => part.ctes.map((cte) => sql`, ${cte}`));
  const partColumns = parts.map((part, i) => sql`, ${part.column} as ${sql.ref(`part_${i}`)}`);
  const { rows } = await sql<{ lines: LineRow[]; tax_lines: TaxLineRow[] | null } & Record<string, unknown>>`
    with o as (
      insert into orders (id, customer_id, customer_email, status, currency, total_minor, shipping_address,
                          subtotal_minor, discount_minor, tax_minor, prices_include_tax, shipping_method_id,
                          shipping_name, shipping_price_minor, shipping_discount_minor,
                          shipping_tax_rate_basis_points, shipping_tax_minor, shipping_total_minor,
                          discount_code, discount_rule, tax_rates)
      values (${order.id}, ${order.customerId}, ${order.customerEmail}, 'pending', ${order.currency}, ${order.total},
              ${JSON.stringify(order.shippingAddress)}::jsonb, ${p.subtotal_minor}, ${p.discount_minor},
              ${p.tax_minor}, ${p.prices_include_tax}, ${p.shipping_method_id}, ${p.shipping_name},
              ${p.shipping_price_minor}, ${p.shipping_discount_minor}, ${p.shipping_tax_rate_basis_points},
              ${p.shipping_tax_minor}, ${p.shipping_total_minor}, ${p.discount_code}, ${p.discount_rule}::jsonb,
              ${p.tax_rates}::jsonb)
      returning id
    ), l as (
      insert into order_line (order_id, product_id, variant_id, name, variant_title, sku, unit_price_minor, quantity,
                              discount_minor, tax_rate_basis_points, tax_minor, tax_category, total_minor)
      select (select id from o), p, v, n, t, k, u, q, d, r, x, c, s
        from unnest(${lines.map((l) => l.productId)}::uuid[], ${lines.map((l) => l.variantId)}::uuid[],
                    ${lines.map((l) => l.name)}::text[], ${lines.map((l) => l.variantTitle)}::text[],
                    ${lines.map((l) => l.sku)}::text[], ${lines.map((l) => l.unitPrice)}::int[],
                    ${lines.map((l) => l.quantity)}::int[], ${lines.map((l) => l.discount)}::int[],
                    ${lines.map((l) => l.taxRateBasisPoints)}::int[], ${lines.map((l) => l.tax)}::int[],
                    ${lines.map((l) => l.taxCategory)}::text[], ${lines.map((l) => l.total)}::int[])
             as x(p, v, n, t, k, u, q, d, r, x, c, s)
      returning ${sql.join(lineColumns.map((c) => sql.ref(c)))}
    ), tl as (
      insert into order_tax_line (order_id, name, rate_basis_points, base_minor, amount_minor)
      select (select id from o), n, r, b, a
        from unnest(${taxLines.map((t) => t.name)}::text[], ${taxLines.map((t) => t.rateBasisPoints)}::int[],
                    ${taxLines.map((t) => t.baseMinor)}::int[], ${taxLines.map((t) => t.amountMinor)}::int[])
             as t(n, r, b, a)
      returning name, rate_basis_points, base_minor, amount_minor
    ), h as (
      insert into order_history (order_id, type, status, actor, actor_id, summary, details)
      select id, ${history.type}, ${history.status}, ${history.actor}, ${history.actorId}, ${history.summary},
             ${JSON.stringify(history.details ?? {})}::jsonb
        from o
    )${sql.join(partCtes, sql``)}
    select (select json_agg(l order by name, variant_title, unit_price_minor) from l) as lines,
           (select json_agg(tl order by rate_basis_points desc, name) from tl) as tax_lines
           ${sql.join(partColumns, sql``)}`.execute(trx);
  parts.forEach((part, i) => part.done(rows[0]?.[`part_${i}`]));
  return {
    lines: (rows[0]?.lines ?? []).map(toStoredLine),
    taxLines: (rows[0]?.tax_lines ?? []).map(toTaxLine),
  };
}

export async function addHistory(trx: Db, orderId: string, entries: readonly HistoryEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await trx
    .insertInto('order_history')
    .values(
      entries.map((h) => ({
        order_id: orderId,
        type: h.type,
        status: h.status,
        actor: h.actor,
        actor_id: h.actorId,
        summary: h.summary,
        details: JSON.stringify(h.details ?? {}),
      })),
    )
    .execute();
}

/**
 * The one statement that changes an order's status, called by `transition.ts` only (a test
 * holds every other path to it): moves the order from `from` to `changes.status` if it is still
 * in `from`, and writes `history` with it, and `capture` into the customer's figures (lock rank
 * `customer`, so after the payment rows); undefined (and none of it) when another request moved
 * it first.
 */
export async function updateStatus(
  trx: Db,
  orderId: string,
  from: OrderStatus,
  changes: StatusChange,
  history: readonly HistoryEntry[],
  /** counted into the customer's figures in the same statement, when the move happens */
  capture?: Capture,
  /**
   * the move's events, written by this statement with those the transaction appended before
   * it when the move happens (ADR 0042), else left for COMMIT
   */
  events: readonly NewDomainEvent[] = [],
): Promise<OrderRecord | undefined> {
  if (capture) takeLock(trx, 'customer');
  const set = [
    sql`status = ${changes.status}`,
    ...(changes.paymentStatus !== undefined ? [sql`payment_status = ${changes.paymentStatus}`] : []),
    ...(changes.cancellationReason !== undefined
      ? [sql`cancellation_reason = ${changes.cancellationReason}`]
      : []),
    ...(changes.trackingNumber !== undefined ? [sql`tracking_number = ${changes.trackingNumber}`] : []),
    ...(changes.carrier !== undefined ? [sql`carrier = ${changes.carrier}`] : []),
    ...(changes.paymentLinkExpiresAt !== undefined
      ? [sql`payment_link_expires_at = ${changes.paymentLinkExpiresAt}`]
      : []),
  ];
  const entries = history.map((h) => ({
    type: h.type,
    status: h.status,
    actor: h.actor,
    actor_id: h.actorId,
    summary: h.summary,
    details: h.details ?? {},
  }));
  const written = eventsInStatement(trx, events, sql`exists (select from moved)`);
  const { rows } = await sql<OrderRow & { events_written: unknown }>`
    with moved as (
      update orders set ${sql.join(set)}, version = version + 1, updated_at = ${new Date()}
       where id = ${orderId} and status = ${from}
      returning ${sql.join(orderColumns.map((c) => sql.ref(c)))}
    ), logged as (
      insert into order_history (order_id, type, status, actor, actor_id, summary, details)
      select moved.id, e.type, e.status, e.actor, e.actor_id, e.summary, e.details
        from moved,
             rows from (jsonb_to_recordset(${JSON.stringify(entries)}::jsonb)
                        as (type text, status text, actor text, actor_id uuid, summary text, details jsonb))
             with ordinality as e(type, status, actor, actor_id, summary, details, n)
       order by e.n
    )${capture ? sql`, counted as (${captureCounted(sql`moved`, capture)})` : sql``}${sql.join(
      written.ctes.map((cte) => sql`, ${cte}`),
      sql``,
    )}
    select *, ${written.column} as events_written from moved`.execute(trx);
  // no row: the order had moved already, and the events wait for COMMIT as if not asked
  written.done(rows[0]?.events_written);
  const row = rows[0];
  return row && toRecord(row);
}

export interface StatusChange {
  status: OrderStatus;
  paymentStatus?: OrderRecord['paymentStatus'];
  cancellationReason?: string | null;
  trackingNumber?: string;
  carrier?: string;
  /** a draft sent as a payment link: until when recovery leaves the pending order alone */
  paymentLinkExpiresAt?: Date;
}

export async function setPaymentStatus(
  trx: Db,
  orderId: string,
  paymentStatus: OrderRecord['paymentStatus'],
): Promise<void> {
  await trx
    .updateTable('orders')
    .set((eb) => ({ payment_status: paymentStatus, version: eb('version', '+', 1), updated_at: new Date() }))
    .where('id', '=', orderId)
    .execute();
}

export async function find(db: Db, orderId: string): Promise<OrderRecord | undefined> {
  return (await findMany(db, [orderId])).get(orderId);
}

/** Orders by id, in one statement for any number (a page of returns names its orders). */
export async function findMany(db: Db, orderIds: readonly string[]): Promise<Map<string, OrderRecord>> {
  const ids = [...new Set(orderIds)];
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('orders').select(orderColumns).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, toRecord(row)]));
}

/**
 * The first lock of the lock order (platform/locks.ts): the order row, read as FOR NO KEY
 * UPDATE. Writers of one order queue behind each other, while rows that merely reference the
 * order (reservations, history, payments) can still be inserted. FOR UPDATE would block those
 * inserts' key-share locks and deadlock with a transaction that holds stock rows and inserts a
 * reservation for the order.
 */
export async function lockOrder(trx: Db, orderId: string): Promise<OrderRecord | undefined> {
  takeLock(trx, 'order');
  const row = await trx
    .selectFrom('orders')
    .select(orderColumns)
    .where('id', '=', orderId)
    .forNoKeyUpdate()
    .executeTakeFirst();
  return row && toRecord(row);
}

/** The id of a customer's order with this number (the number people quote), if they have one. */
export async function idByNumber(db: Db, customerId: string, number: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('orders')
    .select('id')
    .where('number', '=', number)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return row?.id;
}

export async function anyOrderOf(db: Db, customerId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('orders')
    .select('id')
    .where('customer_id', '=', customerId)
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

/** Who placed each of these orders: the live stream routes an order's events to its customer. */
export async function ownersOf(db: Db, orderIds: readonly string[]): Promise<Map<string, string>> {
  if (orderIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('orders')
    .select(['id', 'customer_id'])
    .where('id', 'in', [...orderIds])
    .execute();
  return new Map(rows.map((r) => [r.id, r.customer_id]));
}

const lineColumns = [
  'id',
  'product_id',
  'variant_id',
  'name',
  'variant_title',
  'sku',
  'unit_price_minor',
  'quantity',
  'discount_minor',
  'tax_rate_basis_points',
  'tax_minor',
  'tax_category',
  'total_minor',
] as const;

type LineRow = Pick<Selectable<OrderLineTable>, (typeof lineColumns)[number]>;
type TaxLineRow = Pick<
  Selectable<OrderTaxLineTable>,
  'name' | 'rate_basis_points' | 'base_minor' | 'amount_minor'
>;

function toStoredLine(r: LineRow): StoredLine {
  return {
    id: r.id,
    variantId: r.variant_id,
    productId: r.product_id,
    name: r.name,
    variantTitle: r.variant_title,
    sku: r.sku,
    unitPrice: r.unit_price_minor,
    quantity: r.quantity,
    taxCategory: r.tax_category,
    discount: r.discount_minor,
    taxRateBasisPoints: r.tax_rate_basis_points,
    tax: r.tax_minor,
    total: r.total_minor,
  };
}

function toTaxLine(r: TaxLineRow): TaxLineRecord {
  return { name: r.name, rateBasisPoints: r.rate_basis_points, base: r.base_minor, amount: r.amount_minor };
}

export async function linesOf(db: Db, orderId: string): Promise<StoredLine[]> {
  const rows = await db
    .selectFrom('order_line')
    .select(lineColumns)
    .where('order_id', '=', orderId)
    .orderBy('name')
    .orderBy('variant_title')
    .orderBy('unit_price_minor')
    .execute();
  return rows.map(toStoredLine);
}

export async function taxLinesOf(db: Db, orderId: string): Promise<TaxLineRecord[]> {
  const rows = await db
    .selectFrom('order_tax_line')
    .select(['name', 'rate_basis_points', 'base_minor', 'amount_minor'])
    .where('order_id', '=', orderId)
    .orderBy('rate_basis_points', 'desc')
    .orderBy('name')
    .execute();
  return rows.map(toTaxLine);
}

export async function findWithLines(db: Db, orderId: string): Promise<OrderWithLines | undefined> {
  return (await findManyWithLines(db, [orderId])).get(orderId);
}

/** Orders with their lines by id, three statements for any number (the outbox's subscribers read a batch). */
export async function findManyWithLines(
  db: Db,
  orderIds: readonly string[],
): Promise<Map<string, OrderWithLines>> {
  const ids = [...new Set(orderIds)];
  if (ids.length === 0) return new Map();
  const [orders, lines, taxLines] = await Promise.all([
    db.selectFrom('orders').select(orderColumns).where('id', 'in', ids).execute(),
    db
      .selectFrom('order_line')
      .select([...lineColumns, 'order_id'])
      .where('order_id', 'in', ids)
      .orderBy('order_id')
      .orderBy('name')
      .orderBy('variant_title')
      .orderBy('unit_price_minor')
      .execute(),
    db
      .selectFrom('order_tax_line')
      .select(['order_id', 'name', 'rate_basis_points', 'base_minor', 'amount_minor'])
      .where('order_id', 'in', ids)
      .orderBy('order_id')
      .orderBy('rate_basis_points', 'desc')
      .orderBy('name')
      .execute(),
  ]);
  const found = new Map<string, OrderWithLines>(
    orders.map((row) => [row.id, { ...toRecord(row), lines: [], taxLines: [] }]),
  );
  for (const line of lines) found.get(line.order_id)?.lines.push(toStoredLine(line));
  for (const line of taxLines) found.get(line.order_id)?.taxLines.push(toTaxLine(line));
  return found;
}

/** created_at as sortable text to the microsecond: a cursor key that a JS Date would round. */
const createdAtKey = (column: 'created_at' | 'o.created_at') =>
  sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * A customer's orders newest first, by (created_at, id): the customer/created index serves every
 * page, however deep, and the order shown is the date shown.
 */
export async function listForCustomer(
  db: Db,
  customerId: string,
  after: readonly [createdAtKey: string, id: string] | null,
  limit: number,
): Promise<Array<OrderRecord & { itemCount: number; createdAtKey: string }>> {
  let q = db
    .selectFrom('orders')
    .select(orderColumns)
    .select(createdAtKey('created_at').as('created_at_key'))
    .select((eb) =>
      eb
        .selectFrom('order_line')
        .select((line) => line.fn.sum<number>('order_line.quantity').as('n'))
        .whereRef('order_line.order_id', '=', 'orders.id')
        .as('item_count'),
    )
    .where('customer_id', '=', customerId)
    // a draft is the admin's until it leaves draft (ADR 0023)
    .where('status', '!=', 'draft')
    // a card declined at checkout leaves no order in the shopper's history: they saw the
    // decline there and were not charged (the admin still finds it)
    .where((eb) =>
      eb.or([
        eb('status', '!=', 'cancelled'),
        eb('cancellation_reason', 'is distinct from', 'payment_declined'),
      ]),
    );
  if (after) q = q.where(sql<boolean>`(created_at, id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    ...toRecord(r),
    itemCount: Number(r.item_count ?? 0),
    createdAtKey: r.created_at_key,
  }));
}

export async function history(db: Db, orderId: string) {
  return db
    .selectFrom('order_history')
    .select(['at', 'type', 'status', 'actor', 'actor_id', 'summary', 'details'])
    .where('order_id', '=', orderId)
    .orderBy('id')
    .execute();
}

/** Pending orders old enough that no request can still be paying for them. */
export async function stalledPending(db: Db, createdBefore: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('orders')
    .select('id')
    .where('status', '=', 'pending')
    .where('created_at', '<', createdBefore)
    // a payment link waits for its customer; its reservation's expiry ends it (ADR 0023)
    .where((eb) =>
      eb.or([eb('payment_link_expires_at', 'is', null), eb('payment_link_expires_at', '<', new Date())]),
    )
    .orderBy('created_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Rewrites an order's lines and total (and address) after a modification: the lines are
 * replaced whole, since one variant may now be on two lines at two prices.
 */
export async function replaceLines(
  trx: Db,
  orderId: string,
  lines: readonly OrderLine[],
  pricing: PricingWrite,
  shippingAddress: ShippingAddressJson | undefined,
): Promise<void> {
  await trx.deleteFrom('order_line').where('order_id', '=', orderId).execute();
  await trx
    .insertInto('order_line')
    .values(
      lines.map((l) => ({
        order_id: orderId,
        product_id: l.productId,
        variant_id: l.variantId,
        name: l.name,
        variant_title: l.variantTitle,
        sku: l.sku,
        unit_price_minor: l.unitPrice,
        quantity: l.quantity,
        discount_minor: l.discount,
        tax_rate_basis_points: l.taxRateBasisPoints,
        tax_minor: l.tax,
        tax_category: l.taxCategory,
        total_minor: l.total,
      })),
    )
    .execute();
  await trx.deleteFrom('order_tax_line').where('order_id', '=', orderId).execute();
  if (pricing.totals.taxLines.length > 0) {
    await trx
      .insertInto('order_tax_line')
      .values(
        pricing.totals.taxLines.map((t) => ({
          order_id: orderId,
          name: t.name,
          rate_basis_points: t.rateBasisPoints,
          base_minor: t.baseMinor,
          amount_minor: t.amountMinor,
        })),
      )
      .execute();
  }
  await trx
    .updateTable('orders')
    .set((eb) => ({
      ...pricingColumns(pricing),
      total_minor: pricing.totals.totalMinor,
      ...(shippingAddress && { shipping_address: JSON.stringify(shippingAddress) }),
      version: eb('version', '+', 1),
      updated_at: new Date(),
    }))
    .where('id', '=', orderId)
    .execute();
}

/** The admin's order search: its filters, its sort, and where the previous page ended. */
export interface AdminOrderSearch {
  status?: OrderStatus | undefined;
  customerId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  q?: string | undefined;
  /** with `q`: the customers whose name matches it (the accounts context's answer) */
  customerIdsMatching?: readonly string[] | undefined;
  /** with `q`: the products whose name or SKU matches it (the catalog's answer) */
  productIdsMatching?: readonly string[] | undefined;
  sort: 'createdAt' | 'total';
  order: 'asc' | 'desc';
  /** sort key (created_at to the microsecond, or total) and id of the last row of the previous page */
  after: readonly [string | number, string] | null;
}

export interface AdminOrderQuery extends AdminOrderSearch {
  limit: number;
}

/**
 * The orders an admin's search finds, in its order, after its cursor: the one predicate the
 * list and the CSV exports share. createdAt sorts by (created_at, id), which orders_created_idx
 * and orders_status_created_idx serve; total by (total, id). Every arm of a text search is an
 * index of its own (docs/performance.md), so their OR is a bitmap of small reads.
 */
function ordersMatching(db: Db, query: AdminOrderSearch) {
  let q = db.selectFrom('orders as o');
  // a draft is listed only when drafts are asked for (ADR 0023)
  q = query.status ? q.where('o.status', '=', query.status) : q.where('o.status', '!=', 'draft');
  if (query.customerId) q = q.where('o.customer_id', '=', query.customerId);
  if (query.from) q = q.where('o.created_at', '>=', query.from);
  if (query.to) q = q.where('o.created_at', '<', query.to);
  if (query.q) {
    const text = query.q.trim().toLowerCase();
    const orderNumber = /^#?([0-9a-f]{8})$/.exec(text)?.[1];
    const sequential = /^#?(\d{1,9})$/.exec(text)?.[1];
    const idRange = uuidPrefixRange(text);
    q = q.where((eb) => {
      // by the customer's name or email (orders_customer_id_idx) and by a product on a line
      // (order_line_product_idx), from ids the owning contexts found
      const matches: Expression<SqlBool>[] = [];
      const customers = query.customerIdsMatching ?? [];
      const products = query.productIdsMatching ?? [];
      if (customers.length > 0)
        matches.push(eb(sql`o.customer_id`, '=', sql`any(${[...customers]}::uuid[])`));
      if (products.length > 0) {
        matches.push(
          eb(
            'o.id',
            'in',
            eb
              .selectFrom('order_line')
              .select('order_line.order_id')
              .where(sql<boolean>`order_line.product_id = any(${[...products]}::uuid[])`),
          ),
        );
      }
      // the number people quote (#1001, unique index); emails sent before it existed quoted
      // the id's last 8 hex digits (indexed too); a longer text is an id prefix, a range of
      // the primary key
      if (sequential) matches.push(eb('o.number', '=', Number(sequential)));
      if (orderNumber) matches.push(eb(sql`right(o.id::text, 8)`, '=', orderNumber));
      else if (idRange) matches.push(eb.and([eb('o.id', '>=', idRange[0]), eb('o.id', '<=', idRange[1])]));
      return matches.length > 0 ? eb.or(matches) : eb.lit(false);
    });
  }
  const dir = query.order;
  const cmp = sql.raw(dir === 'desc' ? '<' : '>');
  if (query.sort === 'createdAt') {
    if (query.after) {
      const [at, id] = query.after;
      q = q.where(sql<boolean>`(o.created_at, o.id) ${cmp} (${String(at)}::timestamptz, ${id}::uuid)`);
    }
    return q.orderBy('o.created_at', dir).orderBy('o.id', dir);
  }
  if (query.after) {
    const [total, id] = query.after;
    q = q.where(sql<boolean>`(o.total_minor, o.id) ${cmp} (${Number(total)}::int, ${id}::uuid)`);
  }
  return q.orderBy('o.total_minor', dir).orderBy('o.id', dir);
}

/** A page of the admin's order search: `limit + 1` rows, to tell whether there is a next. */
export async function adminList(db: Db, query: AdminOrderQuery) {
  return ordersMatching(db, query)
    .select([
      'o.id',
      'o.number',
      'o.customer_id',
      'o.customer_email',
      'o.status',
      'o.total_minor',
      'o.currency',
      'o.payment_status',
      'o.created_at',
    ])
    .select(createdAtKey('o.created_at').as('created_at_key'))
    .limit(query.limit + 1)
    .execute();
}

/** The next `limit` orders of an admin's search with everything the orders CSV writes. */
export async function exportBatch(db: Db, query: AdminOrderSearch, limit: number) {
  return ordersMatching(db, query)
    .select([
      'o.id',
      'o.number',
      'o.customer_id',
      'o.customer_email',
      'o.status',
      'o.payment_status',
      'o.currency',
      'o.subtotal_minor',
      'o.discount_minor',
      'o.discount_code',
      'o.shipping_name',
      'o.shipping_total_minor',
      'o.tax_minor',
      'o.total_minor',
      'o.prices_include_tax',
      'o.shipping_address',
      'o.tracking_number',
      'o.carrier',
      'o.cancellation_reason',
      'o.created_at',
      'o.updated_at',
    ])
    .select(createdAtKey('o.created_at').as('created_at_key'))
    .limit(limit)
    .execute();
}

/** The lines of these orders for the order-lines CSV, in the order a single order lists them. */
export async function exportLines(db: Db, orderIds: readonly string[]) {
  if (orderIds.length === 0) return [];
  return db
    .selectFrom('order_line')
    .select([
      'order_id',
      'product_id',
      'variant_id',
      'sku',
      'name',
      'variant_title',
      'quantity',
      'unit_price_minor',
      'discount_minor',
      'tax_rate_basis_points',
      'tax_minor',
      'total_minor',
    ])
    .where(sql<boolean>`order_id = any(${[...orderIds]}::uuid[])`)
    .orderBy('order_id')
    .orderBy('name')
    .orderBy('variant_title')
    .orderBy('unit_price_minor')
    .execute();
}

/** Orders and failed payments per UTC day over the last `days` days (revenue is the payment context's). */
export async function stats(db: Db, currency: string, days: number) {
  const { rows } = await sql<{ day: string; orders: number; failed: number }>`
    select to_char(date_trunc('day', created_at at time zone 'UTC'), 'YYYY-MM-DD') as day,
           count(*)::int as orders,
           -- a failed payment: cancelled by the system with the payment marked failed (a
           -- customer's own reason, whatever its words, is not a failure)
           count(*) filter (where status = 'cancelled' and payment_status = 'failed')::int as failed
      from orders
     where created_at >= date_trunc('day', now() at time zone 'UTC') at time zone 'UTC' - ${days - 1} * interval '1 day'
       and currency = ${currency}
       and status <> 'draft'
     group by 1
     order by 1`.execute(db);
  return rows;
}

// ---------------------------------------------------------------- per-customer figures (ADR 0024)

/**
 * Counts money captured on an order into its customer's figures, in the caller's transaction:
 * one statement. `firstCapture` counts the order itself, the first time it is paid for, and
 * its placement time may become the customer's last order.
 */
export async function countCapture(
  trx: Db,
  orderId: string,
  amount: number,
  firstCapture: boolean,
): Promise<void> {
  takeLock(trx, 'customer');
  await captureCounted(sql`orders where id = ${orderId}`, { amount, firstCapture }).execute(trx);
}

/** The upsert `countCapture` sends, reading the order's customer and placement time from `source`. */
function captureCounted(source: RawBuilder<unknown>, capture: Capture) {
  return sql`
    insert into customer_order_summary as s (customer_id, orders_count, total_spent_minor, last_order_at)
    select customer_id, ${capture.firstCapture ? 1 : 0}, ${capture.amount}, created_at from ${source}
    on conflict (customer_id) do update
       set orders_count = s.orders_count + excluded.orders_count,
           total_spent_minor = s.total_spent_minor + excluded.total_spent_minor,
           last_order_at = case when ${capture.firstCapture}::boolean
                                then greatest(s.last_order_at, excluded.last_order_at)
                                else s.last_order_at end,
           updated_at = now()`;
}

/** Money captured on an order, as its customer's figures count it (ADR 0024). */
export interface Capture {
  amount: number;
  firstCapture: boolean;
}

/**
 * Takes money refunded on an order off its customer's total spent: one statement. Their row
 * exists, since the money was captured first; the CHECK holds the total at zero or more.
 */
export async function countRefund(trx: Db, orderId: string, amount: number): Promise<void> {
  takeLock(trx, 'customer');
  await sql`
    update customer_order_summary
       set total_spent_minor = total_spent_minor - ${amount}, updated_at = now()
     where customer_id = (select customer_id from orders where id = ${orderId})`.execute(trx);
}

export interface CustomerFigures {
  customerId: string;
  ordersCount: number;
  totalSpent: number;
  lastOrderAt: Date;
  /** last_order_at to the microsecond: the lastOrder sort's cursor key */
  lastOrderKey: string;
}

export interface CustomerFiguresQuery {
  sort: 'lastOrder' | 'totalSpent';
  /** only these customers (a search the accounts context answered); undefined: everyone */
  customerIds?: readonly string[] | undefined;
  /** sort key and customer id of the last row of the previous page */
  after: readonly [string | number, string] | null;
  limit: number;
}

const figureColumns = ['customer_id', 'orders_count', 'total_spent_minor', 'last_order_at'] as const;

function toFigures(row: {
  customer_id: string;
  orders_count: number;
  total_spent_minor: number;
  last_order_at: Date | string;
  last_order_key: string;
}): CustomerFigures {
  return {
    customerId: row.customer_id,
    ordersCount: row.orders_count,
    totalSpent: Number(row.total_spent_minor),
    lastOrderAt: new Date(row.last_order_at),
    lastOrderKey: row.last_order_key,
  };
}

const lastOrderKey = sql<string>`to_char(last_order_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Customers who paid for an order, newest last order or biggest spender first, by keyset: each
 * sort has its index (key, customer_id), so a deep page costs what the first does.
 */
export async function customerFigures(db: Db, query: CustomerFiguresQuery): Promise<CustomerFigures[]> {
  if (query.customerIds?.length === 0) return [];
  let q = db
    .selectFrom('customer_order_summary')
    .select(figureColumns)
    .select(lastOrderKey.as('last_order_key'));
  if (query.customerIds) q = q.where(sql<boolean>`customer_id = any(${[...query.customerIds]}::uuid[])`);
  if (query.sort === 'lastOrder') {
    if (query.after) {
      const [at, id] = query.after;
      q = q.where(sql<boolean>`(last_order_at, customer_id) < (${String(at)}::timestamptz, ${id}::uuid)`);
    }
    q = q.orderBy('last_order_at', 'desc').orderBy('customer_id', 'desc');
  } else {
    if (query.after) {
      const [spent, id] = query.after;
      q = q.where(sql<boolean>`(total_spent_minor, customer_id) < (${Number(spent)}::bigint, ${id}::uuid)`);
    }
    q = q.orderBy('total_spent_minor', 'desc').orderBy('customer_id', 'desc');
  }
  const rows = await q.limit(query.limit).execute();
  return rows.map(toFigures);
}

export async function figuresOf(db: Db, customerId: string): Promise<CustomerFigures | undefined> {
  const row = await db
    .selectFrom('customer_order_summary')
    .select(figureColumns)
    .select(lastOrderKey.as('last_order_key'))
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return row && toFigures(row);
}
