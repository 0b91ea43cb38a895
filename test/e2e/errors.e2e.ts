/**
 * When things go wrong: failures of the API (forced with request interception: 5xx with internal
 * details, an HTML page from a proxy, no answer at all) and the API's own refusals (stock ran out,
 * a price changed, not found, an expired session, a taken email) all read as sentences, never as
 * raw JSON or a blank page. And the checks themselves can fail: axe and the console watch catch
 * what they are meant to catch.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page, Route } from 'playwright-core';
import {
  axe,
  ConsoleWatch,
  DESKTOP,
  eventually,
  expiredSessionContext,
  launchBrowser,
  quotedTotal,
  RAW_OUTPUT,
  screenshot,
  signedInContext,
  startOrderly,
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

/** The page shows no raw JSON, error code, stack trace or HTML source. */
async function assertNoRawOutput(page: Page, where: string): Promise<void> {
  const text = await visibleText(page);
  assert.doesNotMatch(text, RAW_OUTPUT, `${where} shows raw output:\n${text}`);
  assert.doesNotMatch(
    text,
    /relation "orders"|at Object\.|<\/?[a-z]+>|Bad Gateway|Traceback/i,
    `${where} leaks internals`,
  );
}

const INTERNAL_500 = {
  status: 500,
  contentType: 'application/json',
  body: JSON.stringify({
    code: 'internal_error',
    message: 'relation "orders" does not exist',
    details: { stack: 'at Object.<anonymous> (src/orders/store.ts:1:1)' },
  }),
};

/** Routes requests whose path is `path` (and method, when given) to `handler`. */
async function intercept(
  page: Page,
  path: string,
  handler: (route: Route) => Promise<void>,
  method?: string,
) {
  const matches = (url: URL) => url.pathname === path;
  await page.route(matches, (route) =>
    method && route.request().method() !== method ? route.fallback() : handler(route),
  );
  return () => page.unroute(matches);
}

