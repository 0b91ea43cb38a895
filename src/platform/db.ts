import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import {
  CompiledQuery,
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
  type DatabaseConnection,
  type Dialect,
  type LogEvent,
  type Driver,
  type QueryResult,
  type RawBuilder,
  type Transaction,
  type TransactionBuilder,
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

/** `now() + ms`, computed by the database so every instance shares one clock. */
export const nowPlusMs = (ms: number) =>
  sql<Date>`now() + ${Math.max(0, Math.round(ms))} * interval '1 millisecond'`;

/**
 * Work to do at the end of a transaction, in it, after its callback and before COMMIT (the outbox
 * writes all the events a transaction appended with one INSERT there), and work to do once it
 * has committed (the outbox tells this process's dispatcher, relay and live updates at once).
 */
interface TransactionHooks {
  root: Db;
  beforeCommit: Array<() => Promise<void>>;
  afterCommit: Array<() => void>;
}
const transactionHooks = new WeakMap<object, TransactionHooks>();

/**
 * Runs `hook` at the end of `trx`, before it commits. False when `trx` is not a transaction
 * opened with `db.transaction().execute(…)` on a database from `openDatabase`; the caller then
 * does its work at once.
 */
export function beforeCommit(trx: Db, hook: () => Promise<void>): boolean {
  const hooks = transactionHooks.get(trx);
  hooks?.beforeCommit.push(hook);
  return hooks !== undefined;
}

/** Runs `hook` once `trx` has committed (never if it rolls back); false as for `beforeCommit`. */
export function afterCommit(trx: Db, hook: () => void): boolean {
  const hooks = transactionHooks.get(trx);
  hooks?.afterCommit.push(hook);
  return hooks !== undefined;
}

/**
 * A context's share of a statement that another context sends (ADR 0042): its
 * CTEs, written in its own store against its own tables, and one column of the statement's
 * result, which `done` reads once the statement has run. It lets a transaction's writes in
 * several contexts go to PostgreSQL as one statement without one context writing another's SQL.
 */
export interface StatementPart {
  ctes: readonly RawBuilder<unknown>[];
  column: RawBuilder<unknown>;
  done(value: unknown): void;
}

/** The database a transaction belongs to (itself for a database). */
export function rootOf(db: Db): Db {
  return transactionHooks.get(db)?.root ?? db;
}

/** Kysely whose transactions run their `beforeCommit` and `afterCommit` hooks. */
class OrderlyKysely<DB> extends Kysely<DB> {
  override transaction(): TransactionBuilder<DB> {
    const builder = super.transaction();
    const execute = builder.execute.bind(builder);
    builder.execute = async <T>(callback: (trx: Transaction<DB>) => Promise<T>): Promise<T> => {
      const hooks: TransactionHooks = { root: this as unknown as Db, beforeCommit: [], afterCommit: [] };
      const result = await execute(async (trx) => {
        transactionHooks.set(trx, hooks);
        try {
          const value = await callback(trx);
          for (let i = 0; i < hooks.beforeCommit.length; i++) await hooks.beforeCommit[i]?.();
          return value;
        } finally {
          transactionHooks.delete(trx);
        }
      });
      for (const hook of hooks.afterCommit) hook();
      return result;
    };
    return builder;
  }
}

export interface DatabaseHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  /**
   * For work that holds one session across statements (a session advisory lock): `db` itself,
   * or, behind a pooler in transaction mode, a small pool straight to PostgreSQL (`directUrl`).
   */
  session: Db;
  /** Subscribe to a NOTIFY channel; on PostgreSQL this holds one dedicated connection. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** PGlite only: its data directory as a tarball, to start another database from (`loadDataDir`) */
  snapshot?(): Promise<Blob>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url?: string | undefined;
  /** folder for PGlite's files; `memory://` keeps everything in memory (tests) */
  dataDir: string;
  /** PGlite: start from this saved data directory instead of running initdb (the tests' template) */
  loadDataDir?: Blob | undefined;
  poolSize?: number;
  /**
   * PostgreSQL: send statements with parameters as named prepared statements, so the server
   * parses and plans each distinct statement once per connection instead of on every call.
   * Off for a pooler in transaction mode that cannot keep them (PgBouncer before 1.21).
   */
  preparedStatements?: boolean;
  /**
   * PostgreSQL itself when `url` is a pooler in transaction mode: LISTEN and session locks go
   * there, since the pooler hands the next transaction another server connection.
   */
  directUrl?: string | undefined;
  /** sees every statement sent, for counting round trips in the benchmark */
  onQuery?: (sql: string) => void;
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  return options.url ? openPostgres(options.url, options) : openPGlite(options);
}

const INT8_OID = 20;

function postgresPool(url: string, max: number, preparedStatements: boolean): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
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
  pool.on('connect', (client) => {
    // A connection lost while checked out (between the statements of a transaction) is reported
    // to the query that uses it next; as an event with no listener it would end the process.
    client.on('error', () => {});
    if (preparedStatements) prepareRepeatedStatements(client);
  });
  return pool;
}

