/**
 * Orders people can talk about and trust (issue 13): the shopper sees and confirms what a change
 * costs before it is charged, the order page follows the shop's shipping live, and the order
 * number (#1001…) is the one the admin sees and finds. Desktop and phone screenshots.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  ConsoleWatch,
  inPage,
  launchBrowser,
  PHONE,
  screenshot,
  signedInContext,
  startOrderly,
  type Orderly,
  assertAccessible,
} from './harness.ts';

let orderly: Orderly;
let shopperBrowser: Browser;
let adminBrowser: Browser;

before(async () => {
  [orderly, shopperBrowser, adminBrowser] = await Promise.all([
    startOrderly(),
    launchBrowser(),
    launchBrowser(),
  ]);
});

after(async () => {
  await shopperBrowser?.close();
  await adminBrowser?.close();
  await orderly?.stop();
});

interface OrderJson {
  id: string;
  orderNumber: number;
  total: number;
  status: string;
  payment: { amountPaid: number };
  items: Array<{ productId: string; quantity: number }>;
}

async function orderOf(token: string, id: string): Promise<OrderJson> {
  const res = await orderly.api<OrderJson>('GET', `/orders/${id}`, { token });
  assert.equal(res.status, 200);
  return res.body;
}

/** A confirmed order of one line, placed through the API, and the shopper's signed-in page on it. */
async function shopperWithOrder(name: string, productName: string, viewport = {}) {
  const customer = await orderly.customer(name);
  const product = await orderly.product(productName);
  const placed = await orderly.placeOrder(customer.token, [{ productId: product.id, quantity: 1 }]);
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  const context = await signedInContext(shopperBrowser, customer.token, viewport);
  const page = await context.newPage();
  return { customer, product, order: await orderOf(customer.token, placed.body.id), context, page };
}

