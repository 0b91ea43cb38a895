/**
 * A product with options in the storefront: the Everyday Tee (Size × Colour). The catalog card
 * says "from" and leads to the product page; picking a size and colour moves the price, stock
 * and SKU; sold-out combinations are marked; the choice is kept in the address; the cart,
 * checkout, confirmation and order pages name the variant. Signed in on a desktop, and as a
 * guest on a phone. axe-core checks every page; the console must stay clean.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  ConsoleWatch,
  PHONE,
  RAW_OUTPUT,
  assertAccessible,
  launchBrowser,
  quotedTotal,
  screenshot,
  signedInContext,
  startOrderly,
  uniqueEmail,
  visibleText,
  type Orderly,
} from './harness.ts';

interface Variant {
  id: string;
  sku: string;
  title: string;
  options: Record<string, string>;
  price: number;
  available: number;
}

let orderly: Orderly;
let browser: Browser;
let variants: Variant[];
let teeId: string;

const variantOf = (size: string, colour: string): Variant => {
  const v = variants.find((x) => x.options['Size'] === size && x.options['Colour'] === colour);
  assert.ok(v, `the demo tee has ${size} / ${colour}`);
  return v;
};

before(async () => {
  [orderly, browser] = await Promise.all([startOrderly(), launchBrowser()]);
  const found = await orderly.api<{ items: Array<{ id: string; name: string; variants: Variant[] }> }>(
    'GET',
    '/products?search=Everyday%20Tee',
  );
  const tee = found.body.items.find((p) => p.name === 'Everyday Tee');
  assert.ok(tee, 'the demo data has the Everyday Tee');
  teeId = tee.id;
  variants = tee.variants;
  // a low stock on one combination, so the page has an "Only 2 left" to follow
  const admin = await orderly.adminToken();
  const adjusted = await orderly.api('POST', `/variants/${variantOf('L', 'White').id}/stock`, {
    token: admin,
    body: { operation: 'set', quantity: 2 },
  });
  assert.equal(adjusted.status, 200);
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

/** Picks `value` in the option group called `option` (a radio button styled as a button). */
async function pick(page: Page, option: string, value: string): Promise<void> {
  // the label is what a shopper clicks; a sold-out value's also says so to screen readers
  await page
    .getByRole('group', { name: option })
    .locator('label', { hasText: new RegExp(`^${value}( \\(|$)`) })
    .click();
}

async function shown(page: Page): Promise<{ price: string; stock: string; sku: string }> {
  return {
    price: await page.getByTestId('product-price').innerText(),
    stock: await page.getByTestId('stock-badge').innerText(),
    sku: await page.getByTestId('product-sku').innerText(),
  };
}

