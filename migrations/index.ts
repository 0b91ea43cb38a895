import type { Migration } from 'kysely';
import { migration as core } from './0001_core.ts';

/** Every migration, in order. A new one is a new numbered file added here. */
export const migrations: Record<string, Migration> = {
  '0001_core': core,
};
