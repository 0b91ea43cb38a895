import {
  createHash,
  randomBytes,
  scrypt as scryptCallback,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import type { StaffRole } from './permissions.ts';

/**
 * `guest`: an account made by guest checkout, with an email and a name but no password; nobody
 * signs in to it until its owner claims it from a link sent to that email (ADR 0022). An
 * `AuthUser` with this role is a shopper acting without a session (guest checkout, an order link).
 */
export type Role = 'customer' | 'admin' | 'guest';

/**
 * Who is making a request, as proven by their token. `role: 'admin'` means a staff member;
 * `staffRole` says which permissions they hold (`permissions.ts`), null for everyone else.
 */
export interface AuthUser {
  id: string;
  email: string;
  role: Role;
  staffRole: StaffRole | null;
}

export interface Account {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  role: Role;
  staffRole: StaffRole | null;
}

/** An account someone signs in to: every account but a guest's. */
export interface SignedInAccount extends Account {
  role: 'customer' | 'admin';
}

export function isSignedIn(account: Account): account is SignedInAccount {
  return account.role !== 'guest';
}

/**
 * scrypt's cost as log2 N. 15 takes ~50 ms here: slow enough to make guessing expensive, fast
 * enough that logins stay responsive (`PASSWORD_HASH_COST`, at least 15 in production). The
 * parameters travel with each hash, so verifying never needs the setting and it can be raised.
 */
export const PASSWORD_HASH_COST = 15;
const SCRYPT = { r: 8, p: 1, keyLength: 64 };

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password, salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string, cost = PASSWORD_HASH_COST): Promise<string> {
  const salt = randomBytes(16);
  const N = 2 ** cost;
  const key = await scrypt(password, salt, SCRYPT.keyLength, {
    N,
    r: SCRYPT.r,
    p: SCRYPT.p,
    maxmem: 128 * N * SCRYPT.r * 2,
  });
  return ['scrypt', N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const N = Number(n);
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N,
    r: Number(r),
    p: Number(p),
    maxmem: 128 * N * Number(r) * 2,
  });
  return timingSafeEqual(key, expected);
}

// zxcvbn estimates how many guesses a password takes against dictionaries of real size (common
// passwords, names, English words, keyboard patterns); built once, it checks in milliseconds.
const zxcvbn = new ZxcvbnFactory({
  translations: en.translations,
  graphs: common.adjacencyGraphs,
  dictionary: { ...common.dictionary, ...en.dictionary },
});

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;
/** zxcvbn's score from 0 to 4; 3 is "safely unguessable" (about 10^8 guesses or more) */
const MIN_PASSWORD_SCORE = 3;

export interface PasswordWeakness {
  message: string;
  /** zxcvbn's warning and suggestions, for a person choosing another password */
  warning: string | null;
  suggestions: string[];
}

/**
 * Why a password will not do, or null when it will: too short, too long, or too easy to guess.
 * `personal` holds what an attacker would try first (the email, the name).
 */
export function passwordWeakness(
  password: string,
  personal: readonly string[] = [],
): PasswordWeakness | null {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return {
      message: `must be at least ${MIN_PASSWORD_LENGTH} characters long`,
      warning: null,
      suggestions: [],
    };
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return {
      message: `must be at most ${MAX_PASSWORD_LENGTH} characters long`,
      warning: null,
      suggestions: [],
    };
  }
  const result = zxcvbn.check(password, [...personal]);
  if (result.score >= MIN_PASSWORD_SCORE) return null;
  const warning = result.feedback.warning;
  const suggestions = result.feedback.suggestions;
  const advice = [warning, ...suggestions].filter(Boolean).join(' ');
  return {
    message: `is too easy to guess${advice ? `: ${advice}` : ''}`,
    warning,
    suggestions,
  };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** A secret for a link (password reset): 32 random bytes, URL-safe. */
export function newLinkToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored of a link token: its SHA-256, so a copy of the database opens no account. */
export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Failed sign-ins for one email before a delay applies, and the delay after each further one:
 * 1 s, 2 s, 4 s … up to 15 minutes. An attacker gets a few hundred guesses a day against an
 * account; its owner, who needs one try, waits at most the current delay and is never locked out.
 */
export const LOGIN_FREE_FAILURES = 3;
export const LOGIN_MAX_DELAY_SECONDS = 15 * 60;

export function loginDelaySeconds(failures: number): number {
  if (failures < LOGIN_FREE_FAILURES) return 0;
  return Math.min(LOGIN_MAX_DELAY_SECONDS, 2 ** (failures - LOGIN_FREE_FAILURES));
}

/** The emails the accounts side sends, each with what its template needs. */
export type AccountEmail =
  | { template: 'account_signup_attempt'; name: string; forgotPasswordUrl: string }
  | { template: 'password_reset'; name: string; resetUrl: string; expiresInMinutes: number }
  | { template: 'account_claim'; name: string; claimUrl: string; expiresInHours: number }
  | {
      template: 'staff_invitation';
      name: string;
      /** who invited them, as the email names them */
      invitedBy: string;
      role: StaffRole;
      setPasswordUrl: string;
      expiresInHours: number;
    }
  // not about the account, but a secret link like the others: sent directly, never as an event
  | {
      template: 'order_payment_link';
      name: string;
      orderNumber: number;
      /** the total as the email prints it, "$42.50" */
      total: string;
      payUrl: string;
      expiresInDays: number;
    };

/** A shopper's saved address: the fields of an order's shipping address, a label and a recipient. */
export interface AddressFields {
  label: string | null;
  recipient: string | null;
  phone: string | null;
  street: string;
  city: string;
  state: string;
  zip: string;
  country: string | null;
}

export interface SavedAddress extends AddressFields {
  id: string;
}

export const MAX_SAVED_ADDRESSES = 20;
