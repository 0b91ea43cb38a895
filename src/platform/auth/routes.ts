import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../errors.ts';
import { requireUser } from '../http.ts';
import { City, CountryCode, IdParams, PostalCode, Street } from '../schemas.ts';
import {
  ROLE_PERMISSIONS,
  STAFF_ROLES,
  permissionsOf,
  type Permission,
  type StaffRole,
} from './permissions.ts';
import type { ProfileService } from './profile.ts';
import type { AuthService } from './service.ts';

export const AccountSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    phone: z.string().nullable(),
    role: z.enum(['customer', 'admin']).meta({ description: 'admin: a staff member' }),
    staffRole: z
      .enum(STAFF_ROLES as [StaffRole, ...StaffRole[]])
      .nullable()
      .meta({ description: "a staff member's role; null for a customer" }),
    permissions: z
      // the owner holds every permission there is
      .array(z.enum(ROLE_PERMISSIONS.owner as [Permission, ...Permission[]]))
      .meta({ description: 'what this account may use in the admin (docs/staff.md); empty for a customer' }),
  })
  .meta({ id: 'Account' });

/** An account as the API shows it: with what its staff role allows, for the admin's menus. */
export function accountJson<T extends { staffRole: StaffRole | null }>(account: T) {
  return { ...account, permissions: [...permissionsOf(account.staffRole)] };
}

const sessionJson = <T extends { staffRole: StaffRole | null }>(session: { token: string; user: T }) => ({
  token: session.token,
  user: accountJson(session.user),
});

const SessionSchema = z.object({ token: z.string(), user: AccountSchema }).meta({ id: 'Session' });

const AcceptedSchema = z
  .object({ message: z.string().meta({ description: 'what happens next, for people' }) })
  .meta({ id: 'Accepted' });

const email = z.email().max(254);
const password = z.string().min(1).max(200);
const name = z.string().trim().min(1).max(200);
const phone = z
  .string()
  .regex(/^\+?[0-9 ()-]{6,20}$/, 'must be a phone number')
  .meta({ description: 'digits, spaces, (), - and an optional leading +' });
const optionalText = (max: number) => z.string().trim().min(1).max(max).nullable().optional();

const AddressBody = z
  .strictObject({
    label: optionalText(50).meta({ description: 'how the shopper names it: Home, Work' }),
    recipient: optionalText(200).meta({ description: 'who receives parcels there' }),
    phone: phone.nullable().optional(),
    street: Street,
    city: City,
    state: z.string().trim().min(1).max(100),
    zip: PostalCode,
    country: CountryCode.nullable().optional(),
  })
  .meta({ id: 'SavedAddressFields' });

export const SavedAddressSchema = z
  .object({
    id: z.uuid(),
    label: z.string().nullable(),
    recipient: z.string().nullable(),
    phone: z.string().nullable(),
    street: z.string(),
    city: z.string(),
    state: z.string(),
    zip: z.string(),
    country: z.string().nullable(),
  })
  .meta({ id: 'SavedAddress' });

const fields = (body: z.infer<typeof AddressBody>) => ({
  label: body.label ?? null,
  recipient: body.recipient ?? null,
  phone: body.phone?.trim() || null,
  street: body.street,
  city: body.city,
  state: body.state,
  zip: body.zip,
  country: body.country ?? null,
});

const REGISTERED =
  'Thanks. Sign in with your email and password to continue. If this email already had an account, we have emailed its owner instead.';
const RESET_REQUESTED =
  'If this email has an account, we have sent it a link to choose a new password. The link works once, for 30 minutes.';

