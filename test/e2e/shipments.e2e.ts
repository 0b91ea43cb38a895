/**
 * A partial shipment through the admin's shipment form: one of two cutting boards leaves from the
 * second stock location after a confirmation that says what leaves from where, and the order is
 * partly shipped; the other leaves from the default location and the order is shipped. The
 * shopper's order page shows both parcels, and the API agrees on where each left from.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  assertAccessible,
  ConsoleWatch,
  DESKTOP,
  launchBrowser,
  RAW_OUTPUT,
  screenshot,
  signedInContext,
  startOrderly,
  visibleText,
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

describe('shipments', () => {
  test('the admin ships one of two cutting boards from the second location, then the other; the shopper sees two parcels', async () => {
    const watch = new ConsoleWatch();
    const board = await orderly.product('Oak Cutting Board');
    const active = await orderly.activeLocations();
    const [main, east] = active;
    assert.ok(main && east, JSON.stringify(active));
    const atEast = await orderly.stockAt(east.id, board.id);
    assert.ok(atEast && atEast.onHand - atEast.reserved >= 1, `${east.name} has a cutting board to ship`);

    const shopper = await orderly.customer('Parker Parcels');
    const placed = await orderly.placeOrder(shopper.token, [{ productId: board.id, quantity: 2 }]);
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    const orderId = placed.body.id;

    const context = await signedInContext(browser, admin, DESKTOP);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'admin');
    await page.goto(`${orderly.url}/admin/orders/${orderId}`);
    await page.getByTestId('admin-order').waitFor();
    const ship = page.getByTestId('action-ship');
    const from = ship.getByTestId('shipment-location');
    assert.equal(await from.locator('option:checked').textContent(), main.name, 'the highest priority first');

    // the first parcel: one board, from the second location
    await ship.getByLabel(`${board.name} — 2 to ship`).fill('1');
    await from.selectOption({ label: east.name });
    await ship.getByLabel('Carrier').fill('UPS');
    await ship.getByLabel('Tracking number').fill('1Z999AA10123456784');
    await screenshot(page, 'shipments-01-form');
    await ship.getByRole('button', { name: 'Create shipment' }).click();
    const confirm = page.getByTestId('shipment-confirm');
    await confirm
      .getByRole('heading', { name: `Ship 1 × ${board.name} from ${east.name} with UPS 1Z999AA10123456784?` })
      .waitFor();
    assert.match(
      await confirm.getByTestId('shipment-sentence').innerText(),
      new RegExp(`Still to ship after this parcel: 1 × ${board.name}\\.`),
    );
    await assertAccessible(page, 'the shipment confirmation');
    await screenshot(page, 'shipments-02-confirm', false);
    await confirm.getByRole('button', { name: 'Ship parcel' }).click();
    await page.getByTestId('order-status').first().filter({ hasText: 'Partly shipped' }).waitFor();
    const parcels = page.getByTestId('admin-shipments').getByTestId('shipment');
    await parcels
      .filter({ hasText: `from ${east.name}` })
      .filter({ hasText: `1 × ${board.name}` })
      .waitFor();
    await screenshot(page, 'shipments-03-partly-shipped');
    assert.doesNotMatch(await visibleText(page), RAW_OUTPUT);

    // the rest: the form now offers the one board left, from the default location again
    await ship.getByLabel(`${board.name} — 1 to ship`).waitFor();
    assert.equal(await from.locator('option:checked').textContent(), main.name);
    await ship.getByLabel('Carrier').fill('DHL');
    await ship.getByLabel('Tracking number').fill('JD0146000013');
    await ship.getByRole('button', { name: 'Create shipment' }).click();
    await confirm
      .getByRole('heading', { name: `Ship 1 × ${board.name} from ${main.name} with DHL JD0146000013?` })
      .waitFor();
    await confirm.getByText('Nothing is left to ship after it.').waitFor();
    await confirm.getByRole('button', { name: 'Ship parcel' }).click();
    await page
      .getByTestId('order-status')
      .first()
      .filter({ hasText: /^Shipped$/ })
      .waitFor();
    await parcels
      .filter({ hasText: `from ${main.name}` })
      .filter({ hasText: 'JD0146000013' })
      .waitFor();
    await page.getByTestId('action-ship-reason').waitFor();
    // each parcel has its own packing slip
    const [slip] = await Promise.all([
      page.waitForEvent('download'),
      parcels.filter({ hasText: 'JD0146000013' }).getByTestId('download-shipment-packing-slip').click(),
    ]);
    assert.match(slip.suggestedFilename(), /^packing-slip-\d+-2\.pdf$/);
    await screenshot(page, 'shipments-04-shipped');
    await assertAccessible(page, 'the admin order page, shipped in two parcels');

    const shipments = await orderly.api<{
      items: Array<{ number: number; location: { name: string }; lines: Array<{ quantity: number }> }>;
    }>('GET', `/orders/${orderId}/shipments`, { token: admin });
    assert.deepEqual(
      shipments.body.items.map((s) => [s.number, s.location.name, s.lines.map((l) => l.quantity)]),
      [
        [1, east.name, [1]],
        [2, main.name, [1]],
      ],
    );

    // the shopper's order page: two parcels, each with its tracking
    const shopperContext = await signedInContext(browser, shopper.token, DESKTOP);
    shopperContext.setDefaultTimeout(10_000);
    const shopperPage = watch.attach(await shopperContext.newPage(), 'shopper');
    await shopperPage.goto(`${orderly.url}/orders/${orderId}`);
    const shopperParcels = shopperPage.getByTestId('order-shipments');
    await shopperParcels.getByRole('heading', { name: 'Shipments (2)' }).waitFor();
    assert.equal(await shopperParcels.getByTestId('order-shipment').count(), 2);
    await shopperParcels.getByTestId('order-shipment').filter({ hasText: '1Z999AA10123456784' }).waitFor();
    await shopperParcels.getByTestId('order-shipment').filter({ hasText: 'JD0146000013' }).waitFor();
    await screenshot(shopperPage, 'shipments-05-shopper');
    await assertAccessible(shopperPage, 'the shopper’s order in two parcels');
    assert.deepEqual(watch.problems, []);
    await shopperContext.close();
    await context.close();
  });
});
