import { z } from 'zod';
import { envelopeSchema, type NewDomainEvent } from '../platform/outbox-event.ts';

/** What the notification context publishes: one schema per event, the types inferred from them. */
export const NOTIFICATION_EVENTS = {
  EmailSent: z.object({
    notificationId: z.string(),
    recipient: z.string(),
    subject: z.string(),
    timestamp: z.iso.datetime(),
  }),
  SMSSent: z.object({
    notificationId: z.string(),
    recipient: z.string(),
    message: z.string(),
    timestamp: z.iso.datetime(),
  }),
} as const;

export type NotificationEventType = keyof typeof NOTIFICATION_EVENTS;
export type NotificationEventPayload<T extends NotificationEventType> = z.infer<
  (typeof NOTIFICATION_EVENTS)[T]
>;
export type NotificationEvent = {
  [T in NotificationEventType]: NewDomainEvent<T, NotificationEventPayload<T>>;
}[NotificationEventType];

/** A message's event in its envelope; the payload is checked against its schema by the compiler. */
export function notificationEvent<T extends NotificationEventType>(
  type: T,
  payload: NotificationEventPayload<T>,
): NewDomainEvent<T, NotificationEventPayload<T>> {
  return { type, context: 'notification', aggregateId: payload.notificationId, payload };
}

/** Every notification event in its envelope, told apart by `type`. */
export const NotificationEventEnvelope = z.discriminatedUnion('type', [
  envelopeSchema('notification', 'EmailSent', NOTIFICATION_EVENTS.EmailSent),
  envelopeSchema('notification', 'SMSSent', NOTIFICATION_EVENTS.SMSSent),
]);
