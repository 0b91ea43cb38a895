import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { parse } from 'yaml';
import { openApiYaml } from '../scripts/openapi-document.ts';

interface Operation {
  operationId?: string;
  responses: Record<string, unknown>;
}

test('the committed OpenAPI document is the one the routes generate (run `npm run openapi` after a change)', async () => {
  const generated = await openApiYaml();
  const committed = await readFile(new URL('../docs/api/openapi.yaml', import.meta.url), 'utf8');
  assert.equal(committed, generated, 'docs/api/openapi.yaml is out of date: run `npm run openapi`');
});

test('every operation has a unique operationId, the seed contract keeps its names', async () => {
  const doc = parse(await openApiYaml()) as {
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, unknown> };
  };
  const ids: string[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      assert.ok(op.operationId, `${method.toUpperCase()} ${path} has no operationId`);
      ids.push(op.operationId);
    }
  }
  assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
  assert.equal(doc.paths['/api/v1/orders']?.['post']?.operationId, 'createOrder');
  assert.equal(doc.paths['/api/v1/orders/{id}']?.['get']?.operationId, 'getOrder');
  for (const name of ['CreateOrderRequest', 'Order', 'LineItem', 'Address', 'PaymentMethod', 'Error']) {
    assert.ok(doc.components.schemas[name], `component ${name}`);
  }
  assert.deepEqual(Object.keys(doc.paths['/api/v1/orders']?.['post']?.responses ?? {}).sort(), [
    '201',
    '400',
    '401',
    '402',
    '403',
    '404',
    '409',
    '422',
    '502',
  ]);
});
