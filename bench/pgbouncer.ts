import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Debian's PgBouncer (`apt-get install pgbouncer`). */
export const PGBOUNCER = '/usr/sbin/pgbouncer';

export interface PgBouncer {
  /** `directUrl` with the pooler's port: the same database, user and name, through PgBouncer */
  url: string;
  output: string[];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Starts PgBouncer in transaction mode in front of one database on a free loopback port, as
 * docs/production.md describes it, with `poolSize` server connections. Authentication is
 * `trust`, as the local test server's; PgBouncer still wants the user listed in its auth_file.
 * It refuses to run as root, so as root it is told to drop to the `postgres` account (`-u`)
 * once it has read its files.
 */
export async function startPgBouncer(directUrl: string, poolSize: number): Promise<PgBouncer> {
  const direct = new URL(directUrl);
  const name = direct.pathname.slice(1);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'orderly-pgbouncer-'));
  writeFileSync(join(dir, 'users.txt'), `"${direct.username}" ""\n`, { mode: 0o644 });
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `${name} = host=${direct.hostname} port=${direct.port || 5432} dbname=${name} user=${direct.username}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(dir, 'users.txt')}`,
      'pool_mode = transaction',
      `default_pool_size = ${poolSize}`,
      'max_client_conn = 1000',
      'ignore_startup_parameters = extra_float_digits',
    ].join('\n'),
    { mode: 0o644 },
  );
  const asRoot = process.getuid?.() === 0;
  const child = spawn(PGBOUNCER, [...(asRoot ? ['-u', 'postgres'] : []), join(dir, 'pgbouncer.ini')], {
    env: { PATH: process.env['PATH'] },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const pooled = new URL(directUrl);
  pooled.port = String(port);
  const url = pooled.toString();
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      break;
    } catch {
      await client.end().catch(() => {});
      if (child.exitCode !== null || i > 100) {
        await stop();
        throw new Error(`PgBouncer did not start: ${output.join('')}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { url, output, stop };
}
