/**
 * The admin dashboard: sign in, the day's figures, find an order by search, ship it with a
 * tracking number (and the shopper sees it), inventory with replenishment, the mailbox.
 * A handful of orders is placed through the API first, so the pages have something to show.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  ADMIN,
  ConsoleWatch,
  DESKTOP,
  eventually,
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
let shopper: { email: string; token: string; name: string };
let orderId: string;

before(async () => {
  [orderly, browser] = await Promise.all([startOrderly(), launchBrowser()]);
  const admin = await orderly.adminToken();
  const [tote, candle, pen, skillet, coffee] = await Promise.all(
    ['Canvas Tote', 'Beeswax Candle', 'Brass Pen', 'Cast Iron Skillet', 'House Blend Coffee, 250 g'].map(
      (n) => orderly.product(n),
    ),
  );
  // other customers' orders: confirmed, shipped, delivered, cancelled, one declined card
  const others = await Promise.all(
    ['Ava Archer', 'Ben Baker', 'Cleo Cruz', 'Dev Dutta'].map((n) => orderly.customer(n)),
  );
  const placed = [];
  placed.push(await orderly.placeOrder(others[0]!.token, [{ productId: skillet.id, quantity: 1 }]));
  placed.push(await orderly.placeOrder(others[1]!.token, [{ productId: coffee.id, quantity: 4 }]));
  placed.push(await orderly.placeOrder(others[2]!.token, [{ productId: pen.id, quantity: 2 }]));
  placed.push(await orderly.placeOrder(others[3]!.token, [{ productId: candle.id, quantity: 3 }]));
  const declined = await orderly.placeOrder(
    others[0]!.token,
    [{ productId: pen.id, quantity: 1 }],
    'tok_chargeDeclined',
  );
  assert.equal(declined.status, 402);
  for (const p of placed) assert.equal(p.status, 201, JSON.stringify(p.body));
  const [a, b, c] = placed.map((p) => p.body.id);
  assert.ok(a && b && c);
  await orderly.ship(a, '1Z0000000000000001');
  await orderly.shipAndDeliver(b, '1Z0000000000000002');
  const cancelled = await orderly.api('POST', `/admin/orders/${c}/cancel`, {
    token: admin,
    body: { reason: 'Customer asked by phone' },
  });
  assert.equal(cancelled.status, 200);

  // the shopper whose order the admin looks for
  shopper = await orderly.customer('Robin Shopper');
  const order = await orderly.placeOrder(shopper.token, [
    { productId: tote.id, quantity: 1 },
    { productId: candle.id, quantity: 2 },
  ]);
  assert.equal(order.status, 201);
  orderId = order.body.id;
});

after(async () => {
  await browser?.close();
  await orderly?.stop();
});

const adminNav = (page: Page) => page.getByRole('navigation', { name: 'Admin' });

describe('admin dashboard', () => {
  test('an admin signs in, finds the order by search and ships it; the shopper sees "shipped" and the tracking number', async () => {
    const watch = new ConsoleWatch();
    watch.expectStatus(401); // the wrong password on purpose
    const context = await browser.newContext(DESKTOP);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'admin');

    // sign in: a wrong password gets a sentence, the right one the dashboard
    await page.goto(orderly.url + '/admin');
    await page.getByRole('heading', { name: 'Admin sign in' }).waitFor();
    await assertAccessible(page, 'admin sign in');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in to admin' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'do not match' });
    await alert.waitFor();
    assert.doesNotMatch(await alert.innerText(), RAW_OUTPUT);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in to admin' }).click();

    // the dashboard: today's figures match the API, the chart is drawn
    await page.getByTestId('kpis').waitFor();
    await page.getByTestId('orders-chart').waitFor();
    const stats = await orderly.api<{ today: { orders: number }; successRate: number }>(
      'GET',
      '/admin/stats',
      {
        token: await orderly.adminToken(),
      },
    );
    assert.ok(stats.body.today.orders >= 5);
    assert.match(
      await page.getByTestId('kpi-today-orders').innerText(),
      new RegExp(`\\b${stats.body.today.orders}\\b`),
    );
    await page.getByTestId('low-stock-list').waitFor();
    await screenshot(page, 'admin-01-dashboard');
    await assertAccessible(page, 'admin dashboard');

    // the orders table, then a search by the shopper's email
    await adminNav(page).getByRole('link', { name: 'Orders' }).click();
    await page.getByTestId('admin-order-row').nth(4).waitFor();
    assert.ok((await page.getByTestId('admin-order-row').count()) >= 6);
    await screenshot(page, 'admin-02-orders');
    await assertAccessible(page, 'admin orders');
    await page.getByTestId('status-filter').selectOption('cancelled');
    await eventually(
      async () => {
        const statuses = await page
          .getByTestId('admin-order-row')
          .getByTestId('order-status')
          .allInnerTexts();
        return statuses.length > 0 && statuses.every((s) => /cancelled/i.test(s)) ? statuses : undefined;
      },
      5_000,
      'only cancelled orders',
    );
    await page.getByTestId('status-filter').selectOption('');
    await page.getByTestId('orders-search').fill(shopper.email);
    const row = page.locator(`[data-testid=admin-order-row][data-order-id="${orderId}"]`);
    await eventually(
      async () =>
        ((await page.getByTestId('admin-order-row').count()) === 1 && (await row.count()) === 1) || undefined,
      5_000,
      'the search to leave only the shopper’s order',
    );
    assert.match(page.url(), /q=/, 'the search is kept in the address bar');
    await screenshot(page, 'admin-03-orders-search');

    // the order page: lines, payment, timeline, and actions with reasons when not allowed
    await row.getByRole('link').first().click();
    await page.getByTestId('admin-order').waitFor();
    await page.getByTestId('timeline').waitFor();
    const lines = await page.getByTestId('order-lines').innerText();
    assert.ok(lines.includes('Canvas Tote') && lines.includes('Beeswax Candle'));
    assert.match(await page.getByTestId('order-status').first().innerText(), /confirmed/i);
    await page.getByTestId('action-deliver-reason').waitFor();
    assert.ok(
      await page
        .getByTestId('action-deliver')
        .getByRole('button', { name: 'Mark as delivered' })
        .isDisabled(),
    );
    await screenshot(page, 'admin-04-order');
    await assertAccessible(page, 'admin order page');

    // ship: the tracking number is checked before it is sent
    const ship = page.getByTestId('action-ship');
    await ship.getByLabel('Carrier').fill('UPS');
    await ship.getByLabel('Tracking number').fill('x');
    await ship.getByRole('button', { name: 'Create shipment' }).click();
    await ship.getByText('Use 4 to 40 letters').waitFor();
    const tracking = '1Z999AA10123456784';
    await ship.getByLabel('Tracking number').fill(tracking);
    await ship.getByRole('button', { name: 'Create shipment' }).click();
    // nothing leaves before the admin confirms what ships from where
    const confirm = page.getByTestId('shipment-confirm');
    const question = confirm.getByRole('heading');
    await question.waitFor();
    assert.equal(
      await question.innerText(),
      `Ship 2 × Beeswax Candle, 1 × Canvas Tote from Main warehouse with UPS ${tracking}?`,
    );
    await confirm.getByRole('button', { name: 'Ship parcel' }).click();
    await page
      .getByTestId('order-status')
      .first()
      .filter({ hasText: /shipped/i })
      .waitFor();
    assert.equal(
      await page
        .getByTestId('tracking-number')
        .innerText()
        .then((t) => t.includes(tracking)),
      true,
    );
    await page
      .getByTestId('timeline')
      .getByText(/shipped/i)
      .first()
      .waitFor();
    await page.getByTestId('action-ship-reason').waitFor();
    await screenshot(page, 'admin-05-order-shipped');
    await assertAccessible(page, 'admin order page (shipped)');
    assert.doesNotMatch(await visibleText(page), RAW_OUTPUT);

    // the shopper, in another browser context, sees the order shipped with the number
    const shopperContext = await signedInContext(browser, shopper.token);
    shopperContext.setDefaultTimeout(10_000);
    const shopperPage = watch.attach(await shopperContext.newPage(), 'shopper');
    await shopperPage.goto(`${orderly.url}/orders/${orderId}`);
    await shopperPage.getByTestId('order-detail').waitFor();
    assert.match(await shopperPage.getByTestId('order-status').first().innerText(), /shipped/i);
    assert.equal(await shopperPage.getByTestId('tracking-number-banner').innerText(), tracking);
    const steps = shopperPage.getByTestId('status-steps');
    assert.match(await steps.locator('[aria-current=step]').innerText(), /shipped/i);
    assert.equal(
      await shopperPage.getByTestId('order-actions').getByRole('button', { name: 'Cancel order' }).count(),
      0,
      'a shipped order can no longer be cancelled by the shopper',
    );
    await shopperPage.getByTestId('timeline').waitFor();
    await screenshot(shopperPage, 'admin-06-shopper-sees-shipped');
    await assertAccessible(shopperPage, 'order detail (shipped)');
    await shopperPage
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'My orders' })
      .click();
    await shopperPage
      .getByTestId('order-row')
      .first()
      .getByTestId('order-status')
      .filter({ hasText: /shipped/i })
      .waitFor();

    await shopperContext.close();
    await context.close();
    assert.deepEqual(watch.problems, []);
  });

  test('inventory shows on hand, reserved and available, highlights low stock, and replenishes', async () => {
    const watch = new ConsoleWatch();
    const context = await signedInContext(browser, await orderly.adminToken());
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'inventory');
    await page.goto(orderly.url + '/admin/inventory');
    await page.getByTestId('inventory-table').waitFor();
    assert.ok((await page.getByTestId('inventory-row').count()) >= 20);

    const duffel = page.getByTestId('inventory-row').filter({ hasText: 'Weekender Duffel' });
    assert.match((await duffel.getAttribute('class')) ?? '', /row-low/);
    await duffel.getByText('Low stock').waitFor();
    const sold = page.getByTestId('inventory-row').filter({ hasText: 'Single Origin Ethiopia' });
    await sold.getByText('Out of stock').waitFor();
    await screenshot(page, 'admin-07-inventory');
    await assertAccessible(page, 'admin inventory');

    // each row adds up: available = on hand - reserved
    for (const row of (await page.getByTestId('inventory-row').all()).slice(0, 8)) {
      const [onHand, reserved, available] = await Promise.all(
        ['on-hand', 'reserved', 'available'].map(async (id) => Number(await row.getByTestId(id).innerText())),
      );
      assert.equal(available, onHand! - reserved!);
    }

    // replenish: at a location (the demo shop has two), validated first, then saved, and the
    // low-stock highlight goes away
    await page.getByTestId('inventory-location').selectOption({ label: 'Main warehouse' });
    await duffel.getByRole('button', { name: /Save/ }).click();
    await duffel.getByRole('alert').getByText('Enter a whole number above 0.').waitFor();
    await duffel.getByLabel('Quantity for Weekender Duffel').fill('25');
    await duffel.getByRole('button', { name: /Save/ }).click();
    await duffel.getByTestId('on-hand').filter({ hasText: /^27$/ }).waitFor();
    await eventually(async () =>
      /row-low/.test((await duffel.getAttribute('class')) ?? '') ? undefined : true,
    );
    const level = await orderly.api<{ items: Array<{ name: string; onHand: number }> }>(
      'GET',
      '/admin/inventory?search=Weekender',
      { token: await orderly.adminToken() },
    );
    assert.equal(level.body.items[0]?.onHand, 27, 'the server has the new stock level');

    await page.getByRole('button', { name: 'New product' }).click();
    await page.getByTestId('new-product-form').waitFor();
    await assertAccessible(page, 'admin inventory (new product form)');
    await context.close();
    assert.deepEqual(watch.problems, []);
  });

  test('the mailbox lists the messages sent, previews one and resends it', async () => {
    const watch = new ConsoleWatch();
    const context = await signedInContext(browser, await orderly.adminToken());
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'mailbox');
    await page.goto(orderly.url + '/admin/mailbox');
    const mine = page.getByTestId('message-item').filter({ hasText: shopper.email });
    await eventually(
      async () => {
        if ((await mine.count()) > 0) return true;
        await page.getByRole('button', { name: 'Refresh' }).click();
        await page.waitForTimeout(500);
        return undefined;
      },
      10_000,
      'a message to the shopper',
    );
    await mine.first().click();
    await page.getByTestId('message-preview').getByText(shopper.email).waitFor();
    await page.getByTestId('email-frame').waitFor();
    const frame = page.frameLocator('[data-testid=email-frame]');
    await frame.locator('body').getByText(/order/i).first().waitFor();
    await screenshot(page, 'admin-08-mailbox');
    await assertAccessible(page, 'admin mailbox');
    await page.getByTestId('resend').click();
    await page
      .getByTestId('toasts')
      .getByText(/queued to be sent again|Sending failed again/)
      .waitFor();
    await context.close();
    assert.deepEqual(watch.problems, []);
  });

  test('orders placed within the same minute get different order numbers', async () => {
    const context = await signedInContext(browser, await orderly.adminToken());
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await page.goto(orderly.url + '/admin/orders');
    await page.getByTestId('admin-order-row').nth(4).waitFor();
    const numbers = await page.getByTestId('admin-order-row').locator('td:first-child a').allInnerTexts();
    await context.close();
    assert.equal(new Set(numbers).size, numbers.length, `order numbers shown: ${numbers.join(', ')}`);
  });
});
