/**
 * Property-based attack on every operation of the OpenAPI document: generated bodies, query
 * strings, path parameters and headers, mostly broken on purpose (wrong types, missing and extra
 * fields, huge and negative numbers, huge strings, deep nesting, invalid UTF-8, NUL characters,
 * SQL and HTML injection). The properties:
 *   - no answer is a 5xx;
 *   - every 4xx carries `{code, message, details}` as JSON;
 *   - a refused request (4xx) leaves the database exactly as it was: a trigger on every table
 *     logs each row inserted, deleted or changed, and a refusal must leave no entry.
 * A declined payment (402) is the one refusal that writes by design (the cancelled order and the
 * failed payment are kept); an accepted request (2xx) may write anything.
 *
 * Runs per operation: `FUZZ_RUNS` (default 100: some 12,700 requests over the API's 127
 * operations, each followed by a read of the write log; CI runs the default on PGlite and on
 * PostgreSQL, set `FUZZ_RUNS=2000` for a long soak).
 * A failure prints the fast-check seed and path; `FUZZ_SEED` replays it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../helpers.ts';
import {
  buildWorld,
  errorShapeProblem,
  inject,
  loadApi,
  overHttp,
  type Api,
  type JsonSchema,
  type Operation,
  type RawRequest,
  takeWrites,
  watchWrites,
  type World,
} from './support.ts';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 100);
const SEED = process.env['FUZZ_SEED'] === undefined ? undefined : Number(process.env['FUZZ_SEED']);

// ---------------------------------------------------------------- hostile values

const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE orders; --",
  '" OR 1=1 --',
  '1; SELECT pg_sleep(10); --',
  "' UNION SELECT password_hash FROM account --",
  '$1',
  "%' --",
  "\\'",
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  'javascript:alert(1)',
  '{{7*7}}',
  '${7*7}',
  '../../../../etc/passwd',
  '%00',
  '\u0000',
  'a\u0000b',
  '\u202e\u0000',
  '\ud800',
  '\udfff\ud800',
  '𝕏𝕐',
  '__proto__',
  'constructor',
  'NaN',
  '-0',
  '1e309',
  'null',
  '',
  ' ',
  '\r\n\r\nHTTP/1.1 200 OK',
];

const injection = fc.constantFrom(...INJECTIONS);
const hugeString = fc.constantFrom(2_000, 70_000, 300_000).map((n) => 'x'.repeat(n));
const hugeNumber = fc.constantFrom(
  1e308,
  -1e308,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 + 2,
  Number.MAX_SAFE_INTEGER,
  -1,
  -0.5,
  0.001,
  1e-320,
  123456789.123,
);
function deep(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}
const deepValue = fc
  .tuple(fc.constantFrom(20, 300), fc.constantFrom('array', 'object') as fc.Arbitrary<'array' | 'object'>)
  .map(([depth, kind]) => deep(depth, kind));

/** A value of some other type than the schema wants, or something nasty of any type. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  hugeNumber,
  fc.string(),
  injection,
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
  fc.jsonValue(),
);

// ---------------------------------------------------------------- values from the schema

interface Pools {
  ids: string[];
}

function schemaValue(api: Api, pools: Pools, raw: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const schema = api.resolve(raw);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return fc.oneof(...variants.map((s) => schemaValue(api, pools, s, depth + 1)));
  if (schema.allOf?.[0]) return schemaValue(api, pools, schema.allOf[0], depth + 1);
  let arb: fc.Arbitrary<unknown>;
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (schema.enum) arb = fc.constantFrom(...schema.enum);
  else if (type === 'string') arb = stringValue(schema, pools);
  else if (type === 'integer')
    arb = fc.integer({ min: bound(schema.minimum, 0), max: bound(schema.maximum, 1000) });
  else if (type === 'number')
    arb = fc.oneof(
      fc.integer({ min: bound(schema.minimum, 0), max: Math.min(bound(schema.maximum, 1000), 1000) }),
      fc.integer({ min: 0, max: 100_000 }).map((c) => c / 100),
    );
  else if (type === 'boolean') arb = fc.boolean();
  else if (type === 'array' && schema.items) {
    arb = fc.array(schemaValue(api, pools, schema.items, depth + 1), {
      minLength: schema.minItems ?? 0,
      maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)),
    });
  } else if (type === 'object' || schema.properties) {
    const props = schema.properties ?? {};
    const required = new Set(schema.required ?? []);
    const entries = Object.entries(props).map(
      ([k, s]) => [k, schemaValue(api, pools, s, depth + 1)] as const,
    );
    arb = fc.record(Object.fromEntries(entries), {
      requiredKeys: [...required].filter((k) => k in props),
    });
  } else arb = fc.jsonValue();
  return schema.nullable ? fc.option(arb, { nil: null }) : arb;
}

const bound = (value: number | undefined, fallback: number) =>
  value === undefined ? fallback : Math.max(-1e9, Math.min(1e9, value));

function stringValue(schema: JsonSchema, pools: Pools): fc.Arbitrary<string> {
  const max = Math.min(schema.maxLength ?? 40, 40);
  const min = Math.min(schema.minLength ?? 0, max);
  switch (schema.format) {
    case 'uuid':
      return fc.oneof(fc.constantFrom(...pools.ids), fc.uuid());
    case 'email':
      return fc.oneof(
        fc.emailAddress().filter((e) => e.length <= 254),
        fc.constantFrom("o'brien@example.com", 'a+"<b>"@example.com'),
      );
    case 'uri':
      return fc.webUrl();
    case 'date-time':
      return fc
        .date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) })
        .map((d) => d.toISOString());
    case 'date':
      return fc
        .date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) })
        .map((d) => d.toISOString().slice(0, 10));
  }
  if (schema.pattern) {
    try {
      return fc
        .stringMatching(new RegExp(schema.pattern))
        .filter((s) => s.length <= (schema.maxLength ?? 1e6));
    } catch {
      // a pattern JavaScript cannot compile: fall through to plain strings
    }
  }
  return fc.oneof(
    fc.string({ minLength: Math.max(min, 1), maxLength: Math.max(max, 1) }),
    injection.filter((s) => s.length >= min && s.length <= max),
  );
}

// ---------------------------------------------------------------- breaking a value

type Path = Array<string | number>;

function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (out.length > 200) return out;
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...prefix, i], out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  return out;
}

function setAt(value: unknown, path: Path, replacement: unknown | typeof REMOVE): unknown {
  if (path.length === 0) return replacement === REMOVE ? undefined : replacement;
  const copy: unknown = Array.isArray(value) ? [...value] : { ...(value as object) };
  const [head, ...rest] = path as [string | number, ...Path];
  const container = copy as Record<string | number, unknown>;
  if (rest.length === 0 && replacement === REMOVE) {
    if (Array.isArray(container)) container.splice(head as number, 1);
    else delete container[head];
  } else {
    Object.defineProperty(container, head, {
      value: setAt(container[head], rest, replacement),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}
const REMOVE = Symbol('remove');

type Mutation =
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'remove'; at: number }
  | { kind: 'extra'; at: number; key: string; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('replace' as const),
    at: fc.nat(),
    value: fc.oneof(wrongValue, hugeString, hugeNumber, deepValue, injection),
  }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('extra' as const),
    at: fc.nat(),
    key: fc.oneof(
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'isAdmin', 'role', 'price'),
      fc.string(),
    ),
    value: wrongValue,
  }),
);

function applyMutations(value: unknown, mutations: Mutation[]): unknown {
  let current = value;
  for (const m of mutations) {
    const paths = pathsOf(current);
    const path = paths[m.at % paths.length] as Path;
    if (m.kind === 'replace') current = setAt(current, path, m.value);
    else if (m.kind === 'remove') current = path.length === 0 ? undefined : setAt(current, path, REMOVE);
    else {
      const target = path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], current);
      if (target && typeof target === 'object' && !Array.isArray(target)) {
        // through JSON text, so `__proto__` becomes a real key, as it does in a parsed request body
        const text = JSON.stringify(target);
        const extra = `${JSON.stringify(m.key)}:${JSON.stringify(m.value ?? null)}`;
        current = setAt(
          current,
          path,
          JSON.parse(`${text.slice(0, -1)}${text === '{}' ? '' : ','}${extra}}`),
        );
      } else {
        current = setAt(current, path, { [m.key]: m.value });
      }
    }
  }
  return current;
}

// ---------------------------------------------------------------- whole requests

/** Bytes that are not UTF-8: lone continuation bytes, overlong encodings, a truncated sequence. */
const invalidUtf8 = fc.constantFrom(
  Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
  Buffer.from([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d]),
  Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe2, 0x82, 0x22, 0x7d]),
  Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
  Buffer.from([0x80, 0x81, 0x82]),
  Buffer.from([0xed, 0xa0, 0x80]),
);

