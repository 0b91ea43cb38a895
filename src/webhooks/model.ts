import { createHmac, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';

/**
 * Outgoing webhooks: the pure rules. Signing (Stripe's scheme, so receivers can reuse what they
 * know), the retry schedule, and the policy for which URLs Orderly may call.
 */

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** What became of one attempt: `refused` is the SSRF guard stopping it before any connection. */
export const ATTEMPT_OUTCOMES = ['delivered', 'http_error', 'timeout', 'network_error', 'refused'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** The type of the event "Send test event" delivers; not a domain event, so no endpoint subscribes to it. */
export const TEST_EVENT_TYPE = 'WebhookTest';

// ---------------------------------------------------------------- signing

export const SIGNATURE_HEADER = 'Orderly-Signature';

export function generateSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` */
export function signatureHeader(secret: string, body: string, timestampSeconds: number): string {
  const signature = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${signature}`;
}

// ---------------------------------------------------------------- retry schedule

export interface RetrySchedule {
  /** the wait after the first failed attempt; doubles with each further failure */
  baseDelayMs: number;
  /** the doubling stops here */
  maxDelayMs: number;
  /** a delivery still failing this long after it was created is given up (`failed`) */
  horizonMs: number;
}

export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = {
  baseDelayMs: 30_000,
  maxDelayMs: 60 * 60_000,
  horizonMs: 24 * 60 * 60_000,
};

/**
 * The wait after `failedAttempts` failures (≥ 1): exponential, capped, then scaled by a random
 * factor in [0.5, 1) ("equal jitter") so endpoints that failed together do not retry together.
 */
export function retryDelayMs(
  failedAttempts: number,
  schedule: Pick<RetrySchedule, 'baseDelayMs' | 'maxDelayMs'>,
  random: number,
): number {
  const exponent = Math.max(0, failedAttempts - 1);
  const capped = Math.min(schedule.baseDelayMs * 2 ** exponent, schedule.maxDelayMs);
  return Math.round(capped * (0.5 + Math.min(Math.max(random, 0), 1) / 2));
}

export type AfterFailure = { status: 'failed' } | { status: 'pending'; nextAttemptAt: number };

/** After a failed attempt: the next one, or `failed` when it would fall beyond the horizon. */
export function afterFailedAttempt(
  failedAttempts: number,
  createdAt: number,
  now: number,
  schedule: RetrySchedule,
  random: number,
): AfterFailure {
  const next = now + retryDelayMs(failedAttempts, schedule, random);
  return next > createdAt + schedule.horizonMs
    ? { status: 'failed' }
    : { status: 'pending', nextAttemptAt: next };
}

// ---------------------------------------------------------------- URL policy

export interface UrlPolicy {
  /** plain http allowed (development, or `WEBHOOKS_ALLOW_HTTP`) */
  allowHttp: boolean;
  /** loopback, private and other internal addresses allowed (`WEBHOOKS_ALLOW_PRIVATE_URLS`) */
  allowPrivateAddresses: boolean;
}

export interface UrlRefusal {
  code: 'webhook_url_invalid' | 'webhook_url_forbidden';
  message: string;
}

const MAX_URL_LENGTH = 2048;

/**
 * What can be decided from the URL alone; the addresses its host resolves to are checked with
 * `isForbiddenAddress` at registration and again before every attempt.
 */
export function urlRefusal(raw: string, policy: UrlPolicy): UrlRefusal | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { code: 'webhook_url_invalid', message: 'The URL is not a valid absolute URL.' };
  }
  if (raw.length > MAX_URL_LENGTH) {
    return { code: 'webhook_url_invalid', message: `The URL is longer than ${MAX_URL_LENGTH} characters.` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { code: 'webhook_url_invalid', message: 'The URL must start with https:// (or http://).' };
  }
  if (url.protocol === 'http:' && !policy.allowHttp) {
    return { code: 'webhook_url_forbidden', message: 'The URL must use https.' };
  }
  if (url.username || url.password) {
    return {
      code: 'webhook_url_invalid',
      message: 'The URL must not contain a user name or password; verify requests by their signature.',
    };
  }
  if (policy.allowPrivateAddresses) return null;
  const host = hostOf(url);
  if (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) !== 0 && isForbiddenAddress(host))) {
    return {
      code: 'webhook_url_forbidden',
      message: 'The URL points at a loopback, private or otherwise internal address.',
    };
  }
  return null;
}

