import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../errors.ts';
import { requireUser } from '../http.ts';
import { PageQuery } from '../pagination.ts';
import { Id, IdParams, endOf } from '../schemas.ts';
import { STAFF_ROLES, type StaffRole } from './permissions.ts';
import type { AuditLogEntry, StaffMember, StaffService } from './staff.ts';

export const StaffRoleSchema = z.enum(STAFF_ROLES as [StaffRole, ...StaffRole[]]).meta({
  id: 'StaffRole',
  description:
    'owner: everything, including staff, settings and the catalog; staff: orders, returns, stock, refunds, e-mails; support: reading orders and customers, e-mails, refunds up to the shop’s limit',
});

const StaffMemberSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: StaffRoleSchema,
    status: z.enum(['invited', 'active', 'deactivated']).meta({
      description: 'invited: has not chosen a password from the invitation yet',
    }),
    createdAt: z.iso.datetime(),
    deactivatedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'StaffMember' });

const AuditEntrySchema = z
  .object({
    id: z.string().meta({ description: "the entry's place in the log" }),
    at: z.iso.datetime(),
    actor: z
      .object({ id: z.uuid(), name: z.string(), email: z.string() })
      .nullable()
      .meta({ description: 'who did it; null for Orderly itself (a job, a webhook)' }),
    action: z.string().meta({ description: 'what was done, `area.verb`: order.refund, staff.invite, …' }),
    targetType: z.string(),
    targetId: z.string(),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEntry' });

const memberJson = (m: StaffMember) => ({
  ...m,
  createdAt: m.createdAt.toISOString(),
  deactivatedAt: m.deactivatedAt?.toISOString() ?? null,
});

const entryJson = (e: AuditLogEntry) => ({
  id: e.id,
  at: e.at.toISOString(),
  actor: e.actor,
  action: e.action,
  targetType: e.targetType,
  targetId: e.targetId,
  details: e.details,
});

const staffErrors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };

/** The owner's routes: the staff and the audit log (permission `staff`). */
export const staffRoutes =
  (staff: StaffService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/admin/staff',
      {
        config: { auth: 'admin', permission: 'staff' },
        schema: {
          operationId: 'listStaff',
          tags: ['Staff'],
          summary: 'Every staff member, with their role and whether they are active (owner)',
          description:
            'Invited members have not yet chosen a password; deactivated ones can no longer sign in. Oldest first.',
          response: { 200: z.object({ items: z.array(StaffMemberSchema) }), ...staffErrors },
        },
      },
      async () => ({ items: (await staff.list()).map(memberJson) }),
    );

    app.post(
      '/admin/staff',
      {
        config: { auth: 'admin', permission: 'staff' },
        schema: {
          operationId: 'inviteStaffMember',
          tags: ['Staff'],
          summary: 'Add a staff member and email them a link to choose their password (owner)',
          description:
            'The link (`/reset-password#token=…`) works once, for 72 hours; after that "Forgot password" sends a new one. 409 `email_taken` when the email has an account already.',
          body: z.strictObject({
            email: z.email().max(254),
            name: z.string().trim().min(1).max(200),
            role: StaffRoleSchema,
          }),
          response: { 201: StaffMemberSchema, ...staffErrors, 409: ErrorBody },
        },
      },
      async (request, reply) =>
        reply.code(201).send(memberJson(await staff.invite(requireUser(request), request.body))),
    );

    app.patch(
      '/admin/staff/:id',
      {
        config: { auth: 'admin', permission: 'staff' },
        schema: {
          operationId: 'changeStaffRole',
          tags: ['Staff'],
          summary: "Change a staff member's role (owner); it applies from their next request",
          description: '409 `last_owner` when this would leave the shop without an active owner.',
          params: IdParams,
          body: z.strictObject({ role: StaffRoleSchema }),
          response: { 200: StaffMemberSchema, ...staffErrors, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (request) =>
        memberJson(await staff.changeRole(requireUser(request), request.params.id, request.body.role)),
    );

    app.post(
      '/admin/staff/:id/deactivate',
      {
        config: { auth: 'admin', permission: 'staff' },
        schema: {
          operationId: 'deactivateStaffMember',
          tags: ['Staff'],
          summary: 'Deactivate a staff member: their sessions end at once and they cannot sign in (owner)',
          description:
            'Their name stays on what they did (order timelines, the audit log). Deactivating someone already deactivated changes nothing; reactivateStaffMember undoes it. 409 `last_owner` for the last active owner.',
          params: IdParams,
          response: { 200: StaffMemberSchema, ...staffErrors, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (request) => memberJson(await staff.deactivate(requireUser(request), request.params.id)),
    );

    app.post(
      '/admin/staff/:id/reactivate',
      {
        config: { auth: 'admin', permission: 'staff' },
        schema: {
          operationId: 'reactivateStaffMember',
          tags: ['Staff'],
          summary: 'Let a deactivated staff member sign in again, with the role they had (owner)',
          description:
            'Sessions ended by the deactivation stay ended: they sign in again with their password (an invited member who never chose one uses the invitation or "Forgot password"). 409 `not_deactivated` when the member is not deactivated.',
          params: IdParams,
          response: { 200: StaffMemberSchema, ...staffErrors, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (request) => memberJson(await staff.reactivate(requireUser(request), request.params.id)),
    );

    app.get(
      '/admin/audit-log',
      {
        config: { auth: 'admin', permission: 'staff' },
        schema: {
          operationId: 'listAuditLog',
          tags: ['Staff'],
          summary: 'Who changed money, stock, settings or the staff, newest first (owner)',
          querystring: z.object({
            actorId: Id.optional().meta({ description: 'only what this staff member did' }),
            action: z
              .string()
              .trim()
              .min(1)
              .max(100)
              .regex(/^[A-Za-z0-9_.-]+$/, 'must be an action or its start, like order. or order.refund')
              .optional()
              .meta({ description: 'actions starting with this: `order.` or `order.refund`' }),
            targetType: z.string().trim().min(1).max(50).optional(),
            targetId: z.string().trim().min(1).max(100).optional(),
            from: z.iso
              .datetime({ offset: true })
              .or(z.iso.date())
              .optional()
              .meta({ description: 'at or after; a date means its start (UTC)' }),
            to: z.iso
              .datetime({ offset: true })
              .or(z.iso.date())
              .optional()
              .meta({ description: 'before; a date includes that whole day (UTC)' }),
            ...PageQuery,
          }),
          response: {
            200: z.object({ items: z.array(AuditEntrySchema), nextCursor: z.string().nullable() }),
            ...staffErrors,
          },
        },
      },
      async (request) => {
        const q = request.query;
        const page = await staff.auditLog(
          {
            actorId: q.actorId,
            actionPrefix: q.action,
            targetType: q.targetType,
            targetId: q.targetId,
            from: q.from ? new Date(q.from) : undefined,
            to: q.to ? endOf(q.to) : undefined,
          },
          { limit: q.limit, cursor: q.cursor },
        );
        return { items: page.items.map(entryJson), nextCursor: page.nextCursor };
      },
    );
  };
