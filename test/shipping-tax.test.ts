/**
 * Shipping zones and methods, tax rates: the admin's operations over HTTP, what they refuse, and
 * the quote checkout will ask for, through the services. PGlite, or PostgreSQL with TEST_DATABASE_URL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { AppError } from '../src/platform/errors.ts';
import { seedDemoShipping } from '../src/shipping/demo.ts';
import { seedDemoTax } from '../src/tax/demo.ts';
import { createTestApp, type TestApp } from './helpers.ts';

interface Method {
  id: string;
  zoneId: string;
  name: string;
  rate: Record<string, unknown>;
  currency: string;
  active: boolean;
  position: number;
}
interface Zone {
  id: string;
  name: string;
  areas: Array<{ country: string; region: string | null }>;
  methods: Method[];
}
interface Rate {
  id: string;
  zoneId: string;
  category: string | null;
  name: string;
  rateBasisPoints: number;
}
interface ErrorBody {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

let t: TestApp;
let admin: string;
let us: Zone;
let west: Zone;

async function as<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  body?: unknown,
  expected?: number,
): Promise<{ status: number; body: T }> {
  const res = await t.request<T>(method, `/api/v1${url}`, { token: admin, body });
  if (expected !== undefined) assert.equal(res.status, expected, JSON.stringify(res.body));
  return res;
}

before(async () => {
  t = await createTestApp();
  admin = await t.adminToken();
  us = (await as<Zone>('POST', '/admin/shipping/zones', { name: 'USA', areas: [{ country: 'US' }] }, 201))
    .body;
  west = (
    await as<Zone>(
      'POST',
      '/admin/shipping/zones',
      {
        name: 'West Coast',
        areas: [
          { country: 'US', region: 'ca' },
          { country: 'US', region: 'OR' },
        ],
      },
      201,
    )
  ).body;
});
after(async () => {
  await t.close();
});

describe('zones', () => {
  test('are created with their areas, regions upper-cased, and listed with their methods', async () => {
    assert.deepEqual(west.areas, [
      { country: 'US', region: 'CA' },
      { country: 'US', region: 'OR' },
    ]);
    const list = await as<{ items: Zone[] }>('GET', '/admin/shipping/zones', undefined, 200);
    assert.deepEqual(
      list.body.items.map((z) => z.name),
      ['USA', 'West Coast'],
    );
  });

  test('an area already in another zone is refused with 409, naming that zone, and nothing changes', async () => {
    const res = await as<ErrorBody>('POST', '/admin/shipping/zones', {
      name: 'Everywhere',
      areas: [{ country: 'FR' }, { country: 'US', region: 'CA' }],
    });
    assert.equal(res.status, 409);
    assert.equal(res.body.code, 'zone_overlap');
    assert.deepEqual(res.body.details['areas'], [
      { country: 'US', region: 'CA', zoneId: west.id, zoneName: 'West Coast' },
    ]);
    const moved = await as<ErrorBody>('PATCH', `/admin/shipping/zones/${us.id}`, {
      areas: [{ country: 'US' }, { country: 'US', region: 'OR' }],
    });
    assert.equal(moved.status, 409);
    const list = await as<{ items: Zone[] }>('GET', '/admin/shipping/zones', undefined, 200);
    assert.deepEqual(
      list.body.items.map((z) => z.name),
      ['USA', 'West Coast'],
    );
    assert.deepEqual(list.body.items[0]?.areas, [{ country: 'US', region: null }]);
  });

  test('admins racing for one area: exactly one zone gets it, the others a 409', async () => {
    // through the service, not HTTP: injected requests queue behind one another's sign-in checks,
    // and the point is the moment both transactions have passed the check before either commits
    const shipping = t.app.services.shipping;
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        shipping.createZone({ name: `Race ${i}`, areas: [{ country: 'BR' }] }, null).then(
          () => 'created',
          (error: unknown) =>
            error instanceof AppError ? `${error.statusCode} ${error.code}` : String(error),
        ),
      ),
    );
    assert.deepEqual(answers.sort(), ['created', ...Array<string>(9).fill('409 zone_overlap')].sort());
    const racers = (await shipping.listZones()).filter((z) => z.name.startsWith('Race '));
    assert.deepEqual(
      racers.map((z) => z.areas),
      [[{ country: 'BR', region: null }]],
    );
    await shipping.deleteZone(racers[0]?.id ?? '', null);
  });

  test('the database refuses an area in two zones even when the code is bypassed', async () => {
    await assert.rejects(
      sql`insert into shipping_zone_area (zone_id, country, region) values (${us.id}, 'US', 'CA')`.execute(
        t.database.handle.db,
      ),
    );
  });

  test('bad input is a 400 that says what is wrong', async () => {
    for (const body of [
      { name: 'X', areas: [{ country: 'usa' }] },
      { name: 'X', areas: [] },
      { name: '', areas: [{ country: 'JP' }] },
      { name: 'X', areas: [{ country: 'JP' }], extra: true },
    ]) {
      const res = await as<ErrorBody>('POST', '/admin/shipping/zones', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(typeof res.body.message, 'string');
    }
    const twice = await as<ErrorBody>('POST', '/admin/shipping/zones', {
      name: 'Japan',
      areas: [{ country: 'JP' }, { country: 'JP', region: null }],
    });
    assert.equal(twice.status, 400);
    assert.equal(twice.body.code, 'duplicate_area');
    assert.equal((await as('PATCH', '/admin/shipping/zones/not-a-uuid', { name: 'Y' })).status, 400);
  });

  test('a taken name is a 409, an unknown zone a 404; renaming works', async () => {
    const taken = await as<ErrorBody>('POST', '/admin/shipping/zones', {
      name: 'USA',
      areas: [{ country: 'JP' }],
    });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.code, 'zone_name_taken');
    const missing = '00000000-0000-4000-8000-000000000000';
    assert.equal((await as('PATCH', `/admin/shipping/zones/${missing}`, { name: 'Y' })).status, 404);
    assert.equal((await as('DELETE', `/admin/shipping/zones/${missing}`)).status, 404);
    const renamed = await as<Zone>('PATCH', `/admin/shipping/zones/${west.id}`, { name: 'Pacific' }, 200);
    assert.equal(renamed.body.name, 'Pacific');
    assert.equal(renamed.body.areas.length, 2);
  });

  test('only admins: 401 without a token, 403 for a customer', async () => {
    const customer = await t.customer();
    for (const [method, url] of [
      ['GET', '/api/v1/admin/shipping/zones'],
      ['POST', '/api/v1/admin/shipping/zones'],
      ['POST', `/api/v1/admin/shipping/zones/${us.id}/methods`],
      ['POST', '/api/v1/admin/tax/rates'],
      ['GET', '/api/v1/admin/tax/rates'],
    ] as const) {
      const body = method === 'POST' ? {} : undefined;
      assert.equal((await t.request(method, url, { body })).status, 401, url);
      assert.equal((await t.request(method, url, { token: customer.token, body })).status, 403, url);
    }
  });
});

describe('methods and quotes', () => {
  let standard: Method;
  let express: Method;
  let pacific: Method;

  before(async () => {
    standard = (
      await as<Method>(
        'POST',
        `/admin/shipping/zones/${us.id}/methods`,
        { name: 'Standard', rate: { kind: 'free_above', price: 5, freeAbove: 50 } },
        201,
      )
    ).body;
    express = (
      await as<Method>(
        'POST',
        `/admin/shipping/zones/${us.id}/methods`,
        {
          name: 'Express',
          position: 1,
          rate: {
            kind: 'weight_bands',
            bands: [
              { upToGrams: 5000, price: 20 },
              { upToGrams: 1000, price: 12.5 },
            ],
          },
        },
        201,
      )
    ).body;
    pacific = (
      await as<Method>(
        'POST',
        `/admin/shipping/zones/${west.id}/methods`,
        { name: 'Pacific flat', rate: { kind: 'flat', price: 7.25 } },
        201,
      )
    ).body;
  });

  test('rates come back in decimal amounts of the shop currency, bands lightest first', () => {
    assert.deepEqual(standard.rate, { kind: 'free_above', price: 5, freeAbove: 50 });
    assert.equal(standard.currency, 'USD');
    assert.deepEqual(express.rate, {
      kind: 'weight_bands',
      bands: [
        { upToGrams: 1000, price: 12.5 },
        { upToGrams: 5000, price: 20 },
      ],
    });
  });

  test('a quote finds the zone (region first), prices each method, and leaves out what cannot carry the basket', async () => {
    const shipping = t.app.services.shipping;
    assert.deepEqual(await shipping.quote({ state: 'NY' }, { subtotalMinor: 4999, weightGrams: 800 }), {
      zone: { id: us.id, name: 'USA' },
      methods: [
        { id: standard.id, name: 'Standard', priceMinor: 500 },
        { id: express.id, name: 'Express', priceMinor: 1250 },
      ],
    });
    assert.deepEqual(
      await shipping.quote({ country: 'US', state: 'NY' }, { subtotalMinor: 5000, weightGrams: 6000 }),
      { zone: { id: us.id, name: 'USA' }, methods: [{ id: standard.id, name: 'Standard', priceMinor: 0 }] },
    );
    assert.deepEqual(
      await shipping.quote({ country: 'US', state: 'ca' }, { subtotalMinor: 1, weightGrams: 1 }),
      {
        zone: { id: west.id, name: 'Pacific' },
        methods: [{ id: pacific.id, name: 'Pacific flat', priceMinor: 725 }],
      },
    );
    assert.equal(await shipping.quote({ country: 'JP' }, { subtotalMinor: 1, weightGrams: 1 }), null);
  });

  test('choose re-prices the chosen method, or says why it cannot be used', async () => {
    const shipping = t.app.services.shipping;
    const basket = { subtotalMinor: 1000, weightGrams: 2000 };
    assert.deepEqual(await shipping.choose(express.id, { state: 'NY' }, basket), {
      ok: true,
      zone: { id: us.id, name: 'USA' },
      method: { id: express.id, name: 'Express' },
      priceMinor: 2000,
    });
    assert.deepEqual(await shipping.choose(express.id, { state: 'NY' }, { ...basket, weightGrams: 9000 }), {
      ok: false,
      problem: 'too_heavy',
    });
    assert.deepEqual(await shipping.choose(pacific.id, { state: 'NY' }, basket), {
      ok: false,
      problem: 'method_unavailable',
    });
    assert.deepEqual(await shipping.choose(express.id, { country: 'JP' }, basket), {
      ok: false,
      problem: 'outside_zones',
    });
  });

  test('updating and deactivating a method; a deactivated one is not quoted but still found by id', async () => {
    const updated = await as<Method>(
      'PATCH',
      `/admin/shipping/methods/${standard.id}`,
      { rate: { kind: 'flat', price: 6 }, name: 'Ground' },
      200,
    );
    assert.deepEqual(updated.body.rate, { kind: 'flat', price: 6 });
    const off = await as<Method>('POST', `/admin/shipping/methods/${express.id}/deactivate`, undefined, 200);
    assert.equal(off.body.active, false);
    const quote = await t.app.services.shipping.quote({}, { subtotalMinor: 100, weightGrams: 100 });
    assert.deepEqual(
      quote?.methods.map((m) => [m.name, m.priceMinor]),
      [['Ground', 600]],
    );
    assert.equal((await t.app.services.shipping.method(express.id))?.active, false);
    const back = await as<Method>('PATCH', `/admin/shipping/methods/${express.id}`, { active: true }, 200);
    assert.equal(back.body.active, true);
  });

  test('bad rates are a 400; a name taken in the zone a 409; an unknown zone or method a 404', async () => {
    for (const rate of [
      { kind: 'flat', price: -1 },
      { kind: 'flat', price: 1.234 },
      { kind: 'free_above', price: 5 },
      { kind: 'weight_bands', bands: [] },
      { kind: 'weight_bands', bands: [{ upToGrams: 0, price: 1 }] },
      {
        kind: 'weight_bands',
        bands: [
          { upToGrams: 10, price: 1 },
          { upToGrams: 10, price: 2 },
        ],
      },
      { kind: 'by_distance', price: 1 },
    ]) {
      const res = await as<ErrorBody>('POST', `/admin/shipping/zones/${us.id}/methods`, {
        name: 'Bad',
        rate,
      });
      assert.equal(res.status, 400, JSON.stringify(rate));
    }
    const taken = await as<ErrorBody>('POST', `/admin/shipping/zones/${us.id}/methods`, {
      name: 'Express',
      rate: { kind: 'flat', price: 1 },
    });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.code, 'method_name_taken');
    const renamed = await as<ErrorBody>('PATCH', `/admin/shipping/methods/${express.id}`, { name: 'Ground' });
    assert.equal(renamed.status, 409);
    const missing = '00000000-0000-4000-8000-000000000000';
    const noZone = await as('POST', `/admin/shipping/zones/${missing}/methods`, {
      name: 'X',
      rate: { kind: 'flat', price: 1 },
    });
    assert.equal(noZone.status, 404);
    assert.equal((await as('POST', `/admin/shipping/methods/${missing}/deactivate`)).status, 404);
  });

  test("the database refuses rate columns that do not fit the method's kind, and malformed bands", async () => {
    const db = t.database.handle.db;
    await assert.rejects(
      sql`insert into shipping_method (zone_id, name, kind, price_minor, bands) values (${us.id}, 'x1', 'flat', 100, '[]')`.execute(
        db,
      ),
    );
    await assert.rejects(
      sql`insert into shipping_method (zone_id, name, kind, bands) values (${us.id}, 'x2', 'weight_bands', ${'[{"upToGrams": 10, "priceMinor": -1}]'}::jsonb)`.execute(
        db,
      ),
    );
    await assert.rejects(
      sql`insert into shipping_method (zone_id, name, kind, bands) values (${us.id}, 'x3', 'weight_bands', ${'[{"upToGrams": "10", "priceMinor": 1}]'}::jsonb)`.execute(
        db,
      ),
    );
  });
});

describe('tax rates', () => {
  test('created per zone and category, listed standard first, handed to totals by ratesFor', async () => {
    const standard = await as<Rate>(
      'POST',
      '/admin/tax/rates',
      { zoneId: us.id, name: 'Sales tax', rateBasisPoints: 825 },
      201,
    );
    assert.equal(standard.body.category, null);
    await as(
      'POST',
      '/admin/tax/rates',
      { zoneId: us.id, category: 'food', name: 'Food', rateBasisPoints: 0 },
      201,
    );
    const list = await as<{ items: Rate[]; pricesIncludeTax: boolean }>(
      'GET',
      `/admin/tax/rates?zoneId=${us.id}`,
      undefined,
      200,
    );
    assert.equal(list.body.pricesIncludeTax, false);
    assert.deepEqual(
      list.body.items.map((r) => [r.category, r.rateBasisPoints]),
      [
        [null, 825],
        ['food', 0],
      ],
    );
    assert.deepEqual(await t.app.services.tax.ratesFor(us.id), [
      { name: 'Sales tax', rateBasisPoints: 825, category: null },
      { name: 'Food', rateBasisPoints: 0, category: 'food' },
    ]);
    assert.deepEqual(await t.app.services.tax.ratesFor(west.id), []);
  });

  test('a second rate for a category is a 409; an unknown zone a 404; bad values a 400', async () => {
    const twice = await as<ErrorBody>('POST', '/admin/tax/rates', {
      zoneId: us.id,
      name: 'Again',
      rateBasisPoints: 1,
    });
    assert.equal(twice.status, 409);
    assert.equal(twice.body.code, 'tax_rate_exists');
    const missing = '00000000-0000-4000-8000-000000000000';
    const noZone = await as('POST', '/admin/tax/rates', { zoneId: missing, name: 'X', rateBasisPoints: 1 });
    assert.equal(noZone.status, 404);
    for (const body of [
      { zoneId: us.id, name: 'X', rateBasisPoints: 10_001 },
      { zoneId: us.id, name: 'X', rateBasisPoints: 8.25 },
      { zoneId: us.id, name: 'X', rateBasisPoints: -1 },
      { zoneId: us.id, name: 'X', category: 'Reduced Rate', rateBasisPoints: 1 },
      { zoneId: 'nope', name: 'X', rateBasisPoints: 1 },
    ]) {
      assert.equal((await as('POST', '/admin/tax/rates', body)).status, 400, JSON.stringify(body));
    }
  });

  test('updated and deleted; a zone with rates cannot be deleted until they are', async () => {
    // what checkout reads, cached once read: each change must show at once
    const stateTax = async () =>
      (await t.app.services.tax.ratesFor(west.id)).find((r) => r.name === 'State tax')?.rateBasisPoints;
    assert.equal(await stateTax(), undefined);
    const created = await as<Rate>(
      'POST',
      '/admin/tax/rates',
      { zoneId: west.id, name: 'State tax', rateBasisPoints: 725 },
      201,
    );
    const updated = await as<Rate>(
      'PATCH',
      `/admin/tax/rates/${created.body.id}`,
      { rateBasisPoints: 750 },
      200,
    );
    assert.equal(updated.body.rateBasisPoints, 750);
    assert.equal(await stateTax(), 750);
    const food = await as<Rate>(
      'POST',
      '/admin/tax/rates',
      { zoneId: west.id, category: 'food', name: 'Food', rateBasisPoints: 0 },
      201,
    );
    const clash = await as<ErrorBody>('PATCH', `/admin/tax/rates/${food.body.id}`, { category: null });
    assert.equal(clash.status, 409, 'the zone has its standard rate already');
    assert.equal(clash.body.code, 'tax_rate_exists');
    await as('DELETE', `/admin/tax/rates/${food.body.id}`, undefined, 204);
    const blocked = await as<ErrorBody>('DELETE', `/admin/shipping/zones/${west.id}`);
    assert.equal(blocked.status, 409);
    assert.equal(blocked.body.code, 'zone_has_tax_rates');
    await as('DELETE', `/admin/tax/rates/${created.body.id}`, undefined, 204);
    assert.equal(await stateTax(), undefined);
    assert.equal((await as('DELETE', `/admin/tax/rates/${created.body.id}`)).status, 404);
    await as('DELETE', `/admin/shipping/zones/${west.id}`, undefined, 204);
    const quote = await t.app.services.shipping.quote({ state: 'CA' }, { subtotalMinor: 1, weightGrams: 1 });
    assert.equal(quote?.zone.id, us.id, 'California falls back to the country-wide zone');
  });
});

test('the demo zones and rates load once, and a European basket finds VAT at both rates', async () => {
  const demo = await createTestApp({ SEED_DEMO_DATA: 'true' });
  try {
    const { shipping, tax } = demo.app.services;
    const zones = await shipping.listZones();
    assert.deepEqual(
      zones.map((z) => [z.name, z.methods.map((m) => m.name)]),
      [
        ['Europe', ['International']],
        ['United States', ['Standard', 'Express']],
      ],
    );
    assert.equal(await seedDemoShipping(shipping, 'USD'), 0);
    assert.equal(await seedDemoTax(tax, new Map(zones.map((z) => [z.name, z.id]))), 0);
    const quote = await shipping.quote({ country: 'NL' }, { subtotalMinor: 2000, weightGrams: 500 });
    assert.deepEqual(quote?.methods, [
      { id: zones[0]?.methods[0]?.id, name: 'International', priceMinor: 1500 },
    ]);
    assert.deepEqual(await tax.ratesFor(quote?.zone.id ?? ''), [
      { name: 'VAT', rateBasisPoints: 2000, category: null },
      { name: 'VAT', rateBasisPoints: 700, category: 'reduced' },
    ]);
    const home = await shipping.quote({}, { subtotalMinor: 6000, weightGrams: 1500 });
    assert.deepEqual(
      home?.methods.map((m) => [m.name, m.priceMinor]),
      [
        ['Standard', 0],
        ['Express', 2000],
      ],
    );
  } finally {
    await demo.close();
  }
});
