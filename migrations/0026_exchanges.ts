import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/**
 * Exchanges (ADR 0034): a return line may name the variant that replaces its units. The line keeps
 * the replacement as it was offered (name, SKU, unit price) and the signed price difference the
 * shopper confirmed; the return keeps what was charged for a dearer replacement when it was asked
 * for (with the charge's idempotency key, so the same request sent again finds its return), and
 * the one parcel the replacement leaves in. The database refuses half a replacement and a
 * parcel without its location, carrier and tracking number.
 */
const up = [
  `alter table return_line
     add column replacement_variant_id uuid,
     add column replacement_name text,
     add column replacement_variant_title text,
     add column replacement_sku text,
     add column replacement_unit_price_minor integer check (replacement_unit_price_minor >= 0),
     add column difference_minor integer,
     add constraint return_line_replacement_whole check (
       (replacement_variant_id is null) = (replacement_name is null)
       and (replacement_variant_id is null) = (replacement_variant_title is null)
       and (replacement_variant_id is null) = (replacement_sku is null)
       and (replacement_variant_id is null) = (replacement_unit_price_minor is null)
       and (replacement_variant_id is null) = (difference_minor is null))`,
  `alter table return_request
     add column exchange_charge_minor integer not null default 0 check (exchange_charge_minor >= 0),
     add column exchange_charge_key text unique,
     add column replacement_location_id uuid,
     add column replacement_carrier text check (length(replacement_carrier) between 1 and 60),
     add column replacement_tracking_number text check (length(replacement_tracking_number) between 1 and 40),
     add column replacement_tracking_url text check (length(replacement_tracking_url) <= 500),
     add column replacement_shipped_at timestamptz,
     add constraint return_request_replacement_parcel check (
       (replacement_shipped_at is null) = (replacement_carrier is null)
       and (replacement_shipped_at is null) = (replacement_tracking_number is null)
       and (replacement_shipped_at is null) = (replacement_location_id is null))`,
];

const down = [
  `alter table return_request
     drop constraint return_request_replacement_parcel,
     drop column exchange_charge_minor,
     drop column exchange_charge_key,
     drop column replacement_location_id,
     drop column replacement_carrier,
     drop column replacement_tracking_number,
     drop column replacement_tracking_url,
     drop column replacement_shipped_at`,
  `alter table return_line
     drop constraint return_line_replacement_whole,
     drop column replacement_variant_id,
     drop column replacement_name,
     drop column replacement_variant_title,
     drop column replacement_sku,
     drop column replacement_unit_price_minor,
     drop column difference_minor`,
];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
