import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { computeTotals } from '../orders/totals.ts';
import {
  HOLDING_STATUSES,
  RETURN_ACTIONS,
  RETURN_STATUSES,
  RETURN_TRANSITIONS,
  checkReturnable,
  decideReturn,
  exchangeBalance,
  priceReplacements,
  returnActions,
  returnRefund,
  type DeliveredLine,
  type ExchangeOption,
} from './model.ts';

const DAY = 86_400_000;
const now = new Date('2026-06-30T12:00:00Z');
const line = (over: Partial<DeliveredLine> = {}): DeliveredLine => ({
  lineId: 'l1',
  variantId: 'v1',
  quantity: 3,
  delivered: 3,
  deliveredAt: new Date(now.getTime() - 5 * DAY),
  ...over,
});

test('the state machine leads requested → approved|rejected, approved → received → refunded|closed', () => {
  assert.deepEqual(decideReturn('requested', 'approve'), { allowed: true, to: 'approved' });
  assert.deepEqual(decideReturn('requested', 'reject'), { allowed: true, to: 'rejected' });
  assert.deepEqual(decideReturn('approved', 'receive'), { allowed: true, to: 'received' });
  assert.deepEqual(decideReturn('received', 'refund', 500), { allowed: true, to: 'refunded' });
  assert.deepEqual(decideReturn('received', 'close', 0), { allowed: true, to: 'closed' });
});

test('every refusal says why, in words, for every status an action does not start from', () => {
  for (const action of RETURN_ACTIONS) {
    for (const status of RETURN_STATUSES) {
      const d = decideReturn(status, action);
      if (RETURN_TRANSITIONS[action].from.includes(status)) continue;
      assert.equal(d.allowed, false, `${action} from ${status}`);
      if (!d.allowed) {
        assert.equal(d.code, 'invalid_return_transition');
        assert.match(d.reason, /^[A-Z].+\.$/, `${action} from ${status}: ${d.reason}`);
      }
    }
  }
  const received = decideReturn('approved', 'refund');
  assert.equal(received.allowed, false);
  assert.equal(!received.allowed && received.reason, 'The items have not been received yet.');
});

test('a return is cancelled while its items have not come back, and nothing follows a cancellation', () => {
  assert.deepEqual(decideReturn('requested', 'cancel'), { allowed: true, to: 'cancelled' });
  assert.deepEqual(decideReturn('approved', 'cancel'), { allowed: true, to: 'cancelled' });
  const refusals = Object.fromEntries(
    RETURN_STATUSES.flatMap((status) => {
      const d = decideReturn(status, 'cancel');
      return d.allowed ? [] : [[status, [d.code, d.reason]]];
    }),
  );
  assert.deepEqual(refusals, {
    rejected: ['invalid_return_transition', 'The return was rejected.'],
    received: ['invalid_return_transition', 'The items were already received: refund them instead.'],
    refunded: ['invalid_return_transition', 'The return was refunded.'],
    closed: ['invalid_return_transition', 'The return is closed.'],
    cancelled: ['invalid_return_transition', 'The return is already cancelled.'],
  });
  for (const action of RETURN_ACTIONS.filter((a) => a !== 'cancel')) {
    const d = decideReturn('cancelled', action);
    assert.deepEqual(d.allowed ? null : [d.code, d.reason], [
      'invalid_return_transition',
      'The return was cancelled.',
    ]);
  }
  assert.ok(!HOLDING_STATUSES.includes('cancelled'), 'a cancelled return frees its units');
});

test('an exchange whose replacement shipped cannot be cancelled; a cancellation under way lets nothing else happen', () => {
  const shipped = decideReturn('approved', 'cancel', undefined, { replacementShipped: true });
  assert.deepEqual(shipped.allowed ? null : shipped.code, 'replacement_shipped');
  const cancelling = returnActions('approved', { cancelling: true });
  assert.deepEqual(cancelling.cancel, { allowed: true, reason: null });
  assert.equal(cancelling.receive.allowed, false);
  assert.match(cancelling.receive.reason ?? '', /^The return is being cancelled/);
  const requested = decideReturn('requested', 'approve', undefined, { cancelling: true });
  assert.equal(requested.allowed ? null : requested.code, 'invalid_return_transition');
  assert.equal(decideReturn('requested', 'reject', undefined, { cancelling: true }).allowed, false);
  // what the status refuses is said first
  const received = decideReturn('received', 'cancel', undefined, { replacementShipped: true });
  assert.equal(received.allowed ? null : received.code, 'invalid_return_transition');
});

