/**
 * Shared by the attack suites: the operations of the API, read from the OpenAPI document, a
 * fingerprint of everything in the database, and a small world of fixtures (two customers, an
 * admin, products, an order and a cart) for requests to aim at.
 */
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { parse } from 'yaml';
import type { Db } from '../../src/platform/db.ts';
import { orderBody, type TestApp } from '../helpers.ts';

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
};

export interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema: JsonSchema;
}

export interface Operation {
  id: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI template, `/api/v1/orders/{id}` */
  path: string;
  parameters: Parameter[];
  body: JsonSchema | null;
  /** true when the only success is a Server-Sent Events stream that never ends by itself */
  stream: boolean;
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        operationId: string;
        parameters?: Parameter[];
        requestBody?: { content: Record<string, { schema: JsonSchema }> };
        responses: Record<string, { content?: Record<string, unknown> }>;
      }
    >
  >;
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface Api {
  operations: Operation[];
  resolve(schema: JsonSchema): JsonSchema;
}

function readDocument(doc: OpenApiDocument): Api {
  const schemas = doc.components?.schemas ?? {};
  const resolve = (schema: JsonSchema): JsonSchema => {
    let current = schema;
    for (let i = 0; current.$ref && i < 20; i++) {
      const name = current.$ref.replace('#/components/schemas/', '');
      current = schemas[name] ?? {};
    }
    return current;
  };
  const operations: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const ok = op.responses['200'] ?? op.responses['201'];
      operations.push({
        id: op.operationId,
        method: method.toUpperCase() as Operation['method'],
        path,
        parameters: op.parameters ?? [],
        body: op.requestBody?.content['application/json']?.schema ?? null,
        stream: !ok?.content || Object.keys(ok.content).every((c) => c === 'text/event-stream'),
      });
    }
  }
  return { operations, resolve };
}

/**
 * Every operation: those of the committed docs/api/openapi.yaml and those the running server
 * documents (the same set once `npm run openapi` has run; the union, so a route added without
 * regenerating the document is attacked too).
 */
export async function loadApi(t: TestApp): Promise<Api> {
  const committed = parse(
    await readFile(new URL('../../docs/api/openapi.yaml', import.meta.url), 'utf8'),
  ) as OpenApiDocument;
  const live = t.app.server.swagger() as unknown as OpenApiDocument;
  const merged: OpenApiDocument = {
    paths: { ...committed.paths },
    components: { schemas: { ...committed.components?.schemas, ...live.components?.schemas } },
  };
  for (const [path, ops] of Object.entries(live.paths))
    merged.paths[path] = { ...merged.paths[path], ...ops };
  return readDocument(merged);
}

// ---------------------------------------------------------------- the database, watched

/**
 * Puts a trigger on every table that logs the table's name for each row inserted, deleted or
 * changed by an update (an update that leaves a row as it was is not a change). The log is
 * append-only: a counter row would be locked by every writing transaction, and two of them
 * writing tables in different orders would deadlock on it. A rolled-back write leaves no entry,
 * so the log holds exactly what was committed.
 */
export async function watchWrites(db: Db): Promise<void> {
  await sql`create table fuzz_write (id bigserial primary key, table_name text not null)`.execute(db);
  await sql`
    create function fuzz_log_write() returns trigger language plpgsql as $$
    begin
      insert into fuzz_write (table_name) values (tg_table_name);
      return null;
    end $$`.execute(db);
  const { rows } = await sql<{ name: string }>`
    select tablename as name from pg_tables
    where schemaname = 'public' and tablename not like 'kysely_%' and tablename <> 'fuzz_write'`.execute(db);
  for (const { name } of rows) {
    await sql`create trigger fuzz_log_insert_delete after insert or delete on ${sql.table(name)}
      for each row execute function fuzz_log_write()`.execute(db);
    await sql`create trigger fuzz_log_update after update on ${sql.table(name)}
      for each row when (old::text is distinct from new::text) execute function fuzz_log_write()`.execute(db);
  }
}

