import { sql } from 'kysely';
import type { Db } from '../db.ts';
import { takeLock } from '../locks.ts';
import { likePattern } from '../pagination.ts';
import type { Account, AddressFields, Role, SavedAddress } from './model.ts';
import type { StaffRole } from './permissions.ts';

const columns = ['id', 'email', 'name', 'phone', 'role', 'staff_role as staffRole'] as const;

export interface AccountWithHash extends Account {
  /** null for a guest, and for a staff member who has not taken their invitation yet */
  password_hash: string | null;
  token_version: number;
  deactivated: boolean;
}

export function findByEmail(db: Db, email: string): Promise<AccountWithHash | undefined> {
  return db
    .selectFrom('account')
    .select([...columns, 'password_hash', 'token_version'])
    .select(sql<boolean>`deactivated_at is not null`.as('deactivated'))
    .where('email', '=', email)
    .executeTakeFirst();
}

export interface SessionRow {
  email: string;
  role: Role;
  staff_role: StaffRole | null;
  token_version: number;
  deactivated: boolean;
}

/** The one read each authenticated request makes: by primary key. */
export function findSession(db: Db, id: string): Promise<SessionRow | undefined> {
  return db
    .selectFrom('account')
    .select(['email', 'role', 'staff_role', 'token_version'])
    .select(sql<boolean>`deactivated_at is not null`.as('deactivated'))
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findLinkStates(
  db: Db,
  ids: readonly string[],
): Promise<Array<{ id: string; role: Account['role']; token_version: number }>> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('account').select(['id', 'role', 'token_version']).where('id', 'in', ids).execute();
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
  account: {
    email: string;
    name: string;
    phone: string | null;
    role: Role;
    passwordHash: string;
    /** an admin's, and only an admin's */
    staffRole?: StaffRole;
  },
): Promise<Account | undefined> {
  return db
    .insertInto('account')
    .values({
      email: account.email,
      name: account.name,
      phone: account.phone,
      role: account.role,
      staff_role: account.staffRole ?? null,
      password_hash: account.passwordHash,
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .returning(columns)
    .executeTakeFirst();
}

/**
 * Creates the configured admin as an owner, or makes the account an active owner with this
 * password and revokes its tokens.
 */
export function upsertAdmin(db: Db, email: string, name: string, passwordHash: string): Promise<Account> {
  return db
    .insertInto('account')
    .values({ email, name, phone: null, role: 'admin', staff_role: 'owner', password_hash: passwordHash })
    .onConflict((oc) =>
      oc.column('email').doUpdateSet((eb) => ({
        role: 'admin',
        staff_role: 'owner',
        deactivated_at: null,
        password_hash: passwordHash,
        token_version: eb('account.token_version', '+', 1),
        updated_at: new Date(),
      })),
    )
    .returning(columns)
    .executeTakeFirstOrThrow();
}

type GuestRow = { id: string; email: string; role: Role; token_version: number };

/**
 * The account guest checkout places an order on: the existing guest account (its name becomes
 * the latest one given), a new guest account for an unknown email, or, for an email that has a
 * registered account, that account, unchanged. Of two checkouts making the account for one
 * email at once, the second's insert waits for the first and then finds its account.
 */
export async function upsertGuest(db: Db, email: string, name: string): Promise<GuestRow> {
  const returned = ['id', 'email', 'role', 'token_version'] as const;
  const touched = await db
    .updateTable('account')
    .set({ name, updated_at: new Date() })
    .where('email', '=', email)
    .where('role', '=', 'guest')
    .returning(returned)
    .executeTakeFirst();
  if (touched) return touched;
  const inserted = await db
    .insertInto('account')
    .values({ email, name, phone: null, role: 'guest', password_hash: null })
    .onConflict((oc) => oc.column('email').doNothing())
    .returning(returned)
    .executeTakeFirst();
  if (inserted) return inserted;
  return db.selectFrom('account').select(returned).where('email', '=', email).executeTakeFirstOrThrow();
}

/**
 * Makes a guest account a customer's: its password, its name, and a new token version (every
 * claim link and order link issued so far stops working). One conditional statement, so of two
 * claims with the same link only one succeeds; undefined when the account is no longer a guest
 * or the link's version is not the account's.
 */
export function claimGuest(
  db: Db,
  claim: { id: string; version: number; passwordHash: string; name: string },
): Promise<(Account & { token_version: number }) | undefined> {
  return db
    .updateTable('account')
    .set((eb) => ({
      role: 'customer',
      password_hash: claim.passwordHash,
      name: claim.name,
      token_version: eb('token_version', '+', 1),
      updated_at: new Date(),
    }))
    .where('id', '=', claim.id)
    .where('role', '=', 'guest')
    .where('token_version', '=', claim.version)
    .returning([...columns, 'token_version'])
    .executeTakeFirst();
}

export function passwordHashOf(
  db: Db,
  id: string,
): Promise<{ email: string; password_hash: string | null } | undefined> {
  return db.selectFrom('account').select(['email', 'password_hash']).where('id', '=', id).executeTakeFirst();
}

/** Moves the account's token version on (every token issued so far stops working); the new version. */
export async function revokeTokens(db: Db, id: string, passwordHash?: string): Promise<number | undefined> {
  const row = await db
    .updateTable('account')
    .set((eb) => ({
      token_version: eb('token_version', '+', 1),
      updated_at: new Date(),
      ...(passwordHash !== undefined && { password_hash: passwordHash }),
    }))
    .where('id', '=', id)
    .returning('token_version')
    .executeTakeFirst();
  return row?.token_version;
}

export function updateProfile(
  db: Db,
  id: string,
  changes: { name?: string; phone?: string | null },
): Promise<Account | undefined> {
  return db
    .updateTable('account')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirst();
}

// ---------------------------------------------------------------- password reset links

export async function insertPasswordReset(
  db: Db,
  reset: { accountId: string; tokenHash: string; ttlSeconds: number },
): Promise<string> {
  const row = await db
    .insertInto('password_reset')
    .values({
      account_id: reset.accountId,
      token_hash: reset.tokenHash,
      expires_at: sql<Date>`now() + ${reset.ttlSeconds} * interval '1 second'`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Uses up a reset link, if it is unused and unexpired: one statement, so two requests with the
 * same link cannot both succeed. Every other open link of the account is used up with it.
 */
export async function consumePasswordReset(db: Db, tokenHash: string): Promise<string | undefined> {
  const row = await db
    .updateTable('password_reset')
    .set({ used_at: sql<Date>`now()` })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning('account_id')
    .executeTakeFirst();
  if (!row) return undefined;
  await db
    .updateTable('password_reset')
    .set({ used_at: sql<Date>`now()` })
    .where('account_id', '=', row.account_id)
    .where('used_at', 'is', null)
    .execute();
  return row.account_id;
}

// ---------------------------------------------------------------- sign-in throttle

/** Seconds until `email` may try to sign in again; 0 when it may now. */
export async function loginWait(
  db: Db,
  email: string,
): Promise<{ seconds: number; failures: number } | undefined> {
  const row = await db
    .selectFrom('login_throttle')
    .select([
      'failures',
      sql<number>`greatest(0, ceil(extract(epoch from (blocked_until - now()))))::int`.as('seconds'),
    ])
    .where('email', '=', email)
    .executeTakeFirst();
  return row && { seconds: Number(row.seconds ?? 0), failures: row.failures };
}

/** Counts a failed sign-in; returns the failures so far. */
export async function recordLoginFailure(db: Db, email: string): Promise<number> {
  const row = await db
    .insertInto('login_throttle')
    .values({ email, failures: 1 })
    .onConflict((oc) =>
      oc.column('email').doUpdateSet((eb) => ({
        failures: eb('login_throttle.failures', '+', 1),
        updated_at: new Date(),
      })),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  return row.failures;
}

export async function delayLogins(db: Db, email: string, seconds: number): Promise<void> {
  await db
    .updateTable('login_throttle')
    .set({ blocked_until: sql<Date>`now() + ${seconds} * interval '1 second'` })
    .where('email', '=', email)
    .execute();
}

export async function clearLoginFailures(db: Db, email: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('email', '=', email).execute();
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

// ---------------------------------------------------------------- saved addresses

const addressColumns = [
  'id',
  'label',
  'recipient',
  'phone',
  'street',
  'city',
  'state',
  'zip',
  'country',
] as const;

export function listAddresses(db: Db, accountId: string): Promise<SavedAddress[]> {
  return db
    .selectFrom('account_address')
    .select(addressColumns)
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Inserts unless the account already has `max` addresses (one statement: two at once cannot both pass). */
export function insertAddress(
  db: Db,
  accountId: string,
  address: AddressFields,
  max: number,
): Promise<SavedAddress | undefined> {
  return db
    .insertInto('account_address')
    .columns(['account_id', 'label', 'recipient', 'phone', 'street', 'city', 'state', 'zip', 'country'])
    .expression(
      db
        .selectNoFrom((eb) => [
          eb.val(accountId).as('account_id'),
          eb.val(address.label).as('label'),
          eb.val(address.recipient).as('recipient'),
          eb.val(address.phone).as('phone'),
          eb.val(address.street).as('street'),
          eb.val(address.city).as('city'),
          eb.val(address.state).as('state'),
          eb.val(address.zip).as('zip'),
          eb.val(address.country).as('country'),
        ])
        .where(
          (eb) =>
            eb
              .selectFrom('account_address')
              .select(eb.fn.countAll().as('n'))
              .where('account_id', '=', accountId),
          '<',
          max,
        ),
    )
    .returning(addressColumns)
    .executeTakeFirst();
}

export function updateAddress(
  db: Db,
  accountId: string,
  id: string,
  address: AddressFields,
): Promise<SavedAddress | undefined> {
  return db
    .updateTable('account_address')
    .set({ ...address, updated_at: new Date() })
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .returning(addressColumns)
    .executeTakeFirst();
}

export async function deleteAddress(db: Db, accountId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('account_address')
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

// ---------------------------------------------------------------- the admin's customer directory

export interface AccountCard extends Account {
  created_at: Date;
}

/** Accounts by id with when they signed up; unknown ids are simply absent. */
export function cardsByIds(db: Db, ids: readonly string[]): Promise<AccountCard[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('account')
    .select([...columns, 'created_at'])
    .where(sql<boolean>`id = any(${[...ids]}::uuid[])`)
    .execute();
}

/** Ids of the accounts whose name or email contains `search`, case-insensitive. */
export async function idsMatching(db: Db, search: string): Promise<string[]> {
  const pattern = likePattern(search);
  const rows = await db
    .selectFrom('account')
    .select('id')
    .where((eb) => eb.or([eb('name', 'ilike', pattern), eb('email', 'ilike', pattern)]))
    .execute();
  return rows.map((r) => r.id);
}

/** Ids of the accounts whose name contains `search`, case-insensitive (emails are on orders). */
export async function idsNamed(db: Db, search: string): Promise<string[]> {
  const rows = await db
    .selectFrom('account')
    .select('id')
    .where('name', 'ilike', likePattern(search))
    .execute();
  return rows.map((r) => r.id);
}

// ---------------------------------------------------------------- staff

export interface StaffRow {
  id: string;
  email: string;
  name: string;
  staffRole: StaffRole;
  /** no password chosen yet: the invitation has not been taken */
  invited: boolean;
  created_at: Date;
  deactivated_at: Date | null;
}

function staffQuery(db: Db) {
  return db
    .selectFrom('account')
    .select(['id', 'email', 'name', 'created_at', 'deactivated_at'])
    .select(sql<StaffRole>`staff_role`.as('staffRole'))
    .select(sql<boolean>`password_hash is null`.as('invited'))
    .where('role', '=', 'admin');
}

/** Every staff member, the oldest first (there are a handful, never pages of them). */
export function listStaff(db: Db): Promise<StaffRow[]> {
  return staffQuery(db).orderBy('created_at').orderBy('id').execute();
}

export function findStaff(db: Db, id: string): Promise<StaffRow | undefined> {
  return staffQuery(db).where('id', '=', id).executeTakeFirst();
}

/**
 * Locks the active owners' rows, in id order, and returns their ids: every change that could
 * take away an owner takes this first, so two such changes run one after the other and the
 * second sees what the first did (ADR 0031).
 */
export async function lockActiveOwners(trx: Db): Promise<string[]> {
  takeLock(trx, 'staff');
  const rows = await trx
    .selectFrom('account')
    .select('id')
    .where('staff_role', '=', 'owner')
    .where('deactivated_at', 'is', null)
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map((r) => r.id);
}

/** A new staff member without a password, or undefined when the email has an account already. */
export function insertStaff(
  db: Db,
  member: { email: string; name: string; staffRole: StaffRole },
): Promise<{ id: string; token_version: number } | undefined> {
  return db
    .insertInto('account')
    .values({
      email: member.email,
      name: member.name,
      phone: null,
      role: 'admin',
      staff_role: member.staffRole,
      password_hash: null,
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .returning(['id', 'token_version'])
    .executeTakeFirst();
}

export async function setStaffRole(db: Db, id: string, staffRole: StaffRole): Promise<void> {
  await db
    .updateTable('account')
    .set({ staff_role: staffRole, updated_at: new Date() })
    .where('id', '=', id)
    .where('role', '=', 'admin')
    .execute();
}

/**
 * Deactivates and moves the token version on, so every session of theirs ends at once, and uses
 * up their open reset and invitation links, so that none sent before works after a reactivation.
 */
export async function deactivateStaff(db: Db, id: string): Promise<void> {
  await db
    .updateTable('password_reset')
    .set({ used_at: sql<Date>`now()` })
    .where('account_id', '=', id)
    .where('used_at', 'is', null)
    .execute();
  await db
    .updateTable('account')
    .set((eb) => ({
      deactivated_at: new Date(),
      token_version: eb('token_version', '+', 1),
      updated_at: new Date(),
    }))
    .where('id', '=', id)
    .where('role', '=', 'admin')
    .where('deactivated_at', 'is', null)
    .execute();
}

/**
 * Lets a deactivated member sign in again; false when they were not deactivated. The token version
 * stays: the sessions their deactivation ended stay ended.
 */
export async function reactivateStaff(db: Db, id: string): Promise<boolean> {
  const row = await db
    .updateTable('account')
    .set({ deactivated_at: null, updated_at: new Date() })
    .where('id', '=', id)
    .where('role', '=', 'admin')
    .where('deactivated_at', 'is not', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
