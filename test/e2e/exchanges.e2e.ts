/**
 * Exchanges in the browser (docs/returns.md): from the order page a shopper swaps a delivered
 * shirt for another size. A dearer size shows the difference before anything is sent and is paid
 * for with the request (a declined card first, then one that pays); the admin approves it and
 * ships the replacement from a stock location after confirming what leaves from where, and the
 * shopper sees its tracking. An approved dearer exchange whose shirt never comes back is cancelled
 * by the admin with a reason, and the shopper's order page shows it cancelled. A cheaper size shows
 * what comes back before it is asked for; the admin approves it, ships the replacement, receives
 * the shirt back into the stock of the location they choose and refunds the difference after
 * seeing the amount, and the shopper's order page shows it refunded. A swap at the same price,
 * on a phone, is free. The shop's prices include tax (PRICES_INCLUDE_TAX), so a size €5.00
 * dearer costs exactly €5.00 more, tax and all. Desktop and phone screenshots.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  ConsoleWatch,
  EURO_SHOP,
  PHONE,
  assertAccessible,
  launchBrowser,
  screenshot,
  signedInContext,
  startOrderly,
  type Orderly,
} from './harness.ts';

let orderly: Orderly;
let browser: Browser;

before(async () => {
  [orderly, browser] = await Promise.all([startOrderly(EURO_SHOP), launchBrowser()]);
});

after(async () => {
  await browser?.close();
  await orderly?.stop();
});

interface ReturnJson {
  id: string;
  status: string;
  kind: string;
  exchangeCharge: number;
  replacementShipment: { carrier: string; trackingNumber: string; location: { name: string } } | null;
}

let sequence = 0;

/**
 * A shirt in four sizes (S 17, M 20, L 20, XL 25, as test/exchanges.test.ts makes it) and a
 * customer's order of two in M, shipped and delivered by the admin through the API.
 */
