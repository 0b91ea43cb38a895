/**
 * The delivery providers against local doubles that speak the real wire protocols: a real SMTP
 * server, SendGrid's v3 mail send and Twilio's Messages API, each driven by the official client.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { inspect } from 'node:util';

import { ConfigError } from '../src/config.ts';
import {
  DeliveryError,
  LogEmailProvider,
  LogSmsProvider,
  SendGridEmailProvider,
  SmtpEmailProvider,
  TwilioSmsProvider,
  createEmailProvider,
  createSmsProvider,
} from '../src/notification/providers.ts';
import type { EmailMessage } from '../src/notification/providers.ts';
import { formatOrderNumber, renderEmail } from '../src/notification/templates.ts';
import { startSendGridDouble } from './doubles/sendgrid-double.ts';
import type { SendGridDouble } from './doubles/sendgrid-double.ts';
import { startSmtpDouble } from './doubles/smtp-server.ts';
import type { SmtpDouble } from './doubles/smtp-server.ts';
import { startTwilioDouble } from './doubles/twilio-double.ts';
import type { TwilioDouble } from './doubles/twilio-double.ts';

const FROM = 'Orderly <orders@orderly.test>';

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function confirmationEmail(messageId: string, to = 'Jane Doe <jane@example.com>'): EmailMessage {
  const orderId = '3f2a9c1e-7b4d-4e8a-9c61-0d5e2f8b7a10';
  const rendered = renderEmail('order_confirmed', {
    order: {
      orderId,
      orderNumber: formatOrderNumber(1001),
      customer: { name: 'Jane Doe', email: 'jane@example.com' },
      lines: [
        { name: 'Café Crème Mug ☕', quantity: 2, unitPrice: 1250 },
        { name: 'Green Tea 100g', quantity: 1, unitPrice: 399 },
      ],
      total: 2899,
      currency: 'EUR',
      shippingAddress: {
        street: '12 Rue de la Paix',
        city: 'Paris',
        state: 'IDF',
        zip: '75002',
        country: 'FR',
      },
    },
  });
  return { to, from: FROM, messageId, ...rendered };
}

/** The secret appears nowhere in what a logger could print: message, inspect, JSON, stack. */
function assertNoSecret(error: unknown, secret: string): void {
  assert.ok(error instanceof Error);
  for (const rendering of [
    error.message,
    error.stack ?? '',
    inspect(error, { depth: 10 }),
    JSON.stringify(error),
  ]) {
    assert.ok(!rendering.includes(secret), `secret leaked in: ${rendering}`);
  }
  assert.equal(error.cause, undefined, 'no cause: the SDK error holds the request and its credentials');
}

/** CRLF from the SMTP wire back to the LF our renderer wrote. */
function lf(text: string | null): string | null {
  return text === null ? null : text.replace(/\r\n/g, '\n');
}

