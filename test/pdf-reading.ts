/**
 * Reading a PDF back the way a person would: its text with poppler's `pdftotext`, and its first
 * page as a picture with `pdftoppm -r 50 -png`, decoded here (PNG is zlib-deflated scanlines, each
 * with one of five filters) to tell a page with something on it from a blank one.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';

const run = promisify(execFile);

/** Why the PDF checks cannot run here, or null when poppler is installed (it is in CI). */
export const popplerMissing: string | null = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'poppler-utils (pdftotext, pdftoppm) is not installed';
  }
})();

async function withFile<T>(pdf: Buffer, work: (path: string, dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'orderly-pdf-'));
  try {
    const path = join(dir, 'document.pdf');
    await writeFile(path, pdf);
    return await work(path, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The text of every page, in reading order, with runs of white space made one space. */
export function pdfText(pdf: Buffer): Promise<string> {
  return withFile(pdf, async (path) => {
    const { stdout } = await run('pdftotext', ['-layout', path, '-']);
    return stdout.replace(/[ \t]+/g, ' ');
  });
}

export interface PageImage {
  png: Buffer;
  width: number;
  height: number;
  /** share of pixels that are not near white: 0 for a blank page */
  inked: number;
}

/** The first page at 50 dpi as PNG, and how much of it is ink. */
export function firstPageImage(pdf: Buffer): Promise<PageImage> {
  return withFile(pdf, async (path, dir) => {
    await run('pdftoppm', ['-r', '50', '-png', '-f', '1', '-l', '1', '-singlefile', path, join(dir, 'page')]);
    const png = await readFile(join(dir, 'page.png'));
    return { png, ...measure(png) };
  });
}

function measure(png: Buffer): { width: number; height: number; inked: number } {
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const bitDepth = body[8];
      const colorType = body[9];
      if (bitDepth !== 8 || body[12] !== 0) throw new Error('expected an 8-bit, non-interlaced PNG');
      channels = colorType === 2 ? 3 : colorType === 0 ? 1 : colorType === 6 ? 4 : 0;
      if (channels === 0) throw new Error(`unexpected PNG colour type ${colorType}`);
    } else if (type === 'IDAT') {
      data.push(body);
    }
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const previous = Buffer.alloc(stride);
  const current = Buffer.alloc(stride);
  let inked = 0;
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const left = i >= channels ? (current[i - channels] ?? 0) : 0;
      const up = previous[i] ?? 0;
      const upLeft = i >= channels ? (previous[i - channels] ?? 0) : 0;
      const x = line[i] ?? 0;
      let value: number;
      if (filter === 0) value = x;
      else if (filter === 1) value = x + left;
      else if (filter === 2) value = x + up;
      else if (filter === 3) value = x + Math.floor((left + up) / 2);
      else value = x + paeth(left, up, upLeft);
      current[i] = value & 0xff;
    }
    for (let p = 0; p < width; p++) {
      let darkest = 255;
      for (let c = 0; c < Math.min(channels, 3); c++)
        darkest = Math.min(darkest, current[p * channels + c] ?? 255);
      if (darkest < 200) inked++;
    }
    current.copy(previous);
  }
  return { width, height, inked: inked / (width * height) };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
