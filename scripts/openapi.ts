import { writeFile } from 'node:fs/promises';
import { CLIENT_SCHEMA_URL, clientSchema } from './client-schema.ts';
import { openApiYaml } from './openapi-document.ts';

/**
 * Regenerates docs/api/openapi.yaml from the route schemas, and the typed client's
 * client/schema.d.ts from it: `npm run openapi`.
 */
await writeFile(new URL('../docs/api/openapi.yaml', import.meta.url), await openApiYaml());
console.warn('docs/api/openapi.yaml written');
await writeFile(CLIENT_SCHEMA_URL, await clientSchema());
console.warn('client/schema.d.ts written');
