import assert from 'node:assert/strict';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MatchersV3, PactV3 } from '@pact-foundation/pact';
import { createOrderlyClient } from '../../client/index.ts';
import { CONSUMER, EXAMPLE, PACT_DIR, PACT_FILE, PROVIDER, STATES } from './pact-states.ts';

const { eachLike, fromProviderState, integer, like, number, regex, uuid } = MatchersV3;

/**
 * The consumer side of the spec's contract tests: the web app's typed client (`web-frontend`)
 * against Pact's mock of `order-service`, in the four scenarios of the seed contract. The pact
 * is recorded into a scratch folder, then copied to pacts/web-frontend-order-service.json
 * (atomically: the provider test may be reading it). Locally a change is simply recorded; in CI
 * (`CI=true`) a recorded pact that differs from the committed one fails, so the provider is
 * never verified against a stale file.
 */
const ISO_DATETIME = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$';
// Money is a JSON number: 59.98, but also 30 or 0, so `number`, not Pact's `decimal`.
const JSON_TYPE = regex('^application/json(;.*)?$', 'application/json; charset=utf-8');
const ADDRESS = { street: '123 Main St', city: 'San Francisco', state: 'CA', zip: '94102' };

const bearer = (example = EXAMPLE.token) => fromProviderState('Bearer ${token}', `Bearer ${example}`);

function orderRequest(card: string) {
  return {
    customerId: fromProviderState('${customerId}', EXAMPLE.customerId),
    items: [{ productId: fromProviderState('${productId}', EXAMPLE.productId), quantity: 2, price: 29.99 }],
    shippingAddress: ADDRESS,
    paymentMethod: { type: 'card', token: card },
  };
}

/** What the web app reads of an order. */
function orderMatcher(status: string, id = EXAMPLE.orderId) {
  return {
    id: uuid(id),
    customerId: uuid(EXAMPLE.customerId),
    status,
    items: eachLike({
      productId: uuid(EXAMPLE.productId),
      name: like('Trail Running Shoes'),
      quantity: integer(2),
      price: number(29.99),
    }),
    total: number(59.98),
    currency: like('USD'),
    shippingAddress: like(ADDRESS),
    payment: { status: like('paid'), amountPaid: number(59.98), amountRefunded: number(0) },
    createdAt: regex(ISO_DATETIME, '2026-02-14T12:00:00.000Z'),
    updatedAt: regex(ISO_DATETIME, '2026-02-14T12:00:00.000Z'),
  };
}

const errorMatcher = (code: string, message: string, details: Record<string, unknown>) => ({
  code,
  message: like(message),
  details: like(details),
});

