import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/**
 * What is sold is a variant: one combination of a product's options (Size M, Colour Blue) with its
 * own SKU, price, weight and stock. Stock, reservations, cart items and order lines refer to
 * variants. Every existing product becomes a product with one default variant whose id is the
 * product's id (ADR 0025), so the ids a simple shop already uses keep naming what it sells.
 * The product keeps its SKU as the style number and its price as the lowest variant price, which
 * the catalog maintains, for sorting and "from" prices.
 */
const up = [
  `create table product_option (
    product_id uuid not null references product (id),
    position integer not null check (position between 0 and 2),
    name text not null check (length(name) between 1 and 50),
    "values" text[] not null check (cardinality("values") between 1 and 50),
    primary key (product_id, position),
    unique (product_id, name)
  )`,
  `create table product_variant (
    id uuid primary key default gen_random_uuid(),
    product_id uuid not null references product (id),
    sku text not null unique check (length(sku) between 1 and 64),
    options jsonb not null default '{}' check (jsonb_typeof(options) = 'object'),
    title text not null default '' check (length(title) <= 200),
    price_minor integer not null check (price_minor >= 0),
    weight_grams integer not null default 0 check (weight_grams between 0 and 10000000),
    tax_category text check (tax_category is null or length(tax_category) between 1 and 50),
    position integer not null default 0,
    active boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (product_id, options)
  )`,
  `create index product_variant_product_idx on product_variant (product_id, position, id)`,
  `insert into product_variant (id, product_id, sku, price_minor)
     select id, id, sku, price_minor from product`,

  `alter table stock_level drop constraint stock_level_product_id_fkey`,
  `alter table stock_level rename column product_id to variant_id`,
  `alter table stock_level add constraint stock_level_variant_id_fkey
     foreign key (variant_id) references product_variant (id)`,
  // which product a level belongs to, so the stock list and the live stream can say it
  `alter table stock_level add column product_id uuid references product (id)`,
  `update stock_level set product_id = variant_id`,
  `alter table stock_level alter column product_id set not null`,

  `alter table stock_reservation drop constraint stock_reservation_product_id_fkey`,
  `alter table stock_reservation rename column product_id to variant_id`,
  `alter table stock_reservation add constraint stock_reservation_variant_id_fkey
     foreign key (variant_id) references product_variant (id)`,

  `alter table cart_item drop constraint cart_item_product_id_fkey`,
  `alter table cart_item rename column product_id to variant_id`,
  `alter table cart_item add constraint cart_item_variant_id_fkey
     foreign key (variant_id) references product_variant (id)`,

  // The line keeps its product (for search and reports) beside the variant it sold, and what the
  // variant was called then, as it keeps the product's name.
  `alter table order_line
     add column variant_id uuid references product_variant (id),
     add column variant_title text not null default '',
     add column sku text`,
  `update order_line set variant_id = product_id,
     sku = (select sku from product_variant v where v.id = order_line.product_id)`,
  `alter table order_line alter column variant_id set not null, alter column sku set not null`,
  `alter table order_line drop constraint order_line_pkey,
     add primary key (order_id, variant_id, unit_price_minor)`,
  `create index order_line_variant_idx on order_line (variant_id)`,
];

// Only a catalog of default variants goes back: a product with several has no one price.
const down = [
  `alter table order_line drop constraint order_line_pkey,
     add primary key (order_id, product_id, unit_price_minor)`,
  `alter table order_line drop column variant_id, drop column variant_title, drop column sku`,
  `alter table cart_item drop constraint cart_item_variant_id_fkey`,
  `alter table cart_item rename column variant_id to product_id`,
  `alter table cart_item add constraint cart_item_product_id_fkey foreign key (product_id) references product (id)`,
  `alter table stock_reservation drop constraint stock_reservation_variant_id_fkey`,
  `alter table stock_reservation rename column variant_id to product_id`,
  `alter table stock_reservation add constraint stock_reservation_product_id_fkey
     foreign key (product_id) references product (id)`,
  `alter table stock_level drop column product_id`,
  `alter table stock_level drop constraint stock_level_variant_id_fkey`,
  `alter table stock_level rename column variant_id to product_id`,
  `alter table stock_level add constraint stock_level_product_id_fkey foreign key (product_id) references product (id)`,
  `drop table product_variant`,
  `drop table product_option`,
];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
