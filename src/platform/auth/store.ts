import type { Db } from '../db.ts';
import type { Account, Role } from './model.ts';

const columns = ['id', 'email', 'name', 'phone', 'role'] as const;

export interface AccountWithHash extends Account {
  password_hash: string;
  token_version: number;
}

export function findByEmail(db: Db, email: string): Promise<AccountWithHash | undefined> {
  return db
    .selectFrom('account')
    .select([...columns, 'password_hash', 'token_version'])
    .where('email', '=', email)
    .executeTakeFirst();
}

/** The one read each authenticated request makes: by primary key. */
export function findSession(
  db: Db,
  id: string,
): Promise<{ email: string; role: Role; token_version: number } | undefined> {
  return db
    .selectFrom('account')
    .select(['email', 'role', 'token_version'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findById(db: Db, id: string): Promise<Account | undefined> {
  return db.selectFrom('account').select(columns).where('id', '=', id).executeTakeFirst();
}

export function findManyByIds(db: Db, ids: readonly string[]): Promise<Account[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('account').select(columns).where('id', 'in', ids).execute();
}

/** Inserts, or returns undefined when the email is taken. */
export function insert(
  db: Db,
  account: { email: string; name: string; phone: string | null; role: Role; passwordHash: string },
): Promise<Account | undefined> {
  return db
    .insertInto('account')
    .values({
      email: account.email,
      name: account.name,
      phone: account.phone,
      role: account.role,
      password_hash: account.passwordHash,
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .returning(columns)
    .executeTakeFirst();
}

export function upsertAdmin(db: Db, email: string, name: string, passwordHash: string): Promise<Account> {
  return db
    .insertInto('account')
    .values({ email, name, phone: null, role: 'admin', password_hash: passwordHash })
    .onConflict((oc) =>
      oc.column('email').doUpdateSet({ role: 'admin', password_hash: passwordHash, updated_at: new Date() }),
    )
    .returning(columns)
    .executeTakeFirstOrThrow();
}

/**
 * The secret called `name`, made from `candidate` the first time: whichever instance inserts
 * first wins, and every instance reads back the same value.
 */
export async function ensureSecret(db: Db, name: string, candidate: string): Promise<string> {
  await db
    .insertInto('app_secret')
    .values({ name, value: candidate })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('app_secret')
    .select('value')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.value;
}
