/**
 * The port every payment gateway plugs into. Shaped after Stripe's PaymentIntents so that the
 * sandbox and the Stripe adapter are interchangeable: one charge per order, keyed by an
 * idempotency key derived from the order, so a retry can never charge twice.
 */
export interface Money {
  /** integer minor units (cents) */
  amount: number;
  /** ISO 4217, upper case */
  currency: string;
}

export interface ChargeRequest {
  orderId: string;
  amount: Money;
  /** `card` with a gateway token such as `tok_visa` or `pm_card_visa` */
  paymentMethod: { type: string; token: string };
  /** the same key for every attempt at this charge */
  idempotencyKey: string;
  description?: string;
}

export type ChargeResult =
  | { status: 'succeeded'; paymentId: string; amount: Money }
  /** 3-D Secure or similar: the customer must finish in the browser with this secret */
  | { status: 'requires_action'; paymentId: string; clientSecret: string }
  | {
      status: 'declined';
      paymentId: string | null;
      /** stable code such as `card_declined` */
      code: string;
      /** the issuer's reason, such as `insufficient_funds` */
      declineCode: string | null;
      /** a sentence a shopper understands */
      message: string;
    };

export interface RefundRequest {
  paymentId: string;
  amount: Money;
  idempotencyKey: string;
  reason?: string;
}

export interface RefundResult {
  refundId: string;
  status: 'succeeded' | 'pending';
}

export type PaymentStatus =
  | { status: 'succeeded'; paymentId: string; amount: Money }
  | { status: 'requires_action'; paymentId: string }
  | { status: 'failed'; paymentId: string | null }
  | { status: 'not_found' };

export interface PaymentProvider {
  readonly name: string;
  charge(request: ChargeRequest): Promise<ChargeResult>;
  refund(request: RefundRequest): Promise<RefundResult>;
  /** What the gateway knows of the charge made with this key: recovery asks before it acts. */
  status(query: {
    orderId: string;
    idempotencyKey: string;
    paymentId?: string | null;
  }): Promise<PaymentStatus>;
}

/**
 * The gateway could not be reached or kept failing after bounded retries with the same
 * idempotency key. Whether money moved is unknown: the caller must ask `status` before acting.
 */
export class PaymentUnavailableError extends Error {
  override readonly name = 'PaymentUnavailableError';
  /**
   * The request may have reached the gateway and may still complete there (a timeout, a dropped
   * connection, the same key still in progress): not finding the charge right now proves nothing.
   */
  readonly mayStillComplete: boolean;
  constructor(message: string, options: { mayStillComplete?: boolean } = {}) {
    super(message);
    this.mayStillComplete = options.mayStillComplete ?? false;
  }
}

/** The gateway refused the request itself (not a card decline): for example a refund above what was captured. */
export class PaymentRejectedError extends Error {
  override readonly name = 'PaymentRejectedError';
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}
