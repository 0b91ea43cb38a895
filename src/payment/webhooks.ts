import type { Logger } from 'pino';
import type Stripe from 'stripe';
import type { Db } from '../platform/db.ts';
import { AppError, unavailable } from '../platform/errors.ts';
import { appendEvents } from '../platform/outbox.ts';
import type { PaymentEvent } from './events.ts';
import { PaymentUnavailableError, type PaymentStatus } from './provider.ts';
import type { ChargeOutcome, PaymentService } from './service.ts';
import {
  parseStripeWebhook,
  WebhookPayloadError,
  WebhookSignatureError,
  type StripeWebhookEvent,
} from './stripe-webhook.ts';
import * as refundStore from './refund-store.ts';
import * as store from './store.ts';

/**
 * What the payment context needs from the order side, passed in by the composition root so
 * that the dependency keeps pointing orders → payment.
 */
export interface OrderHooks {
  /** `OrderService.settlePayment`: the one place a payment result changes an order. */
  settle(orderId: string, outcome: ChargeOutcome): Promise<void>;
  /**
   * Runs `apply` in a transaction that holds the order's lock, then brings the order's payment
   * status and history up to date with what `apply` recorded (nothing when it returns null).
   */
  refundedOutside(
    orderId: string,
    apply: (trx: Db) => Promise<{ amount: number; currency: string } | null>,
  ): Promise<void>;
}

export type WebhookResult = 'processed' | 'duplicate' | 'ignored';

const PROVIDER = 'stripe';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TYPES: Record<Exclude<StripeWebhookEvent['kind'], 'ignored'>, string> = {
  payment_succeeded: 'payment_intent.succeeded',
  payment_failed: 'payment_intent.payment_failed',
  charge_refunded: 'charge.refunded',
};

const retryLater = (message: string) => unavailable('retry_later', message, 60);

/**
 * `POST /webhooks/stripe`: verifies the signature on the raw body, skips events already
 * processed, and hands what Stripe reports to the order side. Stripe delivers at least once,
 * in any order and possibly at the same time as the synchronous answer, so every step reads the
 * current state and is idempotent; the stored event id only makes duplicates cheap.
 */
export class StripeWebhooks {
  readonly #db: Db;
  readonly #payment: PaymentService;
  readonly #stripe: Stripe | null;
  readonly #secret: string | undefined;
  readonly #orders: OrderHooks;
  readonly #log: Logger;

  constructor(deps: {
    db: Db;
    payment: PaymentService;
    /** the SDK client (signature checks); null when Stripe is not the configured gateway */
    stripe: Stripe | null;
    /** `STRIPE_WEBHOOK_SECRET`, the endpoint's signing secret */
    secret: string | undefined;
    orders: OrderHooks;
    log: Logger;
  }) {
    this.#db = deps.db;
    this.#payment = deps.payment;
    this.#stripe = deps.stripe;
    this.#secret = deps.secret;
    this.#orders = deps.orders;
    this.#log = deps.log;
  }

