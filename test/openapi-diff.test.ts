import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  compatibility,
  diffOpenApi,
  majorOf,
  type Change,
  type OpenApiDocument,
} from '../scripts/openapi-diff.ts';

/** Unit tests of the classifier on small synthetic documents, one rule each. */

type Schema = Record<string, unknown>;

const Order: Schema = {
  type: 'object',
  required: ['id', 'status', 'total'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    status: { type: 'string', enum: ['pending', 'confirmed'] },
    total: { type: 'number' },
    note: { type: 'string', nullable: true },
  },
};
const CreateOrder: Schema = {
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['productId', 'quantity'],
        properties: { productId: { type: 'string' }, quantity: { type: 'integer' } },
      },
    },
    coupon: { type: 'string' },
    channel: { type: 'string', enum: ['web', 'app'] },
  },
};

function doc(
  edit: (d: OpenApiDocument & { components: { schemas: Record<string, Schema> } }) => void = () => {},
) {
  const d = structuredClone({
    openapi: '3.0.3',
    info: { title: 'T', version: '1.0.0' },
    paths: {
      '/orders': {
        post: {
          operationId: 'createOrder',
          parameters: [
            { name: 'idempotency-key', in: 'header', required: false, schema: { type: 'string' } },
          ],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateOrder' } } },
          },
          responses: {
            '201': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } },
            '409': { content: { 'application/json': { schema: { type: 'object' } } } },
          },
        },
      },
      '/orders/{id}': {
        get: {
          operationId: 'getOrder',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } },
          },
        },
      },
    },
    components: { schemas: { Order, CreateOrder } },
  }) as unknown as OpenApiDocument & { components: { schemas: Record<string, Schema> } };
  edit(d);
  return d;
}

const schemas = (d: { components: { schemas: Record<string, Schema> } }) =>
  d.components.schemas as Record<string, { properties: Record<string, Schema>; required: string[] } & Schema>;
const post = (d: OpenApiDocument) =>
  d.paths['/orders']?.['post'] as unknown as Record<string, never> & {
    parameters: Array<Record<string, unknown>>;
    requestBody: { required: boolean };
    responses: Record<string, unknown>;
  };

function only(changes: Change[]): Change {
  assert.equal(changes.length, 1, `exactly one change: ${JSON.stringify(changes, null, 1)}`);
  return changes[0] as Change;
}

