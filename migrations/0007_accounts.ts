import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/**
 * Accounts people can trust:
 * - `app_secret`: secrets Orderly makes for itself, such as the token signing key when no
 *   `JWT_SECRET` is given outside production (kept with the data, so PGlite's folder and a
 *   PostgreSQL database each carry their own, and every instance on one database shares it);
 * - `account.token_version`: every token carries it; logging out, a new password or a deletion
 *   moves it on, and older tokens stop working at their next request;
 * - `password_reset`: single-use links by email, stored as a SHA-256 of the token only;
 * - `login_throttle`: failed sign-ins per email (known or not, so it reveals nothing), for a
 *   delay that doubles with each failure;
 * - `account_address`: a shopper's saved addresses.
 */
const up = [
  `create table app_secret (
    name text primary key check (length(name) between 1 and 100),
    value text not null check (length(value) >= 32),
    created_at timestamptz not null default now()
  )`,
  `alter table account add column token_version integer not null default 1 check (token_version >= 1)`,
  `create table password_reset (
    id uuid primary key default gen_random_uuid(),
    account_id uuid not null references account (id) on delete cascade,
    token_hash text not null unique check (length(token_hash) = 64),
    expires_at timestamptz not null,
    used_at timestamptz,
    created_at timestamptz not null default now()
  )`,
  `create index password_reset_account_idx on password_reset (account_id)`,
  `create table login_throttle (
    email text primary key check (length(email) between 1 and 254),
    failures integer not null check (failures > 0),
    blocked_until timestamptz,
    updated_at timestamptz not null default now()
  )`,
  `create table account_address (
    id uuid primary key default gen_random_uuid(),
    account_id uuid not null references account (id) on delete cascade,
    label text check (length(label) between 1 and 50),
    recipient text check (length(recipient) between 1 and 200),
    phone text check (length(phone) between 6 and 20),
    street text not null check (length(street) between 1 and 200),
    city text not null check (length(city) between 1 and 100),
    state text not null check (length(state) between 1 and 100),
    zip text not null check (length(zip) between 3 and 12),
    country char(2),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  `create index account_address_account_idx on account_address (account_id, created_at, id)`,
];

const down = [
  'drop table account_address',
  'drop table login_throttle',
  'drop table password_reset',
  'alter table account drop column token_version',
  'drop table app_secret',
];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