test('a refund needs something to give back, and a close needs nothing left', () => {
  const refund = decideReturn('received', 'refund', 0);
  assert.equal(!refund.allowed && refund.code, 'nothing_to_refund');
  const close = decideReturn('received', 'close', 100);
  assert.equal(!close.allowed && close.code, 'refund_due');
});

test('only delivered units not held by another return, within the window, can be returned', () => {
  const lines = [
    line(),
    line({ lineId: 'l2', variantId: 'v2', quantity: 2, delivered: 0, deliveredAt: null }),
  ];
  assert.equal(checkReturnable([{ lineId: 'l1', quantity: 3 }], lines, new Map(), 30, now), null);
  assert.deepEqual(checkReturnable([{ lineId: 'l1', quantity: 2 }], lines, new Map([['l1', 2]]), 30, now), {
    code: 'not_delivered',
    lines: [{ lineId: 'l1', requested: 2, returnable: 1 }],
  });
  assert.deepEqual(checkReturnable([{ lineId: 'l2', quantity: 1 }], lines, new Map(), 30, now), {
    code: 'not_delivered',
    lines: [{ lineId: 'l2', requested: 1, returnable: 0 }],
  });
  assert.deepEqual(checkReturnable([{ lineId: 'nope', quantity: 1 }], lines, new Map(), 30, now), {
    code: 'unknown_line',
    lineIds: ['nope'],
  });
  assert.deepEqual(
    checkReturnable(
      [
        { lineId: 'l1', quantity: 1 },
        { lineId: 'l1', quantity: 1 },
      ],
      lines,
      new Map(),
      30,
      now,
    ),
    { code: 'duplicate_line', lineIds: ['l1'] },
  );
});

test('the window counts from the line’s delivery: day 30 is in, day 31 is out', () => {
  const at = (days: number) => [line({ deliveredAt: new Date(now.getTime() - days * DAY) })];
  assert.equal(checkReturnable([{ lineId: 'l1', quantity: 1 }], at(30), new Map(), 30, now), null);
  assert.deepEqual(checkReturnable([{ lineId: 'l1', quantity: 1 }], at(31), new Map(), 30, now), {
    code: 'return_window_closed',
    lineIds: ['l1'],
    windowDays: 30,
  });
});

const taxed = (unitPriceMinor: number, quantity: number, discountBp: number, rateBp: number) =>
  computeTotals({
    lines: [{ key: 'l1', unitPriceMinor, quantity, taxCategory: null }],
    shippingMinor: 500,
    discount: discountBp > 0 ? { kind: 'percentage', basisPoints: discountBp } : null,
    taxRates: [{ name: 'VAT', rateBasisPoints: rateBp, category: null }],
    pricesIncludeTax: false,
  });

test('a return refunds its share of the line with tax and discount, and the shipping once when the policy says so', () => {
  const totals = taxed(1999, 3, 1000, 2000);
  const l = totals.lines[0];
  assert.ok(l);
  const lines = [{ lineId: 'l1', totals: l, refundedQuantity: 0 }];
  const one = returnRefund(
    [{ lineId: 'l1', quantity: 1 }],
    lines,
    { total: 600, refundShipping: false, alreadyRefunded: false },
    1e9,
  );
  // 3 × 19.99 = 59.97, −10 % = 53.97, +20 % = 64.76; a third of it rounded half up
  assert.equal(l.totalMinor, 6476);
  assert.deepEqual(one, {
    lines: [{ lineId: 'l1', quantity: 1, amount: 2159 }],
    shipping: 0,
    exchange: 0,
    total: 2159,
  });
  const withShipping = returnRefund(
    [{ lineId: 'l1', quantity: 1 }],
    lines,
    { total: 600, refundShipping: true, alreadyRefunded: false },
    1e9,
  );
  assert.equal(withShipping.total, 2759);
  const again = returnRefund(
    [{ lineId: 'l1', quantity: 1 }],
    lines,
    { total: 600, refundShipping: true, alreadyRefunded: true },
    1e9,
  );
  assert.equal(again.shipping, 0);
  const capped = returnRefund(
    [{ lineId: 'l1', quantity: 1 }],
    lines,
    { total: 600, refundShipping: false, alreadyRefunded: false },
    1000,
  );
  assert.equal(capped.total, 1000);
});

