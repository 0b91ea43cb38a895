/**
 * A local stand-in for SendGrid's v3 Mail Send endpoint, `POST /v3/mail/send`, answering the way
 * SendGrid documents it: 202 with an empty body and an `X-Message-Id` header; 400 with
 * `{errors: [{message, field, help}]}` naming each invalid field; 401 for a missing or wrong
 * `Authorization: Bearer <key>`. Point the official client at `baseUrl`.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SendGridAddress {
  email: string;
  name?: string;
}

export interface SendGridMailBody {
  personalizations: {
    to: SendGridAddress[];
    cc?: SendGridAddress[];
    bcc?: SendGridAddress[];
    subject?: string;
    headers?: Record<string, string>;
    custom_args?: Record<string, string>;
  }[];
  from: SendGridAddress;
  reply_to?: SendGridAddress;
  subject?: string;
  content?: { type: string; value: string }[];
  template_id?: string;
  headers?: Record<string, string>;
  custom_args?: Record<string, string>;
  [key: string]: unknown;
}

export interface SendGridError {
  message: string;
  field: string | null;
  help: string | null;
}

export interface ReceivedSendGridMail {
  messageId: string;
  body: SendGridMailBody;
}

export interface SendGridRequest {
  method: string;
  path: string;
  status: number;
  /** the parsed JSON, or the raw text when it was not JSON */
  body: unknown;
}

export interface SendGridDouble {
  /** e.g. `http://127.0.0.1:41234/`, for `setDefaultRequest('baseUrl', …)` */
  readonly baseUrl: string;
  /** mails answered with 202 */
  readonly received: ReceivedSendGridMail[];
  /** every request, whatever the answer */
  readonly requests: SendGridRequest[];
  /** Answers the next `n` well-authenticated mail sends with `status` (e.g. 429, 500, 503). */
  failNext(n: number, status: number): void;
  close(): Promise<void>;
}

const HELP = 'http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html';
const MAX_BODY_BYTES = 30 * 1024 * 1024;
// Deliberately simple: SendGrid rejects what is obviously not an address, and so does the double.
const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function error(message: string, field: string | null, anchor: string | null): SendGridError {
  return { message, field, help: anchor === null ? null : `${HELP}#${anchor}` };
}

function validateAddress(value: unknown, field: string, anchor: string, errors: SendGridError[]): void {
  if (!isRecord(value) || typeof value['email'] !== 'string') {
    errors.push(
      error(
        `The ${field} object must be provided and requires the email parameter, e.g. {"email": "example@example.com"}.`,
        `${field}.email`,
        anchor,
      ),
    );
    return;
  }
  if (!EMAIL.test(value['email'])) {
    errors.push(error('Does not contain a valid address.', `${field}.email`, anchor));
  }
  if (value['name'] !== undefined && typeof value['name'] !== 'string') {
    errors.push(error('The name must be a string.', `${field}.name`, anchor));
  }
}

function validateStringMap(value: unknown, field: string, anchor: string, errors: SendGridError[]): void {
  if (value === undefined) return;
  if (!isRecord(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    errors.push(error(`The ${field} parameter must be an object whose values are strings.`, field, anchor));
  }
}

/** SendGrid's attachment rules: base64 content and a file name each; disposition inline or attachment. */
function validateAttachments(value: unknown, errors: SendGridError[]): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    errors.push(error('The attachments parameter must be an array.', 'attachments', 'message.attachments'));
    return;
  }
  value.forEach((a: unknown, i) => {
    const at = `attachments.${i}`;
    const content = isRecord(a) ? a['content'] : undefined;
    if (typeof content !== 'string' || content === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(content)) {
      errors.push(
        error(
          'The attachment content must be base64 encoded.',
          `${at}.content`,
          'message.attachments.content',
        ),
      );
    }
    const filename = isRecord(a) ? a['filename'] : undefined;
    if (typeof filename !== 'string' || filename === '') {
      errors.push(
        error(
          'The attachment filename parameter is required.',
          `${at}.filename`,
          'message.attachments.filename',
        ),
      );
    }
    const disposition = isRecord(a) ? a['disposition'] : undefined;
    if (disposition !== undefined && disposition !== 'inline' && disposition !== 'attachment') {
      errors.push(
        error(
          'The disposition of your attachment can be either "inline" or "attachment".',
          `${at}.disposition`,
          'message.attachments.disposition',
        ),
      );
    }
  });
}