/** The URL's host as a resolver or `isIP` takes it: IPv6 literals without their brackets. */
export function hostOf(url: URL): string {
  const host = url.hostname.toLowerCase();
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * Whether an IP address is one a webhook must never reach: loopback, private (RFC 1918),
 * carrier-grade NAT, link-local, unique-local, multicast, unspecified, reserved and
 * documentation ranges, in IPv4 and IPv6, including IPv4 addresses carried inside IPv6
 * (IPv4-mapped, IPv4-compatible, NAT64, 6to4). Anything that is not an IP address is forbidden.
 */
export function isForbiddenAddress(address: string): boolean {
  const zoneless = address.split('%')[0] ?? '';
  if (isIP(zoneless) === 4) return isForbiddenIPv4(ipv4Bytes(zoneless));
  if (isIP(zoneless) === 6) return isForbiddenIPv6(ipv6Bytes(zoneless));
  return true;
}

function ipv4Bytes(address: string): number[] {
  return address.split('.').map(Number);
}

function isForbiddenIPv4([a = 0, b = 0, c = 0]: number[]): boolean {
  return (
    a === 0 || // "this network", 0.0.0.0 unspecified
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local, cloud metadata
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) || // IETF protocol assignments, TEST-NET-1
    (a === 192 && b === 88 && c === 99) || // 6to4 relay anycast
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    (a === 198 && b === 51 && c === 100) || // TEST-NET-2
    (a === 203 && b === 0 && c === 113) || // TEST-NET-3
    a >= 224 // multicast, reserved, broadcast
  );
}

/** The 16 bytes of a valid IPv6 address (`isIP` said so), a dotted IPv4 tail included. */
function ipv6Bytes(address: string): number[] {
  let text = address.toLowerCase();
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = ipv4Bytes(tail[1]);
    text = `${text.slice(0, -tail[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = rest ? rest.split(':') : [];
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

function isForbiddenIPv6(bytes: number[]): boolean {
  const [b0 = 0, b1 = 0] = bytes;
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  const v4 = (from: number) => bytes.slice(from, from + 4);
  if (zeros(0, 16)) return true; // :: unspecified
  if (zeros(0, 15) && bytes[15] === 1) return true; // ::1 loopback
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return isForbiddenIPv4(v4(12)); // ::ffff:a.b.c.d
  if (zeros(0, 12)) return true; // ::a.b.c.d, IPv4-compatible (deprecated)
  if (b0 === 0x00 && b1 === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zeros(4, 12)) {
    return isForbiddenIPv4(v4(12)); // 64:ff9b::/96 NAT64
  }
  if (b0 === 0x20 && b1 === 0x02) return isForbiddenIPv4(v4(2)); // 2002::/16 6to4
  if (b0 === 0x20 && b1 === 0x01 && bytes[2] === 0x0d && bytes[3] === 0xb8) return true; // documentation
  if ((b0 & 0xfe) === 0xfc) return true; // fc00::/7 unique-local
  if (b0 === 0xfe && (b1 & 0xc0) === 0x80) return true; // fe80::/10 link-local
  if (b0 === 0xfe && (b1 & 0xc0) === 0xc0) return true; // fec0::/10 site-local (deprecated)
  if (b0 === 0xff) return true; // multicast
  return false;
}

// ---------------------------------------------------------------- the request

/** The body every delivery POSTs: the event as receivers see it. */
export function deliveryBody(event: { id: string; type: string; createdAt: string; data: unknown }): string {
  return JSON.stringify({ id: event.id, type: event.type, createdAt: event.createdAt, data: event.data });
}

export const MAX_RESPONSE_BODY_CHARS = 1024;

/** What an attempt keeps of the receiver's answer: the start of it, enough to see why it failed. */
export function truncateResponseBody(text: string): string {
  return text.length > MAX_RESPONSE_BODY_CHARS ? `${text.slice(0, MAX_RESPONSE_BODY_CHARS)}…` : text;
}

export function isSuccessStatus(status: number): boolean {
  return status >= 200 && status < 300;
}
