import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { planShipment, progressAfter, statusByQuantities, type LineProgress } from './model.ts';

const line = (lineId: string, quantity: number, shipped = 0, delivered = 0): LineProgress => ({
  lineId,
  variantId: `v-${lineId}`,
  quantity,
  shipped,
  delivered,
});

test('the status follows the quantities: nothing, some, all shipped; some, all delivered', () => {
  assert.equal(statusByQuantities([line('a', 2), line('b', 1)]), 'confirmed');
  assert.equal(statusByQuantities([line('a', 2, 1), line('b', 1)]), 'partially_shipped');
  assert.equal(statusByQuantities([line('a', 2, 2), line('b', 1, 1)]), 'shipped');
  assert.equal(statusByQuantities([line('a', 2, 2, 2), line('b', 1, 1)]), 'partially_delivered');
  assert.equal(statusByQuantities([line('a', 2, 2, 2), line('b', 1, 1, 1)]), 'delivered');
  // a delivered part while the rest is still to ship: the order is still partly unshipped
  assert.equal(statusByQuantities([line('a', 2, 2, 2), line('b', 1)]), 'partially_shipped');
});

test('a line added to a delivered order (an exchange) makes it partially shipped, then partially delivered', () => {
  const delivered = [line('a', 1, 1, 1)];
  const exchanged = [...delivered, line('replacement', 1)];
  assert.equal(statusByQuantities(delivered), 'delivered');
  assert.equal(statusByQuantities(exchanged), 'partially_shipped');
  const shipped = progressAfter(exchanged, [{ lineId: 'replacement', quantity: 1 }], 'shipped');
  assert.equal(statusByQuantities(shipped), 'partially_delivered');
  assert.equal(
    statusByQuantities(progressAfter(shipped, [{ lineId: 'replacement', quantity: 1 }], 'delivered')),
    'delivered',
  );
});

test('a shipment of nothing named takes everything that remains', () => {
  const plan = planShipment([line('a', 3, 1), line('b', 2, 2), line('c', 1)], undefined);
  assert.deepEqual(plan, {
    ok: true,
    lines: [
      { lineId: 'a', variantId: 'v-a', quantity: 2 },
      { lineId: 'c', variantId: 'v-c', quantity: 1 },
    ],
  });
  assert.deepEqual(planShipment([line('a', 1, 1)], undefined), {
    ok: false,
    problem: { kind: 'nothing_to_ship' },
  });
});

test('a shipment never takes more of a line than remains, and says so per line', () => {
  const progress = [line('a', 3, 1), line('b', 2)];
  assert.deepEqual(
    planShipment(progress, [
      { lineId: 'a', quantity: 3 },
      { lineId: 'b', quantity: 2 },
    ]),
    {
      ok: false,
      problem: { kind: 'exceeds_remaining', lines: [{ lineId: 'a', requested: 3, remaining: 2 }] },
    },
  );
  assert.deepEqual(planShipment(progress, [{ lineId: 'x', quantity: 1 }]), {
    ok: false,
    problem: { kind: 'unknown_lines', lineIds: ['x'] },
  });
  assert.deepEqual(
    planShipment(progress, [
      { lineId: 'b', quantity: 1 },
      { lineId: 'b', quantity: 1 },
    ]),
    { ok: false, problem: { kind: 'duplicate_lines', lineIds: ['b'] } },
  );
});

const orderArb = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 });

test('property: shipments in any split never exceed what was ordered, and end in shipped', () => {
  fc.assert(
    fc.property(
      orderArb,
      fc.array(fc.tuple(fc.nat(3), fc.integer({ min: 1, max: 5 })), { maxLength: 12 }),
      (quantities, asks) => {
        let progress = quantities.map((q, i) => line(String(i), q));
        for (const [index, quantity] of asks) {
          const target = progress[index % progress.length] as LineProgress;
          const plan = planShipment(progress, [{ lineId: target.lineId, quantity }]);
          if (plan.ok) progress = progressAfter(progress, plan.lines, 'shipped');
          else
            assert.ok(
              quantity > target.quantity - target.shipped,
              'refused only when it exceeds what remains',
            );
          for (const l of progress) assert.ok(l.shipped <= l.quantity);
          const status = statusByQuantities(progress);
          const all = progress.every((l) => l.shipped === l.quantity);
          assert.equal(status === 'shipped', all);
        }
        const rest = planShipment(progress, undefined);
        if (rest.ok) progress = progressAfter(progress, rest.lines, 'shipped');
        assert.equal(statusByQuantities(progress), 'shipped');
      },
    ),
  );
});

test('property: the status is delivered exactly when every unit arrived, confirmed exactly when none left', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc
          .integer({ min: 1, max: 5 })
          .chain((q) =>
            fc
              .integer({ min: 0, max: q })
              .chain((s) => fc.integer({ min: 0, max: s }).map((d) => [q, s, d] as const)),
          ),
        { minLength: 1, maxLength: 5 },
      ),
      (lines) => {
        const progress = lines.map(([q, s, d], i) => line(String(i), q, s, d));
        const status = statusByQuantities(progress);
        assert.equal(
          status === 'delivered',
          progress.every((l) => l.delivered === l.quantity),
        );
        assert.equal(
          status === 'confirmed',
          progress.every((l) => l.shipped === 0),
        );
      },
    ),
  );
});
