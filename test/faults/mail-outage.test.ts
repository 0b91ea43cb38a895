/**
 * The mail server is down for a while (connections refused, then up but answering 421 "try again
 * later"), then back. Messages wait as `pending`, retried with backoff by the sender job, and each
 * is delivered exactly once when the server is back; orders are not held up by any of it.
 *
 * The outage here is a few seconds against a fast retry policy. With the default policy (1 s
 * doubling, 6 attempts) a message gives up after about half a minute of outage and ends `failed`,
 * to be resent from the admin mailbox; see the README's Reliability section.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSmtpDouble, type SmtpDouble } from '../doubles/smtp-server.ts';
import { createTestApp, orderBody, type TestApp } from '../helpers.ts';
import { NEEDS_POSTGRES, eventually, freePort, switchableAddress } from './support.ts';

describe('the mail server is down for a while', { skip: NEEDS_POSTGRES }, () => {
  let smtp: SmtpDouble;
  let t: TestApp;
  let mail: ReturnType<typeof switchableAddress>;

  before(async () => {
    smtp = await startSmtpDouble();
    const port = await freePort();
    mail = switchableAddress(port, smtp.port);
    t = await createTestApp(
      {
        EMAIL_PROVIDER: 'smtp',
        SMTP_URL: `smtp://127.0.0.1:${port}`,
        SMS_PROVIDER: 'none',
        OUTBOX_POLL_MS: '50',
      },
      { background: true, notificationRetry: { baseDelayMs: 200, maxDelayMs: 800, maxAttempts: 30 } },
    );
  });
  after(async () => {
    await t.close();
    await mail.down();
    await smtp.close();
  });

  const emails = () =>
    t.app.database.db
      .selectFrom('notification')
      .select(['id', 'status', 'attempts', 'last_error', 'provider_message_id', 'recipient'])
      .where('channel', '=', 'email')
      .execute();

  test('messages wait while it is unreachable or refusing, then each goes out exactly once', async () => {
    const product = await t.product({ price: 9, stock: 10 });
    const customers = [await t.customer('Mae'), await t.customer('Ned'), await t.customer('Ola')];
    for (const c of customers) {
      const res = await t.request('POST', '/api/v1/orders', {
        token: c.token,
        body: orderBody(c.id, [{ productId: product.id, quantity: 1, price: 9 }]),
      });
      assert.equal(res.status, 201, 'orders go through while mail is down');
    }

    // Down: connections refused. Messages are written and tried, and wait.
    const waiting = await eventually('every message to have been tried at least twice', async () => {
      const rows = await emails();
      return rows.length >= customers.length && rows.every((r) => r.status === 'pending' && r.attempts >= 2)
        ? rows
        : undefined;
    });
    for (const r of waiting) assert.match(r.last_error ?? '', /ECONNREFUSED|ECONNECTION|connect/i);

    // Up, but refusing: 421 to every transaction.
    smtp.rejectNext(1_000_000, { code: 421, message: 'Service not available, try again later', at: 'mail' });
    await mail.up();
    await eventually('the 421s to be seen', async () => {
      const rows = await emails();
      return rows.every((r) => r.status === 'pending' && /421/.test(r.last_error ?? '')) ? true : undefined;
    });
    assert.equal(smtp.messages.length, 0, 'nothing delivered while refusing');

    // Back.
    smtp.rejectNext(0);
    const sent = await eventually('every message to be sent', async () => {
      const rows = await emails();
      return rows.every((r) => r.status === 'sent') ? rows : undefined;
    });
    await sleep(2_000); // any duplicate would arrive by now
    assert.equal(smtp.messages.length, sent.length, 'one delivery per message');
    const ids = smtp.messages.map((m) => m.messageId);
    assert.equal(new Set(ids).size, ids.length, 'no message delivered twice');
    for (const c of customers) {
      assert.ok(
        smtp.messages.some((m) => m.envelope.to.includes(c.email)),
        `${c.email} got their mail`,
      );
    }
    assert.ok(
      sent.every((r) => r.attempts > 2),
      'they were retried, not dropped',
    );
  });
});