describe('openapi-diff: the versioning rules, one at a time', () => {
  test('identical documents: no change', () => {
    assert.deepEqual(diffOpenApi(doc(), doc()), []);
  });

  test('descriptions, examples and component names do not matter, only shapes', () => {
    const next = doc((d) => {
      schemas(d)['Purchase'] = { ...schemas(d)['Order'], description: 'renamed', example: { id: 'x' } };
      delete schemas(d)['Order'];
      (d.paths['/orders/{id}']!['get'] as { responses: Record<string, unknown> }).responses['200'] = {
        description: 'now described',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Purchase' } } },
      };
      post(d).responses['201'] = {
        content: { 'application/json': { schema: { allOf: [{ $ref: '#/components/schemas/Purchase' }] } } },
      };
    });
    assert.deepEqual(diffOpenApi(doc(), next), []);
  });

  test('new path: additive; removed path: breaking', () => {
    const added = doc((d) => {
      d.paths['/carts'] = { get: { operationId: 'getCart', responses: { '200': {} } } };
    });
    assert.deepEqual(only(diffOpenApi(doc(), added)), {
      kind: 'additive',
      at: '/carts',
      message: 'path added',
    });
    assert.deepEqual(only(diffOpenApi(added, doc())), {
      kind: 'breaking',
      at: '/carts',
      message: 'path removed',
    });
  });

  test('new operation on a path: additive; removed operation: breaking; renamed operationId: breaking', () => {
    const withDelete = doc((d) => {
      d.paths['/orders/{id}']!['delete'] = { operationId: 'deleteOrder', responses: { '204': {} } };
    });
    assert.equal(only(diffOpenApi(doc(), withDelete)).kind, 'additive');
    assert.equal(only(diffOpenApi(withDelete, doc())).kind, 'breaking');
    const renamed = doc((d) => {
      post(d)['operationId' as never] = 'placeOrder' as never;
    });
    assert.match(only(diffOpenApi(doc(), renamed)).message, /operationId changed/);
  });

  test('new optional request field: additive; new required request field: breaking', () => {
    const optional = doc((d) => {
      schemas(d)['CreateOrder']!.properties['giftNote'] = { type: 'string' };
    });
    assert.deepEqual(only(diffOpenApi(doc(), optional)), {
      kind: 'additive',
      at: 'POST /orders request body .giftNote',
      message: 'optional field added',
    });
    const required = doc((d) => {
      schemas(d)['CreateOrder']!.properties['giftNote'] = { type: 'string' };
      schemas(d)['CreateOrder']!.required.push('giftNote');
    });
    assert.equal(only(diffOpenApi(doc(), required)).kind, 'breaking');
  });

  test('optional request field made required: breaking; required made optional: additive', () => {
    const stricter = doc((d) => {
      schemas(d)['CreateOrder']!.required.push('coupon');
    });
    assert.deepEqual(only(diffOpenApi(doc(), stricter)), {
      kind: 'breaking',
      at: 'POST /orders request body .coupon',
      message: 'optional field made required',
    });
    assert.equal(only(diffOpenApi(stricter, doc())).kind, 'additive');
  });

  test('new response field: additive; removed response field: breaking', () => {
    const more = doc((d) => {
      schemas(d)['Order']!.properties['currency'] = { type: 'string' };
      schemas(d)['Order']!.required.push('currency');
    });
    const changes = diffOpenApi(doc(), more);
    assert.equal(changes.length, 2, 'reported for both operations that answer with an Order');
    assert.ok(changes.every((c) => c.kind === 'additive' && c.message === 'field added'));
    const fewer = diffOpenApi(more, doc());
    assert.ok(
      fewer.length === 2 && fewer.every((c) => c.kind === 'breaking' && c.message === 'field removed'),
    );
  });

  test('a renamed field is a removal plus an addition, so breaking (in a request and in a response)', () => {
    const renamed = doc((d) => {
      const props = schemas(d)['Order']!.properties;
      props['amount'] = props['total'] as Schema;
      delete props['total'];
      schemas(d)['Order']!.required = ['id', 'status', 'amount'];
    });
    const changes = diffOpenApi(doc(), renamed).filter((c) => c.at.startsWith('GET'));
    assert.deepEqual(changes.map((c) => [c.kind, c.at, c.message]).sort(), [
      ['additive', 'GET /orders/{id} response 200 .amount', 'field added'],
      ['breaking', 'GET /orders/{id} response 200 .total', 'field removed'],
    ]);
    const requestRename = doc((d) => {
      const props = schemas(d)['CreateOrder']!.properties;
      props['voucher'] = props['coupon'] as Schema;
      delete props['coupon'];
    });
    assert.ok(
      diffOpenApi(doc(), requestRename).some((c) => c.kind === 'breaking' && c.message === 'field removed'),
    );
  });

  test('changed type or format: breaking, in a request, a response, an array item or a parameter', () => {
    const cases: Array<(d: ReturnType<typeof doc>) => void> = [
      (d) => {
        schemas(d)['Order']!.properties['total'] = { type: 'string' };
      },
      (d) => {
        schemas(d)['Order']!.properties['id'] = { type: 'string', format: 'int64' };
      },
      (d) => {
        const items = schemas(d)['CreateOrder']!.properties['items'] as { items: { properties: Schema } };
        items.items.properties['quantity'] = { type: 'number' };
      },
      (d) => {
        post(d).parameters[0]!['schema'] = { type: 'integer' };
      },
    ];
    for (const edit of cases) {
      const changes = diffOpenApi(doc(), doc(edit));
      assert.ok(changes.length >= 1 && changes.every((c) => c.kind === 'breaking'), JSON.stringify(changes));
      assert.match(changes[0]?.message ?? '', /(type|format) changed/);
    }
    const item = diffOpenApi(doc(), doc(cases[2]));
    assert.equal(only(item).at, 'POST /orders request body .items[] .quantity');
  });

  test('enum in a request: a new value is additive, a removed one breaking', () => {
    const more = doc((d) => {
      (schemas(d)['CreateOrder']!.properties['channel'] as { enum: string[] }).enum.push('pos');
    });
    assert.deepEqual(only(diffOpenApi(doc(), more)), {
      kind: 'additive',
      at: 'POST /orders request body .channel',
      message: 'enum value "pos" added',
    });
    assert.equal(only(diffOpenApi(more, doc())).kind, 'breaking');
  });

  test('enum in a response: a new value is breaking (clients have closed unions), a removed one additive', () => {
    const more = doc((d) => {
      (schemas(d)['Order']!.properties['status'] as { enum: string[] }).enum.push('returned');
    });
    const changes = diffOpenApi(doc(), more);
    assert.ok(changes.length === 2 && changes.every((c) => c.kind === 'breaking'));
    assert.match(changes[0]?.message ?? '', /enum value "returned" added/);
    assert.ok(diffOpenApi(more, doc()).every((c) => c.kind === 'additive'));
  });

  test('nullable: a response field that may become null is breaking; a request field accepting null is additive', () => {
    const nullableTotal = doc((d) => {
      (schemas(d)['Order']!.properties['total'] as Schema)['nullable'] = true;
    });
    assert.ok(
      diffOpenApi(doc(), nullableTotal).every((c) => c.kind === 'breaking' && /null/.test(c.message)),
    );
    const nullableCoupon = doc((d) => {
      (schemas(d)['CreateOrder']!.properties['coupon'] as Schema)['nullable'] = true;
    });
    assert.equal(only(diffOpenApi(doc(), nullableCoupon)).kind, 'additive');
    assert.equal(only(diffOpenApi(nullableCoupon, doc())).kind, 'breaking');
  });

  test('a response field made optional is breaking; made always present, additive', () => {
    const optionalTotal = doc((d) => {
      schemas(d)['Order']!.required = ['id', 'status'];
    });
    const changes = diffOpenApi(doc(), optionalTotal);
    assert.ok(
      changes.length === 2 &&
        changes.every((c) => c.kind === 'breaking' && c.message === 'field may now be absent'),
    );
    assert.ok(diffOpenApi(optionalTotal, doc()).every((c) => c.kind === 'additive'));
  });

  test('parameters: new optional additive, new required breaking, removed breaking, made required breaking', () => {
    const optional = doc((d) => {
      post(d).parameters.push({ name: 'dryRun', in: 'query', required: false, schema: { type: 'boolean' } });
    });
    assert.equal(only(diffOpenApi(doc(), optional)).kind, 'additive');
    assert.equal(only(diffOpenApi(optional, doc())).message, 'parameter removed');
    const required = doc((d) => {
      post(d).parameters.push({ name: 'store', in: 'query', required: true, schema: { type: 'string' } });
    });
    assert.equal(only(diffOpenApi(doc(), required)).kind, 'breaking');
    const madeRequired = doc((d) => {
      post(d).parameters[0]!['required'] = true;
    });
    assert.deepEqual(only(diffOpenApi(doc(), madeRequired)), {
      kind: 'breaking',
      at: 'POST /orders header parameter idempotency-key',
      message: 'optional parameter made required',
    });
  });

  test('responses: a new status is additive, a removed success response breaking, a removed error one not', () => {
    const withStatus = doc((d) => {
      post(d).responses['422'] = { content: { 'application/json': { schema: { type: 'object' } } } };
    });
    assert.equal(only(diffOpenApi(doc(), withStatus)).kind, 'additive');
    const no201 = doc((d) => {
      delete post(d).responses['201'];
    });
    assert.deepEqual(only(diffOpenApi(doc(), no201)), {
      kind: 'breaking',
      at: 'POST /orders response 201',
      message: 'success response removed',
    });
    const no409 = doc((d) => {
      delete post(d).responses['409'];
    });
    assert.equal(only(diffOpenApi(doc(), no409)).kind, 'additive');
  });

  test('request body: made required or removed is breaking', () => {
    const optionalBody = doc((d) => {
      post(d).requestBody.required = false;
    });
    assert.equal(only(diffOpenApi(optionalBody, doc())).message, 'optional body made required');
    const noBody = doc((d) => {
      delete (post(d) as Record<string, unknown>)['requestBody'];
    });
    assert.equal(only(diffOpenApi(doc(), noBody)).message, 'body removed');
  });

  test('a recursive schema is compared without looping', () => {
    const tree = (extra: boolean) =>
      doc((d) => {
        schemas(d)['Node'] = {
          type: 'object',
          required: [],
          properties: {
            name: { type: 'string' },
            children: { type: 'array', items: { $ref: '#/components/schemas/Node' } },
            ...(extra && { size: { type: 'integer' } }),
          },
        };
        schemas(d)['Order']!.properties['category'] = { $ref: '#/components/schemas/Node' };
      });
    const changes = diffOpenApi(tree(false), tree(true));
    assert.ok(changes.length >= 2 && changes.every((c) => c.kind === 'additive' && c.at.endsWith('.size')));
  });

  test('breaking changes pass only with a new major version in info.version', () => {
    const breaking = doc((d) => {
      delete d.paths['/orders/{id}'];
    });
    assert.equal(compatibility(doc(), breaking).ok, false);
    assert.equal(compatibility(doc(), { ...breaking, info: { version: '1.9.0' } }).ok, false);
    const v2 = compatibility(doc(), { ...breaking, info: { version: '2.0.0' } });
    assert.equal(v2.ok, true);
    assert.equal(v2.majorBumped, true);
    assert.equal(v2.breaking.length, 1);
    assert.equal(
      compatibility(
        doc(),
        doc((d) => (d.paths['/x'] = {})),
      ).ok,
      true,
      'additive needs no new major',
    );
    assert.throws(() => majorOf('v-one'), /not a semantic version/);
  });
});
