/**
 * The storefront asks for a state exactly where the server requires one: the web app keeps its
 * own short list (web/src/lib/address.ts) so the form needs no extra request, and this test holds
 * it to the server's rule (`addressProblems` in src/orders/model.ts) for every country it offers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressProblems } from '../src/orders/model.ts';
import { COUNTRIES, stateLabel } from '../web/src/lib/address.ts';

test('every country the storefront offers asks for a state exactly when the server requires one', () => {
  for (const { code } of COUNTRIES) {
    const required = addressProblems({ country: code, zip: '' }).some((p) => p.path === 'state');
    assert.equal(stateLabel(code) !== null, required, `${code}: state asked ${stateLabel(code) !== null}`);
  }
});
