import { createSecretKey, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify, errors } from 'jose';

/** What a valid signature proves: which account, and which of its token versions. */
export interface TokenClaims {
  accountId: string;
  /** the account's `token_version` when the token was issued; a newer one revokes it */
  version: number;
}

/**
 * What a link in an email may do, each signed for one purpose only: `order_access` opens one
 * order's page (a guest's confirmation email, or "find my order"); `account_claim` turns a guest
 * account into a customer's, once; `order_payment` pays one order sent as a payment link (a draft
 * order, ADR 0023). None is a session: `verify` refuses them all.
 */
export type LinkPurpose = 'order_access' | 'account_claim' | 'order_payment';

/** What a link token says: its subject (an order or an account id) and what it was issued with. */
export interface LinkClaims {
  subject: string;
  /** the account the link belongs to */
  accountId: string;
  /** the account's `token_version` when issued */
  version: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LINK_AUDIENCE = (purpose: LinkPurpose) => `orderly:${purpose}`;

/**
 * Signs and checks the bearer tokens (HS256 JWTs). A token names an account and a version only:
 * role and email are read from the account on every request, so a change to either applies at
 * once, and a token says nothing about a person to whoever reads it.
 */
export class TokenService {
  readonly #key: KeyObject;
  readonly #ttlSeconds: number;

  constructor(secret: string, ttlSeconds: number) {
    // a KeyObject made once: jose then signs and verifies with node:crypto directly, where raw
    // bytes would be imported into WebCrypto again on every request
    this.#key = createSecretKey(new TextEncoder().encode(secret));
    this.#ttlSeconds = ttlSeconds;
  }

  async issue(claims: TokenClaims): Promise<string> {
    return new SignJWT({ ver: claims.version })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.accountId)
      .setIssuedAt()
      .setExpirationTime(`${this.#ttlSeconds}s`)
      .setIssuer('orderly')
      .sign(this.#key);
  }

  /** The claims of a token, or null for one that is malformed, tampered with, expired or without an expiry. */
  async verify(token: string): Promise<TokenClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.#key, {
        issuer: 'orderly',
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'iat', 'sub'],
      });
      const version = payload['ver'];
      // a link token is signed with the same key; it must never pass for a session
      if (payload.aud !== undefined || payload['purpose'] !== undefined) return null;
      if (
        !payload.sub ||
        !UUID.test(payload.sub) ||
        typeof version !== 'number' ||
        !Number.isInteger(version)
      ) {
        return null;
      }
      return { accountId: payload.sub, version };
    } catch (error) {
      if (error instanceof errors.JOSEError) return null;
      throw error;
    }
  }

  /** A token for a link in an email, good for `purpose` only, for `ttlSeconds`. */
  async issueLink(purpose: LinkPurpose, claims: LinkClaims, ttlSeconds: number): Promise<string> {
    return new SignJWT({ purpose, acc: claims.accountId, ver: claims.version })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.subject)
      .setAudience(LINK_AUDIENCE(purpose))
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .setIssuer('orderly')
      .sign(this.#key);
  }

  /** The claims of a link token issued for `purpose`, or null for any other token. */
  async verifyLink(purpose: LinkPurpose, token: string): Promise<LinkClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.#key, {
        issuer: 'orderly',
        audience: LINK_AUDIENCE(purpose),
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'iat', 'sub', 'aud'],
      });
      const accountId = payload['acc'];
      const version = payload['ver'];
      if (
        payload['purpose'] !== purpose ||
        !payload.sub ||
        !UUID.test(payload.sub) ||
        typeof accountId !== 'string' ||
        !UUID.test(accountId) ||
        typeof version !== 'number' ||
        !Number.isInteger(version)
      ) {
        return null;
      }
      return { subject: payload.sub, accountId, version };
    } catch (error) {
      if (error instanceof errors.JOSEError) return null;
      throw error;
    }
  }
}
