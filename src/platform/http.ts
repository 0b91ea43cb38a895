import { Server as NetServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, errorBody, unauthorized, forbidden } from './errors.ts';
import type { AuthUser } from './auth/model.ts';
import { holds, type Permission } from './auth/permissions.ts';

/**
 * Who may call a route. Every API route must say it (`config: { auth }`): a route without a
 * rule is refused when the server starts, so nothing is public by accident.
 * - `public`: anyone; a valid token is still read so the handler knows who asks
 * - `user`: any signed-in account
 * - `admin`: staff members only, and only those whose role holds the route's `permission`, which
 *   every admin route must name
 */
export type AuthRule = 'public' | 'user' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthRule;
    /**
     * what an `admin` route needs of the staff member's role (`auth/permissions.ts`); on a `user`
     * route that customers and staff share, what a staff member needs there (a customer is
     * judged by ownership instead)
     */
    permission?: Permission;
    /** login and registration: limited per IP and per account */
    rateLimited?: boolean;
  }
  interface FastifyRequest {
    user: AuthUser | null;
  }
}

export function requireUser(request: FastifyRequest): AuthUser {
  if (!request.user) throw unauthorized();
  return request.user;
}

function missingPermission(permission: Permission): AppError {
  return new AppError(
    403,
    'forbidden',
    `Your staff role does not allow this: it needs the permission "${permission}". Ask the shop's owner.`,
    { permission },
  );
}

/** A staff member without `permission` is refused; anyone who is not staff is left to the route. */
export function requireStaffPermission(user: AuthUser, permission: Permission): void {
  if (user.role !== 'admin') return;
  if (!user.staffRole || !holds(user.staffRole, permission)) throw missingPermission(permission);
}

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? '';
}

/**
 * Checks the route's rule in `onRequest`, before the body is even read: a caller who may not
 * use a route learns nothing about its schema (a malformed body to an admin route is a 401 or
 * 403, not a 400 describing the admin's fields).
 */
export function installAuth(
  app: FastifyInstance,
  authenticate: (token: string) => Promise<AuthUser | null>,
): void {
  app.decorateRequest('user', null);
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') && !route.config?.auth) {
      throw new Error(`Route ${route.method} ${route.url} has no auth rule`);
    }
    if (route.config?.auth === 'admin' && !route.config.permission) {
      throw new Error(`Admin route ${route.method} ${route.url} names no permission`);
    }
  });
  app.addHook('onRequest', async (request) => {
    const rule = request.routeOptions.config.auth;
    if (!rule) return;
    const token = bearerToken(request);
    if (token !== null) {
      request.user = token ? await authenticate(token) : null;
      if (!request.user)
        throw new AppError(401, 'invalid_token', 'Your session has expired or is invalid. Sign in again.');
    }
    if (rule === 'public') return;
    if (!request.user) throw unauthorized();
    if (rule === 'user') {
      const shared = request.routeOptions.config.permission;
      if (shared) requireStaffPermission(request.user, shared);
      return;
    }
    if (request.user.role !== 'admin') throw forbidden();
    const permission = request.routeOptions.config.permission;
    // start-up refuses an admin route without one; were one to slip through, it is closed
    if (!permission) throw forbidden();
    requireStaffPermission(request.user, permission);
  });
}

export interface AuthRateLimits {
  windowSeconds: number;
  /** attempts per client address, login and registration together */
  authPerIp: number;
  /** attempts per email address, whoever sends them */
  authPerAccount: number;
}

/**
 * Limits routes marked `config.rateLimited` (login, registration) per client IP and per account
 * (the email in the body): a `429` with `Retry-After` once either is used up. Counters live in
 * this process's memory, so with several instances each one counts on its own.
 */
