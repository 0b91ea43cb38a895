/**
 * Returns in the browser (docs/returns.md): the shopper asks to return a delivered item from
 * the order page and confirms it; the admin approves, receives and refunds it from the order's
 * page after seeing the amount, and finds it on the Returns page; the shopper sees it refunded.
 * Desktop and phone screenshots.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  ConsoleWatch,
  PHONE,
  assertAccessible,
  launchBrowser,
  screenshot,
  signedInContext,
  startOrderly,
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

/** A customer's order of one product, shipped and delivered by the admin through the API. */
async function deliveredOrder(name: string, productName: string) {
  const customer = await orderly.customer(name);
  const product = await orderly.product(productName);
  const order = await orderly.deliveredOrder(customer.token, [{ productId: product.id, quantity: 2 }]);
  return { customer, product, ...order };
}

describe('returns', () => {
  test('asked for by the shopper, approved, received and refunded by the admin, seen by both', async () => {
    const { customer, product, id, number } = await deliveredOrder('Rita Return', 'Stoneware Mug, Sand');
    const watch = new ConsoleWatch();
    const shopperContext = await signedInContext(browser, customer.token);
    const shopper = watch.attach(await shopperContext.newPage(), 'shopper');
    await shopper.goto(`${orderly.url}/orders/${id}`);
    await shopper.getByRole('heading', { name: `Order #${number}` }).waitFor();
    await shopper.getByTestId('return-items').click();
    const form = shopper.getByTestId('return-form');
    await form.getByLabel(product.name).fill('1');
    await form.getByLabel('Reason').selectOption('wrong_size');
    await form.getByRole('button', { name: 'Review return' }).click();
    const confirm = shopper.getByTestId('return-confirm');
    await confirm.getByText(`1 × ${product.name}`).waitFor();
    await screenshot(shopper, 'returns-shopper-confirm');
    await confirm.getByRole('button', { name: 'Send return request' }).click();
    await shopper.getByTestId('return-status').filter({ hasText: 'Requested' }).waitFor();
    await assertAccessible(shopper, 'the order page with a requested return');
    await screenshot(shopper, 'returns-shopper-requested');

    const adminContext = await signedInContext(browser, await orderly.adminToken());
    const admin = watch.attach(await adminContext.newPage(), 'admin');
    await admin.goto(`${orderly.url}/admin/returns`);
    await admin
      .getByTestId('return-row')
      .filter({ hasText: `#${number}` })
      .waitFor();
    await screenshot(admin, 'returns-admin-list');
    await admin.getByRole('link', { name: `#${number} · return 1` }).click();
    const panel = admin.getByTestId('admin-returns');
    await panel.getByTestId('return-approve').click();
    await panel.getByTestId('return-status').filter({ hasText: 'Approved' }).waitFor();
    await panel.getByTestId('return-receive').click();
    await panel.getByTestId('return-receive-confirm').click();
    await panel.getByTestId('return-status').filter({ hasText: 'Received' }).waitFor();
    const refundButton = panel.getByTestId('return-refund-button');
    const label = (await refundButton.textContent()) ?? '';
    assert.match(label, /^Refund \$\d+\.\d{2}$/);
    await refundButton.click();
    const dialog = admin.getByTestId('return-refund-confirm');
    await dialog.getByRole('heading', { name: `${label} to the customer?` }).waitFor();
    await assertAccessible(admin, 'the refund confirmation');
    await screenshot(admin, 'returns-admin-refund-confirm');
    await dialog.getByRole('button', { name: label }).click();
    await panel.getByTestId('return-status').filter({ hasText: 'Refunded' }).waitFor();
    await assertAccessible(admin, 'the admin order page with a refunded return');
    await screenshot(admin, 'returns-admin-refunded');

    const order = await orderly.api<{ payment: { amountRefunded: number } }>('GET', `/orders/${id}`, {
      token: customer.token,
    });
    assert.equal(`Refund $${order.body.payment.amountRefunded.toFixed(2)}`, label);

    await shopper.reload();
    await shopper.getByTestId('return-refund').waitFor();
    const phone = watch.attach(
      await (await signedInContext(browser, customer.token, PHONE)).newPage(),
      'phone',
    );
    await phone.goto(`${orderly.url}/orders/${id}`);
    await phone.getByTestId('return-status').filter({ hasText: 'Refunded' }).waitFor();
    await screenshot(phone, 'returns-shopper-phone');
    assert.deepEqual(watch.problems, []);
  });

  test('rejected by the admin with a reason, which the shopper reads on the order page', async () => {
    const { customer, id } = await deliveredOrder('Rex Reject', 'Oak Cutting Board');
    const returnable = await orderly.api<{ returnable: Array<{ lineId: string }> }>(
      'GET',
      `/orders/${id}/returns`,
      { token: customer.token },
    );
    const lineId = returnable.body.returnable[0]?.lineId ?? '';
    const asked = await orderly.api('POST', `/orders/${id}/returns`, {
      token: customer.token,
      body: { lines: [{ lineId, quantity: 1 }], reason: 'changed_mind' },
    });
    assert.equal(asked.status, 201, JSON.stringify(asked.body));

    const watch = new ConsoleWatch();
    const admin = watch.attach(
      await (await signedInContext(browser, await orderly.adminToken())).newPage(),
      'admin',
    );
    await admin.goto(`${orderly.url}/admin/orders/${id}`);
    const panel = admin.getByTestId('admin-returns');
    await panel.getByTestId('return-reject').click();
    await panel.getByLabel('Why is the return rejected?').fill('Used items cannot be returned');
    await panel.getByTestId('return-reject-confirm').click();
    await panel.getByTestId('return-status').filter({ hasText: 'Rejected' }).waitFor();

    const shopper = watch.attach(await (await signedInContext(browser, customer.token)).newPage(), 'shopper');
    await shopper.goto(`${orderly.url}/orders/${id}`);
    await shopper.getByTestId('return-status').filter({ hasText: 'Rejected' }).waitFor();
    await shopper
      .getByTestId('return-rejection')
      .filter({ hasText: 'Not accepted: “Used items cannot be returned”' })
      .waitFor();
    await screenshot(shopper, 'returns-shopper-rejected');
    assert.deepEqual(watch.problems, []);
  });
});
