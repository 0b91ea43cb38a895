/**
 * Draft orders in the browser (ADR 0023): the admin takes a phone order for a new customer — a
 * product found by name, a price of their own with a reason, the address — and sends a payment
 * link; the customer opens the emailed link on the storefront's pay page and pays with a card.
 * axe-core checks the pages; the console must stay clean.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  assertAccessible,
  ConsoleWatch,
  DESKTOP,
  eventually,
  launchBrowser,
  screenshot,
  signedInContext,
  startOrderly,
  uniqueEmail,
  type Orderly,
} from './harness.ts';

let orderly: Orderly;
let browser: Browser;

before(async () => {
  [orderly, browser] = await Promise.all([startOrderly(), launchBrowser()]);
});

after(async () => {
  await browser?.close();
  await orderly?.stop();
});

describe('admin: draft orders', () => {
  test('the admin creates a draft with a price override and sends a link; the customer pays on the pay page', async () => {
    const watch = new ConsoleWatch();
    const adminContext = await signedInContext(browser, await orderly.adminToken());
    adminContext.setDefaultTimeout(10_000);
    const admin = watch.attach(await adminContext.newPage(), 'admin');
    const email = uniqueEmail('phone');
    const tote = await orderly.product('Canvas Tote');

    await admin.goto(orderly.url + '/admin/drafts');
    await admin.getByTestId('new-draft').click();
    await admin.getByTestId('draft-email').fill(email);
    await admin.getByTestId('draft-name').fill('Phoebe Phone');
    await admin.getByTestId('draft-product-search').fill('Canvas Tote');
    await admin
      .getByTestId('draft-product-results')
      .getByRole('button', { name: /Canvas Tote/ })
      .first()
      .click();
    await admin.getByTestId('draft-line-price').fill('10');
    await admin.getByTestId('draft-line-reason').fill('phone discount');
    await admin.getByLabel('Recipient name').fill('Phoebe Phone');
    await admin.getByLabel('Street address').fill('742 Evergreen Terrace');
    await admin.getByLabel('City').fill('Springfield');
    await admin.getByLabel('State').fill('IL');
    await admin.getByLabel('ZIP code').fill('62704');
    await screenshot(admin, 'drafts-01-new-draft');
    await assertAccessible(admin, 'the new draft page');
    await admin.getByTestId('draft-create').click();

    await admin.getByTestId('draft-page').waitFor();
    assert.match(await admin.getByTestId('order-status').innerText(), /Draft/);
    assert.match(await admin.getByTestId('order-total').innerText(), /\$10\.00/);
    await screenshot(admin, 'drafts-02-draft');
    await assertAccessible(admin, 'the draft page');
    await admin.getByTestId('send-payment-link').click();
    await admin.getByTestId('draft-finished').waitFor();
    await screenshot(admin, 'drafts-03-link-sent');

    const token = await orderly.adminToken();
    const link = await eventually(
      async () => {
        const list = await orderly.api<{ items: Array<{ id: string; template: string }> }>(
          'GET',
          `/admin/notifications?recipient=${encodeURIComponent(email)}`,
          { token },
        );
        const summary = list.body.items.find((m) => m.template === 'order_payment_link');
        if (!summary) return undefined;
        const mail = await orderly.api<{ text: string }>('GET', `/admin/notifications/${summary.id}`, {
          token,
        });
        return /https?:\/\/\S+\/pay\/[0-9a-f-]+\?token=[A-Za-z0-9_.%-]+/.exec(mail.body.text)?.[0];
      },
      10_000,
      'the payment link email',
    );

    const shopperContext = await browser.newContext(DESKTOP);
    shopperContext.setDefaultTimeout(10_000);
    const shopper = watch.attach(await shopperContext.newPage(), 'customer');
    await shopper.goto(link.replace(/^https?:\/\/[^/]+/, orderly.url));
    await shopper.getByTestId('pay-page').waitFor();
    assert.match(await shopper.getByTestId('order-total').innerText(), /\$10\.00/);
    await screenshot(shopper, 'drafts-04-pay-page');
    await assertAccessible(shopper, 'the pay page');
    await shopper.getByTestId('pay-submit').click();
    await shopper.getByTestId('pay-done').waitFor();
    assert.match(await shopper.getByTestId('order-status').innerText(), /Confirmed/);
    await screenshot(shopper, 'drafts-05-paid');

    const level = await orderly.product('Canvas Tote');
    assert.equal(level.available, tote.available - 1, 'the unit is sold');
    assert.deepEqual(watch.problems, []);
    await Promise.all([adminContext.close(), shopperContext.close()]);
  });
});