/** The rules SendGrid documents for the v3 mail send body that a client can get wrong. */
export function validateMailBody(body: unknown): SendGridError[] {
  const errors: SendGridError[] = [];
  if (!isRecord(body)) return [error('Bad Request', null, null)];

  const personalizations = body['personalizations'];
  if (!Array.isArray(personalizations) || personalizations.length === 0) {
    errors.push(
      error(
        'The personalizations field is required and must have at least one personalization.',
        'personalizations',
        'message.personalizations',
      ),
    );
  } else if (personalizations.length > 1000) {
    errors.push(
      error(
        'The personalization block is limited to 1000 personalizations per API request.',
        'personalizations',
        'message.personalizations',
      ),
    );
  } else {
    personalizations.forEach((p: unknown, i) => {
      const at = `personalizations.${i}`;
      if (!isRecord(p)) {
        errors.push(error('Each personalization must be an object.', at, 'message.personalizations'));
        return;
      }
      const to = p['to'];
      if (!Array.isArray(to) || to.length === 0) {
        errors.push(
          error(
            'The to array is required for all personalization objects, and must have at least one email object with a valid email address.',
            `${at}.to`,
            'message.personalizations.to',
          ),
        );
      } else {
        to.forEach((r: unknown, j) =>
          validateAddress(r, `${at}.to.${j}`, 'message.personalizations.to', errors),
        );
      }
      for (const list of ['cc', 'bcc'] as const) {
        const value = p[list];
        if (value === undefined) continue;
        if (!Array.isArray(value))
          errors.push(error(`The ${list} parameter must be an array.`, `${at}.${list}`, null));
        else
          value.forEach((r: unknown, j) =>
            validateAddress(r, `${at}.${list}.${j}`, `message.personalizations.${list}`, errors),
          );
      }
      if (p['subject'] !== undefined && (typeof p['subject'] !== 'string' || p['subject'] === '')) {
        errors.push(
          error(
            'The subject must be a string at least one character in length.',
            `${at}.subject`,
            'message.subject',
          ),
        );
      }
      validateStringMap(p['headers'], `${at}.headers`, 'message.personalizations.headers', errors);
      validateStringMap(
        p['custom_args'],
        `${at}.custom_args`,
        'message.personalizations.custom_args',
        errors,
      );
    });
  }

  validateAddress(body['from'], 'from', 'message.from', errors);
  validateAttachments(body['attachments'], errors);
  if (body['reply_to'] !== undefined)
    validateAddress(body['reply_to'], 'reply_to', 'message.reply_to', errors);

  const hasTemplate = typeof body['template_id'] === 'string' && body['template_id'] !== '';
  const everyPersonalizationHasSubject =
    Array.isArray(personalizations) &&
    personalizations.length > 0 &&
    personalizations.every(
      (p: unknown) => isRecord(p) && typeof p['subject'] === 'string' && p['subject'] !== '',
    );
  const subject = body['subject'];
  if (subject !== undefined && (typeof subject !== 'string' || subject === '')) {
    errors.push(
      error('The subject must be a string at least one character in length.', 'subject', 'message.subject'),
    );
  } else if (subject === undefined && !hasTemplate && !everyPersonalizationHasSubject) {
    errors.push(
      error(
        'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.',
        'subject',
        'message.subject',
      ),
    );
  }

  const content = body['content'];
  if (content === undefined) {
    if (!hasTemplate) {
      errors.push(
        error(
          'Unless a valid template_id is provided, the content parameter is required.',
          'content',
          'message.content',
        ),
      );
    }
  } else if (!Array.isArray(content) || content.length === 0) {
    errors.push(
      error('The content parameter must be an array with at least one item.', 'content', 'message.content'),
    );
  } else {
    content.forEach((c: unknown, i) => {
      if (!isRecord(c) || typeof c['type'] !== 'string' || c['type'] === '') {
        errors.push(
          error(
            'The content type must be a string at least one character in length.',
            `content.${i}.type`,
            'message.content.type',
          ),
        );
      }
      if (!isRecord(c) || typeof c['value'] !== 'string' || c['value'] === '') {
        errors.push(
          error(
            'The content value must be a string at least one character in length.',
            `content.${i}.value`,
            'message.content.value',
          ),
        );
      }
    });
    const types = content.map((c: unknown) => (isRecord(c) ? c['type'] : undefined));
    const plain = types.indexOf('text/plain');
    const htmlAt = types.indexOf('text/html');
    if (plain > 0 || (htmlAt !== -1 && plain > htmlAt)) {
      errors.push(
        error(
          'If present, text/plain must be first, followed by text/html, followed by any other content.',
          'content',
          'message.content.type',
        ),
      );
    }
  }

  validateStringMap(body['headers'], 'headers', 'message.headers', errors);
  validateStringMap(body['custom_args'], 'custom_args', 'message.custom_args', errors);
  return errors;
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function reply(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (body === null) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function startSendGridDouble(options: { apiKey: string }): Promise<SendGridDouble> {
  const received: ReceivedSendGridMail[] = [];
  const requests: SendGridRequest[] = [];
  let failures: { remaining: number; status: number } | null = null;

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      reply(res, 500, { errors: [error(String(err), null, null)] });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = req.method ?? 'GET';
    const text = await readBody(req);
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const answer = (status: number, payload: unknown, headers?: Record<string, string>) => {
      requests.push({ method, path, status, body });
      reply(res, status, payload, headers);
    };

    if (path !== '/v3/mail/send') return answer(404, { errors: [error('not found', null, null)] });
    if (method !== 'POST') return answer(405, { errors: [error('method not allowed', null, null)] });
    if (text === null) return answer(413, { errors: [error('Payload Too Large', null, null)] });

    const authorization = req.headers.authorization;
    if (authorization === undefined) {
      return answer(401, { errors: [error('Permission denied, wrong credentials', null, null)] });
    }
    if (authorization !== `Bearer ${options.apiKey}`) {
      return answer(401, {
        errors: [error('The provided authorization grant is invalid, expired, or revoked', null, null)],
      });
    }

    if (failures !== null && failures.remaining > 0) {
      const { status } = failures;
      failures.remaining -= 1;
      if (failures.remaining === 0) failures = null;
      const headers: Record<string, string> = status === 429 ? { 'Retry-After': '1' } : {};
      return answer(status, { errors: [error(`Simulated failure ${status}`, null, null)] }, headers);
    }

    if (!(req.headers['content-type'] ?? '').startsWith('application/json') || typeof body !== 'object') {
      return answer(400, { errors: [error('Bad Request', null, null)] });
    }
    const errors = validateMailBody(body);
    if (errors.length > 0) return answer(400, { errors });

    const messageId = randomBytes(16).toString('base64url').slice(0, 22);
    received.push({ messageId, body: body as SendGridMailBody });
    return answer(202, null, { 'X-Message-Id': messageId });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/`,
    received,
    requests,
    failNext(n, status) {
      failures = { remaining: n, status };
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
