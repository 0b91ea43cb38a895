/**
 * Checkout against the server's quote (issue 14): shipping methods with their prices, sales tax
 * and VAT, discount codes, an address no zone serves, and an order charged exactly the quoted
 * total, shown with its subtotal, discount, shipping and tax on the confirmation and order pages.
 * The expected amounts are asked of the API (quoteCheckout) for the same basket, so the test
 * checks that the page shows and charges what the server prices.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  assertAccessible,
  ConsoleWatch,
  eventually,
  launchBrowser,
  PHONE,
  RAW_OUTPUT,
  screenshot,
  signedInContext,
  startOrderly,
  uniqueEmail,
  visibleText,
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

const US_ADDRESS = {
  street: '742 Evergreen Terrace',
  city: 'Springfield',
  state: 'IL',
  zip: '62704',
  country: 'US',
};
const DE_ADDRESS = { street: 'Torstraße 1', city: 'Berlin', zip: '10119', country: 'DE' };

interface Quote {
  shippingMethods: { id: string; name: string; price: number }[];
  shippingMethodId: string | null;
  subtotal: number;
  discountTotal: number;
  taxTotal: number;
  total: number;
  taxLines: { name: string; rate: number; amount: number }[];
  shipping: { price: number; discount: number } | null;
}

/** The shipping row shows the method's price after its discount; its tax is in the tax lines. */
const shippingRow = (q: Quote) => usd((q.shipping?.price ?? 0) - (q.shipping?.discount ?? 0));

const usd = (amount: number) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(amount);

/** The catalog card of the product called `name` (found through the search box). */
async function addFromCatalog(page: Page, name: string): Promise<void> {
  await page.goto(orderly.url + '/');
  await page.getByLabel('Search products').fill(name);
  const card = page.getByTestId('product-card').filter({ hasText: name });
  await card.getByRole('button', { name: /Add to cart/ }).click();
  await page.getByTestId('toasts').getByText(`Added 1 × ${name}`).waitFor();
}

async function fillAddress(
  page: Page,
  a: { street: string; city: string; zip: string; country: string; state?: string },
) {
  await page.getByLabel('Country').selectOption(a.country);
  await page.getByLabel('Street address').fill(a.street);
  await page.getByLabel('City').fill(a.city);
  if (a.state !== undefined) await page.getByLabel(a.country === 'JP' ? 'Prefecture' : 'State').fill(a.state);
  await page.getByLabel(a.country === 'US' ? 'ZIP code' : 'Postal code').fill(a.zip);
}

/** The summary's total once it shows `expected` (the quote follows the form after a pause). */
async function totalBecomes(page: Page, expected: number, what: string): Promise<void> {
  await eventually(
    async () => ((await page.getByTestId('checkout-total').innerText()) === usd(expected) ? true : undefined),
    8_000,
    `the checkout total to be ${usd(expected)} (${what})`,
  );
}

