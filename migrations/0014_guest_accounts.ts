import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/**
 * Guest checkout (ADR 0022): a shopper who buys with an email only gets an `account` row with
 * the role `guest` and no password, so orders, idempotency keys and carts keep referring to an
 * account id, and claiming the account later (a password, the role `customer`) keeps every past
 * order where it is. The CHECK makes "a guest has no password, everyone else has one" a fact
 * of the data: no code path can leave a customer without a password or give a guest one.
 * Going down fails while guest accounts exist: dropping them would orphan their orders.
 */
const up = [
  `alter table account drop constraint account_role_check`,
  `alter table account add constraint account_role_check check (role in ('customer', 'admin', 'guest'))`,
  `alter table account alter column password_hash drop not null`,
  `alter table account add constraint account_password_check
     check ((role = 'guest') = (password_hash is null))`,
];
const down = [
  `alter table account drop constraint account_password_check`,
  `alter table account alter column password_hash set not null`,
  `alter table account drop constraint account_role_check`,
  `alter table account add constraint account_role_check check (role in ('customer', 'admin'))`,
];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
