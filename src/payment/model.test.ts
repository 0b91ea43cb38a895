import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allocateRefund, summarize } from './model.ts';

test('an order is paid, partly refunded or refunded by what its charges and refunds add up to', () => {
  const paid = [{ status: 'succeeded' as const, amount: 1000, refunded: 0 }];
  assert.deepEqual(summarize(paid, 0), { state: 'paid', paid: 1000, refunded: 0 });
  assert.equal(summarize(paid, 400).state, 'partially_refunded');
  assert.equal(summarize(paid, 1000).state, 'refunded');
  assert.equal(summarize([{ status: 'failed', amount: 1000, refunded: 0 }], 0).state, 'failed');
  assert.equal(
    summarize([{ status: 'requires_action', amount: 1000, refunded: 0 }], 0).state,
    'requires_action',
  );
  assert.equal(summarize([], 0).state, 'pending');
});

test('a refund is split over charges newest first and never exceeds what is left', () => {
  const charges = [
    { id: 'p1', providerPaymentId: 'pi_1', amount: 1000, refunded: 200, status: 'succeeded' },
    { id: 'p2', providerPaymentId: 'pi_2', amount: 300, refunded: 0, status: 'succeeded' },
    { id: 'p3', providerPaymentId: 'pi_3', amount: 500, refunded: 0, status: 'failed' },
  ];
  assert.deepEqual(allocateRefund(charges, 500), [
    { paymentId: 'p2', providerPaymentId: 'pi_2', amount: 300 },
    { paymentId: 'p1', providerPaymentId: 'pi_1', amount: 200 },
  ]);
  assert.deepEqual(allocateRefund(charges, 1100)?.length, 2);
  assert.equal(allocateRefund(charges, 1101), null);
});
