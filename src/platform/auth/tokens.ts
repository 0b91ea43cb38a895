import { createSecretKey, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify, errors } from 'jose';
import type { AuthUser, Role } from './model.ts';

/** Signs and checks the bearer tokens (HS256 JWTs) that customers and admins send. */
export class TokenService {
  readonly #key: KeyObject;
  readonly #ttlSeconds: number;

  constructor(secret: string, ttlSeconds: number) {
    // a KeyObject made once: jose then signs and verifies with node:crypto directly, where raw
    // bytes would be imported into WebCrypto again on every request
    this.#key = createSecretKey(new TextEncoder().encode(secret));
    this.#ttlSeconds = ttlSeconds;
  }

  async issue(user: AuthUser): Promise<string> {
    return new SignJWT({ email: user.email, role: user.role })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuedAt()
      .setExpirationTime(`${this.#ttlSeconds}s`)
      .setIssuer('orderly')
      .sign(this.#key);
  }

  /** The user a token proves, or null for a token that is malformed, tampered with or expired. */
  async verify(token: string): Promise<AuthUser | null> {
    try {
      const { payload } = await jwtVerify(token, this.#key, { issuer: 'orderly', algorithms: ['HS256'] });
      const role = payload['role'];
      const email = payload['email'];
      if (
        typeof payload.sub !== 'string' ||
        (role !== 'customer' && role !== 'admin') ||
        typeof email !== 'string'
      ) {
        return null;
      }
      return { id: payload.sub, email, role: role as Role };
    } catch (error) {
      if (error instanceof errors.JOSEError) return null;
      throw error;
    }
  }
}