type Payload =
  { kind: 'json'; value: unknown } | { kind: 'raw'; bytes: string | Buffer; contentType: string | null };

function payloadFor(api: Api, pools: Pools, op: Operation): fc.Arbitrary<Payload | null> {
  const base = op.body ? schemaValue(api, pools, op.body) : fc.constant({});
  const json = (arb: fc.Arbitrary<unknown>) => arb.map((value): Payload => ({ kind: 'json', value }));
  const raw = fc.oneof(
    invalidUtf8.map((bytes): Payload => ({ kind: 'raw', bytes, contentType: 'application/json' })),
    fc
      .tuple(
        fc.string(),
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', null),
      )
      .map(([bytes, contentType]): Payload => ({ kind: 'raw', bytes, contentType })),
    fc.constantFrom<Payload>(
      { kind: 'raw', bytes: '{"a":', contentType: 'application/json' },
      { kind: 'raw', bytes: '', contentType: 'application/json' },
      { kind: 'raw', bytes: 'null', contentType: 'application/json' },
      { kind: 'raw', bytes: '[]', contentType: 'application/json' },
      { kind: 'raw', bytes: '"text"', contentType: 'application/json' },
      { kind: 'raw', bytes: '{"a":1,"a":2}', contentType: 'application/json' },
      { kind: 'raw', bytes: '{"__proto__":{"isAdmin":true}}', contentType: 'application/json' },
      {
        kind: 'raw',
        bytes: '{"constructor":{"prototype":{"role":"admin"}}}',
        contentType: 'application/json',
      },
      { kind: 'raw', bytes: '{}', contentType: 'application/json; charset=utf-16' },
      { kind: 'raw', bytes: '{}', contentType: 'multipart/form-data; boundary=x' },
      { kind: 'raw', bytes: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' },
      { kind: 'raw', bytes: `{"x":"${'y'.repeat(300_000)}"}`, contentType: 'application/json' },
      { kind: 'raw', bytes: `${'['.repeat(200_000)}${']'.repeat(200_000)}`, contentType: 'application/json' },
      { kind: 'raw', bytes: '{"a":"\\u0000"}', contentType: 'application/json' },
      { kind: 'raw', bytes: '{"a":"\\ud800"}', contentType: 'application/json' },
    ),
  );
  return fc.oneof(
    { weight: 2, arbitrary: json(base) },
    {
      weight: 5,
      arbitrary: json(
        fc
          .tuple(base, fc.array(mutation, { minLength: 1, maxLength: 3 }))
          .map(([v, ms]) => applyMutations(v, ms)),
      ),
    },
    { weight: 2, arbitrary: raw },
    { weight: 1, arbitrary: json(fc.oneof(wrongValue, deepValue)) },
    { weight: op.body ? 0 : 2, arbitrary: fc.constant(null) },
  );
}

const garbageParam = fc.oneof(
  fc.string({ maxLength: 50 }),
  injection,
  fc.constantFrom(
    '..',
    '.',
    '%2e%2e',
    '..%2f..%2f',
    '%00',
    '%',
    '%zz',
    'a/b',
    '0',
    '-1',
    'x'.repeat(5000),
    'ＡＢＣ',
  ),
);

/** Percent-encodes the UTF-8 bytes (a lone surrogate becomes U+FFFD, as on the wire). */
function escape(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).padStart(2, '0').toUpperCase()}`,
    )
    .join('');
}

function encode(value: string): string {
  // the raw `%`-forms above travel as they are; everything else is escaped
  return /^(%[0-9a-z]{0,2}|\.\.%2f\.\.%2f|%2e%2e)$/i.test(value) ? value : escape(value);
}

function queryFor(api: Api, pools: Pools, op: Operation): fc.Arbitrary<string> {
  const params = op.parameters.filter((p) => p.in === 'query');
  const one = (p: (typeof params)[number]) =>
    fc
      .oneof(
        schemaValue(api, pools, p.schema).map((v) => String(v)),
        garbageParam,
        hugeNumber.map(String),
        fc.constantFrom('true', 'false', '[]', '{}', '1,2', ''),
      )
      .map((v) => `${escape(p.name)}=${encode(v)}`);
  const parts = fc.array(
    fc.oneof(
      ...(params.length > 0 ? [fc.constantFrom(...params).chain(one)] : []),
      fc.tuple(fc.string({ maxLength: 10 }), garbageParam).map(([k, v]) => `${escape(k)}=${encode(v)}`),
      fc.constantFrom(
        'limit=1&limit=2',
        'a[b]=c',
        'a[]=1&a[]=2',
        '&&&',
        '=',
        '%',
        'cursor=W10',
        'cursor=eyJ4IjoxfQ',
      ),
    ),
    { maxLength: 4 },
  );
  return parts.map((p) => (p.length > 0 ? `?${p.join('&')}` : ''));
}

function urlFor(api: Api, pools: Pools, op: Operation): fc.Arbitrary<string> {
  const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
  const values = fc.tuple(
    ...names.map(() =>
      fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...pools.ids) },
        { weight: 1, arbitrary: fc.uuid() },
        { weight: 3, arbitrary: garbageParam },
      ),
    ),
  );
  return fc.tuple(values, queryFor(api, pools, op)).map(([vals, query]) => {
    let path = op.path;
    names.forEach((name, i) => {
      const v = vals[i] as string;
      path = path.replace(`{${name}}`, v === '' ? '%20' : encode(v));
    });
    return path + query;
  });
}

type Who = 'admin' | 'a' | 'b' | 'none' | 'garbage';

interface Headers {
  who: Who;
  idempotencyKey: string | undefined;
  extra: Record<string, string> | undefined;
}

const headersArb: fc.Arbitrary<Headers> = fc.record({
  who: fc.constantFrom<Who>('admin', 'admin', 'a', 'a', 'b', 'none', 'garbage'),
  idempotencyKey: fc.option(fc.oneof(fc.string({ maxLength: 300 }), injection, fc.uuid()), {
    nil: undefined,
  }),
  extra: fc.option(
    fc.constantFrom<Record<string, string>>(
      { 'content-encoding': 'gzip' },
      { 'content-encoding': 'br' },
      { 'transfer-encoding': 'chunked' },
      { 'x-forwarded-for': "1.2.3.4, ' OR 1=1" },
      { accept: 'text/html' },
      { origin: 'https://evil.example' },
      { authorization: 'Basic YWRtaW46YWRtaW4=' },
    ),
    { nil: undefined },
  ),
});

const GARBAGE_TOKENS = [
  'Bearer ',
  'Bearer a.b.c',
  'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4Iiwicm9sZSI6ImFkbWluIn0.',
  `Bearer ${'x'.repeat(10_000)}`,
  'bearer  ',
  "Bearer ' OR 1=1 --",
];

// ---------------------------------------------------------------- the suite

// The operations are read before the tests are declared, so each gets its own test and name.
const t: TestApp = await createTestApp();
const api: Api = await loadApi(t);

describe('fuzzing every operation: never a 5xx, refusals in the error format change nothing', () => {
  let world: World;
  let pools: Pools;

  before(async () => {
    world = await buildWorld(t);
    pools = { ids: [world.orderOfA, ...world.products.map((p) => p.id), world.a.id, world.b.id] };
    await watchWrites(t.app.database.db);
  });
  after(() => t.close());
  function build(op: Operation, url: string, payload: Payload | null, h: Headers): RawRequest {
    const headers: Record<string, string> = {};
    const tokens: Record<Who, string | undefined> = {
      admin: world.admin,
      a: world.a.token,
      b: world.b.token,
      none: undefined,
      garbage: undefined,
    };
    const token = tokens[h.who];
    if (token) headers['authorization'] = `Bearer ${token}`;
    if (h.who === 'garbage')
      headers['authorization'] = GARBAGE_TOKENS[url.length % GARBAGE_TOKENS.length] as string;
    if (h.idempotencyKey !== undefined) headers['idempotency-key'] = h.idempotencyKey.replace(/[\r\n]/g, '');
    Object.assign(headers, h.extra);
    const req: RawRequest = { method: op.method, url, headers };
    if (payload?.kind === 'json' && payload.value !== undefined) {
      headers['content-type'] = 'application/json';
      req.payload = JSON.stringify(payload.value);
    } else if (payload?.kind === 'raw') {
      if (payload.contentType) headers['content-type'] = payload.contentType;
      req.payload = payload.bytes;
    }
    return req;
  }

  const FAILURES_RECORDED: Record<string, string> = {
    invalid_credentials: 'login_throttle',
    wrong_password: 'login_throttle',
  };
  const errorCode = (res: { body: string }): string | undefined => {
    try {
      const code: unknown = (JSON.parse(res.body) as { code?: unknown }).code;
      return typeof code === 'string' ? code : undefined;
    } catch {
      return undefined;
    }
  };

  test('every operation of the document is attacked', () => {
    assert.ok(api.operations.length >= 25, `found only ${api.operations.length} operations`);
  });

  test('the write log sees a committed insert, change and delete, and neither a rolled-back write nor a no-op update', async () => {
    const db = t.app.database.db;
    assert.deepEqual(await takeWrites(db), []);
    await sql`update product set name = name`.execute(db);
    await db
      .transaction()
      .execute(async (trx) => {
        await sql`update product set name = name || '!'`.execute(trx);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    assert.deepEqual(await takeWrites(db), []);
    await sql`update product set name = name || '!' where id = ${world.products[0]?.id}`.execute(db);
    await sql`update product set name = left(name, -1) where id = ${world.products[0]?.id}`.execute(db);
    assert.deepEqual(await takeWrites(db), ['product']);
    assert.deepEqual(await takeWrites(db), []);
    await sql`insert into document_counter (series, year, last_number) values ('invoice', 2001, 1)`.execute(
      db,
    );
    assert.deepEqual(await takeWrites(db), ['document_counter']);
    await sql`delete from document_counter where year = 2001`.execute(db);
    assert.deepEqual(await takeWrites(db), ['document_counter']);
  });

  for (const op of api.operations) {
    const opId = op.id;
    test(`${opId}: ${RUNS} generated requests`, async () => {
      const seen = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(
          urlFor(api, pools, op),
          payloadFor(api, pools, op),
          headersArb,
          async (url, payload, h) => {
            const req = build(op, url, payload, h);
            const res = op.stream ? await overHttp(t, req) : await inject(t, req);
            seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
            const sent =
              req.payload === undefined ? '' : ` ${JSON.stringify(String(req.payload).slice(0, 400))}`;
            const where = `${req.method} ${req.url.slice(0, 200)}${sent} → ${res.status} ${res.body.slice(0, 300)}`;
            assert.ok(res.status < 500, `a 5xx: ${where}`);
            const changed = await takeWrites(t.app.database.db);
            if (res.status >= 400) {
              assert.equal(errorShapeProblem(res), null, `the error format: ${where}`);
              // a declined payment is recorded, and so is a wrong password (the sign-in delay
              // counts failures): those may change their own rows, nothing else may
              const recorded = res.status === 402 ? null : FAILURES_RECORDED[errorCode(res) ?? ''];
              if (res.status !== 402)
                assert.deepEqual(
                  changed.filter((table) => table !== recorded),
                  [],
                  `a refused request changed the database: ${where}`,
                );
            }
          },
        ),
        { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }), endOnFailure: true },
      );
      // An operation that takes input must refuse most of what is generated, or the generators
      // are not reaching its validation.
      const refused = [...seen].filter(([s]) => s >= 400).reduce((n, [, c]) => n + c, 0);
      if (op.body || op.parameters.some((p) => p.in !== 'header'))
        assert.ok(
          refused >= RUNS / 2,
          `${opId}: most generated requests must be refused, got ${JSON.stringify([...seen])}`,
        );
    });
  }
});
