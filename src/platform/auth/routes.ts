import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../errors.ts';
import { requireUser } from '../http.ts';
import type { AuthService } from './service.ts';

export const AccountSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    phone: z.string().nullable(),
    role: z.enum(['customer', 'admin']),
  })
  .meta({ id: 'Account' });

const SessionSchema = z.object({ token: z.string(), user: AccountSchema }).meta({ id: 'Session' });

const email = z.email().max(254);

export const authRoutes =
  (auth: AuthService): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/auth/register',
      {
        config: { auth: 'public', rateLimited: true },
        schema: {
          operationId: 'register',
          tags: ['Auth'],
          summary: 'Create a customer account',
          security: [],
          body: z.strictObject({
            email,
            password: z.string().min(1).max(200),
            name: z.string().trim().min(1).max(200),
            phone: z
              .string()
              .regex(/^\+?[0-9 ()-]{6,20}$/)
              .optional(),
          }),
          response: { 201: SessionSchema, 400: ErrorBody, 409: ErrorBody, 429: ErrorBody },
        },
      },
      async (request, reply) => reply.code(201).send(await auth.register(request.body)),
    );

    app.post(
      '/auth/login',
      {
        config: { auth: 'public', rateLimited: true },
        schema: {
          operationId: 'login',
          tags: ['Auth'],
          summary: 'Sign in and receive a bearer token',
          security: [],
          body: z.strictObject({ email, password: z.string().min(1).max(200) }),
          response: { 200: SessionSchema, 400: ErrorBody, 401: ErrorBody, 429: ErrorBody },
        },
      },
      async (request) => auth.login(request.body),
    );

    app.get(
      '/auth/me',
      {
        config: { auth: 'user' },
        schema: {
          operationId: 'getMe',
          tags: ['Auth'],
          summary: 'The signed-in account',
          response: { 200: AccountSchema, 401: ErrorBody },
        },
      },
      async (request) => auth.me(requireUser(request).id),
    );
  };
