import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../db.ts';
import { AppError, badRequest, unprocessable } from '../errors.ts';
import {
  hashLinkToken,
  hashPassword,
  loginDelaySeconds,
  newLinkToken,
  normalizeEmail,
  passwordWeakness,
  verifyPassword,
  isSignedIn,
  type Account,
  type AccountEmail,
  type AuthUser,
  type SignedInAccount,
} from './model.ts';
import * as store from './store.ts';
import type { LinkClaims, TokenService } from './tokens.ts';

export interface Session {
  token: string;
  user: SignedInAccount;
}

/**
 * How the accounts side sends email: the notification context stores the message in the
 * transaction given, so it goes out once that commits (`NotificationService.sendAccountEmail`).
 */
export interface AccountMailer {
  sendAccountEmail(trx: Db, key: string, to: string, email: AccountEmail): Promise<void>;
}

export interface AuthServiceOptions {
  db: Db;
  tokens: TokenService;
  mailer: AccountMailer;
  /** the storefront's address, for links in emails */
  publicUrl: string;
  /** scrypt's cost for new hashes (`PASSWORD_HASH_COST`); the model's default when absent */
  passwordHashCost?: number | undefined;
}

/** A reset link works this long, once. */
export const PASSWORD_RESET_TTL_MINUTES = 30;

/** A link to finish creating an account from a guest one works this long, once. */
export const CLAIM_LINK_TTL_HOURS = 24;

/**
 * The token signing key when `JWT_SECRET` is not set (never in production): 48 random bytes made
 * on the first start and kept in the database, so tokens survive a restart, every instance on
 * one database agrees, and nobody can forge a token from reading the source.
 */
export function signingSecret(db: Db): Promise<string> {
  return store.ensureSecret(db, 'jwt_signing_key', randomBytes(48).toString('base64url'));
}

/** An account by id, read with the connection given (the notification context's contact lookup). */
export function accountOf(db: Db, id: string): Promise<Account | undefined> {
  return store.findById(db, id);
}

/** Accounts by id, read with the connection given (the outbox's subscribers read a batch at once). */
export async function accountsOf(db: Db, ids: readonly string[]): Promise<Map<string, Account>> {
  const accounts = await store.findManyByIds(db, [...new Set(ids)]);
  return new Map(accounts.map((a) => [a.id, a]));
}

/** What a link to an account's order needs to know of the account. */
export interface LinkState {
  role: Account['role'];
  version: number;
}

/**
 * What links to these accounts' orders need, read with the connection given (the notification
 * context renders a batch inside the outbox's dispatch transaction).
 */
export async function linkStatesOf(db: Db, ids: readonly string[]): Promise<Map<string, LinkState>> {
  const rows = await store.findLinkStates(db, [...new Set(ids)]);
  return new Map(rows.map((r) => [r.id, { role: r.role, version: r.token_version }]));
}

function assertStrong(password: string, personal: readonly string[], field = 'password'): void {
  const weakness = passwordWeakness(password, personal);
  if (!weakness) return;
  throw badRequest(
    'weak_password',
    `The ${field === 'password' ? 'password' : 'new password'} ${weakness.message}`,
    {
      issues: [{ path: `body.${field}`, message: weakness.message }],
      warning: weakness.warning,
      suggestions: weakness.suggestions,
    },
  );
}

/**
 * Sign-up, sign-in and the life of a session. A token is good while its account exists and its
 * `token_version` is the account's: signing out, a new password or a reset move the version on,
 * which signs the account out everywhere at once.
 */
export class AuthService {
  readonly #db: Db;
  readonly #tokens: TokenService;
  readonly #mailer: AccountMailer;
  readonly #publicUrl: string;
  readonly #cost: number | undefined;
  // Compared against when the email is unknown, so a wrong email takes as long as a wrong
  // password: made at the same cost as the real hashes.
  readonly #dummyHash: Promise<string>;

  constructor(options: AuthServiceOptions) {
    this.#db = options.db;
    this.#tokens = options.tokens;
    this.#mailer = options.mailer;
    this.#publicUrl = options.publicUrl.replace(/\/+$/, '');
    this.#cost = options.passwordHashCost;
    this.#dummyHash = hashPassword('orderly-timing-equaliser', this.#cost);
  }

