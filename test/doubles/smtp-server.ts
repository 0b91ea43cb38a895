/**
 * A real SMTP server on loopback for tests: speaks the protocol through the `smtp-server` package,
 * keeps every accepted message and parses enough MIME (RFC 5322 headers, RFC 2047 encoded words,
 * multipart, quoted-printable and base64) to read back what a client sent.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerSession } from 'smtp-server';

export interface ReceivedEmail {
  envelope: { from: string | null; to: string[] };
  /** header names lower-cased, values decoded, repeated headers in order */
  headers: Map<string, string[]>;
  from: string;
  to: string;
  subject: string;
  messageId: string | null;
  text: string | null;
  html: string | null;
  /** parts sent as attachments, decoded */
  attachments: Array<{ filename: string | null; contentType: string; content: Buffer }>;
  /** the message as it came over DATA */
  raw: string;
  /** the user name the client authenticated as, when the server asks for auth */
  user: string | null;
}

export interface Rejection {
  /** SMTP reply code, 4xx (try again later) or 5xx (permanent) */
  code?: number;
  message?: string;
  /** the command that gets the answer: MAIL FROM, RCPT TO, or the end of DATA */
  at?: 'mail' | 'rcpt' | 'data';
}

export interface SmtpDouble {
  readonly port: number;
  /** `smtp://[user:pass@]127.0.0.1:port` */
  readonly url: string;
  readonly messages: ReceivedEmail[];
  /** Answers the next `n` transactions with an error reply instead of accepting them. */
  rejectNext(n: number, rejection?: Rejection): void;
  /** Resolves once `count` messages have been accepted. */
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedEmail[]>;
  close(): Promise<void>;
}

export interface SmtpDoubleOptions {
  /** require AUTH PLAIN/LOGIN with these credentials (over plain text: this is loopback) */
  auth?: { user: string; pass: string };
}

interface SmtpReplyError extends Error {
  responseCode: number;
}

function replyError(code: number, message: string): SmtpReplyError {
  return Object.assign(new Error(message), { responseCode: code });
}

