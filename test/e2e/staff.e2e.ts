/**
 * Staff roles in the browser: the owner invites a support member, who chooses a password from
 * the invitation, signs in and sees orders but no catalog or settings; a refund above support's
 * limit is refused with a sentence, one within it goes through; the owner deactivates her and
 * reactivates her; the owner's audit log names it all.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  ConsoleWatch,
  DESKTOP,
  assertAccessible,
  launchBrowser,
  screenshot,
  signedInContext,
  startOrderly,
  uniqueEmail,
  type Orderly,
} from './harness.ts';

let orderly: Orderly;
let browser: Browser;
let orderId: string;

before(async () => {
  [orderly, browser] = await Promise.all([startOrderly(), launchBrowser()]);
  const shopper = await orderly.customer('Paula Payer');
  const skillet = await orderly.product('Cast Iron Skillet');
  const order = await orderly.placeOrder(shopper.token, [{ productId: skillet.id, quantity: 3 }]);
  assert.equal(order.status, 201, JSON.stringify(order.body));
  assert.ok(order.body.total > 60, 'an order worth more than the refund tried');
  orderId = order.body.id;
});

after(async () => {
  await browser?.close();
  await orderly?.stop();
});

describe('staff roles', () => {
  test('owner invites support; support signs in, sees orders only, is held to the refund limit; the audit log names both', async () => {
    const owner = await orderly.adminToken();
    const email = uniqueEmail('sonia');
    const watch = new ConsoleWatch();
    watch.expectStatus(403); // the refund above the limit, on purpose

    // the owner invites
    const ownerContext = await signedInContext(browser, owner, DESKTOP);
    ownerContext.setDefaultTimeout(10_000);
    const ownerPage = watch.attach(await ownerContext.newPage(), 'owner');
    await ownerPage.goto(`${orderly.url}/admin/staff`);
    const invite = ownerPage.getByTestId('invite-staff');
    await invite.getByLabel('Name').fill('Sonia Support');
    await invite.getByLabel('Email').fill(email);
    await invite.getByLabel('Role').selectOption('support');
    await invite.getByRole('button', { name: 'Send the invitation' }).click();
    const row = ownerPage.getByTestId('staff-member').filter({ hasText: email });
    await row.getByText('Invited').waitFor();
    await screenshot(ownerPage, 'staff-01-invited');
    await assertAccessible(ownerPage, 'staff page');

    // the invitation's link, as the email has it
    const mails = await orderly.api<{ items: { id: string; template: string }[] }>(
      'GET',
      `/admin/notifications?recipient=${encodeURIComponent(email)}`,
      { token: owner },
    );
    const invitation = mails.body.items.find((m) => m.template === 'staff_invitation');
    assert.ok(invitation, 'an invitation email');
    const mail = await orderly.api<{ text: string }>('GET', `/admin/notifications/${invitation.id}`, {
      token: owner,
    });
    const link = /(http\S+\/reset-password#token=[A-Za-z0-9_-]+)/.exec(mail.body.text)?.[1];
    assert.ok(link, 'the email carries the link');

    // support chooses a password and signs in
    const supportContext = await browser.newContext(DESKTOP);
    supportContext.setDefaultTimeout(10_000);
    const support = watch.attach(await supportContext.newPage(), 'support');
    await support.goto(link.replace(/^https?:\/\/[^/]+/, orderly.url));
    await support.getByLabel('New password').fill('sonia answers the phone 7');
    await support.getByRole('button', { name: 'Set new password and sign in' }).click();
    await support.waitForURL(/\/account/);
    await support.goto(`${orderly.url}/admin`);
    const nav = support.getByRole('navigation', { name: 'Admin' });
    await nav.getByRole('link', { name: 'Orders' }).waitFor();
    for (const hidden of ['Products', 'Shipping & tax', 'Discounts', 'Staff', 'Audit log', 'Inventory']) {
      assert.equal(await nav.getByRole('link', { name: hidden, exact: true }).count(), 0, `${hidden} hidden`);
    }
    await screenshot(support, 'staff-02-support-dashboard');
    await assertAccessible(support, 'support dashboard');

    // a refund above the limit is refused with a sentence; one within it goes through
    await support.goto(`${orderly.url}/admin/orders/${orderId}`);
    const refund = support.getByTestId('action-refund');
    await refund.getByLabel(/Amount/).fill('60');
    await refund.getByRole('button', { name: 'Refund', exact: true }).click();
    await support
      .getByTestId('refund-dialog')
      .getByRole('button', { name: /Refund \$60\.00/ })
      .click();
    const refused = refund.getByText(/at most \$50\.00 at a time/);
    await refused.waitFor();
    await screenshot(support, 'staff-03-refund-refused');
    await refund.getByLabel(/Amount/).fill('20');
    await refund.getByRole('button', { name: 'Refund', exact: true }).click();
    await support
      .getByTestId('refund-dialog')
      .getByRole('button', { name: /Refund \$20\.00/ })
      .click();
    await support.getByTestId('timeline').getByText('Sonia Support').waitFor();

    // the owner deactivates Sonia and, after confirming, undoes it: she may sign in again (her
    // page is closed first: its requests would be refused once her session ends)
    await supportContext.close();
    await ownerPage.goto(`${orderly.url}/admin/staff`);
    await row.getByRole('button', { name: 'Deactivate Sonia Support' }).click();
    await row.getByTestId('deactivate-staff').getByRole('button', { name: 'Deactivate' }).click();
    await row.getByRole('cell', { name: /^Deactivated/ }).waitFor();
    await row.getByRole('button', { name: 'Reactivate Sonia Support' }).click();
    const reactivate = row.getByTestId('reactivate-staff');
    await reactivate.getByRole('heading', { name: 'Reactivate Sonia Support?' }).waitFor();
    await screenshot(ownerPage, 'staff-05-reactivate', false);
    await reactivate.getByRole('button', { name: 'Reactivate' }).click();
    await row.getByRole('cell', { name: 'Active', exact: true }).waitFor();
    await row.getByRole('button', { name: 'Deactivate Sonia Support' }).waitFor();
    const signIn = await orderly.api('POST', '/auth/login', {
      body: { email, password: 'sonia answers the phone 7' },
    });
    assert.equal(signIn.status, 200, 'she signs in again');

    // the owner's audit log names the owner's invitation and support's refund
    await ownerPage.goto(`${orderly.url}/admin/audit-log`);
    const entries = ownerPage.getByTestId('audit-entry');
    await entries.filter({ hasText: 'order.refund' }).filter({ hasText: 'Sonia Support' }).waitFor();
    await entries.filter({ hasText: 'staff.invite' }).first().waitFor();
    await entries.filter({ hasText: 'staff.reactivate' }).first().waitFor();
    const inviter = await entries.filter({ hasText: 'staff.invite' }).first().innerText();
    assert.doesNotMatch(inviter, /Sonia Support\s+staff\.invite/, 'the owner invited, not Sonia');
    await screenshot(ownerPage, 'staff-04-audit-log');
    await assertAccessible(ownerPage, 'audit log');
    assert.deepEqual(watch.problems, []);
    await ownerContext.close();
  });
});
