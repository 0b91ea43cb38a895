import { Readable } from 'node:stream';
import { csvRow, type CsvCell } from '../platform/csv.ts';
import { minorToDecimalString } from '../platform/money.ts';
import type { OrderDeps } from './deps.ts';
import { searchAnswers } from './queries.ts';
import * as store from './store.ts';
import type { AdminOrderSearch } from './store.ts';

/**
 * The admin's CSV exports (docs/exports.md): the orders an admin search finds, one row each, or
 * their lines. Read in keyset batches of the search's own sort, each batch written as one chunk
 * of a stream that asks for the next only when the client has taken the last, so memory stays
 * one batch deep whatever the export's size, and a client that goes away ends the reading.
 */
export type ExportKind = 'orders' | 'lines';

export type ExportSearch = Omit<AdminOrderSearch, 'after' | 'customerIdsMatching' | 'productIdsMatching'>;

/** Orders per batch: a few hundred kilobytes of CSV, one statement each. */
export const EXPORT_BATCH = 1000;

const money = (minor: number, currency: string): [string, number] => [
  minorToDecimalString(minor, currency),
  minor,
];

const ORDER_HEADER = [
  'order_number',
  'order_id',
  'created_at',
  'updated_at',
  'status',
  'payment_status',
  'customer_id',
  'customer_email',
  'currency',
  'subtotal',
  'subtotal_minor',
  'discount',
  'discount_minor',
  'discount_code',
  'shipping_method',
  'shipping',
  'shipping_minor',
  'tax',
  'tax_minor',
  'prices_include_tax',
  'total',
  'total_minor',
  'ship_to_name',
  'ship_to_street',
  'ship_to_city',
  'ship_to_state',
  'ship_to_zip',
  'ship_to_country',
  'carrier',
  'tracking_number',
  'cancellation_reason',
];

const LINE_HEADER = [
  'order_number',
  'order_id',
  'order_created_at',
  'order_status',
  'currency',
  'sku',
  'product_name',
  'variant_title',
  'quantity',
  'unit_price',
  'unit_price_minor',
  'discount',
  'discount_minor',
  'tax_rate_percent',
  'tax',
  'tax_minor',
  'line_total',
  'line_total_minor',
  'product_id',
  'variant_id',
];

type OrderRow = Awaited<ReturnType<typeof store.exportBatch>>[number];

const iso = (at: Date | string) => new Date(at).toISOString();

function orderCells(o: OrderRow): CsvCell[] {
  const c = o.currency;
  const address = o.shipping_address;
  return [
    o.number,
    o.id,
    iso(o.created_at),
    iso(o.updated_at),
    o.status,
    o.payment_status,
    o.customer_id,
    o.customer_email,
    c,
    ...money(o.subtotal_minor, c),
    ...money(o.discount_minor, c),
    o.discount_code,
    o.shipping_name,
    ...money(o.shipping_total_minor, c),
    ...money(o.tax_minor, c),
    o.prices_include_tax ? 'yes' : 'no',
    ...money(o.total_minor, c),
    address.name,
    address.street,
    address.city,
    address.state,
    address.zip,
    address.country ?? 'US',
    o.carrier,
    o.tracking_number,
    o.cancellation_reason,
  ];
}

/** Basis points as a percentage without float noise: 825 → "8.25". */
const percent = (basisPoints: number) => minorToDecimalString(basisPoints, 'USD');

/** What an export reads with: the database, and the contexts a text search asks. */
export type ExportDeps = Pick<OrderDeps, 'db' | 'customers' | 'catalog'>;

async function* exportRows(deps: ExportDeps, kind: ExportKind, search: ExportSearch) {
  yield csvRow(kind === 'orders' ? ORDER_HEADER : LINE_HEADER);
  const answers = await searchAnswers(deps, search.q);
  let after: AdminOrderSearch['after'] = null;
  for (;;) {
    const orders = await store.exportBatch(deps.db, { ...search, ...answers, after }, EXPORT_BATCH);
    if (orders.length === 0) return;
    let chunk = '';
    if (kind === 'orders') {
      for (const order of orders) chunk += csvRow(orderCells(order));
    } else {
      const byId = new Map(orders.map((o) => [o.id, o]));
      const lines = await store.exportLines(
        deps.db,
        orders.map((o) => o.id),
      );
      const linesOf = Map.groupBy(lines, (l) => l.order_id);
      for (const [id, order] of byId) {
        for (const l of linesOf.get(id) ?? []) {
          const c = order.currency;
          chunk += csvRow([
            order.number,
            order.id,
            iso(order.created_at),
            order.status,
            c,
            l.sku,
            l.name,
            l.variant_title,
            l.quantity,
            ...money(l.unit_price_minor, c),
            ...money(l.discount_minor, c),
            percent(l.tax_rate_basis_points),
            ...money(l.tax_minor, c),
            ...money(l.total_minor, c),
            l.product_id,
            l.variant_id,
          ]);
        }
      }
    }
    yield chunk;
    if (orders.length < EXPORT_BATCH) return;
    const last = orders[orders.length - 1] as OrderRow;
    after = search.sort === 'total' ? [last.total_minor, last.id] : [last.created_at_key, last.id];
  }
}

/** The export as a byte stream with backpressure: the next batch is read when this one is taken. */
export function exportCsv(deps: ExportDeps, kind: ExportKind, search: ExportSearch): Readable {
  return Readable.from(exportRows(deps, kind, search), { objectMode: false, highWaterMark: 1 });
}
