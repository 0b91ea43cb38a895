import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/**
 * Draft orders (ADR 0023): an order the admin builds for a customer on the phone is an `orders`
 * row in the status `draft` until it is paid offline (→ confirmed) or a payment link is sent
 * (→ pending). `payment_link_expires_at` says until when a pending order waits for its link to
 * be paid: recovery leaves it alone until then, and only orders that left draft by a link have
 * one. An offline payment is a `payment` row of the provider `offline` with its method, which
 * only such rows carry. Going down fails while drafts or offline payments exist.
 */
const up = [
  `alter table orders drop constraint orders_status_check`,
  `alter table orders add constraint orders_status_check
     check (status in ('draft', 'pending', 'confirmed', 'shipped', 'delivered', 'cancelled'))`,
  `alter table orders add column payment_link_expires_at timestamptz`,
  `alter table orders add constraint orders_payment_link_not_draft
     check (status <> 'draft' or payment_link_expires_at is null)`,
  `alter table payment add column offline_method text`,
  `alter table payment add constraint payment_offline_method
     check ((provider = 'offline') = (offline_method is not null)
            and (offline_method is null or offline_method in ('cash', 'bank_transfer', 'card_terminal', 'other')))`,
];
const down = [
  `alter table payment drop constraint payment_offline_method`,
  `alter table payment drop column offline_method`,
  `alter table orders drop constraint orders_payment_link_not_draft`,
  `alter table orders drop column payment_link_expires_at`,
  `alter table orders drop constraint orders_status_check`,
  `alter table orders add constraint orders_status_check
     check (status in ('pending', 'confirmed', 'shipped', 'delivered', 'cancelled'))`,
];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
