import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/**
 * A shipment keeps the `Idempotency-Key` it was made with and a hash of its request
 * (docs/fulfilment.md), so the same request sent again finds its shipment instead of making a
 * second one, and the same key with another request is refused. A key is unique within its order;
 * shipments made without one (and every shipment before this migration) have none.
 */
const up = [
  `alter table shipment
     add column idempotency_key text check (length(idempotency_key) between 1 and 255),
     add column request_hash text,
     add constraint shipment_key_has_hash check ((idempotency_key is null) = (request_hash is null))`,
  `create unique index shipment_idempotency_key on shipment (order_id, idempotency_key)
     where idempotency_key is not null`,
];

const down = [
  `drop index shipment_idempotency_key`,
  `alter table shipment drop constraint shipment_key_has_hash, drop column request_hash, drop column idempotency_key`,
];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
