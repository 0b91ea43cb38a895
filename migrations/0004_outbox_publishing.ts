import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/**
 * Publishing the outbox to NATS JetStream, commits that do not queue for a lock, and the indexes
 * the reads need at a million orders.
 *
 * `published_at` is set once the broker has acknowledged an event, independently of
 * `dispatched_at` (in-process subscribers), so a broker outage delays publishing without holding
 * back notifications; the relay finds what is left with a small partial index.
 *
 * The trigger that sent a NOTIFY from every transaction writing outbox rows goes: PostgreSQL
 * takes one database-wide lock to queue notifications at commit and holds it until the commit is
 * flushed, so every order's transactions committed one after another. The dispatcher and the
 * relay are now woken in-process after such a commit (`onEventsCommitted`), and an instance that
 * finds another holding the lock wakes it with a NOTIFY sent outside any transaction.
 *
 * Reads (measured by `npm run bench` over 1,000,000 orders): the order history and the admin's
 * status filter sort by id (UUIDv7, so newest first), which the created_at indexes they had
 * could not serve in order: a customer's page read and sorted all their orders, and a status with
 * few orders scanned the whole table backwards. The admin's sort by total scanned the table.
 */
const up = [
  `alter table outbox add column published_at timestamptz`,
  `create index outbox_unpublished_idx on outbox (sequence) where published_at is null`,
  `create index orders_customer_id_idx on orders (customer_id, id)`,
  `drop index orders_customer_created_idx`,
  `create index orders_status_id_idx on orders (status, id)`,
  `drop index orders_status_created_idx`,
  `create index orders_total_idx on orders (total_minor, id)`,
  `drop trigger outbox_inserted on outbox`,
];

const down = [
  `create trigger outbox_inserted after insert on outbox
    for each statement execute function wake_outbox_dispatcher()`,
  'drop index orders_total_idx',
  'create index orders_status_created_idx on orders (status, created_at desc, id desc)',
  'drop index orders_status_id_idx',
  'create index orders_customer_created_idx on orders (customer_id, created_at desc, id desc)',
  'drop index orders_customer_id_idx',
  'drop index outbox_unpublished_idx',
  'alter table outbox drop column published_at',
];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