test('returning every unit of a line, in any number of returns, refunds exactly its total', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 100_000 }),
      fc.integer({ min: 1, max: 20 }),
      fc.integer({ min: 0, max: 5000 }),
      fc.integer({ min: 0, max: 3000 }),
      fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 20 }),
      (price, quantity, discountBp, rateBp, steps) => {
        const l = taxed(price, quantity, discountBp, rateBp).lines[0];
        assert.ok(l);
        let refunded = 0;
        let money = 0;
        for (const step of steps) {
          const q = Math.min(step, quantity - refunded);
          if (q === 0) break;
          const r = returnRefund(
            [{ lineId: 'l1', quantity: q }],
            [{ lineId: 'l1', totals: l, refundedQuantity: refunded }],
            { total: 0, refundShipping: false, alreadyRefunded: false },
            Number.MAX_SAFE_INTEGER,
          );
          assert.ok(r.total >= 0);
          money += r.total;
          refunded += q;
        }
        if (refunded < quantity) {
          money += returnRefund(
            [{ lineId: 'l1', quantity: quantity - refunded }],
            [{ lineId: 'l1', totals: l, refundedQuantity: refunded }],
            { total: 0, refundShipping: false, alreadyRefunded: false },
            Number.MAX_SAFE_INTEGER,
          ).total;
        }
        assert.equal(money, l.totalMinor);
      },
    ),
  );
});

const option = (variantId: string, unitPriceMinor: number): ExchangeOption => ({
  variantId,
  name: 'Shirt',
  title: variantId,
  sku: variantId,
  unitPriceMinor,
  available: 5,
});

test('an exchange is priced at the difference in unit price taxed like the line; the line’s discount stays with it', () => {
  // 2 × 20.00, −10 %, +20 % VAT on top
  const l = taxed(2000, 2, 1000, 2000).lines[0];
  assert.ok(l);
  const lines = new Map([
    ['l1', { totals: l, options: [option('L', 2000), option('XL', 2500), option('S', 1700)] }],
  ]);
  const price = (variantId: string, quantity = 1, inclusive = false) => {
    const priced = priceReplacements(
      [{ lineId: 'l1', quantity, replacementVariantId: variantId }],
      lines,
      inclusive,
    );
    assert.ok(priced.ok);
    return priced.lines[0]?.difference;
  };
  assert.equal(price('L'), 0, 'another size at one price is free, discount or not');
  assert.equal(price('XL'), 600, '5.00 more, +20 %');
  assert.equal(price('XL', 2), 1200);
  assert.equal(price('S'), -360, '3.00 less, +20 %: given back');
  assert.equal(price('XL', 1, true), 500, 'inclusive prices hold their tax');
  const refused = priceReplacements(
    [{ lineId: 'l1', quantity: 1, replacementVariantId: 'other' }],
    lines,
    false,
  );
  assert.deepEqual(refused, { ok: false, problem: { code: 'invalid_replacement', lineIds: ['l1'] } });
});

test('an exchange’s units are not refunded; a cheaper replacement gives back the balance, a dearer one nothing more', () => {
  const l = taxed(2000, 2, 0, 0).lines[0];
  assert.ok(l);
  const lines = [{ lineId: 'l1', totals: l, refundedQuantity: 0 }];
  const noShipping = { total: 0, refundShipping: false, alreadyRefunded: false };
  const refund = (difference: number | null) =>
    returnRefund([{ lineId: 'l1', quantity: 1, difference }], lines, noShipping, 1e9);
  assert.equal(refund(null).total, 2000);
  assert.deepEqual(refund(0), {
    lines: [{ lineId: 'l1', quantity: 1, amount: 0 }],
    shipping: 0,
    exchange: 0,
    total: 0,
  });
  assert.equal(refund(-300).total, 300);
  assert.equal(refund(500).total, 0);
});

test('property: swapping back and forth nets to zero, and the balance is the sum of the lines’ differences', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 100_000 }),
      fc.integer({ min: 0, max: 100_000 }),
      fc.integer({ min: 1, max: 10 }),
      fc.integer({ min: 0, max: 5000 }),
      fc.integer({ min: 0, max: 3000 }),
      fc.boolean(),
      (price, other, quantity, discountBp, rateBp, inclusive) => {
        const l = taxed(price, quantity, discountBp, rateBp).lines[0];
        assert.ok(l);
        const there = priceReplacements(
          [{ lineId: 'l1', quantity, replacementVariantId: 'o' }],
          new Map([['l1', { totals: l, options: [option('o', other)] }]]),
          inclusive,
        );
        const back = priceReplacements(
          [{ lineId: 'l1', quantity, replacementVariantId: 'p' }],
          new Map([['l1', { totals: { ...l, unitPriceMinor: other }, options: [option('p', price)] }]]),
          inclusive,
        );
        assert.ok(there.ok && back.ok);
        assert.equal(exchangeBalance(there.lines) + exchangeBalance(back.lines), 0);
        assert.equal(Math.sign(exchangeBalance(there.lines)), Math.sign(other - price));
      },
    ),
  );
});
