import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { CLIENT_SCHEMA_URL, clientSchema } from '../scripts/client-schema.ts';
import { createOrderlyClient } from '../client/index.ts';

test('the committed client types are the ones docs/api/openapi.yaml generates (run `npm run openapi`)', async () => {
  const committed = await readFile(CLIENT_SCHEMA_URL, 'utf8');
  assert.equal(
    committed,
    await clientSchema(),
    'client/schema.d.ts is out of date: run `npm run openapi` (or `npm run client:generate`)',
  );
});

test('the client sends the bearer token, asked for on every request, and the JSON body', async () => {
  const seen: Request[] = [];
  let token: string | null = 'first-token';
  const api = createOrderlyClient({
    baseUrl: 'http://orderly.test/',
    token: () => token,
    fetch: async (request) => {
      seen.push(request);
      return Response.json({ code: 'not_found', message: 'Order not found.', details: {} }, { status: 404 });
    },
  });
  const { data, error, response } = await api.GET('/api/v1/orders/{id}', { params: { path: { id: 'abc' } } });
  assert.equal(response.status, 404);
  assert.equal(data, undefined);
  assert.equal(error?.code, 'not_found');
  token = null;
  await api.POST('/api/v1/auth/login', { body: { email: 'a@example.com', password: 'secret-password' } });
  assert.equal(seen[0]?.url, 'http://orderly.test/api/v1/orders/abc');
  assert.equal(seen[0]?.headers.get('authorization'), 'Bearer first-token');
  assert.equal(seen[1]?.headers.get('authorization'), null, 'no token, no header');
  assert.deepEqual(await seen[1]?.json(), { email: 'a@example.com', password: 'secret-password' });
});
