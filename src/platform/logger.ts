import pino, { type DestinationStream, type Logger } from 'pino';

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

export function createLogger(level: string, destination?: DestinationStream): Logger {
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
        err: pino.stdSerializers.err,
      },
    },
    destination,
  );
}
