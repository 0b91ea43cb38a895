import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../platform/errors.ts';
import { requireUser } from '../platform/http.ts';
import { decodeCursor, encodeCursor, PageQuery } from '../platform/pagination.ts';
import { Id, IdParams } from '../platform/schemas.ts';
import { NOTIFICATION_CHANNELS, NOTIFICATION_STATUSES } from './model.ts';
import type { NotificationService } from './service.ts';
import type { NotificationRow } from './store.ts';

/** The mailbox: every email and SMS, its delivery status and a preview, for admins. */

const NotificationSummary = z
  .object({
    id: z.uuid(),
    channel: z.enum(NOTIFICATION_CHANNELS),
    recipient: z.string(),
    subject: z.string().nullable().meta({ description: 'null for an SMS' }),
    template: z.string(),
    status: z.enum(NOTIFICATION_STATUSES),
    attempts: z.number().int().meta({ description: 'attempts since the message was created or resent' }),
    lastError: z.string().nullable().meta({ description: 'why the last attempt failed' }),
    orderId: z.uuid().nullable(),
    provider: z.string().nullable().meta({ description: 'log, smtp, sendgrid, twilio' }),
    providerMessageId: z.string().nullable(),
    nextAttemptAt: z.iso.datetime().nullable().meta({ description: 'when a pending message is tried next' }),
    createdAt: z.iso.datetime(),
    sentAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'NotificationSummary' });

const NotificationDetail = NotificationSummary.extend({
  html: z.string().nullable().meta({ description: 'the rendered HTML part; null for an SMS' }),
  text: z.string().meta({ description: 'the plain-text part, or the SMS body' }),
}).meta({ id: 'Notification' });

const iso = (value: Date | string) => new Date(value).toISOString();

function summary(row: NotificationRow): z.infer<typeof NotificationSummary> {
  return {
    id: row.id,
    channel: row.channel,
    recipient: row.recipient,
    subject: row.subject,
    template: row.template,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    orderId: row.order_id,
    provider: row.provider,
    providerMessageId: row.provider_message_id,
    nextAttemptAt: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    createdAt: iso(row.created_at),
    sentAt: row.sent_at ? iso(row.sent_at) : null,
  };
}

function detail(row: NotificationRow): z.infer<typeof NotificationDetail> {
  return { ...summary(row), html: row.body_html, text: row.body_text };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const notificationRoutes =
  (notifications: NotificationService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/admin/notifications',
      {
        config: { auth: 'admin', permission: 'notifications' },
        schema: {
          operationId: 'listNotifications',
          tags: ['Admin'],
          summary: 'The mailbox: every email and SMS, newest first (admin)',
          querystring: z.object({
            ...PageQuery,
            status: z.enum(NOTIFICATION_STATUSES).optional(),
            recipient: z.string().trim().min(1).max(320).optional().meta({
              description: 'part of the email address or phone number, case-insensitive',
            }),
            orderId: Id.optional(),
          }),
          response: {
            200: z.object({ items: z.array(NotificationSummary), nextCursor: z.string().nullable() }),
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
          },
        },
      },
      async (request) => {
        const q = request.query;
        const after = decodeCursor(q.cursor, ['string']);
        // The cursor is compared with a uuid column: anything else is a bad cursor, not a 500.
        if (after && !UUID.test(String(after[0]))) decodeCursor('!', ['string']);
        const rows = await notifications.list({
          limit: q.limit + 1,
          beforeId: after ? String(after[0]) : null,
          status: q.status,
          recipient: q.recipient,
          orderId: q.orderId,
        });
        const more = rows.length > q.limit;
        const page = more ? rows.slice(0, q.limit) : rows;
        const last = page[page.length - 1];
        return { items: page.map(summary), nextCursor: more && last ? encodeCursor([last.id]) : null };
      },
    );

    app.get(
      '/admin/notifications/:id',
      {
        config: { auth: 'admin', permission: 'notifications' },
        schema: {
          operationId: 'getNotification',
          tags: ['Admin'],
          summary: 'One message with its rendered HTML and text (admin)',
          params: IdParams,
          response: {
            200: NotificationDetail,
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
            404: ErrorBody,
          },
        },
      },
      async (request) => detail(await notifications.get(request.params.id)),
    );

    app.post(
      '/admin/notifications/:id/resend',
      {
        config: { auth: 'admin', permission: 'notifications' },
        schema: {
          operationId: 'resendNotification',
          tags: ['Admin'],
          summary: 'Send a message again: pending, due now, with a fresh series of attempts (admin)',
          params: IdParams,
          response: {
            200: NotificationDetail,
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
            404: ErrorBody,
          },
        },
      },
      async (request) => detail(await notifications.resend(request.params.id, requireUser(request).id)),
    );
  };
