/**
 * A real streaming replica on this machine (ADR 0032): a primary and its replica made for this
 * file with the PostgreSQL 15 tools, the app on both. With the replica's replay paused, what the
 * app reads from the replica cannot show a new write and what it reads from the primary must:
 * so the admin's list and a shopper's catalog prove they read the replica, and a shopper who has
 * just placed an order proves they still see it (read-your-writes).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { buildApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/platform/logger.ts';
import { ADMIN, onPostgres, orderBody } from './helpers.ts';
import { freePort } from './net.ts';

const BIN = '/usr/lib/postgresql/15/bin';

/** The PostgreSQL tools refuse to run as root: as root they run as the postgres user. */
function asPostgres(command: string, args: string[]): string {
  const root = process.getuid?.() === 0;
  return execFileSync(
    root ? 'runuser' : join(BIN, command),
    root ? ['-u', 'postgres', '--', join(BIN, command), ...args] : args,
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe(
  'a read replica',
  { skip: onPostgres ? false : 'needs PostgreSQL 15 (TEST_DATABASE_URL is unset)' },
  () => {
    const dir = onPostgres ? mkdtempSync(join(tmpdir(), 'orderly-replica-')) : '';
    const clusters: string[] = [];
    let primaryUrl = '';
    let replicaUrl = '';
    let app: App;

    const inject = async <T>(method: 'GET' | 'POST', url: string, token?: string, body?: object) => {
      const res = await app.server.inject({
        method,
        url,
        headers: token ? { authorization: `Bearer ${token}` } : {},
        ...(body && { payload: body }),
      });
      return { status: res.statusCode, body: JSON.parse(res.body) as T };
    };

    const start = async (name: string, port: number) => {
      const data = join(dir, name);
      asPostgres('pg_ctl', [
        '-D',
        data,
        '-l',
        join(dir, `${name}.log`),
        '-w',
        '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
        'start',
      ]);
      clusters.push(data);
    };

    before(async () => {
      // the clusters' files must belong to the user their servers run as
      if (process.getuid?.() === 0) {
        const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }));
        chownSync(dir, id('-u'), id('-g'));
      }
      const [primaryPort, replicaPort] = [await freePort(), await freePort()];
      // initdb's pg_hba lets local users replicate over 127.0.0.1 with trust
      asPostgres('initdb', ['-D', join(dir, 'primary'), '-U', 'postgres', '-A', 'trust', '--no-sync']);
      await start('primary', primaryPort);
      primaryUrl = `postgres://postgres@127.0.0.1:${primaryPort}/orderly`;
      await query(`postgres://postgres@127.0.0.1:${primaryPort}/postgres`, 'create database orderly');
      asPostgres('pg_basebackup', [
        '-h',
        '127.0.0.1',
        '-p',
        String(primaryPort),
        '-U',
        'postgres',
        '-D',
        join(dir, 'replica'),
        '-R',
        '-X',
        'stream',
        // a checkpoint at once, not one spread over minutes
        '--checkpoint=fast',
      ]);
      await start('replica', replicaPort);
      replicaUrl = `postgres://postgres@127.0.0.1:${replicaPort}/orderly`;
      await until('the replica to stream', async () => {
        const rows = await query<{ n: number }>(
          primaryUrl,
          `select count(*)::int as n from pg_stat_replication where state = 'streaming'`,
        );
        return rows[0]?.n === 1;
      });
      const config = loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        SEED_DEMO_DATA: 'false',
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256',
        DATABASE_URL: primaryUrl,
        DATABASE_READ_URL: replicaUrl,
        DATABASE_POOL_SIZE: '5',
        DATABASE_READ_STICKY_SECONDS: '600',
      });
      app = await buildApp(config, { background: false, logger: createLogger('silent') });
      await app.start();
    });

    after(async () => {
      await app?.close();
      for (const data of clusters.reverse()) asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    });

    const replayPaused = async (paused: boolean) => {
      await query(replicaUrl, paused ? 'select pg_wal_replay_pause()' : 'select pg_wal_replay_resume()');
      await until(`replay ${paused ? 'paused' : 'resumed'}`, async () => {
        const [row] = await query<{ state: string }>(
          replicaUrl,
          'select pg_get_wal_replay_pause_state() as state',
        );
        return paused ? row?.state === 'paused' : row?.state === 'not paused';
      });
    };
    const caughtUp = () =>
      until('the replica to catch up', async () => {
        const [primary] = await query<{ lsn: string }>(
          primaryUrl,
          'select pg_current_wal_lsn()::text as lsn',
        );
        const [done] = await query<{ ok: boolean }>(
          replicaUrl,
          `select pg_last_wal_replay_lsn() >= '${primary?.lsn}'::pg_lsn as ok`,
        );
        return done?.ok === true;
      });

    test('reads go to the replica, and a shopper sees the order they just placed', async () => {
      const admin = (await inject<{ token: string }>('POST', '/api/v1/auth/login', undefined, ADMIN)).body
        .token;
      const email = `shopper-${Date.now()}@example.com`;
      assert.equal(
        (
          await inject('POST', '/api/v1/auth/register', undefined, {
            email,
            password: 'correct horse battery',
            name: 'Sam',
          })
        ).status,
        202,
      );
      const login = await inject<{ token: string; user: { id: string } }>(
        'POST',
        '/api/v1/auth/login',
        undefined,
        { email, password: 'correct horse battery' },
      );
      const shopper = login.body;
      await caughtUp();

      await replayPaused(true);
      try {
        // written on the primary by no signed-in person: nobody's reads are held on the primary for it
        const product = await app.services.catalog.create({
          sku: 'REPLICA-1',
          name: 'Replica Mug',
          description: '',
          priceMinor: 1200,
          initialStock: 5,
        });
        const placed = await inject<{ id: string }>(
          'POST',
          '/api/v1/orders',
          shopper.token,
          orderBody(shopper.user.id, [{ productId: product.id, quantity: 1, price: 12 }]),
        );
        assert.equal(placed.status, 201, JSON.stringify(placed.body));

        // the shopper wrote: their order and their history come from the primary
        assert.equal((await inject('GET', `/api/v1/orders/${placed.body.id}`, shopper.token)).status, 200);
        const history = await inject<{ items: Array<{ id: string }> }>(
          'GET',
          '/api/v1/orders',
          shopper.token,
        );
        assert.deepEqual(
          history.body.items.map((o) => o.id),
          [placed.body.id],
        );

        // the admin and a signed-out shopper did not: they read the paused replica
        const listed = await inject<{ items: Array<{ id: string }> }>('GET', '/api/v1/admin/orders', admin);
        assert.equal(listed.status, 200);
        assert.deepEqual(listed.body.items, [], 'the admin list is read from the replica');
        const exported = await app.server.inject({
          method: 'GET',
          url: '/api/v1/admin/orders/export.csv',
          headers: { authorization: `Bearer ${admin}` },
        });
        assert.equal(
          exported.body.split('\r\n').filter(Boolean).length,
          1,
          'the export too: its header only',
        );
        const catalog = await inject<{ items: Array<{ id: string }> }>('GET', '/api/v1/products');
        assert.deepEqual(catalog.body.items, [], 'the catalog is read from the replica');
      } finally {
        await replayPaused(false);
      }
      await caughtUp();
      const listed = await inject<{ items: Array<{ id: string }> }>('GET', '/api/v1/admin/orders', admin);
      assert.equal(listed.body.items.length, 1, 'once replayed, the replica has the order');
      assert.equal((await inject<{ items: unknown[] }>('GET', '/api/v1/products')).body.items.length, 1);
    });
  },
);
