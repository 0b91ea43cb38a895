import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './platform/db.ts';
import { createLogger } from './platform/logger.ts';
import { migrateDown, migrateUp } from './platform/migrate.ts';

/**
 * Orderly's command line:
 *   start                 serve the API, the storefront and the admin
 *   migrate up|down       apply all migrations, or undo the newest
 */
const USAGE = 'usage: node src/main.ts start | migrate up|down';

async function main(argv: string[]): Promise<number> {
  const [command, arg] = argv;
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  if (command === 'migrate') {
    if (arg !== 'up' && arg !== 'down') {
      console.error(USAGE);
      return 2;
    }
    const database = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir });
    try {
      const done = arg === 'up' ? await migrateUp(database.db) : await migrateDown(database.db);
      log.info({ migrations: done }, done.length === 0 ? 'nothing to migrate' : `migrated ${arg}`);
    } finally {
      await database.close();
    }
    return 0;
  }
  if (command !== 'start') {
    console.error(USAGE);
    return 2;
  }

  const app = await buildApp(config, { logger: log });
  await app.start();
  await app.server.listen({ host: config.host, port: config.port });
  const address = app.server.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  log.info(
    {
      storefront: `${base}/`,
      admin: `${base}/admin`,
      api: `${base}/api/v1`,
      apiDocs: `${base}/api-docs`,
      database: config.database.url ? 'postgresql' : `pglite:${config.database.dataDir}`,
    },
    `Orderly is serving on ${base}`,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing requests in flight');
    app
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return -1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  },
);
