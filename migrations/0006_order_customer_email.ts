import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/**
 * The customer's email as it was when the order was placed, kept on the order: the orders
 * context no longer reads the account table to search orders by email, and an order keeps the
 * address it was confirmed to. Existing orders take their account's email.
 */
const up = [
  `alter table orders add column customer_email text`,
  `update orders o set customer_email = a.email from account a where a.id = o.customer_id`,
  `alter table orders alter column customer_email set not null`,
];
const down = [`alter table orders drop column customer_email`];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
