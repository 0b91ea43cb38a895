/**
 * The admin's customers: the admin finds a customer by name, sorts by total spent, opens their
 * page (lifetime value net of a refund, saved address, orders) and follows an order to its page;
 * the order search finds orders by customer name and by product. Also on a phone.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  assertAccessible,
  ConsoleWatch,
  DESKTOP,
  eventually,
  launchBrowser,
  PHONE,
  RAW_OUTPUT,
  screenshot,
  signedInContext,
  startOrderly,
  visibleText,
  type Orderly,
} from './harness.ts';

let orderly: Orderly;
let browser: Browser;
let quinn: { email: string; token: string; name: string };
let quinnOrder: { id: string; total: number };
/** minor units: what Quinn paid for both orders, less the refund */
let lifetimeValue: number;

before(async () => {
  [orderly, browser] = await Promise.all([startOrderly(), launchBrowser()]);
  const admin = await orderly.adminToken();
  const [tote, skillet, candle] = await Promise.all(
    ['Canvas Tote', 'Cast Iron Skillet', 'Beeswax Candle'].map((n) => orderly.product(n)),
  );
  // other customers, so the list has something to search through and sort
  for (const [name, productId, quantity] of [
    ['Ava Archer', skillet.id, 2],
    ['Ben Baker', tote.id, 1],
    ['Cleo Cruz', candle.id, 3],
  ] as const) {
    const who = await orderly.customer(name);
    const placed = await orderly.placeOrder(who.token, [{ productId, quantity }]);
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
  }

  quinn = await orderly.customer('Quinn Quarry');
  const address = await orderly.api('POST', '/account/addresses', {
    token: quinn.token,
    body: {
      label: 'Home',
      street: '42 Harbour Road',
      city: 'Portland',
      state: 'OR',
      zip: '97201',
      country: 'US',
    },
  });
  assert.equal(address.status, 201, JSON.stringify(address.body));
  const first = await orderly.placeOrder(quinn.token, [{ productId: tote.id, quantity: 1 }]);
  const second = await orderly.placeOrder(quinn.token, [{ productId: candle.id, quantity: 2 }]);
  assert.equal(first.status, 201);
  assert.equal(second.status, 201);
  quinnOrder = second.body;
  const refund = await orderly.api('POST', `/admin/orders/${first.body.id}/refund`, {
    token: admin,
    body: { amount: 5, reason: 'Scuffed on arrival' },
  });
  assert.equal(refund.status, 200, JSON.stringify(refund.body));
  lifetimeValue = Math.round(first.body.total * 100) + Math.round(second.body.total * 100) - 500;
});

after(async () => {
  await browser?.close();
  await orderly?.stop();
});

const adminNav = (page: Page) => page.getByRole('navigation', { name: 'Admin' });
/** Waits until the list shows `n` rows (a debounced search has answered). */
const rowCount = (rows: Locator, n: number) =>
  eventually(async () => ((await rows.count()) === n ? true : undefined), 5_000, `${n} row(s)`);

