/**
 * Notifications end to end: orders placed and moved through the API, the outbox drained, the
 * sender ticked by hand, and what came out read back from the mailbox API, a real SMTP server,
 * and local doubles of SendGrid and Twilio driven by their official clients.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { DestinationStream } from 'pino';
import { appendEvents } from '../src/platform/outbox.ts';
import { createLogger } from '../src/platform/logger.ts';
import { startSendGridDouble, type SendGridDouble } from './doubles/sendgrid-double.ts';
import { startSmtpDouble, type SmtpDouble } from './doubles/smtp-server.ts';
import { startTwilioDouble, type TwilioDouble } from './doubles/twilio-double.ts';
import { createTestApp, orderBody, type TestApp } from './helpers.ts';

interface Summary {
  id: string;
  channel: 'email' | 'sms';
  recipient: string;
  subject: string | null;
  template: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  orderId: string | null;
  provider: string | null;
  providerMessageId: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  sentAt: string | null;
}
interface Detail extends Summary {
  html: string | null;
  text: string;
}
interface Page {
  items: Summary[];
  nextCursor: string | null;
}
interface Order {
  id: string;
  orderNumber: number;
  status: string;
  total: number;
  payment: { status: string };
}

type Customer = { token: string; id: string; email: string };

/** A logger whose lines the test can read: "logged with the reason" must be checkable. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const stream: DestinationStream = {
    write(line: string) {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    },
  };
  return { logger: createLogger('info', stream), lines };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function customerWithPhone(t: TestApp, phone: string, name = 'Pat Phone'): Promise<Customer> {
  const email = `phone-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const password = 'correct horse battery';
  const registered = await t.request('POST', '/api/v1/auth/register', {
    body: { email, password, name, phone },
  });
  assert.equal(registered.status, 202, JSON.stringify(registered.body));
  const res = await t.request<{ token: string; user: { id: string } }>('POST', '/api/v1/auth/login', {
    body: { email, password },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return { token: res.body.token, id: res.body.user.id, email };
}

async function placeOrder(
  t: TestApp,
  customer: Customer,
  lines: Array<{ id: string; price: number; quantity: number }>,
  token = 'tok_visa',
) {
  return t.request<Order & { code?: string; details?: Record<string, unknown> }>('POST', '/api/v1/orders', {
    token: customer.token,
    body: orderBody(
      customer.id,
      lines.map((l) => ({ productId: l.id, quantity: l.quantity, price: l.price })),
      token,
    ),
  });
}

async function confirmedOrder(t: TestApp, customer: Customer, price = 12.5): Promise<Order> {
  const product = await t.product({ price, stock: 10 });
  const res = await placeOrder(t, customer, [{ ...product, quantity: 1 }]);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

/** What the background loops would do: dispatch the outbox, then run the sender once. */
async function deliver(t: TestApp): Promise<number> {
  await t.app.outbox.drain();
  return t.app.services.notifications.sendDue();
}

