import type { Logger } from 'pino';
import type { AccountEmail } from '../platform/auth/model.ts';
import type { Db } from '../platform/db.ts';
import { notFound } from '../platform/errors.ts';
import { appendEvents, type Subscriber } from '../platform/outbox.ts';
import { afterFailure, type RetryPolicy } from '../platform/retry.ts';
import type { DomainEvent } from '../platform/outbox-event.ts';
import { notificationEvent } from './events.ts';
import {
  DEFAULT_RETRY_POLICY,
  EVENT_PAYLOADS,
  NOTIFIED_EVENT_TYPES,
  composeMessages,
  isNotifiedEventType,
  toE164,
  type ComposedMessage,
  type NotificationStatus,
  type OrderForNotification,
} from './model.ts';
import { renderAccountEmail } from './account-templates.ts';
import { DeliveryError, type EmailAttachment, type EmailProvider, type SmsProvider } from './providers.ts';
import * as store from './store.ts';
import type { NotificationRow } from './store.ts';
import { assertTemplatesFor } from './templates.ts';

/** Why an unpaid order is cancelled when the shopper may not have been told at checkout. */
const UNANSWERED_CANCELLATIONS = new Set(['payment_not_completed', 'payment_unavailable']);

/** How often the sender looks for due messages when nothing wakes it earlier. */
export const SEND_INTERVAL_MS = 1000;

/**
 * What this context reads from others, always with the connection it is given: the subscriber
 * runs inside the outbox's dispatch transaction, and on PGlite (one session) a read on another
 * connection would wait for that transaction forever.
 */
export interface NotificationSources {
  order(db: Db, orderId: string): Promise<OrderForNotification | undefined>;
  customer(
    db: Db,
    accountId: string,
  ): Promise<{ name: string; email: string; phone: string | null } | undefined>;
  /** the order's page in the storefront, as its customer's emails link to it */
  orderUrl(db: Db, orderId: string, customerId: string): Promise<string>;
  /**
   * The invoice the order's confirmation carries, or null (the shop's switch is off, or there is
   * none). Asked when the message is sent, outside any transaction: a PDF is not kept twice.
   */
  invoiceAttachment(orderId: string): Promise<EmailAttachment | null>;
}

/** The e-mail that carries the order's invoice when the shop asks for it (docs/documents.md). */
const CONFIRMATION_TEMPLATE = 'order_confirmed';

export interface NotificationServiceOptions {
  db: Db;
  log: Logger;
  email: EmailProvider;
  /** null when SMS is off (`SMS_PROVIDER=none`) */
  sms: SmsProvider | null;
  /** the From of every email, `Name <address>` */
  from: string;
  /** where messages for the shop go (a refund that failed); null: nowhere, logged instead */
  shopEmail: string | null;
  sources: NotificationSources;
  retry?: Partial<RetryPolicy> | undefined;
}

/**
 * The notification context. Two halves that never meet inside one transaction:
 * - `subscriber()`: inside the outbox's dispatch transaction, renders the messages an event makes
 *   and stores them as `pending` rows, once per (event, channel, recipient);
 * - `sendDue()`: the sender job, outside any transaction, claims due rows, hands each to its
 *   provider and records the outcome: `sent` (+ EmailSent/SMSSent), a retry with exponential
 *   backoff, or `failed`. It reads and writes nothing but its own table and the outbox: a message
 *   that cannot be delivered never touches the order.
 */
export class NotificationService {
  readonly #db: Db;
  readonly #log: Logger;
  readonly #email: EmailProvider;
  readonly #sms: SmsProvider | null;
  readonly #from: string;
  readonly #shopEmail: string | null;
  readonly #sources: NotificationSources;
  readonly #retry: RetryPolicy;

  constructor(options: NotificationServiceOptions) {
    // "Template must exist for notification type": checked before the first event, not at it.
    assertTemplatesFor(NOTIFIED_EVENT_TYPES);
    this.#db = options.db;
    this.#log = options.log;
    this.#email = options.email;
    this.#sms = options.sms;
    this.#from = options.from;
    this.#shopEmail = options.shopEmail;
    this.#sources = options.sources;
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  }

  get retryPolicy(): Readonly<RetryPolicy> {
    return this.#retry;
  }

  /** Whether a batch of committed events may have made messages (to wake the sender early). */
  concerns(events: readonly { type: string }[]): boolean {
    return events.some((e) => isNotifiedEventType(e.type));
  }

  // ---------------------------------------------------------------- events → messages

