import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

/**
 * Compares two versions of the OpenAPI document and names every difference as additive or
 * breaking for a client built against the older one (docs/api/changelog.md has the rules):
 *
 * additive (allowed in a minor version)     | breaking (needs a new major version)
 * ------------------------------------------|--------------------------------------------------
 * new path or operation                     | removed path or operation, changed operationId
 * new optional parameter or request field   | new required parameter or request field
 * required request field made optional      | optional request field or parameter made required
 * new response field, new response status   | removed or renamed field (request or response)
 * response field made always present        | response field made optional or nullable
 * new enum value in a request               | removed enum value in a request
 * request field made nullable               | new enum value in a response (clients' types are closed unions)
 *                                           | changed type or format, removed success response
 *
 * Renaming a field shows as one removal and one addition: the removal is breaking. Component
 * names do not matter, only the shapes on the wire (`$ref`s are followed).
 *
 * `npm run openapi:diff [base] [next]` prints the differences between the released baseline
 * (docs/api/released/v1.yaml) and the committed document (docs/api/openapi.yaml).
 */
export type Kind = 'additive' | 'breaking';

export interface Change {
  kind: Kind;
  /** where: `POST /api/v1/orders request body .items[].price` */
  at: string;
  message: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [key: string]: Json };

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
export interface OpenApiDocument {
  openapi?: string;
  info: { version: string; title?: string };
  paths: Record<string, Record<string, Operation | Json>>;
  components?: { schemas?: Record<string, Schema> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Which way data flows: the client writes requests and reads responses. */
type Direction = 'request' | 'response';

class Differ {
  readonly changes: Change[] = [];
  readonly #base: OpenApiDocument;
  readonly #next: OpenApiDocument;

  constructor(base: OpenApiDocument, next: OpenApiDocument) {
    this.#base = base;
    this.#next = next;
  }

  add(kind: Kind, at: string, message: string): void {
    this.changes.push({ kind, at, message });
  }

  run(): void {
    const basePaths = this.#base.paths ?? {};
    const nextPaths = this.#next.paths ?? {};
    for (const path of Object.keys(basePaths)) {
      if (!(path in nextPaths)) this.add('breaking', path, 'path removed');
    }
    for (const path of Object.keys(nextPaths)) {
      if (!(path in basePaths)) this.add('additive', path, 'path added');
    }
    for (const path of Object.keys(basePaths)) {
      const before = basePaths[path];
      const after = nextPaths[path];
      if (!before || !after) continue;
      for (const method of METHODS) {
        const a = before[method] as Operation | undefined;
        const b = after[method] as Operation | undefined;
        const at = `${method.toUpperCase()} ${path}`;
        if (a && !b) this.add('breaking', at, 'operation removed');
        else if (!a && b) this.add('additive', at, 'operation added');
        else if (a && b) this.#operation(at, a, b);
      }
    }
  }

  #operation(at: string, a: Operation, b: Operation): void {
    if (a.operationId !== b.operationId) {
      this.add('breaking', at, `operationId changed from ${a.operationId} to ${b.operationId}`);
    }
    this.#parameters(at, a.parameters ?? [], b.parameters ?? []);
    this.#requestBody(at, a, b);
    this.#responses(at, a.responses ?? {}, b.responses ?? {});
  }

  #parameters(at: string, before: Parameter[], after: Parameter[]): void {
    const key = (p: Parameter) => `${p.in}:${p.name.toLowerCase()}`;
    const next = new Map(after.map((p) => [key(p), p]));
    const base = new Map(before.map((p) => [key(p), p]));
    for (const [k, p] of base) {
      const q = next.get(k);
      const where = `${at} ${p.in} parameter ${p.name}`;
      if (!q) {
        this.add('breaking', where, 'parameter removed');
        continue;
      }
      if (!p.required && q.required) this.add('breaking', where, 'optional parameter made required');
      if (p.required && !q.required) this.add('additive', where, 'required parameter made optional');
      this.schema(where, p.schema ?? {}, q.schema ?? {}, 'request', new Set());
    }
    for (const [k, q] of next) {
      if (base.has(k)) continue;
      const where = `${at} ${q.in} parameter ${q.name}`;
      if (q.required) this.add('breaking', where, 'required parameter added');
      else this.add('additive', where, 'optional parameter added');
    }
  }

