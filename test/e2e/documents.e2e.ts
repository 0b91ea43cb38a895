/**
 * Documents in the browser: the admin downloads an order's invoice, packing slip and (after a
 * refund from the page, without a reload) its credit note from the order page, and edits the shop's details; the shopper
 * downloads their invoice from their order page on a phone. Every download is checked to be a
 * PDF under the document's number; the shop details are checked against the API.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  assertAccessible,
  ConsoleWatch,
  DESKTOP,
  eventually,
  inPage,
  launchBrowser,
  PHONE,
  screenshot,
  signedInContext,
  startOrderly,
  type Orderly,
} from './harness.ts';

let orderly: Orderly;
let browser: Browser;
let admin: string;

before(async () => {
  [orderly, browser] = await Promise.all([startOrderly(), launchBrowser()]);
  admin = await orderly.adminToken();
});

after(async () => {
  await browser?.close();
  await orderly?.stop();
});

interface Documents {
  invoice: { number: string } | null;
  creditNotes: Array<{ number: string }>;
}

const documentsOf = (orderId: string) =>
  orderly.api<Documents>('GET', `/admin/orders/${orderId}/documents`, { token: admin });

/** Clicks a download button and reads what the browser saved. */
async function downloaded(page: Page, button: Locator): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: await readFile(path) };
}

function assertPdf(file: { name: string; bytes: Buffer }, name: RegExp): void {
  assert.match(file.name, name);
  assert.equal(file.bytes.subarray(0, 5).toString(), '%PDF-', `${file.name} is a PDF`);
  assert.ok(file.bytes.length > 1500, `${file.name} has content (${file.bytes.length} bytes)`);
}

describe('documents', () => {
  test("the admin downloads an order's invoice, packing slip and credit note, and edits the shop's details", async () => {
    const watch = new ConsoleWatch();
    watch.expectStatus(400); // the shop details saved without a legal name, on purpose
    const customer = await orderly.customer('Dora Documents');
    const product = await orderly.product('Canvas Tote');
    const placed = await orderly.placeOrder(customer.token, [{ productId: product.id, quantity: 2 }]);
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    const orderId = placed.body.id;
    const invoice = await eventually(
      async () => (await documentsOf(orderId)).body.invoice ?? undefined,
      10_000,
      'the invoice',
    );

    const context = await signedInContext(browser, admin, DESKTOP);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'admin');
    await page.goto(`${orderly.url}/admin/orders/${orderId}`);
    const card = page.getByTestId('order-documents');
    await card.getByTestId('download-invoice').waitFor();
    assert.equal(await card.getByTestId('download-invoice').innerText(), `Invoice ${invoice.number}`);
    assertPdf(
      await downloaded(page, card.getByTestId('download-invoice')),
      new RegExp(`^${invoice.number}\\.pdf$`),
    );
    assertPdf(await downloaded(page, card.getByTestId('download-packing-slip')), /^packing-slip-\d+\.pdf$/);
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'documents-01-admin-order');
    await assertAccessible(page, 'admin order with documents');

    // a refund from the page: its credit note, issued in the background, appears without a reload.
    // The first list that holds it is answered without it, as when the card reads the list before
    // the outbox has issued the note: the card must still come back for it.
    await inPage(page, 'window.__e2eMark = "same document"');
    let early = true;
    await page.route(`**/api/v1/admin/orders/${orderId}/documents`, async (route) => {
      const response = await route.fetch();
      const list = (await response.json()) as { creditNotes: unknown[] };
      if (early && list.creditNotes.length > 0) {
        early = false;
        await route.fulfill({ response, json: { ...list, creditNotes: [] } });
      } else {
        await route.fulfill({ response });
      }
    });
    const refund = page.getByTestId('action-refund');
    await refund.getByLabel(/Amount/).fill('5');
    await refund.getByLabel('Reason (optional)').fill('late delivery');
    await refund.getByRole('button', { name: 'Refund', exact: true }).click();
    await page
      .getByTestId('refund-dialog')
      .getByRole('button', { name: /Refund \$5\.00/ })
      .click();
    const noteButton = card.getByTestId('download-credit-note');
    await noteButton.waitFor();
    assert.equal(await inPage(page, 'window.__e2eMark'), 'same document', 'no reload');
    assert.equal(early, false, 'the card read the list again after one without the note');
    const note = (await documentsOf(orderId)).body.creditNotes[0];
    assert.ok(note, 'the credit note');
    assert.equal(await noteButton.innerText(), note.number);
    assert.equal(await card.getByTestId('credit-note-pending').count(), 0, 'nothing more is awaited');
    assertPdf(await downloaded(page, noteButton), new RegExp(`^${note.number}\\.pdf$`));
    await screenshot(page, 'documents-02-admin-credit-note');

    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Shop details' }).click();
    await page.getByRole('heading', { name: 'Shop details', level: 1 }).waitFor();
    const form = page.getByRole('form', { name: 'Shop details' });
    await form.getByLabel('Legal name').fill('');
    await form.getByRole('button', { name: 'Save shop details' }).click();
    await form
      .getByText(/legal name/i)
      .first()
      .waitFor();
    await form.getByLabel('Legal name').fill('Dora & Sons Trading Ltd');
    await form.getByLabel('VAT / tax ID').fill('GB 999 8888 77');
    await form.getByLabel('Attach the invoice to the order confirmation e-mail').check();
    await form.getByRole('button', { name: 'Save shop details' }).click();
    await page.getByTestId('toasts').getByText('Shop details saved.').waitFor();
    await screenshot(page, 'documents-03-shop-details');
    await assertAccessible(page, 'shop details');
    const saved = await orderly.api<{
      legalName: string;
      taxId: string;
      attachInvoiceToConfirmation: boolean;
    }>('GET', '/admin/shop-details', { token: admin });
    assert.deepEqual(
      [saved.body.legalName, saved.body.taxId, saved.body.attachInvoiceToConfirmation],
      ['Dora & Sons Trading Ltd', 'GB 999 8888 77', true],
    );
    assert.deepEqual(watch.problems, []);
    await context.close();
  });

  test('the shopper downloads the invoice of their order on a phone', async () => {
    const watch = new ConsoleWatch();
    const customer = await orderly.customer('Phil Phone');
    const product = await orderly.product('Canvas Tote');
    const placed = await orderly.placeOrder(customer.token, [{ productId: product.id, quantity: 1 }]);
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    const invoice = await eventually(
      async () => (await documentsOf(placed.body.id)).body.invoice ?? undefined,
      10_000,
      'the invoice',
    );
    const context = await signedInContext(browser, customer.token, PHONE);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'shopper');
    await page.goto(`${orderly.url}/orders/${placed.body.id}`);
    const button = page.getByRole('button', { name: 'Download invoice' });
    await button.waitFor();
    assertPdf(await downloaded(page, button), new RegExp(`^${invoice.number}\\.pdf$`));
    await button.scrollIntoViewIfNeeded();
    await screenshot(page, 'documents-04-shopper-phone', false);
    await assertAccessible(page, 'shopper order page');
    assert.deepEqual(watch.problems, []);
    await context.close();
  });
});
