import { stringify } from 'yaml';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/platform/db.ts';
import { createLogger } from '../src/platform/logger.ts';

/** The OpenAPI document exactly as the server serves it at /api-docs/json, as YAML. */
export async function openApiYaml(): Promise<string> {
  const database = await openDatabase({ dataDir: 'memory://' });
  const app = await buildApp(loadConfig({ NODE_ENV: 'test', SEED_DEMO_DATA: 'false' }), {
    database,
    background: false,
    logger: createLogger('silent'),
  });
  try {
    await app.server.ready();
    return `# Generated from the route schemas by \`npm run openapi\`; do not edit by hand.\n${stringify(app.server.swagger(), { lineWidth: 0 })}`;
  } finally {
    await app.close();
    await database.close();
  }
}