describe('SmtpEmailProvider against a real SMTP server', () => {
  let smtp: SmtpDouble;
  before(async () => {
    smtp = await startSmtpDouble();
  });
  after(() => smtp.close());

  it('delivers subject, recipient, html and text, tagged with our notification id', async () => {
    const provider = new SmtpEmailProvider({ url: smtp.url });
    const message = confirmationEmail('ntf-0001');
    const result = await provider.send(message);

    const [received] = await smtp.waitForMessages(1);
    assert.ok(received);
    assert.equal(received.subject, message.subject);
    assert.deepEqual(received.envelope, { from: 'orders@orderly.test', to: ['jane@example.com'] });
    assert.match(received.to, /jane@example\.com/);
    assert.match(received.from, /orders@orderly\.test/);
    assert.equal(lf(received.html), message.html);
    assert.equal(lf(received.text), message.text);
    assert.match(received.text ?? '', /2 × Café Crème Mug ☕/);
    assert.equal(received.messageId, '<ntf-0001@orderly.test>');
    assert.deepEqual(received.headers.get('x-orderly-notification-id'), ['ntf-0001']);
    assert.equal(result.providerMessageId, '<ntf-0001@orderly.test>');
  });

  it('throws a transient DeliveryError when the server answers 451, and sends on the next try', async () => {
    const provider = new SmtpEmailProvider({ url: smtp.url });
    const before_ = smtp.messages.length;
    smtp.rejectNext(1, { code: 451, message: 'Greylisted, try again later' });
    await assert.rejects(provider.send(confirmationEmail('ntf-0002')), (error: unknown) => {
      assert.ok(error instanceof DeliveryError);
      assert.equal(error.provider, 'smtp');
      assert.equal(error.statusCode, 451);
      assert.equal(error.permanent, false);
      assert.match(error.message, /451: Greylisted, try again later/);
      return true;
    });
    assert.equal(smtp.messages.length, before_, 'the rejected message was not stored');

    await provider.send(confirmationEmail('ntf-0002'));
    assert.equal(smtp.messages.length, before_ + 1);
  });

  it('throws a permanent DeliveryError when the server refuses the recipient with 550', async () => {
    const provider = new SmtpEmailProvider({ url: smtp.url });
    smtp.rejectNext(1, { code: 550, message: 'No such user', at: 'rcpt' });
    await assert.rejects(provider.send(confirmationEmail('ntf-0003')), (error: unknown) => {
      assert.ok(error instanceof DeliveryError);
      assert.equal(error.statusCode, 550);
      assert.equal(error.permanent, true);
      return true;
    });
  });

  it('throws a transient DeliveryError when nothing listens', async () => {
    const provider = new SmtpEmailProvider({
      url: `smtp://127.0.0.1:${await closedPort()}`,
      timeoutMs: 2000,
    });
    await assert.rejects(provider.send(confirmationEmail('ntf-0004')), (error: unknown) => {
      assert.ok(error instanceof DeliveryError);
      assert.equal(error.statusCode, null);
      assert.equal(error.permanent, false);
      assert.match(error.message, /ECONNREFUSED/);
      return true;
    });
  });
});

describe('SmtpEmailProvider with SMTP AUTH', () => {
  let smtp: SmtpDouble;
  before(async () => {
    smtp = await startSmtpDouble({ auth: { user: 'mailer', pass: 's3cret-Pa55' } });
  });
  after(() => smtp.close());

  it('logs in with the credentials from the URL', async () => {
    await new SmtpEmailProvider({ url: smtp.url }).send(confirmationEmail('ntf-0101'));
    const [received] = await smtp.waitForMessages(1);
    assert.equal(received?.user, 'mailer');
  });

  it('surfaces a wrong password as a DeliveryError without the password', async () => {
    const url = `smtp://mailer:wrong-Pa55word@127.0.0.1:${smtp.port}`;
    await assert.rejects(
      new SmtpEmailProvider({ url }).send(confirmationEmail('ntf-0102')),
      (error: unknown) => {
        assert.ok(error instanceof DeliveryError);
        assert.equal(error.statusCode, 535);
        assert.equal(error.permanent, false, 'fixing the password lets the same message through');
        assertNoSecret(error, 'wrong-Pa55word');
        return true;
      },
    );
  });
});