describe('checkout: shipping, tax and discount codes', () => {
  test('a signed-in shopper picks Express, applies WELCOME10, is told Japan is not served, and is charged the quoted total', async () => {
    const watch = new ConsoleWatch();
    // a refused code and an address no zone serves are 422s the test provokes
    watch.expectStatus(422);
    const shopper = await orderly.customer('Quinn Quote');
    const context = await signedInContext(browser, shopper.token);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'shopper');

    // $48 of goods: under Standard's free-shipping threshold, over WELCOME10's minimum
    await addFromCatalog(page, 'Canvas Tote');
    await addFromCatalog(page, 'Dot Grid Notebook');
    await page.goto(orderly.url + '/checkout');
    await page.getByTestId('checkout-form').waitFor();
    await page.getByLabel('Recipient name').fill('Quinn Quote');
    await fillAddress(page, US_ADDRESS);

    const asked = (body: Record<string, unknown>) =>
      orderly.api<Quote>('POST', '/checkout/quote', {
        token: shopper.token,
        body: { shippingAddress: { ...US_ADDRESS, name: 'Quinn Quote' }, ...body },
      });
    const standard = await asked({});
    assert.equal(standard.status, 200, JSON.stringify(standard.body));
    const names = standard.body.shippingMethods.map((m) => m.name);
    assert.deepEqual(names, ['Standard', 'Express']);
    const express = standard.body.shippingMethods.find((m) => m.name === 'Express');
    assert.ok(express && express.price > standard.body.shippingMethods[0]!.price);

    // both methods with their prices, the cheapest picked; US sales tax
    const methods = page.getByTestId('shipping-methods');
    await methods.waitFor();
    for (const m of standard.body.shippingMethods) {
      await methods.getByRole('radio', { name: new RegExp(m.name) }).waitFor();
      assert.match(
        await methods.locator('label', { hasText: m.name }).innerText(),
        new RegExp(`\\${usd(m.price)}`),
      );
    }
    assert.ok(await methods.getByRole('radio', { name: /Standard/ }).isChecked());
    await totalBecomes(page, standard.body.total, 'Standard');
    const summary = page.getByTestId('checkout-summary');
    await summary.getByText('Sales tax 8.25 %').waitFor();
    assert.equal(await page.getByTestId('summary-shipping').innerText(), shippingRow(standard.body));
    await screenshot(page, 'checkout-01-standard');
    await assertAccessible(page, 'checkout with a quote');

    // Express costs more: the total follows
    await methods.getByRole('radio', { name: /Express/ }).check();
    const withExpress = await asked({ shippingMethodId: express.id });
    assert.ok(withExpress.body.total > standard.body.total, 'Express makes the order dearer');
    await totalBecomes(page, withExpress.body.total, 'Express');
    assert.equal(await page.getByTestId('summary-shipping').innerText(), shippingRow(withExpress.body));

    // a code the shop does not have says so; WELCOME10 adds a discount row
    await page.getByTestId('discount-code').fill('NOSUCHCODE');
    await page.getByRole('button', { name: 'Apply discount code' }).click();
    await page.getByText('There is no such discount code.').waitFor();
    assert.equal(await page.getByTestId('discount-applied').count(), 0);
    await totalBecomes(page, withExpress.body.total, 'a refused code changes nothing');
    await screenshot(page, 'checkout-02-bad-code');

    await page.getByTestId('discount-code').fill('welcome10');
    await page.getByRole('button', { name: 'Apply discount code' }).click();
    await page.getByTestId('discount-applied').locator('strong', { hasText: 'WELCOME10' }).waitFor();
    const discounted = await asked({ shippingMethodId: express.id, discountCode: 'WELCOME10' });
    assert.equal(discounted.status, 200, JSON.stringify(discounted.body));
    assert.ok(discounted.body.discountTotal > 0);
    assert.equal(
      await page.getByTestId('summary-discount').innerText(),
      `−${usd(discounted.body.discountTotal)}`,
    );
    await totalBecomes(page, discounted.body.total, 'WELCOME10');
    await screenshot(page, 'checkout-03-discount');
    await assertAccessible(page, 'checkout with a discount');

    // Japan is outside every zone: the server's sentence, and no way to place the order
    await fillAddress(page, {
      street: '1-1 Chiyoda',
      city: 'Tokyo',
      state: 'Tokyo',
      zip: '100-0001',
      country: 'JP',
    });
    const notServed = page.getByTestId('address-not-served');
    await notServed.waitFor();
    assert.match(await notServed.innerText(), /We do not deliver to this address/);
    await eventually(async () => ((await page.getByTestId('place-order').isDisabled()) ? true : undefined));
    await screenshot(page, 'checkout-04-japan');

    // back home: Express and the code still apply, and the order is charged what is shown
    await fillAddress(page, US_ADDRESS);
    await totalBecomes(page, discounted.body.total, 'back to the US address');
    assert.match(
      await page.getByTestId('place-order').innerText(),
      new RegExp(`\\${usd(discounted.body.total)}`),
    );
    const placed = page.waitForRequest((r) => r.url().endsWith('/api/v1/cart/checkout'));
    await page.getByTestId('place-order').click();
    const sent = (await placed).postDataJSON() as Record<string, unknown>;
    assert.equal(sent['expectedTotal'], discounted.body.total);
    assert.equal(sent['shippingMethodId'], express.id);
    assert.equal(sent['discountCode'], 'WELCOME10');

    await page.getByTestId('confirmation').waitFor();
    const orderId = /\/orders\/([^/]+)\/confirmation/.exec(page.url())?.[1] ?? '';
    const order = await orderly.api<{ total: number; payment: { amountPaid: number } }>(
      'GET',
      `/orders/${orderId}`,
      {
        token: shopper.token,
      },
    );
    assert.equal(order.body.total, discounted.body.total);
    assert.equal(
      order.body.payment.amountPaid,
      discounted.body.total,
      'the card is charged the quoted total',
    );

    const rows = async (where: string) => {
      assert.equal(
        await page.getByTestId('order-subtotal').innerText().then(amount),
        usd(discounted.body.subtotal),
        where,
      );
      assert.equal(
        await page.getByTestId('order-discount').innerText().then(amount),
        `−${usd(discounted.body.discountTotal)}`,
        where,
      );
      assert.equal(
        await page.getByTestId('order-shipping').innerText().then(amount),
        shippingRow(discounted.body),
        where,
      );
      assert.match(await page.getByTestId('order-tax').innerText(), /Sales tax 8\.25 %/, where);
      assert.equal(await page.getByTestId('order-total').innerText(), usd(discounted.body.total), where);
      assert.doesNotMatch(await visibleText(page), RAW_OUTPUT, where);
    };
    await rows('confirmation');
    await screenshot(page, 'checkout-05-confirmation');
    await assertAccessible(page, 'confirmation');

    await page.getByRole('link', { name: 'Track this order' }).click();
    await page.getByTestId('order-detail').waitFor();
    await rows('order page');
    await screenshot(page, 'checkout-06-order');

    assert.deepEqual(watch.problems, []);
    await context.close();
  });

  test('a guest on a phone with a German address pays VAT 20 % and International shipping', async () => {
    const watch = new ConsoleWatch();
    const context = await browser.newContext(PHONE);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'guest');

    await addFromCatalog(page, 'Canvas Tote');
    await page.goto(orderly.url + '/checkout');
    await page.getByTestId('guest-checkout-form').waitFor();
    await page.getByTestId('guest-email').fill(uniqueEmail('Greta Gast'));
    await page.getByTestId('guest-name').fill('Greta Gast');
    await fillAddress(page, DE_ADDRESS);

    const product = await orderly.product('Canvas Tote');
    const quote = await orderly.api<Quote>('POST', '/checkout/quote', {
      body: {
        items: [{ productId: product.id, quantity: 1 }],
        shippingAddress: { ...DE_ADDRESS, name: 'Greta Gast' },
      },
    });
    assert.equal(quote.status, 200, JSON.stringify(quote.body));
    assert.deepEqual(
      quote.body.taxLines.map((t) => [t.name, t.rate]),
      [['VAT', 20]],
    );
    await totalBecomes(page, quote.body.total, 'the German address');
    await page
      .getByTestId('checkout-summary')
      .getByText(/VAT 20 %/)
      .waitFor();
    await page
      .getByTestId('shipping-methods')
      .getByRole('radio', { name: /International/ })
      .waitFor();
    assert.equal(await page.getByTestId('summary-shipping').innerText(), shippingRow(quote.body));
    await screenshot(page, 'checkout-07-guest-germany-phone');
    await assertAccessible(page, 'guest checkout, Germany');

    await page.getByTestId('place-guest-order').click();
    await page.getByTestId('guest-thanks').waitFor();
    await page
      .getByTestId('order-tax')
      .getByText(/VAT 20 %/)
      .waitFor();
    assert.equal(await page.getByTestId('order-total').innerText(), usd(quote.body.total));
    await screenshot(page, 'checkout-08-guest-confirmation-phone');

    assert.deepEqual(watch.problems, []);
    await context.close();
  });
});

/** The amount of a total row ("Subtotal\t$48.00" → "$48.00"). */
function amount(row: string): string {
  return row.trim().split(/\s+/).pop() ?? '';
}
