/**
 * The admin's product pages: the list with its category and status filters, a new product with
 * Size and Colour variants and an uploaded image, a variant's price changed, stock added, and the
 * product archived (no longer sold) and brought back.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  assertAccessible,
  ConsoleWatch,
  eventually,
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
const uploads = mkdtempSync(join(tmpdir(), 'orderly-e2e-uploads-'));

// a 24×24 PNG: a blue square
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAABgAAAAYCAIAAABvFaqvAAAAH0lEQVR42mNQTX5NFcQwatCoQaMGjRo0atCoQQNvEABZoULucEvZ+wAAAABJRU5ErkJggg==',
  'base64',
);

interface Product {
  id: string;
  price: number;
  active: boolean;
  imageUrl: string | null;
  categoryId: string | null;
  variants: Array<{ id: string; title: string; price: number; available: number }>;
}

before(async () => {
  [orderly, browser] = await Promise.all([startOrderly({ UPLOAD_DIR: uploads }), launchBrowser()]);
});

after(async () => {
  await browser?.close();
  await orderly?.stop();
  rmSync(uploads, { recursive: true, force: true });
});

describe('admin products', () => {
  test('the admin lists products by category, creates one with sizes, colours and an image, edits a price and archives it', async () => {
    const watch = new ConsoleWatch();
    const admin = await orderly.adminToken();
    const context = await signedInContext(browser, admin);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'admin');

    // the list, then only the T-shirts (the demo's Apparel › T-shirts)
    await page.goto(orderly.url + '/admin');
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Products' }).click();
    await page.getByTestId('product-row').nth(5).waitFor();
    await screenshot(page, 'products-01-list');
    await assertAccessible(page, 'admin products');
    await page.getByTestId('category-filter').selectOption({ label: 'Apparel › T-shirts' });
    await eventually(
      async () => {
        const names = await page.getByTestId('product-row').locator('.cell-title').allInnerTexts();
        return names.length > 0 && names.every((n) => /tee/i.test(n)) && names.includes('Everyday Tee')
          ? names
          : undefined;
      },
      5_000,
      'only the T-shirts',
    );
    assert.match(page.url(), /category=/);
    await screenshot(page, 'products-02-category');

    // a new product: two options make six variants; one gets its own price; an image is uploaded
    await page.getByTestId('new-product').click();
    await page.getByTestId('new-product-form').waitFor();
    await page.getByTestId('product-name').fill('Field Jacket');
    await page.getByTestId('product-sku').fill('JKT-200');
    await page.getByTestId('product-price').fill('120');
    await page.getByTestId('product-stock').fill('3');
    await page.getByTestId('product-category').selectOption({ label: 'Apparel' });
    await page.getByTestId('add-option').click();
    await page.getByTestId('option-name').nth(0).fill('Size');
    await page.getByTestId('option-values').nth(0).fill('S, M, L');
    await page.getByTestId('add-option').click();
    await page.getByTestId('option-name').nth(1).fill('Colour');
    await page.getByTestId('option-values').nth(1).fill('Olive, Navy');
    await eventually(
      async () => ((await page.getByTestId('new-variant-row').count()) === 6 ? true : undefined),
      5_000,
      'six variants to create',
    );
    await page.getByLabel('Price of L / Navy').fill('135');
    await page
      .getByTestId('image-upload')
      .setInputFiles({ name: 'jacket.png', mimeType: 'image/png', buffer: PNG });
    await page.getByTestId('image-item').first().waitFor();
    await screenshot(page, 'products-03-new');
    await assertAccessible(page, 'new product');
    await page.getByTestId('create-product').click();

    // the editor of the new product
    await page.getByTestId('variants-table').waitFor();
    const id = /\/admin\/products\/([0-9a-f-]{36})/.exec(page.url())?.[1];
    assert.ok(id, page.url());
    assert.equal(await page.getByTestId('variant-row').count(), 6);
    const created = await orderly.api<Product>('GET', `/products/${id}`, { token: admin });
    assert.equal(created.body.price, 120);
    assert.equal(created.body.variants.find((v) => v.title === 'L / Navy')?.price, 135);
    assert.ok(created.body.variants.every((v) => v.available === 3));
    assert.match(created.body.imageUrl ?? '', /^\/uploads\/[0-9a-f]{32}\.png$/);
    const image = await fetch(orderly.url + (created.body.imageUrl ?? ''));
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'image/png');
    assert.ok(created.body.categoryId);
    await screenshot(page, 'products-04-editor');
    await assertAccessible(page, 'product editor');

    // a price edited on one variant: the product's "from" price follows
    const row = page.locator('[data-testid=variant-row]').filter({ hasText: 'M / Olive' });
    await row.getByTestId('variant-price').fill('99.50');
    await row.getByTestId('save-variant').click();
    await eventually(
      async () => {
        const p = await orderly.api<Product>('GET', `/products/${id}`, { token: admin });
        return p.body.price === 99.5 ? p : undefined;
      },
      5_000,
      'the new price',
    );
    await page.getByTestId('product-status').waitFor();
    assert.match(await page.getByTestId('archive-bar').innerText(), /from \$99\.50/);

    // stock added to that variant
    await row.getByTestId('stock-quantity').fill('4');
    await row.getByRole('button', { name: /stock of M \/ Olive/ }).click();
    await eventually(
      async () =>
        (await row.getByTestId('variant-available').innerText()) === '7' &&
        (await row.getByTestId('variant-on-hand').innerText()) === '7'
          ? true
          : undefined,
      5_000,
      '7 on hand and available',
    );
    await screenshot(page, 'products-05-price-and-stock');

    // archived: no longer in the shop, still in the admin under "Archived"
    await page.getByTestId('archive-toggle').click();
    await page.getByTestId('product-status').filter({ hasText: 'Archived' }).waitFor();
    assert.equal((await orderly.api('GET', `/products/${id}`)).status, 404);
    const shop = await orderly.api<{ items: Product[] }>('GET', '/products?search=Field%20Jacket');
    assert.equal(shop.body.items.length, 0);
    await screenshot(page, 'products-06-archived');
    await page.getByRole('link', { name: 'All products' }).click();
    await page.getByTestId('status-filter').selectOption('archived');
    const archivedRow = page.locator(`[data-testid=product-row][data-product-id="${id}"]`);
    await eventually(
      async () =>
        (await page.getByTestId('product-row').count()) === 1 && (await archivedRow.count()) === 1
          ? true
          : undefined,
      5_000,
      'only the archived product',
    );
    await screenshot(page, 'products-07-archived-list');

    // and back on sale
    await page.getByRole('link', { name: 'Field Jacket' }).click();
    await page.getByTestId('archive-toggle').filter({ hasText: 'Unarchive' }).click();
    await page.getByTestId('product-status').filter({ hasText: 'On sale' }).waitFor();
    assert.equal((await orderly.api('GET', `/products/${id}`)).status, 200);

    assert.doesNotMatch(await visibleText(page), RAW_OUTPUT);
    assert.deepEqual(watch.problems, []);
    await context.close();
  });
});