export async function installRateLimits(app: FastifyInstance, limits: AuthRateLimits): Promise<void> {
  await app.register(fastifyRateLimit, { global: false });
  const timeWindow = limits.windowSeconds * 1000;
  const byIp = app.createRateLimit({
    max: limits.authPerIp,
    timeWindow,
    keyGenerator: (request) => `ip:${request.ip}`,
  });
  const byAccount = app.createRateLimit({
    max: limits.authPerAccount,
    timeWindow,
    keyGenerator: (request) => `account:${accountOf(request) ?? ''}`,
  });
  const check = async (request: FastifyRequest) => {
    const checks = [{ scope: 'ip', limiter: byIp }];
    if (accountOf(request) !== null) checks.push({ scope: 'account', limiter: byAccount });
    for (const { scope, limiter } of checks) {
      const result = await limiter(request);
      if (result.isAllowed || !result.isExceeded) continue;
      const seconds = Math.max(1, result.ttlInSeconds);
      throw new AppError(
        429,
        'rate_limited',
        `Too many attempts${scope === 'account' ? ' for this account' : ' from your address'}. Try again in ${seconds} seconds.`,
        { scope, retryAfterSeconds: seconds },
        { 'retry-after': String(seconds) },
      );
    }
  };
  app.addHook('onRoute', (route) => {
    if (!route.config?.rateLimited) return;
    const existing = route.preHandler;
    route.preHandler = [...(Array.isArray(existing) ? existing : existing ? [existing] : []), check];
  });
}

function accountOf(request: FastifyRequest): string | null {
  const body = request.body as { email?: unknown } | null | undefined;
  return typeof body?.email === 'string' ? body.email.trim().toLowerCase() : null;
}

/**
 * Text Orderly accepts is well-formed Unicode without NUL characters, everywhere: JSON bodies must
 * be valid UTF-8 (no silent U+FFFD replacement), and no string in the body, the query or the path
 * may hold a NUL (PostgreSQL cannot store one) or a lone surrogate (it cannot be encoded). A
 * request that breaks this is a 400 before validation runs, so no route can forget the check.
 */
export function installInputGuards(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      done(new AppError(400, 'invalid_encoding', 'The request body is not valid UTF-8.'), undefined);
      return;
    }
    parseJson(request, text, done);
  });
  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [
      ['params', request.params],
      ['querystring', request.query],
      ['body', request.body],
    ] as const) {
      const bad = findBadString(value);
      if (bad !== null) {
        const path = [part, ...bad].join('.');
        throw new AppError(
          400,
          'invalid_characters',
          `The request is not valid: ${path} contains a NUL character or malformed Unicode.`,
          { issues: [{ path, message: 'contains a NUL character or malformed Unicode' }] },
        );
      }
    }
  });
}

/** The path of the first string (or key) with a NUL or a lone surrogate; iterative, for deep bodies. */
function findBadString(root: unknown): string[] | null {
  const bad = (s: string) => s.includes('\u0000') || !s.isWellFormed();
  interface Node {
    value: unknown;
    key: string;
    parent: Node | null;
  }
  const pathOf = (node: Node | null, last?: string): string[] => {
    const path = last === undefined ? [] : [last];
    for (let n = node; n?.parent; n = n.parent) path.unshift(n.key);
    return path;
  };
  const stack: Node[] = [{ value: root, key: '', parent: null }];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if (typeof node.value === 'string') {
      if (bad(node.value)) return pathOf(node);
    } else if (node.value && typeof node.value === 'object') {
      for (const [key, child] of Object.entries(node.value)) {
        if (bad(key)) return pathOf(node, '(key)');
        stack.push({ value: child, key, parent: node });
      }
    }
  }
  return null;
}

/**
 * A shutdown no client notices. Returns `drain(graceMs)`, to call before `close()`: from then on
 * every answer says `Connection: close`; the listening socket closes at once (new connections are
 * refused) but open keep-alive connections stay, so a request a client is already sending on one
 * is answered instead of reset; after `graceMs`, or as soon as no connection is left, `close()`
 * finishes the requests in flight and drops the idle rest.
 */
export function installGracefulShutdown(app: FastifyInstance): (graceMs: number) => Promise<void> {
  let draining = false;
  app.addHook('onSend', async (_request, reply) => {
    if (draining) void reply.header('connection', 'close');
  });
  return async (graceMs) => {
    draining = true;
    const raw = app.server;
    if (!raw.listening) return;
    // net's close, not http's: http's would also drop idle keep-alive sockets straight away.
    NetServer.prototype.close.call(raw);
    const openConnections = () =>
      new Promise<number>((resolve) => raw.getConnections((error, n) => resolve(error ? 0 : n)));
    for (const deadline = Date.now() + graceMs; Date.now() < deadline;) {
      if ((await openConnections()) === 0) return;
      await sleep(20);
    }
  };
}

