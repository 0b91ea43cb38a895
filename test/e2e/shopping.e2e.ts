/**
 * The storefront on a desktop screen: sign up, browse and search, two products into the cart,
 * checkout with a declined card and with tok_visa, confirmation, order history and order detail.
 * axe-core checks every page on the way; the browser console must stay clean.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  ConsoleWatch,
  DESKTOP,
  eventually,
  inPage,
  launchBrowser,
  PASSWORD,
  quotedTotal,
  RAW_OUTPUT,
  screenshot,
  signedInContext,
  startOrderly,
  uniqueEmail,
  visibleText,
  type Orderly,
  assertAccessible,
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

async function fillAddress(page: Page): Promise<void> {
  await page.getByLabel('Street address').fill('742 Evergreen Terrace');
  await page.getByLabel('City').fill('Springfield');
  await page.getByLabel('State').fill('IL');
  await page.getByLabel('ZIP code').fill('62704');
}

/** The catalog card of the product called `name` (found through the search box). */
async function searchCard(page: Page, name: string) {
  await page.getByLabel('Search products').fill(name);
  const card = page.getByTestId('product-card').filter({ hasText: name });
  await card.waitFor();
  return card;
}

describe('storefront: shopping on a desktop', () => {
  test('a shopper signs up, adds two products, checks out with tok_visa, sees the confirmation and the order in their history', async () => {
    const watch = new ConsoleWatch();
    const context = await browser.newContext(DESKTOP);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'shopper');
    const checkoutCalls: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/v1/cart/checkout')) checkoutCalls.push(r.method());
    });

    // the catalog, signed out: prices and stock badges, no add-to-cart yet
    await page.goto(orderly.url + '/');
    await page.getByTestId('product-card').first().waitFor();
    assert.ok((await page.getByTestId('product-card').count()) >= 8, 'the catalog lists the demo products');
    const cards = await page.getByTestId('product-card').all();
    for (const card of cards) {
      assert.match(await card.locator('.product-price').innerText(), /^(from )?\$\d+\.\d{2}$/);
      assert.equal(await card.getByTestId('stock-badge').count(), 1);
    }
    await screenshot(page, 'store-01-catalog');
    await assertAccessible(page, 'catalog');

    // low stock and sold out are badged, and a sold-out product cannot be added
    const sweater = await searchCard(page, 'Merino Crew Sweater');
    assert.equal(await sweater.getByTestId('stock-badge').innerText(), 'Only 3 left');
    const soldOut = await searchCard(page, 'Single Origin Ethiopia');
    assert.equal(await soldOut.getByTestId('stock-badge').innerText(), 'Out of stock');
    assert.ok(await soldOut.getByRole('button', { name: /Out of stock/ }).isDisabled());

    // search narrows the list and keeps the query in the address bar
    await page.getByLabel('Search products').fill('stoneware');
    await page.waitForURL(/\?q=stoneware/);
    const mugs = await eventually(
      async () => {
        const names = await page.getByTestId('product-card').locator('h2').allInnerTexts();
        return names.every((n) => /stoneware/i.test(n)) ? names : undefined;
      },
      5_000,
      'the search results',
    );
    assert.deepEqual(mugs.sort(), ['Stoneware Mug, Ink', 'Stoneware Mug, Sand']);
    await page.getByLabel('Search products').fill('no such thing zzz');
    await page.getByText('No products match').waitFor();
    await screenshot(page, 'store-02-search-empty');
    await page.getByLabel('Search products').fill('');

    // sign up, validated before it is sent
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Create account' })
      .click();
    await page.getByRole('heading', { name: 'Create an account' }).waitFor();
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.locator('[aria-invalid="true"]').first().waitFor();
    assert.ok((await page.locator('[aria-invalid="true"]').count()) >= 3, 'empty fields are flagged');
    await screenshot(page, 'store-03-sign-up-errors');
    await assertAccessible(page, 'sign up (with errors)');
    const email = uniqueEmail('Sam Shopper');
    await page.getByLabel('Name').fill('Sam Shopper');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByText('Sam Shopper').waitFor();
    assert.equal(
      await page
        .getByTestId('cart-count')
        .innerText()
        .then((t) => t.split(/\s/)[0]),
      '0',
    );

    // first product: from its own page, quantity 2
    const tote = await searchCard(page, 'Canvas Tote');
    await tote.getByRole('link', { name: 'Canvas Tote' }).click();
    await page.getByRole('heading', { level: 1, name: 'Canvas Tote' }).waitFor();
    await page.getByText('$32.00').first().waitFor();
    await page.getByLabel('Quantity').fill('2');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByTestId('toasts').getByText('Added 2 × Canvas Tote').waitFor();
    await screenshot(page, 'store-04-product');
    await assertAccessible(page, 'product page');

    // second product: straight from the catalog card
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Shop' }).click();
    const candle = await searchCard(page, 'Beeswax Candle');
    await candle.getByRole('button', { name: /Add to cart/ }).click();
    await page.getByTestId('toasts').getByText('Added 1 × Beeswax Candle').waitFor();
    await page.getByTestId('cart-count').filter({ hasText: /^3/ }).waitFor();

    // the cart: both lines, the subtotal, and it lives on the server
    await page.getByTestId('cart-link').click();
    await page.getByTestId('cart-item').nth(1).waitFor();
    const lines = await page.getByTestId('cart-item').allInnerTexts();
    assert.equal(lines.length, 2);
    assert.ok(
      lines.some((l) => l.includes('Canvas Tote')) && lines.some((l) => l.includes('Beeswax Candle')),
    );
    assert.equal(await page.getByTestId('cart-subtotal').innerText(), '$86.00');
    await screenshot(page, 'store-05-cart');
    await assertAccessible(page, 'cart');

    // checkout: the form checks the address before anything is sent
    await page.getByTestId('checkout-link').click();
    await page.getByTestId('checkout-form').waitFor();
    await fillAddress(page);
    const cardOptions = await page.getByTestId('card-select').locator('option').allInnerTexts();
    assert.ok(
      cardOptions.some((o) => /declined/i.test(o)),
      'the card field lists the sandbox test cards',
    );
    await screenshot(page, 'store-06-checkout');
    await assertAccessible(page, 'checkout');
    await page.getByLabel('Street address').fill('');
    await page.getByLabel('ZIP code').fill('12');
    await page.getByTestId('place-order').click();
    await page.getByTestId('checkout-error').getByText('Please fix the highlighted fields.').waitFor();
    assert.equal(await page.locator('[aria-invalid="true"]').count(), 2, 'street and ZIP code are flagged');
    assert.deepEqual(checkoutCalls, [], 'an invalid form is not sent');
    await screenshot(page, 'store-07-checkout-validation');
    await assertAccessible(page, 'checkout (with errors)');

    await fillAddress(page);
    await page.getByTestId('card-select').selectOption('tok_visa');
    // $86 ships free by Standard; sales tax comes on top
    const quoted = await quotedTotal(page);
    assert.notEqual(quoted, '$86.00', 'the total includes sales tax');
    await page.getByTestId('place-order').click();

    // confirmation
    await page.waitForURL(/\/orders\/[^/]+\/confirmation$/);
    const confirmation = page.getByTestId('confirmation');
    await confirmation.getByText('Thank you for your order!').waitFor();
    await confirmation.getByText('is confirmed').waitFor();
    assert.equal(await confirmation.getByTestId('order-total').innerText(), quoted);
    const orderNumber = await page.getByTestId('order-number').innerText();
    assert.match(orderNumber, /^#[0-9A-Z]{4,}/i);
    const orderId = /\/orders\/([^/]+)\/confirmation/.exec(page.url())?.[1] ?? '';
    assert.deepEqual(checkoutCalls, ['POST']);
    await page.getByTestId('cart-count').filter({ hasText: /^0/ }).waitFor();
    await screenshot(page, 'store-08-confirmation');
    await assertAccessible(page, 'confirmation');

    // order history: newest first, this order on top
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My orders' }).click();
    await page.getByTestId('order-row').first().waitFor();
    assert.equal(await page.getByTestId('order-row').count(), 1);
    const row = page.getByTestId('order-row').first();
    assert.ok((await row.innerText()).includes(orderNumber.replace('#', '')), 'the history shows the order');
    assert.match(await row.getByTestId('order-status').innerText(), /confirmed/i);
    await screenshot(page, 'store-09-order-history');
    await assertAccessible(page, 'order history');

    // order detail: lines, status steps, timeline, and the actions still allowed
    await row.getByRole('link').first().click();
    await page.waitForURL(`**/orders/${orderId}`);
    await page.getByTestId('timeline').waitFor();
    assert.match(await page.getByTestId('order-status').first().innerText(), /confirmed/i);
    const detail = await page.getByTestId('order-detail').innerText();
    assert.ok(detail.includes('Canvas Tote') && detail.includes('Beeswax Candle'));
    assert.ok(detail.includes('742 Evergreen Terrace'));
    await page.getByTestId('order-actions').getByRole('button', { name: 'Cancel order' }).waitFor();
    await screenshot(page, 'store-10-order-detail');
    await assertAccessible(page, 'order detail');

    // the cancel form, opened and closed again (the order is shipped by the admin test)
    await page.getByRole('button', { name: 'Cancel order' }).click();
    await page.getByTestId('cancel-form').waitFor();
    await assertAccessible(page, 'order detail (cancel form)');
    await page.getByRole('button', { name: 'Keep my order' }).click();

    assert.doesNotMatch(await visibleText(page), RAW_OUTPUT);
    await context.close();
    assert.deepEqual(watch.problems, []);
  });

  test('a declined card shows the decline and leaves the cart intact', async () => {
    const watch = new ConsoleWatch();
    watch.expectStatus(402); // the decline is an HTTP 402, which Chromium logs as a failed load
    const shopper = await orderly.customer('Dana Declined');
    const products = await orderly.api<{ items: Array<{ id: string; name: string; available: number }> }>(
      'GET',
      '/products?limit=100',
    );
    const pick = (name: string) => products.body.items.find((p) => p.name === name)!;
    await orderly.api('POST', '/cart/items', {
      token: shopper.token,
      body: { productId: pick('Brass Pen').id, quantity: 1 },
    });
    await orderly.api('POST', '/cart/items', {
      token: shopper.token,
      body: { productId: pick('Dot Grid Notebook').id, quantity: 3 },
    });

    const context = await signedInContext(browser, shopper.token);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'declined');
    await page.goto(orderly.url + '/cart');
    await page.getByTestId('cart-item').nth(1).waitFor();
    const cartBefore = await page.getByTestId('cart-items').innerText();
    const subtotal = await page.getByTestId('cart-subtotal').innerText();
    assert.equal(subtotal, '$96.00');

    await page.getByTestId('checkout-link').click();
    await page.getByTestId('checkout-form').waitFor();
    await fillAddress(page);
    await page.getByTestId('card-select').selectOption('tok_chargeDeclined');
    await quotedTotal(page);
    await page.getByTestId('place-order').click();
    const error = page.getByTestId('checkout-error');
    await error.waitFor();
    const message = await error.innerText();
    assert.match(message, /Your card was declined/);
    assert.doesNotMatch(message, RAW_OUTPUT);
    assert.match(page.url(), /\/checkout$/, 'the shopper stays on the checkout page');
    await screenshot(page, 'store-11-checkout-declined');
    await assertAccessible(page, 'checkout (declined)');

    // the cart is untouched: same lines, same quantities, same badge
    await page.getByTestId('cart-count').filter({ hasText: /^4/ }).waitFor();
    await page.getByRole('link', { name: 'Edit cart' }).click();
    await page.getByTestId('cart-item').nth(1).waitFor();
    assert.equal(await page.getByTestId('cart-items').innerText(), cartBefore);
    assert.equal(await page.getByTestId('cart-subtotal').innerText(), subtotal);
    const serverCart = await orderly.api<{ items: Array<{ quantity: number }> }>('GET', '/cart', {
      token: shopper.token,
    });
    assert.deepEqual(
      serverCart.body.items.map((i) => i.quantity).sort(),
      [1, 3],
      'the cart on the server is intact',
    );

    // another card goes through with the same cart
    await page.getByTestId('checkout-link').click();
    await page.getByTestId('checkout-form').waitFor();
    await page.getByTestId('card-select').selectOption('tok_mastercard');
    const quoted = await quotedTotal(page);
    await page.getByTestId('place-order').click();
    await page.getByTestId('confirmation').waitFor();
    assert.equal(await page.getByTestId('confirmation').getByTestId('order-total').innerText(), quoted);

    // the history holds the paid order only: the declined attempt was seen at checkout and is
    // kept for the shop, not listed to the shopper as a cancelled order
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My orders' }).click();
    await page.getByTestId('order-row').first().waitFor();
    const statuses = await page.getByTestId('order-row').getByTestId('order-status').allInnerTexts();
    assert.deepEqual(
      statuses.map((s) => s.toLowerCase()),
      ['confirmed'],
    );
    const everything = await orderly.api<{ items: Array<{ status: string; customerEmail: string }> }>(
      'GET',
      '/admin/orders?limit=100',
      { token: await orderly.adminToken() },
    );
    assert.deepEqual(
      everything.body.items
        .filter((o) => o.customerEmail === shopper.email)
        .map((o) => o.status)
        .sort(),
      ['cancelled', 'confirmed'],
      'the admin still sees the declined attempt',
    );

    await context.close();
    assert.deepEqual(watch.problems, []);
  });

  test('the storefront can be used with the keyboard alone', async () => {
    const watch = new ConsoleWatch();
    const context = await browser.newContext(DESKTOP);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'keyboard');
    await page.goto(orderly.url + '/login');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    // the first Tab reaches the skip link, which moves focus to the main content
    await page.keyboard.press('Tab');
    assert.match(await inPage<string>(page, 'document.activeElement.textContent'), /skip/i);
    await page.keyboard.press('Enter');
    assert.equal(await inPage<string>(page, 'document.activeElement.id'), 'main');

    // sign up with the keyboard: Tab between labelled fields, Enter submits
    await page.goto(orderly.url + '/register');
    await page.getByLabel('Name').focus();
    await page.keyboard.type('Kim Keys');
    await page.keyboard.press('Tab');
    await page.keyboard.type(uniqueEmail('Kim Keys'));
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: 'Main' }).getByText('Kim Keys').waitFor();

    // a product into the cart with Enter on its focused button
    await page.getByTestId('product-card').first().waitFor();
    const button = page
      .getByTestId('product-card')
      .first()
      .getByRole('button', { name: /Add to cart/ });
    await button.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('cart-count').filter({ hasText: /^1/ }).waitFor();
    // focus is visible: the focused control draws an outline
    const outline = await inPage<string>(page, 'getComputedStyle(document.activeElement).outlineStyle');
    assert.notEqual(outline, 'none', 'the focused button shows a focus ring');
    await screenshot(page, 'store-12-keyboard-focus', false);

    await context.close();
    assert.deepEqual(watch.problems, []);
  });
});
