/**
 * `npm test`'s one-time setup (`node --test-global-setup`): one database with every migration
 * applied, for each test file's app to start from instead of migrating its own, a hundred times
 * a run. On PostgreSQL it is a template database (`create database … template`); on PGlite a
 * saved data directory, beside an empty cluster's for the databases a test asks for blank. The
 * teardown removes them. A file run on its own (`node --test file`) finds none and makes its
 * database from scratch, as does every blank one a test asks for on PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DatabaseHandle } from '../src/platform/db.ts';
import { migrateUp } from '../src/platform/migrate.ts';
import { createTestDatabase, EMPTY_CLUSTER, MIGRATED_TEMPLATE } from './helpers.ts';

const serverUrl = process.env['TEST_DATABASE_URL'];

export async function globalSetup(): Promise<void> {
  const database = await createTestDatabase();
  if (serverUrl) {
    await migrateUp(database.handle.db);
    await database.handle.close();
    // the migrated database itself becomes the template, under a name that says what it is
    const name = `orderly_test_template_${randomBytes(6).toString('hex')}`;
    await adminQuery(`alter database ${new URL(database.url ?? '').pathname.slice(1)} rename to ${name}`);
    process.env[MIGRATED_TEMPLATE] = name;
    return;
  }
  process.env[EMPTY_CLUSTER] = await save(database.handle, 'empty');
  await migrateUp(database.handle.db);
  process.env[MIGRATED_TEMPLATE] = await save(database.handle, 'migrated');
  await database.drop();
}

export async function globalTeardown(): Promise<void> {
  const template = process.env[MIGRATED_TEMPLATE];
  if (serverUrl && template) await adminQuery(`drop database if exists ${template} with (force)`);
  for (const saved of serverUrl ? [] : [template, process.env[EMPTY_CLUSTER]]) {
    if (saved) await rm(saved, { force: true });
  }
}

async function save(handle: DatabaseHandle, what: string): Promise<string> {
  if (!handle.snapshot) throw new Error('a PGlite database can be saved');
  const file = join(tmpdir(), `orderly-test-${what}-${process.pid}.tar`);
  await writeFile(file, Buffer.from(await (await handle.snapshot()).arrayBuffer()));
  return file;
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
