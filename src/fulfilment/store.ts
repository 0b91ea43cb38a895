/** The fulfilment context's SQL: shipments and their lines, nothing of another context's. */
import { sql } from 'kysely';
import type { Db } from '../platform/db.ts';

export interface ShipmentRecord {
  id: string;
  orderId: string;
  number: number;
  locationId: string;
  carrier: string;
  trackingNumber: string;
  trackingUrl: string | null;
  status: 'shipped' | 'delivered';
  shippedAt: Date;
  deliveredAt: Date | null;
  createdBy: string | null;
  lines: Array<{ lineId: string; variantId: string; quantity: number }>;
}

/** Per order line of the order: the units shipped, and of those the units delivered. */
export async function quantities(
  db: Db,
  orderId: string,
): Promise<Map<string, { shipped: number; delivered: number }>> {
  const rows = await db
    .selectFrom('shipment_line as l')
    .innerJoin('shipment as s', 's.id', 'l.shipment_id')
    .select([
      'l.order_line_id',
      sql<number>`sum(l.quantity)::int`.as('shipped'),
      sql<number>`coalesce(sum(l.quantity) filter (where s.status = 'delivered'), 0)::int`.as('delivered'),
    ])
    .where('s.order_id', '=', orderId)
    .groupBy('l.order_line_id')
    .execute();
  return new Map(rows.map((r) => [r.order_line_id, { shipped: r.shipped, delivered: r.delivered }]));
}

/** The next shipment's number in the order; the caller holds the order's lock. */
export async function nextNumber(trx: Db, orderId: string): Promise<number> {
  const row = await trx
    .selectFrom('shipment')
    .select(sql<number>`coalesce(max(number), 0)::int + 1`.as('next'))
    .where('order_id', '=', orderId)
    .executeTakeFirstOrThrow();
  return row.next;
}

/** An `Idempotency-Key` and the hash of the request sent with it. */
export interface RequestKey {
  key: string;
  requestHash: string;
}

export async function insert(
  trx: Db,
  shipment: Omit<ShipmentRecord, 'status' | 'shippedAt' | 'deliveredAt'>,
  requestKey?: RequestKey,
): Promise<ShipmentRecord> {
  const row = await trx
    .insertInto('shipment')
    .values({
      id: shipment.id,
      order_id: shipment.orderId,
      number: shipment.number,
      location_id: shipment.locationId,
      carrier: shipment.carrier,
      tracking_number: shipment.trackingNumber,
      tracking_url: shipment.trackingUrl,
      created_by: shipment.createdBy,
      idempotency_key: requestKey?.key ?? null,
      request_hash: requestKey?.requestHash ?? null,
    })
    .returning(['status', 'shipped_at'])
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('shipment_line')
    .values(
      shipment.lines.map((l) => ({
        shipment_id: shipment.id,
        order_line_id: l.lineId,
        variant_id: l.variantId,
        quantity: l.quantity,
      })),
    )
    .execute();
  return { ...shipment, status: row.status, shippedAt: new Date(row.shipped_at), deliveredAt: null };
}

/** The shipment of the order made with this `Idempotency-Key`, and its request's hash. */
export async function findByKey(
  db: Db,
  orderId: string,
  key: string,
): Promise<{ shipmentId: string; requestHash: string } | undefined> {
  const row = await db
    .selectFrom('shipment')
    .select(['id', 'request_hash'])
    .where('order_id', '=', orderId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  return row && { shipmentId: row.id, requestHash: row.request_hash ?? '' };
}

/** Marks a shipment delivered if it is not yet; undefined when it already was. */
export async function markDelivered(trx: Db, shipmentId: string): Promise<Date | undefined> {
  const row = await trx
    .updateTable('shipment')
    .set({ status: 'delivered', delivered_at: new Date() })
    .where('id', '=', shipmentId)
    .where('status', '=', 'shipped')
    .returning('delivered_at')
    .executeTakeFirst();
  return row?.delivered_at ? new Date(row.delivered_at) : undefined;
}

/** The order's shipments in the order they left, each with its lines. */
export async function listFor(db: Db, orderId: string): Promise<ShipmentRecord[]> {
  const [shipments, lines] = await Promise.all([
    db.selectFrom('shipment').selectAll().where('order_id', '=', orderId).orderBy('number').execute(),
    db
      .selectFrom('shipment_line as l')
      .innerJoin('shipment as s', 's.id', 'l.shipment_id')
      .select(['l.shipment_id', 'l.order_line_id', 'l.variant_id', 'l.quantity'])
      .where('s.order_id', '=', orderId)
      .execute(),
  ]);
  return shipments.map((s) => ({
    id: s.id,
    orderId: s.order_id,
    number: s.number,
    locationId: s.location_id,
    carrier: s.carrier,
    trackingNumber: s.tracking_number,
    trackingUrl: s.tracking_url,
    status: s.status,
    shippedAt: new Date(s.shipped_at),
    deliveredAt: s.delivered_at ? new Date(s.delivered_at) : null,
    createdBy: s.created_by,
    lines: lines
      .filter((l) => l.shipment_id === s.id)
      .map((l) => ({ lineId: l.order_line_id, variantId: l.variant_id, quantity: l.quantity })),
  }));
}
