import { randomBytes } from 'node:crypto';

/**
 * UUID version 7: time-ordered, so "newest first" is an index scan on the primary key and a
 * cursor is just the last id. Still a plain UUID for clients (the contract's `format: uuid`).
 */
export function uuidv7(now = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID_SHAPE = '00000000-0000-0000-0000-000000000000';

/**
 * The UUIDs that start with `prefix` (as their lowercase text), as the closed range from the
 * least to the greatest of them, so a search by an id's first characters reads the primary key
 * instead of casting every id to text. Null when no UUID can start so (a hyphen out of place).
 */
export function uuidPrefixRange(prefix: string): [string, string] | null {
  const text = prefix.toLowerCase();
  if (text.length === 0 || text.length > UUID_SHAPE.length) return null;
  for (let i = 0; i < text.length; i++) {
    const hyphen = UUID_SHAPE[i] === '-';
    if (hyphen ? text[i] !== '-' : !/[0-9a-f]/.test(text[i] as string)) return null;
  }
  const rest = UUID_SHAPE.slice(text.length);
  return [text + rest, text + rest.replace(/0/g, 'f')];
}
