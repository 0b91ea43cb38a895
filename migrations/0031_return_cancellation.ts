import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/**
 * A return or an exchange may be cancelled while its items have not come back (docs/returns.md):
 * by the shop, with a reason the customer is told, or withdrawn by the shopper. A cancelled
 * return keeps who cancelled it and why. `cancel_started_at` is set while a dearer exchange's
 * cancellation waits for its charge to be refunded (the money moves outside any transaction), so
 * no other step moves the return meanwhile. Going down fails while cancelled returns exist, as
 * their status would be lost.
 */
const up = [
  `alter table return_request drop constraint return_request_status_check`,
  `alter table return_request add constraint return_request_status_check
     check (status in ('requested', 'approved', 'rejected', 'received', 'refunded', 'closed', 'cancelled'))`,
  `alter table return_request
     add column cancelled_by text check (cancelled_by in ('customer', 'admin')),
     add column cancellation_reason text check (length(cancellation_reason) between 1 and 500),
     add column cancel_started_at timestamptz,
     add constraint return_request_cancelled_by check ((status = 'cancelled') = (cancelled_by is not null)),
     add constraint return_request_cancellation_reason check (cancellation_reason is null or status = 'cancelled'),
     add constraint return_request_cancel_started check (
       cancel_started_at is null or status in ('requested', 'approved'))`,
];

const down = [
  `do $$ begin
     if exists (select 1 from return_request where status = 'cancelled') then
       raise exception 'cancelled returns exist: their status would be lost';
     end if;
   end $$`,
  `alter table return_request
     drop constraint return_request_cancel_started,
     drop constraint return_request_cancellation_reason,
     drop constraint return_request_cancelled_by,
     drop column cancel_started_at,
     drop column cancellation_reason,
     drop column cancelled_by`,
  `alter table return_request drop constraint return_request_status_check`,
  `alter table return_request add constraint return_request_status_check
     check (status in ('requested', 'approved', 'rejected', 'received', 'refunded', 'closed'))`,
];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
