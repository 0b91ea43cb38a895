import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/**
 * Where the shop delivers, what it costs, and the tax there. An area (a country, or a region of
 * one) belongs to at most one zone, so an address never has two prices; a method's rate has
 * exactly the columns its kind needs; a zone has at most one tax rate per tax category (null:
 * the standard rate). A zone with tax rates cannot be deleted until they are: the tax context
 * owns them, and a rate silently vanishing would change prices.
 */
const up = [
  `create table shipping_zone (
    id uuid primary key default gen_random_uuid(),
    name text not null unique check (length(name) between 1 and 100),
    created_at timestamptz not null default now()
  )`,
  `create table shipping_zone_area (
    zone_id uuid not null references shipping_zone (id) on delete cascade,
    country char(2) not null check (country ~ '^[A-Z]{2}$'),
    region text check (length(region) between 1 and 100 and region = upper(btrim(region)))
  )`,
  `create unique index shipping_zone_area_once on shipping_zone_area (country, coalesce(region, ''))`,
  `create index shipping_zone_area_zone_idx on shipping_zone_area (zone_id)`,
  `create table shipping_method (
    id uuid primary key default gen_random_uuid(),
    zone_id uuid not null references shipping_zone (id) on delete cascade,
    name text not null check (length(name) between 1 and 100),
    kind text not null check (kind in ('flat', 'free_above', 'weight_bands')),
    price_minor integer check (price_minor >= 0),
    free_above_minor integer check (free_above_minor >= 0),
    bands jsonb,
    active boolean not null default true,
    position integer not null default 0 check (position >= 0),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (zone_id, name),
    constraint rate_columns_match_kind check (
      case kind
        when 'flat' then price_minor is not null and free_above_minor is null and bands is null
        when 'free_above' then price_minor is not null and free_above_minor is not null and bands is null
        else price_minor is null and free_above_minor is null and bands is not null
      end
    ),
    constraint bands_are_bands check (
      bands is null or (
        jsonb_typeof(bands) = 'array' and jsonb_array_length(bands) between 1 and 50
        and not jsonb_path_exists(bands, '$[*] ? (@.upToGrams.type() != "number" || @.priceMinor.type() != "number" || @.upToGrams < 1 || @.priceMinor < 0)')
      )
    )
  )`,
  `create index shipping_method_zone_idx on shipping_method (zone_id, position, name)`,
  `create table tax_rate (
    id uuid primary key default gen_random_uuid(),
    zone_id uuid not null references shipping_zone (id),
    category text check (category ~ '^[a-z0-9_-]{1,50}$'),
    name text not null check (length(name) between 1 and 100),
    rate_basis_points integer not null check (rate_basis_points between 0 and 10000),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  `create unique index tax_rate_once_per_category on tax_rate (zone_id, coalesce(category, ''))`,
];
const down = [
  'drop table tax_rate',
  'drop table shipping_method',
  'drop table shipping_zone_area',
  'drop table shipping_zone',
];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