async function deliveredShirts(name: string, stock: { S?: number } = {}) {
  const tag = `e2e-x${++sequence}-${Date.now()}`;
  const admin = await orderly.adminToken();
  const created = await orderly.api<{ variants: Array<{ id: string; sku: string }> }>('POST', '/products', {
    token: admin,
    body: {
      sku: tag,
      name: 'Shirt',
      description: 'A shirt',
      price: 20,
      initialStock: 0,
      options: [{ name: 'Size', values: ['S', 'M', 'L', 'XL'] }],
      variants: [
        { sku: `${tag}-s`, options: { Size: 'S' }, price: 17, initialStock: stock.S ?? 5 },
        { sku: `${tag}-m`, options: { Size: 'M' }, price: 20, initialStock: 5 },
        { sku: `${tag}-l`, options: { Size: 'L' }, price: 20, initialStock: 5 },
        { sku: `${tag}-xl`, options: { Size: 'XL' }, price: 25, initialStock: 5 },
      ],
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const medium = created.body.variants.find((v) => v.sku === `${tag}-m`);
  assert.ok(medium);
  const customer = await orderly.customer(name);
  // a variant is ordered by its id, as the storefront's option picker puts it in the cart
  const order = await orderly.deliveredOrder(customer.token, [{ productId: medium.id, quantity: 2 }]);
  return { customer, mediumId: medium.id, ...order };
}

async function orderReturns(id: string) {
  const listed = await orderly.api<{ items: ReturnJson[] }>('GET', `/orders/${id}/returns`, {
    token: await orderly.adminToken(),
  });
  assert.equal(listed.status, 200, JSON.stringify(listed.body));
  return listed.body.items;
}

describe('exchanges', () => {
  test('a dearer size is paid for when asked, approved and shipped by the admin, tracked by the shopper', async () => {
    const { customer, id, number } = await deliveredShirts('Ellis Exchange');
    const watch = new ConsoleWatch();
    // the declined card below is a 402, which Chromium logs as a failed load
    watch.expectStatus(402);
    const shopperContext = await signedInContext(browser, customer.token);
    const shopper = watch.attach(await shopperContext.newPage(), 'shopper');
    await shopper.goto(`${orderly.url}/orders/${id}`);
    await shopper.getByRole('heading', { name: `Order #${number}` }).waitFor();
    await shopper.getByTestId('return-items').click();
    const form = shopper.getByTestId('return-form');
    await form.getByLabel('Shirt (M)', { exact: true }).fill('1');
    const choice = form.getByLabel('Refund or exchange Shirt (M)');
    const quote = form.getByTestId('exchange-quote');
    // a cheaper size gives the difference back later; the dearer one is what this shopper wants
    await choice.selectOption({ label: 'Exchange for S · €17.00' });
    await quote.getByText('We refund €3.00 once the items are back').waitFor();
    await choice.selectOption({ label: 'Exchange for XL · €25.00' });
    await quote.getByText('You pay €5.00 more').waitFor();
    await form.getByLabel('Reason').selectOption('wrong_size');
    await assertAccessible(shopper, 'the return form with a dearer exchange');
    await screenshot(shopper, 'exchanges-shopper-quote');

    await quote.getByLabel('Card').selectOption('tok_chargeDeclined');
    await form.getByRole('button', { name: 'Review exchange' }).click();
    const confirm = shopper.getByTestId('return-confirm');
    await confirm.getByText('1 × Shirt (M) — exchanged for Shirt (XL)').waitFor();
    await confirm.getByRole('button', { name: 'Pay €5.00 and send the exchange request' }).click();
    await form.getByRole('alert').filter({ hasText: 'declined' }).waitFor();
    assert.equal((await orderReturns(id)).length, 0, 'a declined card asks for nothing');

    await quote.getByLabel('Card').selectOption('tok_visa');
    await form.getByRole('button', { name: 'Review exchange' }).click();
    await confirm.getByText('Visa ending 4242').waitFor();
    await screenshot(shopper, 'exchanges-shopper-confirm');
    await confirm.getByRole('button', { name: 'Pay €5.00 and send the exchange request' }).click();
    const summary = shopper.getByTestId('return-summary');
    await summary.getByRole('heading', { name: /^Exchange 1/ }).waitFor();
    await summary.getByText('Sent instead: 1 × Shirt (XL)').waitFor();
    await summary.getByTestId('exchange-charge').filter({ hasText: 'Paid €5.00 for the exchange' }).waitFor();
    await assertAccessible(shopper, 'the order page with a requested exchange');
    await screenshot(shopper, 'exchanges-shopper-requested');
    const [asked] = await orderReturns(id);
    assert.equal(asked?.kind, 'exchange');
    assert.equal(asked?.exchangeCharge, 5);

    const [first] = await orderly.activeLocations();
    assert.ok(first);

    const adminContext = await signedInContext(browser, await orderly.adminToken());
    const admin = watch.attach(await adminContext.newPage(), 'admin');
    await admin.goto(`${orderly.url}/admin/returns`);
    const row = admin.getByTestId('return-row').filter({ hasText: `#${number}` });
    await row.getByText('1 × Shirt (M) → Shirt (XL)').waitFor();
    await screenshot(admin, 'exchanges-admin-list');
    await admin.getByRole('link', { name: `#${number} · exchange 1` }).click();
    const panel = admin.getByTestId('admin-returns');
    await panel.getByText('Sent instead: 1 × Shirt (XL) · €5.00 more').waitFor();
    await panel.getByText('Approve the exchange before its replacement ships.').waitFor();
    await panel.getByRole('button', { name: 'Approve exchange' }).click();
    await panel.getByTestId('return-status').filter({ hasText: 'Approved' }).waitFor();
    await panel.getByRole('button', { name: 'Ship replacement' }).click();
    const ship = panel.getByTestId('replacement-ship-form');
    await ship.getByLabel('Carrier').fill('DHL');
    await ship.getByLabel('Tracking number').fill('JD0146000012');
    await ship.getByLabel('Tracking link (optional)').fill('https://www.dhl.com/track?id=JD0146000012');
    const from = ship.getByLabel('Ships from');
    assert.equal(await from.locator('option:checked').textContent(), first.name);
    await screenshot(admin, 'exchanges-admin-ship-form');
    await ship.getByRole('button', { name: 'Review shipment' }).click();
    const dialog = admin.getByTestId('replacement-ship-confirm');
    await dialog.getByRole('heading', { name: `Ship 1 × Shirt (XL) from ${first.name}?` }).waitFor();
    await assertAccessible(admin, 'the ship-replacement confirmation');
    await screenshot(admin, 'exchanges-admin-ship-confirm');
    await dialog.getByRole('button', { name: 'Ship replacement' }).click();
    const parcel = panel.getByTestId('replacement-shipment');
    await parcel
      .filter({ hasText: `from ${first.name}` })
      .filter({ hasText: 'JD0146000012' })
      .waitFor();
    await assertAccessible(admin, 'the admin order page with a shipped replacement');
    await screenshot(admin, 'exchanges-admin-shipped');
    const [shipped] = await orderReturns(id);
    assert.deepEqual(
      shipped?.replacementShipment && {
        carrier: shipped.replacementShipment.carrier,
        trackingNumber: shipped.replacementShipment.trackingNumber,
        location: shipped.replacementShipment.location.name,
      },
      { carrier: 'DHL', trackingNumber: 'JD0146000012', location: first.name },
    );

    await shopper.reload();
    const tracking = shopper.getByTestId('replacement-shipment').getByRole('link', { name: 'JD0146000012' });
    await tracking.waitFor();
    assert.equal(await tracking.getAttribute('href'), 'https://www.dhl.com/track?id=JD0146000012');
    await screenshot(shopper, 'exchanges-shopper-shipped');
    assert.deepEqual(watch.problems, []);
  });

  test('a cheaper size is refunded its difference once the shirt is back, restocked where the admin chose', async () => {
    const { customer, id, number, mediumId } = await deliveredShirts('Casey Cheaper');
    const [main, east] = await orderly.activeLocations();
    assert.ok(main && east, 'the demo shop has two stock locations');
    const atEastBefore = (await orderly.stockAt(east.id, mediumId))?.onHand ?? 0;

    const watch = new ConsoleWatch();
    const shopper = watch.attach(await (await signedInContext(browser, customer.token)).newPage(), 'shopper');
    await shopper.goto(`${orderly.url}/orders/${id}`);
    await shopper.getByRole('heading', { name: `Order #${number}` }).waitFor();
    await shopper.getByTestId('return-items').click();
    const form = shopper.getByTestId('return-form');
    await form.getByLabel('Refund or exchange Shirt (M)').selectOption({ label: 'Exchange for S · €17.00' });
    assert.equal(await form.getByLabel('Shirt (M)', { exact: true }).inputValue(), '1');
    const quote = form.getByTestId('exchange-quote');
    await quote.getByText('We refund €3.00 once the items are back').waitFor();
    await quote.getByText('the difference goes back to your card').waitFor();
    assert.equal(await quote.getByLabel('Card').count(), 0, 'nothing is charged for a cheaper size');
    await form.getByLabel('Reason').selectOption('wrong_size');
    await screenshot(shopper, 'exchanges-cheaper-shopper-quote');
    await form.getByRole('button', { name: 'Review exchange' }).click();
    const confirm = shopper.getByTestId('return-confirm');
    await confirm.getByText('1 × Shirt (M) — exchanged for Shirt (S), €3.00 back').waitFor();
    await confirm.getByText('We refund €3.00 once the items are back').waitFor();
    await screenshot(shopper, 'exchanges-cheaper-shopper-confirm', false);
    await confirm.getByRole('button', { name: 'Send exchange request' }).click();
    const summary = shopper.getByTestId('return-summary');
    await summary.getByText('Sent instead: 1 × Shirt (S) · €3.00 back').waitFor();
    await summary.getByTestId('return-status').filter({ hasText: 'Requested' }).waitFor();
    assert.equal(await summary.getByTestId('exchange-charge').count(), 0);

    const admin = watch.attach(
      await (await signedInContext(browser, await orderly.adminToken())).newPage(),
      'admin',
    );
    await admin.goto(`${orderly.url}/admin/orders/${id}#returns`);
    const panel = admin.getByTestId('admin-returns');
    await panel.getByText('Sent instead: 1 × Shirt (S) · €3.00 back').waitFor();
    await panel.getByRole('button', { name: 'Approve exchange' }).click();
    await panel.getByTestId('return-status').filter({ hasText: 'Approved' }).waitFor();
    await panel.getByRole('button', { name: 'Ship replacement' }).click();
    const ship = panel.getByTestId('replacement-ship-form');
    await ship.getByLabel('Carrier').fill('DHL');
    await ship.getByLabel('Tracking number').fill('JD0146000099');
    await ship.getByRole('button', { name: 'Review shipment' }).click();
    const shipDialog = admin.getByTestId('replacement-ship-confirm');
    await shipDialog.getByRole('heading', { name: `Ship 1 × Shirt (S) from ${main.name}?` }).waitFor();
    await shipDialog.getByRole('button', { name: 'Ship replacement' }).click();
    await panel.getByTestId('replacement-shipment').filter({ hasText: 'JD0146000099' }).waitFor();

    await panel.getByRole('button', { name: 'Receive items' }).click();
    const receive = panel.getByTestId('return-receive-form');
    assert.equal(await receive.getByLabel('1 × Shirt (M)').inputValue(), 'restock');
    await receive.getByLabel('At location').selectOption({ label: east.name });
    await screenshot(admin, 'exchanges-cheaper-admin-receive');
    await receive.getByRole('button', { name: 'Record as received' }).click();
    await panel.getByTestId('return-status').filter({ hasText: 'Received' }).waitFor();
    assert.equal((await orderly.stockAt(east.id, mediumId))?.onHand, atEastBefore + 1);

    await panel.getByRole('button', { name: 'Refund €3.00' }).click();
    const refund = admin.getByTestId('return-refund-confirm');
    await refund.getByRole('heading', { name: 'Refund €3.00 to the customer?' }).waitFor();
    await refund
      .getByTestId('return-refund-sentence')
      .filter({ hasText: 'The difference of the cheaper replacement (€3.00): the money goes back' })
      .waitFor();
    await screenshot(admin, 'exchanges-cheaper-admin-refund-confirm', false);
    await refund.getByRole('button', { name: 'Refund €3.00' }).click();
    await panel.getByTestId('return-status').filter({ hasText: 'Refunded' }).waitFor();
    await panel.getByTestId('return-refund').filter({ hasText: 'Refunded €3.00' }).waitFor();
    await admin.getByTestId('timeline').getByText(`1 × Shirt (M) back in stock at ${east.name}`).waitFor();
    await screenshot(admin, 'exchanges-cheaper-admin-refunded');
    const order = await orderly.api<{ payment: { amountRefunded: number } }>('GET', `/orders/${id}`, {
      token: customer.token,
    });
    assert.equal(order.body.payment.amountRefunded, 3);

    await shopper.reload();
    await summary.getByTestId('return-status').filter({ hasText: 'Refunded' }).waitFor();
    await summary.getByTestId('return-refund').filter({ hasText: 'Refunded €3.00' }).waitFor();
    await summary.getByTestId('replacement-shipment').filter({ hasText: 'JD0146000099' }).waitFor();
    const timeline = shopper.getByTestId('timeline');
    await timeline.getByText('Exchange 1 requested: 1 × Shirt (M) (Wrong size)').waitFor();
    await timeline.getByText('Exchange 1 approved').waitFor();
    await timeline.getByText(/Refund — Refunded €3\.00/).waitFor();
    // the returns service names an exchange "Return N" from its receipt on
    await timeline.getByText(/(Exchange|Return) 1 refunded: €3\.00/).waitFor();
    await assertAccessible(shopper, 'the order page with a refunded exchange');
    await screenshot(shopper, 'exchanges-cheaper-shopper-refunded');
    assert.deepEqual(watch.problems, []);
  });

  test('an approved exchange is cancelled by the admin, and the shopper sees it cancelled', async () => {
    const { customer, id, number } = await deliveredShirts('Gale Gone');
    const listed = await orderly.api<{
      returnable: Array<{ lineId: string; exchangeOptions: Array<{ variantId: string; title: string }> }>;
    }>('GET', `/orders/${id}/returns`, { token: customer.token });
    const line = listed.body.returnable[0];
    const xl = line?.exchangeOptions.find((o) => o.title === 'XL');
    assert.ok(line && xl);
    const asked = await orderly.api<ReturnJson>('POST', `/orders/${id}/returns`, {
      token: customer.token,
      body: {
        lines: [{ lineId: line.lineId, quantity: 1, replacementVariantId: xl.variantId }],
        reason: 'wrong_size',
        paymentMethod: { type: 'card', token: 'tok_visa' },
        confirmedAmount: 5,
      },
    });
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    const approved = await orderly.api<ReturnJson>('POST', `/admin/returns/${asked.body.id}/approve`, {
      token: await orderly.adminToken(),
    });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));

    const watch = new ConsoleWatch();
    const shopperContext = await signedInContext(browser, customer.token);
    const shopper = watch.attach(await shopperContext.newPage(), 'shopper');
    await shopper.goto(`${orderly.url}/orders/${id}`);
    await shopper.getByRole('heading', { name: `Order #${number}` }).waitFor();
    await shopper.getByTestId('return-status').filter({ hasText: 'Approved' }).waitFor();
    await shopper.getByRole('button', { name: 'Withdraw this exchange' }).waitFor();

    const adminContext = await signedInContext(browser, await orderly.adminToken());
    const admin = watch.attach(await adminContext.newPage(), 'admin');
    await admin.goto(`${orderly.url}/admin/orders/${id}#returns`);
    const panel = admin.getByTestId('admin-returns');
    await panel.getByTestId('return-status').filter({ hasText: 'Approved' }).waitFor();
    await panel.getByRole('button', { name: 'Cancel exchange' }).click();
    const dialog = admin.getByTestId('return-cancel-confirm');
    await dialog.getByRole('heading', { name: 'Cancel exchange 1?' }).waitFor();
    await dialog.getByText('The replacement held for it goes back in stock.').waitFor();
    await dialog.getByText('The €5.00 paid for the exchange is refunded to the customer.').waitFor();
    await dialog.getByLabel('Reason for the customer (optional)').fill('The shirt never came back to us');
    await assertAccessible(admin, 'the cancel-exchange confirmation');
    await screenshot(admin, 'exchanges-admin-cancel-confirm');
    await dialog.getByRole('button', { name: 'Cancel exchange 1' }).click();
    await panel.getByTestId('return-status').filter({ hasText: 'Cancelled' }).waitFor();
    await panel
      .getByTestId('return-cancellation')
      .filter({ hasText: 'Cancelled by the shop: “The shirt never came back to us”' })
      .waitFor();
    assert.equal(await panel.getByRole('button', { name: 'Cancel exchange' }).count(), 0);
    await screenshot(admin, 'exchanges-admin-cancelled');
    const [cancelled] = await orderReturns(id);
    assert.equal(cancelled?.status, 'cancelled');

    await shopper.reload();
    const summary = shopper.getByTestId('return-summary');
    await summary.getByTestId('return-status').filter({ hasText: 'Cancelled' }).waitFor();
    await summary
      .getByTestId('return-cancellation')
      .filter({ hasText: 'Cancelled by the shop: “The shirt never came back to us”' })
      .waitFor();
    await summary
      .getByTestId('exchange-charge')
      .filter({ hasText: 'Paid €5.00 for the exchange · refunded when it was cancelled' })
      .waitFor();
    assert.equal(await shopper.getByRole('button', { name: 'Withdraw this exchange' }).count(), 0);
    await assertAccessible(shopper, 'the order page with a cancelled exchange');
    await screenshot(shopper, 'exchanges-shopper-cancelled');
    assert.deepEqual(watch.problems, []);
  });

  test('a swap at the same price is free, asked for on a phone', async () => {
    const { customer, id, number } = await deliveredShirts('Frankie Free', { S: 0 });
    const watch = new ConsoleWatch();
    const phone = watch.attach(
      await (await signedInContext(browser, customer.token, PHONE)).newPage(),
      'phone',
    );
    await phone.goto(`${orderly.url}/orders/${id}`);
    await phone.getByRole('heading', { name: `Order #${number}` }).waitFor();
    await phone.getByTestId('return-items').click();
    const form = phone.getByTestId('return-form');
    const choice = form.getByLabel('Refund or exchange Shirt (M)');
    assert.equal(
      await choice.locator('option', { hasText: 'Exchange for S' }).textContent(),
      'Exchange for S · €17.00 · out of stock',
    );
    assert.equal(await choice.locator('option', { hasText: 'Exchange for S' }).isDisabled(), true);
    // choosing a replacement sends one back unless the shopper says how many
    await choice.selectOption({ label: 'Exchange for L · €20.00' });
    assert.equal(await form.getByLabel('Shirt (M)', { exact: true }).inputValue(), '1');
    await form.getByTestId('exchange-quote').getByText('Free exchange').waitFor();
    assert.equal(await form.getByTestId('exchange-quote').getByLabel('Card').count(), 0);
    await form.getByLabel('Reason').selectOption('wrong_size');
    await screenshot(phone, 'exchanges-phone-free');
    await form.getByRole('button', { name: 'Review exchange' }).click();
    const confirm = phone.getByTestId('return-confirm');
    await confirm.getByText('1 × Shirt (M) — exchanged for Shirt (L)').waitFor();
    await screenshot(phone, 'exchanges-phone-confirm', false);
    await confirm.getByRole('button', { name: 'Send exchange request' }).click();
    const summary = phone.getByTestId('return-summary');
    await summary.getByText('Sent instead: 1 × Shirt (L) · same price').waitFor();
    assert.equal(await summary.getByTestId('exchange-charge').count(), 0);
    await assertAccessible(phone, 'the order page on a phone with a free exchange');
    await screenshot(phone, 'exchanges-phone-requested');
    const [asked] = await orderReturns(id);
    assert.equal(asked?.kind, 'exchange');
    assert.equal(asked?.exchangeCharge, 0);
    assert.deepEqual(watch.problems, []);
  });
});
