import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/**
 * Staff roles (ADR 0031): an admin account is a staff member with a `staff_role` (owner, staff,
 * support) that decides which admin operations it may use; customers and guests have none. The
 * admins there were become owners. An invited staff member has no password until they choose
 * one from their invitation link, so "no password" now means a guest or an invitation not yet
 * taken. A deactivated staff member keeps their account, for the names in the audit log and the
 * order timelines, but can neither sign in nor use a session. The audit log is read newest first,
 * whole or by who acted.
 * Going down fails while staff members other than owners exist, as their role would be lost.
 */
const up = [
  `alter table account add column staff_role text`,
  `alter table account add column deactivated_at timestamptz`,
  `update account set staff_role = 'owner' where role = 'admin'`,
  `alter table account add constraint account_staff_role_check
     check ((role = 'admin') = (staff_role is not null)
            and (staff_role is null or staff_role in ('owner', 'staff', 'support')))`,
  `alter table account add constraint account_deactivated_staff_check
     check (deactivated_at is null or role = 'admin')`,
  `alter table account drop constraint account_password_check`,
  `alter table account add constraint account_password_check
     check (role = 'admin' or (role = 'guest') = (password_hash is null))`,
  `create index account_staff_idx on account (staff_role) where staff_role is not null`,
  `create index audit_log_actor_idx on audit_log (actor_id, id)`,
];
const down = [
  `drop index audit_log_actor_idx`,
  `drop index account_staff_idx`,
  `do $$ begin
     if exists (select 1 from account where staff_role in ('staff', 'support') or (role = 'admin' and password_hash is null)) then
       raise exception 'staff or support members, or pending invitations, exist: their roles would be lost';
     end if;
   end $$`,
  `alter table account drop constraint account_password_check`,
  `alter table account add constraint account_password_check
     check ((role = 'guest') = (password_hash is null))`,
  `alter table account drop constraint account_deactivated_staff_check`,
  `alter table account drop constraint account_staff_role_check`,
  `alter table account drop column deactivated_at`,
  `alter table account drop column staff_role`,
];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