  #requestBody(at: string, a: Operation, b: Operation): void {
    const where = `${at} request body`;
    const before = a.requestBody;
    const after = b.requestBody;
    if (!before && after) {
      this.add(
        after.required ? 'breaking' : 'additive',
        where,
        `${after.required ? 'required' : 'optional'} body added`,
      );
      return;
    }
    if (before && !after) {
      this.add('breaking', where, 'body removed');
      return;
    }
    if (!before || !after) return;
    if (!before.required && after.required) this.add('breaking', where, 'optional body made required');
    for (const [type, media] of Object.entries(before.content ?? {})) {
      const next = after.content?.[type];
      if (!next) {
        this.add('breaking', where, `media type ${type} no longer accepted`);
        continue;
      }
      this.schema(where, media.schema ?? {}, next.schema ?? {}, 'request', new Set());
    }
    for (const type of Object.keys(after.content ?? {})) {
      if (!before.content?.[type]) this.add('additive', where, `media type ${type} accepted`);
    }
  }

  #responses(
    at: string,
    before: NonNullable<Operation['responses']>,
    after: NonNullable<Operation['responses']>,
  ) {
    for (const [status, response] of Object.entries(before)) {
      const where = `${at} response ${status}`;
      const next = after[status];
      if (!next) {
        // A client that relied on a success answer loses it; an error status that no longer
        // happens costs a client nothing.
        if (status.startsWith('2')) this.add('breaking', where, 'success response removed');
        else this.add('additive', where, 'error response no longer documented');
        continue;
      }
      for (const [type, media] of Object.entries(response.content ?? {})) {
        const n = next.content?.[type];
        if (!n) {
          this.add('breaking', where, `no longer answers with ${type}`);
          continue;
        }
        this.schema(where, media.schema ?? {}, n.schema ?? {}, 'response', new Set());
      }
    }
    for (const status of Object.keys(after)) {
      if (!before[status]) this.add('additive', `${at} response ${status}`, 'response status added');
    }
  }

  /** Follows `$ref`s and flattens `allOf`, so only the shape is compared. */
  #resolve(schema: Schema, doc: OpenApiDocument, seen: Set<string> = new Set()): Schema {
    let current = schema;
    while (typeof current['$ref'] === 'string') {
      const ref = current['$ref'];
      if (seen.has(ref)) return {};
      seen.add(ref);
      const name = ref.replace('#/components/schemas/', '');
      const { $ref: _ref, ...siblings } = current;
      current = { ...(doc.components?.schemas?.[name] ?? {}), ...siblings };
    }
    const allOf = current['allOf'];
    if (Array.isArray(allOf)) {
      const { allOf: _allOf, ...rest } = current;
      let merged: Schema = rest;
      for (const part of allOf) {
        const p = this.#resolve(part as Schema, doc, new Set(seen));
        merged = {
          ...p,
          ...merged,
          properties: { ...(p['properties'] as Schema), ...(merged['properties'] as Schema) },
          required: [...new Set([...asStrings(p['required']), ...asStrings(merged['required'])])],
        };
      }
      if (Object.keys(merged['properties'] as Schema).length === 0) delete merged['properties'];
      if ((merged['required'] as string[]).length === 0) delete merged['required'];
      current = merged;
    }
    return current;
  }

  /** Compares two schemas at one place, in the direction the data flows. */
  schema(at: string, rawA: Schema, rawB: Schema, direction: Direction, visiting: Set<string>): void {
    const pair = `${JSON.stringify(rawA['$ref'] ?? '')}|${JSON.stringify(rawB['$ref'] ?? '')}`;
    if (rawA['$ref'] && rawB['$ref']) {
      if (visiting.has(pair)) return; // a recursive schema: already being compared
      visiting = new Set(visiting).add(pair);
    }
    const a = this.#resolve(rawA, this.#base);
    const b = this.#resolve(rawB, this.#next);

    const typeA = typeOf(a);
    const typeB = typeOf(b);
    if (typeA !== typeB) {
      this.add('breaking', at, `type changed from ${typeA} to ${typeB}`);
      return;
    }
    if ((a['format'] ?? null) !== (b['format'] ?? null)) {
      this.add('breaking', at, `format changed from ${a['format'] ?? 'none'} to ${b['format'] ?? 'none'}`);
    }
    const nullableA = a['nullable'] === true;
    const nullableB = b['nullable'] === true;
    if (nullableA !== nullableB) {
      if (direction === 'request') {
        this.add(
          nullableB ? 'additive' : 'breaking',
          at,
          nullableB ? 'now accepts null' : 'no longer accepts null',
        );
      } else {
        this.add(
          nullableB ? 'breaking' : 'additive',
          at,
          nullableB ? 'may now be null' : 'is never null any more',
        );
      }
    }
    this.#enum(at, a, b, direction);
    for (const key of ['anyOf', 'oneOf'] as const) this.#variants(at, a, b, key, direction, visiting);
    if (typeA === 'array') {
      this.schema(`${at}[]`, (a['items'] as Schema) ?? {}, (b['items'] as Schema) ?? {}, direction, visiting);
    }
    if (typeA === 'object') this.#object(at, a, b, direction, visiting);
  }

  #enum(at: string, a: Schema, b: Schema, direction: Direction): void {
    const before = Array.isArray(a['enum']) ? a['enum'].map((v) => JSON.stringify(v)) : null;
    const after = Array.isArray(b['enum']) ? b['enum'].map((v) => JSON.stringify(v)) : null;
    if (!before && !after) return;
    if (before && !after) {
      this.add(direction === 'request' ? 'additive' : 'breaking', at, 'enum removed: any value now');
      return;
    }
    if (!before && after) {
      this.add(direction === 'request' ? 'breaking' : 'additive', at, `restricted to ${after.join(', ')}`);
      return;
    }
    for (const value of before ?? []) {
      if (!after?.includes(value)) {
        this.add(direction === 'request' ? 'breaking' : 'additive', at, `enum value ${value} removed`);
      }
    }
    for (const value of after ?? []) {
      if (!before?.includes(value)) {
        this.add(direction === 'request' ? 'additive' : 'breaking', at, `enum value ${value} added`);
      }
    }
  }

  #variants(
    at: string,
    a: Schema,
    b: Schema,
    key: 'anyOf' | 'oneOf',
    direction: Direction,
    visiting: Set<string>,
  ) {
    const before = Array.isArray(a[key]) ? (a[key] as Schema[]) : [];
    const after = Array.isArray(b[key]) ? (b[key] as Schema[]) : [];
    const shared = Math.min(before.length, after.length);
    for (let i = 0; i < shared; i++) {
      this.schema(`${at} (${key} ${i + 1})`, before[i] ?? {}, after[i] ?? {}, direction, visiting);
    }
    for (let i = shared; i < before.length; i++) {
      this.add(direction === 'request' ? 'breaking' : 'additive', at, `${key} variant ${i + 1} removed`);
    }
    for (let i = shared; i < after.length; i++) {
      this.add(direction === 'request' ? 'additive' : 'breaking', at, `${key} variant ${i + 1} added`);
    }
  }

  #object(at: string, a: Schema, b: Schema, direction: Direction, visiting: Set<string>): void {
    const propsA = (a['properties'] as Record<string, Schema> | undefined) ?? {};
    const propsB = (b['properties'] as Record<string, Schema> | undefined) ?? {};
    const reqA = new Set(asStrings(a['required']));
    const reqB = new Set(asStrings(b['required']));
    for (const [name, schema] of Object.entries(propsA)) {
      const where = `${at} .${name}`;
      const next = propsB[name];
      if (!next) {
        this.add('breaking', where, 'field removed');
        continue;
      }
      if (direction === 'request') {
        if (!reqA.has(name) && reqB.has(name)) this.add('breaking', where, 'optional field made required');
        if (reqA.has(name) && !reqB.has(name)) this.add('additive', where, 'required field made optional');
      } else {
        if (reqA.has(name) && !reqB.has(name)) this.add('breaking', where, 'field may now be absent');
        if (!reqA.has(name) && reqB.has(name)) this.add('additive', where, 'field now always present');
      }
      this.schema(where, schema, next, direction, visiting);
    }
    for (const name of Object.keys(propsB)) {
      if (name in propsA) continue;
      const where = `${at} .${name}`;
      if (direction === 'request' && reqB.has(name)) this.add('breaking', where, 'required field added');
      else this.add('additive', where, direction === 'request' ? 'optional field added' : 'field added');
    }
    if (typeof a['additionalProperties'] === 'object' && typeof b['additionalProperties'] === 'object') {
      this.schema(
        `${at} .*`,
        a['additionalProperties'] as Schema,
        b['additionalProperties'] as Schema,
        direction,
        visiting,
      );
    } else if (
      direction === 'request' &&
      a['additionalProperties'] !== false &&
      b['additionalProperties'] === false
    ) {
      this.add('breaking', at, 'no longer accepts other fields');
    }
  }
}

