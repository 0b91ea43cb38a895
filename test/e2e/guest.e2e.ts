/**
 * Guest checkout in the browser: a shopper who never signs in puts a product in the cart, checks
 * out with an email and a name, lands on the order page, opens it again from the link in the
 * confirmation email, and finds it with "Find my order" on another device (a fresh browser
 * context) by its number and email. axe-core checks each page; the console must stay clean.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  assertAccessible,
  ConsoleWatch,
  DESKTOP,
  eventually,
  launchBrowser,
  quotedTotal,
  screenshot,
  startOrderly,
  uniqueEmail,
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

async function fillAddress(page: Page): Promise<void> {
  await page.getByLabel('Street address').fill('742 Evergreen Terrace');
  await page.getByLabel('City').fill('Springfield');
  await page.getByLabel('State').fill('IL');
  await page.getByLabel('ZIP code').fill('62704');
}

/** The link matching `pattern` in the newest email of `template` to `recipient`, from the admin mailbox. */
async function emailedLink(
  recipient: string,
  template: string,
  pattern = /https?:\/\/\S+\/orders\/\S+\?token=[A-Za-z0-9_.-]+/,
): Promise<string> {
  const token = await orderly.adminToken();
  return eventually(
    async () => {
      const list = await orderly.api<{ items: Array<{ id: string; template: string }> }>(
        'GET',
        `/admin/notifications?recipient=${encodeURIComponent(recipient)}`,
        { token },
      );
      const summary = list.body.items.find((m) => m.template === template);
      if (!summary) return undefined;
      const mail = await orderly.api<{ text: string }>('GET', `/admin/notifications/${summary.id}`, {
        token,
      });
      return pattern.exec(mail.body.text)?.[0];
    },
    10_000,
    `the ${template} email with its link`,
  );
}

