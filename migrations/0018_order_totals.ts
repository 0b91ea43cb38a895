import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/**
 * An order keeps how it was priced: per line its discount, tax and total; the shipping method
 * and what it cost; the discount code; the tax lines; and the tax rates and discount rule it was
 * priced with, so a change to the order is priced again by the same rules (docs/pricing.md).
 * "The total is the sum of the lines" becomes "the sum of the line totals and the shipping
 * total", still checked at commit. Existing orders had no shipping, tax or discount: each
 * line's total is what it cost.
 */
const up = [
  `alter table order_line
     add column discount_minor integer not null default 0 check (discount_minor >= 0),
     add column tax_rate_basis_points integer not null default 0
       check (tax_rate_basis_points between 0 and 10000),
     add column tax_minor integer not null default 0 check (tax_minor >= 0),
     add column tax_category text,
     add column total_minor integer check (total_minor >= 0)`,
  `update order_line set total_minor = unit_price_minor * quantity`,
  `alter table order_line alter column total_minor set not null,
     add constraint line_discount_within_line check (discount_minor <= unit_price_minor::bigint * quantity)`,
  `alter table orders
     add column subtotal_minor integer check (subtotal_minor >= 0),
     add column discount_minor integer not null default 0 check (discount_minor >= 0),
     add column tax_minor integer not null default 0 check (tax_minor >= 0),
     add column prices_include_tax boolean not null default false,
     add column shipping_method_id uuid,
     add column shipping_name text,
     add column shipping_price_minor integer not null default 0 check (shipping_price_minor >= 0),
     add column shipping_discount_minor integer not null default 0
       check (shipping_discount_minor >= 0 and shipping_discount_minor <= shipping_price_minor),
     add column shipping_tax_rate_basis_points integer not null default 0,
     add column shipping_tax_minor integer not null default 0 check (shipping_tax_minor >= 0),
     add column shipping_total_minor integer not null default 0 check (shipping_total_minor >= 0),
     add column discount_code text,
     add column discount_rule jsonb,
     add column tax_rates jsonb not null default '[]'`,
  `update orders set subtotal_minor = total_minor`,
  `alter table orders alter column subtotal_minor set not null`,
  `create table order_tax_line (
    order_id uuid not null references orders (id),
    name text not null,
    rate_basis_points integer not null check (rate_basis_points between 0 and 10000),
    base_minor integer not null check (base_minor >= 0),
    amount_minor integer not null check (amount_minor >= 0),
    primary key (order_id, name, rate_basis_points)
  )`,
  `create or replace function assert_order_total() returns trigger language plpgsql as $$
  declare
    target uuid;
    expected bigint;
    shipping bigint;
    actual bigint;
    line_count integer;
  begin
    if tg_table_name = 'orders' then
      target := new.id;
    elsif tg_op = 'DELETE' then
      target := old.order_id;
    else
      target := new.order_id;
    end if;
    select total_minor, shipping_total_minor into expected, shipping from orders where id = target;
    if expected is null then
      return null;
    end if;
    select coalesce(sum(total_minor::bigint), 0), count(*) into actual, line_count
      from order_line where order_id = target;
    if line_count = 0 then
      raise exception 'order % has no line items', target using errcode = '23514';
    end if;
    if expected <> actual + shipping then
      raise exception 'order % total % does not equal the sum of its lines % and shipping %',
        target, expected, actual, shipping using errcode = '23514';
    end if;
    return null;
  end
  $$`,
  `drop trigger order_total_matches_lines on orders`,
  `create constraint trigger order_total_matches_lines
    after insert or update of total_minor, shipping_total_minor on orders
    deferrable initially deferred for each row execute function assert_order_total()`,
  `drop trigger order_lines_match_total on order_line`,
  `create constraint trigger order_lines_match_total after insert or update or delete on order_line
    deferrable initially deferred for each row execute function assert_order_total()`,
];

// Going down keeps "total = sum of unit price × quantity", which holds only for orders without
// shipping, tax or discount.
const down = [
  `drop trigger order_total_matches_lines on orders`,
  `drop trigger order_lines_match_total on order_line`,
  `create or replace function assert_order_total() returns trigger language plpgsql as $$
  declare
    target uuid;
    expected bigint;
    actual bigint;
    line_count integer;
  begin
    if tg_table_name = 'orders' then
      target := new.id;
    elsif tg_op = 'DELETE' then
      target := old.order_id;
    else
      target := new.order_id;
    end if;
    select total_minor into expected from orders where id = target;
    if expected is null then
      return null;
    end if;
    select coalesce(sum(unit_price_minor::bigint * quantity), 0), count(*) into actual, line_count
      from order_line where order_id = target;
    if line_count = 0 then
      raise exception 'order % has no line items', target using errcode = '23514';
    end if;
    if expected <> actual then
      raise exception 'order % total % does not equal the sum of its lines %', target, expected, actual
        using errcode = '23514';
    end if;
    return null;
  end
  $$`,
  `create constraint trigger order_total_matches_lines after insert or update of total_minor on orders
    deferrable initially deferred for each row execute function assert_order_total()`,
  `create constraint trigger order_lines_match_total after insert or update or delete on order_line
    deferrable initially deferred for each row execute function assert_order_total()`,
  `drop table order_tax_line`,
  `alter table orders drop column subtotal_minor, drop column discount_minor, drop column tax_minor,
     drop column prices_include_tax, drop column shipping_method_id, drop column shipping_name,
     drop column shipping_price_minor, drop column shipping_discount_minor,
     drop column shipping_tax_rate_basis_points, drop column shipping_tax_minor,
     drop column shipping_total_minor, drop column discount_code, drop column discount_rule,
     drop column tax_rates`,
  `alter table order_line drop constraint line_discount_within_line, drop column discount_minor,
     drop column tax_rate_basis_points, drop column tax_minor, drop column tax_category,
     drop column total_minor`,
];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