  async receive(rawBody: Buffer, signature: string | undefined): Promise<WebhookResult> {
    if (!this.#stripe || !this.#secret) {
      throw unavailable(
        'webhook_not_configured',
        'Stripe webhooks are not configured here: set PAYMENT_PROVIDER=stripe and STRIPE_WEBHOOK_SECRET.',
        60,
      );
    }
    let event: StripeWebhookEvent;
    try {
      event = parseStripeWebhook(this.#stripe, rawBody, signature, this.#secret);
    } catch (error) {
      if (error instanceof WebhookSignatureError) throw new AppError(400, 'invalid_signature', error.message);
      if (error instanceof WebhookPayloadError) throw new AppError(400, 'invalid_event', error.message);
      throw error;
    }
    if (await store.webhookEventSeen(this.#db, PROVIDER, event.eventId)) {
      this.#log.info({ eventId: event.eventId }, 'stripe webhook: already processed');
      return 'duplicate';
    }
    const result = await this.#process(event);
    // Remembered only once processed: a failure above answers 5xx and Stripe delivers it again.
    await store.rememberWebhookEvent(this.#db, {
      provider: PROVIDER,
      eventId: event.eventId,
      type: event.kind === 'ignored' ? event.type : TYPES[event.kind],
    });
    this.#log.info({ eventId: event.eventId, kind: event.kind, result }, 'stripe webhook');
    return result;
  }

  async #process(event: StripeWebhookEvent): Promise<WebhookResult> {
    switch (event.kind) {
      case 'ignored':
        return 'ignored';
      case 'payment_succeeded': {
        const orderId = await this.#placementOrder(event.paymentIntentId, event.orderId);
        if (!orderId) return 'ignored';
        await this.#orders.settle(orderId, {
          status: 'succeeded',
          paymentId: event.paymentIntentId,
          amount: { amount: event.amount, currency: event.currency },
        });
        return 'processed';
      }
      case 'payment_failed': {
        const orderId = await this.#placementOrder(event.paymentIntentId, event.orderId);
        if (!orderId) return 'ignored';
        const recorded = await this.#payment.findCharge(event.paymentIntentId);
        // An earlier attempt's failure delivered after the success: a succeeded intent stays so.
        if (recorded?.status === 'succeeded') return 'processed';
        // Stripe sends events out of order, so unless the record is already final, a failure is
        // checked against the intent as it is now.
        const current = recorded?.status === 'failed' ? null : await this.#currentStatus(orderId, event);
        if (current?.status === 'succeeded') {
          await this.#orders.settle(orderId, current);
        } else if (current?.status !== 'requires_action') {
          await this.#orders.settle(orderId, {
            status: 'declined',
            paymentId: event.paymentIntentId,
            code: event.code,
            declineCode: event.declineCode,
            message: event.message,
          });
        }
        // requires_action: the customer is trying again; the next event settles it.
        return 'processed';
      }
      case 'charge_refunded':
        return this.#reconcileRefunds(event);
    }
  }

  /**
   * The order whose placement charge this intent is, or null when Orderly did not create it (no
   * payment row and no `order_id` of ours in its metadata) or it is another charge of the order
   * (a modification's, recorded where it was made). A webhook may arrive before the synchronous
   * answer was recorded, so a missing row alone does not mean "not ours".
   */
  async #placementOrder(paymentIntentId: string, metadataOrderId: string | null): Promise<string | null> {
    const charge = await this.#payment.findCharge(paymentIntentId);
    if (charge)
      return charge.idempotencyKey === this.#payment.chargeKey(charge.orderId) ? charge.orderId : null;
    if (!metadataOrderId || !UUID.test(metadataOrderId)) return null;
    const placement = (await store.chargesOf(this.#db, metadataOrderId)).find(
      (c) => c.idempotencyKey === this.#payment.chargeKey(metadataOrderId),
    );
    if (placement?.providerPaymentId && placement.providerPaymentId !== paymentIntentId) return null;
    // Unknown order ids are ignored by `settle` itself.
    return metadataOrderId;
  }

  async #currentStatus(
    orderId: string,
    event: Extract<StripeWebhookEvent, { kind: 'payment_failed' }>,
  ): Promise<PaymentStatus> {
    try {
      return await this.#payment.status(orderId, this.#payment.chargeKey(orderId), event.paymentIntentId);
    } catch (error) {
      if (!(error instanceof PaymentUnavailableError)) throw error;
      throw retryLater('Stripe could not be asked about this payment; deliver the event again later.');
    }
  }

  /**
   * `charge.refunded` carries the charge's running total, and Orderly's own refunds produce it
   * too. Orderly holds each of its refunds against the charge before calling Stripe, so what the
   * total exceeds the held amount by was refunded elsewhere (Stripe's dashboard). While one of
   * Orderly's refunds is between its hold and its answer that difference cannot be attributed;
   * the event is refused (503) and Stripe delivers it again later.
   */
  async #reconcileRefunds(
    event: Extract<StripeWebhookEvent, { kind: 'charge_refunded' }>,
  ): Promise<WebhookResult> {
    const charge = await this.#payment.findCharge(event.paymentIntentId);
    if (!charge) return 'ignored';
    await this.#orders.refundedOutside(charge.orderId, async (trx) => {
      // The same lock Orderly's own refunds take: the two never interleave.
      const current = (await store.chargesOf(trx, charge.orderId, true)).find((c) => c.id === charge.id);
      if (!current || current.status !== 'succeeded') return null;
      const outside = event.amountRefunded - current.refunded;
      if (outside !== 0 && (await store.hasPendingRefund(trx, current.id))) {
        throw retryLater('A refund of this payment is in progress; deliver the event again later.');
      }
      // Zero: Orderly's own refunds, or this total was already recorded. Below zero: an older event.
      if (outside <= 0) return null;
      // the key is unique, so the same running total can never be recorded twice
      const refundId = await refundStore.insertRefund(
        trx,
        {
          paymentId: current.id,
          orderId: charge.orderId,
          amount: outside,
          idempotencyKey: `stripe-outside:${event.paymentIntentId}:${event.amountRefunded}`,
          reason: 'refunded_outside_orderly',
        },
        { status: 'succeeded' },
      );
      await appendEvents(trx, [
        {
          type: 'RefundIssued',
          context: 'payment',
          aggregateId: charge.orderId,
          payload: {
            refundId,
            paymentId: current.id,
            orderId: charge.orderId,
            amount: outside,
            currency: current.currency,
            timestamp: new Date().toISOString(),
          },
        } satisfies PaymentEvent,
      ]);
      this.#log.warn(
        { orderId: charge.orderId, paymentIntentId: event.paymentIntentId, amount: outside },
        'refund made outside Orderly recorded',
      );
      return { amount: outside, currency: current.currency };
    });
    return 'processed';
  }
}