describe('storefront: guest checkout', () => {
  test('a guest checks out with an email, opens the order from the email, and finds it by number and email', async () => {
    const watch = new ConsoleWatch();
    // on purpose: "find my order" with a wrong email is a 404, a broken order link a 401
    watch.expectStatus(404, 401);
    const context = await browser.newContext(DESKTOP);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'guest');

    // signed out: the product goes into this browser's cart
    await page.goto(orderly.url + '/');
    await page.getByLabel('Search products').fill('Canvas Tote');
    const tote = page.getByTestId('product-card').filter({ hasText: 'Canvas Tote' });
    await tote.getByRole('button', { name: /Add to cart/ }).click();
    await page.getByTestId('toasts').getByText('Added 1 × Canvas Tote').waitFor();
    await page.getByTestId('cart-count').filter({ hasText: /^1/ }).waitFor();

    // the cart link leads to guest checkout: email and name instead of a sign-in
    await page.getByTestId('cart-link').click();
    await page.getByTestId('guest-checkout-form').waitFor();
    assert.match(await page.getByTestId('guest-cart-items').innerText(), /1 × Canvas Tote/);
    assert.equal(await page.getByTestId('checkout-total').innerText(), '$32.00');
    await page.getByTestId('place-guest-order').click();
    await page.getByTestId('checkout-error').getByText('Please fix the highlighted fields.').waitFor();
    assert.ok((await page.locator('[aria-invalid="true"]').count()) >= 3, 'email, name and address flagged');
    await screenshot(page, 'guest-01-checkout-errors');
    await assertAccessible(page, 'guest checkout (with errors)');

    const email = uniqueEmail('Gwen Guest');
    await page.getByTestId('guest-email').fill(email);
    await page.getByTestId('guest-name').fill('Gwen Guest');
    await fillAddress(page);
    await screenshot(page, 'guest-02-checkout');
    await assertAccessible(page, 'guest checkout');
    const quoted = await quotedTotal(page);
    await page.getByTestId('place-guest-order').click();

    // the order page, opened by its link token, thanks the shopper
    await page.waitForURL(/\/orders\/[^/?]+\?token=/);
    const order = page.getByTestId('guest-order');
    await order.waitFor();
    await page.getByTestId('guest-thanks').getByText(email).waitFor();
    await order.getByTestId('order-total').filter({ hasText: quoted }).waitFor();
    const heading = await order.getByRole('heading', { level: 1 }).innerText();
    const number = /#(\d+)/.exec(heading)?.[1];
    assert.ok(number, `the order number is in the heading: ${heading}`);
    assert.equal(await order.getByRole('button', { name: /Cancel order|Change order/ }).count(), 0);
    await page.getByTestId('cart-count').filter({ hasText: /^0/ }).waitFor();
    await screenshot(page, 'guest-03-order-placed');
    await assertAccessible(page, 'guest order page');

    // the confirmation email links to the same page, and the link opens it on any device
    const link = await emailedLink(email, 'order_confirmed');
    const elsewhere = await browser.newContext(DESKTOP);
    elsewhere.setDefaultTimeout(10_000);
    const other = watch.attach(await elsewhere.newPage(), 'guest, another device');
    await other.goto(link.replace(/^https?:\/\/[^/]+/, orderly.url));
    await other
      .getByTestId('guest-order')
      .getByRole('heading', { name: `Order #${number}` })
      .waitFor();
    assert.equal(await other.getByTestId('guest-thanks').count(), 0);

    // "find my order": a wrong email finds nothing, the right one opens the order
    await other
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Find my order' })
      .click();
    await other.getByTestId('find-order-form').waitFor();
    await other.getByTestId('find-order-number').fill(`#${number}`);
    await other.getByTestId('find-order-email').fill(uniqueEmail('Not Gwen'));
    await other.getByRole('button', { name: 'Find my order' }).click();
    await other
      .getByTestId('find-order-failed')
      .getByText(/No guest order has this number and email/)
      .waitFor();
    await screenshot(other, 'guest-04-find-order-miss');
    await assertAccessible(other, 'find my order (no match)');
    await other.getByTestId('find-order-email').fill(email.toUpperCase());
    await other.getByRole('button', { name: 'Find my order' }).click();
    await other.waitForURL(/\/orders\/[^/?]+\?token=/);
    const found = other.getByTestId('guest-order');
    await found.getByRole('heading', { name: `Order #${number}` }).waitFor();
    await found.getByTestId('order-lines').getByText('Canvas Tote').waitFor();
    assert.match(await found.getByTestId('shipping-address').innerText(), /742 Evergreen Terrace/);
    await screenshot(other, 'guest-05-found-order');
    await assertAccessible(other, 'found guest order');

    // a link that does not open the order says what to do instead
    await other.goto(`${orderly.url}/orders/${/\/orders\/([^/?]+)/.exec(other.url())?.[1]}?token=broken`);
    await other.getByTestId('order-link-invalid').waitFor();
    await screenshot(other, 'guest-06-invalid-link');

    await elsewhere.close();
    await context.close();
    assert.deepEqual(watch.problems, []);
  });

  test('signing up later with the guest email sends a link; following it makes the account, with the guest order in it', async () => {
    const watch = new ConsoleWatch();
    const context = await browser.newContext(DESKTOP);
    context.setDefaultTimeout(10_000);
    // the sign-in the sign-up form tries after registering is refused (401): no password yet
    watch.expectStatus(401);
    const page = watch.attach(await context.newPage(), 'guest signing up');
    const email = uniqueEmail('Casey Claimer');
    const tote = await orderly.product('Canvas Tote');
    const shippingAddress = { street: '1 Claim Street', city: 'Portland', state: 'OR', zip: '97201' };
    const quote = await orderly.api<{ total: number }>('POST', '/checkout/quote', {
      body: { items: [{ productId: tote.id, quantity: 1 }], shippingAddress },
    });
    assert.equal(quote.status, 200);
    const placed = await orderly.api<{ id: string; orderNumber: number }>('POST', '/guest/orders', {
      body: {
        email,
        name: 'Casey Claimer',
        items: [{ productId: tote.id, quantity: 1, price: tote.price }],
        shippingAddress,
        paymentMethod: { type: 'card', token: 'tok_visa' },
        expectedTotal: quote.body.total,
      },
    });
    assert.equal(placed.status, 201);

    // sign-up with the guest email signs nobody in: the mailbox has to answer first
    await page.goto(orderly.url + '/register');
    await page.getByLabel('Name').fill('Casey Claimer');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('plum trumpet galaxy 58');
    await page.getByRole('button', { name: 'Create account' }).click();
    await eventually(
      async () =>
        (await page.getByRole('alert').count()) + (await page.getByRole('status').count()) > 0
          ? true
          : undefined,
      10_000,
      'an answer to the sign-up',
    );
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).getByText('Casey Claimer').count(), 0);

    const link = await emailedLink(
      email,
      'account_claim',
      /https?:\/\/\S+\/claim-account#token=[A-Za-z0-9_.-]+/,
    );
    await page.goto(link.replace(/^https?:\/\/[^/]+/, orderly.url));
    await page.getByTestId('claim-form').waitFor();
    assert.equal(new URL(page.url()).hash, '', 'the token leaves the address bar');
    await page.getByLabel('Your name').fill('Casey Claimer');
    await page.getByLabel('Password').fill('plum trumpet galaxy 58');
    await screenshot(page, 'guest-07-claim');
    await assertAccessible(page, 'claim account');
    await page.getByRole('button', { name: 'Create my account' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByText('Casey Claimer').waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My orders' }).click();
    const row = page.getByTestId('order-row').first();
    await row.waitFor();
    assert.ok(
      (await row.innerText()).includes(String(placed.body.orderNumber)),
      'the guest order is in the history',
    );
    await screenshot(page, 'guest-08-claimed-history');
    await context.close();
    assert.deepEqual(watch.problems, []);
  });
});
