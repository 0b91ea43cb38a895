/**
 * The admin's stock list: lowest available first, then by name; searched by name or SKU; low
 * stock only on request. Names come from the catalog through its service, not a join.
 * PGlite, or PostgreSQL with TEST_DATABASE_URL.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from './helpers.ts';

interface Row {
  productId: string;
  sku: string;
  name: string;
  available: number;
  lowStock: boolean;
}

let t: TestApp;
const tag = randomBytes(3).toString('hex');

before(async () => {
  t = await createTestApp();
  const admin = await t.adminToken();
  // two runs of equal availability, names out of order, so the name decides within each
  for (const [name, stock, threshold] of [
    ['Mug Delta', 3, 5],
    ['Mug Alpha', 3, 5],
    ['Mug Charlie', 9, 2],
    ['Mug Bravo', 3, 5],
    ['Mug Echo', 9, 2],
  ] as const) {
    const res = await t.request('POST', '/api/v1/products', {
      token: admin,
      body: {
        sku: `${tag}-${name.slice(4)}`,
        name,
        price: 5,
        initialStock: stock,
        lowStockThreshold: threshold,
      },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
});
after(async () => {
  await t.close();
});

async function list(query: string): Promise<Row[]> {
  const res = await t.request<{ items: Row[] }>('GET', `/api/v1/admin/inventory?${query}`, {
    token: await t.adminToken(),
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.items;
}

test('lowest available first, then by name, also where a page ends inside a tie', async () => {
  const all = await list('search=Mug');
  assert.deepEqual(
    all.map((r) => [r.name, r.available]),
    [
      ['Mug Alpha', 3],
      ['Mug Bravo', 3],
      ['Mug Delta', 3],
      ['Mug Charlie', 9],
      ['Mug Echo', 9],
    ],
  );
  assert.deepEqual(
    (await list('search=Mug&limit=2')).map((r) => r.name),
    ['Mug Alpha', 'Mug Bravo'],
  );
  assert.deepEqual(
    (await list('search=Mug&limit=4')).map((r) => r.name),
    ['Mug Alpha', 'Mug Bravo', 'Mug Delta', 'Mug Charlie'],
  );
});

test('search matches the name or the SKU, case-insensitively; low stock only on request', async () => {
  assert.deepEqual(
    (await list(`search=${tag}-ECHO`)).map((r) => [r.sku, r.name]),
    [[`${tag}-Echo`, 'Mug Echo']],
  );
  assert.deepEqual((await list('search=no-such-product-anywhere')).length, 0);
  const low = await list('search=Mug&lowStock=true');
  assert.deepEqual(
    low.map((r) => r.name),
    ['Mug Alpha', 'Mug Bravo', 'Mug Delta'],
  );
  assert.ok(low.every((r) => r.lowStock));
});
