import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/**
 * Categories (a tree of at most three levels, kept by the catalog: ADR 0021) and a product's
 * images in order. `image_url` stays, as the first image's address, for the v1 clients and the
 * order lines and carts that read it. The indexes are the keys the product list sorts by, so every
 * sort pages by keyset.
 */
const up = [
  `create table category (
    id uuid primary key default gen_random_uuid(),
    parent_id uuid references category (id),
    name text not null check (length(name) between 1 and 100),
    slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 100),
    position integer not null default 0 check (position between 0 and 10000),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check (parent_id is null or parent_id <> id)
  )`,
  `create index category_parent_idx on category (parent_id, position)`,
  `alter table product
     add column category_id uuid references category (id),
     add column images jsonb not null default '[]' check (jsonb_typeof(images) = 'array' and jsonb_array_length(images) <= 20)`,
  `update product set images = jsonb_build_array(jsonb_build_object('url', image_url, 'alt', ''))
    where image_url is not null`,
  `alter table product add constraint product_image_url_first
     check (image_url is not distinct from (images -> 0 ->> 'url'))`,
  `create index product_category_idx on product (category_id)`,
  `create index product_price_idx on product (price_minor, id)`,
  `create index product_created_idx on product (created_at, id)`,
];

const down = [
  `drop index product_created_idx`,
  `drop index product_price_idx`,
  `alter table product drop constraint product_image_url_first`,
  `alter table product drop column images, drop column category_id`,
  `drop table category`,
];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
