import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/**
 * Trigram indexes for the admin's "contains" searches (`ILIKE '%…%'`, which no b-tree serves):
 * the customers whose name or email holds the text, and the products whose name or SKU does,
 * which every order search looks up before it reads orders (docs/performance.md). The tables are
 * small beside the orders, so each trigram's list of rows stays short. `pg_trgm` ships with
 * PostgreSQL and is a trusted extension: the database's owner may create it.
 */
const up = [
  `create extension if not exists pg_trgm`,
  `create index account_name_trgm_idx on account using gin (name gin_trgm_ops)`,
  `create index account_email_trgm_idx on account using gin (email gin_trgm_ops)`,
  `create index product_name_trgm_idx on product using gin (name gin_trgm_ops)`,
  `create index product_sku_trgm_idx on product using gin (sku gin_trgm_ops)`,
  `create index product_variant_sku_trgm_idx on product_variant using gin (sku gin_trgm_ops)`,
];

// the extension stays: another schema object may have come to use it
const down = [
  `drop index product_variant_sku_trgm_idx`,
  `drop index product_sku_trgm_idx`,
  `drop index product_name_trgm_idx`,
  `drop index account_email_trgm_idx`,
  `drop index account_name_trgm_idx`,
];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
