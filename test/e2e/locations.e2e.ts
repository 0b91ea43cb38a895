/**
 * Stock locations in the admin: the demo's two locations are listed, the admin adds "North shop",
 * moves units of a product there through the confirm dialog, and sees the stock at each
 * location on the inventory page; the API agrees at every step.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  assertAccessible,
  ConsoleWatch,
  DESKTOP,
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

const onHandAt = async (locationId: string, variantId: string) =>
  (await orderly.stockAt(locationId, variantId))?.onHand;

describe('stock locations', () => {
  test('the admin adds a location, moves stock there after confirming, and sees both inventories', async () => {
    const watch = new ConsoleWatch();
    const context = await signedInContext(browser, admin, DESKTOP);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'admin');

    await page.goto(orderly.url + '/admin/locations');
    await page.getByRole('heading', { name: 'Stock locations', level: 1 }).waitFor();
    await page.getByTestId('location-row').filter({ hasText: 'East depot' }).waitFor();
    const form = page.getByRole('form', { name: 'Add a location' });
    await form.getByLabel('Name').fill('North shop');
    await form.getByLabel('Code').fill('north');
    await form.getByRole('button', { name: 'Add location' }).click();
    await page.getByTestId('location-row').filter({ hasText: 'North shop' }).waitFor();
    await screenshot(page, 'locations-01-list');
    await assertAccessible(page, 'locations');

    const locations = await orderly.api<{ items: Array<{ id: string; code: string; name: string }> }>(
      'GET',
      '/admin/stock-locations',
      { token: admin },
    );
    const main = locations.body.items.find((l) => l.code === 'MAIN');
    const north = locations.body.items.find((l) => l.code === 'NORTH');
    assert.ok(main && north, JSON.stringify(locations.body));
    const mug = await orderly.product('Stoneware Mug, Sand');
    const before = await onHandAt(main.id, mug.id);
    assert.ok(before !== undefined && before >= 3);

    await page.goto(`${orderly.url}/admin/inventory?location=${main.id}`);
    await page.getByTestId('inventory-table').waitFor();
    const transfer = page.getByTestId('transfer-form');
    await transfer.getByTestId('transfer-to').selectOption({ label: 'North shop' });
    await transfer.getByTestId('transfer-product').selectOption(mug.id);
    await transfer.getByTestId('transfer-quantity').fill('3');
    await transfer.getByRole('button', { name: 'Review the move' }).click();
    const dialog = page.getByTestId('transfer-dialog');
    await dialog.getByText(`3 × ${mug.name} from Main warehouse to North shop`).waitFor();
    await screenshot(page, 'locations-02-confirm', false);
    await dialog.getByRole('button', { name: 'Move stock' }).click();
    await page.getByText(`Moved 3 × ${mug.name} from Main warehouse to North shop.`).waitFor();
    assert.equal(await onHandAt(north.id, mug.id), 3);
    assert.equal(await onHandAt(main.id, mug.id), before - 3);

    await page.getByTestId('inventory-location').selectOption({ label: 'North shop' });
    await page.getByTestId('inventory-search').fill(mug.name);
    const row = page.getByTestId('inventory-row').filter({ hasText: mug.name });
    await row.getByTestId('on-hand').filter({ hasText: /^3$/ }).waitFor();
    await screenshot(page, 'locations-03-north-inventory');
    await page.getByTestId('inventory-location').selectOption({ label: 'Main warehouse' });
    await row
      .getByTestId('on-hand')
      .filter({ hasText: new RegExp(`^${before - 3}$`) })
      .waitFor();
    await assertAccessible(page, 'inventory at a location');

    const phone = watch.attach(await (await signedInContext(browser, admin, PHONE)).newPage(), 'phone');
    await phone.goto(orderly.url + '/admin/locations');
    await phone.getByTestId('location-row').filter({ hasText: 'North shop' }).waitFor();
    await screenshot(phone, 'locations-04-phone');
    assert.deepEqual(watch.problems, []);
  });
});
