/**
 * Accounts in the storefront: signing up (with advice in words for a password that is easy to
 * guess), signing out on the server, a forgotten password reset by the link emailed to the dev
 * mailbox (single use; the old password stops working), and the account page: name and phone,
 * saved addresses (one picked at checkout), a new password, signing out everywhere. Every page is
 * photographed on a desktop and a phone, and axe finds nothing on any of them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  axe,
  ConsoleWatch,
  DESKTOP,
  describeViolations,
  eventually,
  inPage,
  launchBrowser,
  PASSWORD,
  PHONE,
  RAW_OUTPUT,
  screenshot,
  signedInContext,
  startOrderly,
  uniqueEmail,
  visibleText,
  type Orderly,
} from './harness.ts';

const NEW_PASSWORD = 'maple-harbor-violet-42';
const NEWER_PASSWORD = 'saffron-tundra-whistle-9';

let orderly: Orderly;
let browser: Browser;

before(async () => {
  // one shopper signs up, signs in, asks for links and signs in again within a minute: more
  // than the per-account limit of sign-in requests a minute allows (the API tests cover it)
  [orderly, browser] = await Promise.all([
    startOrderly({ RATE_LIMIT_AUTH_PER_ACCOUNT: '100' }),
    launchBrowser(),
  ]);
});

after(async () => {
  await browser?.close();
  await orderly?.stop();
});

/** axe finds nothing, no raw code or JSON shows, the page fits the screen, and a picture is saved. */
async function checkPage(page: Page, name: string): Promise<void> {
  const violations = await axe(page);
  assert.equal(violations.length, 0, describeViolations(name, violations));
  assert.doesNotMatch(await visibleText(page), RAW_OUTPUT, `${name} shows raw output`);
  const [scrollWidth, innerWidth] = await inPage<[number, number]>(
    page,
    '[document.documentElement.scrollWidth, window.innerWidth]',
  );
  assert.ok(
    scrollWidth <= innerWidth,
    `${name}: the page is ${scrollWidth} px wide on a ${innerWidth} px screen`,
  );
  await screenshot(page, name);
}

interface Message {
  id: string;
  recipient: string;
  template: string;
}

