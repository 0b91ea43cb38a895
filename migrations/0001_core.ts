import { sql, type Kysely } from 'kysely';

/**
 * Accounts, catalog, stock, orders, payments, idempotency and the outbox. The invariants of the
 * spec live here as well as in code: the code checks first to give a clear error, the database
 * guarantees them under any concurrency.
 */
const up = [
  `create table account (
    id uuid primary key default gen_random_uuid(),
    email text not null unique check (email = lower(email) and length(email) between 3 and 254),
    name text not null check (length(name) between 1 and 200),
    phone text,
    role text not null check (role in ('customer', 'admin')),
    password_hash text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  `create table product (
    id uuid primary key default gen_random_uuid(),
    sku text not null unique check (length(sku) between 1 and 64),
    name text not null check (length(name) between 1 and 200),
    description text not null default '',
    price_minor integer not null check (price_minor >= 0),
    currency char(3) not null,
    image_url text,
    active boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  `create index product_name_idx on product (name, id)`,
  `create table stock_level (
    product_id uuid primary key references product (id),
    on_hand integer not null check (on_hand >= 0),
    reserved integer not null default 0 check (reserved >= 0),
    low_stock_threshold integer not null default 5 check (low_stock_threshold >= 0),
    updated_at timestamptz not null default now(),
    constraint reserved_within_on_hand check (reserved <= on_hand)
  )`,
  `create table orders (
    id uuid primary key,
    customer_id uuid not null references account (id),
    status text not null check (status in ('pending', 'confirmed', 'shipped', 'delivered', 'cancelled')),
    currency char(3) not null,
    total_minor integer not null check (total_minor >= 0),
    shipping_address jsonb not null,
    payment_status text not null default 'pending'
      check (payment_status in ('pending', 'requires_action', 'paid', 'failed', 'partially_refunded', 'refunded')),
    cancellation_reason text,
    tracking_number text,
    carrier text,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint shipped_has_tracking check (status not in ('shipped', 'delivered') or tracking_number is not null)
  )`,
  `create index orders_customer_created_idx on orders (customer_id, created_at desc, id desc)`,
  `create index orders_created_idx on orders (created_at desc, id desc)`,
  `create index orders_status_created_idx on orders (status, created_at desc, id desc)`,
  `create index orders_pending_idx on orders (created_at) where status = 'pending'`,
  `create table order_line (
    order_id uuid not null references orders (id),
    product_id uuid not null references product (id),
    name text not null,
    unit_price_minor integer not null check (unit_price_minor >= 0),
    quantity integer not null check (quantity > 0),
    primary key (order_id, product_id)
  )`,
  `create index order_line_product_idx on order_line (product_id)`,
  // "Order total must match sum of line items" and "at least one line item" span rows, so they
  // are checked at commit by a deferred constraint trigger rather than a CHECK.
  `create function assert_order_total() returns trigger language plpgsql as $$
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
  `create table stock_reservation (
    id uuid primary key default gen_random_uuid(),
    order_id uuid not null references orders (id),
    product_id uuid not null references product (id),
    quantity integer not null check (quantity > 0),
    status text not null check (status in ('active', 'committed', 'released')),
    expires_at timestamptz not null,
    created_at timestamptz not null default now()
  )`,
  `create index stock_reservation_order_idx on stock_reservation (order_id)`,
  `create index stock_reservation_active_expiry_idx on stock_reservation (expires_at) where status = 'active'`,
  `create table order_history (
    id bigserial primary key,
    order_id uuid not null references orders (id),
    at timestamptz not null default now(),
    type text not null check (type in ('status', 'modification', 'payment', 'refund', 'note')),
    status text,
    actor text not null check (actor in ('customer', 'admin', 'system')),
    actor_id uuid,
    summary text not null,
    details jsonb not null default '{}'
  )`,
  `create index order_history_order_idx on order_history (order_id, id)`,
  `create table cart_item (
    customer_id uuid not null references account (id),
    product_id uuid not null references product (id),
    quantity integer not null check (quantity > 0),
    price_when_added_minor integer not null check (price_when_added_minor >= 0),
    added_at timestamptz not null default now(),
    primary key (customer_id, product_id)
  )`,
  `create table payment (
    id uuid primary key default gen_random_uuid(),
    order_id uuid not null references orders (id),
    provider text not null,
    provider_payment_id text,
    idempotency_key text not null unique,
    amount_minor integer not null check (amount_minor > 0),
    currency char(3) not null,
    status text not null check (status in ('requires_action', 'succeeded', 'failed')),
    refunded_minor integer not null default 0 check (refunded_minor >= 0),
    failure_code text,
    failure_message text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint refunds_within_payment check (refunded_minor <= amount_minor)
  )`,
  `create index payment_order_idx on payment (order_id)`,
  `create unique index payment_provider_id_idx on payment (provider, provider_payment_id)
    where provider_payment_id is not null`,
  `create table refund (
    id uuid primary key default gen_random_uuid(),
    payment_id uuid not null references payment (id),
    order_id uuid not null references orders (id),
    amount_minor integer not null check (amount_minor > 0),
    status text not null check (status in ('pending', 'succeeded', 'failed')),
    provider_refund_id text,
    idempotency_key text not null unique,
    reason text,
    created_at timestamptz not null default now()
  )`,
  `create index refund_order_idx on refund (order_id)`,
  `create table idempotency_key (
    customer_id uuid not null references account (id),
    key text not null check (length(key) between 1 and 255),
    request_hash text not null,
    order_id uuid,
    response_status integer,
    response_body jsonb,
    created_at timestamptz not null default now(),
    primary key (customer_id, key)
  )`,
  `create table outbox (
    sequence bigserial primary key,
    id uuid not null unique default gen_random_uuid(),
    type text not null,
    context text not null,
    aggregate_id text not null,
    payload jsonb not null,
    occurred_at timestamptz not null default now(),
    dispatched_at timestamptz,
    attempts integer not null default 0,
    last_error text
  )`,
  `create index outbox_undispatched_idx on outbox (sequence) where dispatched_at is null`,
  `create index outbox_aggregate_idx on outbox (aggregate_id, sequence)`,
  // Wakes every instance's dispatcher at commit instead of waiting for its next poll.
  `create function wake_outbox_dispatcher() returns trigger language plpgsql as $$
  begin
    perform pg_notify('orderly_outbox', '');
    return null;
  end
  $$`,
  `create trigger outbox_inserted after insert on outbox
    for each statement execute function wake_outbox_dispatcher()`,
  // The sandbox gateway's own ledger: a stand-in for the gateway's memory, so that what it has
  // charged survives a crash of Orderly and recovery can ask it, as it would ask Stripe.
  `create table sandbox_charge (
    idempotency_key text primary key,
    payment_id text not null unique,
    order_id uuid not null,
    amount_minor integer not null,
    currency char(3) not null,
    status text not null check (status in ('succeeded', 'failed')),
    refunded_minor integer not null default 0,
    created_at timestamptz not null default now(),
    constraint sandbox_refunds_within_charge check (refunded_minor <= amount_minor)
  )`,
  `create index sandbox_charge_order_idx on sandbox_charge (order_id)`,
  `create table sandbox_refund (
    idempotency_key text primary key,
    refund_id text not null unique,
    payment_id text not null,
    amount_minor integer not null check (amount_minor > 0)
  )`,
  `create table audit_log (
    id bigserial primary key,
    at timestamptz not null default now(),
    actor_id uuid references account (id),
    action text not null,
    target_type text not null,
    target_id text not null,
    details jsonb not null default '{}'
  )`,
  `create index audit_log_target_idx on audit_log (target_type, target_id, id)`,
];

const down = [
  'drop table audit_log',
  'drop table sandbox_refund',
  'drop table sandbox_charge',
  'drop table outbox',
  'drop function wake_outbox_dispatcher',
  'drop table idempotency_key',
  'drop table refund',
  'drop table payment',
  'drop table cart_item',
  'drop table order_history',
  'drop table stock_reservation',
  'drop table order_line',
  'drop function assert_order_total cascade',
  'drop table orders',
  'drop table stock_level',
  'drop table product',
  'drop table account',
];

export async function runStatements(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
