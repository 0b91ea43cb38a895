import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import {
  MAX_RESPONSE_BODY_CHARS,
  hostOf,
  isForbiddenAddress,
  isSuccessStatus,
  truncateResponseBody,
  urlRefusal,
  type AttemptOutcome,
  type UrlPolicy,
} from './model.ts';

/** The addresses a host name resolves to (`dns.lookup`, all of them); injectable for tests. */
export type Resolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

export const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

export interface AttemptResult {
  outcome: AttemptOutcome;
  statusCode: number | null;
  error: string | null;
  responseBody: string | null;
  durationMs: number;
}

export class RefusedAddress extends Error {
  override readonly name = 'RefusedAddress';
}

/**
 * The address to connect to for a URL, checked: every address the host resolves to must be
 * allowed, or none is used (a host with one public and one private address is refused, so a
 * round-robin answer cannot slip through). Throws `RefusedAddress` when the policy says no.
 */
export async function checkedAddress(url: URL, policy: UrlPolicy, resolve: Resolver): Promise<string> {
  const refusal = urlRefusal(url.toString(), policy);
  if (refusal) throw new RefusedAddress(refusal.message);
  const host = hostOf(url);
  if (isIP(host) !== 0) return host;
  let addresses: Array<{ address: string }>;
  try {
    addresses = await resolve(host);
  } catch {
    throw new RefusedAddress(`The host ${host} could not be resolved.`);
  }
  const first = addresses[0];
  if (!first) throw new RefusedAddress(`The host ${host} has no address.`);
  if (!policy.allowPrivateAddresses && addresses.some((a) => isForbiddenAddress(a.address))) {
    throw new RefusedAddress(
      `The host ${host} resolves to a loopback, private or otherwise internal address.`,
    );
  }
  return first.address;
}

/**
 * One POST of a webhook. The connection goes to the address that was checked, not to a second
 * resolution of the name, so DNS rebinding between check and connect cannot redirect it; the
 * Host header and TLS server name stay the URL's, so certificates are verified as usual.
 * Never throws: every ending is an `AttemptResult`.
 */
export async function postWebhook(input: {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  policy: UrlPolicy;
  resolve: Resolver;
}): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const url = new URL(input.url);
  let address: string;
  try {
    address = await checkedAddress(url, input.policy, input.resolve);
  } catch (error) {
    return {
      outcome: 'refused',
      statusCode: null,
      error: messageOf(error),
      responseBody: null,
      durationMs: elapsed(),
    };
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const hostname = hostOf(url);
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const finish = (result: Omit<AttemptResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: elapsed() });
    };
    const req = send(
      {
        protocol: url.protocol,
        host: address,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        agent: false,
        headers: {
          ...input.headers,
          host: url.host,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(input.body)),
        },
        ...(url.protocol === 'https:' && isIP(hostname) === 0 && { servername: hostname }),
      },
      (res) => {
        void readStart(res).then(
          (text) => {
            const status = res.statusCode ?? 0;
            finish({
              outcome: isSuccessStatus(status) ? 'delivered' : 'http_error',
              statusCode: status,
              error: isSuccessStatus(status) ? null : `The receiver answered ${status}.`,
              responseBody: truncateResponseBody(text),
            });
          },
          (error: unknown) =>
            finish({
              outcome: 'network_error',
              statusCode: res.statusCode ?? null,
              error: messageOf(error),
              responseBody: null,
            }),
        );
      },
    );
    // One deadline for the whole attempt: connecting, sending, and the answer's headers and body.
    const timer = setTimeout(() => {
      finish({
        outcome: 'timeout',
        statusCode: null,
        error: `No answer within ${input.timeoutMs} ms.`,
        responseBody: null,
      });
      req.destroy();
    }, input.timeoutMs);
    req.on('error', (error) =>
      finish({ outcome: 'network_error', statusCode: null, error: messageOf(error), responseBody: null }),
    );
    req.end(input.body);
  });
}

/** The start of the answer's body, as text; the rest is not read (a receiver may send a lot). */
function readStart(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const limit = MAX_RESPONSE_BODY_CHARS * 4 + 4;
    res.on('data', (chunk: Buffer) => {
      if (size >= limit) return;
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) {
        resolve(Buffer.concat(chunks).toString('utf8'));
        res.destroy();
      }
    });
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
