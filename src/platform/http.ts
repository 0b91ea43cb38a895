import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, errorBody, unauthorized, forbidden } from './errors.ts';
import type { AuthUser } from './auth/model.ts';
import type { TokenService } from './auth/tokens.ts';

/**
 * Who may call a route. Every API route must say it (`config: { auth }`): a route without a
 * rule is refused when the server starts, so nothing is public by accident.
 * - `public`: anyone; a valid token is still read so the handler knows who asks
 * - `user`: any signed-in account
 * - `admin`: admins only
 */
export type AuthRule = 'public' | 'user' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthRule;
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

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? '';
}

export function installAuth(app: FastifyInstance, tokens: TokenService): void {
  app.decorateRequest('user', null);
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') && !route.config?.auth) {
      throw new Error(`Route ${route.method} ${route.url} has no auth rule`);
    }
  });
  app.addHook('preHandler', async (request) => {
    const rule = request.routeOptions.config.auth;
    if (!rule) return;
    const token = bearerToken(request);
    if (token !== null) {
      request.user = token ? await tokens.verify(token) : null;
      if (!request.user)
        throw new AppError(401, 'invalid_token', 'Your session has expired or is invalid. Sign in again.');
    }
    if (rule === 'public') return;
    if (!request.user) throw unauthorized();
    if (rule === 'admin' && request.user.role !== 'admin') throw forbidden();
  });
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