/** The tables written since the last call (or since `watchWrites`), consuming the log. */
export async function takeWrites(db: Db): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    delete from fuzz_write returning table_name`.execute(db);
  return [...new Set(rows.map((r) => r.table_name))].sort();
}

// ---------------------------------------------------------------- fixtures

export interface World {
  admin: string;
  a: { token: string; id: string; email: string };
  b: { token: string; id: string; email: string };
  products: Array<{ id: string; price: number; name: string }>;
  /** a confirmed, paid order of customer A */
  orderOfA: string;
}

export async function buildWorld(t: TestApp): Promise<World> {
  const admin = await t.adminToken();
  const a = await t.customer('Alice');
  const b = await t.customer('Bob');
  const products = [
    await t.product({ price: 12.5, stock: 50, name: 'Fuzz Widget' }),
    await t.product({ price: 3, stock: 50, name: 'Fuzz Gadget' }),
  ];
  const orderOfA = await placeOrder(t, a, products[0] as World['products'][number]);
  const cart = await t.request('POST', '/api/v1/cart/items', {
    token: a.token,
    body: { productId: products[1]?.id, quantity: 1 },
  });
  if (cart.status !== 200) throw new Error(`cart: ${cart.status} ${JSON.stringify(cart.body)}`);
  return { admin, a, b, products, orderOfA };
}

export async function placeOrder(
  t: TestApp,
  customer: { token: string; id: string },
  product: { id: string; price: number },
  quantity = 1,
): Promise<string> {
  const res = await t.request<{ id: string; status: string }>('POST', '/api/v1/orders', {
    token: customer.token,
    body: orderBody(customer.id, [{ productId: product.id, quantity, price: product.price }]),
  });
  if (res.status !== 201) throw new Error(`order: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

// ---------------------------------------------------------------- sending raw requests

export interface RawRequest {
  method: Operation['method'];
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

/** Through Fastify's inject: the whole stack (parsing, hooks, validation, handlers), no socket. */
export async function inject(t: TestApp, req: RawRequest): Promise<RawResponse> {
  const res = await t.app.server.inject({
    method: req.method,
    url: req.url,
    headers: req.headers,
    ...(req.payload !== undefined && { payload: req.payload }),
  });
  return { status: res.statusCode, headers: res.headers, body: res.body };
}

/**
 * Over a real socket, for the event stream (its success never ends): the status and headers,
 * and the body only when it is not a stream.
 */
export async function overHttp(t: TestApp, req: RawRequest): Promise<RawResponse> {
  if (!t.app.server.server.listening) await t.app.server.listen({ host: '127.0.0.1', port: 0 });
  const { port } = t.app.server.server.address() as AddressInfo;
  // Node's client refuses to send what its parser would refuse to read; inject covers those.
  const headers = Object.fromEntries(
    Object.entries(req.headers).filter(([, v]) => /^[\t\x20-\x7e]*$/.test(v)),
  );
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: '127.0.0.1', port, method: req.method, path: req.url, headers },
      (res) => {
        const head = { status: res.statusCode ?? 0, headers: res.headers };
        if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
          res.destroy();
          resolve({ ...head, body: '' });
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ ...head, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(req.payload);
  });
}

/** `{code, message, details}`, or why not. */
export function errorShapeProblem(res: RawResponse): string | null {
  if (!String(res.headers['content-type'] ?? '').startsWith('application/json'))
    return `content-type ${String(res.headers['content-type'])}`;
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    return 'body is not JSON';
  }
  const b = body as Record<string, unknown>;
  if (typeof b['code'] !== 'string' || !b['code']) return 'no code';
  if (typeof b['message'] !== 'string' || !b['message']) return 'no message';
  if (!b['details'] || typeof b['details'] !== 'object' || Array.isArray(b['details'])) return 'no details';
  return null;
}
