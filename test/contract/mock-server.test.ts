import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { createOrderlyClient } from '../../client/index.ts';
import { CREATE_ORDER_REQUEST_EXAMPLE, ORDER_EXAMPLE } from '../../src/orders/examples.ts';
import { startPrism, type PrismMock } from './prism.ts';

interface Media {
  example?: unknown;
}
interface Doc {
  paths: Record<
    string,
    Record<
      string,
      {
        requestBody: { content: Record<string, Media> };
        responses: Record<string, { content: Record<string, Media> }>;
      }
    >
  >;
}

describe('the mock server (Prism on the committed contract, as `npm run api:mock` starts it)', () => {
  let prism: PrismMock;
  let createOrder: Doc['paths'][string][string];

  before(async () => {
    prism = await startPrism();
    const doc = parse(await readFile(new URL('../../docs/api/openapi.yaml', import.meta.url), 'utf8')) as Doc;
    createOrder = doc.paths['/api/v1/orders']?.['post'] as Doc['paths'][string][string];
  });
  after(() => prism?.stop());

  test('the contract documents the seed example for createOrder, request and 201 response', () => {
    assert.deepEqual(
      createOrder.requestBody.content['application/json']?.example,
      CREATE_ORDER_REQUEST_EXAMPLE,
    );
    assert.deepEqual(createOrder.responses['201']?.content['application/json']?.example, ORDER_EXAMPLE);
  });

  test('createOrder answers 201 with the documented example, through the typed client', async () => {
    const api = createOrderlyClient({ baseUrl: prism.url, token: 'any-token-the-mock-does-not-check' });
    const { data, error, response } = await api.POST('/api/v1/orders', {
      body: {
        ...CREATE_ORDER_REQUEST_EXAMPLE,
        items: [...CREATE_ORDER_REQUEST_EXAMPLE.items],
      },
    });
    assert.equal(response.status, 201);
    assert.equal(error, undefined);
    assert.deepEqual(data, createOrder.responses['201']?.content['application/json']?.example);
    assert.equal(data?.total, 59.98);
    assert.equal(data?.items[0]?.quantity, 2);
  });

  test('a request that breaks the contract gets 422 and the violations, not the example', async () => {
    const response = await fetch(`${prism.url}/api/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer any' },
      body: JSON.stringify({ customerId: CREATE_ORDER_REQUEST_EXAMPLE.customerId, items: [] }),
    });
    assert.equal(response.status, 422);
    const violations = JSON.parse(response.headers.get('sl-violations') ?? '[]') as Array<{
      message: string;
    }>;
    const messages = violations.map((v) => v.message).join('\n');
    assert.match(messages, /shippingAddress/);
    assert.match(messages, /paymentMethod/);
    assert.match(messages, /fewer than 1 items/);
    const body = (await response.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['code', 'details', 'message'], 'the documented Error shape');
  });

  test('the bearer token the contract requires is enforced by the mock too (401 without one)', async () => {
    const api = createOrderlyClient({ baseUrl: prism.url });
    const { response } = await api.POST('/api/v1/orders', {
      body: { ...CREATE_ORDER_REQUEST_EXAMPLE, items: [...CREATE_ORDER_REQUEST_EXAMPLE.items] },
    });
    assert.equal(response.status, 401);
  });
});
