import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/**
 * The notification context's one table: every email and SMS, rendered when its event was
 * dispatched, then delivered by the sender job. It is the outbox of the notification context and,
 * with the `log` provider, the mailbox itself.
 */
const up = [
  `create table notification (
    id uuid primary key,
    event_id uuid not null,
    order_id uuid,
    channel text not null check (channel in ('email', 'sms')),
    recipient text not null check (length(recipient) between 3 and 320),
    template text not null check (length(template) between 1 and 100),
    subject text,
    body_html text,
    body_text text not null,
    status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
    attempts integer not null default 0 check (attempts >= 0),
    next_attempt_at timestamptz not null default now(),
    last_error text,
    provider text,
    provider_message_id text,
    created_at timestamptz not null default now(),
    sent_at timestamptz,
    -- An event delivered twice to the subscriber makes one message per channel and recipient.
    constraint notification_once unique (event_id, channel, recipient),
    constraint email_has_subject_and_html check (channel <> 'email' or (subject is not null and body_html is not null)),
    constraint sent_has_time check (status <> 'sent' or sent_at is not null)
  )`,
  // The sender's query: due pending messages, oldest due first.
  `create index notification_due_idx on notification (next_attempt_at) where status = 'pending'`,
  // The mailbox: newest first (ids are UUIDv7, time-ordered), by status, by order.
  `create index notification_status_idx on notification (status, id desc)`,
  `create index notification_order_idx on notification (order_id)`,
];

const down = ['drop table notification'];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
