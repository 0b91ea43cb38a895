import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuthUser } from '../platform/auth/model.ts';
import { ErrorBody, unauthorized } from '../platform/errors.ts';
import { requireUser } from '../platform/http.ts';
import { fromMinor } from '../platform/money.ts';
import { PageQuery } from '../platform/pagination.ts';
import { Amount, Id, IdParams, minorUnits } from '../platform/schemas.ts';
import { RETURN_REASONS, RETURN_STATUSES, returnActions } from './model.ts';
import type { ReturnService, ReturnView } from './service.ts';

const ReturnStatusSchema = z.enum(RETURN_STATUSES as [string, ...string[]]);
const Action = z.object({ allowed: z.boolean(), reason: z.string().nullable() });

const ReturnLineSchema = z.object({
  lineId: z.string(),
  variantId: z.string(),
  name: z.string(),
  variantTitle: z.string(),
  sku: z.string(),
  quantity: z.number().int(),
  disposition: z
    .enum(['restock', 'write_off'])
    .optional()
    .meta({ description: 'what was done with the items once received; absent before' }),
  locationId: z.string().nullable().meta({ description: 'where a restocked line went back on the shelf' }),
  refund: z.number().nullable().meta({ description: 'what the refund gave back for this line' }),
});

const ReturnSchema = z
  .object({
    id: z.uuid(),
    orderId: z.uuid(),
    orderNumber: z.number().int(),
    number: z.number().int().meta({ description: 'the return within its order: 1, 2, …' }),
    status: ReturnStatusSchema,
    reason: z.enum(RETURN_REASONS),
    note: z.string().nullable(),
    rejectionReason: z.string().nullable(),
    lines: z.array(ReturnLineSchema),
    currency: z.string(),
    refund: z.number().nullable().meta({ description: 'what was refunded, once the return is refunded' }),
    shippingRefund: z.number().meta({ description: 'the part of the refund that was the order’s shipping' }),
    refundDue: z.object({ amount: z.number(), shipping: z.number() }).nullable().meta({
      description:
        'while received: what a refund gives back now (confirm it as `expectedAmount`), shipping included when the policy refunds it',
    }),
    actions: z.object({ approve: Action, reject: Action, receive: Action, refund: Action, close: Action }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Return' });

const PolicySchema = z
  .object({
    windowDays: z.number().int().meta({ description: 'days after an item’s delivery it may be returned' }),
    refundShipping: z
      .boolean()
      .meta({ description: 'whether a return also refunds the order’s shipping (once)' }),
    reasons: z.array(z.enum(RETURN_REASONS)),
  })
  .meta({ id: 'ReturnPolicy' });

function returnJson(r: ReturnView) {
  const money = (minor: number) => fromMinor(minor, r.currency);
  return {
    id: r.id,
    orderId: r.orderId,
    orderNumber: r.orderNumber,
    number: r.number,
    status: r.status,
    reason: r.reason,
    note: r.note,
    rejectionReason: r.rejectionReason,
    lines: r.lines.map(({ disposition, ...l }) => ({
      ...l,
      ...(disposition && { disposition }),
      refund: l.refund === null ? null : money(l.refund),
    })),
    currency: r.currency,
    refund: r.refund === null ? null : money(r.refund),
    shippingRefund: money(r.shippingRefund),
    refundDue: r.refundDue && { amount: money(r.refundDue.total), shipping: money(r.refundDue.shipping) },
    actions: returnActions(r.status),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

const OrderLinkQuery = z.object({
  token: z
    .string()
    .min(1)
    .max(2000)
    .optional()
    .meta({ description: 'the order link’s token, for a guest without a sign-in (getGuestOrder)' }),
});

const shopperErrors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody };
const adminErrors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

/**
 * The returns context's HTTP API: a shopper's returns of their order (signed in, or a guest with
 * the order link's token), the admin's list and steps, and the return policy.
 */
export const returnRoutes =
  (
    returns: ReturnService,
    linkHolder: (orderId: string, token: string) => Promise<AuthUser>,
    currency: string,
  ): FastifyPluginAsyncZod =>
  async (app) => {
    // before the body is read, like every rule: a signed-in shopper, or a guest with the order's link
    const shopper = async (request: FastifyRequest) => {
      if (request.user) return;
      const { token } = request.query as { token?: unknown };
      const { id } = request.params as { id?: unknown };
      if (typeof token !== 'string' || token === '' || typeof id !== 'string') throw unauthorized();
      request.user = await linkHolder(id, token);
    };

    app.get(
      '/returns/policy',
      {
        config: { auth: 'public' },
        schema: {
          operationId: 'getReturnPolicy',
          tags: ['Returns'],
          summary: 'The shop’s return policy: the return window, whether shipping is refunded, the reasons',
          security: [],
          response: { 200: PolicySchema },
        },
      },
      async () => policyJson(await returns.policy()),
    );

    app.put(
      '/admin/return-policy',
      {
        config: { auth: 'admin', permission: 'settings' },
        schema: {
          operationId: 'updateReturnPolicy',
          tags: ['Returns'],
          summary: 'Change the return policy (admin)',
          description: 'Fields left out keep their value. Recorded in the audit log.',
          body: z.strictObject({
            windowDays: z.number().int().min(1).max(365).optional(),
            refundShipping: z.boolean().optional(),
          }),
          response: { 200: PolicySchema, ...adminErrors },
        },
      },
      async (request) => policyJson(await returns.updatePolicy(requireUser(request), request.body)),
    );

    app.post(
      '/orders/:id/returns',
      {
        config: { auth: 'public' },
        onRequest: shopper,
        schema: {
          operationId: 'requestReturn',
          tags: ['Returns'],
          summary: 'Ask to return delivered items of an order',
          description:
            'By the order’s owner (signed in, or a guest with `?token=` from the order link). Only delivered units that are in no other return (rejected ones excepted), within the policy’s window since their delivery: `409 not_returnable` says per line how many can be returned, `409 return_window_closed` which lines are too late, `422 unknown_line` names lines not on the order.',
          params: IdParams,
          querystring: OrderLinkQuery,
          body: z.strictObject({
            lines: z
              .array(
                z.strictObject({
                  lineId: z.string().min(1).max(64),
                  quantity: z.number().int().min(1).max(1000),
                }),
              )
              .min(1)
              .max(100),
            reason: z.enum(RETURN_REASONS),
            note: z
              .string()
              .trim()
              .max(1000)
              .optional()
              .meta({ description: 'in the shopper’s words; asked for with `other`' }),
          }),
          response: { 201: ReturnSchema, ...shopperErrors, 409: ErrorBody, 422: ErrorBody },
        },
      },
      async (request, reply) => {
        const created = await returns.request(requireUser(request), request.params.id, request.body);
        return reply.code(201).send(returnJson(created));
      },
    );

    app.get(
      '/orders/:id/returns',
      {
        config: { auth: 'public' },
        onRequest: shopper,
        schema: {
          operationId: 'listOrderReturns',
          tags: ['Returns'],
          summary: 'The returns of an order, oldest first',
          description: 'For the order’s owner (signed in, or a guest with `?token=`) and admins.',
          params: IdParams,
          querystring: OrderLinkQuery,
          response: {
            200: z.object({
              items: z.array(ReturnSchema),
              returnable: z
                .array(
                  z.object({
                    lineId: z.string(),
                    variantId: z.string(),
                    name: z.string(),
                    variantTitle: z.string(),
                    sku: z.string(),
                    returnable: z.number().int().meta({ description: 'delivered units in no other return' }),
                    until: z.iso
                      .datetime()
                      .meta({ description: 'the end of the return window for this line' }),
                  }),
                )
                .meta({ description: 'what may still be asked for in a new return' }),
            }),
            ...shopperErrors,
          },
        },
      },
      async (request) => {
        const found = await returns.ofOrder(requireUser(request), request.params.id);
        return {
          items: found.returns.map(returnJson),
          returnable: found.returnable.map((r) => ({ ...r, until: r.until.toISOString() })),
        };
      },
    );

    app.get(
      '/admin/returns',
      {
        config: { auth: 'admin', permission: 'orders.read' },
        schema: {
          operationId: 'adminListReturns',
          tags: ['Returns'],
          summary: 'All returns, newest first, optionally of one status (admin)',
          querystring: z.object({ status: ReturnStatusSchema.optional(), ...PageQuery }),
          response: {
            200: z.object({ items: z.array(ReturnSchema), nextCursor: z.string().nullable() }),
            ...adminErrors,
          },
        },
      },
      async (request) => {
        const q = request.query;
        const page = await returns.list({
          status: q.status as ReturnView['status'] | undefined,
          limit: q.limit,
          cursor: q.cursor,
        });
        return { items: page.items.map(returnJson), nextCursor: page.nextCursor };
      },
    );

    app.get(
      '/admin/returns/:id',
      {
        config: { auth: 'admin', permission: 'orders.read' },
        schema: {
          operationId: 'adminGetReturn',
          tags: ['Returns'],
          summary: 'One return, with what a refund would give back now (admin)',
          params: IdParams,
          response: { 200: ReturnSchema, ...adminErrors },
        },
      },
      async (request) => returnJson(await returns.get(request.params.id)),
    );

    const stepErrors = { 200: ReturnSchema, ...adminErrors, 409: ErrorBody, 422: ErrorBody };

    app.post(
      '/admin/returns/:id/approve',
      {
        config: { auth: 'admin', permission: 'returns' },
        schema: {
          operationId: 'approveReturn',
          tags: ['Returns'],
          summary: 'Approve a requested return: the shopper may send the items back (admin)',
          description: '409 `invalid_return_transition` says why when the return is not requested.',
          params: IdParams,
          response: stepErrors,
        },
      },
      async (request) => returnJson(await returns.approve(requireUser(request), request.params.id)),
    );

    app.post(
      '/admin/returns/:id/reject',
      {
        config: { auth: 'admin', permission: 'returns' },
        schema: {
          operationId: 'rejectReturn',
          tags: ['Returns'],
          summary: 'Reject a requested return, with the reason the shopper is told (admin)',
          description: 'Its units may be asked for again in another return.',
          params: IdParams,
          body: z.strictObject({ reason: z.string().trim().min(1).max(500) }),
          response: stepErrors,
        },
      },
      async (request) =>
        returnJson(await returns.reject(requireUser(request), request.params.id, request.body.reason)),
    );

    app.post(
      '/admin/returns/:id/receive',
      {
        config: { auth: 'admin', permission: 'returns' },
        schema: {
          operationId: 'receiveReturn',
          tags: ['Returns'],
          summary:
            'Record the items of an approved return as received: each restocked at a location or written off (admin)',
          description:
            'Every line of the return, once: `restock` puts its units back on the shelf at `locationId` (default: the highest-priority location), `write_off` does not. A return with nothing left to refund is closed at once. Two admins receiving one return at once: one succeeds, the other gets 409.',
          params: IdParams,
          body: z.strictObject({
            lines: z
              .array(
                z.strictObject({
                  lineId: z.string().min(1).max(64),
                  disposition: z.enum(['restock', 'write_off']),
                  locationId: Id.optional(),
                }),
              )
              .min(1)
              .max(100),
          }),
          response: stepErrors,
        },
      },
      async (request) =>
        returnJson(await returns.receive(requireUser(request), request.params.id, request.body)),
    );

    app.post(
      '/admin/returns/:id/refund',
      {
        config: { auth: 'admin', permission: 'refunds' },
        schema: {
          operationId: 'refundReturn',
          tags: ['Returns'],
          summary: 'Refund a received return, for the amount the admin confirmed (admin)',
          description:
            '`expectedAmount` is `refundDue.amount` as shown (adminGetReturn): when the amount is now another, 409 `amount_changed` gives it in `details.amount` and nothing is refunded. The money goes back through the order’s refund path with the idempotency key `orderly-<orderId>-return-<returnId>`: sent twice, the refund is made once: the other answer shows the refunded return, or is 409 `refund_in_progress` while the first is still with the provider. 502 `refund_failed` when the payment provider did not take it (the return stays received; try again).',
          params: IdParams,
          body: z.strictObject({ expectedAmount: Amount }),
          response: { ...stepErrors, 502: ErrorBody },
        },
      },
      async (request) =>
        returnJson(
          await returns.refund(
            requireUser(request),
            request.params.id,
            minorUnits(request.body.expectedAmount, currency, 'body.expectedAmount'),
          ),
        ),
    );
  };

function policyJson(policy: { windowDays: number; refundShipping: boolean }) {
  return {
    windowDays: policy.windowDays,
    refundShipping: policy.refundShipping,
    reasons: [...RETURN_REASONS],
  };
}
