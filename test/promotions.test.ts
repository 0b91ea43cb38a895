import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AppError } from '../src/platform/errors.ts';
import { seedDemoPromotions } from '../src/promotions/demo.ts';
import { insertCustomers, insertOrders } from './discount-fixtures.ts';
import { createTestApp, type TestApp } from './helpers.ts';

interface CodeJson {
  id: string;
  code: string;
  kind: string;
  percentage: number | null;
  amount: number | null;
  currency: string;
  minimumSubtotal: number | null;
  startsAt: string | null;
  endsAt: string | null;
  usageLimit: number | null;
  perCustomerLimit: number | null;
  timesUsed: number;
  active: boolean;
  description: string;
}
interface ErrorJson {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

let t: TestApp;
let admin: string;
before(async () => {
  t = await createTestApp();
  admin = await t.adminToken();
});
after(() => t.close());

const BASE = '/api/v1/admin/discount-codes';
let sequence = 0;
const uniqueCode = (prefix = 'CODE') => `${prefix}${++sequence}${Date.now() % 100000}`;

async function create(body: Record<string, unknown>) {
  return t.request<CodeJson & ErrorJson>('POST', BASE, {
    token: admin,
    body: { code: uniqueCode(), ...body },
  });
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  assert.fail('expected an AppError');
}

test('only an admin reaches the discount codes: 401 without a token, 403 for a customer', async () => {
  const customer = await t.customer();
  const id = '00000000-0000-7000-8000-000000000099';
  const calls = [
    ['GET', BASE, undefined],
    ['POST', BASE, { code: 'NOPE', kind: 'free_shipping' }],
    ['GET', `${BASE}/${id}`, undefined],
    ['PATCH', `${BASE}/${id}`, { active: false }],
  ] as const;
  for (const [method, url, body] of calls) {
    const anonymous = await t.request(method, url, { body });
    assert.equal(anonymous.status, 401, `${method} ${url}`);
    const shopper = await t.request(method, url, { token: customer.token, body });
    assert.equal(shopper.status, 403, `${method} ${url}`);
  }
  const count = await t.app.database.db
    .selectFrom('discount_code')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('code', '=', 'NOPE')
    .executeTakeFirstOrThrow();
  assert.equal(Number(count.n), 0);
});

test('an admin creates a percentage code in any case; it is stored in upper case and read back', async () => {
  const raw = uniqueCode('welcome');
  const created = await create({
    code: raw,
    kind: 'percentage',
    percentage: 12.5,
    minimumSubtotal: 20,
    startsAt: '2026-01-01T00:00:00Z',
    endsAt: '2036-01-01T00:00:00+01:00',
    usageLimit: 100,
    perCustomerLimit: 1,
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.code, raw.toUpperCase());
  assert.equal(created.body.kind, 'percentage');
  assert.equal(created.body.percentage, 12.5);
  assert.equal(created.body.amount, null);
  assert.equal(created.body.minimumSubtotal, 20);
  assert.equal(created.body.currency, 'USD');
  assert.equal(created.body.startsAt, '2026-01-01T00:00:00.000Z');
  assert.equal(created.body.endsAt, '2035-12-31T23:00:00.000Z');
  assert.deepEqual(
    [created.body.usageLimit, created.body.perCustomerLimit, created.body.timesUsed],
    [100, 1, 0],
  );
  assert.equal(created.body.active, true);
  assert.equal(created.body.description, '12.5% off orders of $20.00 or more');

  const row = await t.app.database.db
    .selectFrom('discount_code')
    .select(['basis_points', 'minimum_subtotal_minor'])
    .where('id', '=', created.body.id)
    .executeTakeFirstOrThrow();
  assert.deepEqual(row, { basis_points: 1250, minimum_subtotal_minor: 2000 });

  const got = await t.request<CodeJson>('GET', `${BASE}/${created.body.id}`, { token: admin });
  assert.equal(got.status, 200);
  assert.deepEqual(got.body, created.body);

  const audit = await t.app.database.db
    .selectFrom('audit_log')
    .select(['action', 'actor_id'])
    .where('target_id', '=', created.body.id)
    .execute();
  assert.deepEqual(
    audit.map((a) => a.action),
    ['discount_code.create'],
  );
  assert.ok(audit[0]?.actor_id, 'the admin is recorded');
});

test('fixed and free-shipping codes carry their own value and no other', async () => {
  const fixed = await create({ kind: 'fixed', amount: 5.5 });
  assert.equal(fixed.status, 201);
  assert.deepEqual(
    [fixed.body.amount, fixed.body.percentage, fixed.body.description],
    [5.5, null, '$5.50 off'],
  );
  const free = await create({ kind: 'free_shipping', minimumSubtotal: 0 });
  assert.equal(free.status, 201);
  assert.deepEqual([free.body.amount, free.body.percentage, free.body.minimumSubtotal], [null, null, null]);
  assert.equal(free.body.description, 'Free shipping');
});

test('a code that exists, in any case, is a 409', async () => {
  const code = uniqueCode('dup');
  assert.equal((await create({ code, kind: 'free_shipping' })).status, 201);
  const again = await create({ code: code.toLowerCase(), kind: 'fixed', amount: 1 });
  assert.equal(again.status, 409);
  assert.equal(again.body.code, 'discount_code_taken');
  assert.equal(again.body.details['code'], code.toUpperCase());
});

test('a definition that breaks a rule is a 400 naming the rule and the field', async () => {
  const cases: Array<[Record<string, unknown>, string, string | undefined]> = [
    [{ kind: 'percentage', percentage: 150 }, 'percentage_out_of_range', 'percentage'],
    [{ kind: 'percentage', percentage: 100.01 }, 'percentage_out_of_range', 'percentage'],
    [{ kind: 'percentage', percentage: 0 }, 'percentage_out_of_range', 'percentage'],
    [{ kind: 'percentage', percentage: -5 }, 'percentage_out_of_range', 'percentage'],
    [{ kind: 'percentage', percentage: 10.005 }, 'percentage_out_of_range', 'percentage'],
    [{ kind: 'percentage' }, 'discount_value_missing', 'percentage'],
    [{ kind: 'percentage', percentage: 10, amount: 5 }, 'value_not_for_kind', 'amount'],
    [{ kind: 'fixed' }, 'discount_value_missing', 'amount'],
    [{ kind: 'fixed', amount: 0 }, 'amount_out_of_range', 'amount'],
    [{ kind: 'fixed', amount: 1.234 }, 'invalid_amount', undefined],
    [{ kind: 'free_shipping', percentage: 10 }, 'value_not_for_kind', 'percentage'],
    [
      { kind: 'free_shipping', startsAt: '2026-02-01T00:00:00Z', endsAt: '2026-01-01T00:00:00Z' },
      'ends_before_start',
      'endsAt',
    ],
    [
      { kind: 'free_shipping', startsAt: '2026-02-01T00:00:00Z', endsAt: '2026-02-01T00:00:00Z' },
      'ends_before_start',
      'endsAt',
    ],
    [{ kind: 'free_shipping', usageLimit: 0 }, 'limit_out_of_range', 'usageLimit'],
    [{ kind: 'free_shipping', perCustomerLimit: -1 }, 'limit_out_of_range', 'perCustomerLimit'],
    [{ kind: 'free_shipping', code: 'a!' }, 'invalid_discount_code', 'code'],
    [{ kind: 'free_shipping', code: 'AB' }, 'invalid_discount_code', 'code'],
    [{ kind: 'free_shipping', currency: 'EUR' }, 'unsupported_currency', undefined],
  ];
  for (const [body, code, field] of cases) {
    const res = await create(body);
    assert.equal(res.status, 400, `${JSON.stringify(body)} → ${res.status}`);
    assert.equal(res.body.code, code, JSON.stringify(body));
    if (field) assert.equal(res.body.details['field'], field, JSON.stringify(body));
    assert.ok(res.body.message.length > 0);
  }
  for (const body of [
    { kind: 'bogus' },
    { kind: 'fixed', amount: 1, extra: true },
    { kind: 'fixed', amount: 1, endsAt: 'soon' },
  ]) {
    const res = await create(body);
    assert.equal(res.status, 400, JSON.stringify(body));
  }
  const none = await t.app.database.db
    .selectFrom('discount_code')
    .select('code')
    .where('code', 'in', ['A!', 'AB'])
    .execute();
  assert.deepEqual(none, []);
});

test('an unknown id is a 404 and a malformed one a 400', async () => {
  const unknown = await t.request<ErrorJson>('GET', `${BASE}/00000000-0000-7000-8000-000000000042`, {
    token: admin,
  });
  assert.equal(unknown.status, 404);
  const patched = await t.request<ErrorJson>('PATCH', `${BASE}/00000000-0000-7000-8000-000000000042`, {
    token: admin,
    body: { active: false },
  });
  assert.equal(patched.status, 404);
  assert.equal((await t.request('GET', `${BASE}/not-a-uuid`, { token: admin })).status, 400);
});

test('an admin changes a code: its value, dates, limits, and deactivates it', async () => {
  const created = await create({ kind: 'percentage', percentage: 10, minimumSubtotal: 20 });
  const url = `${BASE}/${created.body.id}`;
  const changed = await t.request<CodeJson>('PATCH', url, {
    token: admin,
    body: { percentage: 15, minimumSubtotal: null, endsAt: '2030-01-01T00:00:00Z', usageLimit: 5 },
  });
  assert.equal(changed.status, 200);
  assert.deepEqual(
    [changed.body.percentage, changed.body.minimumSubtotal, changed.body.endsAt, changed.body.usageLimit],
    [15, null, '2030-01-01T00:00:00.000Z', 5],
  );
  assert.equal(changed.body.description, '15% off');
  assert.equal(changed.body.code, created.body.code);

  const off = await t.request<CodeJson>('PATCH', url, { token: admin, body: { active: false } });
  assert.equal(off.status, 200);
  assert.equal(off.body.active, false);
  assert.equal(off.body.percentage, 15, 'what was not sent stays');
  assert.equal((await t.request<CodeJson>('GET', url, { token: admin })).body.active, false);

  const wrongKind = await t.request<ErrorJson>('PATCH', url, { token: admin, body: { amount: 5 } });
  assert.equal(wrongKind.status, 400);
  assert.equal(wrongKind.body.code, 'value_not_for_kind');
  const before = await t.request<ErrorJson>('PATCH', url, {
    token: admin,
    body: { startsAt: '2031-01-01T00:00:00Z' },
  });
  assert.equal(before.status, 400);
  assert.equal(before.body.code, 'ends_before_start', 'checked against the end already stored');
  const tooMuch = await t.request<ErrorJson>('PATCH', url, { token: admin, body: { percentage: 101 } });
  assert.equal(tooMuch.status, 400);
  assert.equal(tooMuch.body.code, 'percentage_out_of_range');
  assert.equal((await t.request<CodeJson>('GET', url, { token: admin })).body.percentage, 15);
  const codeChange = await t.request<ErrorJson>('PATCH', url, { token: admin, body: { code: 'OTHER' } });
  assert.equal(codeChange.status, 400, 'the code itself cannot change');
});

test('the usage limit cannot go below the uses already taken (409), down to them it can', async () => {
  const created = await create({ kind: 'free_shipping', usageLimit: 10 });
  await t.app.database.db
    .updateTable('discount_code')
    .set({ times_used: 3 })
    .where('id', '=', created.body.id)
    .execute();
  const url = `${BASE}/${created.body.id}`;
  const below = await t.request<ErrorJson>('PATCH', url, { token: admin, body: { usageLimit: 2 } });
  assert.equal(below.status, 409);
  assert.equal(below.body.code, 'usage_limit_below_uses');
  assert.equal(below.body.details['timesUsed'], 3);
  const at = await t.request<CodeJson>('PATCH', url, { token: admin, body: { usageLimit: 3 } });
  assert.equal(at.status, 200);
  assert.deepEqual([at.body.usageLimit, at.body.timesUsed], [3, 3]);
  const unlimited = await t.request<CodeJson>('PATCH', url, { token: admin, body: { usageLimit: null } });
  assert.equal(unlimited.body.usageLimit, null);
});

test('the list pages through every code alphabetically, with the uses of each', async () => {
  const prefix = `LST${Date.now() % 100000}`;
  for (const suffix of ['C', 'A', 'B']) await create({ code: `${prefix}${suffix}`, kind: 'free_shipping' });
  const seen: CodeJson[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
    const page: { status: number; body: { items: CodeJson[]; nextCursor: string | null } } = await t.request(
      'GET',
      `${BASE}${query}`,
      { token: admin },
    );
    assert.equal(page.status, 200);
    assert.ok(page.body.items.length <= 2);
    seen.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  const codes = seen.map((c) => c.code);
  assert.deepEqual(codes, [...codes].sort(), 'alphabetical');
  assert.equal(new Set(codes).size, codes.length, 'no code twice');
  assert.deepEqual(
    codes.filter((c) => c.startsWith(prefix)),
    [`${prefix}A`, `${prefix}B`, `${prefix}C`],
  );
  assert.ok(seen.every((c) => typeof c.timesUsed === 'number'));
  const bad = await t.request<ErrorJson>('GET', `${BASE}?cursor=nonsense`, { token: admin });
  assert.equal(bad.status, 400);
});

test('check: a code in any case gives its rule and description, or a 422 with the reason', async () => {
  const promotions = t.app.services.promotions;
  const code = uniqueCode('chk');
  await create({ code, kind: 'percentage', percentage: 10, minimumSubtotal: 20, perCustomerLimit: 1 });
  const checked = await promotions.check(code.toLowerCase(), { customerId: null, subtotalMinor: 2000 });
  assert.deepEqual(checked.rule, { kind: 'percentage', basisPoints: 1000 });
  assert.equal(checked.code, code.toUpperCase());
  assert.equal(checked.description, '10% off orders of $20.00 or more');

  const small = await refusal(promotions.check(code, { customerId: null, subtotalMinor: 1999 }));
  assert.equal(small.statusCode, 422);
  assert.equal(small.code, 'discount_code_invalid');
  assert.deepEqual(small.details, {
    reason: 'minimum_not_met',
    code: code.toUpperCase(),
    minimumSubtotal: 20,
    currency: 'USD',
  });
  assert.match(small.message, /\$20\.00/);

  for (const [typed, reason] of [
    ['NO-SUCH-CODE', 'unknown_code'],
    ['x', 'unknown_code'],
    ['%%%', 'unknown_code'],
  ] as const) {
    const unknown = await refusal(promotions.check(typed, { customerId: null, subtotalMinor: 5000 }));
    assert.equal(unknown.details['reason'], reason);
  }
  const future = await create({ kind: 'free_shipping', startsAt: '2099-01-01T00:00:00Z' });
  const notYet = await refusal(promotions.check(future.body.code, { customerId: null, subtotalMinor: 5000 }));
  assert.equal(notYet.details['reason'], 'not_started');
  const past = await create({ kind: 'free_shipping', endsAt: '2020-01-01T00:00:00Z' });
  const expired = await refusal(promotions.check(past.body.code, { customerId: null, subtotalMinor: 5000 }));
  assert.equal(expired.details['reason'], 'expired');
  const off = await create({ kind: 'free_shipping', active: false });
  const inactive = await refusal(promotions.check(off.body.code, { customerId: null, subtotalMinor: 5000 }));
  assert.equal(inactive.details['reason'], 'inactive');
});

test('redeem takes a use inside the order transaction; past the limits it is refused and keeps nothing', async () => {
  const db = t.app.database.db;
  const promotions = t.app.services.promotions;
  const created = await create({ kind: 'fixed', amount: 5, usageLimit: 2, perCustomerLimit: 1 });
  const code = created.body.code.toLowerCase();
  const [first = '', second = '', third = ''] = await insertCustomers(db, 3);
  const orders = await insertOrders(db, [first, first, second, third]);
  const redeem = (customerId: string, orderId: string) =>
    db
      .transaction()
      .execute((trx) => promotions.redeem(trx, { code, customerId, orderId, subtotalMinor: 1000 }));
  const timesUsed = async () =>
    (
      await db
        .selectFrom('discount_code')
        .select('times_used')
        .where('id', '=', created.body.id)
        .executeTakeFirstOrThrow()
    ).times_used;

  const redeemed = await redeem(first, orders[0] ?? '');
  assert.deepEqual(redeemed, {
    codeId: created.body.id,
    code: created.body.code,
    rule: { kind: 'fixed', amountMinor: 500 },
  });
  assert.equal(await timesUsed(), 1);

  const again = await refusal(redeem(first, orders[1] ?? ''));
  assert.equal(again.statusCode, 422);
  assert.equal(again.details['reason'], 'customer_limit_reached');
  assert.equal(await timesUsed(), 1, 'the refused use is not kept');
  const checked = await refusal(promotions.check(code, { customerId: first, subtotalMinor: 1000 }));
  assert.equal(checked.details['reason'], 'customer_limit_reached', 'check counts the customer’s uses too');

  const sameOrder = await refusal(redeem(second, orders[0] ?? ''));
  assert.equal(sameOrder.statusCode, 409);
  assert.equal(sameOrder.code, 'discount_already_redeemed');
  assert.equal(await timesUsed(), 1);

  await redeem(second, orders[2] ?? '');
  assert.equal(await timesUsed(), 2);
  const full = await refusal(redeem(third, orders[3] ?? ''));
  assert.equal(full.details['reason'], 'usage_limit_reached');
  assert.equal(await timesUsed(), 2);
  assert.equal(
    (await t.request<CodeJson>('GET', `${BASE}/${created.body.id}`, { token: admin })).body.timesUsed,
    2,
  );

  // a caller that carries on after a refusal commits nothing of it either
  await db.transaction().execute(async (trx) => {
    await refusal(
      promotions.redeem(trx, { code, customerId: first, orderId: orders[1] ?? '', subtotalMinor: 1000 }),
    );
  });
  assert.equal(await timesUsed(), 2);

  const released = await db.transaction().execute((trx) => promotions.release(trx, orders[0] ?? ''));
  assert.equal(released, true);
  assert.equal(await timesUsed(), 1);
  assert.equal(await db.transaction().execute((trx) => promotions.release(trx, orders[0] ?? '')), false);
  assert.equal(await timesUsed(), 1, 'a second release gives nothing back');
  const row = await db
    .selectFrom('discount_redemption')
    .select(['status', 'released_at'])
    .where('order_id', '=', orders[0] ?? '')
    .executeTakeFirstOrThrow();
  assert.equal(row.status, 'released');
  assert.ok(row.released_at);

  // the use given back can be taken again
  await redeem(third, orders[3] ?? '');
  assert.equal(await timesUsed(), 2);
  const past = await refusal(redeem(first, orders[1] ?? ''));
  assert.equal(past.details['reason'], 'usage_limit_reached');
  assert.equal(await timesUsed(), 2, 'never past the limit');
});

test('a refused redemption rolls back with the order transaction, and the database refuses a use past the limit', async () => {
  const db = t.app.database.db;
  const created = await create({ kind: 'free_shipping', usageLimit: 1 });
  await db.updateTable('discount_code').set({ times_used: 1 }).where('id', '=', created.body.id).execute();
  await assert.rejects(
    db.updateTable('discount_code').set({ times_used: 2 }).where('id', '=', created.body.id).execute(),
    /discount_code_within_limit/,
  );
  await assert.rejects(
    db
      .insertInto('discount_code')
      .values({
        code: 'lower',
        kind: 'free_shipping',
        currency: 'USD',
        basis_points: null,
        amount_minor: null,
      })
      .execute(),
    /check/i,
  );
  await assert.rejects(
    db
      .insertInto('discount_code')
      .values({
        code: 'BOTHVALUES',
        kind: 'percentage',
        currency: 'USD',
        basis_points: 1000,
        amount_minor: 100,
      })
      .execute(),
    /discount_code_value/,
  );
});

test('the demo codes are WELCOME10 (10 % from $20, once per customer) and a free-shipping code, loaded once', async () => {
  const promotions = t.app.services.promotions;
  assert.equal(await seedDemoPromotions(promotions), 2);
  assert.equal(await seedDemoPromotions(promotions), 0);
  const welcome = await promotions.check('welcome10', { customerId: null, subtotalMinor: 2000 });
  assert.deepEqual(welcome.rule, { kind: 'percentage', basisPoints: 1000 });
  const row = await t.app.database.db
    .selectFrom('discount_code')
    .select(['minimum_subtotal_minor', 'per_customer_limit', 'usage_limit', 'active'])
    .where('code', '=', 'WELCOME10')
    .executeTakeFirstOrThrow();
  assert.deepEqual(row, {
    minimum_subtotal_minor: 2000,
    per_customer_limit: 1,
    usage_limit: null,
    active: true,
  });
  const free = await promotions.check('freeship', { customerId: null, subtotalMinor: 5000 });
  assert.deepEqual(free.rule, { kind: 'free_shipping' });
});

test('an app started with demo data serves WELCOME10 and FREESHIP to the admin', async () => {
  const demo = await createTestApp({ SEED_DEMO_DATA: 'true' });
  try {
    const res = await demo.request<{ items: CodeJson[] }>('GET', BASE, { token: await demo.adminToken() });
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.items.map((c) => [c.code, c.kind, c.description, c.perCustomerLimit]),
      [
        ['FREESHIP', 'free_shipping', 'Free shipping on orders of $50.00 or more', null],
        ['WELCOME10', 'percentage', '10% off orders of $20.00 or more', 1],
      ],
    );
  } finally {
    await demo.close();
  }
});