describe('order pages', () => {
  test('a change shows its price first; going back changes nothing; confirming charges exactly that', async () => {
    const { customer, order, context, page } = await shopperWithOrder('Carla Change', 'Oak Cutting Board');
    const watch = new ConsoleWatch();
    watch.attach(page, 'shopper');
    const patches: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'PATCH' && r.url().includes(`/api/v1/orders/${order.id}`)) patches.push(r.url());
    });
    await page.goto(`${orderly.url}/orders/${order.id}`);
    await page.getByRole('heading', { name: `Order #${order.orderNumber}` }).waitFor();

    await page.getByRole('button', { name: 'Change order' }).click();
    await page.getByLabel('Oak Cutting Board', { exact: true }).fill('3');
    await page.getByRole('button', { name: 'Review changes' }).click();
    const dialog = page.getByTestId('change-confirm');
    await dialog.getByTestId('change-quote').waitFor();
    const sentence = await dialog.getByTestId('change-quote-sentence').innerText();
    const shown = /costs \$([\d,.]+) more/.exec(sentence)?.[1];
    assert.ok(shown, `the amount is stated: ${sentence}`);
    const extra = Number(shown.replace(/,/g, ''));
    assert.ok(extra > 0);
    assert.match(sentence, /pay \$[\d,.]+ with Visa ending 4242/);
    await screenshot(page, 'orders-01-change-quote');
    await assertAccessible(page, 'change quote');

    // going back: nothing sent, nothing charged
    await dialog.getByRole('button', { name: 'Go back' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.deepEqual(patches, []);
    const untouched = await orderOf(customer.token, order.id);
    assert.equal(untouched.total, order.total);
    assert.equal(untouched.payment.amountPaid, order.payment.amountPaid);

    // confirming: the amount shown is the amount charged, and the timeline says so
    await page.getByRole('button', { name: 'Review changes' }).click();
    await dialog.getByRole('button', { name: `Pay $${shown}` }).click();
    await page.getByText('Your order was updated.').first().waitFor();
    assert.equal(patches.length, 1);
    const changed = await orderOf(customer.token, order.id);
    assert.equal(changed.items[0]?.quantity, 3);
    assert.equal(
      Math.round((changed.payment.amountPaid - order.payment.amountPaid) * 100),
      Math.round(extra * 100),
    );
    await page
      .getByTestId('timeline')
      .getByText(new RegExp(`Payment of \\$${shown.replace('.', '\\.')} received for the change`))
      .waitFor();
    await screenshot(page, 'orders-02-changed');
    await assertAccessible(page, 'changed order');
    assert.deepEqual(watch.problems, []);
    await context.close();
  });

  test("the shop ships in another browser: the shopper's open page shows Shipped, without Cancel or a reload", async () => {
    const { order, context, page } = await shopperWithOrder('Sam Shipping', 'Wall Calendar');
    const watch = new ConsoleWatch();
    watch.attach(page, 'shopper');
    const stream = page.waitForResponse(
      (r) => r.url().includes('/api/v1/events/my-orders') && r.status() === 200,
    );
    await page.goto(`${orderly.url}/orders/${order.id}`);
    await stream;
    await page.getByRole('button', { name: 'Cancel order' }).waitFor();
    await page.evaluate('window.__e2eMark = "same document"');

    const admin = await signedInContext(adminBrowser, await orderly.adminToken());
    const adminPage = await admin.newPage();
    await adminPage.goto(`${orderly.url}/admin/orders/${order.id}`);
    await adminPage.getByRole('heading', { name: `Order #${order.orderNumber}` }).waitFor();
    await adminPage.getByTestId('admin-customer').getByText('Sam Shipping').waitFor();
    await adminPage.getByTestId('shipping-address').getByText('Sam Shipping').waitFor();
    await screenshot(adminPage, 'orders-03-admin-order');
    await assertAccessible(adminPage, 'admin order');
    await adminPage.getByLabel('Tracking number').fill('1Z999AA10123456784');
    await adminPage.getByRole('button', { name: 'Create shipment' }).click();
    await adminPage.getByTestId('shipment-confirm').getByRole('button', { name: 'Ship parcel' }).click();
    await adminPage.getByTestId('admin-order').getByText('Shipped').first().waitFor();

    await page.getByTestId('shipping-notice').getByText('On its way').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Cancel order' }).count(), 0);
    assert.equal(await inPage(page, 'window.__e2eMark'), 'same document', 'no reload');
    await screenshot(page, 'orders-04-shopper-shipped');
    await assertAccessible(page, 'shopper order, shipped');

    await adminPage.getByRole('button', { name: 'Mark as delivered' }).click();
    await page.getByTestId('shipping-notice').getByText('Delivered').waitFor();
    assert.equal(await page.getByText('On its way').count(), 0, 'a delivered order never reads "On its way"');
    assert.deepEqual(watch.problems, []);
    await admin.close();
    await context.close();
  });

  test('the order number is on the phone: list, detail, and the admin finds it by #number', async () => {
    const { order, context, page } = await shopperWithOrder('Nina Number', 'Merino Crew Sweater', PHONE);
    await page.goto(`${orderly.url}/orders`);
    await page.getByRole('link', { name: `Order #${order.orderNumber}` }).click();
    await page.getByRole('heading', { name: `Order #${order.orderNumber}` }).waitFor();
    await screenshot(page, 'orders-05-phone-detail');
    await assertAccessible(page, 'order on a phone');

    const found = await orderly.api<{ items: Array<{ id: string }> }>(
      'GET',
      `/admin/orders?q=${encodeURIComponent(`#${order.orderNumber}`)}`,
      { token: await orderly.adminToken() },
    );
    assert.deepEqual(
      found.body.items.map((o) => o.id),
      [order.id],
    );
    const admin = await signedInContext(adminBrowser, await orderly.adminToken());
    const adminPage = await admin.newPage();
    await adminPage.goto(`${orderly.url}/admin/orders`);
    await adminPage.getByLabel('Search').fill(`#${order.orderNumber}`);
    await adminPage.getByRole('link', { name: `#${order.orderNumber}` }).waitFor();
    await screenshot(adminPage, 'orders-06-admin-search');
    await assertAccessible(adminPage, 'admin search');
    await admin.close();
    await context.close();
  });
});
