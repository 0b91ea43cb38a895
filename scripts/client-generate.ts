import { writeFile } from 'node:fs/promises';
import { CLIENT_SCHEMA_URL, clientSchema } from './client-schema.ts';

/** Regenerates client/schema.d.ts from docs/api/openapi.yaml: `npm run client:generate`. */
await writeFile(CLIENT_SCHEMA_URL, await clientSchema());
console.warn('client/schema.d.ts written');
