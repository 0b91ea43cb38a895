import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  countedOnRow,
  basisPointsOf,
  definitionProblem,
  describe,
  eligibility,
  normalizeCode,
  problemMessage,
  type DiscountCode,
  type DiscountDefinition,
} from './model.ts';

const START = new Date('2026-06-01T00:00:00Z');
const END = new Date('2026-07-01T00:00:00Z');

function code(overrides: Partial<DiscountCode> = {}): DiscountCode {
  return {
    id: '00000000-0000-7000-8000-000000000001',
    code: 'SUMMER',
    rule: { kind: 'percentage', basisPoints: 1000 },
    currency: 'USD',
    minimumSubtotalMinor: null,
    startsAt: null,
    endsAt: null,
    usageLimit: null,
    perCustomerLimit: null,
    timesUsed: 0,
    active: true,
    createdAt: START,
    updatedAt: START,
    ...overrides,
  };
}

const context = (overrides: Partial<{ subtotalMinor: number; now: Date; customerUses: number }> = {}) => ({
  subtotalMinor: 5000,
  now: new Date('2026-06-15T12:00:00Z'),
  customerUses: 0,
  ...overrides,
});

test('an unknown code, and a code switched off, are refused', () => {
  assert.deepEqual(eligibility(undefined, context()), { ok: false, problem: 'unknown_code' });
  assert.deepEqual(eligibility(null, context()), { ok: false, problem: 'unknown_code' });
  assert.deepEqual(eligibility(code({ active: false }), context()), { ok: false, problem: 'inactive' });
});

test('a code with no conditions gives its rule', () => {
  assert.deepEqual(eligibility(code(), context()), {
    ok: true,
    rule: { kind: 'percentage', basisPoints: 1000 },
  });
  assert.deepEqual(eligibility(code({ rule: { kind: 'free_shipping' } }), context()), {
    ok: true,
    rule: { kind: 'free_shipping' },
  });
});

test('the start is inclusive and the end exclusive, to the millisecond', () => {
  const timed = code({ startsAt: START, endsAt: END });
  const at = (ms: number) => eligibility(timed, context({ now: new Date(ms) }));
  assert.deepEqual(at(START.getTime() - 1), { ok: false, problem: 'not_started' });
  assert.equal(at(START.getTime()).ok, true);
  assert.equal(at(END.getTime() - 1).ok, true);
  assert.deepEqual(at(END.getTime()), { ok: false, problem: 'expired' });
  assert.deepEqual(at(END.getTime() + 1), { ok: false, problem: 'expired' });
  assert.equal(eligibility(code({ endsAt: END }), context({ now: new Date(0) })).ok, true);
  assert.equal(eligibility(code({ startsAt: START }), context({ now: new Date(8.64e15) })).ok, true);
});

test('the minimum subtotal is reached at exactly the minimum, and the refusal names it', () => {
  const minimum = code({ minimumSubtotalMinor: 2000 });
  assert.deepEqual(eligibility(minimum, context({ subtotalMinor: 1999 })), {
    ok: false,
    problem: 'minimum_not_met',
    minimumMinor: 2000,
  });
  assert.equal(eligibility(minimum, context({ subtotalMinor: 2000 })).ok, true);
  assert.equal(eligibility(minimum, context({ subtotalMinor: 2001 })).ok, true);
});

test('the total limit allows exactly usageLimit uses, the per-customer limit perCustomerLimit', () => {
  const limited = code({ usageLimit: 10 });
  assert.equal(eligibility({ ...limited, timesUsed: 9 }, context()).ok, true);
  assert.deepEqual(eligibility({ ...limited, timesUsed: 10 }, context()), {
    ok: false,
    problem: 'usage_limit_reached',
  });
  const once = code({ perCustomerLimit: 1 });
  assert.equal(eligibility(once, context({ customerUses: 0 })).ok, true);
  assert.deepEqual(eligibility(once, context({ customerUses: 1 })), {
    ok: false,
    problem: 'customer_limit_reached',
  });
});

test('the reason given is the one that matters first: off, not yet, over, minimum, used up', () => {
  const everything = code({
    active: false,
    startsAt: START,
    endsAt: END,
    minimumSubtotalMinor: 10_000,
    usageLimit: 1,
    timesUsed: 1,
    perCustomerLimit: 1,
  });
  const early = context({ now: new Date(START.getTime() - 1), subtotalMinor: 1, customerUses: 1 });
  const problems = [
    eligibility(everything, early),
    eligibility({ ...everything, active: true }, early),
    eligibility({ ...everything, active: true }, { ...early, now: END }),
    eligibility({ ...everything, active: true }, { ...early, now: START }),
    eligibility({ ...everything, active: true }, { ...early, now: START, subtotalMinor: 10_000 }),
    eligibility(
      { ...everything, active: true, timesUsed: 0 },
      { ...early, now: START, subtotalMinor: 10_000 },
    ),
  ].map((verdict) => (verdict.ok ? 'ok' : verdict.problem));
  assert.deepEqual(problems, [
    'inactive',
    'not_started',
    'expired',
    'minimum_not_met',
    'usage_limit_reached',
    'customer_limit_reached',
  ]);
});

