/**
 * The admin exports the orders the current filters find as CSV, from the orders page, on a
 * desktop and on a phone: the file downloaded is the filtered orders, and its lines.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
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
let shipped: string;

before(async () => {
  [orderly, browser] = await Promise.all([startOrderly(), launchBrowser()]);
  const [tote, candle] = await Promise.all(['Canvas Tote', 'Beeswax Candle'].map((n) => orderly.product(n)));
  const who = await orderly.customer('Esme Export');
  const first = await orderly.placeOrder(who.token, [{ productId: tote.id, quantity: 1 }]);
  const second = await orderly.placeOrder(who.token, [
    { productId: candle.id, quantity: 2 },
    { productId: tote.id, quantity: 1 },
  ]);
  assert.equal(first.status, 201);
  assert.equal(second.status, 201);
  shipped = second.body.id;
  await orderly.ship(shipped, 'TRACK-42');
});

after(async () => {
  await browser?.close();
  await orderly?.stop();
});

async function download(page: Page, testId: string): Promise<{ name: string; rows: string[] }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = await file.path();
  const text = await readFile(path, 'utf8');
  return { name: file.suggestedFilename(), rows: text.split('\r\n').filter(Boolean) };
}

describe('CSV export from the orders page', () => {
  for (const [device, options] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    test(`on a ${device}, the export holds what the filters find`, async () => {
      const watch = new ConsoleWatch();
      const context = await signedInContext(browser, await orderly.adminToken(), {
        ...options,
        acceptDownloads: true,
      });
      context.setDefaultTimeout(10_000);
      const page = watch.attach(await context.newPage(), 'admin');
      await page.goto(`${orderly.url}/admin/orders?status=shipped`);
      await page.getByRole('heading', { name: 'Orders', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Export CSV' }).waitFor();
      await assertAccessible(page, `orders with export (${device})`);
      await screenshot(page, `exports-01-orders-${device}`);

      const orders = await download(page, 'export-orders');
      assert.match(orders.name, /^orders-\d{8}\.csv$/);
      assert.equal(orders.rows.length, 2, 'a header and the one shipped order');
      assert.match(orders.rows[0] ?? '', /^order_number,order_id,created_at/);
      assert.ok(orders.rows[1]?.includes(shipped));
      assert.ok(orders.rows[1]?.includes('TRACK-42'));

      const lines = await download(page, 'export-lines');
      assert.match(lines.name, /^order-lines-\d{8}\.csv$/);
      assert.equal(lines.rows.length, 3, 'a header and the shipped order’s two lines');
      assert.ok(lines.rows.slice(1).every((r) => r.includes(shipped)));
      assert.deepEqual(watch.problems, []);
      await context.close();
    });
  }
});
