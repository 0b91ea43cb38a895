/**
 * The admin's webhooks: an endpoint registered with the event checklist, its secret shown once,
 * an order placed whose events reach a real local receiver (the first answer a 500, so the log
 * shows a retry), the delivery log with each attempt, a replay and a test event. What the
 * receiver got is checked too: signed with the secret the page showed, the same event id on replay.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  startWebhookReceiver,
  type ReceivedRequest,
  type WebhookReceiver,
} from '../doubles/webhook-receiver.ts';
import {
  assertAccessible,
  ConsoleWatch,
  DESKTOP,
  inPage,
  launchBrowser,
  PHONE,
  screenshot,
  signedInContext,
  startOrderly,
  type Orderly,
} from './harness.ts';

let orderly: Orderly;
let browser: Browser;
let receiver: WebhookReceiver;
let admin: string;

before(async () => {
  receiver = await startWebhookReceiver();
  [orderly, browser] = await Promise.all([
    // retries a second apart, so the log shows the retry within the test
    startOrderly({ WEBHOOKS_RETRY_BASE_MS: '500', WEBHOOKS_RETRY_MAX_MS: '1000' }),
    launchBrowser(),
  ]);
  admin = await orderly.adminToken();
});

after(async () => {
  await browser?.close();
  await orderly?.stop();
  await receiver?.close();
});

const adminNav = (page: Page) => page.getByRole('navigation', { name: 'Admin' });

function signedWith(secret: string, request: ReceivedRequest): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(request.headers['orderly-signature']));
  return (
    match !== null &&
    createHmac('sha256', secret).update(`${match[1]}.${request.body}`).digest('hex') === match[2]
  );
}

const eventIdOf = (r: ReceivedRequest) => String(r.headers['orderly-event-id']);

describe('webhooks admin', () => {
  test('the admin registers an endpoint, sees its deliveries and attempts, replays one and sends a test event', async () => {
    const watch = new ConsoleWatch();
    const context = await signedInContext(browser, admin, DESKTOP);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'admin');

    await page.goto(orderly.url + '/admin');
    await adminNav(page).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    await page.getByText('No webhook endpoints yet.').waitFor();
    await screenshot(page, 'webhooks-01-empty');

    await page.getByRole('button', { name: 'New endpoint' }).click();
    const form = page.getByRole('form', { name: 'New webhook endpoint' });
    await form.getByRole('checkbox', { name: 'OrderPlaced' }).waitFor();
    await form.getByRole('button', { name: 'Register endpoint' }).click();
    await form.getByText('Choose at least one event.').waitFor();
    await form.getByText('Enter the full address').waitFor();
    await form.getByLabel('URL').fill(`${receiver.url}/orderly`);
    await form.getByLabel('Description').fill('Warehouse system');
    await form.getByRole('checkbox', { name: 'OrderPlaced' }).check();
    await form.getByRole('checkbox', { name: 'OrderConfirmed' }).check();
    await screenshot(page, 'webhooks-02-form');
    await assertAccessible(page, 'the new endpoint form');
    await form.getByRole('button', { name: 'Register endpoint' }).click();

    const secretPanel = page.getByTestId('webhook-secret');
    await secretPanel.waitFor();
    const secret = (await page.getByTestId('webhook-secret-value').innerText()).trim();
    assert.match(secret, /^whsec_/);
    await page.getByTestId('webhook-endpoint-row').waitFor();
    await screenshot(page, 'webhooks-03-secret-shown-once');
    await assertAccessible(page, 'the secret shown once');
    await secretPanel.getByRole('button', { name: 'Done' }).click();
    await secretPanel.waitFor({ state: 'detached' });
    assert.equal(await page.getByText(secret).count(), 0, 'the secret is gone once dismissed');

    // an order: its two events go out, the first answered 500 and retried
    receiver.reply({ status: 500, body: 'warehouse busy' });
    const customer = await orderly.customer('Hook Buyer');
    const product = await orderly.product('Canvas Tote');
    const order = await orderly.placeOrder(customer.token, [{ productId: product.id, quantity: 1 }]);
    assert.equal(order.status, 201);
    const requests = await receiver.received(3);
    assert.ok(
      requests.every((r) => signedWith(secret, r)),
      'every request is signed with the secret shown',
    );
    assert.deepEqual(
      new Set(requests.map((r) => JSON.parse(r.body).type)),
      new Set(['OrderPlaced', 'OrderConfirmed']),
    );

    await page.getByRole('link', { name: /Delivery log/ }).click();
    await page.getByRole('heading', { name: 'Webhook endpoint', level: 1 }).waitFor();
    const rows = page.getByTestId('webhook-delivery-row');
    await rows.nth(1).waitFor();
    // the retried one may still be on its way: refresh until both read delivered
    for (let i = 0; i < 20 && (await page.locator('[data-status="delivered"]').count()) < 2; i++) {
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.waitForResponse((r) => r.url().includes('/deliveries'));
    }
    assert.equal(await page.locator('[data-status="delivered"]').count(), 2);
    const retried = rows.filter({ has: page.getByRole('cell', { name: '2', exact: true }) });
    await retried.getByRole('button', { name: /^Attempts/ }).click();
    const attempts = page.getByTestId('webhook-attempt');
    await attempts.nth(1).waitFor();
    assert.match(await attempts.nth(0).innerText(), /Error answer \(500\)[\s\S]*warehouse busy/);
    assert.match(await attempts.nth(1).innerText(), /Delivered \(200\)/);
    await screenshot(page, 'webhooks-04-delivery-log');
    await assertAccessible(page, 'the delivery log');

    // replay: the same event goes out again, with the same id
    const retriedId = eventIdOf(requests[0] as ReceivedRequest);
    await page
      .getByTestId('webhook-attempts')
      .getByRole('button', { name: /^Replay/ })
      .click();
    await page.getByText('Replay queued').waitFor();
    const afterReplay = await receiver.received(4);
    assert.equal(eventIdOf(afterReplay[3] as ReceivedRequest), retriedId);
    await page.getByText('(replay)').waitFor();

    // a test event, whatever the endpoint subscribed to
    await page.getByRole('button', { name: 'Send test event' }).click();
    await page.getByText('Test event queued.').waitFor();
    const afterTest = await receiver.received(5);
    assert.equal(JSON.parse((afterTest[4] as ReceivedRequest).body).type, 'WebhookTest');

    // reveal shows the same secret; rotating shows a new one
    await page.getByRole('button', { name: 'Reveal secret' }).click();
    assert.equal((await page.getByTestId('webhook-secret-value').innerText()).trim(), secret);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page
      .getByRole('dialog', { name: 'Rotate the signing secret?' })
      .getByRole('button', { name: 'Rotate secret' })
      .click();
    await page.getByRole('heading', { name: 'New signing secret' }).waitFor();
    const rotated = (await page.getByTestId('webhook-secret-value').innerText()).trim();
    assert.notEqual(rotated, secret);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByText('WebhookTest').first().waitFor();
    await screenshot(page, 'webhooks-05-replay-test-rotate');

    assert.deepEqual(watch.problems, []);
    await context.close();
  });

  test('on a phone, the endpoints and the delivery log read as cards and fit the screen', async () => {
    const watch = new ConsoleWatch();
    const context = await signedInContext(browser, admin, PHONE);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'admin phone');

    await page.goto(orderly.url + '/admin/webhooks');
    await page.getByTestId('webhook-endpoint-row').waitFor();
    let overflow = await inPage<number>(page, 'document.documentElement.scrollWidth - window.innerWidth');
    assert.ok(overflow <= 0, `the endpoints page is ${overflow}px wider than the phone`);
    await screenshot(page, 'webhooks-06-phone-endpoints');
    await assertAccessible(page, 'the endpoints on a phone');

    await page.getByRole('link', { name: /Delivery log/ }).click();
    await page.getByTestId('webhook-delivery-row').first().waitFor();
    await page
      .getByTestId('webhook-delivery-row')
      .first()
      .getByRole('button', { name: /^Attempts/ })
      .click();
    await page.getByTestId('webhook-attempt').first().waitFor();
    overflow = await inPage<number>(page, 'document.documentElement.scrollWidth - window.innerWidth');
    assert.ok(overflow <= 0, `the delivery log is ${overflow}px wider than the phone`);
    await screenshot(page, 'webhooks-07-phone-delivery-log');
    await assertAccessible(page, 'the delivery log on a phone');

    assert.deepEqual(watch.problems, []);
    await context.close();
  });
});