describe('storefront: a product with sizes and colours', () => {
  test('a shopper picks M / Black on the Everyday Tee, price and stock follow, and every page after names the variant', async () => {
    const watch = new ConsoleWatch();
    const shopper = await orderly.customer('Vic Variant');
    const context = await signedInContext(browser, shopper.token);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'variants');

    // the catalog card: prices differ by size, so "from", and options are chosen on the product page
    await page.goto(orderly.url + '/');
    await page.getByLabel('Search products').fill('Everyday Tee');
    const card = page.getByTestId('product-card').filter({ hasText: 'Everyday Tee' });
    await card.waitFor();
    assert.equal(await card.locator('.product-price').innerText(), 'from $24.00');
    assert.equal(await card.getByRole('button', { name: /Add to cart/ }).count(), 0);
    await card.getByRole('link', { name: /Choose options/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Everyday Tee' }).waitFor();
    await page.getByRole('group', { name: 'Size' }).waitFor();

    // XL costs more
    await pick(page, 'Size', 'XL');
    await pick(page, 'Colour', 'White');
    assert.deepEqual(await shown(page), { price: '$26.00', stock: 'In stock', sku: 'SKU TEE-100-XL-WHI' });

    // S / Navy is sold out: marked on the colour, and it cannot be added
    await pick(page, 'Size', 'S');
    const colours = page.getByRole('group', { name: 'Colour' });
    await colours.getByRole('radio', { name: 'Navy (sold out)' }).waitFor({ state: 'attached' });
    assert.equal(await colours.locator('label', { hasText: 'Navy' }).getAttribute('data-state'), 'sold_out');
    await pick(page, 'Colour', 'Navy');
    assert.equal((await shown(page)).stock, 'Out of stock');
    assert.ok(await page.getByRole('button', { name: 'Out of stock' }).isDisabled());
    await screenshot(page, 'variants-01-sold-out');

    // a low stock follows the choice too
    await pick(page, 'Size', 'L');
    await pick(page, 'Colour', 'White');
    assert.equal((await shown(page)).stock, 'Only 2 left');

    // M / Black: price, stock and SKU of that variant, and the choice in the address
    await pick(page, 'Size', 'M');
    await pick(page, 'Colour', 'Black');
    const mBlack = variantOf('M', 'Black');
    assert.deepEqual(await shown(page), { price: '$24.00', stock: 'In stock', sku: 'SKU TEE-100-M-BLA' });
    await page.waitForURL(`**/products/${teeId}?variant=${mBlack.id}`);
    assert.ok(await page.getByRole('radio', { name: 'M', exact: true }).isChecked());
    await screenshot(page, 'variants-02-product-m-black');
    await assertAccessible(page, 'product page with options');

    // the address keeps the choice: a reload opens M / Black again
    await page.reload();
    await page.getByRole('group', { name: 'Size' }).waitFor();
    assert.ok(await page.getByRole('radio', { name: 'M', exact: true }).isChecked());
    assert.ok(await page.getByRole('radio', { name: 'Black', exact: true }).isChecked());

    const added = page.waitForRequest((r) => r.url().endsWith('/api/v1/cart/items') && r.method() === 'POST');
    await page.getByLabel('Quantity').fill('2');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    assert.deepEqual((await added).postDataJSON(), { variantId: mBlack.id, quantity: 2 });
    await page.getByTestId('toasts').getByText('Added 2 × Everyday Tee (M / Black)').waitFor();

    // the cart names the variant and its SKU
    await page.getByTestId('cart-link').click();
    const line = page.getByTestId('cart-item').filter({ hasText: 'Everyday Tee' });
    await line.waitFor();
    assert.equal(await line.getByTestId('line-variant').innerText(), 'M / Black · SKU TEE-100-M-BLA');
    assert.equal(await page.getByTestId('cart-subtotal').innerText(), '$48.00');
    await screenshot(page, 'variants-03-cart');
    await assertAccessible(page, 'cart with a variant');

    // checkout and the confirmation, at the quoted total
    await page.getByTestId('checkout-link').click();
    await page.getByTestId('checkout-form').waitFor();
    assert.match(await page.getByTestId('line-variant').innerText(), /M \/ Black/);
    await fillAddress(page);
    await page.getByTestId('card-select').selectOption('tok_visa');
    const quoted = await quotedTotal(page);
    await screenshot(page, 'variants-04-checkout');
    await page.getByTestId('place-order').click();
    await page.waitForURL(/\/orders\/[^/]+\/confirmation$/);
    const confirmation = page.getByTestId('confirmation');
    await confirmation.getByText('Thank you for your order!').waitFor();
    assert.equal(await confirmation.getByTestId('line-variant').innerText(), 'M / Black · SKU TEE-100-M-BLA');
    assert.equal(await confirmation.getByTestId('order-total').innerText(), quoted);
    await screenshot(page, 'variants-05-confirmation');
    await assertAccessible(page, 'confirmation with a variant');

    // the order page names it too
    await page.getByRole('link', { name: 'Track this order' }).click();
    await page.getByTestId('order-lines').waitFor();
    assert.match(await page.getByTestId('order-lines').innerText(), /M \/ Black · SKU TEE-100-M-BLA/);
    await screenshot(page, 'variants-06-order-detail');

    // the stock of that variant went down by two
    const after = await orderly.api<{ variants: Variant[] }>('GET', `/products/${teeId}`);
    assert.equal(after.body.variants.find((v) => v.id === mBlack.id)?.available, mBlack.available - 2);

    assert.doesNotMatch(await visibleText(page), RAW_OUTPUT);
    await context.close();
    assert.deepEqual(watch.problems, []);
  });

  test('a guest on a phone buys L / Navy: the guest cart keeps the variant and the order names it', async () => {
    const watch = new ConsoleWatch();
    const context = await browser.newContext(PHONE);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'guest-variants');
    const lNavy = variantOf('L', 'Navy');

    // the address picks the variant
    await page.goto(`${orderly.url}/products/${teeId}?variant=${lNavy.id}`);
    await page.getByRole('group', { name: 'Size' }).waitFor();
    assert.ok(await page.getByRole('radio', { name: 'L', exact: true }).isChecked());
    assert.ok(await page.getByRole('radio', { name: 'Navy', exact: true }).isChecked());
    assert.equal((await shown(page)).sku, 'SKU TEE-100-L-NAV');
    await screenshot(page, 'variants-07-phone-product');
    await assertAccessible(page, 'product page on a phone');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByTestId('toasts').getByText('Added 1 × Everyday Tee (L / Navy)').waitFor();

    await page.getByTestId('cart-link').click();
    await page.getByTestId('guest-checkout-form').waitFor();
    assert.match(
      await page.getByTestId('guest-cart-items').innerText(),
      /1 × Everyday Tee\s+L \/ Navy · SKU TEE-100-L-NAV/,
    );
    await page.getByTestId('guest-email').fill(uniqueEmail('Nia Navy'));
    await page.getByTestId('guest-name').fill('Nia Navy');
    await fillAddress(page);
    await quotedTotal(page);
    await screenshot(page, 'variants-08-phone-guest-checkout');
    const placed = page.waitForRequest(
      (r) => r.url().endsWith('/api/v1/guest/orders') && r.method() === 'POST',
    );
    await page.getByTestId('place-guest-order').click();
    const sent: { items?: unknown } = (await placed).postDataJSON();
    assert.deepEqual(sent.items, [{ variantId: lNavy.id, quantity: 1, price: 24 }]);

    await page.waitForURL(/\/orders\/[^/?]+\?token=/);
    const order = page.getByTestId('guest-order');
    await order.waitFor();
    assert.match(await order.getByTestId('order-lines').innerText(), /L \/ Navy · SKU TEE-100-L-NAV/);
    await screenshot(page, 'variants-09-phone-guest-order');
    await assertAccessible(page, 'guest order with a variant');

    assert.doesNotMatch(await visibleText(page), RAW_OUTPUT);
    await context.close();
    assert.deepEqual(watch.problems, []);
  });
});