describe(`consumer ${CONSUMER}: the typed client against a Pact mock of ${PROVIDER}`, () => {
  let scratch: string;
  let pact: PactV3;

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'orderly-pact-'));
    pact = new PactV3({ consumer: CONSUMER, provider: PROVIDER, dir: scratch, logLevel: 'error' });
  });

  after(async () => {
    const recorded = await readFile(join(scratch, `${CONSUMER}-${PROVIDER}.json`), 'utf8').catch(() => null);
    await rm(scratch, { recursive: true, force: true });
    if (recorded === null) return; // a scenario failed: nothing to record
    const committed = await readFile(PACT_FILE, 'utf8').catch(() => null);
    const same =
      committed !== null && JSON.stringify(contract(committed)) === JSON.stringify(contract(recorded));
    if (same) return;
    if (process.env['CI']) {
      assert.fail(
        `${PACT_FILE} is not what the consumer tests record: run \`npm test\` locally and commit the pact`,
      );
    }
    mkdirSync(PACT_DIR, { recursive: true });
    const temporary = `${PACT_FILE}.${process.pid}.tmp`;
    await writeFile(temporary, recorded);
    await rename(temporary, PACT_FILE);
  });

  test('Create order - success: 201 with the confirmed order', async () => {
    pact
      .given(STATES.productInStock, { price: 29.99, stock: 10 })
      .uponReceiving('Create order - success')
      .withRequest({
        method: 'POST',
        path: '/api/v1/orders',
        headers: { Authorization: bearer(), 'Content-Type': 'application/json' },
        body: orderRequest('tok_visa'),
      })
      .willRespondWith({
        status: 201,
        headers: { 'Content-Type': JSON_TYPE },
        body: orderMatcher('confirmed'),
      });
    await pact.executeTest(async (server) => {
      const api = createOrderlyClient({ baseUrl: server.url, token: EXAMPLE.token });
      const { data, error, response } = await api.POST('/api/v1/orders', {
        body: {
          customerId: EXAMPLE.customerId,
          items: [{ productId: EXAMPLE.productId, quantity: 2, price: 29.99 }],
          shippingAddress: ADDRESS,
          paymentMethod: { type: 'card', token: 'tok_visa' },
        },
      });
      assert.equal(response.status, 201);
      assert.equal(error, undefined);
      assert.equal(data?.status, 'confirmed');
      assert.equal(data?.total, 59.98);
      assert.equal(data?.items[0]?.quantity, 2);
    });
  });

  test('Create order - payment failure: 402 payment_declined, with the order id', async () => {
    pact
      .given(STATES.declinedCard, { price: 29.99, stock: 10 })
      .uponReceiving('Create order - payment failure')
      .withRequest({
        method: 'POST',
        path: '/api/v1/orders',
        headers: { Authorization: bearer(), 'Content-Type': 'application/json' },
        body: orderRequest('tok_chargeDeclined'),
      })
      .willRespondWith({
        status: 402,
        headers: { 'Content-Type': JSON_TYPE },
        body: errorMatcher(
          'payment_declined',
          'Your card was declined. Try another card or contact your bank.',
          {
            orderId: uuid(EXAMPLE.orderId),
            code: like('card_declined'),
          },
        ),
      });
    await pact.executeTest(async (server) => {
      const api = createOrderlyClient({ baseUrl: server.url, token: EXAMPLE.token });
      const { data, error, response } = await api.POST('/api/v1/orders', {
        body: {
          customerId: EXAMPLE.customerId,
          items: [{ productId: EXAMPLE.productId, quantity: 2, price: 29.99 }],
          shippingAddress: ADDRESS,
          paymentMethod: { type: 'card', token: 'tok_chargeDeclined' },
        },
      });
      assert.equal(response.status, 402);
      assert.equal(data, undefined);
      assert.equal(error?.code, 'payment_declined');
      assert.match(error?.message ?? '', /declined/);
    });
  });

  test('Get order by ID - success: 200 with the order', async () => {
    pact
      .given(STATES.existingOrder)
      .uponReceiving('Get order by ID - success')
      .withRequest({
        method: 'GET',
        path: fromProviderState('/api/v1/orders/${orderId}', `/api/v1/orders/${EXAMPLE.orderId}`),
        headers: { Authorization: bearer() },
      })
      .willRespondWith({
        status: 200,
        headers: { 'Content-Type': JSON_TYPE },
        body: orderMatcher('confirmed'),
      });
    await pact.executeTest(async (server) => {
      const api = createOrderlyClient({ baseUrl: server.url, token: EXAMPLE.token });
      const { data, response } = await api.GET('/api/v1/orders/{id}', {
        params: { path: { id: EXAMPLE.orderId } },
      });
      assert.equal(response.status, 200);
      assert.equal(data?.id, EXAMPLE.orderId);
      assert.equal(data?.status, 'confirmed');
    });
  });

  test('Get order by ID - not found: 404 not_found', async () => {
    pact
      .given(STATES.noSuchOrder)
      .uponReceiving('Get order by ID - not found')
      .withRequest({
        method: 'GET',
        path: `/api/v1/orders/${EXAMPLE.missingOrderId}`,
        headers: { Authorization: bearer() },
      })
      .willRespondWith({
        status: 404,
        headers: { 'Content-Type': JSON_TYPE },
        body: errorMatcher('not_found', 'Order not found.', { id: EXAMPLE.missingOrderId }),
      });
    await pact.executeTest(async (server) => {
      const api = createOrderlyClient({ baseUrl: server.url, token: EXAMPLE.token });
      const { data, error, response } = await api.GET('/api/v1/orders/{id}', {
        params: { path: { id: EXAMPLE.missingOrderId } },
      });
      assert.equal(response.status, 404);
      assert.equal(data, undefined);
      assert.equal(error?.code, 'not_found');
    });
  });
});

/** A pact without the metadata that names library versions: what the parties agreed on. */
function contract(text: string): unknown {
  const { metadata: _metadata, ...rest } = JSON.parse(text) as Record<string, unknown>;
  return rest;
}
