import { createSecretKey, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify, errors } from 'jose';

/** What a valid signature proves: which account, and which of its token versions. */
export interface TokenClaims {
  accountId: string;
  /** the account's `token_version` when the token was issued; a newer one revokes it */
  version: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
}
