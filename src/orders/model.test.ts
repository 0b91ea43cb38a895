import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  CANCELLATION_REASONS,
  ORDER_ACTIONS,
  ORDER_STATUSES,
  TRANSITIONS,
  actionsFor,
  cancellationSummary,
  cartLineWarning,
  decide,
  isCancellationCode,
  priceDraftLines,
  priceLines,
  refundLimitBreach,
  type Actor,
  type CatalogEntry,
  type OrderAction,
} from './model.ts';

const ACTORS: Actor[] = ['customer', 'admin', 'system'];

const ALL_ACTIONS = Object.keys(TRANSITIONS) as OrderAction[];

test('every pair of statuses: only the lifecycle steps are reachable', () => {
  const reachable = new Set<string>();
  for (const from of ORDER_STATUSES) {
    for (const action of ALL_ACTIONS) {
      for (const actor of ACTORS) {
        // a shipment's target follows from quantities: try each status they could give
        for (const statusByQuantities of [undefined, ...ORDER_STATUSES]) {
          const d = decide(from, action, actor, { statusByQuantities });
          if (d.allowed && d.to !== from) reachable.add(`${from}->${d.to}`);
        }
      }
    }
  }
  const expected = [
    'draft->confirmed',
    'draft->pending',
    'pending->confirmed',
    'pending->cancelled',
    'confirmed->cancelled',
    'confirmed->partially_shipped',
    'confirmed->shipped',
    'partially_shipped->shipped',
    'partially_shipped->partially_delivered',
    'shipped->partially_delivered',
    'shipped->delivered',
    'partially_delivered->delivered',
    // the back-edges: lines added to an order that shipped (an exchange's replacement)
    'shipped->partially_shipped',
    'partially_delivered->partially_shipped',
    'delivered->partially_shipped',
  ];
  for (const from of ORDER_STATUSES) {
    for (const to of ORDER_STATUSES) {
      if (from === to) continue;
      assert.equal(reachable.has(`${from}->${to}`), expected.includes(`${from}->${to}`), `${from} -> ${to}`);
    }
  }
});

test('a shipment leads only where quantities can take it, and says why not', () => {
  assert.deepEqual(decide('confirmed', 'ship', 'admin', { statusByQuantities: 'partially_shipped' }), {
    allowed: true,
    to: 'partially_shipped',
  });
  const nowhere = decide('confirmed', 'ship', 'admin', { statusByQuantities: 'delivered' });
  assert.equal(nowhere.allowed, false);
  assert.equal(!nowhere.allowed && nowhere.kind === 'guard' && nowhere.code, 'status_not_reachable');
  assert.equal(decide('partially_shipped', 'cancel', 'admin').allowed, false);
  assert.equal(decide('partially_delivered', 'cancel', 'customer').allowed, false);
  assert.equal(decide('partially_shipped', 'modify', 'customer').allowed, false);
  assert.equal(decide('partially_shipped', 'refund', 'admin').allowed, true);
  assert.equal(
    decide('confirmed', 'resettle', 'system').allowed,
    false,
    'nothing shipped, nothing to settle',
  );
});

test('delivered and cancelled are final for a person: no person action moves them', () => {
  for (const from of ['delivered', 'cancelled'] as const) {
    for (const action of ORDER_ACTIONS) {
      const d = decide(from, action, 'admin');
      assert.ok(!d.allowed || d.to === from, `${action} from ${from}`);
    }
  }
});

test('a cancelled order stays cancelled whatever the quantities say', () => {
  for (const action of ALL_ACTIONS) {
    for (const statusByQuantities of ORDER_STATUSES) {
      const d = decide('cancelled', action, 'admin', { statusByQuantities });
      assert.ok(!d.allowed || d.to === 'cancelled', `${action} from cancelled`);
    }
  }
});

test('refusals named in the issue come with a reason', () => {
  const shipCancelled = decide('cancelled', 'ship', 'admin');
  assert.equal(shipCancelled.allowed, false);
  assert.match(!shipCancelled.allowed ? shipCancelled.reason : '', /cancelled/i);
  const modifyShipped = decide('shipped', 'modify', 'customer');
  assert.equal(modifyShipped.allowed, false);
  assert.match(!modifyShipped.allowed ? modifyShipped.reason : '', /shipped/);
  const deliverEarly = decide('confirmed', 'deliver', 'admin');
  assert.equal(deliverEarly.allowed, false);
  assert.match(!deliverEarly.allowed ? deliverEarly.reason : '', /not shipped/);
});

test('who may act: customers cancel and modify, only admins ship, deliver and refund', () => {
  assert.equal(decide('confirmed', 'cancel', 'customer').allowed, true);
  assert.equal(decide('confirmed', 'modify', 'customer').allowed, true);
  assert.equal(decide('confirmed', 'ship', 'customer').allowed, false);
  assert.equal(decide('shipped', 'deliver', 'customer').allowed, false);
  assert.equal(decide('confirmed', 'refund', 'customer').allowed, false);
  assert.equal(decide('confirmed', 'refund', 'admin').allowed, true);
  assert.equal(decide('pending', 'confirm', 'customer').allowed, false);
  const actions = actionsFor('confirmed', 'customer');
  assert.equal(actions.cancel.allowed, true);
  assert.equal(actions.ship.allowed, false);
  assert.ok(actions.ship.reason);
});

