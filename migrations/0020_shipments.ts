import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/**
 * Shipments (ADR 0027): an order leaves in one or more parcels, each with its lines and
 * quantities, from one stock location. An order line gets an id for a shipment to name it. The
 * order's status follows from what was shipped and delivered, so two statuses join the machine.
 * The database refuses to ship more of a line than was ordered, or anything of a cancelled order,
 * whatever the code above it does. Orders shipped before this migration become one shipment of
 * everything, from the shop's first location; the order keeps the latest shipment's carrier and
 * tracking number for API 1.x clients. Going down fails while an order is partially shipped or
 * partially delivered.
 */
const up = [
  `alter table order_line add column id uuid not null default gen_random_uuid()`,
  `alter table order_line add constraint order_line_id_key unique (id)`,

  `alter table orders drop constraint orders_status_check`,
  `alter table orders add constraint orders_status_check
     check (status in ('draft', 'pending', 'confirmed', 'partially_shipped', 'shipped',
                       'partially_delivered', 'delivered', 'cancelled'))`,
  `alter table orders drop constraint shipped_has_tracking`,
  `alter table orders add constraint shipped_has_tracking
     check (status not in ('partially_shipped', 'shipped', 'partially_delivered', 'delivered')
            or tracking_number is not null)`,

  `create table shipment (
    id uuid primary key,
    order_id uuid not null references orders (id),
    number integer not null check (number > 0),
    location_id uuid not null references stock_location (id),
    carrier text not null check (length(carrier) between 1 and 60),
    tracking_number text not null check (length(tracking_number) between 1 and 40),
    tracking_url text check (tracking_url is null or length(tracking_url) <= 500),
    status text not null default 'shipped' check (status in ('shipped', 'delivered')),
    shipped_at timestamptz not null default now(),
    delivered_at timestamptz,
    created_by uuid,
    unique (order_id, number),
    check ((status = 'delivered') = (delivered_at is not null))
  )`,
  `create table shipment_line (
    shipment_id uuid not null references shipment (id),
    order_line_id uuid not null references order_line (id),
    variant_id uuid not null references product_variant (id),
    quantity integer not null check (quantity > 0),
    primary key (shipment_id, order_line_id)
  )`,
  `create index shipment_line_order_line_idx on shipment_line (order_line_id)`,
  `create function shipment_line_within_order() returns trigger language plpgsql as $$
    declare
      ordered integer;
      shipped integer;
      order_status text;
    begin
      select l.quantity, o.status into ordered, order_status
        from order_line l join orders o on o.id = l.order_id where l.id = new.order_line_id;
      if order_status = 'cancelled' then
        raise exception 'a cancelled order cannot ship' using errcode = 'check_violation';
      end if;
      select coalesce(sum(quantity), 0) into shipped from shipment_line where order_line_id = new.order_line_id;
      if shipped > ordered then
        raise exception 'order line % would ship % of %', new.order_line_id, shipped, ordered
          using errcode = 'check_violation';
      end if;
      return null;
    end $$`,
  `create trigger shipment_line_within_order after insert or update on shipment_line
     for each row execute function shipment_line_within_order()`,

  `insert into shipment (id, order_id, number, location_id, carrier, tracking_number, status,
                         shipped_at, delivered_at)
     select gen_random_uuid(), o.id, 1, (select id from stock_location order by priority limit 1),
            coalesce(o.carrier, 'unknown'), o.tracking_number,
            case when o.status = 'delivered' then 'delivered' else 'shipped' end,
            o.updated_at, case when o.status = 'delivered' then o.updated_at end
       from orders o where o.status in ('shipped', 'delivered')`,
  `insert into shipment_line (shipment_id, order_line_id, variant_id, quantity)
     select s.id, l.id, l.variant_id, l.quantity
       from shipment s join order_line l on l.order_id = s.order_id`,
];

const down = [
  `drop table shipment_line`,
  `drop function shipment_line_within_order`,
  `drop table shipment`,
  `alter table orders drop constraint shipped_has_tracking`,
  `alter table orders add constraint shipped_has_tracking
     check (status not in ('shipped', 'delivered') or tracking_number is not null)`,
  `alter table orders drop constraint orders_status_check`,
  `alter table orders add constraint orders_status_check
     check (status in ('draft', 'pending', 'confirmed', 'shipped', 'delivered', 'cancelled'))`,
  `alter table order_line drop constraint order_line_id_key`,
  `alter table order_line drop column id`,
];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
