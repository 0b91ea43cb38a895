import { readFileSync } from 'node:fs';
// ajv and ajv-formats come with fastify (its schema compiler), at the versions the lockfile pins.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { parse } from 'yaml';

/**
 * Checks a response against the committed OpenAPI document (`docs/api/openapi.yaml`): the
 * operation for its path and method must exist, must document its status code, and the body
 * must match that status's schema. `test/helpers.ts` runs it on every response the integration
 * tests receive from `/api/v1`, so a route that answers with something its contract does not
 * say fails the test that saw it.
 *
 * Two kinds of answer are not per operation and are accepted on any route, as long as their
 * body is the documented Error shape: a 404 for a URL that names no route at all, and the
 * statuses the HTTP platform gives before a route's handler runs (body too large, wrong media
 * type, rate limited, database unavailable).
 */
export const PLATFORM_STATUSES: ReadonlySet<number> = new Set([413, 415, 429, 503]);

const DOCUMENT_URL = new URL('../../docs/api/openapi.yaml', import.meta.url);
type Method = 'get' | 'put' | 'post' | 'patch' | 'delete' | 'head' | 'options';

interface MediaType {
  schema?: unknown;
}
interface ResponseObject {
  content?: Record<string, MediaType>;
}
interface Operation {
  operationId?: string;
  responses?: Record<string, ResponseObject>;
}
export interface OpenApiDocument {
  info: { version: string };
  paths: Record<string, Partial<Record<Method, Operation>>>;
  components?: { schemas?: Record<string, unknown> };
}

interface Route {
  template: string;
  pattern: RegExp;
  operations: OpenApiDocument['paths'][string];
}

/** JSON pointer escaping (RFC 6901) for one path segment. */
const pointer = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1');

export class ResponseValidator {
  readonly document: OpenApiDocument;
  readonly #ajv: Ajv;
  readonly #routes: Route[];
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor(document: OpenApiDocument) {
    this.document = document;
    // OpenAPI 3.0 schemas: `nullable` is understood by ajv; `example` is documentation.
    this.#ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    const addFormats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv;
    addFormats(this.#ajv);
    this.#ajv.addSchema(document as object, 'openapi');
    // Literal paths before templated ones: /orders/mine must not be taken for /orders/{id}.
    this.#routes = Object.entries(document.paths)
      .map(([template, operations]) => ({
        template,
        operations,
        pattern: new RegExp(
          `^${template
            .split(/\{[^}]+\}/)
            .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
            .join('[^/]+')}$`,
        ),
      }))
      .sort((a, b) => a.template.split('{').length - b.template.split('{').length);
  }

  /** The route template a concrete path belongs to, e.g. `/api/v1/orders/{id}`. */
  route(path: string): Route | undefined {
    return this.#routes.find((r) => r.pattern.test(path));
  }

  /**
   * The problems with a response, empty when it is what the document says. `body` is the
   * parsed JSON, or the raw text when it was not JSON.
   */
  check(
    method: string,
    url: string,
    status: number,
    contentType: string | undefined,
    body: unknown,
  ): string[] {
    const path = decodeURI(url.split('?')[0] ?? url).replace(/\/+$/, '') || '/';
    const route = this.route(path);
    const lower = method.toLowerCase() as Method;
    const operation = route?.operations[lower];
    const where = `${method.toUpperCase()} ${path}`;
    if (!route || !operation) {
      // No such route: the server's "no route" 404 (or 405-style 404) in the Error shape.
      if (status === 404) return this.#validate('Error', errorSchema(), body, where, status);
      return [`${where} answered ${status}, but the document has no operation for it`];
    }
    const name = `${lower} ${route.template}`;
    const responses = operation.responses ?? {};
    const responseKey = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => responses[k]);
    const documented = responseKey === undefined ? undefined : responses[responseKey];
    if (!documented || responseKey === undefined) {
      if (PLATFORM_STATUSES.has(status)) return this.#validate('Error', errorSchema(), body, where, status);
      return [
        `${where} (${operation.operationId ?? name}) answered ${status}, which docs/api/openapi.yaml does not document (it has ${Object.keys(responses).join(', ')})`,
      ];
    }
    const media = documented.content ?? {};
    const types = Object.keys(media);
    if (types.length === 0) {
      const empty =
        body === '' ||
        body === undefined ||
        (typeof body === 'object' && body !== null && Object.keys(body).length === 0);
      return empty ? [] : [`${where} answered ${status} with a body, but the document says it has none`];
    }
    const type = (contentType ?? '').split(';')[0]?.trim() ?? '';
    const mediaType = media[type] ?? (type.endsWith('+json') ? media['application/json'] : undefined);
    if (!mediaType) {
      return [`${where} answered ${status} as "${type}", but the document has ${types.join(', ')}`];
    }
    if (mediaType.schema === undefined || !type.includes('json')) return [];
    const key = `${name} ${status}`;
    const ref = `openapi#/paths/${pointer(route.template)}/${lower}/responses/${responseKey}/content/${pointer(
      media[type] ? type : 'application/json',
    )}/schema`;
    return this.#validate(key, { $ref: ref }, body, `${where} (${operation.operationId ?? name})`, status);
  }

  #validate(key: string, schema: object, body: unknown, where: string, status: number): string[] {
    let validate = this.#compiled.get(key);
    if (!validate) {
      validate = this.#ajv.compile(schema);
      this.#compiled.set(key, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (e) =>
        `${where} ${status}: body${e.instancePath || ''} ${e.message ?? 'is invalid'}${
          e.params && Object.keys(e.params).length > 0 ? ` ${JSON.stringify(e.params)}` : ''
        }`,
    );
  }
}

function errorSchema() {
  return { $ref: 'openapi#/components/schemas/Error' };
}

let shared: ResponseValidator | undefined;

/** The validator for the committed document, built once per process. */
export function responseValidator(): ResponseValidator {
  shared ??= new ResponseValidator(parse(readFileSync(DOCUMENT_URL, 'utf8')) as OpenApiDocument);
  return shared;
}

export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
}

/** Throws when a response from the API is not what docs/api/openapi.yaml says it is. */
export function assertDocumentedResponse(
  method: string,
  url: string,
  status: number,
  contentType: string | undefined,
  body: unknown,
): void {
  const problems = responseValidator().check(method, url, status, contentType, body);
  if (problems.length > 0) {
    throw new ContractViolation(
      `The response is not what docs/api/openapi.yaml documents (fix the route schema, then \`npm run openapi\`):\n  ${problems.join('\n  ')}\n  body: ${JSON.stringify(body).slice(0, 600)}`,
    );
  }
}
