import type { Db } from '../platform/db.ts';

/** Idempotency keys of order-creating requests: the first answer, kept for a repeat. */

export interface IdempotencyRecord {
  requestHash: string;
  orderId: string | null;
  responseStatus: number | null;
  responseBody: unknown;
}

export async function findIdempotencyKey(
  db: Db,
  customerId: string,
  key: string,
): Promise<IdempotencyRecord | undefined> {
  const row = await db
    .selectFrom('idempotency_key')
    .select(['request_hash', 'order_id', 'response_status', 'response_body'])
    .where('customer_id', '=', customerId)
    .where('key', '=', key)
    .executeTakeFirst();
  return (
    row && {
      requestHash: row.request_hash,
      orderId: row.order_id,
      responseStatus: row.response_status,
      responseBody: row.response_body,
    }
  );
}

/** Claims a key for a request; false when another request holds it already. */
export async function claimIdempotencyKey(
  trx: Db,
  customerId: string,
  key: string,
  requestHash: string,
  orderId: string,
): Promise<boolean> {
  const row = await trx
    .insertInto('idempotency_key')
    .values({ customer_id: customerId, key, request_hash: requestHash, order_id: orderId })
    .onConflict((oc) => oc.columns(['customer_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return row !== undefined;
}

export async function saveIdempotentResponse(
  trx: Db,
  customerId: string,
  key: string,
  status: number,
  body: unknown,
): Promise<void> {
  await trx
    .updateTable('idempotency_key')
    .set({ response_status: status, response_body: body === null ? null : JSON.stringify(body) })
    .where('customer_id', '=', customerId)
    .where('key', '=', key)
    .execute();
}