test('property: a code is eligible exactly when every condition holds', () => {
  const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
  fc.assert(
    fc.property(
      fc.record({
        active: fc.boolean(),
        startsAt: maybe(fc.integer({ min: 0, max: 1000 })),
        length: fc.integer({ min: 1, max: 1000 }),
        bounded: fc.boolean(),
        minimum: maybe(fc.integer({ min: 1, max: 1000 })),
        usageLimit: maybe(fc.integer({ min: 1, max: 20 })),
        timesUsed: fc.integer({ min: 0, max: 20 }),
        perCustomerLimit: maybe(fc.integer({ min: 1, max: 5 })),
        customerUses: fc.integer({ min: 0, max: 5 }),
        now: fc.integer({ min: 0, max: 2000 }),
        subtotal: fc.integer({ min: 0, max: 1000 }),
      }),
      (c) => {
        const startsAt = c.startsAt === null ? null : new Date(c.startsAt);
        const endsAt = c.bounded ? new Date((c.startsAt ?? 0) + c.length) : null;
        const timesUsed = c.usageLimit === null ? c.timesUsed : Math.min(c.timesUsed, c.usageLimit);
        const verdict = eligibility(
          code({
            active: c.active,
            startsAt,
            endsAt,
            minimumSubtotalMinor: c.minimum,
            usageLimit: c.usageLimit,
            timesUsed,
            perCustomerLimit: c.perCustomerLimit,
          }),
          { subtotalMinor: c.subtotal, now: new Date(c.now), customerUses: c.customerUses },
        );
        const expected =
          c.active &&
          (startsAt === null || c.now >= startsAt.getTime()) &&
          (endsAt === null || c.now < endsAt.getTime()) &&
          (c.minimum === null || c.subtotal >= c.minimum) &&
          (c.usageLimit === null || timesUsed < c.usageLimit) &&
          (c.perCustomerLimit === null || c.customerUses < c.perCustomerLimit);
        assert.equal(verdict.ok, expected);
      },
    ),
  );
});

test('codes are matched in upper case, whatever the shopper typed', () => {
  assert.equal(normalizeCode('  welcome10 '), 'WELCOME10');
  assert.equal(normalizeCode('Free-Ship_2'), 'FREE-SHIP_2');
});

test('descriptions and messages say what a code gives and why it does not apply', () => {
  assert.equal(describe(code({ minimumSubtotalMinor: 2000 })), '10% off orders of $20.00 or more');
  assert.equal(describe(code({ rule: { kind: 'percentage', basisPoints: 1250 } })), '12.5% off');
  assert.equal(describe(code({ rule: { kind: 'fixed', amountMinor: 500 } })), '$5.00 off');
  assert.equal(describe(code({ rule: { kind: 'free_shipping' } })), 'Free shipping');
  assert.equal(
    describe(code({ rule: { kind: 'free_shipping' }, minimumSubtotalMinor: 5000 })),
    'Free shipping on orders of $50.00 or more',
  );
  assert.equal(
    problemMessage({ ok: false, problem: 'minimum_not_met', minimumMinor: 2000 }, 'USD'),
    'This discount code needs a subtotal of at least $20.00.',
  );
});

test('percentages become whole basis points, or are refused', () => {
  assert.equal(basisPointsOf(10), 1000);
  assert.equal(basisPointsOf(12.5), 1250);
  assert.equal(basisPointsOf(0.01), 1);
  assert.equal(basisPointsOf(33.33), 3333);
  assert.equal(basisPointsOf(10.005), null);
  assert.equal(basisPointsOf(Number.NaN), null);
});

test('a definition is refused for a percentage outside (0, 100], no amount, an end not after its start, a limit below 1', () => {
  const base: DiscountDefinition = {
    rule: { kind: 'percentage', basisPoints: 1000 },
    minimumSubtotalMinor: null,
    startsAt: START,
    endsAt: END,
    usageLimit: 10,
    perCustomerLimit: 1,
  };
  assert.equal(definitionProblem(base), null);
  assert.equal(definitionProblem({ ...base, rule: { kind: 'percentage', basisPoints: 10_000 } }), null);
  assert.deepEqual(definitionProblem({ ...base, rule: { kind: 'percentage', basisPoints: 10_001 } }), {
    problem: 'percentage_out_of_range',
    field: 'percentage',
  });
  assert.equal(
    definitionProblem({ ...base, rule: { kind: 'percentage', basisPoints: 0 } })?.problem,
    'percentage_out_of_range',
  );
  assert.equal(
    definitionProblem({ ...base, rule: { kind: 'fixed', amountMinor: 0 } })?.problem,
    'amount_out_of_range',
  );
  assert.equal(definitionProblem({ ...base, rule: { kind: 'fixed', amountMinor: 1 } }), null);
  assert.deepEqual(definitionProblem({ ...base, endsAt: START }), {
    problem: 'ends_before_start',
    field: 'endsAt',
  });
  assert.equal(
    definitionProblem({ ...base, endsAt: new Date(START.getTime() - 1) })?.problem,
    'ends_before_start',
  );
  assert.equal(definitionProblem({ ...base, endsAt: new Date(START.getTime() + 1) }), null);
  assert.deepEqual(definitionProblem({ ...base, usageLimit: 0 }), {
    problem: 'limit_out_of_range',
    field: 'usageLimit',
  });
  assert.deepEqual(definitionProblem({ ...base, perCustomerLimit: 0 }), {
    problem: 'limit_out_of_range',
    field: 'perCustomerLimit',
  });
  assert.equal(
    definitionProblem({ ...base, usageLimit: null, perCustomerLimit: null, startsAt: null }),
    null,
  );
});

test('a code counts its uses on its own row exactly when it has a limit to hold', () => {
  assert.equal(countedOnRow({ usageLimit: null, perCustomerLimit: null }), false);
  assert.equal(countedOnRow({ usageLimit: 10, perCustomerLimit: null }), true);
  assert.equal(countedOnRow({ usageLimit: null, perCustomerLimit: 1 }), true);
});