  subscriber(): Subscriber {
    return {
      name: 'notifications',
      types: NOTIFIED_EVENT_TYPES,
      handle: async (event, trx) => {
        await this.handle(event, trx);
      },
    };
  }

  /**
   * Stores the messages an event makes; returns how many are new. A problem that retrying the
   * event cannot fix (no template, no order, no recipient, a payload without the needed fields)
   * is logged as an error for this event and skipped: it must not hold up the events behind it.
   * Database errors propagate, so the dispatcher rolls back and tries the event again.
   */
  async handle(event: DomainEvent, trx: Db): Promise<number> {
    const context = { eventId: event.id, type: event.type, aggregateId: event.aggregateId };
    if (!isNotifiedEventType(event.type)) {
      this.#log.error(context, 'notification: no template for this event type; nothing sent');
      return 0;
    }
    const parsed = EVENT_PAYLOADS[event.type].safeParse(event.payload);
    if (!parsed.success) {
      this.#log.error(
        { ...context, issues: parsed.error.issues },
        'notification: event payload lacks what the templates need; nothing sent',
      );
      return 0;
    }
    const payload = parsed.data;
    if (event.type === 'RefundFailed' && !this.#shopEmail) {
      this.#log.error(
        context,
        'notification: no shop address (SHOP_EMAIL, ADMIN_EMAIL); the shop is not emailed',
      );
    }
    // A cancellation of an order that was never confirmed sends nothing when the shopper saw why
    // at checkout (a declined card): they were not charged and got no confirmation to take back.
    // When they got no answer (recovery after a crash, the gateway unreachable) they hear once.
    if (
      event.type === 'OrderCancelled' &&
      'wasConfirmed' in payload &&
      !payload.wasConfirmed &&
      !('reason' in payload && UNANSWERED_CANCELLATIONS.has(String(payload.reason)))
    ) {
      this.#log.debug(context, 'notification: unconfirmed order cancelled; no email');
      return 0;
    }
    const orderId = payload.orderId;
    const order = await this.#sources.order(trx, orderId);
    if (!order) {
      this.#log.error({ ...context, orderId }, 'notification: order not found; nothing sent');
      return 0;
    }
    const customer = await this.#sources.customer(trx, order.customerId);
    if (!customer?.email) {
      this.#log.error(
        { ...context, orderId, customerId: order.customerId },
        'notification: the customer has no email address (missing recipient); nothing sent',
      );
      return 0;
    }
    const phone = this.#sms ? toE164(customer.phone) : null;
    if (this.#sms && customer.phone && !phone) {
      this.#log.warn(
        { ...context, orderId, customerId: order.customerId },
        'notification: phone number is not in international format (+country…); no SMS',
      );
    }
    let messages: ComposedMessage[];
    try {
      messages = composeMessages(
        event.type,
        payload,
        { ...order, orderUrl: await this.#sources.orderUrl(trx, order.id, order.customerId) },
        { name: customer.name, email: customer.email, phone },
        this.#shopEmail,
      );
    } catch (error) {
      this.#log.error({ ...context, orderId, err: error }, 'notification: rendering failed; nothing sent');
      return 0;
    }
    return store.insertMessages(trx, event.id, orderId, messages);
  }

  /**
   * Stores an account email (sign-up warning, reset link) as a pending message, with the
   * transaction that made the reason for it: it goes out once the transaction commits, never if
   * it rolls back, and once only (`key`, unique per reason, is the message's event id).
   * A direct call rather than an outbox event: a reset link is a secret, and an event's payload
   * would carry it to every subscriber and to the message broker.
   */
  async sendAccountEmail(trx: Db, key: string, to: string, email: AccountEmail): Promise<void> {
    const rendered = renderAccountEmail(email);
    await store.insertMessages(trx, key, null, [
      {
        channel: 'email',
        recipient: to,
        template: email.template,
        subject: rendered.subject,
        html: rendered.html,
        text: rendered.text,
      },
    ]);
  }

  // ---------------------------------------------------------------- sending

  /**
   * The sender job's tick: claims due messages a batch at a time and sends each batch
   * concurrently, until fewer than a batch are due. Returns how many it attempted.
   */
  async sendDue(): Promise<number> {
    let attempted = 0;
    for (;;) {
      const claimed = await store.claimDue(this.#db, this.#retry.batchSize, this.#retry.leaseMs);
      await Promise.all(claimed.map((row) => this.#deliver(row)));
      attempted += claimed.length;
      if (claimed.length < this.#retry.batchSize) return attempted;
    }
  }

  async #deliver(row: NotificationRow): Promise<void> {
    const context = { notificationId: row.id, channel: row.channel, attempt: row.attempts };
    try {
      const provider = row.channel === 'email' ? this.#email : this.#sms;
      if (!provider) {
        await this.#recordFailure(row, null, 'SMS is turned off (SMS_PROVIDER=none).', true);
        return;
      }
      let providerMessageId: string | null;
      try {
        providerMessageId = (await this.#send(row, provider)).providerMessageId;
      } catch (error) {
        const permanent = error instanceof DeliveryError && error.permanent;
        const reason = error instanceof Error ? error.message : String(error);
        await this.#recordFailure(row, provider.name, reason, permanent);
        return;
      }
      await this.#recordSent(row, provider.name, providerMessageId);
    } catch (error) {
      // Recording failed (the database went away): the lease runs out and the message is tried
      // again, possibly a second time if it did go out; the SMTP Message-ID stays the same.
      this.#log.error({ ...context, err: error }, 'notification: could not record the outcome');
    }
  }

  async #send(row: NotificationRow, provider: EmailProvider | SmsProvider) {
    if (row.channel === 'email') {
      const invoice =
        row.template === CONFIRMATION_TEMPLATE && row.order_id
          ? await this.#sources.invoiceAttachment(row.order_id)
          : null;
      return (provider as EmailProvider).send({
        to: row.recipient,
        from: this.#from,
        subject: row.subject ?? '',
        html: row.body_html ?? '',
        text: row.body_text,
        messageId: row.id,
        attachments: invoice ? [invoice] : [],
      });
    }
    return (provider as SmsProvider).send({ to: row.recipient, body: row.body_text, messageId: row.id });
  }

  async #recordSent(row: NotificationRow, provider: string, providerMessageId: string | null): Promise<void> {
    const recorded = await this.#db.transaction().execute(async (trx) => {
      const updated = await store.markSent(trx, row, provider, providerMessageId);
      if (!updated) return false;
      const timestamp = new Date().toISOString();
      const event =
        row.channel === 'email'
          ? notificationEvent('EmailSent', {
              notificationId: row.id,
              recipient: row.recipient,
              subject: row.subject ?? '',
              timestamp,
            })
          : notificationEvent('SMSSent', {
              notificationId: row.id,
              recipient: row.recipient,
              message: row.body_text,
              timestamp,
            });
      await appendEvents(trx, [event]);
      return true;
    });
    const context = { notificationId: row.id, channel: row.channel, template: row.template, provider };
    if (recorded) this.#log.info({ ...context, attempt: row.attempts }, 'notification: sent');
    else this.#log.warn(context, 'notification: sent, but the message was resent or reclaimed meanwhile');
  }

  async #recordFailure(
    row: NotificationRow,
    provider: string | null,
    reason: string,
    permanent: boolean,
  ): Promise<void> {
    const outcome = afterFailure(row.attempts, permanent, this.#retry);
    const retryInMs = outcome.status === 'pending' ? outcome.delayMs : null;
    const updated = await store.markAttemptFailed(this.#db, row, provider, reason, retryInMs);
    const context = {
      notificationId: row.id,
      channel: row.channel,
      template: row.template,
      provider,
      attempt: row.attempts,
      reason,
    };
    if (!updated) return;
    if (retryInMs === null) {
      this.#log.error(
        { ...context, permanent },
        permanent
          ? 'notification: failed, the provider refused it for good'
          : 'notification: failed after the last attempt',
      );
    } else {
      this.#log.warn({ ...context, retryInMs }, 'notification: attempt failed; will retry');
    }
  }

  // ---------------------------------------------------------------- the mailbox

  /** The queue's figures for /metrics: waiting, waiting after a failure, given up. */
  queueFigures(): Promise<{ pending: number; retrying: number; failed: number }> {
    return store.queueFigures(this.#db);
  }

  list(query: {
    limit: number;
    beforeId: string | null;
    status?: NotificationStatus | undefined;
    recipient?: string | undefined;
    orderId?: string | undefined;
  }): Promise<NotificationRow[]> {
    return store.list(this.#db, query);
  }

  async get(id: string): Promise<NotificationRow> {
    const row = await store.find(this.#db, id);
    if (!row) throw notFound('Notification', id);
    return row;
  }

  /** Sends a message again, whatever became of it: pending, due now, with a fresh series of attempts. */
  async resend(id: string, actorId: string): Promise<NotificationRow> {
    const row = await store.resetForResend(this.#db, id);
    if (!row) throw notFound('Notification', id);
    this.#log.info({ notificationId: id, actorId }, 'notification: resend requested');
    return row;
  }
}
