import { writeFile } from 'node:fs/promises';
import { openApiYaml } from './openapi-document.ts';

/** Regenerates docs/api/openapi.yaml from the route schemas: `npm run openapi`. */
await writeFile(new URL('../docs/api/openapi.yaml', import.meta.url), await openApiYaml());
console.warn('docs/api/openapi.yaml written');