function asStrings(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function typeOf(schema: Schema): string {
  const type = schema['type'];
  if (Array.isArray(type)) return [...type].sort().join('|');
  if (typeof type === 'string') return type;
  if (schema['properties']) return 'object';
  if (schema['items']) return 'array';
  return 'any';
}

/** Every difference between `base` and `next`, additive and breaking. */
export function diffOpenApi(base: OpenApiDocument, next: OpenApiDocument): Change[] {
  const differ = new Differ(base, next);
  differ.run();
  return differ.changes;
}

export function majorOf(version: string): number {
  const major = Number.parseInt(version.split('.')[0] ?? '', 10);
  if (!Number.isInteger(major)) throw new Error(`info.version "${version}" is not a semantic version`);
  return major;
}

export interface Compatibility {
  changes: Change[];
  breaking: Change[];
  additive: Change[];
  /** the major version went up, so breaking changes are allowed */
  majorBumped: boolean;
  /** no breaking change, or a new major version */
  ok: boolean;
}

/** The versioning rule: breaking changes only with a new major version in `info.version`. */
export function compatibility(base: OpenApiDocument, next: OpenApiDocument): Compatibility {
  const changes = diffOpenApi(base, next);
  const breaking = changes.filter((c) => c.kind === 'breaking');
  const majorBumped = majorOf(next.info.version) > majorOf(base.info.version);
  return {
    changes,
    breaking,
    additive: changes.filter((c) => c.kind === 'additive'),
    majorBumped,
    ok: breaking.length === 0 || majorBumped,
  };
}

export function formatChange(change: Change): string {
  return `${change.kind === 'breaking' ? 'BREAKING' : 'additive'}  ${change.at}: ${change.message}`;
}

if (import.meta.main) {
  const [basePath = 'docs/api/released/v1.yaml', nextPath = 'docs/api/openapi.yaml'] = process.argv.slice(2);
  const load = async (path: string) => parse(await readFile(path, 'utf8')) as OpenApiDocument;
  const base = await load(basePath);
  const next = await load(nextPath);
  const result = compatibility(base, next);
  for (const change of result.changes) console.warn(formatChange(change));
  console.warn(
    `${basePath} (${base.info.version}) → ${nextPath} (${next.info.version}): ${result.additive.length} additive, ${result.breaking.length} breaking${
      result.breaking.length > 0 && !result.majorBumped ? ' — breaking changes need a new major version' : ''
    }`,
  );
  process.exitCode = result.ok ? 0 : 1;
}
