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
  type EventPayload,
  type NotificationStatus,
  type NotifiedEventType,
  type OrderForNotification,
} from './model.ts';
import { renderAccountEmail } from './account-templates.ts';
import { DeliveryError, type EmailAttachment, type EmailProvider, type SmsProvider } from './providers.ts';
import * as store from './store.ts';
import type { NotificationRow } from './store.ts';
import { assertTemplatesFor } from './templates.ts';

/** A message its provider accepted, waiting to be recorded as sent with the rest of its batch. */
interface SentMessage {
  row: NotificationRow;
  provider: string;
  providerMessageId: string | null;
}

/** Why an unpaid order is cancelled when the shopper may not have been told at checkout. */
const UNANSWERED_CANCELLATIONS = new Set(['payment_not_completed', 'payment_unavailable']);

/** Messages in flight to a provider at once: a mail server takes a few connections, not a hundred. */
const SEND_CONCURRENCY = 10;

/** How often the sender looks for due messages when nothing wakes it earlier. */
export const SEND_INTERVAL_MS = 1000;

/**
 * What this context reads from others, always with the connection it is given: the subscriber
 * runs inside the outbox's dispatch transaction, and on PGlite (one session) a read on another
 * connection would wait for that transaction forever.
 */
export interface NotificationSources {
  /** by id; each read is one statement (or a few) for the whole batch */
  orders(db: Db, orderIds: readonly string[]): Promise<Map<string, OrderForNotification>>;
  customers(
    db: Db,
    accountIds: readonly string[],
  ): Promise<Map<string, { name: string; email: string; phone: string | null }>>;
  /** the orders' pages in the storefront, as their customers' emails link to them, by order id */
  orderUrls(
    db: Db,
    orders: ReadonlyArray<{ orderId: string; customerId: string }>,
  ): Promise<Map<string, string>>;
  /** whether the shop attaches the invoice to the confirmation: asked once per batch sent */
  attachesInvoices(): Promise<boolean>;
  /**
   * The invoice the order's confirmation carries, or null (there is none yet). Asked when the
   * message is sent, outside any transaction: a PDF is not kept twice.
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
      handle: async (events, trx) => {
        await this.handle(events, trx);
      },
    };
  }

  /**
   * Stores the messages a batch of events makes; returns how many are new. The batch's orders,
   * customers and links are read once for all of it, and its messages go in with one INSERT.
   * A problem that retrying an event cannot fix (no template, no order, no recipient, a payload
   * without the needed fields) is logged as an error for that event and skipped: it must not
   * hold up the events behind it. Database errors propagate, so the dispatcher rolls back and
   * tries the events again.
   */
  async handle(events: readonly DomainEvent[], trx: Db): Promise<number> {
    const wanted = events.flatMap((event) => {
      const notified = this.#toNotify(event);
      return notified ? [{ event, ...notified }] : [];
    });
    if (wanted.length === 0) return 0;
    const orders = await this.#sources.orders(
      trx,
      wanted.map((w) => w.payload.orderId),
    );
    const [customers, orderUrls] = await Promise.all([
      this.#sources.customers(
        trx,
        [...orders.values()].map((o) => o.customerId),
      ),
      this.#sources.orderUrls(
        trx,
        [...orders.values()].map((o) => ({ orderId: o.id, customerId: o.customerId })),
      ),
    ]);
    const messages: Array<{ eventId: string; orderId: string; message: ComposedMessage }> = [];
    for (const { event, type, payload } of wanted) {
      const context = { eventId: event.id, type: event.type, aggregateId: event.aggregateId };
      const orderId = payload.orderId;
      const order = orders.get(orderId);
      if (!order) {
        this.#log.error({ ...context, orderId }, 'notification: order not found; nothing sent');
        continue;
      }
      const customer = customers.get(order.customerId);
      if (!customer?.email) {
        this.#log.error(
          { ...context, orderId, customerId: order.customerId },
          'notification: the customer has no email address (missing recipient); nothing sent',
        );
        continue;
      }
      const phone = this.#sms ? toE164(customer.phone) : null;
      if (this.#sms && customer.phone && !phone) {
        this.#log.warn(
          { ...context, orderId, customerId: order.customerId },
          'notification: phone number is not in international format (+country…); no SMS',
        );
      }
      try {
        const composed = composeMessages(
          type,
          payload,
          { ...order, orderUrl: orderUrls.get(order.id) ?? '' },
          { name: customer.name, email: customer.email, phone },
          this.#shopEmail,
        );
        for (const message of composed) messages.push({ eventId: event.id, orderId, message });
      } catch (error) {
        this.#log.error({ ...context, orderId, err: error }, 'notification: rendering failed; nothing sent');
      }
    }
    return store.insertMessages(trx, messages);
  }

  /** The event's type and payload when it makes messages; why not, logged, when it does not. */
  #toNotify(
    event: DomainEvent,
  ): { type: NotifiedEventType; payload: EventPayload<NotifiedEventType> } | null {
    const context = { eventId: event.id, type: event.type, aggregateId: event.aggregateId };
    if (!isNotifiedEventType(event.type)) {
      this.#log.error(context, 'notification: no template for this event type; nothing sent');
      return null;
    }
    const parsed = EVENT_PAYLOADS[event.type].safeParse(event.payload);
    if (!parsed.success) {
      this.#log.error(
        { ...context, issues: parsed.error.issues },
        'notification: event payload lacks what the templates need; nothing sent',
      );
      return null;
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
      return null;
    }
    return { type: event.type, payload };
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
    await store.insertMessages(trx, [
      {
        eventId: key,
        orderId: null,
        message: {
          channel: 'email',
          recipient: to,
          template: email.template,
          subject: rendered.subject,
          html: rendered.html,
          text: rendered.text,
        },
      },
    ]);
  }

  // ---------------------------------------------------------------- sending

  /**
   * The sender job's tick: claims due messages a batch at a time, sends each batch, at most
   * SEND_CONCURRENCY messages at once, and records the batch's successes in one transaction,
   * until fewer than a batch are due. Returns how many it attempted.
   */
  async sendDue(): Promise<number> {
    let attempted = 0;
    for (;;) {
      const claimed = await store.claimDue(this.#db, this.#retry.batchSize, this.#retry.leaseMs);
      const attachInvoices =
        claimed.some((row) => row.template === CONFIRMATION_TEMPLATE) &&
        (await this.#sources.attachesInvoices());
      const sent: SentMessage[] = [];
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < claimed.length; i = next++) {
          const row = claimed[i];
          const delivered = row && (await this.#deliver(row, attachInvoices));
          if (delivered) sent.push(delivered);
        }
      };
      await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, claimed.length) }, worker));
      await this.#recordSent(sent);
      attempted += claimed.length;
      if (claimed.length < this.#retry.batchSize) return attempted;
    }
  }

  /** Hands one message to its provider; what to record when it went out, null otherwise. */
  async #deliver(row: NotificationRow, attachInvoices: boolean): Promise<SentMessage | null> {
    const context = { notificationId: row.id, channel: row.channel, attempt: row.attempts };
    try {
      const provider = row.channel === 'email' ? this.#email : this.#sms;
      if (!provider) {
        await this.#recordFailure(row, null, 'SMS is turned off (SMS_PROVIDER=none).', true);
        return null;
      }
      try {
        const { providerMessageId } = await this.#send(row, provider, attachInvoices);
        return { row, provider: provider.name, providerMessageId };
      } catch (error) {
        const permanent = error instanceof DeliveryError && error.permanent;
        const reason = error instanceof Error ? error.message : String(error);
        await this.#recordFailure(row, provider.name, reason, permanent);
        return null;
      }
    } catch (error) {
      // Recording failed (the database went away): the lease runs out and the message is tried
      // again, possibly a second time if it did go out; the SMTP Message-ID stays the same.
      this.#log.error({ ...context, err: error }, 'notification: could not record the outcome');
      return null;
    }
  }

  async #send(row: NotificationRow, provider: EmailProvider | SmsProvider, attachInvoices: boolean) {
    if (row.channel === 'email') {
      const invoice =
        attachInvoices && row.template === CONFIRMATION_TEMPLATE && row.order_id
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

  /**
   * Marks a batch of messages sent, with their EmailSent/SMSSent events: one transaction for the
   * batch. A message resent or reclaimed meanwhile (its attempt is no longer the one that sent
   * it) is left as the newer attempt has it.
   */
  async #recordSent(sent: readonly SentMessage[]): Promise<void> {
    if (sent.length === 0) return;
    try {
      const recorded = await this.#db.transaction().execute(async (trx) => {
        const updated = await store.markSent(
          trx,
          sent.map((s) => ({
            id: s.row.id,
            attempts: s.row.attempts,
            provider: s.provider,
            providerMessageId: s.providerMessageId,
          })),
        );
        const timestamp = new Date().toISOString();
        await appendEvents(
          trx,
          sent
            .filter((s) => updated.has(s.row.id))
            .map(({ row }) =>
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
                  }),
            ),
        );
        return updated;
      });
      for (const { row, provider } of sent) {
        const context = { notificationId: row.id, channel: row.channel, template: row.template, provider };
        if (recorded.has(row.id)) this.#log.info({ ...context, attempt: row.attempts }, 'notification: sent');
        else this.#log.warn(context, 'notification: sent, but the message was resent or reclaimed meanwhile');
      }
    } catch (error) {
      // as in #deliver: the leases run out and the messages are tried again
      this.#log.error(
        { notificationIds: sent.map((s) => s.row.id), err: error },
        'notification: could not record the outcome',
      );
    }
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