/** The link in the password-reset email to `email`, read from the dev mailbox as an admin. */
async function resetLinkFor(email: string): Promise<string> {
  const admin = await orderly.adminToken();
  const message = await eventually(
    async () => {
      const list = await orderly.api<{ items: Message[] }>('GET', '/admin/notifications?limit=100', {
        token: admin,
      });
      return list.body.items.find((m) => m.recipient === email && m.template === 'password_reset');
    },
    10_000,
    `a password reset email to ${email}`,
  );
  const full = await orderly.api<{ text: string; html: string | null }>(
    'GET',
    `/admin/notifications/${message.id}`,
    { token: admin },
  );
  const link = /https?:\/\/[^\s"<>]+\/reset-password#token=[A-Za-z0-9_-]+/.exec(full.body.text)?.[0];
  assert.ok(link, `the reset email has a link: ${full.body.text}`);
  assert.ok(full.body.html?.includes(link), 'the HTML part has the same link');
  return link;
}

async function tokenIn(page: Page): Promise<string> {
  const token = await inPage<string | null>(page, 'localStorage.getItem("orderly.token")');
  assert.ok(token, 'the browser holds a session');
  return token;
}

async function loginStatus(email: string, password: string): Promise<number> {
  return (await orderly.api('POST', '/auth/login', { body: { email, password } })).status;
}

describe('accounts in the storefront', () => {
  test('sign up, sign out, forgot password, reset by the emailed link, signed in; the old password and the used link are refused', async () => {
    const watch = new ConsoleWatch();
    watch.expectStatus(400, 422); // a weak password and a used link, on purpose
    const context = await browser.newContext(DESKTOP);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'reset');
    const email = uniqueEmail('Robin Reset');
    const nav = page.getByRole('navigation', { name: 'Main' });

    // sign up: a password that is easy to guess is refused with advice in words
    await page.goto(orderly.url + '/register');
    await page.getByLabel('Name').fill('Robin Reset');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('password123');
    await page.getByRole('button', { name: 'Create account' }).click();
    const advice = page.locator('.field-error');
    await advice.waitFor();
    assert.match(await advice.innerText(), /^This password is too easy to guess\. \S.+/);
    await checkPage(page, 'account-01-register-weak-password');

    // a strong one: the account is made and the shopper is signed in with it
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await nav.getByRole('link', { name: 'Account', exact: true }).waitFor();
    const firstSession = await tokenIn(page);

    // Sign out ends the session on the server too, not only in this browser
    await nav.getByRole('button', { name: 'Sign out' }).click();
    await nav.getByRole('link', { name: 'Sign in' }).waitFor();
    assert.equal((await orderly.api('GET', '/auth/me', { token: firstSession })).status, 401);

    // "Forgot password?" on the sign-in page
    await nav.getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await checkPage(page, 'account-02-sign-in');
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    await checkPage(page, 'account-03-forgot-password');

    // an email with no account gets the same words as one with an account
    await page.getByLabel('Email').fill(uniqueEmail('Nobody Here'));
    await page.getByRole('button', { name: 'Email me a link' }).click();
    const unknownAnswer = await page.getByTestId('reset-requested').innerText();
    await page.goto(orderly.url + '/forgot-password');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Email me a link' }).click();
    const knownAnswer = await page.getByTestId('reset-requested').innerText();
    assert.equal(knownAnswer, unknownAnswer);
    assert.match(knownAnswer, /If this email has an account, we have sent it a link/);
    await checkPage(page, 'account-04-reset-link-sent');

    // the email in the dev mailbox links to the storefront; the token leaves the address bar
    const link = await resetLinkFor(email);
    assert.ok(link.startsWith(`${orderly.url}/reset-password#token=`), link);
    await page.goto(link);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    assert.equal(page.url(), `${orderly.url}/reset-password`);
    await checkPage(page, 'account-05-reset-password');

    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set new password and sign in' }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    assert.match(await page.getByTestId('account-notice').innerText(), /new password is set/);
    await nav.getByRole('link', { name: 'Account', exact: true }).waitFor();
    const resetSession = await tokenIn(page);
    const me = await orderly.api<{ email: string }>('GET', '/auth/me', { token: resetSession });
    assert.equal(me.body.email, email);

    // the old password no longer works; the new one does
    assert.equal(await loginStatus(email, PASSWORD), 401);
    assert.equal(await loginStatus(email, NEW_PASSWORD), 200);

    // the same link a second time is refused, and offers a new one
    await page.goto(link);
    await page.getByLabel('New password').fill(NEWER_PASSWORD);
    await page.getByRole('button', { name: 'Set new password and sign in' }).click();
    const refused = page.getByTestId('reset-failed');
    await refused.waitFor();
    assert.match(await refused.innerText(), /expired or has already been used/);
    await refused.getByRole('link', { name: 'Ask for a new link' }).waitFor();
    await checkPage(page, 'account-06-reset-link-used');
    assert.equal(await loginStatus(email, NEWER_PASSWORD), 401);
    assert.equal(await loginStatus(email, NEW_PASSWORD), 200);

    // the page without a token says what to do instead of showing a form that cannot work
    await page.goto(orderly.url + '/reset-password');
    await page.getByTestId('reset-link-incomplete').waitFor();
    await checkPage(page, 'account-06b-reset-link-missing');

    await context.close();
    assert.deepEqual(watch.problems, []);
  });

  test('the account page edits name and phone, saves, edits and deletes addresses, picks one at checkout, changes the password and signs out everywhere', async () => {
    const shopper = await orderly.customer('Alex Account');
    const watch = new ConsoleWatch();
    watch.expectStatus(422); // the wrong current password, on purpose
    const context = await signedInContext(browser, shopper.token, DESKTOP);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'account');
    const nav = page.getByRole('navigation', { name: 'Main' });

    await page.goto(orderly.url + '/');
    await nav.getByRole('link', { name: 'Account', exact: true }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    assert.equal(await page.getByTestId('account-email').innerText(), shopper.email);
    await page.getByText('No saved addresses yet').waitFor();
    await checkPage(page, 'account-07-account-empty');

    // name and phone
    const details = page.getByTestId('details-form');
    await details.getByLabel('Name').fill('Alex Renamed');
    await details.getByLabel('Phone (optional)').fill('+1 415 555 0100');
    await details.getByRole('button', { name: 'Save details' }).click();
    await page.getByTestId('details-outcome').getByText('Your details are saved.').waitFor();
    await nav.getByText('Alex Renamed').waitFor();
    const me = await orderly.api<{ name: string; phone: string | null }>('GET', '/auth/me', {
      token: shopper.token,
    });
    assert.deepEqual([me.body.name, me.body.phone], ['Alex Renamed', '+1 415 555 0100']);

    // an address added, then changed
    await page.getByRole('button', { name: 'Add an address' }).click();
    const form = page.getByTestId('address-form');
    await form.getByLabel('Label (optional)').fill('Home');
    await form.getByLabel('Recipient (optional)').fill('Alex Renamed');
    await form.getByLabel('Street address').fill('1 Market Street');
    await form.getByLabel('City').fill('San Francisco');
    await form.getByLabel('State').fill('CA');
    await form.getByLabel('ZIP code').fill('94105');
    await checkPage(page, 'account-08-address-form');
    await form.getByRole('button', { name: 'Save address' }).click();
    const home = page.getByTestId('saved-address').filter({ hasText: 'Home' });
    await home.getByText('San Francisco, CA 94105').waitFor();

    await home.getByRole('button', { name: 'Edit Home' }).click();
    await form.getByLabel('City').fill('Oakland');
    await form.getByLabel('ZIP code').fill('94607');
    await form.getByRole('button', { name: 'Save address' }).click();
    await home.getByText('Oakland, CA 94607').waitFor();

    // a second one, deleted after a question
    await page.getByRole('button', { name: 'Add an address' }).click();
    await form.getByLabel('Label (optional)').fill('Work');
    await form.getByLabel('Street address').fill('500 Howard Street');
    await form.getByLabel('City').fill('San Francisco');
    await form.getByLabel('State').fill('CA');
    await form.getByLabel('ZIP code').fill('94105');
    await form.getByRole('button', { name: 'Save address' }).click();
    const work = page.getByTestId('saved-address').filter({ hasText: 'Work' });
    await work.waitFor();
    await checkPage(page, 'account-09-account-addresses');
    await work.getByRole('button', { name: 'Delete Work' }).click();
    const dialog = page.getByTestId('delete-address-dialog');
    await dialog.getByRole('button', { name: 'Delete address' }).click();
    await work.waitFor({ state: 'detached' });
    const saved = await orderly.api<{ items: Array<{ label: string | null; city: string; zip: string }> }>(
      'GET',
      '/account/addresses',
      { token: shopper.token },
    );
    assert.deepEqual(
      saved.body.items.map((a) => [a.label, a.city, a.zip]),
      [['Home', 'Oakland', '94607']],
    );

    // at checkout the saved address fills the address fields
    const product = await orderly.product('Canvas Tote');
    const added = await orderly.api('POST', '/cart/items', {
      token: shopper.token,
      body: { productId: product.id, quantity: 1 },
    });
    assert.ok(added.status === 200 || added.status === 201, `add to cart answered ${added.status}`);
    await page.goto(orderly.url + '/checkout');
    await page.getByLabel('Use a saved address').selectOption({ label: 'Home: 1 Market Street, Oakland' });
    const shipping = page.getByTestId('shipping-fields');
    assert.equal(await shipping.getByLabel('Street address').inputValue(), '1 Market Street');
    assert.equal(await shipping.getByLabel('City').inputValue(), 'Oakland');
    assert.equal(await shipping.getByLabel('ZIP code').inputValue(), '94607');
    await checkPage(page, 'account-10-checkout-saved-address');

    // a new password needs the current one, keeps this session and ends the others
    await page.goto(orderly.url + '/account');
    const password = page.getByTestId('password-form');
    await password.getByLabel('Current password').fill('not-my-password-at-all');
    await password.getByLabel('New password').fill(NEW_PASSWORD);
    await password.getByRole('button', { name: 'Change password' }).click();
    await password
      .locator('.field-error')
      .getByText(/Current password/)
      .waitFor();
    await password.getByLabel('Current password').fill(PASSWORD);
    await password.getByRole('button', { name: 'Change password' }).click();
    await page
      .getByTestId('password-outcome')
      .getByText(/every other device has been signed out/)
      .waitFor();
    assert.equal((await orderly.api('GET', '/auth/me', { token: shopper.token })).status, 401);
    const changedSession = await tokenIn(page);
    assert.notEqual(changedSession, shopper.token);
    assert.equal((await orderly.api('GET', '/auth/me', { token: changedSession })).status, 200);
    assert.equal(await loginStatus(shopper.email, NEW_PASSWORD), 200);

    // "Sign out everywhere" says what it does, and does it
    await page.getByText('Signing out ends every session of your account').waitFor();
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.getByText('You are signed out on every device.').waitFor();
    assert.equal((await orderly.api('GET', '/auth/me', { token: changedSession })).status, 401);

    await context.close();
    assert.deepEqual(watch.problems, []);
  });

  test('on a phone: sign-up, sign-in, forgot password, reset and account pages fit and pass axe', async () => {
    const watch = new ConsoleWatch();
    watch.expectStatus(400); // the weak password, on purpose
    const context = await browser.newContext(PHONE);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'phone');

    await page.goto(orderly.url + '/register');
    await page.getByLabel('Name').fill('Pat Phone');
    await page.getByLabel('Email').fill(uniqueEmail('Pat Phone'));
    await page.getByLabel('Password').fill('password123');
    await page.getByRole('button', { name: 'Create account' }).tap();
    await page.locator('.field-error').waitFor();
    await checkPage(page, 'account-phone-01-register-weak-password');

    await page.goto(orderly.url + '/login');
    await page.getByRole('link', { name: 'Forgot password?' }).waitFor();
    await checkPage(page, 'account-phone-02-sign-in');

    const shopper = await orderly.customer('Pia Phone');
    await page.getByRole('link', { name: 'Forgot password?' }).tap();
    await page.getByLabel('Email').fill(shopper.email);
    await checkPage(page, 'account-phone-03-forgot-password');
    await page.getByRole('button', { name: 'Email me a link' }).tap();
    await page.getByTestId('reset-requested').waitFor();
    await checkPage(page, 'account-phone-04-reset-link-sent');

    const link = await resetLinkFor(shopper.email);
    await page.goto(link);
    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await checkPage(page, 'account-phone-05-reset-password');
    await page.getByRole('button', { name: 'Set new password and sign in' }).tap();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();

    const token = await tokenIn(page);
    const created = await orderly.api('POST', '/account/addresses', {
      token,
      body: {
        label: 'Home',
        recipient: 'Pia Phone',
        street: '1 Market Street',
        city: 'San Francisco',
        state: 'CA',
        zip: '94105',
        country: 'US',
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await page.reload();
    await page.getByTestId('saved-address').waitFor();
    await checkPage(page, 'account-phone-06-account');
    await page.getByRole('button', { name: 'Edit Home' }).tap();
    await page.getByTestId('address-form').waitFor();
    await checkPage(page, 'account-phone-07-address-form');

    await context.close();
    assert.deepEqual(watch.problems, []);
  });
});
