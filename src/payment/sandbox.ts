import { randomBytes } from 'node:crypto';
import type { Db } from '../platform/db.ts';
import {
  PaymentRejectedError,
  type ChargeRequest,
  type ChargeResult,
  type PaymentProvider,
  type PaymentStatus,
  type RefundRequest,
  type RefundResult,
} from './provider.ts';

/**
 * The default gateway: behaves like Stripe's test mode with its test tokens, so `npm start`
 * takes payments with nothing to configure. Its ledger is a table, standing in for the memory a
 * real gateway has, so recovery after a crash can ask it what was charged.
 */
const OUTCOMES: Record<string, { code: string; declineCode: string; message: string } | null> = {
  tok_visa: null,
  tok_mastercard: null,
  tok_amex: null,
  pm_card_visa: null,
  pm_card_mastercard: null,
  tok_chargeDeclined: {
    code: 'card_declined',
    declineCode: 'generic_decline',
    message: 'Your card was declined. Try another card or contact your bank.',
  },
  tok_chargeDeclinedInsufficientFunds: {
    code: 'card_declined',
    declineCode: 'insufficient_funds',
    message: 'Your card has insufficient funds. Try another card.',
  },
  tok_chargeDeclinedExpiredCard: {
    code: 'expired_card',
    declineCode: 'expired_card',
    message: 'Your card has expired. Try another card.',
  },
};

export const SANDBOX_TOKENS = Object.keys(OUTCOMES);

const newId = (prefix: string) => `${prefix}_sandbox_${randomBytes(12).toString('hex')}`;

export class SandboxPaymentProvider implements PaymentProvider {
  readonly name = 'sandbox';
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const outcome = OUTCOMES[request.paymentMethod.token];
    const decline =
      outcome === undefined
        ? {
            code: 'invalid_payment_method',
            declineCode: 'invalid_token',
            message: 'This card could not be used. Check the card details or try another card.',
          }
        : outcome;
    const inserted = await this.#db
      .insertInto('sandbox_charge')
      .values({
        idempotency_key: request.idempotencyKey,
        payment_id: newId('pi'),
        order_id: request.orderId,
        amount_minor: request.amount.amount,
        currency: request.amount.currency,
        status: decline ? 'failed' : 'succeeded',
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning(['payment_id', 'status', 'amount_minor', 'currency'])
      .executeTakeFirst();
    // The same key again answers with the first attempt's result, as a gateway's idempotency does.
    const charge =
      inserted ??
      (await this.#db
        .selectFrom('sandbox_charge')
        .select(['payment_id', 'status', 'amount_minor', 'currency'])
        .where('idempotency_key', '=', request.idempotencyKey)
        .executeTakeFirstOrThrow());
    if (charge.status === 'succeeded') {
      return {
        status: 'succeeded',
        paymentId: charge.payment_id,
        amount: { amount: charge.amount_minor, currency: charge.currency },
      };
    }
    const reason = decline ?? {
      code: 'card_declined',
      declineCode: 'generic_decline',
      message: 'Your card was declined.',
    };
    return { status: 'declined', paymentId: charge.payment_id, ...reason };
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    return this.#db.transaction().execute(async (trx) => {
      // Refunds of one charge queue here, so two requests with one key (a double click, a retry
      // racing the first attempt) find one refund instead of both inserting it.
      await trx
        .selectFrom('sandbox_charge')
        .select('payment_id')
        .where('payment_id', '=', request.paymentId)
        .forUpdate()
        .execute();
      const previous = await trx
        .selectFrom('sandbox_refund')
        .select('refund_id')
        .where('idempotency_key', '=', request.idempotencyKey)
        .executeTakeFirst();
      if (previous) return { refundId: previous.refund_id, status: 'succeeded' as const };
      const updated = await trx
        .updateTable('sandbox_charge')
        .set((eb) => ({ refunded_minor: eb('refunded_minor', '+', request.amount.amount) }))
        .where('payment_id', '=', request.paymentId)
        .where('status', '=', 'succeeded')
        .where((eb) => eb(eb('refunded_minor', '+', request.amount.amount), '<=', eb.ref('amount_minor')))
        .returning('payment_id')
        .executeTakeFirst();
      if (!updated) {
        throw new PaymentRejectedError(
          'refund_exceeds_payment',
          'The refund is larger than what remains of the payment.',
        );
      }
      const refundId = newId('re');
      await trx
        .insertInto('sandbox_refund')
        .values({
          idempotency_key: request.idempotencyKey,
          refund_id: refundId,
          payment_id: request.paymentId,
          amount_minor: request.amount.amount,
        })
        .execute();
      return { refundId, status: 'succeeded' as const };
    });
  }

  async status(query: { orderId: string; idempotencyKey: string }): Promise<PaymentStatus> {
    const charge = await this.#db
      .selectFrom('sandbox_charge')
      .select(['payment_id', 'status', 'amount_minor', 'currency'])
      .where('idempotency_key', '=', query.idempotencyKey)
      .executeTakeFirst();
    if (!charge) return { status: 'not_found' };
    if (charge.status === 'succeeded') {
      return {
        status: 'succeeded',
        paymentId: charge.payment_id,
        amount: { amount: charge.amount_minor, currency: charge.currency },
      };
    }
    return { status: 'failed', paymentId: charge.payment_id };
  }
}
