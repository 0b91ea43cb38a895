/**
 * The admin's pricing pages: a shipping zone "Canada" with a flat method and a 5 % tax rate, a
 * second zone that would also hold Canada refused with the server's sentence, a discount code
 * limited to 5 uses created and deactivated. Every step is checked against the API as well.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  assertAccessible,
  ConsoleWatch,
  DESKTOP,
  inPage,
  launchBrowser,
  PHONE,
  RAW_OUTPUT,
  screenshot,
  signedInContext,
  startOrderly,
  type Orderly,
} from './harness.ts';

let orderly: Orderly;
let browser: Browser;
let admin: string;

before(async () => {
  [orderly, browser] = await Promise.all([startOrderly(), launchBrowser()]);
  admin = await orderly.adminToken();
});

after(async () => {
  await browser?.close();
  await orderly?.stop();
});

const adminNav = (page: Page) => page.getByRole('navigation', { name: 'Admin' });

interface Zone {
  id: string;
  name: string;
  areas: { country: string; region: string | null }[];
  methods: { name: string; rate: { kind: string; price?: number }; active: boolean }[];
}
interface Code {
  code: string;
  usageLimit: number | null;
  active: boolean;
  kind: string;
  percentage: number | null;
}

describe('pricing admin', () => {
  test('the admin adds Canada with a flat rate and 5 % tax, is refused an overlapping zone, and creates and deactivates a code limited to 5 uses', async () => {
    const watch = new ConsoleWatch();
    watch.expectStatus(409); // the overlapping zone, on purpose
    const context = await signedInContext(browser, admin, DESKTOP);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'admin');

    await page.goto(orderly.url + '/admin');
    await adminNav(page).getByRole('link', { name: 'Shipping & tax' }).click();
    await page.getByRole('heading', { name: 'Shipping & tax', level: 1 }).waitFor();
    // the demo zones are listed with their methods and rates
    await page.getByRole('heading', { name: 'United States' }).waitFor();
    await screenshot(page, 'pricing-01-zones');
    await assertAccessible(page, 'shipping and tax');

    // a new zone: Canada
    await page.getByRole('button', { name: 'New zone' }).click();
    const newZone = page.getByRole('form', { name: 'New zone' });
    await newZone.getByRole('button', { name: 'Create zone' }).click();
    await newZone.getByText('Enter a name').waitFor();
    await newZone.getByLabel('Zone name').fill('Canada');
    await newZone.getByLabel('Countries and regions').fill('ca');
    await newZone.getByRole('button', { name: 'Create zone' }).click();
    const canada = page.getByTestId('zone').filter({ has: page.getByRole('heading', { name: 'Canada' }) });
    await canada.waitFor();
    assert.equal(await canada.getByTestId('zone-areas').innerText(), 'CA');

    // its flat method
    await canada.getByRole('button', { name: 'Add shipping method to Canada' }).click();
    const methodForm = canada.getByRole('form', { name: 'New shipping method for Canada' });
    await methodForm.getByLabel('Method name').fill('Canada Post');
    await methodForm.getByLabel(/^Price/).fill('12,3');
    await methodForm.getByRole('button', { name: 'Add method' }).click();
    await methodForm.getByText('does not read as one amount').waitFor();
    await methodForm.getByLabel(/^Price/).fill('12.50');
    await methodForm.getByRole('button', { name: 'Add method' }).click();
    const method = canada.getByTestId('method-row').filter({ hasText: 'Canada Post' });
    await method.waitFor();
    assert.match(await method.innerText(), /\$12\.50 flat/);

    // a second method priced by weight bands
    await canada.getByRole('button', { name: 'Add shipping method to Canada' }).click();
    const bandsForm = canada.getByRole('form', { name: 'New shipping method for Canada' });
    await bandsForm.getByLabel('Method name').fill('Canada Express');
    await bandsForm.getByLabel('Rate').selectOption('weight_bands');
    await bandsForm.getByLabel('Band 1: up to (grams)').fill('1000');
    await bandsForm.getByLabel(/^Band 1: price/).fill('20');
    await bandsForm.getByRole('button', { name: 'Add a band' }).click();
    await bandsForm.getByLabel('Band 2: up to (grams)').fill('5000');
    await bandsForm.getByLabel(/^Band 2: price/).fill('35.00');
    await bandsForm.getByRole('button', { name: 'Add method' }).click();
    const express = canada.getByTestId('method-row').filter({ hasText: 'Canada Express' });
    await express.waitFor();
    assert.match(await express.innerText(), /up to 1 kg: \$20\.00; up to 5 kg: \$35\.00/);

    // its 5 % tax rate
    await canada.getByRole('button', { name: 'Add tax rate to Canada' }).click();
    const taxForm = canada.getByRole('form', { name: 'New tax rate for Canada' });
    await taxForm.getByLabel('Tax name').fill('GST');
    await taxForm.getByLabel('Rate (%)').fill('5');
    await taxForm.getByRole('button', { name: 'Add tax rate' }).click();
    const gst = canada.getByTestId('tax-rate-row').filter({ hasText: 'GST' });
    await gst.waitFor();
    assert.match(await gst.innerText(), /5 %/);
    assert.match(await gst.innerText(), /Standard/);
    await screenshot(page, 'pricing-02-canada');
    await assertAccessible(page, 'shipping and tax with Canada');

    const zones = await orderly.api<{ items: Zone[] }>('GET', '/admin/shipping/zones', { token: admin });
    const saved = zones.body.items.find((z) => z.name === 'Canada');
    assert.deepEqual(saved?.areas, [{ country: 'CA', region: null }]);
    assert.deepEqual(
      saved?.methods
        .map((m) => [m.name, m.rate.kind, m.rate.price, m.active])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      [
        ['Canada Express', 'weight_bands', undefined, true],
        ['Canada Post', 'flat', 12.5, true],
      ],
    );
    assert.deepEqual(saved?.methods.find((m) => m.rate.kind === 'weight_bands')?.rate, {
      kind: 'weight_bands',
      bands: [
        { upToGrams: 1000, price: 20 },
        { upToGrams: 5000, price: 35 },
      ],
    });
    const rates = await orderly.api<{ items: { zoneId: string; name: string; rateBasisPoints: number }[] }>(
      'GET',
      `/admin/tax/rates?zoneId=${saved?.id}`,
      { token: admin },
    );
    assert.deepEqual(
      rates.body.items.map((r) => [r.name, r.rateBasisPoints]),
      [['GST', 500]],
    );

    // a zone that would also hold Canada is refused, with the zone that has it named
    await page.getByRole('button', { name: 'New zone' }).click();
    const overlapping = page.getByRole('form', { name: 'New zone' });
    await overlapping.getByLabel('Zone name').fill('North America');
    await overlapping.getByLabel('Countries and regions').fill('CA, MX');
    await overlapping.getByRole('button', { name: 'Create zone' }).click();
    const refusal = overlapping.getByRole('alert');
    await refusal.waitFor();
    const sentence = await refusal.innerText();
    assert.match(sentence, /already in another shipping zone/);
    assert.match(sentence, /CA is already in the zone “Canada”/);
    assert.doesNotMatch(sentence, RAW_OUTPUT);
    await screenshot(page, 'pricing-03-overlap');
    const after = await orderly.api<{ items: Zone[] }>('GET', '/admin/shipping/zones', { token: admin });
    assert.ok(!after.body.items.some((z) => z.name === 'North America'), 'the refused zone was not saved');

    // deactivating the method keeps it listed as not offered
    await method.getByRole('button', { name: 'Deactivate Canada Post' }).click();
    await method.getByText('Not offered').waitFor();

    // discount codes: one limited to 5 uses
    await adminNav(page).getByRole('link', { name: 'Discounts' }).click();
    await page.getByRole('heading', { name: 'Discount codes', level: 1 }).waitFor();
    await page.getByTestId('discount-code-row').first().waitFor();
    await page.getByRole('button', { name: 'New discount code' }).click();
    const codeForm = page.getByRole('form', { name: 'New discount code' });
    await codeForm.getByLabel('Code').fill('spring15');
    await codeForm.getByLabel('Kind').selectOption('percentage');
    await codeForm.getByLabel('Percentage off (%)').fill('150');
    await codeForm.getByLabel('Total uses').fill('5');
    await codeForm.getByLabel('Uses per customer').fill('1');
    await codeForm.getByRole('button', { name: 'Create code' }).click();
    await codeForm.getByText('at most 100 %').waitFor();
    await codeForm.getByLabel('Percentage off (%)').fill('15');
    await codeForm.getByRole('button', { name: 'Create code' }).click();
    const spring = page.locator('[data-testid=discount-code-row][data-code="SPRING15"]');
    await spring.waitFor();
    assert.equal(await spring.getByTestId('times-used').innerText(), '0 of 5 (1 per customer)');
    assert.equal(await spring.getByTestId('code-status').innerText(), 'Active');
    await screenshot(page, 'pricing-04-codes');
    await assertAccessible(page, 'discount codes');

    await spring.getByRole('button', { name: 'Deactivate SPRING15' }).click();
    await spring.getByTestId('code-status').filter({ hasText: 'Deactivated' }).waitFor();
    const codes = await orderly.api<{ items: Code[] }>('GET', '/admin/discount-codes', { token: admin });
    const code = codes.body.items.find((c) => c.code === 'SPRING15');
    assert.deepEqual(code && [code.kind, code.percentage, code.usageLimit, code.active], [
      'percentage',
      15,
      5,
      false,
    ]);
    await screenshot(page, 'pricing-05-code-deactivated');

    assert.deepEqual(watch.problems, []);
    await context.close();
  });

  test('on a phone, the zones and the codes read as cards, and the forms fit the screen', async () => {
    const watch = new ConsoleWatch();
    const context = await signedInContext(browser, admin, PHONE);
    context.setDefaultTimeout(10_000);
    const page = watch.attach(await context.newPage(), 'admin phone');

    await page.goto(orderly.url + '/admin/pricing');
    await page.getByRole('heading', { name: 'United States' }).waitFor();
    await page.getByRole('button', { name: 'Add tax rate to United States' }).click();
    const taxForm = page.getByRole('form', { name: 'New tax rate for United States' });
    await taxForm.waitFor();
    const overflow = await inPage<number>(page, 'document.documentElement.scrollWidth - window.innerWidth');
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
    await screenshot(page, 'pricing-06-phone-zones');
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'pricing-06a-phone-zones-top', false);
    await taxForm.scrollIntoViewIfNeeded();
    await screenshot(page, 'pricing-06b-phone-tax-form', false);
    await assertAccessible(page, 'shipping and tax on a phone');

    await page.goto(orderly.url + '/admin/discount-codes');
    await page.getByTestId('discount-code-row').first().waitFor();
    await page.getByRole('button', { name: 'New discount code' }).click();
    const codeForm = page.getByRole('form', { name: 'New discount code' });
    await codeForm.waitFor();
    await screenshot(page, 'pricing-07-phone-codes');
    await screenshot(page, 'pricing-07a-phone-code-form', false);
    await page.getByTestId('discount-code-row').first().scrollIntoViewIfNeeded();
    await screenshot(page, 'pricing-07b-phone-codes-list', false);
    await assertAccessible(page, 'discount codes on a phone');

    assert.deepEqual(watch.problems, []);
    await context.close();
  });
});
