import cluster from 'node:cluster';
import type { Logger } from 'pino';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './platform/db.ts';
import { createLogger } from './platform/logger.ts';
import { migrateDown, migrateUp } from './platform/migrate.ts';

/**
 * Orderly's command line:
 *   start                 serve the API, the storefront and the admin (WORKERS=n: n processes)
 *   migrate up|down       apply all migrations, or undo the newest
 */
const USAGE = 'usage: node src/main.ts start | migrate up|down';

async function main(argv: string[]): Promise<number> {
  const [command, arg] = argv;
  const config = loadConfig();
  const log = createLogger(config.logLevel, undefined, { pretty: process.stdout.isTTY === true });
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
  if (config.workers > 1 && cluster.isPrimary) return runPrimary(config.workers, log);

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
      api: `${base}/api/v1/products`,
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

/**
 * `WORKERS=n`: the primary forks n server processes sharing one port (node:cluster hands each
 * new connection to one of them). Nothing in a process's memory is the truth for more than one
 * request, so any worker can serve anything. The first worker starts alone, so migrations and
 * the admin account are set up once; the rest follow. A worker that dies is replaced; SIGTERM is
 * passed on to every worker, each finishes its requests in flight, and the primary exits last.
 */
function runPrimary(workers: number, log: Logger): number {
  let stopping = false;
  let failed = false;
  let listening = false;
  const fork = () => {
    const worker = cluster.fork();
    worker.on('exit', (code, signal) => {
      if (stopping) {
        if (code !== 0) failed = true;
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(failed ? 1 : 0);
        return;
      }
      if (!listening) {
        // the first worker could not start (configuration, database): so would the others
        log.error({ worker: worker.id, code, signal }, 'the first worker failed to start');
        process.exit(1);
      }
      log.error({ worker: worker.id, code, signal }, 'worker exited; starting another');
      setTimeout(fork, 1000).unref();
    });
    return worker;
  };
  const first = fork();
  first.once('listening', () => {
    listening = true;
    for (let i = 1; i < workers; i++) fork();
    log.info({ workers }, 'all workers started');
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: every worker finishes its requests in flight');
    const alive = Object.values(cluster.workers ?? {});
    if (alive.length === 0) process.exit(0);
    for (const worker of alive) worker?.process.kill('SIGTERM');
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return -1;
}
