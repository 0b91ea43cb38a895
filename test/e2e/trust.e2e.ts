/**
 * Money and words a shop can trust: a refund amount is read the way the shop writes numbers,
 * shown and confirmed in a dialog before any money moves; the admin's sign-in says so when the
 * account is a customer's; a delivered order does not say "On its way"; a cancellation reason
 * the system wrote reads as a sentence, not as its code.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  ADMIN,
  ConsoleWatch,
  DESKTOP,
  eventually,
  inPage,
  launchBrowser,
  RAW_OUTPUT,
  screenshot,
  signedInContext,
  startOrderly,
  visibleText,
  type Orderly,
  assertAccessible,
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

interface OrderBody {
  id: string;
  status: string;
  cancellationReason: string | null;
  payment: { amountPaid: number; amountRefunded: number };
}

/** A $1,250.00 desk with the demo shop's 8.25 % sales tax (shipping is free above $50): $1,353.13, paid. */
async function paidDeskOrder(): Promise<string> {
  const product = await orderly.api<{ id: string }>('POST', '/products', {
    token: admin,
    body: { sku: 'E2E-DESK-1', name: 'Walnut Desk', price: 1250, initialStock: 3 },
  });
  assert.equal(product.status, 201, JSON.stringify(product.body));
  const shopper = await orderly.customer('Rena Refund');
  const order = await orderly.placeOrder(shopper.token, [{ productId: product.body.id, quantity: 1 }]);
  assert.equal(order.status, 201, JSON.stringify(order.body));
  assert.equal(order.body.total, 1353.13);
  return order.body.id;
}

