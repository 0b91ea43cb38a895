import type { NewDomainEvent } from '../platform/outbox-event.ts';

export interface PaymentProcessed {
  paymentId: string;
  orderId: string;
  amount: number;
  currency: string;
  timestamp: string;
}
export interface PaymentFailed {
  paymentId: string | null;
  orderId: string;
  reason: string;
  code: string;
  timestamp: string;
}
export interface RefundIssued {
  refundId: string;
  paymentId: string;
  orderId: string;
  amount: number;
  currency: string;
  timestamp: string;
}

export type PaymentEvent =
  | NewDomainEvent<'PaymentProcessed', PaymentProcessed>
  | NewDomainEvent<'PaymentFailed', PaymentFailed>
  | NewDomainEvent<'RefundIssued', RefundIssued>;