describe('SendGridEmailProvider: official client against the v3 mail send double', () => {
  const API_KEY = 'SG.orderly-test-key.0123456789abcdef';
  let sendgrid: SendGridDouble;
  before(async () => {
    sendgrid = await startSendGridDouble({ apiKey: API_KEY });
  });
  after(() => sendgrid.close());

  it('202: returns X-Message-Id, and the request has the documented body shape', async () => {
    const provider = new SendGridEmailProvider({ apiKey: API_KEY, baseUrl: sendgrid.baseUrl });
    const message = confirmationEmail('ntf-0201');
    const result = await provider.send(message);

    const received = sendgrid.received.at(-1);
    assert.ok(received);
    assert.equal(result.providerMessageId, received.messageId);
    assert.match(received.messageId, /^[\w-]{22}$/);
    const { body } = received;
    assert.deepEqual(body.personalizations[0]?.to, [{ email: 'jane@example.com', name: 'Jane Doe' }]);
    assert.deepEqual(body.from, { email: 'orders@orderly.test', name: 'Orderly' });
    assert.equal(body.subject, message.subject);
    assert.deepEqual(body.content, [
      { type: 'text/plain', value: message.text },
      { type: 'text/html', value: message.html },
    ]);
    assert.deepEqual(body.custom_args, { notification_id: 'ntf-0201' });
    assert.deepEqual(body.headers, { 'X-Orderly-Notification-Id': 'ntf-0201' });
  });

  it('401: a wrong key surfaces with its status, and neither key appears in the error', async () => {
    const wrongKey = 'SG.not-the-right-key.fedcba9876543210';
    const provider = new SendGridEmailProvider({ apiKey: wrongKey, baseUrl: sendgrid.baseUrl });
    await assert.rejects(provider.send(confirmationEmail('ntf-0202')), (error: unknown) => {
      assert.ok(error instanceof DeliveryError);
      assert.equal(error.statusCode, 401);
      assert.equal(error.permanent, false, 'fixing the key lets the same message through');
      assert.match(error.message, /SendGrid answered 401/);
      assertNoSecret(error, wrongKey);
      assertNoSecret(error, API_KEY);
      return true;
    });
  });

  it('400: an invalid recipient is permanent and names the field', async () => {
    const provider = new SendGridEmailProvider({ apiKey: API_KEY, baseUrl: sendgrid.baseUrl });
    await assert.rejects(provider.send(confirmationEmail('ntf-0203', 'not-an-address')), (error: unknown) => {
      assert.ok(error instanceof DeliveryError);
      assert.equal(error.statusCode, 400);
      assert.equal(error.permanent, true);
      assert.match(error.message, /personalizations\.0\.to\.0\.email/);
      assertNoSecret(error, API_KEY);
      return true;
    });
  });

  it('500: transient, and the next attempt goes through', async () => {
    const provider = new SendGridEmailProvider({ apiKey: API_KEY, baseUrl: sendgrid.baseUrl });
    sendgrid.failNext(1, 500);
    await assert.rejects(provider.send(confirmationEmail('ntf-0204')), (error: unknown) => {
      assert.ok(error instanceof DeliveryError);
      assert.equal(error.statusCode, 500);
      assert.equal(error.permanent, false);
      assertNoSecret(error, API_KEY);
      return true;
    });
    const result = await provider.send(confirmationEmail('ntf-0204'));
    assert.equal(result.providerMessageId, sendgrid.received.at(-1)?.messageId);
  });

  it('429: transient', async () => {
    const provider = new SendGridEmailProvider({ apiKey: API_KEY, baseUrl: sendgrid.baseUrl });
    sendgrid.failNext(1, 429);
    await assert.rejects(provider.send(confirmationEmail('ntf-0205')), (error: unknown) => {
      assert.ok(error instanceof DeliveryError);
      assert.equal(error.statusCode, 429);
      assert.equal(error.permanent, false);
      return true;
    });
  });

  it('no answer: the SDK error, whose config holds the key, is not passed on', async () => {
    const provider = new SendGridEmailProvider({
      apiKey: API_KEY,
      baseUrl: `http://127.0.0.1:${await closedPort()}/`,
    });
    await assert.rejects(provider.send(confirmationEmail('ntf-0206')), (error: unknown) => {
      assert.ok(error instanceof DeliveryError);
      assert.equal(error.statusCode, null);
      assert.equal(error.code, 'ECONNREFUSED');
      assert.equal(error.permanent, false);
      assertNoSecret(error, API_KEY);
      return true;
    });
  });
});

describe('the SendGrid double itself', () => {
  const API_KEY = 'SG.double-key';
  let sendgrid: SendGridDouble;
  before(async () => {
    sendgrid = await startSendGridDouble({ apiKey: API_KEY });
  });
  after(() => sendgrid.close());

  const post = (body: unknown, authorization: string | null = `Bearer ${API_KEY}`) =>
    fetch(new URL('v3/mail/send', sendgrid.baseUrl), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(authorization === null ? {} : { Authorization: authorization }),
      },
      body: JSON.stringify(body),
    });

  it('answers 400 with {errors: [{message, field, help}]} for each documented rule broken', async () => {
    const response = await post({
      personalizations: [{ to: [] }],
      content: [
        { type: 'text/html', value: '<p>x</p>' },
        { type: 'text/plain', value: '' },
      ],
    });
    assert.equal(response.status, 400);
    const { errors } = (await response.json()) as {
      errors: { message: string; field: string | null; help: unknown }[];
    };
    const fields = errors.map((e) => e.field);
    for (const field of ['personalizations.0.to', 'from.email', 'subject', 'content.1.value', 'content']) {
      assert.ok(fields.includes(field), `expected an error for ${field}, got ${fields.join(', ')}`);
    }
    for (const e of errors) {
      assert.equal(typeof e.message, 'string');
      assert.ok('help' in e);
    }
    assert.equal(sendgrid.received.length, 0);
  });

  it('answers 401 without a key or with a wrong one', async () => {
    const valid = {
      personalizations: [{ to: [{ email: 'a@example.com' }] }],
      from: { email: 'b@example.com' },
      subject: 's',
      content: [{ type: 'text/plain', value: 't' }],
    };
    assert.equal((await post(valid, null)).status, 401);
    assert.equal((await post(valid, 'Bearer SG.other')).status, 401);
    const ok = await post(valid);
    assert.equal(ok.status, 202);
    assert.equal(await ok.text(), '');
    assert.ok(ok.headers.get('x-message-id'));
  });
});

