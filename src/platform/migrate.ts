import { Migrator, type MigrationResultSet } from 'kysely';
import { migrations } from '../../migrations/index.ts';
import type { Db } from './db.ts';

function migrator(db: Db): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

function unwrap(result: MigrationResultSet): string[] {
  if (result.error) throw result.error;
  return (result.results ?? []).map((r) => `${r.direction} ${r.migrationName}: ${r.status}`);
}

/** Brings the schema to the newest migration; safe to run from several processes at once. */
export async function migrateUp(db: Db): Promise<string[]> {
  return unwrap(await migrator(db).migrateToLatest());
}

/** Undoes the newest migration. */
export async function migrateDown(db: Db): Promise<string[]> {
  return unwrap(await migrator(db).migrateDown());
}