export const authRoutes =
  (auth: AuthService, profile: ProfileService): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/auth/register',
      {
        config: { auth: 'public', rateLimited: true },
        schema: {
          operationId: 'register',
          tags: ['Auth'],
          summary: 'Create a customer account',
          description:
            'Answers 202 whether or not the email already has an account, so sign-up does not reveal who has one; the owner of an existing account is emailed instead. Sign in with `login` to get a token. (201 with a session was the answer before 1.1.0 and is no longer sent.)',
          security: [],
          body: z.strictObject({ email, password, name, phone: phone.optional() }),
          response: {
            201: SessionSchema,
            202: AcceptedSchema,
            400: ErrorBody,
            409: ErrorBody,
            429: ErrorBody,
          },
        },
      },
      async (request, reply) => {
        await auth.register(request.body);
        return reply.code(202).send({ message: REGISTERED });
      },
    );

    app.post(
      '/auth/login',
      {
        config: { auth: 'public', rateLimited: true },
        schema: {
          operationId: 'login',
          tags: ['Auth'],
          summary: 'Sign in and receive a bearer token',
          description:
            'After three failed attempts for one email, each further failure doubles a delay (1 s, 2 s, 4 s … at most 15 minutes) during which sign-in for that email answers 429 `login_delayed` with Retry-After.',
          security: [],
          body: z.strictObject({ email, password }),
          response: { 200: SessionSchema, 400: ErrorBody, 401: ErrorBody, 429: ErrorBody },
        },
      },
      async (request) => sessionJson(await auth.login(request.body)),
    );

    app.post(
      '/auth/logout',
      {
        config: { auth: 'user' },
        schema: {
          operationId: 'logout',
          tags: ['Auth'],
          summary: 'Sign out everywhere: every token of this account stops working',
          response: { 204: z.null().meta({ description: 'Signed out' }), 401: ErrorBody },
        },
      },
      async (request, reply) => {
        await auth.logout(requireUser(request).id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/auth/password',
      {
        config: { auth: 'user' },
        schema: {
          operationId: 'changePassword',
          tags: ['Auth'],
          summary: 'Change the password: needs the current one, signs out every other session',
          body: z.strictObject({ currentPassword: password, newPassword: password }),
          response: { 200: SessionSchema, 400: ErrorBody, 401: ErrorBody, 422: ErrorBody, 429: ErrorBody },
        },
      },
      async (request) =>
        sessionJson(
          await auth.changePassword(
            requireUser(request).id,
            request.body.currentPassword,
            request.body.newPassword,
          ),
        ),
    );

    app.post(
      '/auth/password-reset',
      {
        config: { auth: 'public', rateLimited: true },
        schema: {
          operationId: 'requestPasswordReset',
          tags: ['Auth'],
          summary: 'Email a single-use link to choose a new password',
          description:
            'Answers 202 whether or not the email has an account. The link is `/reset-password#token=…` on the storefront and works once, for 30 minutes.',
          security: [],
          body: z.strictObject({ email }),
          response: { 202: AcceptedSchema, 400: ErrorBody, 429: ErrorBody },
        },
      },
      async (request, reply) => {
        await auth.requestPasswordReset(request.body.email);
        return reply.code(202).send({ message: RESET_REQUESTED });
      },
    );

    app.post(
      '/auth/password-reset/confirm',
      {
        config: { auth: 'public', rateLimited: true },
        schema: {
          operationId: 'resetPassword',
          tags: ['Auth'],
          summary: 'Choose a new password with the token from a reset link; signs out everywhere',
          security: [],
          body: z.strictObject({ token: z.string().min(1).max(200), password }),
          response: { 200: SessionSchema, 400: ErrorBody, 422: ErrorBody, 429: ErrorBody },
        },
      },
      async (request) => sessionJson(await auth.resetPassword(request.body.token, request.body.password)),
    );

    app.post(
      '/auth/claim',
      {
        config: { auth: 'public', rateLimited: true },
        schema: {
          operationId: 'claimAccount',
          tags: ['Auth'],
          summary:
            'Finish creating an account from a guest one with the token from the emailed link; signs in',
          description:
            'Signing up (or asking for a password reset) with an email that has only placed guest orders sends that email a link, `/claim-account#token=…`, that works once, for 24 hours. With it the guest account gets this password and name and becomes a customer account, with every past guest order in its history. 422 `invalid_claim_link` for a link that has expired or been used.',
          security: [],
          body: z.strictObject({ token: z.string().min(1).max(2000), password, name }),
          response: { 200: SessionSchema, 400: ErrorBody, 422: ErrorBody, 429: ErrorBody },
        },
      },
      async (request) => sessionJson(await auth.claim(request.body)),
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
      async (request) => accountJson(await auth.me(requireUser(request).id)),
    );

    app.patch(
      '/account',
      {
        config: { auth: 'user' },
        schema: {
          operationId: 'updateAccount',
          tags: ['Account'],
          summary: "Change the signed-in account's name or phone (null removes the phone)",
          body: z
            .strictObject({ name: name.optional(), phone: phone.nullable().optional() })
            .refine((b) => b.name !== undefined || b.phone !== undefined, 'give name or phone'),
          response: { 200: AccountSchema, 400: ErrorBody, 401: ErrorBody },
        },
      },
      async (request) => accountJson(await profile.update(requireUser(request).id, request.body)),
    );

    app.get(
      '/account/addresses',
      {
        config: { auth: 'user' },
        schema: {
          operationId: 'listAddresses',
          tags: ['Account'],
          summary: 'The saved addresses of the signed-in account, oldest first',
          response: { 200: z.object({ items: z.array(SavedAddressSchema) }), 401: ErrorBody },
        },
      },
      async (request) => ({ items: await profile.addresses(requireUser(request).id) }),
    );

    app.post(
      '/account/addresses',
      {
        config: { auth: 'user' },
        schema: {
          operationId: 'createAddress',
          tags: ['Account'],
          summary: 'Save an address (at most 20 per account)',
          body: AddressBody,
          response: { 201: SavedAddressSchema, 400: ErrorBody, 401: ErrorBody, 409: ErrorBody },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await profile.addAddress(requireUser(request).id, fields(request.body))),
    );

    app.put(
      '/account/addresses/:id',
      {
        config: { auth: 'user' },
        schema: {
          operationId: 'updateAddress',
          tags: ['Account'],
          summary: 'Replace a saved address',
          params: IdParams,
          body: AddressBody,
          response: { 200: SavedAddressSchema, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
        },
      },
      async (request) =>
        profile.updateAddress(requireUser(request).id, request.params.id, fields(request.body)),
    );

    app.delete(
      '/account/addresses/:id',
      {
        config: { auth: 'user' },
        schema: {
          operationId: 'deleteAddress',
          tags: ['Account'],
          summary: 'Delete a saved address',
          params: IdParams,
          response: { 204: z.null().meta({ description: 'Deleted' }), 401: ErrorBody, 404: ErrorBody },
        },
      },
      async (request, reply) => {
        await profile.deleteAddress(requireUser(request).id, request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
