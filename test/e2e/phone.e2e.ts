/**
 * The shopping path and the admin pages on a phone (390 × 844, touch): everything fits the
 * width (no sideways scrolling), buttons are big enough to tap, axe finds nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  axe,
  ConsoleWatch,
  describeViolations,
  inPage,
  launchBrowser,
  PASSWORD,
  PHONE,
  quotedTotal,
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

/** axe finds nothing, the page is no wider than the screen, and a screenshot is saved. */
async function checkPage(page: Page, name: string): Promise<void> {
  const violations = await axe(page);
  assert.equal(violations.length, 0, describeViolations(`phone ${name}`, violations));
  const [scrollWidth, innerWidth] = await inPage<[number, number]>(
    page,
    '[document.documentElement.scrollWidth, window.innerWidth]',
  );
  assert.ok(
    scrollWidth <= innerWidth,
    `phone ${name}: the page is ${scrollWidth} px wide on a ${innerWidth} px screen`,
  );
  await screenshot(page, `phone-${name}`);
}

/**
 * Buttons in `selector` are big enough to tap: at least 24 × 24 px, WCAG 2.2's "target size
 * (minimum)", which axe does not check by default.
 */
async function assertTappable(page: Page, selector: string, min = 24): Promise<void> {
  for (const target of await page.locator(selector).all()) {
    if (!(await target.isVisible())) continue;
    const box = await target.boundingBox();
    assert.ok(
      box && box.height >= min && box.width >= min,
      `${selector} "${await target.innerText()}" is ${box?.width} × ${box?.height} px`,
    );
  }
}

describe('on a phone', () => {
  test('a shopper signs up, finds a product, checks out and follows the order on a phone', async () => {
    const watch = new ConsoleWatch();
    const context = await browser.newContext(PHONE);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'phone');

    await page.goto(orderly.url + '/register');
    await page.getByLabel('Name').fill('Pat Phone');
    await page.getByLabel('Email').fill(uniqueEmail('Pat Phone'));
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).tap();
    await page.getByTestId('product-card').first().waitFor();
    await checkPage(page, '01-catalog');
    await assertTappable(page, '[data-testid=product-card] button');

    await page.getByLabel('Search products').fill('skillet');
    const card = page.getByTestId('product-card').filter({ hasText: 'Cast Iron Skillet' });
    await card.waitFor();
    await card.getByRole('link', { name: 'Cast Iron Skillet' }).tap();
    await page.getByRole('heading', { level: 1, name: 'Cast Iron Skillet' }).waitFor();
    await page.getByRole('button', { name: 'Add to cart' }).tap();
    await page.getByTestId('cart-count').filter({ hasText: /^1/ }).waitFor();
    await checkPage(page, '02-product');

    await page.goBack();
    await page.getByLabel('Search products').fill('');
    const towels = page.getByTestId('product-card').filter({ hasText: 'Linen Tea Towels' });
    await page.getByLabel('Search products').fill('towels');
    await towels.getByRole('button', { name: /Add to cart/ }).tap();
    await page.getByTestId('cart-count').filter({ hasText: /^2/ }).waitFor();

    await page.getByTestId('cart-link').tap();
    await page.getByTestId('cart-item').nth(1).waitFor();
    assert.equal(await page.getByTestId('cart-subtotal').innerText(), '$93.00');
    await checkPage(page, '03-cart');
    await assertTappable(page, '[data-testid=cart-item] button');

    await page.getByTestId('checkout-link').tap();
    await page.getByTestId('checkout-form').waitFor();
    await page.getByLabel('ZIP code').fill('9');
    await page.getByTestId('place-order').tap();
    await page.getByTestId('checkout-error').waitFor();
    await checkPage(page, '04-checkout-errors');
    await page.getByLabel('Street address').fill('55 Ocean Avenue');
    await page.getByLabel('City').fill('Santa Monica');
    await page.getByLabel('State').fill('CA');
    await page.getByLabel('ZIP code').fill('90401');
    await quotedTotal(page);
    await page.getByTestId('place-order').tap();
    await page.getByTestId('confirmation').waitFor();
    await checkPage(page, '05-confirmation');

    await page.getByRole('link', { name: 'Track this order' }).tap();
    await page.getByTestId('timeline').waitFor();
    await checkPage(page, '06-order-detail');
    await page.getByRole('link', { name: 'My orders' }).first().tap();
    await page.getByTestId('order-row').first().waitFor();
    await checkPage(page, '07-order-history');

    await context.close();
    assert.deepEqual(watch.problems, []);
  });

  test('the admin pages fit a phone screen', async () => {
    const watch = new ConsoleWatch();
    const shopper = await orderly.customer('Quinn Mobile');
    const order = await orderly.placeOrder(shopper.token, [
      { productId: (await orderly.product('Glass Carafe')).id, quantity: 1 },
    ]);
    assert.equal(order.status, 201);
    const context = await signedInContext(browser, await orderly.adminToken(), PHONE);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'phone admin');

    await page.goto(orderly.url + '/admin');
    await page.getByTestId('orders-chart').waitFor();
    await checkPage(page, '10-admin-dashboard');
    await page.goto(orderly.url + '/admin/orders');
    await page.getByTestId('admin-order-row').first().waitFor();
    await checkPage(page, '11-admin-orders');
    await page.goto(`${orderly.url}/admin/orders/${order.body.id}`);
    await page.getByTestId('timeline').waitFor();
    await checkPage(page, '12-admin-order');
    await page.goto(orderly.url + '/admin/inventory');
    await page.getByTestId('inventory-row').first().waitFor();
    await checkPage(page, '13-admin-inventory');
    await page.goto(orderly.url + '/admin/mailbox');
    await page.getByTestId('message-item').first().waitFor();
    await page.getByTestId('message-item').first().tap();
    await page.getByTestId('email-frame').waitFor();
    await checkPage(page, '14-admin-mailbox');

    await context.close();
    assert.deepEqual(watch.problems, []);
  });
});