export async function startSmtpDouble(options: SmtpDoubleOptions = {}): Promise<SmtpDouble> {
  const messages: ReceivedEmail[] = [];
  const waiters = new Set<() => void>();
  let pending: { remaining: number; code: number; message: string; at: 'mail' | 'rcpt' | 'data' } | null =
    null;

  function takeRejection(at: 'mail' | 'rcpt' | 'data'): SmtpReplyError | null {
    if (pending === null || pending.remaining <= 0 || pending.at !== at) return null;
    pending.remaining -= 1;
    const error = replyError(pending.code, pending.message);
    if (pending.remaining === 0) pending = null;
    return error;
  }

  const server = new SMTPServer({
    logger: false,
    // No STARTTLS: nodemailer would upgrade to the package's built-in test certificate and fail
    // to verify it. Plain text on loopback is what the test needs.
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    closeTimeout: 1000,
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) {
        callback(null, { user: auth.username });
      } else {
        callback(replyError(535, 'Authentication credentials invalid'));
      }
    },
    onMailFrom(_address, _session, callback) {
      callback(takeRejection('mail'));
    },
    onRcptTo(_address, _session, callback) {
      callback(takeRejection('rcpt'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error: Error) => callback(error));
      stream.on('end', () => {
        const rejection = takeRejection('data');
        if (rejection) return callback(rejection);
        messages.push(parseMessage(Buffer.concat(chunks), session));
        for (const wake of waiters) wake();
        callback(null, `Ok: queued as ${session.id}`);
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;
  const credentials = options.auth
    ? `${encodeURIComponent(options.auth.user)}:${encodeURIComponent(options.auth.pass)}@`
    : '';

  return {
    port,
    url: `smtp://${credentials}127.0.0.1:${port}`,
    messages,
    rejectNext(n, rejection = {}) {
      const code = rejection.code ?? 451;
      pending = {
        remaining: n,
        code,
        message: rejection.message ?? (code >= 500 ? 'Message rejected' : 'Try again later'),
        at: rejection.at ?? 'data',
      };
    },
    waitForMessages(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (messages.length < count) return;
          cleanup();
          resolve(messages.slice(0, count));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`SMTP double: ${messages.length} of ${count} messages after ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close() {
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// A small MIME reader: what nodemailer (or any client) produces for text + html messages

interface MimePart {
  headers: Map<string, string[]>;
  /** undecoded bytes of the body, as latin1 so that one char is one byte */
  body: string;
}

function parseMessage(raw: Buffer, session: SMTPServerSession): ReceivedEmail {
  const root = splitPart(raw.toString('latin1'));
  let text: string | null = null;
  let html: string | null = null;
  const attachments: ReceivedEmail['attachments'] = [];
  for (const leaf of leaves(root)) {
    const { type, params } = contentType(leaf.headers);
    const disposition = first(leaf.headers, 'content-disposition') ?? '';
    if (disposition.toLowerCase().startsWith('attachment')) {
      const filename = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition)?.[1] ?? params.get('name') ?? null;
      attachments.push({ filename, contentType: type, content: decodeBytes(leaf) });
      continue;
    }
    if (type === 'text/plain' && text === null) text = decodeBody(leaf);
    if (type === 'text/html' && html === null) html = decodeBody(leaf);
  }
  const headers = new Map<string, string[]>();
  // Header bytes were read as latin1; 8-bit header text (SMTPUTF8) is UTF-8.
  const utf8 = (value: string) => Buffer.from(value, 'latin1').toString('utf8');
  for (const [name, values] of root.headers)
    headers.set(
      name,
      values.map((v) => decodeWords(utf8(v))),
    );
  const mailFrom = session.envelope.mailFrom;
  return {
    envelope: { from: mailFrom ? mailFrom.address : null, to: session.envelope.rcptTo.map((r) => r.address) },
    headers,
    from: headers.get('from')?.[0] ?? '',
    to: headers.get('to')?.[0] ?? '',
    subject: headers.get('subject')?.[0] ?? '',
    messageId: headers.get('message-id')?.[0] ?? null,
    text,
    html,
    attachments,
    raw: raw.toString('utf8'),
    user: typeof session.user === 'string' ? session.user : null,
  };
}

function splitPart(source: string): MimePart {
  const match = /\r?\n\r?\n/.exec(source);
  const head = match ? source.slice(0, match.index) : source;
  const body = match ? source.slice(match.index + match[0].length) : '';
  const headers = new Map<string, string[]>();
  // Unfold: a line starting with white space continues the previous header (RFC 5322 2.2.3).
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers.set(name, [...(headers.get(name) ?? []), value]);
  }
  return { headers, body };
}

function first(headers: Map<string, string[]>, name: string): string | undefined {
  return headers.get(name)?.[0];
}

function contentType(headers: Map<string, string[]>): { type: string; params: Map<string, string> } {
  const value = first(headers, 'content-type') ?? 'text/plain; charset=us-ascii';
  const [type = 'text/plain', ...rest] = value.split(';');
  const params = new Map<string, string>();
  for (const param of rest.join(';').matchAll(/([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/g)) {
    params.set((param[1] ?? '').toLowerCase(), param[2] ?? param[3] ?? '');
  }
  return { type: type.trim().toLowerCase(), params };
}

function* leaves(part: MimePart): Generator<MimePart> {
  const { type, params } = contentType(part.headers);
  const boundary = params.get('boundary');
  if (!type.startsWith('multipart/') || boundary === undefined) {
    yield part;
    return;
  }
  const delimiter = `--${boundary}`;
  const lines = part.body.split(/\r?\n/);
  let current: string[] | null = null;
  for (const line of lines) {
    if (line === delimiter || line === `${delimiter}--`) {
      if (current !== null) yield* leaves(splitPart(current.join('\r\n')));
      if (line.endsWith('--')) return;
      current = [];
    } else if (current !== null) {
      current.push(line);
    }
  }
}

function decodeBytes(part: MimePart): Buffer {
  const encoding = (first(part.headers, 'content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(part.body);
  return Buffer.from(part.body, 'latin1');
}

function decodeBody(part: MimePart): string {
  const charset = contentType(part.headers).params.get('charset') ?? 'utf-8';
  return decodeCharset(decodeBytes(part), charset);
}

function decodeQuotedPrintable(body: string): Buffer {
  const unwrapped = body.replace(/[ \t]+(?=\r?\n)/g, '').replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < unwrapped.length; i++) {
    const hex = unwrapped.slice(i + 1, i + 3);
    if (unwrapped[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(unwrapped.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

function decodeCharset(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}

/** RFC 2047: `=?UTF-8?Q?Caf=C3=A9?=` and `=?UTF-8?B?Q2Fmw6k=?=`; white space between two words is dropped. */
function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_match, charset: string, kind: string, data: string) => {
      const bytes =
        kind.toUpperCase() === 'B'
          ? Buffer.from(data, 'base64')
          : decodeQuotedPrintable(data.replace(/_/g, ' '));
      return decodeCharset(bytes, charset.split('*')[0] ?? 'utf-8');
    });
}
