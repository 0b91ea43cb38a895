import { randomBytes } from 'node:crypto';
import type { Db } from '../db.ts';
import { AppError, badRequest, conflict } from '../errors.ts';
import { hashPassword, normalizeEmail, passwordWeakness, verifyPassword, type Account } from './model.ts';
import * as store from './store.ts';
import type { AuthUser } from './model.ts';
import type { TokenService } from './tokens.ts';

export interface Session {
  token: string;
  user: Account;
}

// Compared against when the email is unknown, so a wrong email takes as long as a wrong password.
const DUMMY_HASH = hashPassword('orderly-timing-equaliser');

/**
 * The token signing key when `JWT_SECRET` is not set (never in production): 48 random bytes made
 * on the first start and kept in the database, so tokens survive a restart, every instance on
 * one database agrees, and nobody can forge a token from reading the source.
 */
export function signingSecret(db: Db): Promise<string> {
  return store.ensureSecret(db, 'jwt_signing_key', randomBytes(48).toString('base64url'));
}

export class AuthService {
  readonly #db: Db;
  readonly #tokens: TokenService;

  constructor(db: Db, tokens: TokenService) {
    this.#db = db;
    this.#tokens = tokens;
  }

  async register(input: {
    email: string;
    password: string;
    name: string;
    phone?: string | undefined;
  }): Promise<Session> {
    const weakness = passwordWeakness(input.password);
    if (weakness) {
      throw badRequest('weak_password', `The password ${weakness}.`, {
        issues: [{ path: 'body.password', message: weakness }],
      });
    }
    const account = await store.insert(this.#db, {
      email: normalizeEmail(input.email),
      name: input.name.trim(),
      phone: input.phone?.trim() || null,
      role: 'customer',
      passwordHash: await hashPassword(input.password),
    });
    if (!account)
      throw conflict('email_taken', 'An account with this email already exists. Sign in instead.');
    return this.#session(account, 1);
  }

  /**
   * The account a bearer token proves, or null: the signature and expiry are checked, then the
   * account is read by its primary key, so a deleted account, a changed role or a revoked
   * token (an older `token_version`) counts from the next request on.
   */
  async authenticate(token: string): Promise<AuthUser | null> {
    const claims = await this.#tokens.verify(token);
    if (!claims) return null;
    const account = await store.findSession(this.#db, claims.accountId);
    if (!account || account.token_version !== claims.version) return null;
    return { id: claims.accountId, email: account.email, role: account.role };
  }

  async login(input: { email: string; password: string }): Promise<Session> {
    const account = await store.findByEmail(this.#db, normalizeEmail(input.email));
    const valid = await verifyPassword(input.password, account?.password_hash ?? (await DUMMY_HASH));
    if (!account || !valid) throw new AppError(401, 'invalid_credentials', 'The email or password is wrong.');
    const { password_hash: _hash, token_version: version, ...user } = account;
    return this.#session(user, version);
  }

  async me(id: string): Promise<Account> {
    const account = await store.findById(this.#db, id);
    if (!account) throw new AppError(401, 'invalid_token', 'Your account no longer exists.');
    return account;
  }

  accounts(ids: readonly string[]): Promise<Account[]> {
    return store.findManyByIds(this.#db, ids);
  }

  account(id: string): Promise<Account | undefined> {
    return store.findById(this.#db, id);
  }

  /** Creates the admin from configuration, or resets its password: run at every start. */
  async ensureAdmin(email: string, password: string): Promise<Account> {
    return store.upsertAdmin(this.#db, normalizeEmail(email), 'Administrator', await hashPassword(password));
  }

  async #session(user: Account, version: number): Promise<Session> {
    return { token: await this.#tokens.issue({ accountId: user.id, version }), user };
  }
}
