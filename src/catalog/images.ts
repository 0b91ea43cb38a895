import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { badRequest } from '../platform/errors.ts';
import { imageTypeOf } from './model.ts';

/** Served by Orderly under this path, from `UPLOAD_DIR`. */
export const UPLOADS_PATH = '/uploads/';

/** The largest image the admin may upload: a product photo, not a print file. */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

/**
 * Product images uploaded by the admin, kept as files in one local folder. A file's name is
 * random and its extension comes from the bytes' signature, so nothing a client sends becomes a
 * path and nothing but a PNG, JPEG or WebP is ever stored.
 */
export class ImageFiles {
  readonly directory: string;

  constructor(directory: string) {
    this.directory = resolve(directory);
  }

  async save(bytes: Buffer): Promise<{ url: string }> {
    const type = imageTypeOf(bytes);
    if (type === null) throw badRequest('invalid_image', 'The file is not a PNG, JPEG or WebP image.');
    const name = `${randomBytes(16).toString('hex')}.${type === 'jpeg' ? 'jpg' : type}`;
    await mkdir(this.directory, { recursive: true });
    await writeFile(join(this.directory, name), bytes, { flag: 'wx' });
    return { url: `${UPLOADS_PATH}${name}` };
  }
}