describe('money and words a shop can trust', () => {
  test('typing 1,000 as a refund shows $1,000.00 in a confirmation; cancelling sends nothing, confirming refunds exactly 100000 cents', async () => {
    const orderId = await paidDeskOrder();
    const watch = new ConsoleWatch();
    const context = await signedInContext(browser, admin, DESKTOP);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'refund');
    const refundRequests: unknown[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith(`/admin/orders/${orderId}/refund`)) {
        refundRequests.push(request.postDataJSON());
      }
    });
    await page.goto(`${orderly.url}/admin/orders/${orderId}`);
    const card = page.getByTestId('action-refund');
    const amount = card.getByLabel(/Amount/);
    const dialog = page.getByTestId('refund-dialog');
    await amount.waitFor();

    // the shop writes en-US numbers: 22,00 reads neither as $22 nor as $2,200, and is refused
    await amount.fill('22,00');
    await card.getByRole('button', { name: 'Refund', exact: true }).click();
    await card.getByText('does not read as one amount').waitFor();
    assert.equal(await dialog.isVisible(), false);

    // 1,000 is a thousand dollars, shown as such before anything is sent
    await amount.fill('1,000');
    assert.equal(await page.getByTestId('refund-reading').innerText(), '$1,000.00 of up to $1,353.13');
    await card.getByRole('button', { name: 'Refund', exact: true }).click();
    await dialog.waitFor();
    const question = await dialog.getByRole('heading').innerText();
    assert.equal(question, 'Refund $1,000.00 to the customer’s card?');
    assert.equal(
      await inPage(page, `document.querySelector('[data-testid="refund-dialog"]').matches(':modal')`),
      true,
    );
    assert.equal(await inPage(page, 'document.activeElement.textContent'), 'Don’t refund');
    await screenshot(page, 'trust-01-refund-confirmation', false);
    await assertAccessible(page, 'refund confirmation');

    // "Don't refund", and Escape, close the question and send nothing
    await dialog.getByRole('button', { name: 'Don’t refund' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await card.getByRole('button', { name: 'Refund', exact: true }).click();
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.deepEqual(refundRequests, []);
    const untouched = await orderly.api<OrderBody>('GET', `/orders/${orderId}`, { token: admin });
    assert.equal(untouched.body.payment.amountRefunded, 0);

    // confirmed: exactly one request, for 1000.00 dollars, and the order says so
    await card.getByRole('button', { name: 'Refund', exact: true }).click();
    await dialog.getByRole('button', { name: 'Refund $1,000.00' }).click();
    await page.getByTestId('toasts').getByText('Refunded $1,000.00.').waitFor();
    assert.deepEqual(refundRequests, [{ amount: 1000 }]);
    const refunded = await eventually(async () => {
      const r = await orderly.api<OrderBody>('GET', `/orders/${orderId}`, { token: admin });
      return r.body.payment.amountRefunded > 0 ? r.body : undefined;
    });
    assert.equal(Math.round(refunded.payment.amountRefunded * 100), 100000);
    assert.equal(Math.round(refunded.payment.amountPaid * 100), 135313);
    await page.getByTestId('payment-summary').getByText('$1,000.00').waitFor();
    await screenshot(page, 'trust-02-refunded');
    assert.doesNotMatch(await visibleText(page), RAW_OUTPUT);
    assert.deepEqual(watch.problems, []);
    await context.close();
  });

  test('signing in to the admin with a customer account says it is not an admin account, and signs nobody in', async () => {
    const shopper = await orderly.customer('Cory Customer');
    const watch = new ConsoleWatch();
    const context = await browser.newContext(DESKTOP);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'admin sign in');
    await page.goto(`${orderly.url}/admin`);
    await page.getByLabel('Email').fill(shopper.email);
    await page.getByLabel('Password').fill('correct-horse-battery-1');
    await page.getByRole('button', { name: 'Sign in to admin' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'This account is not an admin account' });
    await alert.waitFor();
    await page.getByRole('button', { name: 'Sign in to admin' }).waitFor();
    assert.equal(await inPage(page, `localStorage.getItem('orderly.token')`), null);
    await screenshot(page, 'trust-03-admin-sign-in-customer');
    await assertAccessible(page, 'admin sign in with a customer account');

    // the same form still lets the admin in
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in to admin' }).click();
    await page.getByTestId('kpis').waitFor();
    assert.deepEqual(watch.problems, []);
    await context.close();
  });

  test('a delivered order reads "Delivered", and a declined first payment reads as a sentence, not payment_declined', async () => {
    const shopper = await orderly.customer('Dana Delivered');
    const tote = await orderly.product('Canvas Tote');
    const delivered = await orderly.placeOrder(shopper.token, [{ productId: tote.id, quantity: 1 }]);
    assert.equal(delivered.status, 201);
    const id = delivered.body.id;
    await orderly.shipAndDeliver(id, '1Z0000000000000009');
    const declined = await orderly.placeOrder(
      shopper.token,
      [{ productId: tote.id, quantity: 1 }],
      'tok_chargeDeclined',
    );
    assert.equal(declined.status, 402);
    const me = await orderly.api<{ id: string }>('GET', '/auth/me', { token: shopper.token });
    const theirs = await orderly.api<{ items: Array<{ id: string; status: string }> }>(
      'GET',
      `/admin/orders?customerId=${me.body.id}`,
      { token: admin },
    );
    const cancelled = theirs.body.items.find((o) => o.status === 'cancelled');
    assert.ok(cancelled, 'the declined order is listed as cancelled');
    const cancelledBody = await orderly.api<OrderBody>('GET', `/orders/${cancelled.id}`, { token: admin });
    assert.equal(cancelledBody.body.cancellationReason, 'payment_declined');

    const watch = new ConsoleWatch();
    const context = await signedInContext(browser, shopper.token, DESKTOP);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'shopper');
    await page.goto(`${orderly.url}/orders/${id}`);
    const notice = page.getByTestId('shipping-notice');
    await notice.waitFor();
    assert.match(await notice.innerText(), /^Delivered\b/);
    assert.doesNotMatch(await visibleText(page), /On its way/);
    await screenshot(page, 'trust-04-delivered-order');

    await page.goto(`${orderly.url}/orders/${cancelled.id}`);
    const reason = page.getByTestId('cancellation-reason');
    await reason.waitFor();
    assert.equal(await reason.innerText(), 'The payment was declined, so the order could not be completed.');
    assert.doesNotMatch(await visibleText(page), RAW_OUTPUT);
    await screenshot(page, 'trust-05-declined-order');
    await assertAccessible(page, 'declined order');

    const adminContext = await signedInContext(browser, admin, DESKTOP);
    adminContext.setDefaultTimeout(10_000);
    const adminPage = watch.attach(await adminContext.newPage(), 'admin');
    await adminPage.goto(`${orderly.url}/admin/orders/${cancelled.id}`);
    await adminPage.getByTestId('cancellation-reason').waitFor();
    assert.doesNotMatch(await visibleText(adminPage), RAW_OUTPUT);
    await adminPage.goto(`${orderly.url}/admin/mailbox`);
    await adminPage.getByTestId('message-item').first().click();
    await adminPage.getByTestId('message-preview').locator('dl').waitFor();
    assert.doesNotMatch(await visibleText(adminPage), /\border_[a-z]+\b/);
    assert.deepEqual(watch.problems, []);
    await context.close();
    await adminContext.close();
  });
});