  /**
   * Creates a customer account, or, when the email already has one, changes nothing and emails
   * its owner instead. Both answer the same, after one write each, so sign-up does not tell who
   * has an account; tokens come from `login`.
   */
  async register(input: {
    email: string;
    password: string;
    name: string;
    phone?: string | undefined;
  }): Promise<void> {
    const email = normalizeEmail(input.email);
    const name = input.name.trim();
    assertStrong(input.password, [email, name]);
    const passwordHash = await hashPassword(input.password, this.#cost);
    await this.#db.transaction().execute(async (trx) => {
      const account = await store.insert(trx, {
        email,
        name,
        phone: input.phone?.trim() || null,
        role: 'customer',
        passwordHash,
      });
      if (account) return;
      const existing = await store.findByEmail(trx, email);
      if (existing?.role === 'guest') {
        await this.#sendClaimLink(trx, existing);
        return;
      }
      await this.#mailer.sendAccountEmail(trx, randomUUID(), email, {
        template: 'account_signup_attempt',
        name: existing?.name ?? name,
        forgotPasswordUrl: `${this.#publicUrl}/forgot-password`,
      });
    });
  }

  /**
   * Failed attempts per email (whether it has an account or not) earn a delay that doubles each
   * time: while it runs, even the right password gets a 429 with Retry-After, and it ends by
   * itself, so the owner is slowed for at most `LOGIN_MAX_DELAY_SECONDS`, never locked out.
   */
  async login(input: { email: string; password: string }): Promise<Session> {
    const email = normalizeEmail(input.email);
    const throttle = await this.#checkThrottle(email);
    const account = await store.findByEmail(this.#db, email);
    const valid = await verifyPassword(input.password, account?.password_hash ?? (await this.#dummyHash));
    // a guest has no password: it is compared with the dummy hash like an unknown email, and
    // refused whatever was typed, with the same answer and the same time as a wrong password
    if (!account || account.password_hash === null || !valid || !isSignedIn(account)) {
      await this.#recordFailure(email);
      throw new AppError(401, 'invalid_credentials', 'The email or password is wrong.');
    }
    if (account.deactivated) {
      throw new AppError(
        401,
        'account_deactivated',
        "This staff account has been deactivated. Ask the shop's owner if you need access again.",
      );
    }
    if (throttle) await store.clearLoginFailures(this.#db, email);
    const { password_hash: _hash, token_version: version, deactivated: _deactivated, ...user } = account;
    return this.#session(user, version);
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
    if (!account || account.token_version !== claims.version || account.role === 'guest') return null;
    if (account.deactivated) return null;
    return { id: claims.accountId, email: account.email, role: account.role, staffRole: account.staff_role };
  }

  /** Signs the account out everywhere: every token issued so far stops working. */
  async logout(accountId: string): Promise<void> {
    await store.revokeTokens(this.#db, accountId);
  }

  /** Needs the current password; signs out every other session and returns a new one for this. */
  async changePassword(accountId: string, current: string, next: string): Promise<Session> {
    const account = await store.passwordHashOf(this.#db, accountId);
    if (!account) throw new AppError(401, 'invalid_token', 'Your account no longer exists.');
    await this.#checkThrottle(account.email);
    if (account.password_hash === null || !(await verifyPassword(current, account.password_hash))) {
      await this.#recordFailure(account.email);
      throw unprocessable('wrong_password', 'The current password is wrong.', {
        issues: [{ path: 'body.currentPassword', message: 'is wrong' }],
      });
    }
    const profile = await this.me(accountId);
    assertStrong(next, [profile.email, profile.name], 'newPassword');
    return this.#setPassword(accountId, next);
  }

  /**
   * Emails a single-use link to choose a new password, if the email has an account; answers the
   * same either way. Only the link's SHA-256 is stored.
   */
  async requestPasswordReset(emailInput: string): Promise<void> {
    const email = normalizeEmail(emailInput);
    await this.#db.transaction().execute(async (trx) => {
      const account = await store.findByEmail(trx, email);
      if (!account || account.deactivated) return;
      // a guest has no password to reset: the link that sets its first one is the claim link
      if (account.role === 'guest') {
        await this.#sendClaimLink(trx, account);
        return;
      }
      const token = newLinkToken();
      const id = await store.insertPasswordReset(trx, {
        accountId: account.id,
        tokenHash: hashLinkToken(token),
        ttlSeconds: PASSWORD_RESET_TTL_MINUTES * 60,
      });
      // in the fragment, not the query: a browser never sends it to a server or a proxy's log
      await this.#mailer.sendAccountEmail(trx, id, email, {
        template: 'password_reset',
        name: account.name,
        resetUrl: `${this.#publicUrl}/reset-password#token=${token}`,
        expiresInMinutes: PASSWORD_RESET_TTL_MINUTES,
      });
    });
  }

  /** Uses up a reset link and sets the new password; signs out everywhere and returns a new session. */
  async resetPassword(token: string, password: string): Promise<Session> {
    // hashed before the transaction: it takes ~50 ms, and a transaction should not wait on it
    const passwordHash = await hashPassword(password, this.#cost);
    const reset = await this.#db.transaction().execute(async (trx) => {
      const id = await store.consumePasswordReset(trx, hashLinkToken(token));
      const account = id ? await store.findById(trx, id) : undefined;
      if (!account || !isSignedIn(account)) return undefined;
      if ((await store.findSession(trx, account.id))?.deactivated) return undefined;
      // a weak password rolls the transaction back: the link still works for a better one
      assertStrong(password, [account.email, account.name]);
      const version = await store.revokeTokens(trx, account.id, passwordHash);
      await store.clearLoginFailures(trx, account.email);
      return { account, version: version ?? 1 };
    });
    if (!reset) {
      throw unprocessable(
        'invalid_reset_link',
        'This reset link is not valid: it has expired or has been used. Ask for a new one.',
      );
    }
    return this.#session(reset.account, reset.version);
  }

  async me(id: string): Promise<SignedInAccount> {
    const account = await store.findById(this.#db, id);
    if (!account || !isSignedIn(account))
      throw new AppError(401, 'invalid_token', 'Your account no longer exists.');
    return account;
  }

  accounts(ids: readonly string[]): Promise<Account[]> {
    return store.findManyByIds(this.#db, ids);
  }

  /**
   * Creates the admin from configuration as an owner, run at every start. An active owner whose
   * password is still this one is left alone (its sessions stay); otherwise the password is set,
   * it becomes an active owner again and its older tokens stop working, so changing
   * ADMIN_PASSWORD signs the old holder out, and the configured admin is always a way back in.
   */
  async ensureAdmin(emailInput: string, password: string): Promise<Account> {
    const email = normalizeEmail(emailInput);
    const existing = await store.findByEmail(this.#db, email);
    if (
      existing?.role === 'admin' &&
      existing.staffRole === 'owner' &&
      !existing.deactivated &&
      existing.password_hash !== null &&
      (await verifyPassword(password, existing.password_hash))
    ) {
      const {
        password_hash: _hash,
        token_version: _version,
        deactivated: _deactivated,
        ...account
      } = existing;
      return account;
    }
    return store.upsertAdmin(this.#db, email, 'Administrator', await hashPassword(password, this.#cost));
  }

  /**
   * The account guest checkout places an order on, as a shopper without a session: a guest
   * account for the email, made if needed, or the registered account that has the email (its
   * order then shows in that account's history; nothing about the account changes). The role is
   * `guest` whatever the account's, so the request can do no more than a guest can. Guest
   * checkout and draft orders pass their own transaction (`db`), so that an order or draft not
   * made leaves no account.
   */
  async guestShopper(
    emailInput: string,
    nameInput: string,
    db: Db = this.#db,
  ): Promise<{ user: AuthUser; version: number }> {
    const account = await store.upsertGuest(db, normalizeEmail(emailInput), nameInput.trim());
    return { user: guestUser(account), version: account.token_version };
  }

  /** The account `guestShopper` would use, read without writing: none for a new email. */
  async knownShopper(emailInput: string): Promise<{ user: AuthUser; version: number } | undefined> {
    const account = await store.findByEmail(this.#db, normalizeEmail(emailInput));
    return account && { user: guestUser(account), version: account.token_version };
  }

  /** The guest account of an email, if it is one (a registered account's orders need a sign-in). */
  async guestAccount(emailInput: string): Promise<{ id: string; version: number } | undefined> {
    const account = await store.findByEmail(this.#db, normalizeEmail(emailInput));
    if (account?.role !== 'guest') return undefined;
    return { id: account.id, version: account.token_version };
  }

  /**
   * Who holds a link issued for an account, as a shopper without a session, or null when the
   * account is gone or its token version moved on since (signed out everywhere, new password,
   * claimed): the same rule that revokes its sessions revokes its links.
   */
  async linkHolder(claims: LinkClaims): Promise<AuthUser | null> {
    const account = await store.findSession(this.#db, claims.accountId);
    if (!account || account.token_version !== claims.version) return null;
    return { id: claims.accountId, email: account.email, role: 'guest', staffRole: null };
  }

  /**
   * Finishes creating an account from a guest one with the link emailed to it: the password and
   * name become the account's, it becomes a customer's, and it is signed in. Its id stays, so
   * every order placed as a guest is in its history. The link works once: the claim moves the
   * token version on, which also ends every order link sent before.
   */
  async claim(input: { token: string; password: string; name: string }): Promise<Session> {
    const claims = await this.#tokens.verifyLink('account_claim', input.token);
    // hashed before the transaction: it takes ~50 ms, and a transaction should not wait on it
    const passwordHash = await hashPassword(input.password, this.#cost);
    const name = input.name.trim();
    const claimed = await this.#db.transaction().execute(async (trx) => {
      if (!claims || claims.subject !== claims.accountId) return undefined;
      const account = await store.findSession(trx, claims.accountId);
      if (account?.role !== 'guest' || account.token_version !== claims.version) return undefined;
      // a weak password rolls the transaction back: the link still works for a better one
      assertStrong(input.password, [account.email, name]);
      const user = await store.claimGuest(trx, {
        id: claims.accountId,
        version: claims.version,
        passwordHash,
        name,
      });
      if (!user || !isSignedIn(user)) return undefined;
      await store.clearLoginFailures(trx, account.email);
      return user;
    });
    if (!claimed) {
      throw unprocessable(
        'invalid_claim_link',
        'This link is not valid: it has expired or has been used. Sign in, or sign up again for a new link.',
      );
    }
    const { token_version: version, ...user } = claimed;
    return this.#session(user, version);
  }

  async #sendClaimLink(trx: Db, account: { id: string; email: string; name: string; token_version: number }) {
    const token = await this.#tokens.issueLink(
      'account_claim',
      { subject: account.id, accountId: account.id, version: account.token_version },
      CLAIM_LINK_TTL_HOURS * 3600,
    );
    // in the fragment, not the query: a browser never sends it to a server or a proxy's log
    await this.#mailer.sendAccountEmail(trx, randomUUID(), account.email, {
      template: 'account_claim',
      name: account.name,
      claimUrl: `${this.#publicUrl}/claim-account#token=${token}`,
      expiresInHours: CLAIM_LINK_TTL_HOURS,
    });
  }

  async #setPassword(accountId: string, password: string): Promise<Session> {
    const version = await store.revokeTokens(this.#db, accountId, await hashPassword(password, this.#cost));
    const account = await store.findById(this.#db, accountId);
    if (version === undefined || !account || !isSignedIn(account)) {
      throw new AppError(401, 'invalid_token', 'Your account no longer exists.');
    }
    return this.#session(account, version);
  }

  async #checkThrottle(email: string): Promise<boolean> {
    const wait = await store.loginWait(this.#db, email);
    if (wait && wait.seconds > 0) {
      throw new AppError(
        429,
        'login_delayed',
        `Too many failed sign-ins for this account. Try again in ${wait.seconds} seconds.`,
        { scope: 'account', retryAfterSeconds: wait.seconds },
        { 'retry-after': String(wait.seconds) },
      );
    }
    return wait !== undefined;
  }

  async #recordFailure(email: string): Promise<void> {
    const failures = await store.recordLoginFailure(this.#db, email);
    const delay = loginDelaySeconds(failures);
    if (delay > 0) await store.delayLogins(this.#db, email, delay);
  }

  async #session(user: SignedInAccount, version: number): Promise<Session> {
    return { token: await this.#tokens.issue({ accountId: user.id, version }), user };
  }
}

function guestUser(account: { id: string; email: string }): AuthUser {
  return { id: account.id, email: account.email, role: 'guest', staffRole: null };
}
