import { z } from 'zod';

/**
 * The one error shape of the API, `{code, message, details}`, with stable machine codes.
 * Services throw `AppError`s; the HTTP layer turns them, and everything a client can cause,
 * into 4xx answers. Anything else is a 5xx and a bug.
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly statusCode: number;
  readonly code: string;
  readonly details: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    statusCode: number,
    code: string,
    message: string,
    details: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.statusCode = statusCode;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }
}

export const badRequest = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError(400, code, message, details);
export const unauthorized = (message = 'Sign in to continue.') => new AppError(401, 'unauthorized', message);
export const forbidden = (message = 'You are not allowed to do this.') =>
  new AppError(403, 'forbidden', message);
export const notFound = (what: string, id?: string) =>
  new AppError(404, 'not_found', `${what} not found.`, id === undefined ? {} : { id });
export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError(409, code, message, details);
export const unprocessable = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError(422, code, message, details);
export const unavailable = (code: string, message: string, retryAfterSeconds = 1) =>
  new AppError(503, code, message, {}, { 'retry-after': String(retryAfterSeconds) });

export const ErrorBody = z
  .object({
    code: z.string().meta({ description: 'stable machine-readable code' }),
    message: z.string().meta({ description: 'a sentence for people' }),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBody>;

export function errorBody(error: AppError): ErrorBody {
  return { code: error.code, message: error.message, details: error.details };
}
