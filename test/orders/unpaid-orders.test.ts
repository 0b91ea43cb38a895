/**
 * Orders that were never paid (issue 13): a card declined at checkout leaves nothing in the
 * shopper's history (the admin keeps it); an order cancelled because the shopper never got an
 * answer (recovery after a crash, the gateway unreachable) is explained to them, once, by email
 * and on its page.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { PaymentUnavailableError, type PaymentProvider } from '../../src/payment/provider.ts';
import { SandboxPaymentProvider } from '../../src/payment/sandbox.ts';
import { createTestApp, type TestApp } from '../helpers.ts';
import { myOrders, placeRequest, type Customer, type ErrorJson, type OrderJson } from './http.ts';
import { getOrder } from './support.ts';

/**
 * The sandbox, plus two cards it does not have: `tok_threeDSecure` waits for a 3-D Secure step
 * that never comes, `tok_gatewayDown` finds the gateway unreachable.
 */
function gateway(sandbox: () => SandboxPaymentProvider): PaymentProvider {
  const waiting = new Set<string>();
  return {
    name: 'sandbox',
    async charge(request) {
      if (request.paymentMethod.token === 'tok_gatewayDown') throw new PaymentUnavailableError('down');
      if (request.paymentMethod.token !== 'tok_threeDSecure') return sandbox().charge(request);
      waiting.add(request.idempotencyKey);
      return {
        status: 'requires_action',
        paymentId: `pi_${randomBytes(6).toString('hex')}`,
        clientSecret: 's',
      };
    },
    refund: (request) => sandbox().refund(request),
    async status(query) {
      if (waiting.has(query.idempotencyKey)) return { status: 'requires_action', paymentId: 'pi_waiting' };
      return sandbox().status(query);
    },
  };
}

describe('orders that were never paid', () => {
  let t: TestApp;
  let sandbox: SandboxPaymentProvider | undefined;
  before(async () => {
    t = await createTestApp({}, { paymentProvider: gateway(() => sandbox as SandboxPaymentProvider) });
    sandbox = new SandboxPaymentProvider(t.app.database.db);
  });
  after(() => t.close());

  const cancellationEmails = async (orderId: string) => {
    await t.app.outbox.drain();
    return t.app.database.db
      .selectFrom('notification')
      .select(['recipient', 'body_text'])
      .where('order_id', '=', orderId)
      .where('template', '=', 'order_cancelled')
      .execute();
  };
  const unpaid = async (customer: Customer, card: string) => {
    const product = await t.product({ price: 7, stock: 5 });
    return placeRequest(t, customer, [[product, 1]], { card });
  };

  test('a declined card leaves no cancelled order in the shopper’s history; its page still answers; the admin sees it', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 7, stock: 5 });
    const kept = await placeRequest(t, customer, [[product, 1]]);
    assert.equal(kept.status, 201);
    const res = await unpaid(customer, 'tok_chargeDeclined');
    assert.equal(res.status, 402);
    const orderId = String((res.body as ErrorJson).details['orderId']);

    assert.deepEqual(
      (await myOrders(t, customer)).map((o) => o.id),
      [(kept.body as OrderJson).id],
    );
    const page = await getOrder(t, orderId, customer.token);
    assert.equal(page.status, 'cancelled');
    assert.equal(page.cancellationMessage, 'Your payment was declined, so we could not complete the order.');

    const admin = await t.request<{ items: Array<{ id: string; status: string }> }>(
      'GET',
      `/api/v1/admin/orders?customerId=${customer.id}`,
      { token: await t.adminToken() },
    );
    assert.deepEqual(
      admin.body.items.map((o) => [o.id, o.status]).sort(),
      [
        [orderId, 'cancelled'],
        [(kept.body as OrderJson).id, 'confirmed'],
      ].sort(),
    );
    assert.deepEqual(await cancellationEmails(orderId), [], 'the shopper saw the decline at checkout');
  });

  test('recovery cancelling an order the shopper never heard about: one email, and the reason on its page', async () => {
    const customer = await t.customer('Rita Recovery');
    const res = await unpaid(customer, 'tok_threeDSecure');
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const orderId = (res.body as OrderJson).id;
    // the 3-D Secure step never came back: the hold runs out and recovery takes over
    await sql`update stock_reservation set expires_at = now() - interval '1 minute'
               where order_id = ${orderId}`.execute(t.app.database.db);
    assert.equal(await t.app.services.orders.recoverStalledOrders(), 1);

    const page = await getOrder(t, orderId, customer.token);
    assert.equal(page.status, 'cancelled');
    assert.equal(page.cancellationReason, 'payment_not_completed');
    assert.equal(
      page.cancellationMessage,
      'The payment was not completed in time, so we could not complete the order.',
    );
    assert.ok(
      (await myOrders(t, customer)).some((o) => o.id === orderId),
      'still in their history',
    );

    const emails = await cancellationEmails(orderId);
    assert.equal(emails.length, 1);
    assert.equal(emails[0]?.recipient, customer.email);
    assert.match(emails[0]?.body_text ?? '', /payment was not completed/);
    assert.match(emails[0]?.body_text ?? '', /You have not been charged/);

    // the event delivered again makes no second email
    await sql`update outbox set dispatched_at = null where aggregate_id = ${orderId} and type = 'OrderCancelled'`.execute(
      t.app.database.db,
    );
    assert.equal((await cancellationEmails(orderId)).length, 1);
  });

  test('an order cancelled because the gateway could not be reached is explained too', async () => {
    const customer = await t.customer();
    const res = await unpaid(customer, 'tok_gatewayDown');
    assert.equal(res.status, 502, JSON.stringify(res.body));
    const orderId = String((res.body as ErrorJson).details['orderId']);
    const page = await getOrder(t, orderId, customer.token);
    assert.equal(page.cancellationReason, 'payment_unavailable');
    assert.match(page.cancellationMessage ?? '', /could not reach our payment provider/);
    const emails = await cancellationEmails(orderId);
    assert.equal(emails.length, 1);
    assert.match(emails[0]?.body_text ?? '', /You have not been charged/);
  });

  test('an order cancelled by a person shows their words, and none for an order that is not cancelled', async () => {
    const customer = await t.customer();
    const placed = await unpaid(customer, 'tok_visa');
    const orderId = (placed.body as OrderJson).id;
    assert.equal((placed.body as OrderJson).cancellationMessage, null);
    const cancelled = await t.request<OrderJson>('POST', `/api/v1/orders/${orderId}/cancel`, {
      token: customer.token,
      body: { reason: 'Ordered the wrong size' },
    });
    assert.equal(cancelled.body.cancellationMessage, 'Cancelled with this note: “Ordered the wrong size”');
  });
});