test('the system confirms a paid pending order and cancels a pending one, never a confirmed one', () => {
  assert.deepEqual(decide('pending', 'confirm', 'system', { paymentCaptured: true }), {
    allowed: true,
    to: 'confirmed',
  });
  assert.deepEqual(decide('pending', 'cancel', 'system'), { allowed: true, to: 'cancelled' });
  assert.equal(decide('confirmed', 'cancel', 'system').allowed, false);
  assert.equal(decide('confirmed', 'cancel', 'admin').allowed, true);
  assert.equal(decide('cancelled', 'confirm', 'system').allowed, false);
  for (const action of ['ship', 'deliver', 'modify', 'refund'] as const) {
    assert.equal(decide('confirmed', action, 'system').allowed, false, action);
  }
});

test('guards: a payment not captured cannot confirm, a change in flight blocks another', () => {
  const notCaptured = decide('pending', 'confirm', 'admin', { paymentCaptured: false });
  assert.equal(notCaptured.allowed, false);
  assert.equal(
    !notCaptured.allowed && notCaptured.kind === 'guard' && notCaptured.code,
    'payment_not_captured',
  );
  assert.equal(decide('pending', 'confirm', 'admin', { paymentCaptured: true }).allowed, true);
  const busy = decide('confirmed', 'modify', 'customer', { changeInFlight: true });
  assert.equal(!busy.allowed && busy.kind === 'guard' && busy.code, 'modification_in_progress');
  assert.equal(decide('confirmed', 'modify', 'customer', { changeInFlight: false }).allowed, true);
  // the state comes before the guard: a shipped order is refused for being shipped
  const shipped = decide('shipped', 'modify', 'customer', { changeInFlight: true });
  assert.equal(!shipped.allowed && shipped.kind, 'state');
  // without the fact, a guard is not asked: the actions a page lists do not call the gateway
  assert.equal(actionsFor('pending', 'admin').confirm.allowed, true);
});

test('cancellation reasons: a code has its words, a person’s own reason is kept as written', () => {
  for (const code of Object.keys(CANCELLATION_REASONS)) {
    assert.ok(isCancellationCode(code));
    assert.notEqual(cancellationSummary(code), code);
  }
  assert.equal(cancellationSummary('payment_unavailable'), 'the payment provider could not be reached');
  assert.equal(cancellationSummary('Changed my mind'), 'Changed my mind');
  assert.equal(isCancellationCode('constructor'), false);
});

const catalog = new Map<string, CatalogEntry>([
  [
    'a',
    {
      id: 'a',
      productId: 'a',
      name: 'Mug',
      title: '',
      sku: 'MUG',
      priceMinor: 1250,
      currency: 'USD',
      active: true,
      taxCategory: null,
    },
  ],
  [
    'b',
    {
      id: 'b',
      productId: 'b',
      name: 'Tee',
      title: '',
      sku: 'TEE',
      priceMinor: 2000,
      currency: 'USD',
      active: true,
      taxCategory: null,
    },
  ],
  [
    'c',
    {
      id: 'c',
      productId: 'c',
      name: 'Old',
      title: '',
      sku: 'OLD',
      priceMinor: 100,
      currency: 'USD',
      active: false,
      taxCategory: null,
    },
  ],
]);

test('lines are priced by the server and the same product is added together', () => {
  const priced = priceLines(
    [
      { variantId: 'a', quantity: 1 },
      { variantId: 'b', quantity: 2, expectedUnitPrice: 2000 },
      { variantId: 'a', quantity: 2, expectedUnitPrice: 1250 },
    ],
    catalog,
    'USD',
  );
  assert.ok(priced.ok);
  assert.equal(priced.total, 3 * 1250 + 2 * 2000);
  assert.deepEqual(
    priced.lines.map((l) => [l.productId, l.quantity]),
    [
      ['a', 3],
      ['b', 2],
    ],
  );
});

test('a stale client price, an unknown or withdrawn product is refused', () => {
  const stale = priceLines([{ variantId: 'a', quantity: 1, expectedUnitPrice: 999 }], catalog, 'USD');
  assert.deepEqual(stale, {
    ok: false,
    problem: {
      kind: 'price_changed',
      items: [{ productId: 'a', variantId: 'a', expected: 999, current: 1250 }],
    },
  });
  const unknown = priceLines([{ variantId: 'z', quantity: 1 }], catalog, 'USD');
  assert.equal(!unknown.ok && unknown.problem.kind, 'unknown_variants');
  const withdrawn = priceLines([{ variantId: 'c', quantity: 1 }], catalog, 'USD');
  assert.equal(!withdrawn.ok && withdrawn.problem.kind, 'unavailable_variants');
});

