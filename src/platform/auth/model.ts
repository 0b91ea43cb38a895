import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export type Role = 'customer' | 'admin';

/** Who is making a request, as proven by their token. */
export interface AuthUser {
  id: string;
  email: string;
  role: Role;
}

export interface Account {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  role: Role;
}

// scrypt with N=2^15 takes ~50 ms here: slow enough to make guessing expensive, fast enough
// that logins stay responsive. The parameters travel with each hash so they can be raised later.
const SCRYPT = { N: 32768, r: 8, p: 1, keyLength: 64 };

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password, salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keyLength, {
    N: SCRYPT.N,
    r: SCRYPT.r,
    p: SCRYPT.p,
    maxmem: 128 * SCRYPT.N * SCRYPT.r * 2,
  });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
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

const COMMON_PASSWORDS = new Set([
  'password',
  'password1',
  'password123',
  '12345678',
  '123456789',
  '1234567890',
  'qwertyuiop',
  'qwerty123',
  'iloveyou',
  'letmein1',
  'admin123',
  'welcome1',
  'abcdefgh',
  'abc12345',
]);

/** Why a password is too weak, or null when it will do. */
export function passwordWeakness(password: string): string | null {
  if (password.length < 8) return 'must be at least 8 characters long';
  if (password.length > 128) return 'must be at most 128 characters long';
  if (COMMON_PASSWORDS.has(password.toLowerCase())) return 'is too common';
  if (new Set(password).size < 4) return 'needs more different characters';
  return null;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
