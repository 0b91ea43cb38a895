/**
 * A local stand-in for Twilio's Messages API, `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`:
 * HTTP basic auth (account SID and auth token), a form-encoded body (`To`, `From` or
 * `MessagingServiceSid`, `Body`), 201 with a Message resource, and Twilio's error body
 * `{code, message, more_info, status}` with its error numbers (20003, 21211, 21602, …).
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TwilioMessageResource {
  account_sid: string;
  api_version: '2010-04-01';
  body: string;
  date_created: string;
  date_sent: string | null;
  date_updated: string;
  direction: 'outbound-api';
  error_code: number | null;
  error_message: string | null;
  from: string | null;
  messaging_service_sid: string | null;
  num_media: string;
  num_segments: string;
  price: string | null;
  price_unit: string;
  sid: string;
  status: 'queued' | 'accepted';
  subresource_uris: { media: string };
  to: string;
  uri: string;
}

export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

export interface TwilioDouble {
  /** e.g. `http://127.0.0.1:41234`, in place of https://api.twilio.com */
  readonly baseUrl: string;
  /** messages answered with 201 */
  readonly messages: TwilioMessageResource[];
  /** every request: method, path, status and the decoded form */
  readonly requests: { method: string; path: string; status: number; form: Record<string, string> }[];
  /** Answers the next `n` authenticated requests with `status` (e.g. 429, 500, 503). */
  failNext(n: number, status: number): void;
  close(): Promise<void>;
}

const E164 = /^\+[1-9]\d{1,14}$/;
const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;

function twilioError(status: number, code: number, message: string): TwilioErrorBody {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function basicAuth(header: string | undefined): { user: string; pass: string } | null {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { user: decoded.slice(0, colon), pass: decoded.slice(colon + 1) };
}

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

export async function startTwilioDouble(options: {
  accountSid: string;
  authToken: string;
}): Promise<TwilioDouble> {
  const messages: TwilioMessageResource[] = [];
  const requests: TwilioDouble['requests'] = [];
  let failures: { remaining: number; status: number } | null = null;

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => reply(res, 500, twilioError(500, 20500, String(err))));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = req.method ?? 'GET';
    const form = await readForm(req);
    const answer = (status: number, body: unknown) => {
      requests.push({ method, path, status, form });
      reply(res, status, body);
    };

    const match = MESSAGES_PATH.exec(path);
    if (!match) return answer(404, twilioError(404, 20404, `The requested resource ${path} was not found`));
    if (method !== 'POST') return answer(405, twilioError(405, 20004, 'Method not allowed'));

    const credentials = basicAuth(req.headers.authorization);
    if (
      credentials === null ||
      credentials.user !== options.accountSid ||
      credentials.pass !== options.authToken ||
      match[1] !== options.accountSid
    ) {
      return answer(401, twilioError(401, 20003, 'Authenticate'));
    }

    if (failures !== null && failures.remaining > 0) {
      const { status } = failures;
      failures.remaining -= 1;
      if (failures.remaining === 0) failures = null;
      return answer(
        status,
        twilioError(status, status === 429 ? 20429 : 20500, `Simulated failure ${status}`),
      );
    }

    const to = form['To'];
    const from = form['From'];
    const serviceSid = form['MessagingServiceSid'];
    const body = form['Body'];
    if (!to) return answer(400, twilioError(400, 21604, "A 'To' phone number is required."));
    if (!E164.test(to)) return answer(400, twilioError(400, 21211, `Invalid 'To' Phone Number: ${to}`));
    if (!from && !serviceSid) {
      return answer(
        400,
        twilioError(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message."),
      );
    }
    if (from && !E164.test(from)) return answer(400, twilioError(400, 21212, `Invalid From Number: ${from}`));
    if (!body) return answer(400, twilioError(400, 21602, 'Message body is required.'));
    if (body.length > 1600) {
      return answer(
        400,
        twilioError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.'),
      );
    }

    const sid = `SM${hex(16)}`;
    const now = new Date().toUTCString().replace('GMT', '+0000');
    const uri = `/2010-04-01/Accounts/${options.accountSid}/Messages/${sid}`;
    const resource: TwilioMessageResource = {
      account_sid: options.accountSid,
      api_version: '2010-04-01',
      body,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: from ?? null,
      messaging_service_sid: serviceSid ?? null,
      num_media: '0',
      num_segments: String(Math.max(1, Math.ceil(body.length / 153))),
      price: null,
      price_unit: 'USD',
      sid,
      // With a Messaging Service, Twilio picks the sender later and answers `accepted`.
      status: serviceSid && !from ? 'accepted' : 'queued',
      subresource_uris: { media: `${uri}/Media.json` },
      to,
      uri: `${uri}.json`,
    };
    messages.push(resource);
    return answer(201, resource);
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
    baseUrl: `http://127.0.0.1:${port}`,
    messages,
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