interface PgLikeError {
  code?: string;
  errno?: number;
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08003',
  '08006',
  '53300', // too_many_connections
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

/** SQLSTATE class 22, data exception: numeric out of range, invalid text or byte sequence, … */
function isDataException(error: Error): boolean {
  const code = (error as PgLikeError).code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}

function isConnectionLoss(error: Error): boolean {
  const code = (error as PgLikeError).code;
  if (code && UNAVAILABLE_CODES.has(code)) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(
    error.message,
  );
}

/** Turns every error into `{code, message, details}`: 4xx for what the client sent, 503 for outages. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) {
      return reply.code(error.statusCode).headers(error.headers).send(errorBody(error));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((v) => ({
        path: [error.validationContext, ...v.instancePath.split('/').filter(Boolean)].join('.'),
        message: v.message ?? 'is invalid',
      }));
      return reply.code(400).send({
        code: 'validation_failed',
        message: `The request is not valid: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`.slice(
          0,
          500,
        ),
        details: { issues },
      });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = status === 429 ? 'rate_limited' : clientErrorCode(error);
      return reply.code(status).send({ code, message: clientErrorMessage(error, status), details: {} });
    }
    if (isDataException(error)) {
      // PostgreSQL refused a value (out of range, not representable): something the client sent
      // got past validation. Still the client's 400, and logged so the schema gets tightened.
      request.log.warn({ err: error }, 'the database refused a value from the request');
      return reply.code(400).send({
        code: 'invalid_value',
        message: 'A value in the request is out of range or cannot be stored.',
        details: {},
      });
    }
    if (isConnectionLoss(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      return reply.code(503).header('retry-after', '1').send({
        code: 'service_unavailable',
        message: 'The service is briefly unavailable. Try again in a moment.',
        details: {},
      });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({
      code: 'internal_error',
      message: 'Something went wrong on our side. Try again later.',
      details: {},
    });
  });
}

/**
 * Fastify's own refusals that happen before a route is found (a malformed percent-encoding, a
 * path parameter over `maxParamLength`): the same `{code, message, details}` as everything else.
 * Pass as the `frameworkErrors` server option.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  void reply.code(status).send({
    code: status === 414 ? 'uri_too_long' : 'bad_url',
    message:
      status === 414
        ? 'A part of the address is too long.'
        : 'The address of the request is not valid (check its percent-encoding).',
    details: {},
  });
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (bad header characters, a broken
 * chunked body, headers too large): answered in the error format on the raw socket, then closed.
 * Pass as the `clientErrorHandler` server option.
 */
export function clientErrorHandler(
  error: Error & { code?: string },
  socket: import('node:net').Socket,
): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'request_timeout', 'The request took too long to arrive.']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'headers_too_large', 'The request headers are too large.']
        : [400, 'bad_request', 'The request could not be understood.'];
  const body = JSON.stringify({ code, message, details: {} });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${status === 400 ? 'Bad Request' : status === 408 ? 'Request Timeout' : 'Request Header Fields Too Large'}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_content_length',
  FST_ERR_CTP_INVALID_CONTENT_ENCODING: 'invalid_encoding',
};

function clientErrorCode(error: FastifyError): string {
  if (error.code && FASTIFY_CODES[error.code]) return FASTIFY_CODES[error.code] as string;
  if (error instanceof SyntaxError) return 'invalid_json';
  return 'bad_request';
}

function clientErrorMessage(error: FastifyError, status: number): string {
  if (status === 429) return 'Too many requests. Wait a moment and try again.';
  if (status === 413) return 'The request body is too large.';
  if (status === 415) return 'Send the request body as application/json.';
  if (error instanceof SyntaxError || error.code?.includes('JSON'))
    return 'The request body is not valid JSON.';
  return 'The request could not be understood.';
}
