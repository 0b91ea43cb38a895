import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/**
 * The documents context (ADR 0029): the shop's details printed on every document, the counters
 * that number invoices and credit notes without gaps, and each issued document's data as it was
 * on the day it was issued. One invoice per order and one credit note per refund, by unique keys,
 * so a subscriber that runs twice cannot issue twice. The shop's details are one row.
 */
const up = [
  `create table shop_details (
    id boolean primary key default true check (id),
    legal_name text not null check (length(legal_name) between 1 and 200),
    address text not null check (length(address) <= 500),
    tax_id text not null default '' check (length(tax_id) <= 50),
    registration_number text not null default '' check (length(registration_number) <= 50),
    contact_email text not null default '' check (length(contact_email) <= 254),
    invoice_footer text not null default '' check (length(invoice_footer) <= 500),
    attach_invoice_to_confirmation boolean not null default false,
    updated_at timestamptz not null default now()
  )`,
  `create table document_counter (
    series text not null check (series in ('invoice', 'credit_note')),
    year integer not null check (year between 2000 and 9999),
    last_number integer not null check (last_number > 0),
    primary key (series, year)
  )`,
  `create table invoice (
    id uuid primary key,
    order_id uuid not null unique references orders (id),
    number text not null unique,
    issued_at timestamptz not null,
    currency text not null,
    total_minor integer not null check (total_minor >= 0),
    data jsonb not null
  )`,
  `create table credit_note (
    id uuid primary key,
    invoice_id uuid not null references invoice (id),
    order_id uuid not null references orders (id),
    refund_id uuid not null unique,
    number text not null unique,
    issued_at timestamptz not null,
    currency text not null,
    amount_minor integer not null check (amount_minor > 0),
    data jsonb not null
  )`,
  `create index credit_note_by_order on credit_note (order_id, issued_at)`,
];
const down = [
  `drop table credit_note`,
  `drop table invoice`,
  `drop table document_counter`,
  `drop table shop_details`,
];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
