import pino, { type DestinationStream, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';

/**
 * Structured logs with secrets removed at the source: authorization headers, passwords, card
 * tokens and API keys never reach a log line, whatever a developer passes to the logger.
 */
/** Keys whose values are secret wherever they appear, up to three levels deep. */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'password',
  'passwordHash',
  'password_hash',
  'token',
  'authToken',
  'clientSecret',
  'client_secret',
  'secret',
  'secretKey',
  'webhookSecret',
  'jwtSecret',
  'apiKey',
  'api_key',
];

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
  '*.paymentMethod.token',
  '*.*.paymentMethod.token',
  '*.headers.authorization',
  '*.headers.cookie',
];

/** Strips `token=` and similar from URLs (an EventSource cannot send headers, so it passes one in the query). */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:token|access_token|key|secret)=)[^&]*/gi, '$1[Redacted]');
}

/**
 * What a database error may not take into a log line: the statement's parameters (PGlite keeps
 * them on the error), PostgreSQL's `detail` ("Failing row contains (…)", "Key (email)=(…)"), and
 * the context lines that quote values. The SQLSTATE, constraint, table and column stay: they
 * say what went wrong without saying about whom.
 */
const DATABASE_ERROR_VALUES = ['params', 'parameters', 'detail', 'where', 'internalQuery', 'queryOptions'];

/** pino's error serializer, without the values a database error carries. */
export function serializeError(error: Error): Record<string, unknown> {
  const serialized: Record<string, unknown> = pino.stdSerializers.err(error);
  for (const key of DATABASE_ERROR_VALUES) delete serialized[key];
  // A data exception (SQLSTATE class 22) quotes the value it refused: "invalid input syntax for
  // type uuid: "…"". The quoted part is what a client sent.
  const code = serialized['code'];
  if (typeof code === 'string' && code.startsWith('22')) {
    for (const key of ['message', 'stack'] as const) {
      const text = serialized[key];
      if (typeof text === 'string') serialized[key] = text.replace(/"[^"\n]*"/g, '"[Redacted]"');
    }
  }
  return serialized;
}

/**
 * A request for a file of the web app (`/assets/index-….js`, `/favicon.ico`): not logged one line
 * each, or a page load would drown the API's lines. Pages themselves (`/orders/…`) still are.
 */
export function isStaticAssetRequest(request: { url?: string | undefined }): boolean {
  const path = (request.url ?? '').split('?')[0] ?? '';
  return !path.startsWith('/api/') && /\.[A-Za-z0-9]+$/.test(path);
}

export interface LoggerOptions {
  /**
   * Readable lines for a person at a terminal (pino-pretty) instead of JSON: `npm start` sets it
   * when stdout is a TTY, so a log collector reading a pipe or a file still gets JSON.
   */
  pretty?: boolean;
}

export function createLogger(
  level: string,
  destination?: DestinationStream,
  options: LoggerOptions = {},
): Logger {
  const stream = options.pretty
    ? pinoPretty({
        destination: destination ?? 1,
        sync: true,
        colorize: destination === undefined,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname',
      })
    : destination;
  return pino(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
      serializers: {
        req: (req: { method: string; url: string; hostname?: string; remoteAddress?: string }) => ({
          method: req.method,
          url: redactUrl(req.url),
          hostname: req.hostname,
          remoteAddress: req.remoteAddress,
        }),
        err: serializeError,
      },
    },
    stream,
  );
}