function openPostgres(url: string, options: DatabaseOptions): DatabaseHandle {
  const log = options.onQuery ? (event: LogEvent) => options.onQuery?.(event.query.sql) : undefined;
  const db = new OrderlyKysely<Database>({
    dialect: new PostgresDialect({
      pool: postgresPool(url, options.poolSize ?? 20, options.preparedStatements ?? true),
    }),
    log,
  });
  const direct = options.directUrl;
  // two: the relay's lock needs one session, and a second keeps a stalled one from blocking it
  const session = direct
    ? new OrderlyKysely<Database>({
        dialect: new PostgresDialect({ pool: postgresPool(direct, 2, false) }),
        log,
      })
    : db;
  const listenUrl = direct ?? url;
  return {
    db,
    session,
    kind: 'postgres',
    listen: sharedListener(listenUrl),
    async close() {
      await db.destroy();
      if (session !== db) await session.destroy();
    },
  };
}

/**
 * Kysely sends `client.query(text, values)`; a statement with parameters goes out instead as a
 * named one, the name fixed per text for the life of the process, so `pg` parses it once per
 * connection and then only binds and executes it. Statements without parameters (BEGIN, COMMIT,
 * DDL) stay unnamed. The names are capped so an unbounded variety of texts cannot grow without end.
 */
const statementNames = new Map<string, string>();
const MAX_NAMED_STATEMENTS = 5000;

function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `orderly_${statementNames.size}`;
    statementNames.set(text, name);
  }
  return name;
}

function prepareRepeatedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (config: unknown, values?: unknown, callback?: unknown) => {
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0 && callback === undefined) {
      const name = statementName(config);
      if (name) return query({ name, text: config, values });
    }
    return callback === undefined ? query(config, values) : query(config, values, callback);
  };
}

/**
 * `listen` on PostgreSQL: one connection per handle, LISTENing on every channel someone
 * subscribed to, however many there are. It outlives a server restart: when it ends, it
 * reconnects (every half second until the server is back) and listens again. What was notified
 * in between is lost, which each subscriber tolerates (the outbox also polls; caches expire).
 * Subscribing and unsubscribing run one at a time, so the channels and the connection agree.
 */
function sharedListener(url: string): DatabaseHandle['listen'] {
  const subscribers = new Map<string, Set<(payload: string) => void>>();
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const done = queue.then(work);
    queue = done.catch(() => {});
    return done;
  };
  const listenOn = (c: pg.Client, channel: string) => c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
  const connect = async () => {
    const c = new pg.Client({ connectionString: url });
    c.on('error', () => {});
    c.on('notification', (msg) => {
      if (msg.payload === undefined) return;
      for (const onPayload of subscribers.get(msg.channel) ?? []) onPayload(msg.payload);
    });
    c.once('end', () => {
      // only a connection that was listening is replaced; a failed attempt is retried below
      if (client !== c) return;
      client = null;
      reconnect();
    });
    try {
      await c.connect();
      for (const channel of subscribers.keys()) await listenOn(c, channel);
    } catch (error) {
      await c.end().catch(() => {});
      throw error;
    }
    client = c;
  };
  const reconnect = () => {
    if (retry || subscribers.size === 0) return;
    retry = setTimeout(() => {
      retry = null;
      serially(async () => {
        if (!client && subscribers.size > 0) await connect();
      }).catch(reconnect);
    }, 500);
    retry.unref();
  };
  return (channel, onPayload) =>
    serially(async () => {
      const known = subscribers.get(channel);
      subscribers.set(channel, new Set([...(known ?? []), onPayload]));
      try {
        if (!client) await connect();
        else if (!known) await listenOn(client, channel);
      } catch (error) {
        subscribers.get(channel)?.delete(onPayload);
        if (subscribers.get(channel)?.size === 0) subscribers.delete(channel);
        throw error;
      }
      return () =>
        serially(async () => {
          const current = subscribers.get(channel);
          current?.delete(onPayload);
          if (current?.size !== 0) return;
          subscribers.delete(channel);
          if (subscribers.size > 0) {
            await client?.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => {});
            return;
          }
          if (retry) clearTimeout(retry);
          retry = null;
          const last = client;
          client = null;
          await last?.end().catch(() => {});
        });
    });
}

async function openPGlite(options: DatabaseOptions): Promise<DatabaseHandle> {
  // pg_trgm serves the admin's "contains" searches (migration 0027), as on PostgreSQL
  const client = await PGlite.create(options.dataDir, {
    loadDataDir: options.loadDataDir,
    extensions: { pg_trgm },
  });
  const db = new OrderlyKysely<Database>({
    dialect: pgliteDialect(client),
    log: options.onQuery ? (event) => options.onQuery?.(event.query.sql) : undefined,
  });
  return {
    db,
    session: db,
    kind: 'pglite',
    async listen(channel, onPayload) {
      return client.listen(channel, onPayload);
    },
    async snapshot() {
      const tarball = await client.dumpDataDir('none');
      return new Blob([await tarball.arrayBuffer()]);
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

/**
 * The SQLSTATE of a database error (`23505` unique, `23503` foreign key) and the constraint it
 * names, from pg and PGlite alike, so a store can turn a refused write into a clear 4xx.
 */
export function databaseError(error: unknown): { code: string; constraint: string | undefined } | null {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string') return null;
  const constraint =
    'constraint' in error && typeof error.constraint === 'string' ? error.constraint : undefined;
  return { code: error.code, constraint };
}