async function mailbox(t: TestApp, query: string): Promise<Summary[]> {
  const res = await t.request<Page>('GET', `/api/v1/admin/notifications?${query}`, {
    token: await t.adminToken(),
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.items;
}

async function detail(t: TestApp, id: string): Promise<Detail> {
  const res = await t.request<Detail>('GET', `/api/v1/admin/notifications/${id}`, {
    token: await t.adminToken(),
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

async function forOrder(t: TestApp, orderId: string, template?: string): Promise<Summary[]> {
  const items = await mailbox(t, `orderId=${orderId}&limit=100`);
  return template ? items.filter((i) => i.template === template) : items;
}

async function only(t: TestApp, orderId: string, template: string): Promise<Summary> {
  const items = await forOrder(t, orderId, template);
  assert.equal(items.length, 1, `one ${template} for the order, got ${JSON.stringify(items)}`);
  return items[0] as Summary;
}

async function row(t: TestApp, id: string) {
  return t.app.database.db
    .selectFrom('notification')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

// ---------------------------------------------------------------------------------------------

describe('notifications with the log provider: the mailbox', () => {
  let t: TestApp;
  const log = capturingLogger();
  before(async () => {
    t = await createTestApp({}, { logger: log.logger });
  });
  after(() => t.close());

  test('an order placed through the API: its confirmation is in the mailbox with number, lines, total and address', async () => {
    const mug = await t.product({ name: 'Blue Ceramic Mug', price: 12.5, stock: 10 });
    const tea = await t.product({ name: 'Green Tea 100g', price: 3.99, stock: 10 });
    const customer = await t.customer('Jane Doe');
    const placed = await placeOrder(t, customer, [
      { ...mug, quantity: 2 },
      { ...tea, quantity: 3 },
    ]);
    assert.equal(placed.status, 201);
    const orderId = placed.body.id;

    await t.app.outbox.drain();
    const queued = await only(t, orderId, 'order_confirmed');
    assert.equal(queued.status, 'pending', 'stored by the subscriber, not sent inside the dispatch');
    assert.equal(queued.attempts, 0);

    assert.ok((await t.app.services.notifications.sendDue()) >= 1);
    const [message] = await mailbox(t, `recipient=${encodeURIComponent(customer.email)}`);
    assert.ok(message);
    assert.equal(message.id, queued.id);
    assert.equal(message.channel, 'email');
    assert.equal(message.recipient, customer.email);
    assert.equal(message.status, 'sent');
    assert.equal(message.attempts, 1);
    assert.equal(message.provider, 'log');
    assert.ok(message.sentAt && Date.parse(message.sentAt) >= Date.parse(message.createdAt));
    const number = `#${placed.body.orderNumber}`;
    assert.equal(message.subject, `Order ${number} confirmed`);

    const preview = await detail(t, message.id);
    for (const body of [preview.html ?? '', preview.text]) {
      assert.match(body, new RegExp(number));
      assert.match(body, /Jane Doe/);
      assert.match(body, /Blue Ceramic Mug/);
      assert.match(body, /Green Tea 100g/);
      assert.match(body, /\$25\.00/, '2 × 12.50');
      assert.match(body, /\$11\.97/, '3 × 3.99');
      assert.match(body, /\$36\.97/, 'the total');
      assert.match(body, /123 Main St/);
      assert.match(body, /San Francisco, CA 94102/);
    }
    assert.match(preview.text, /2 × Blue Ceramic Mug @ \$12\.50 = \$25\.00/);
    assert.match(preview.html ?? '', /^<!DOCTYPE html>/i);
  });

  test('EmailSent is in the outbox once the email went out, and not before', async () => {
    const customer = await t.customer();
    const order = await confirmedOrder(t, customer);
    await t.app.outbox.drain();
    const message = await only(t, order.id, 'order_confirmed');
    const emailSent = () =>
      t.app.database.db
        .selectFrom('outbox')
        .selectAll()
        .where('type', '=', 'EmailSent')
        .where('aggregate_id', '=', message.id)
        .execute();
    assert.equal((await emailSent()).length, 0);
    await t.app.services.notifications.sendDue();
    const events = await emailSent();
    assert.equal(events.length, 1);
    const event = events[0];
    assert.equal(event?.context, 'notification');
    assert.equal(event?.payload['notificationId'], message.id);
    assert.equal(event?.payload['recipient'], customer.email);
    assert.equal(event?.payload['subject'], message.subject);
    assert.match(String(event?.payload['timestamp']), /^\d{4}-\d\d-\d\dT/);
  });

  test('shipping and delivering send emails; the shipped one has the carrier and tracking number', async () => {
    const customer = await t.customer();
    const order = await confirmedOrder(t, customer);
    const admin = await t.adminToken();
    const shipped = await t.request<Order>('POST', `/api/v1/admin/orders/${order.id}/ship`, {
      token: admin,
      body: { trackingNumber: '1Z999AA10123456784', carrier: 'UPS' },
    });
    assert.equal(shipped.status, 200, JSON.stringify(shipped.body));
    await deliver(t);
    const shippedMail = await only(t, order.id, 'order_shipped');
    assert.equal(shippedMail.status, 'sent');
    assert.equal(shippedMail.subject, `Your order #${order.orderNumber} has shipped`);
    const preview = await detail(t, shippedMail.id);
    for (const body of [preview.html ?? '', preview.text]) {
      assert.match(body, /1Z999AA10123456784/);
      assert.match(body, /UPS/);
    }
    assert.equal(
      (await forOrder(t, order.id)).filter((m) => m.channel === 'sms').length,
      0,
      'no phone: no SMS',
    );

    const delivered = await t.request('POST', `/api/v1/admin/orders/${order.id}/deliver`, { token: admin });
    assert.equal(delivered.status, 200);
    await deliver(t);
    const deliveredMail = await only(t, order.id, 'order_delivered');
    assert.equal(deliveredMail.status, 'sent');
    assert.match(deliveredMail.subject ?? '', /was delivered/);
  });

  test('an admin cancellation sends the reason, and the refund email states the amount', async () => {
    const customer = await t.customer();
    const order = await confirmedOrder(t, customer, 19.99);
    const res = await t.request<Order>('POST', `/api/v1/admin/orders/${order.id}/cancel`, {
      token: await t.adminToken(),
      body: { reason: 'Address is outside our delivery area' },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    await deliver(t);
    const cancelled = await detail(t, (await only(t, order.id, 'order_cancelled')).id);
    assert.match(cancelled.text, /Address is outside our delivery area/);
    const refunded = await only(t, order.id, 'order_refunded');
    assert.equal(refunded.subject, `Refund of $19.99 for order #${order.orderNumber}`);
  });

  test('a card declined at checkout sends no email: the shopper saw the decline on the page', async () => {
    const customer = await t.customer();
    const product = await t.product({ price: 10 });
    const res = await placeOrder(t, customer, [{ ...product, quantity: 1 }], 'tok_chargeDeclined');
    assert.equal(res.status, 402);
    const orderId = String(res.body.details?.['orderId']);
    await deliver(t);
    const cancelled = await t.app.database.db
      .selectFrom('outbox')
      .select(['dispatched_at', 'payload'])
      .where('aggregate_id', '=', orderId)
      .where('type', '=', 'OrderCancelled')
      .executeTakeFirstOrThrow();
    assert.ok(cancelled.dispatched_at, 'the event was handled');
    assert.equal(cancelled.payload['wasConfirmed'], false);
    assert.deepEqual(await forOrder(t, orderId), []);
    assert.deepEqual(await mailbox(t, `recipient=${encodeURIComponent(customer.email)}`), []);
  });

  test('an event dispatched twice makes one message', async () => {
    const customer = await t.customer();
    const order = await confirmedOrder(t, customer);
    await deliver(t);
    const first = await only(t, order.id, 'order_confirmed');

    // The dispatcher delivers at least once: a crash after handling but before marking would
    // hand the same event over again.
    const event = await t.app.database.db
      .updateTable('outbox')
      .set({ dispatched_at: null })
      .where('aggregate_id', '=', order.id)
      .where('type', '=', 'OrderConfirmed')
      .returning(['id', 'sequence', 'type', 'context', 'aggregate_id', 'payload', 'occurred_at'])
      .executeTakeFirstOrThrow();
    await deliver(t);
    const again = await forOrder(t, order.id, 'order_confirmed');
    assert.equal(again.length, 1);
    assert.equal(again[0]?.id, first.id);
    assert.equal(again[0]?.status, 'sent', 'and it was not sent a second time');
    assert.equal(again[0]?.attempts, 1);

    // The same event handled twice in one transaction: the second adds nothing.
    const domainEvent = {
      id: event.id,
      sequence: event.sequence,
      type: event.type,
      context: 'orders' as const,
      aggregateId: event.aggregate_id,
      payload: event.payload,
      occurredAt: new Date(event.occurred_at).toISOString(),
    };
    const inserted = await t.app.database.db
      .transaction()
      .execute(async (trx) => [
        await t.app.services.notifications.handle([domainEvent], trx),
        await t.app.services.notifications.handle([domainEvent], trx),
      ]);
    assert.deepEqual(inserted, [0, 0]);
    assert.equal((await forOrder(t, order.id, 'order_confirmed')).length, 1);
    const total = await t.app.database.db
      .selectFrom('notification')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('event_id', '=', event.id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(total.n), 1);
  });

  test('a missing order or a payload without its fields is a logged error, not a crash or a poison loop', async () => {
    const missingOrder = '0190aaaa-0000-7000-8000-000000000001';
    const customer = await t.customer();
    const order = await confirmedOrder(t, customer);
    await deliver(t);
    await t.app.database.db.transaction().execute((trx) =>
      appendEvents(trx, [
        {
          type: 'ShipmentCreated',
          context: 'fulfilment',
          aggregateId: missingOrder,
          payload: {
            orderId: missingOrder,
            customerId: customer.id,
            shipmentId: missingOrder,
            number: 1,
            lines: [],
            trackingNumber: 'ZZ123',
            carrier: 'DHL',
            trackingUrl: null,
            locationId: missingOrder,
            timestamp: new Date().toISOString(),
          },
        },
        // no trackingNumber: the shipped template cannot be rendered
        {
          type: 'ShipmentCreated',
          context: 'fulfilment',
          aggregateId: order.id,
          payload: { orderId: order.id },
        },
      ]),
    );
    log.lines.length = 0;
    await t.app.outbox.drain();
    const events = await t.app.database.db
      .selectFrom('outbox')
      .select(['dispatched_at', 'attempts', 'last_error'])
      .where('aggregate_id', 'in', [missingOrder, order.id])
      .where('type', '=', 'ShipmentCreated')
      .execute();
    assert.equal(events.length, 2);
    for (const e of events) {
      assert.ok(e.dispatched_at, 'dispatched');
      assert.equal(e.attempts, 0, 'on the first try: the handler did not throw');
    }
    assert.deepEqual(await forOrder(t, missingOrder), []);
    assert.deepEqual(await forOrder(t, order.id, 'order_shipped'), []);
    const errors = log.lines.filter((l) => l['level'] === 50 && String(l['msg']).startsWith('notification:'));
    assert.equal(errors.length, 2, JSON.stringify(log.lines));
    assert.ok(errors.some((l) => l['orderId'] === missingOrder && /order not found/.test(String(l['msg']))));
    assert.ok(errors.some((l) => l['aggregateId'] === order.id && /payload lacks/.test(String(l['msg']))));
  });

  test('the mailbox is for admins only: 401 without a token, 403 for a customer', async () => {
    const customer = await t.customer();
    const order = await confirmedOrder(t, customer);
    await deliver(t);
    const message = await only(t, order.id, 'order_confirmed');
    for (const [method, url] of [
      ['GET', '/api/v1/admin/notifications'],
      ['GET', `/api/v1/admin/notifications/${message.id}`],
      ['POST', `/api/v1/admin/notifications/${message.id}/resend`],
    ] as const) {
      assert.equal((await t.request(method, url)).status, 401, `${method} ${url} anonymous`);
      const res = await t.request<{ code: string }>(method, url, { token: customer.token });
      assert.equal(res.status, 403, `${method} ${url} as a customer`);
      assert.equal(res.body.code, 'forbidden');
    }
    assert.equal((await row(t, message.id)).attempts, 1, 'the refused resend changed nothing');
  });

  test('pages newest first with a cursor, filters by status; unknown ids are 404, bad cursors 400', async () => {
    const customer = await t.customer();
    await confirmedOrder(t, customer);
    await confirmedOrder(t, customer);
    await deliver(t);
    const token = await t.adminToken();
    const recipient = encodeURIComponent(customer.email);
    const page1 = await t.request<Page>('GET', `/api/v1/admin/notifications?recipient=${recipient}&limit=1`, {
      token,
    });
    assert.equal(page1.body.items.length, 1);
    assert.ok(page1.body.nextCursor);
    const page2 = await t.request<Page>(
      'GET',
      `/api/v1/admin/notifications?recipient=${recipient}&limit=1&cursor=${page1.body.nextCursor}`,
      { token },
    );
    assert.equal(page2.body.items.length, 1);
    assert.equal(page2.body.nextCursor, null);
    assert.ok((page1.body.items[0]?.id ?? '') > (page2.body.items[0]?.id ?? ''), 'newest first');
    assert.equal((await mailbox(t, `recipient=${recipient}&status=failed`)).length, 0);
    assert.equal((await mailbox(t, `recipient=${recipient}&status=sent`)).length, 2);

    const missing = await t.request<{ code: string }>(
      'GET',
      '/api/v1/admin/notifications/0190aaaa-0000-7000-8000-000000000002',
      { token },
    );
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'not_found');
    const badCursor = await t.request<{ code: string }>(
      'GET',
      `/api/v1/admin/notifications?cursor=${Buffer.from('["not-a-uuid"]').toString('base64url')}`,
      { token },
    );
    assert.equal(badCursor.status, 400);
    assert.equal(badCursor.body.code, 'invalid_cursor');
    const badStatus = await t.request('GET', '/api/v1/admin/notifications?status=lost', { token });
    assert.equal(badStatus.status, 400);
  });
});

// ---------------------------------------------------------------------------------------------

describe('notifications over SMTP, to a real SMTP server', () => {
  let smtp: SmtpDouble;
  let t: TestApp;
  const BASE_DELAY = 250;
  before(async () => {
    smtp = await startSmtpDouble();
    t = await createTestApp(
      { EMAIL_PROVIDER: 'smtp', SMTP_URL: smtp.url, EMAIL_FROM: 'Orderly <orders@orderly.test>' },
      { notificationRetry: { baseDelayMs: BASE_DELAY } },
    );
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  // By recipient: every test has its own customer.
  const arrivedFor = (customer: Customer) =>
    smtp.messages.filter((m) => m.envelope.to.includes(customer.email));

  test('the confirmation arrives at the SMTP server', async () => {
    const customer = await t.customer('Sam Smtp');
    const order = await confirmedOrder(t, customer);
    await deliver(t);
    const [mail] = arrivedFor(customer);
    assert.ok(mail, 'delivered over SMTP');
    assert.deepEqual(mail.envelope.to, [customer.email]);
    assert.equal(mail.envelope.from, 'orders@orderly.test');
    assert.equal(mail.subject, `Order #${order.orderNumber} confirmed`);
    assert.match(mail.html ?? '', /123 Main St/);
    assert.match(mail.text ?? '', /\$12\.50/);
    const message = await only(t, order.id, 'order_confirmed');
    assert.equal(message.status, 'sent');
    assert.equal(message.provider, 'smtp');
    assert.equal(mail.messageId, message.providerMessageId);
    assert.equal(mail.messageId, `<${message.id}@orderly.test>`);
  });

  test('refused twice: retried with exponential backoff, and exactly one delivery', async () => {
    const customer = await t.customer();
    const order = await confirmedOrder(t, customer);
    await t.app.outbox.drain();
    const { id } = await only(t, order.id, 'order_confirmed');
    smtp.rejectNext(2); // 451 Try again later, at the end of DATA
    const send = () => t.app.services.notifications.sendDue();

    // Attempt 1 fails; the next is due after the base delay.
    let before = Date.now();
    await send();
    let after = Date.now();
    // Not due yet: a tick right away sends nothing.
    assert.equal(await send(), 0);
    let state = await row(t, id);
    assert.equal(state.status, 'pending');
    assert.equal(state.attempts, 1);
    assert.match(state.last_error ?? '', /451/);
    let due = new Date(state.next_attempt_at).getTime();
    assert.ok(due - before >= BASE_DELAY - 5 && due - after <= BASE_DELAY + 5, `first delay ${due - before}`);
    assert.equal(arrivedFor(customer).length, 0);

    // Attempt 2 fails; the delay doubles.
    await sleep(Math.max(0, due - Date.now()) + 20);
    before = Date.now();
    await send();
    after = Date.now();
    state = await row(t, id);
    assert.equal(state.status, 'pending');
    assert.equal(state.attempts, 2);
    due = new Date(state.next_attempt_at).getTime();
    assert.ok(
      due - before >= 2 * BASE_DELAY - 5 && due - after <= 2 * BASE_DELAY + 5,
      `second delay ${due - before}`,
    );
    const mailbox1 = await only(t, order.id, 'order_confirmed');
    assert.match(mailbox1.lastError ?? '', /Try again later/);

    // Attempt 3 goes through: one delivery, and no more after.
    await sleep(Math.max(0, due - Date.now()) + 20);
    assert.equal(await send(), 1);
    state = await row(t, id);
    assert.equal(state.status, 'sent');
    assert.equal(state.attempts, 3);
    assert.equal(state.last_error, null);
    await sleep(2 * BASE_DELAY);
    assert.equal(await send(), 0);
    assert.equal(arrivedFor(customer).length, 1);
  });

  test('a permanent refusal (550) ends failed at once, with the reason', async () => {
    const customer = await t.customer();
    const order = await confirmedOrder(t, customer);
    smtp.rejectNext(1, { code: 550, message: 'Mailbox unavailable' });
    await deliver(t);
    const message = await only(t, order.id, 'order_confirmed');
    assert.equal(message.status, 'failed');
    assert.equal(message.attempts, 1);
    assert.match(message.lastError ?? '', /550.*Mailbox unavailable/);
    await sleep(BASE_DELAY + 20);
    assert.equal(await t.app.services.notifications.sendDue(), 0, 'not retried');
    assert.equal(arrivedFor(customer).length, 0);
  });

  test('two senders running at once never send the same message twice', async () => {
    const customer = await t.customer();
    const orders: Order[] = [];
    for (let i = 0; i < 14; i++) orders.push(await confirmedOrder(t, customer));
    await t.app.outbox.drain();
    // Two loops claiming from the same table (on PostgreSQL, on separate connections).
    const [a, b] = await Promise.all([
      t.app.services.notifications.sendDue(),
      t.app.services.notifications.sendDue(),
    ]);
    assert.equal(a + b, orders.length, `attempted ${a} + ${b}`);
    const arrived = arrivedFor(customer);
    assert.equal(arrived.length, orders.length);
    assert.equal(new Set(arrived.map((m) => m.messageId)).size, orders.length, 'no message twice');
    const rows = await t.app.database.db
      .selectFrom('notification')
      .select(['status', 'attempts'])
      .where('recipient', '=', customer.email)
      .execute();
    assert.deepEqual(
      rows.map((r) => `${r.status}/${r.attempts}`),
      orders.map(() => 'sent/1'),
    );
  });

  test('resend from the mailbox sends the message again', async () => {
    const customer = await t.customer();
    const order = await confirmedOrder(t, customer);
    await deliver(t);
    const message = await only(t, order.id, 'order_confirmed');
    assert.equal(message.status, 'sent');
    assert.equal(arrivedFor(customer).length, 1);

    const res = await t.request<Detail>('POST', `/api/v1/admin/notifications/${message.id}/resend`, {
      token: await t.adminToken(),
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.id, message.id);
    assert.equal(res.body.status, 'pending');
    assert.equal(res.body.attempts, 0);
    assert.equal(res.body.sentAt, null);
    assert.match(res.body.html ?? '', /123 Main St/);

    await t.app.services.notifications.sendDue();
    const copies = arrivedFor(customer);
    assert.equal(copies.length, 2);
    assert.equal(copies[1]?.subject, copies[0]?.subject);
    const again = await detail(t, message.id);
    assert.equal(again.status, 'sent');
    assert.equal(again.attempts, 1);
    const unknown = await t.request(
      'POST',
      '/api/v1/admin/notifications/0190aaaa-0000-7000-8000-000000000003/resend',
      {
        token: await t.adminToken(),
      },
    );
    assert.equal(unknown.status, 404);
  });
});

describe('a mail server that stays down', () => {
  let t: TestApp;
  const log = capturingLogger();
  before(async () => {
    t = await createTestApp(
      { EMAIL_PROVIDER: 'smtp', SMTP_URL: `smtp://127.0.0.1:${await closedPort()}` },
      { logger: log.logger, notificationRetry: { baseDelayMs: 5, maxDelayMs: 20 } },
    );
  });
  after(() => t.close());

  test('ends failed after the last attempt with the reason logged, and the order stays confirmed', async () => {
    const customer = await t.customer();
    const order = await confirmedOrder(t, customer);
    await t.app.outbox.drain();
    const { id } = await only(t, order.id, 'order_confirmed');
    const maxAttempts = t.app.services.notifications.retryPolicy.maxAttempts;
    assert.equal(maxAttempts, 6);
    for (let i = 0; i < 100 && (await row(t, id)).status === 'pending'; i++) {
      await t.app.services.notifications.sendDue();
      await sleep(10);
    }
    const message = await detail(t, id);
    assert.equal(message.status, 'failed');
    assert.equal(message.attempts, maxAttempts);
    assert.match(message.lastError ?? '', /ECONNECTION|ECONNREFUSED/);
    assert.equal(message.sentAt, null);

    const failed = log.lines.filter((l) => l['notificationId'] === id && l['level'] === 50);
    assert.equal(failed.length, 1);
    assert.match(String(failed[0]?.['msg']), /failed after the last attempt/);
    assert.match(String(failed[0]?.['reason']), /ECONNREFUSED|ECONNECTION/);
    const retries = log.lines.filter((l) => l['notificationId'] === id && l['level'] === 40);
    assert.equal(retries.length, maxAttempts - 1);

    const res = await t.request<Order>('GET', `/api/v1/orders/${order.id}`, { token: customer.token });
    assert.equal(res.body.status, 'confirmed');
    assert.equal(res.body.payment.status, 'paid');
    const sent = await t.app.database.db
      .selectFrom('outbox')
      .select('id')
      .where('type', '=', 'EmailSent')
      .where('aggregate_id', '=', id)
      .execute();
    assert.deepEqual(sent, []);
  });
});

// ---------------------------------------------------------------------------------------------

describe('notifications through SendGrid, with SMS off', () => {
  const API_KEY = 'SG.test-key-for-the-double';
  let sendgrid: SendGridDouble;
  let t: TestApp;
  before(async () => {
    sendgrid = await startSendGridDouble({ apiKey: API_KEY });
    t = await createTestApp({
      EMAIL_PROVIDER: 'sendgrid',
      SENDGRID_API_KEY: API_KEY,
      SENDGRID_API_URL: sendgrid.baseUrl,
      EMAIL_FROM: 'Orderly <orders@orderly.test>',
      SMS_PROVIDER: 'none',
    });
  });
  after(async () => {
    await t.close();
    await sendgrid.close();
  });

  test('the confirmation goes through the official client to v3 mail send; no SMS when SMS_PROVIDER=none', async () => {
    const customer = await customerWithPhone(t, '+1 555 010 0142', 'Grace Grid');
    const order = await confirmedOrder(t, customer);
    await t.request('POST', `/api/v1/admin/orders/${order.id}/ship`, {
      token: await t.adminToken(),
      body: { trackingNumber: 'TRACK-42', carrier: 'DHL' },
    });
    await deliver(t);
    const confirmation = await only(t, order.id, 'order_confirmed');
    assert.equal(confirmation.status, 'sent');
    assert.equal(confirmation.provider, 'sendgrid');
    const mail = sendgrid.received.find((m) => m.body.custom_args?.['notification_id'] === confirmation.id);
    assert.ok(mail, JSON.stringify(sendgrid.requests));
    assert.equal(confirmation.providerMessageId, mail.messageId);
    assert.deepEqual(mail.body.personalizations[0]?.to, [{ email: customer.email }]);
    assert.equal(mail.body.from.email, 'orders@orderly.test');
    assert.equal(mail.body.subject, `Order #${order.orderNumber} confirmed`);
    const html = mail.body.content?.find((c) => c.type === 'text/html')?.value ?? '';
    assert.match(html, /San Francisco, CA 94102/);
    assert.equal((await only(t, order.id, 'order_shipped')).status, 'sent');
    assert.deepEqual(
      (await forOrder(t, order.id)).filter((m) => m.channel === 'sms'),
      [],
      'the customer has a phone, but SMS is off',
    );
  });
});

describe('SMS through Twilio', () => {
  const ACCOUNT_SID = `AC${'a1'.repeat(16)}`;
  const AUTH_TOKEN = 'twilio-test-token';
  let twilioApi: TwilioDouble;
  let t: TestApp;
  before(async () => {
    twilioApi = await startTwilioDouble({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    t = await createTestApp({
      SMS_PROVIDER: 'twilio',
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_FROM: '+15005550006',
      TWILIO_API_URL: twilioApi.baseUrl,
    });
  });
  after(async () => {
    await t.close();
    await twilioApi.close();
  });

  const ship = async (orderId: string) => {
    const res = await t.request('POST', `/api/v1/admin/orders/${orderId}/ship`, {
      token: await t.adminToken(),
      body: { trackingNumber: '1Z999AA10123456784', carrier: 'UPS' },
    });
    assert.equal(res.status, 200);
  };

  test('a customer with a phone gets an SMS on shipping, with the tracking number; SMSSent follows', async () => {
    const customer = await customerWithPhone(t, '+1 (555) 010-0199');
    const order = await confirmedOrder(t, customer);
    await deliver(t);
    assert.equal(twilioApi.messages.length, 0, 'no SMS for a confirmation');
    await ship(order.id);
    await deliver(t);
    const sms = await only(t, order.id, 'sms_order_shipped');
    assert.equal(sms.channel, 'sms');
    assert.equal(sms.recipient, '+15550100199');
    assert.equal(sms.status, 'sent');
    assert.equal(sms.provider, 'twilio');
    assert.equal(sms.subject, null);
    const sent = twilioApi.messages.filter((m) => m.to === '+15550100199');
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.from, '+15005550006');
    assert.match(sent[0]?.body ?? '', /1Z999AA10123456784/);
    assert.match(sent[0]?.body ?? '', new RegExp(`#${order.orderNumber}\\b`));
    assert.equal(sms.providerMessageId, sent[0]?.sid);
    assert.equal((await detail(t, sms.id)).text, sent[0]?.body);
    assert.equal((await only(t, order.id, 'order_shipped')).status, 'sent', 'and the email too');
    const events = await t.app.database.db
      .selectFrom('outbox')
      .select('payload')
      .where('type', '=', 'SMSSent')
      .where('aggregate_id', '=', sms.id)
      .execute();
    assert.equal(events.length, 1);
    assert.equal(events[0]?.payload['recipient'], '+15550100199');
  });

  test('no SMS without a phone number, or with one lacking its country code', async () => {
    const noPhone = await t.customer();
    const local = await customerWithPhone(t, '0171 555 0100');
    for (const customer of [noPhone, local]) {
      const order = await confirmedOrder(t, customer);
      await ship(order.id);
      await deliver(t);
      assert.equal((await only(t, order.id, 'order_shipped')).status, 'sent');
      assert.deepEqual(
        (await forOrder(t, order.id)).filter((m) => m.channel === 'sms'),
        [],
      );
    }
  });

  test('a Twilio outage is retried: the SMS goes out once it is back', async () => {
    const customer = await customerWithPhone(t, '+44 20 7946 0958');
    const order = await confirmedOrder(t, customer);
    await t.app.outbox.drain();
    await t.app.services.notifications.sendDue();
    await ship(order.id);
    await t.app.outbox.drain();
    twilioApi.failNext(1, 503);
    await t.app.services.notifications.sendDue();
    const failedOnce = await only(t, order.id, 'sms_order_shipped');
    assert.equal(failedOnce.status, 'pending');
    assert.match(failedOnce.lastError ?? '', /503/);
    await t.app.database.db
      .updateTable('notification')
      .set({ next_attempt_at: sql<Date>`now()` })
      .where('id', '=', failedOnce.id)
      .execute();
    await t.app.services.notifications.sendDue();
    const sent = await only(t, order.id, 'sms_order_shipped');
    assert.equal(sent.status, 'sent');
    assert.equal(sent.attempts, 2);
    assert.equal(twilioApi.messages.filter((m) => m.to === '+442079460958').length, 1);
  });
});