describe('admin customers', () => {
  test('the admin searches a customer, opens their page, sees their value and order, and opens it', async () => {
    const watch = new ConsoleWatch();
    const context = await signedInContext(browser, await orderly.adminToken(), DESKTOP);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'admin');

    await page.goto(orderly.url + '/admin');
    await adminNav(page).getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
    const rows = page.getByTestId('customer-row');
    await rows.first().waitFor();
    // the four who ordered here, and the demo's two shoppers (one order in two parcels, one returned)
    assert.equal(await rows.count(), 6, 'the six customers who paid');
    assert.equal(await rows.first().getByRole('link').innerText(), 'Quinn Quarry', 'the latest order first');
    await assertAccessible(page, 'customers');
    await screenshot(page, 'customers-01-list');

    // biggest spender first: the list from the API in the same order
    await page.getByTestId('customers-sort').selectOption('totalSpent');
    const bySpent = await orderly.api<{ items: Array<{ name: string }> }>(
      'GET',
      '/admin/customers?sort=totalSpent',
      { token: await orderly.adminToken() },
    );
    const expected = bySpent.body.items.map((c) => c.name);
    await eventually(
      async () => ((await rows.first().getByRole('link').innerText()) === expected[0] ? true : undefined),
      5_000,
      'the list sorted by total spent',
    );
    assert.deepEqual(await rows.getByRole('link').allInnerTexts(), expected);
    await screenshot(page, 'customers-02-by-total-spent');

    // search by part of the name, any case
    await page.getByTestId('customers-search').fill('QUARRY');
    await rowCount(rows, 1);
    const row = rows.first();
    assert.equal(await row.getByRole('link').innerText(), 'Quinn Quarry');
    assert.match(await row.innerText(), new RegExp(quinn.email.replace('.', '\\.')));
    await screenshot(page, 'customers-03-search');

    await row.getByRole('link', { name: 'Quinn Quarry' }).click();
    await page.getByRole('heading', { name: 'Quinn Quarry', level: 1 }).waitFor();
    // two orders paid, 5.00 refunded on the first: the value shown is what was paid, less that
    assert.equal(await page.getByTestId('orders-count').innerText(), '2');
    const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
    assert.equal(await page.getByTestId('lifetime-value').innerText(), usd.format(lifetimeValue / 100));
    assert.match(
      await page.getByTestId('customer-addresses').innerText(),
      /42 Harbour Road, Portland, OR 97201/,
    );
    const orderRows = page.getByTestId('customer-order-row');
    assert.equal(await orderRows.count(), 2);
    assert.equal(await orderRows.first().getAttribute('data-order-id'), quinnOrder.id, 'newest first');
    assert.doesNotMatch(await visibleText(page), RAW_OUTPUT);
    await assertAccessible(page, 'customer page');
    await screenshot(page, 'customers-04-customer');

    // the order's link opens the admin's order page, whose customer link comes back here
    await orderRows.first().getByRole('link').click();
    await page.getByTestId('admin-order').waitFor();
    assert.ok(page.url().endsWith(`/admin/orders/${quinnOrder.id}`));
    await page.getByTestId('admin-customer').getByRole('link', { name: 'Quinn Quarry' }).click();
    await page.getByRole('heading', { name: 'Quinn Quarry', level: 1 }).waitFor();

    assert.deepEqual(watch.problems, []);
    await context.close();
  });

  test('the order search finds orders by customer name and by product name', async () => {
    const watch = new ConsoleWatch();
    const context = await signedInContext(browser, await orderly.adminToken(), DESKTOP);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'admin');
    await page.goto(orderly.url + '/admin/orders');
    const rows = page.getByTestId('admin-order-row');
    await rows.first().waitFor();

    await page.getByTestId('orders-search').fill('quinn');
    await rowCount(rows, 2);
    for (const text of await rows.allInnerTexts()) assert.ok(text.includes(quinn.email), text);
    await screenshot(page, 'customers-05-order-search-by-name');

    await page.getByTestId('orders-search').fill('skillet');
    await rowCount(rows, 1);
    assert.match(await rows.first().innerText(), /ava\.archer@example\.com/);
    await screenshot(page, 'customers-06-order-search-by-product');
    assert.deepEqual(watch.problems, []);
    await context.close();
  });

  test('on a phone, the list and a customer page read as cards', async () => {
    const watch = new ConsoleWatch();
    const context = await signedInContext(browser, await orderly.adminToken(), PHONE);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'admin-phone');
    await page.goto(orderly.url + '/admin/customers?search=quinn');
    await page.getByTestId('customer-row').first().waitFor();
    await screenshot(page, 'customers-07-phone-list');
    await page.getByRole('link', { name: 'Quinn Quarry' }).click();
    await page.getByTestId('customer-figures').waitFor();
    await assertAccessible(page, 'customer page on a phone');
    await screenshot(page, 'customers-08-phone-customer');
    const overflow = await page.evaluate('document.documentElement.scrollWidth > window.innerWidth');
    assert.equal(overflow, false, 'nothing wider than the screen');
    assert.deepEqual(watch.problems, []);
    await context.close();
  });
});
