import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CANCELLATION_REASONS,
  ORDER_ACTIONS,
  ORDER_STATUSES,
  actionsFor,
  cancellationSummary,
  cartLineWarning,
  decide,
  isCancellationCode,
  priceLines,
  type Actor,
  type CatalogEntry,
} from './model.ts';

const ACTORS: Actor[] = ['customer', 'admin', 'system'];

test('every pair of statuses: only the lifecycle steps are reachable', () => {
  const reachable = new Set<string>();
  for (const from of ORDER_STATUSES) {
    for (const action of ORDER_ACTIONS) {
      for (const actor of ACTORS) {
        const d = decide(from, action, actor);
        if (d.allowed && d.to !== from) reachable.add(`${from}->${d.to}`);
      }
    }
  }
  const expected = [
    'draft->confirmed',
    'draft->pending',
    'pending->confirmed',
    'pending->cancelled',
    'confirmed->cancelled',
    'confirmed->shipped',
    'shipped->delivered',
  ];
  for (const from of ORDER_STATUSES) {
    for (const to of ORDER_STATUSES) {
      if (from === to) continue;
      assert.equal(reachable.has(`${from}->${to}`), expected.includes(`${from}->${to}`), `${from} -> ${to}`);
    }
  }
});

test('delivered and cancelled are final: nothing moves them to another status', () => {
  for (const from of ['delivered', 'cancelled'] as const) {
    for (const action of ORDER_ACTIONS) {
      const d = decide(from, action, 'admin');
      assert.ok(!d.allowed || d.to === from, `${action} from ${from}`);
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
