import type { NewDomainEvent } from '../platform/outbox-event.ts';

export interface EmailSent {
  notificationId: string;
  recipient: string;
  subject: string;
  timestamp: string;
}
export interface SMSSent {
  notificationId: string;
  recipient: string;
  message: string;
  timestamp: string;
}

export type NotificationEvent = NewDomainEvent<'EmailSent', EmailSent> | NewDomainEvent<'SMSSent', SMSSent>;
