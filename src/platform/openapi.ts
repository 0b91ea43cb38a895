/**
 * The OpenAPI document is generated from the route schemas. The Zod provider registers every
 * named schema twice (as `X` for responses and `XInput` for requests); this keeps the ones in
 * use and gives a request schema the plain name when no response needs it, so the document
 * keeps the seed contract's names (CreateOrderRequest, LineItem, Address, PaymentMethod).
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function collectRefs(node: Json, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(item, into);
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') into.add(value.replace('#/components/schemas/', ''));
      else collectRefs(value, into);
    }
  }
}

function renameRefs(node: Json, names: Map<string, string>): Json {
  if (Array.isArray(node)) return node.map((n) => renameRefs(n, names));
  if (node && typeof node === 'object') {
    // A schema given an example at the route arrives as `allOf: [{$ref}]` once the example has
    // moved to the media type: the plain reference says the same.
    const only = Object.keys(node).length === 1 && Array.isArray(node['allOf']) ? node['allOf'] : null;
    if (only?.length === 1 && only[0] && typeof only[0] === 'object' && '$ref' in only[0])
      return renameRefs(only[0], names);
    const out: { [key: string]: Json } = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const name = value.replace('#/components/schemas/', '');
        out[key] = `#/components/schemas/${names.get(name) ?? name}`;
      } else {
        out[key] = renameRefs(value, names);
      }
    }
    return out;
  }
  return node;
}

const isObject = (value: Json | undefined): value is { [key: string]: Json } =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Responses as HTTP has them: a 204 has no body (the provider still describes one for the route's
 * `z.null()`), and a schema with `x-media-type` (the event stream's `text/event-stream`) is
 * listed under that media type instead of JSON.
 */
function fixResponseMediaTypes(paths: Json): void {
  if (!isObject(paths)) return;
  for (const operations of Object.values(paths)) {
    if (!isObject(operations)) continue;
    for (const operation of Object.values(operations)) {
      if (!isObject(operation) || !isObject(operation['responses'])) continue;
      for (const [status, response] of Object.entries(operation['responses'])) {
        if (!isObject(response)) continue;
        if (status === '204') {
          delete response['content'];
          continue;
        }
        const content = response['content'];
        const json = isObject(content) ? content['application/json'] : undefined;
        const schema = isObject(json) ? json['schema'] : undefined;
        if (!isObject(schema) || typeof schema['x-media-type'] !== 'string') continue;
        const { 'x-media-type': mediaType, ...rest } = schema;
        response['content'] = { [mediaType]: { schema: rest } };
      }
    }
  }
}

/**
 * A nullable enum lists null among its values: OpenAPI 3.0 validators (and the contract tests')
 * check `enum` before `nullable`, so without it a null is refused.
 */
function allowNullInNullableEnums(node: Json): void {
  if (Array.isArray(node)) {
    for (const item of node) allowNullInNullableEnums(item);
  } else if (isObject(node)) {
    const values = node['enum'];
    if (node['nullable'] === true && Array.isArray(values) && !values.includes(null)) values.push(null);
    for (const value of Object.values(node)) allowNullInNullableEnums(value);
  }
}

export function tidyOpenApi<T>(document: T): T {
  const doc = document as unknown as { paths: Json; components?: { schemas?: Record<string, Json> } };
  fixResponseMediaTypes(doc.paths);
  allowNullInNullableEnums(doc.paths);
  allowNullInNullableEnums((doc.components?.schemas ?? null) as Json);
  const schemas = doc.components?.schemas;
  if (!schemas) return document;
  const used = new Set<string>();
  collectRefs(doc.paths, used);
  for (let grew = true; grew;) {
    const before = used.size;
    for (const name of [...used]) collectRefs(schemas[name] ?? null, used);
    grew = used.size > before;
  }
  const names = new Map<string, string>();
  for (const name of used) {
    if (name.endsWith('Input')) {
      const plain = name.slice(0, -'Input'.length);
      if (!used.has(plain)) names.set(name, plain);
    }
  }
  const kept: Record<string, Json> = {};
  for (const name of [...used].sort()) {
    const schema = schemas[name];
    if (schema !== undefined) kept[names.get(name) ?? name] = renameRefs(schema, names);
  }
  doc.paths = renameRefs(doc.paths, names);
  doc.components = { ...doc.components, schemas: kept };
  return document;
}
