import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Verifier } from '@pact-foundation/pact';
import { createTestApp, orderBody, type TestApp } from '../helpers.ts';
import { CONSUMER, PACT_FILE, PROVIDER, STATES } from './pact-states.ts';

/**
 * The provider side: Orderly (`order-service`) on a real port and a fresh database, verified
 * against the consumer's committed pact (pacts/web-frontend-order-service.json). Each provider
 * state makes what it names and hands the request its token and ids (`fromProviderState`).
 */
describe(`provider ${PROVIDER}: verifies the ${CONSUMER} pact against a running Orderly`, () => {
  let t: TestApp;
  let baseUrl: string;

  before(async () => {
    t = await createTestApp();
    baseUrl = await t.app.server.listen({ port: 0, host: '127.0.0.1' });
  });
  after(() => t?.close());

  const params = (p: unknown) => (p ?? {}) as { price?: number; stock?: number };

  async function customerAndProduct(p: unknown) {
    const customer = await t.customer('Pact Customer');
    const product = await t.product({ price: params(p).price ?? 29.99, stock: params(p).stock ?? 10 });
    return { token: customer.token, customerId: customer.id, productId: product.id };
  }

  test('every interaction in the pact holds', async () => {
    assert.ok(existsSync(PACT_FILE), `${PACT_FILE} exists (the consumer test records it)`);
    const states: string[] = [];
    const output = await new Verifier({
      provider: PROVIDER,
      providerBaseUrl: baseUrl,
      pactUrls: [PACT_FILE],
      logLevel: 'error',
      stateHandlers: {
        [STATES.productInStock]: async (p: unknown) => {
          states.push(STATES.productInStock);
          return customerAndProduct(p);
        },
        [STATES.declinedCard]: async (p: unknown) => {
          states.push(STATES.declinedCard);
          return customerAndProduct(p);
        },
        [STATES.existingOrder]: async () => {
          states.push(STATES.existingOrder);
          const { token, customerId, productId } = await customerAndProduct({ price: 29.99, stock: 10 });
          const placed = await t.request<{ id: string; status: string }>('POST', '/api/v1/orders', {
            token,
            body: orderBody(customerId, [{ productId, quantity: 2, price: 29.99 }]),
          });
          assert.equal(placed.status, 201);
          assert.equal(placed.body.status, 'confirmed');
          return { token, customerId, orderId: placed.body.id };
        },
        [STATES.noSuchOrder]: async () => {
          states.push(STATES.noSuchOrder);
          const customer = await t.customer('Pact Customer');
          return { token: customer.token, customerId: customer.id };
        },
      },
    }).verifyProvider();
    assert.equal(typeof output, 'string');
    assert.deepEqual(
      [...states].sort(),
      Object.values(STATES).sort(),
      'each of the four scenarios ran in its provider state',
    );
  });
});