describe('TwilioSmsProvider: official client against the Messages API double', () => {
  const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
  const AUTH_TOKEN = 'twilio-auth-token-0123456789';
  let twilioApi: TwilioDouble;
  before(async () => {
    twilioApi = await startTwilioDouble({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  });
  after(() => twilioApi.close());

  const provider = (options: { authToken?: string; from?: string; baseUrl?: string } = {}) =>
    new TwilioSmsProvider({
      accountSid: ACCOUNT_SID,
      authToken: options.authToken ?? AUTH_TOKEN,
      from: options.from ?? '+15005550006',
      baseUrl: options.baseUrl ?? twilioApi.baseUrl,
    });

  it('creates a message: the double records To, From and Body, the SID comes back', async () => {
    const body = 'Orderly: order 2F8B7A10 has shipped with UPS. Tracking: 1Z999AA10123456784';
    const result = await provider().send({ to: '+15551234567', body, messageId: 'ntf-0301' });

    const message = twilioApi.messages.at(-1);
    assert.ok(message);
    assert.equal(result.providerMessageId, message.sid);
    assert.match(message.sid, /^SM[0-9a-f]{32}$/);
    assert.equal(message.to, '+15551234567');
    assert.equal(message.from, '+15005550006');
    assert.equal(message.body, body);
    assert.equal(message.status, 'queued');
    const request = twilioApi.requests.at(-1);
    assert.equal(request?.path, `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    assert.deepEqual(request?.form, { To: '+15551234567', From: '+15005550006', Body: body });
  });

  it('sends through a Messaging Service when the sender is an MG SID', async () => {
    const service = `MG${'f'.repeat(32)}`;
    await provider({ from: service }).send({ to: '+15551234567', body: 'hi', messageId: 'ntf-0302' });
    assert.deepEqual(twilioApi.requests.at(-1)?.form, {
      To: '+15551234567',
      MessagingServiceSid: service,
      Body: 'hi',
    });
  });

  it('a wrong auth token is a 401 (Twilio error 20003), and the token is nowhere in the error', async () => {
    const wrong = 'wrong-token-abcdefghijkl';
    await assert.rejects(
      provider({ authToken: wrong }).send({ to: '+15551234567', body: 'hi', messageId: 'ntf-0303' }),
      (error: unknown) => {
        assert.ok(error instanceof DeliveryError);
        assert.equal(error.statusCode, 401);
        assert.equal(error.code, '20003');
        assertNoSecret(error, wrong);
        assertNoSecret(error, AUTH_TOKEN);
        return true;
      },
    );
  });

  it('an invalid number is permanent (Twilio error 21211)', async () => {
    await assert.rejects(
      provider().send({ to: '555-1234', body: 'hi', messageId: 'ntf-0304' }),
      (error: unknown) => {
        assert.ok(error instanceof DeliveryError);
        assert.equal(error.statusCode, 400);
        assert.equal(error.code, '21211');
        assert.equal(error.permanent, true);
        return true;
      },
    );
  });

  it('503 is transient', async () => {
    twilioApi.failNext(1, 503);
    await assert.rejects(
      provider().send({ to: '+15551234567', body: 'hi', messageId: 'ntf-0305' }),
      (error: unknown) => {
        assert.ok(error instanceof DeliveryError);
        assert.equal(error.statusCode, 503);
        assert.equal(error.permanent, false);
        return true;
      },
    );
  });

  it('no answer: transient, and the token does not leak from the SDK error', async () => {
    const unreachable = provider({ baseUrl: `http://127.0.0.1:${await closedPort()}` });
    await assert.rejects(
      unreachable.send({ to: '+15551234567', body: 'hi', messageId: 'ntf-0306' }),
      (error: unknown) => {
        assert.ok(error instanceof DeliveryError);
        assert.equal(error.statusCode, null);
        assert.equal(error.permanent, false);
        assertNoSecret(error, AUTH_TOKEN);
        return true;
      },
    );
  });
});

describe('log providers', () => {
  it('accept anything and have no provider id: the database row is the mailbox', async () => {
    assert.deepEqual(await new LogEmailProvider().send(confirmationEmail('ntf-0401')), {
      providerMessageId: null,
    });
    assert.deepEqual(
      await new LogSmsProvider().send({ to: '+15551234567', body: 'hi', messageId: 'ntf-0402' }),
      {
        providerMessageId: null,
      },
    );
  });
});

describe('factories', () => {
  it('build each email provider by name', () => {
    assert.ok(createEmailProvider({ provider: 'log' }) instanceof LogEmailProvider);
    assert.ok(
      createEmailProvider({ provider: 'smtp', smtpUrl: 'smtp://127.0.0.1:2525' }) instanceof
        SmtpEmailProvider,
    );
    assert.ok(
      createEmailProvider({ provider: 'sendgrid', sendgridApiKey: 'SG.x' }) instanceof SendGridEmailProvider,
    );
  });

  it('refuse a missing or malformed email setting with a sentence', () => {
    assert.throws(
      () => createEmailProvider({ provider: 'smtp' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /^EMAIL_PROVIDER=smtp needs SMTP_URL/);
        return true;
      },
    );
    assert.throws(
      () => createEmailProvider({ provider: 'smtp', smtpUrl: 'mail.example.com:25' }),
      /SMTP_URL must be/,
    );
    assert.throws(
      () => createEmailProvider({ provider: 'sendgrid' }),
      /EMAIL_PROVIDER=sendgrid needs SENDGRID_API_KEY/,
    );
    assert.throws(
      () =>
        createEmailProvider({ provider: 'sendgrid', sendgridApiKey: 'SG.x', sendgridBaseUrl: 'not a url' }),
      ConfigError,
    );
  });

  it('build each SMS provider by name; none means no SMS at all', () => {
    assert.equal(createSmsProvider({ provider: 'none' }), null);
    assert.ok(createSmsProvider({ provider: 'log' }) instanceof LogSmsProvider);
    const twilioProvider = createSmsProvider({
      provider: 'twilio',
      twilioAccountSid: `AC${'0'.repeat(32)}`,
      twilioAuthToken: 'token',
      twilioFrom: '+15005550006',
    });
    assert.ok(twilioProvider instanceof TwilioSmsProvider);
  });

  it('refuse missing Twilio settings, naming every one', () => {
    assert.throws(
      () => createSmsProvider({ provider: 'twilio' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(
          error.message,
          'SMS_PROVIDER=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM.',
        );
        return true;
      },
    );
    assert.throws(
      () =>
        createSmsProvider({
          provider: 'twilio',
          twilioAccountSid: 'SK123',
          twilioAuthToken: 't',
          twilioFrom: '+1',
        }),
      /TWILIO_ACCOUNT_SID must start with AC/,
    );
  });

  it('build providers that work against the doubles', async () => {
    const smtp = await startSmtpDouble();
    const sendgrid = await startSendGridDouble({ apiKey: 'SG.factory-key' });
    const sid = `AC${'1'.repeat(32)}`;
    const twilioApi = await startTwilioDouble({ accountSid: sid, authToken: 'factory-token' });
    try {
      await createEmailProvider({ provider: 'smtp', smtpUrl: smtp.url }).send(confirmationEmail('ntf-0501'));
      await createEmailProvider({
        provider: 'sendgrid',
        sendgridApiKey: 'SG.factory-key',
        sendgridBaseUrl: sendgrid.baseUrl,
      }).send(confirmationEmail('ntf-0502'));
      await createSmsProvider({
        provider: 'twilio',
        twilioAccountSid: sid,
        twilioAuthToken: 'factory-token',
        twilioFrom: '+15005550006',
        twilioBaseUrl: twilioApi.baseUrl,
      })?.send({ to: '+15551234567', body: 'hi', messageId: 'ntf-0503' });
      assert.equal(smtp.messages.length, 1);
      assert.equal(sendgrid.received.length, 1);
      assert.equal(twilioApi.messages.length, 1);
    } finally {
      await Promise.all([smtp.close(), sendgrid.close(), twilioApi.close()]);
    }
  });
});
