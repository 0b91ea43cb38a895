/**
 * The invoice on the order confirmation e-mail, when the shop's switch is on: sent over SMTP to a
 * real SMTP server (nodemailer → the smtp-server double) and through SendGrid's official client
 * to its v3 double; the attachment that arrives is a PDF that reads as the order's invoice. With
 * the switch off the confirmation goes without it. PGlite, or PostgreSQL with TEST_DATABASE_URL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSendGridDouble, type SendGridDouble } from './doubles/sendgrid-double.ts';
import { startSmtpDouble, type SmtpDouble } from './doubles/smtp-server.ts';
import { createTestApp, orderBody, type TestApp } from './helpers.ts';
import { pdfText, popplerMissing } from './pdf-reading.ts';

const SHOP = {
  legalName: 'Attached Goods Ltd',
  address: '2 Mail Road\nLeeds LS1 1AA',
  taxId: 'GB123456789',
  registrationNumber: '01234567',
  contactEmail: 'accounts@attached.test',
  invoiceFooter: 'Thank you.',
  attachInvoiceToConfirmation: true,
};

async function setSwitch(t: TestApp, on: boolean): Promise<void> {
  const res = await t.request('PUT', '/api/v1/admin/shop-details', {
    token: await t.adminToken(),
    body: { ...SHOP, attachInvoiceToConfirmation: on },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

/** A paid order, its events dispatched and its messages sent; the customer and the invoice number. */
async function confirmedAndMailed(t: TestApp, customer: { token: string; id: string; email: string }) {
  const product = await t.product({ price: 12.5 });
  const res = await t.request<{ id: string }>('POST', '/api/v1/orders', {
    token: customer.token,
    body: orderBody(customer.id, [{ productId: product.id, quantity: 1, price: 12.5 }]),
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await t.app.outbox.drain();
  await t.app.services.notifications.sendDue();
  const invoice = await t.app.database.db
    .selectFrom('invoice')
    .select('number')
    .where('order_id', '=', res.body.id)
    .executeTakeFirstOrThrow();
  return invoice.number;
}

describe('over SMTP', () => {
  let smtp: SmtpDouble;
  let t: TestApp;
  before(async () => {
    smtp = await startSmtpDouble();
    t = await createTestApp({
      EMAIL_PROVIDER: 'smtp',
      SMTP_URL: smtp.url,
      EMAIL_FROM: 'Shop <orders@attached.test>',
    });
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  test('the confirmation carries the invoice PDF when the switch is on, and not when it is off', async () => {
    const customer = await t.customer('Ann Attached');
    await setSwitch(t, true);
    const number = await confirmedAndMailed(t, customer);
    const mine = () =>
      smtp.messages.filter((m) => m.envelope.to.includes(customer.email) && /confirmed/i.test(m.subject));
    const [withInvoice] = mine();
    assert.ok(withInvoice, 'the confirmation arrived');
    assert.equal(withInvoice.attachments.length, 1);
    const [attachment] = withInvoice.attachments;
    assert.equal(attachment?.filename, `${number}.pdf`);
    assert.equal(attachment?.contentType, 'application/pdf');
    assert.equal(attachment?.content.subarray(0, 5).toString(), '%PDF-');
    if (!popplerMissing) {
      const text = await pdfText(attachment?.content ?? Buffer.alloc(0));
      assert.ok(text.includes(number) && text.includes(SHOP.legalName), text);
    }

    await setSwitch(t, false);
    await confirmedAndMailed(t, customer);
    const [, withoutInvoice] = mine();
    assert.ok(withoutInvoice, 'the second confirmation arrived');
    assert.deepEqual(withoutInvoice.attachments, []);
  });
});

describe('through SendGrid', () => {
  const API_KEY = 'SG.documents-test-key';
  let sendgrid: SendGridDouble;
  let t: TestApp;
  before(async () => {
    sendgrid = await startSendGridDouble({ apiKey: API_KEY });
    t = await createTestApp({
      EMAIL_PROVIDER: 'sendgrid',
      SENDGRID_API_KEY: API_KEY,
      SENDGRID_API_URL: sendgrid.baseUrl,
      EMAIL_FROM: 'Shop <orders@attached.test>',
    });
  });
  after(async () => {
    await t.close();
    await sendgrid.close();
  });

  test('the confirmation carries the invoice as a base64 PDF attachment SendGrid accepts', async () => {
    const customer = await t.customer('Sam Sendgrid');
    await setSwitch(t, true);
    const number = await confirmedAndMailed(t, customer);
    const mail = sendgrid.received.find((m) =>
      m.body.personalizations.some((p) => p.to.some((to) => to.email === customer.email)),
    );
    assert.ok(mail, 'SendGrid accepted the confirmation (202)');
    const attachments = mail.body['attachments'];
    assert.ok(Array.isArray(attachments) && attachments.length === 1, JSON.stringify(attachments));
    const [attachment] = attachments as Array<{
      filename: string;
      type: string;
      content: string;
      disposition: string;
    }>;
    assert.deepEqual(
      { filename: attachment?.filename, type: attachment?.type, disposition: attachment?.disposition },
      { filename: `${number}.pdf`, type: 'application/pdf', disposition: 'attachment' },
    );
    const pdf = Buffer.from(attachment?.content ?? '', 'base64');
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    if (!popplerMissing) assert.ok((await pdfText(pdf)).includes(number));
  });
});