test('cart warnings say how many are left', () => {
  assert.equal(cartLineWarning(2, 5, true, 'Mug'), null);
  assert.deepEqual(cartLineWarning(3, 2, true, 'Mug'), {
    code: 'insufficient_stock',
    message: 'Only 2 of Mug left.',
    available: 2,
  });
  assert.equal(cartLineWarning(1, 0, true, 'Mug')?.code, 'out_of_stock');
  assert.equal(cartLineWarning(1, 10, false, 'Mug')?.code, 'unavailable');
});

test("draft actions are the admin's, from draft only, and a draft is nobody's to ship, cancel or refund", () => {
  for (const action of ['editDraft', 'deleteDraft', 'recordOfflinePayment', 'sendPaymentLink'] as const) {
    assert.equal(decide('draft', action, 'admin').allowed, true, action);
    assert.equal(decide('draft', action, 'customer').allowed, false, `${action} by a customer`);
    assert.equal(decide('draft', action, 'system').allowed, false, `${action} by the system`);
    for (const status of ORDER_STATUSES.filter((s) => s !== 'draft')) {
      assert.equal(decide(status, action, 'admin').allowed, false, `${action} from ${status}`);
    }
  }
  for (const action of ['confirm', 'modify', 'cancel', 'ship', 'deliver', 'refund'] as const) {
    for (const actor of ACTORS)
      assert.equal(decide('draft', action, actor).allowed, false, `${action} by ${actor}`);
  }
});

test("the draft guards: the offline amount is the total, a price of the admin's has a reason", () => {
  const short = decide('draft', 'recordOfflinePayment', 'admin', { amountIsTotal: false });
  assert.equal(!short.allowed && short.kind === 'guard' && short.code, 'amount_mismatch');
  const unexplained = decide('draft', 'editDraft', 'admin', { overridesExplained: false });
  assert.equal(
    !unexplained.allowed && unexplained.kind === 'guard' && unexplained.code,
    'price_override_reason_required',
  );
  assert.deepEqual(decide('draft', 'recordOfflinePayment', 'admin', { amountIsTotal: true }), {
    allowed: true,
    to: 'confirmed',
  });
});

test('draft pricing: catalog prices by default; a new price needs a reason, a kept one does not', () => {
  const fresh = priceDraftLines([{ variantId: 'a', quantity: 2 }], catalog, 'USD');
  assert.ok(fresh.ok);
  assert.equal(fresh.total, 2500);
  assert.deepEqual(fresh.overrides, []);

  const cheaper = priceDraftLines([{ variantId: 'a', quantity: 2, unitPrice: 1000 }], catalog, 'USD');
  assert.ok(cheaper.ok);
  assert.deepEqual(cheaper.unexplained, ['a'], 'no reason given');
  assert.equal(cheaper.total, 2000);

  const explained = priceDraftLines(
    [{ variantId: 'a', quantity: 1, unitPrice: 1000, reason: ' regular ' }],
    catalog,
    'USD',
  );
  assert.ok(explained.ok);
  assert.deepEqual(explained.unexplained, []);
  assert.deepEqual(
    explained.overrides.map(({ from, to, reason }) => ({ from, to, reason })),
    [{ from: 1250, to: 1000, reason: 'regular' }],
  );

  // the draft already carries 1000: restating it needs no reason and is no change
  const current = explained.lines;
  const kept = priceDraftLines([{ variantId: 'a', quantity: 3, unitPrice: 1000 }], catalog, 'USD', current);
  assert.ok(kept.ok);
  assert.deepEqual([kept.unexplained, kept.overrides], [[], []]);
  // back to the catalog price: a change in the history, no reason needed
  const back = priceDraftLines([{ variantId: 'a', quantity: 3 }], catalog, 'USD', current);
  assert.ok(back.ok);
  assert.deepEqual(back.unexplained, []);
  assert.deepEqual(
    back.overrides.map(({ from, to }) => [from, to]),
    [[1000, 1250]],
  );

  const duplicate = priceDraftLines(
    [
      { variantId: 'a', quantity: 1 },
      { variantId: 'a', quantity: 1 },
    ],
    catalog,
    'USD',
  );
  assert.ok(!duplicate.ok && duplicate.problem.kind === 'duplicate_variants');
  const unknown = priceDraftLines([{ variantId: 'zz', quantity: 1 }], catalog, 'USD');
  assert.ok(!unknown.ok && unknown.problem.kind === 'unknown_variants');
});

test('support refunds up to the limit; owners and staff are not limited', () => {
  assert.equal(refundLimitBreach('support', 5000, 5000), null, 'the limit itself is allowed');
  assert.deepEqual(refundLimitBreach('support', 5001, 5000), { limit: 5000, amount: 5001 });
  fc.assert(
    fc.property(
      fc.constantFrom('owner', 'staff', 'support', null),
      fc.integer({ min: 1, max: 10_000_000 }),
      fc.integer({ min: 0, max: 10_000_000 }),
      (role, amount, limit) => {
        const breach = refundLimitBreach(role, amount, limit);
        assert.equal(breach !== null, role === 'support' && amount > limit);
        if (breach) assert.deepEqual(breach, { limit, amount });
      },
    ),
  );
});
