/** The returns context's SQL: its policy, returns and their lines, and nothing of another context's. */
import type { Selectable } from 'kysely';
import type { Db } from '../platform/db.ts';
import { takeLock } from '../platform/locks.ts';
import type { ReturnLineTable, ReturnRequestTable } from '../platform/schema.ts';
import type { ReturnReason, ReturnStatus } from './model.ts';
import { HOLDING_STATUSES } from './model.ts';

export interface ReturnPolicy {
  windowDays: number;
  refundShipping: boolean;
  updatedAt: Date;
}

export interface ReturnLineRecord {
  lineId: string;
  variantId: string;
  name: string;
  variantTitle: string;
  sku: string;
  quantity: number;
  disposition: 'restock' | 'write_off' | null;
  locationId: string | null;
  refund: number | null;
  /** an exchange: the variant replacing these units, as it was offered */
  replacement: Replacement | null;
  /** an exchanged line's signed price difference; null when the units are refunded */
  difference: number | null;
}

export interface Replacement {
  variantId: string;
  name: string;
  variantTitle: string;
  sku: string;
  unitPrice: number;
}

/** The parcel an exchange's replacements leave in. */
export interface ReplacementShipment {
  locationId: string;
  carrier: string;
  trackingNumber: string;
  trackingUrl: string | null;
  shippedAt: Date;
}

export interface ReturnRecord {
  id: string;
  orderId: string;
  orderNumber: number;
  number: number;
  status: ReturnStatus;
  reason: ReturnReason;
  note: string | null;
  rejectionReason: string | null;
  refund: number | null;
  shippingRefund: number;
  /** what a dearer exchange charged when it was asked for */
  exchangeCharge: number;
  replacementShipment: ReplacementShipment | null;
  /** who cancelled it (the shopper withdrew it, or the shop), and the shop's reason; null unless cancelled */
  cancelledBy: 'customer' | 'admin' | null;
  cancellationReason: string | null;
  /** a dearer exchange's cancellation waiting for its charge's refund */
  cancelStartedAt: Date | null;
  requestedBy: string;
  createdAt: Date;
  updatedAt: Date;
  lines: ReturnLineRecord[];
}

type RequestRow = Selectable<ReturnRequestTable>;

function toRecord(row: RequestRow, lines: readonly Selectable<ReturnLineTable>[]): ReturnRecord {
  return {
    id: row.id,
    orderId: row.order_id,
    orderNumber: row.order_number,
    number: row.number,
    status: row.status,
    reason: row.reason,
    note: row.note,
    rejectionReason: row.rejection_reason,
    refund: row.refund_minor,
    shippingRefund: row.shipping_refund_minor,
    exchangeCharge: row.exchange_charge_minor,
    replacementShipment:
      row.replacement_shipped_at &&
      row.replacement_location_id &&
      row.replacement_carrier &&
      row.replacement_tracking_number
        ? {
            locationId: row.replacement_location_id,
            carrier: row.replacement_carrier,
            trackingNumber: row.replacement_tracking_number,
            trackingUrl: row.replacement_tracking_url,
            shippedAt: new Date(row.replacement_shipped_at),
          }
        : null,
    cancelledBy: row.cancelled_by,
    cancellationReason: row.cancellation_reason,
    cancelStartedAt: row.cancel_started_at ? new Date(row.cancel_started_at) : null,
    requestedBy: row.requested_by,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    lines: lines
      .filter((l) => l.return_id === row.id)
      .map((l) => ({
        lineId: l.order_line_id,
        variantId: l.variant_id,
        name: l.name,
        variantTitle: l.variant_title,
        sku: l.sku,
        quantity: l.quantity,
        disposition: l.disposition,
        locationId: l.location_id,
        refund: l.refund_minor,
        replacement:
          l.replacement_variant_id !== null &&
          l.replacement_name !== null &&
          l.replacement_variant_title !== null &&
          l.replacement_sku !== null &&
          l.replacement_unit_price_minor !== null
            ? {
                variantId: l.replacement_variant_id,
                name: l.replacement_name,
                variantTitle: l.replacement_variant_title,
                sku: l.replacement_sku,
                unitPrice: l.replacement_unit_price_minor,
              }
            : null,
        difference: l.difference_minor,
      })),
  };
}

