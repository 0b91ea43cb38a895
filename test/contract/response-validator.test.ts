import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ORDER_EXAMPLE } from '../../src/orders/examples.ts';
import { assertDocumentedResponse, ContractViolation, responseValidator } from './response-validator.ts';

const JSON_TYPE = 'application/json; charset=utf-8';
const ORDER_ID = ORDER_EXAMPLE.id;
const error = { code: 'not_found', message: 'Order not found.', details: {} };

describe('the response validator every integration test goes through', () => {
  const v = responseValidator();

  test('a documented status with a body that matches its schema passes', () => {
    assert.deepEqual(v.check('GET', `/api/v1/orders/${ORDER_ID}`, 200, JSON_TYPE, ORDER_EXAMPLE), []);
    assert.deepEqual(v.check('GET', `/api/v1/orders/${ORDER_ID}?x=1`, 404, JSON_TYPE, error), []);
  });

  test('a status the operation does not document fails, naming the operation and what it has', () => {
    const problems = v.check('GET', `/api/v1/orders/${ORDER_ID}`, 409, JSON_TYPE, error);
    assert.equal(problems.length, 1);
    assert.match(
      problems[0] ?? '',
      /getOrder\) answered 409, which .* does not document \(it has 200, 400, 401, 404\)/,
    );
  });

  test('a body that does not match: a missing field, a wrong type, an unknown enum value, an extra field', () => {
    const { total: _total, ...withoutTotal } = ORDER_EXAMPLE;
    assert.match(
      v.check('GET', `/api/v1/orders/${ORDER_ID}`, 200, JSON_TYPE, withoutTotal).join(),
      /required.*total/,
    );
    assert.match(
      v
        .check('GET', `/api/v1/orders/${ORDER_ID}`, 200, JSON_TYPE, { ...ORDER_EXAMPLE, total: '59.98' })
        .join(),
      /\/total must be number/,
    );
    assert.match(
      v
        .check('GET', `/api/v1/orders/${ORDER_ID}`, 200, JSON_TYPE, { ...ORDER_EXAMPLE, status: 'lost' })
        .join(),
      /\/status must be equal to one of the allowed values/,
    );
    assert.match(
      v.check('GET', `/api/v1/orders/${ORDER_ID}`, 404, JSON_TYPE, { ...error, extra: 1 }).join(),
      /must NOT have additional properties/,
    );
    assert.match(
      v
        .check('GET', `/api/v1/orders/${ORDER_ID}`, 200, JSON_TYPE, { ...ORDER_EXAMPLE, id: 'ord_789' })
        .join(),
      /\/id must match format "uuid"/,
    );
  });

  test('an operation the document does not have fails unless the server said "no such route" (404)', () => {
    assert.match(v.check('GET', '/api/v1/nowhere', 200, JSON_TYPE, {}).join(), /no operation/);
    assert.match(v.check('PUT', `/api/v1/orders/${ORDER_ID}`, 200, JSON_TYPE, {}).join(), /no operation/);
    assert.deepEqual(v.check('GET', '/api/v1/nowhere', 404, JSON_TYPE, error), []);
    assert.notDeepEqual(v.check('GET', '/api/v1/nowhere', 404, JSON_TYPE, { error: 'x' }), []);
  });

  test('platform statuses (413, 415, 429, 503) are accepted anywhere, in the Error shape only', () => {
    const busy = { code: 'service_unavailable', message: 'Try again.', details: {} };
    assert.deepEqual(v.check('POST', '/api/v1/orders', 503, JSON_TYPE, busy), []);
    assert.notDeepEqual(v.check('POST', '/api/v1/orders', 503, JSON_TYPE, { status: 'down' }), []);
    assert.notDeepEqual(v.check('POST', '/api/v1/orders', 500, JSON_TYPE, busy), []);
  });

  test('literal paths win over templates: /orders/{id} is not taken for another literal path', () => {
    assert.equal(v.route('/api/v1/orders')?.template, '/api/v1/orders');
    assert.equal(v.route(`/api/v1/orders/${ORDER_ID}`)?.template, '/api/v1/orders/{id}');
    assert.equal(v.route(`/api/v1/orders/${ORDER_ID}/cancel`)?.template, '/api/v1/orders/{id}/cancel');
  });

  test('assertDocumentedResponse throws a ContractViolation with the problems and the body', () => {
    assert.throws(
      () => assertDocumentedResponse('GET', `/api/v1/orders/${ORDER_ID}`, 418, JSON_TYPE, error),
      (e: unknown) =>
        e instanceof ContractViolation && /answered 418/.test(e.message) && /not_found/.test(e.message),
    );
  });

  test("every example in the document validates against its own operation's schema", () => {
    let examples = 0;
    for (const [path, operations] of Object.entries(v.document.paths)) {
      for (const [method, operation] of Object.entries(operations ?? {})) {
        for (const [status, response] of Object.entries(operation?.responses ?? {})) {
          const media = response.content?.['application/json'] as { example?: unknown } | undefined;
          if (media?.example === undefined) continue;
          examples++;
          const url = path.replace(/\{[^}]+\}/g, ORDER_ID);
          assert.deepEqual(
            v.check(method, url, Number(status), JSON_TYPE, media.example),
            [],
            `${method} ${path} ${status}`,
          );
        }
      }
    }
    assert.ok(examples >= 1, 'the createOrder 201 example at least');
  });
});
