import { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

/**
 * One Kysely over either an embedded PGlite (the default: nothing to install) or a PostgreSQL
 * server (`DATABASE_URL`). The same migrations and the same SQL run on both.
 *
 * Kysely's own Postgres adapter, compiler and introspector are used with a small driver over
 * PGlite's `query`, rather than a community dialect: `kysely-pglite` pulls a CLI and a code
 * generator in as runtime dependencies and `kysely-pglite-dialect` pins an older PGlite.
 */
export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Subscribe to a NOTIFY channel; on PostgreSQL this holds one dedicated connection. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url?: string | undefined;
  /** folder for PGlite's files; `memory://` keeps everything in memory (tests) */
  dataDir: string;
  poolSize?: number;
  /** sees every statement sent, for counting round trips in the benchmark */
  onQuery?: (sql: string) => void;
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  return options.url ? openPostgres(options.url, options) : openPGlite(options);
}

const INT8_OID = 20;

function openPostgres(url: string, options: DatabaseOptions): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 20,
    // counts and sums come back as int8; every value Orderly stores fits a JS number
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that loses its server (a restart) must not crash the process; the pool
  // discards it and the next query connects afresh.
  pool.on('error', () => {});
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: options.onQuery ? (event) => options.onQuery?.(event.query.sql) : undefined,
  });
  return {
    db,
    kind: 'postgres',
    async listen(channel, onPayload) {
      const client = new pg.Client({ connectionString: url });
      client.on('error', () => {});
      client.on('notification', (msg) => {
        if (msg.channel === channel && msg.payload !== undefined) onPayload(msg.payload);
      });
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      return async () => {
        await client.end().catch(() => {});
      };
    },
    async close() {
      await db.destroy();
    },
  };
}

async function openPGlite(options: DatabaseOptions): Promise<DatabaseHandle> {
  const client = await PGlite.create(options.dataDir);
  const db = new Kysely<Database>({
    dialect: pgliteDialect(client),
    log: options.onQuery ? (event) => options.onQuery?.(event.query.sql) : undefined,
  });
  return {
    db,
    kind: 'pglite',
    async listen(channel, onPayload) {
      return client.listen(channel, onPayload);
    },
    async close() {
      await db.destroy();
    },
  };
}

function pgliteDialect(client: PGlite): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new PGliteDriver(client),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
}

/**
 * PGlite has a single session, so a transaction must own it from BEGIN to COMMIT: connections
 * are handed out one at a time and everything else waits its turn.
 */
class PGliteDriver implements Driver {
  readonly #client: PGlite;
  #queue: Promise<void> = Promise.resolve();

  constructor(client: PGlite) {
    this.#client = client;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => (release = resolve));
    const previous = this.#queue;
    this.#queue = previous.then(() => turn);
    await previous;
    return new PGliteConnection(this.#client, release);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await connection.executeQuery(CompiledQuery.raw(`begin${isolation}`));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as PGliteConnection).release();
  }

  async destroy(): Promise<void> {
    await this.#queue;
    if (!this.#client.closed) await this.#client.close();
  }
}

class PGliteConnection implements DatabaseConnection {
  readonly #client: PGlite;
  readonly release: () => void;

  constructor(client: PGlite, release: () => void) {
    this.#client = client;
    this.release = release;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.#client.query<R>(compiled.sql, [...compiled.parameters]);
    return {
      rows: result.rows,
      numAffectedRows: result.affectedRows === undefined ? undefined : BigInt(result.affectedRows),
    };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported on PGlite');
  }
}