async function withLines(db: Db, rows: RequestRow[]): Promise<ReturnRecord[]> {
  if (rows.length === 0) return [];
  const lines = await db
    .selectFrom('return_line')
    .selectAll()
    .where(
      'return_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('order_line_id')
    .execute();
  return rows.map((r) => toRecord(r, lines));
}

export async function policy(db: Db): Promise<ReturnPolicy> {
  const row = await db
    .selectFrom('return_policy')
    .select(['window_days', 'refund_shipping', 'updated_at'])
    .executeTakeFirstOrThrow();
  return {
    windowDays: row.window_days,
    refundShipping: row.refund_shipping,
    updatedAt: new Date(row.updated_at),
  };
}

export async function updatePolicy(
  trx: Db,
  change: { windowDays?: number | undefined; refundShipping?: boolean | undefined },
  by: string,
): Promise<void> {
  await trx
    .updateTable('return_policy')
    .set({
      ...(change.windowDays !== undefined && { window_days: change.windowDays }),
      ...(change.refundShipping !== undefined && { refund_shipping: change.refundShipping }),
      updated_at: new Date(),
      updated_by: by,
    })
    .execute();
}

/** Every return of an order, oldest first. */
export async function ofOrder(db: Db, orderId: string): Promise<ReturnRecord[]> {
  const rows = await db
    .selectFrom('return_request')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('number')
    .execute();
  return withLines(db, rows);
}

export async function find(db: Db, returnId: string): Promise<ReturnRecord | undefined> {
  const row = await db.selectFrom('return_request').selectAll().where('id', '=', returnId).executeTakeFirst();
  return row && (await withLines(db, [row]))[0];
}

/**
 * The return row, locked: after the order's lock (the lock order's `return`), so two admins
 * acting on one return queue behind each other and the second sees what the first did.
 */
export async function lock(trx: Db, returnId: string): Promise<ReturnRecord | undefined> {
  takeLock(trx, 'return');
  const row = await trx
    .selectFrom('return_request')
    .selectAll()
    .where('id', '=', returnId)
    .forUpdate()
    .executeTakeFirst();
  return row && (await withLines(trx, [row]))[0];
}

/** Units per order line held by the order's returns that are not rejected or cancelled. */
export async function heldUnits(db: Db, orderId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('return_line as l')
    .innerJoin('return_request as r', 'r.id', 'l.return_id')
    .select(['l.order_line_id', (eb) => eb.fn.sum<number>('l.quantity').as('units')])
    .where('r.order_id', '=', orderId)
    .where('r.status', 'in', [...HOLDING_STATUSES])
    .groupBy('l.order_line_id')
    .execute();
  return new Map(rows.map((r) => [r.order_line_id, Number(r.units)]));
}

export async function insert(
  trx: Db,
  request: {
    id: string;
    orderId: string;
    orderNumber: number;
    reason: ReturnReason;
    note: string | null;
    requestedBy: string;
    lines: readonly Omit<ReturnLineRecord, 'disposition' | 'locationId' | 'refund'>[];
    /** a dearer exchange: what was charged for it, and the charge's idempotency key */
    exchangeCharge?: { amount: number; key: string } | undefined;
  },
): Promise<void> {
  const next = await trx
    .selectFrom('return_request')
    .select((eb) => eb.fn.max<number>('number').as('n'))
    .where('order_id', '=', request.orderId)
    .executeTakeFirst();
  await trx
    .insertInto('return_request')
    .values({
      id: request.id,
      order_id: request.orderId,
      order_number: request.orderNumber,
      number: Number(next?.n ?? 0) + 1,
      reason: request.reason,
      note: request.note,
      requested_by: request.requestedBy,
      ...(request.exchangeCharge && {
        exchange_charge_minor: request.exchangeCharge.amount,
        exchange_charge_key: request.exchangeCharge.key,
      }),
    })
    .execute();
  await trx
    .insertInto('return_line')
    .values(
      request.lines.map((l) => ({
        return_id: request.id,
        order_line_id: l.lineId,
        variant_id: l.variantId,
        name: l.name,
        variant_title: l.variantTitle,
        sku: l.sku,
        quantity: l.quantity,
        replacement_variant_id: l.replacement?.variantId ?? null,
        replacement_name: l.replacement?.name ?? null,
        replacement_variant_title: l.replacement?.variantTitle ?? null,
        replacement_sku: l.replacement?.sku ?? null,
        replacement_unit_price_minor: l.replacement?.unitPrice ?? null,
        difference_minor: l.difference,
      })),
    )
    .execute();
}

/** The return a dearer exchange's charge paid for: a request sent again finds the one it made. */
export async function findByChargeKey(db: Db, key: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('return_request')
    .select('id')
    .where('exchange_charge_key', '=', key)
    .executeTakeFirst();
  return row?.id;
}

/** The replacements of a locked exchange left in this parcel; false when one had left already. */
export async function setReplacementShipment(
  trx: Db,
  returnId: string,
  parcel: Omit<ReplacementShipment, 'shippedAt'>,
): Promise<boolean> {
  const result = await trx
    .updateTable('return_request')
    .set({
      replacement_location_id: parcel.locationId,
      replacement_carrier: parcel.carrier,
      replacement_tracking_number: parcel.trackingNumber,
      replacement_tracking_url: parcel.trackingUrl,
      replacement_shipped_at: new Date(),
      updated_at: new Date(),
    })
    .where('id', '=', returnId)
    .where('replacement_shipped_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * A locked return's cancellation has started (its refund is on its way) or, with null, will not
 * go on (the refund was refused).
 */
export async function setCancelStarted(trx: Db, returnId: string, at: Date | null): Promise<void> {
  await trx
    .updateTable('return_request')
    .set({ cancel_started_at: at, updated_at: new Date() })
    .where('id', '=', returnId)
    .execute();
}

/** Moves a locked return from the status it was decided from; false when it had moved on. */
export async function setStatus(
  trx: Db,
  returnId: string,
  from: ReturnStatus,
  to: ReturnStatus,
  extra: {
    rejectionReason?: string;
    refund?: number;
    shippingRefund?: number;
    cancellation?: { by: 'customer' | 'admin'; reason: string | null };
  } = {},
): Promise<boolean> {
  const result = await trx
    .updateTable('return_request')
    .set({
      status: to,
      updated_at: new Date(),
      ...(extra.rejectionReason !== undefined && { rejection_reason: extra.rejectionReason }),
      ...(extra.refund !== undefined && { refund_minor: extra.refund }),
      ...(extra.shippingRefund !== undefined && { shipping_refund_minor: extra.shippingRefund }),
      ...(extra.cancellation && {
        cancelled_by: extra.cancellation.by,
        cancellation_reason: extra.cancellation.reason,
        cancel_started_at: null,
      }),
    })
    .where('id', '=', returnId)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setDisposition(
  trx: Db,
  returnId: string,
  lines: readonly { lineId: string; disposition: 'restock' | 'write_off'; locationId: string | null }[],
): Promise<void> {
  for (const line of lines) {
    await trx
      .updateTable('return_line')
      .set({ disposition: line.disposition, location_id: line.locationId })
      .where('return_id', '=', returnId)
      .where('order_line_id', '=', line.lineId)
      .execute();
  }
}

export async function setLineRefunds(
  trx: Db,
  returnId: string,
  lines: readonly { lineId: string; amount: number }[],
): Promise<void> {
  for (const line of lines) {
    await trx
      .updateTable('return_line')
      .set({ refund_minor: line.amount })
      .where('return_id', '=', returnId)
      .where('order_line_id', '=', line.lineId)
      .execute();
  }
}

/** Units per order line that the order's refunded returns gave money back for, and whether one refunded shipping. */
export async function refundedByReturns(
  db: Db,
  orderId: string,
): Promise<{ units: Map<string, number>; shippingRefunded: boolean }> {
  const rows = await db
    .selectFrom('return_line as l')
    .innerJoin('return_request as r', 'r.id', 'l.return_id')
    .select(['l.order_line_id', (eb) => eb.fn.sum<number>('l.quantity').as('units')])
    .where('r.order_id', '=', orderId)
    .where('r.status', '=', 'refunded')
    .groupBy('l.order_line_id')
    .execute();
  const shipping = await db
    .selectFrom('return_request')
    .select('id')
    .where('order_id', '=', orderId)
    .where('shipping_refund_minor', '>', 0)
    .executeTakeFirst();
  return {
    units: new Map(rows.map((r) => [r.order_line_id, Number(r.units)])),
    shippingRefunded: Boolean(shipping),
  };
}

export interface ReturnListQuery {
  status?: ReturnStatus | undefined;
  /** the id of the last return of the previous page (ids are time-ordered, newest first) */
  after: string | null;
  limit: number;
}

/** The admin's list: newest first, by id (UUIDv7, so by creation), `limit + 1` rows. */
export async function list(db: Db, query: ReturnListQuery): Promise<ReturnRecord[]> {
  let q = db.selectFrom('return_request').selectAll();
  if (query.status) q = q.where('status', '=', query.status);
  if (query.after) q = q.where('id', '<', query.after);
  const rows = await q
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
  return withLines(db, rows);
}