describe('errors read as sentences', () => {
  test('API failures (5xx, an HTML error page, no answer) show a sentence and a way to retry', async () => {
    const watch = new ConsoleWatch();
    watch.expectStatus(500, 502, 503);
    watch.expectConsole(/net::ERR_CONNECTION_REFUSED/); // the add-to-cart request aborted on purpose
    const shopper = await orderly.customer('Fran Failure');
    const context = await signedInContext(browser, shopper.token);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'failures');

    // the catalog cannot load: a 500 with internal details in its body
    let release = await intercept(page, '/api/v1/products', (route) => route.fulfill(INTERNAL_500));
    await page.goto(orderly.url + '/');
    const failed = page.getByTestId('error-state');
    await failed.getByText('Something went wrong on our side. Please try again in a moment.').waitFor();
    await assertNoRawOutput(page, 'catalog (500)');
    await screenshot(page, 'errors-01-catalog-500');
    assert.equal((await axe(page)).length, 0, 'the error state is accessible');
    await release();
    await failed.getByRole('button', { name: 'Try again' }).click();
    await page.getByTestId('product-card').first().waitFor();

    // a proxy answers with an HTML page instead of the API
    const product = await orderly.product('Oak Cutting Board');
    release = await intercept(page, `/api/v1/products/${product.id}`, (route) =>
      route.fulfill({
        status: 502,
        contentType: 'text/html',
        body: '<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>',
      }),
    );
    await page.goto(`${orderly.url}/products/${product.id}`);
    await page.getByTestId('error-state').waitFor();
    await assertNoRawOutput(page, 'product page (502 HTML)');
    await release();
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('heading', { level: 1, name: 'Oak Cutting Board' }).waitFor();

    // no answer at all when adding to the cart
    release = await intercept(
      page,
      '/api/v1/cart/items',
      (route) => route.abort('connectionrefused'),
      'POST',
    );
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page
      .getByTestId('toasts')
      .getByText('We could not reach the shop. Check your connection and try again.')
      .waitFor();
    await release();
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByTestId('cart-count').filter({ hasText: /^1/ }).waitFor();

    // checkout gets a 503: the shopper is told a retry is safe, and the retry reuses the key
    const keys: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/v1/cart/checkout')) keys.push(r.headers()['idempotency-key'] ?? '');
    });
    release = await intercept(
      page,
      '/api/v1/cart/checkout',
      (route) =>
        route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({ code: 'service_unavailable', message: 'pool exhausted', details: {} }),
        }),
      'POST',
    );
    await page.goto(orderly.url + '/checkout');
    await page.getByTestId('checkout-form').waitFor();
    await page.getByLabel('Street address').fill('3 Failure Lane');
    await page.getByLabel('City').fill('Austin');
    await page.getByLabel('State').fill('TX');
    await page.getByLabel('ZIP code').fill('73301');
    await quotedTotal(page);
    await page.getByTestId('place-order').click();
    const error = page.getByTestId('checkout-error');
    await error.getByText('The shop is briefly unavailable. Please try again in a moment.').waitFor();
    await error.getByText('You will not be charged twice').waitFor();
    await assertNoRawOutput(page, 'checkout (503)');
    await screenshot(page, 'errors-02-checkout-503');
    await release();
    await page.getByTestId('place-order').click();
    await page.getByTestId('confirmation').waitFor();
    assert.equal(keys.length, 2);
    assert.ok(
      keys[0] && keys[0] === keys[1],
      'the retry of an unanswered attempt sends the same Idempotency-Key',
    );

    // the admin dashboard's figures fail with a plain-text 500
    const admin = await signedInContext(browser, await orderly.adminToken());
    admin.setDefaultTimeout(10_000);
    const adminPage = watch.attach(await admin.newPage(), 'admin failures');
    await intercept(adminPage, '/api/v1/admin/stats', (route) =>
      route.fulfill({ status: 500, contentType: 'text/plain', body: 'Traceback (most recent call last)' }),
    );
    await adminPage.goto(orderly.url + '/admin');
    await adminPage.getByTestId('error-state').first().waitFor();
    await assertNoRawOutput(adminPage, 'admin dashboard (500)');
    await screenshot(adminPage, 'errors-03-dashboard-500');

    await admin.close();
    await context.close();
    assert.deepEqual(watch.problems, []);
  });

  test('the API’s refusals read as sentences: stock ran out, price changed, not found, session expired, email taken', async () => {
    const watch = new ConsoleWatch();
    watch.expectStatus(401, 404, 409);
    const adminToken = await orderly.adminToken();
    const shopper = await orderly.customer('Gale Gone');
    const sweater = await orderly.product('Merino Crew Sweater');
    const calendar = await orderly.product('Wall Calendar');
    await orderly.api('POST', '/cart/items', {
      token: shopper.token,
      body: { productId: sweater.id, quantity: 2 },
    });
    await orderly.api('POST', '/cart/items', {
      token: shopper.token,
      body: { productId: calendar.id, quantity: 1 },
    });
    const context = await signedInContext(browser, shopper.token);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'refusals');

    // stock runs short between loading the checkout and placing the order
    await page.goto(orderly.url + '/checkout');
    await page.getByTestId('checkout-form').waitFor();
    await page.getByLabel('Street address').fill('8 Short Street');
    await page.getByLabel('City').fill('Boston');
    await page.getByLabel('State').fill('MA');
    await page.getByLabel('ZIP code').fill('02108');
    await quotedTotal(page);
    const stock = await orderly.api('POST', `/products/${sweater.id}/stock`, {
      token: adminToken,
      body: { operation: 'set', quantity: 1 },
    });
    assert.equal(stock.status, 200);
    await page.getByTestId('place-order').click();
    const error = page.getByTestId('checkout-error');
    await error.getByText('Only 1 left of Merino Crew Sweater — please lower the quantity.').waitFor();
    await error.getByRole('link', { name: 'Review your cart' }).waitFor();
    await assertNoRawOutput(page, 'checkout (out of stock)');
    await screenshot(page, 'errors-04-checkout-out-of-stock');

    // the cart shows the shortage and offers the fix
    await error.getByRole('link', { name: 'Review your cart' }).click();
    await page.getByTestId('cart-warning').first().waitFor();
    await assertNoRawOutput(page, 'cart (shortage)');
    await page.getByTestId('cart-quantity').first().fill('1');
    await page
      .getByRole('button', { name: /^Update/ })
      .first()
      .click();
    await page.getByTestId('cart-warning').waitFor({ state: 'detached' });

    // a price changes between loading the checkout and placing the order
    await page.getByTestId('checkout-link').click();
    await page.getByTestId('checkout-form').waitFor();
    const before = await quotedTotal(page);
    const patched = await orderly.api('PATCH', `/products/${calendar.id}`, {
      token: adminToken,
      body: { price: 23.5 },
    });
    assert.equal(patched.status, 200);
    await page.getByTestId('place-order').click();
    // the cart's lines are priced afresh: what no longer holds is the quote's total
    await error
      .getByText('The total has changed since you saw it. Check the new total, then place the order.')
      .waitFor();
    await assertNoRawOutput(page, 'checkout (price changed)');
    // the new subtotal ($119 + $23.50), and a total worked out again with it
    await page.getByTestId('checkout-summary').getByText('$142.50').waitFor();
    const after = await eventually(async () => {
      const now = await quotedTotal(page);
      return now === before ? undefined : now;
    });
    await screenshot(page, 'errors-05-checkout-price-changed');
    // the refreshed total is the one placed now
    await page.getByTestId('place-order').click();
    await page.getByTestId('confirmation').waitFor();
    assert.equal(await page.getByTestId('confirmation').getByTestId('order-total').innerText(), after);

    // not found: an order, a product, a page
    await page.goto(`${orderly.url}/orders/01900000-0000-7000-8000-000000000000`);
    await page.getByRole('heading', { name: 'Order not found' }).waitFor();
    await assertNoRawOutput(page, 'order not found');
    await page.goto(`${orderly.url}/products/01900000-0000-7000-8000-000000000000`);
    await page.getByRole('heading', { name: 'Product not found' }).waitFor();
    await page.goto(`${orderly.url}/no/such/page`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    assert.equal((await axe(page)).length, 0, 'the not-found page is accessible');

    await context.close();

    // a session the server no longer accepts (a fresh context: the other one re-signs in on load)
    const fresh = await expiredSessionContext(browser);
    fresh.setDefaultTimeout(10_000);
    const other = watch.attach(await fresh.newPage(), 'expired');
    await other.goto(orderly.url + '/orders');
    await other.getByText('Your session has expired.').waitFor();
    await other.getByRole('heading', { name: 'Sign in' }).waitFor();
    await assertNoRawOutput(other, 'expired session');
    await screenshot(other, 'errors-06-session-expired');

    // signing up with an email that has an account (and another password): the answer does not
    // say whether the email has an account, and nobody is signed in
    await other.goto(orderly.url + '/register');
    await other.getByLabel('Name').fill('Gale Again');
    await other.getByLabel('Email').fill(shopper.email);
    await other.getByLabel('Password').fill('another-strong-passphrase-7');
    await other.getByRole('button', { name: 'Create account' }).click();
    await other.getByTestId('register-accepted').getByText('We have sent an email to').waitFor();
    await other.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' }).waitFor();
    await assertNoRawOutput(other, 'sign up (email taken)');

    await fresh.close();
    assert.deepEqual(watch.problems, []);
  });

  test('the checks can fail: axe reports planted violations, the console watch reports errors and CSP violations', async () => {
    const watch = new ConsoleWatch();
    const context = await browser.newContext(DESKTOP);
    const page = watch.attach(await context.newPage(), 'canary');
    await page.goto(orderly.url + '/');
    await page.getByTestId('product-card').first().waitFor();
    assert.deepEqual(await axe(page), []);

    // an unlabelled input and an image without alt text
    await page.evaluate(`(() => {
      const main = document.querySelector('main');
      main.insertAdjacentHTML('afterbegin', '<input type="text"><img src="/favicon.svg">');
    })()`);
    const ids = (await axe(page)).map((v) => v.id).sort();
    assert.ok(ids.includes('label') && ids.includes('image-alt'), `axe found ${ids.join(', ')}`);

    // an inline script, which the Content-Security-Policy refuses, and a console error
    await page.evaluate(`(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = true';
      document.body.appendChild(s);
      console.error('planted console error');
    })()`);
    await page.waitForTimeout(100);
    assert.equal(await page.evaluate('window.__inline === true'), false, 'the inline script did not run');
    assert.ok(
      watch.problems.some((p) => /Content Security Policy/i.test(p)),
      watch.problems.join('\n'),
    );
    assert.ok(watch.problems.some((p) => p.includes('planted console error')));
    await context.close();
  });
});
