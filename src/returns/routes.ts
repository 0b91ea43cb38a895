import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuthUser } from '../platform/auth/model.ts';
import { ErrorBody, unauthorized } from '../platform/errors.ts';
import { requireStaffPermission, requireUser } from '../platform/http.ts';
import { fromMinor } from '../platform/money.ts';
import { PageQuery } from '../platform/pagination.ts';
import { Amount, Id, IdParams, minorUnits } from '../platform/schemas.ts';
import { Carrier, TrackingNumber } from '../fulfilment/routes.ts';
import { PaymentMethodSchema } from '../orders/route-schemas.ts';
import { RETURN_REASONS, RETURN_STATUSES, returnActions, type ExchangeOption } from './model.ts';
import {
  replacementRefusal,
  returnCircumstances,
  type ReturnQuote,
  type ReturnService,
  type ReturnView,
} from './service.ts';

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
  replacement: z
    .object({
      variantId: z.string(),
      name: z.string(),
      variantTitle: z.string(),
      sku: z.string(),
      unitPrice: z.number(),
    })
    .nullable()
    .meta({ description: 'an exchange: the variant sent instead of a refund, at its price when asked for' }),
  difference: z.number().nullable().meta({
    description:
      'an exchanged line’s price difference: above 0 the shopper paid it when asking, below 0 the refund gives it back',
  }),
});

const ExchangeOptionSchema = z
  .object({
    variantId: z.string(),
    name: z.string(),
    title: z.string(),
    sku: z.string(),
    unitPrice: z.number(),
    available: z.number().int().meta({ description: 'units in stock now' }),
  })
  .meta({ description: 'another variant of the product, on sale, that the units may be exchanged for' });

const ReturnLinesBody = z
  .array(
    z.strictObject({
      lineId: z.string().min(1).max(64),
      quantity: z.number().int().min(1).max(1000),
      replacementVariantId: Id.optional().meta({
        description:
          'exchange these units for this variant (one of the line’s exchangeOptions) instead of a refund',
      }),
    }),
  )
  .min(1)
  .max(100);

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
    cancelledBy: z.enum(['customer', 'admin']).nullable().meta({
      description:
        'once cancelled: withdrawn by the shopper (`customer`), or cancelled by the shop (`admin`)',
    }),
    cancellationReason: z
      .string()
      .nullable()
      .meta({ description: 'the shop’s reason for cancelling, as the customer is told; null without one' }),
    lines: z.array(ReturnLineSchema),
    currency: z.string(),
    refund: z.number().nullable().meta({ description: 'what was refunded, once the return is refunded' }),
    shippingRefund: z.number().meta({ description: 'the part of the refund that was the order’s shipping' }),
    refundDue: z.object({ amount: z.number(), shipping: z.number(), exchange: z.number() }).nullable().meta({
      description:
        'while received: what a refund gives back now (confirm it as `expectedAmount`), shipping included when the policy refunds it, and what a cheaper exchange leaves over',
    }),
    kind: z
      .enum(['return', 'exchange'])
      .meta({ description: 'an exchange sends replacements for some lines' }),
    exchangeCharge: z.number().meta({ description: 'what a dearer exchange charged when it was asked for' }),
    replacementShipment: z
      .object({
        location: z.object({ id: z.string(), name: z.string() }),
        carrier: z.string(),
        trackingNumber: z.string(),
        trackingUrl: z.string().nullable(),
        shippedAt: z.iso.datetime(),
      })
      .nullable()
      .meta({ description: 'the parcel an exchange’s replacements left in' }),
    actions: z.object({
      approve: Action,
      reject: Action,
      receive: Action,
      refund: Action,
      close: Action,
      cancel: Action.meta({
        description:
          'cancelReturn by the shop, or withdrawReturn by the shopper: while the items have not come back',
      }),
      shipReplacement: Action,
    }),
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

const QuoteSchema = z
  .object({
    lines: z.array(
      z.object({
        lineId: z.string(),
        quantity: z.number().int(),
        replacement: ExchangeOptionSchema.nullable(),
        difference: z.number().nullable(),
      }),
    ),
    charge: z.number().meta({
      description:
        'charged when the return is asked for (a dearer exchange): confirm it as `confirmedAmount`',
    }),
    exchangeRefund: z.number().meta({ description: 'what a cheaper exchange gives back with the refund' }),
    currency: z.string(),
  })
  .meta({ id: 'ReturnQuote' });

function optionJson({ unitPriceMinor, ...o }: ExchangeOption, currency: string) {
  return { ...o, unitPrice: fromMinor(unitPriceMinor, currency) };
}

function quoteJson(q: ReturnQuote, currency: string) {
  return {
    lines: q.lines.map((l) => ({
      lineId: l.lineId,
      quantity: l.quantity,
      replacement: l.replacement && optionJson(l.replacement, currency),
      difference: l.difference === null ? null : fromMinor(l.difference, currency),
    })),
    charge: fromMinor(q.charge, currency),
    exchangeRefund: fromMinor(q.exchangeRefund, currency),
    currency,
  };
}

function returnJson(r: ReturnView) {
  const money = (minor: number) => fromMinor(minor, r.currency);
  const exchange = r.lines.some((l) => l.replacement);
  const blocked = exchange ? replacementRefusal(r) : { reason: 'This return replaces nothing.' };
  return {
    id: r.id,
    orderId: r.orderId,
    orderNumber: r.orderNumber,
    number: r.number,
    status: r.status,
    reason: r.reason,
    note: r.note,
    rejectionReason: r.rejectionReason,
    cancelledBy: r.cancelledBy,
    cancellationReason: r.cancellationReason,
    lines: r.lines.map(({ disposition, ...l }) => ({
      ...l,
      ...(disposition && { disposition }),
      refund: l.refund === null ? null : money(l.refund),
      replacement: l.replacement && { ...l.replacement, unitPrice: money(l.replacement.unitPrice) },
      difference: l.difference === null ? null : money(l.difference),
    })),
    currency: r.currency,
    refund: r.refund === null ? null : money(r.refund),
    shippingRefund: money(r.shippingRefund),
    refundDue: r.refundDue && {
      amount: money(r.refundDue.total),
      shipping: money(r.refundDue.shipping),
      exchange: money(r.refundDue.exchange),
    },
    kind: exchange ? ('exchange' as const) : ('return' as const),
    exchangeCharge: money(r.exchangeCharge),
    replacementShipment: r.replacementShipment && {
      location: { id: r.replacementShipment.locationId, name: r.replacementLocationName },
      carrier: r.replacementShipment.carrier,
      trackingNumber: r.replacementShipment.trackingNumber,
      trackingUrl: r.replacementShipment.trackingUrl,
      shippedAt: r.replacementShipment.shippedAt.toISOString(),
    },
    actions: {
      ...returnActions(r.status, returnCircumstances(r)),
      shipReplacement: blocked ? { allowed: false, reason: blocked.reason } : { allowed: true, reason: null },
    },
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
            lines: ReturnLinesBody,
            reason: z.enum(RETURN_REASONS),
            paymentMethod: PaymentMethodSchema.optional().meta({
              description: 'pays a dearer exchange (quoteReturn’s `charge` above 0)',
            }),
            confirmedAmount: Amount.optional().meta({
              description:
                'quoteReturn’s `charge` the shopper agreed to pay; needed when it is above 0, 409 amount_changed when it no longer matches',
            }),
            note: z
              .string()
              .trim()
              .max(1000)
              .optional()
              .meta({ description: 'in the shopper’s words; asked for with `other`' }),
          }),
          response: {
            201: ReturnSchema,
            ...shopperErrors,
            402: ErrorBody,
            409: ErrorBody,
            422: ErrorBody,
            502: ErrorBody,
          },
        },
      },
      async (request, reply) => {
        const { confirmedAmount, ...input } = request.body;
        const created = await returns.request(requireUser(request), request.params.id, {
          ...input,
          confirmedAmount:
            confirmedAmount === undefined
              ? undefined
              : minorUnits(confirmedAmount, currency, 'body.confirmedAmount'),
        });
        return reply.code(201).send(returnJson(created));
      },
    );

    app.post(
      '/orders/:id/returns/quote',
      {
        config: { auth: 'public' },
        onRequest: shopper,
        schema: {
          operationId: 'quoteReturn',
          tags: ['Returns'],
          summary:
            'Price a return or an exchange before asking for it: each replacement’s difference, the charge',
          description:
            'Nothing is kept or charged. The same lines as requestReturn; a line with `replacementVariantId` is an exchange, priced at the difference in unit price taxed like the line (the discount the line had stays with it, so a swap at one price is free). `charge` is what requestReturn takes when the exchange costs more in all.',
          params: IdParams,
          querystring: OrderLinkQuery,
          body: z.strictObject({ lines: ReturnLinesBody }),
          response: { 200: QuoteSchema, ...shopperErrors, 409: ErrorBody, 422: ErrorBody },
        },
      },
      async (request) =>
        quoteJson(await returns.quote(requireUser(request), request.params.id, request.body.lines), currency),
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
                    exchangeOptions: z.array(ExchangeOptionSchema).meta({
                      description: 'the other variants of the product its units may be exchanged for',
                    }),
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
          returnable: found.returnable.map((r) => ({
            ...r,
            until: r.until.toISOString(),
            exchangeOptions: r.exchangeOptions.map((o) => optionJson(o, currency)),
          })),
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

    app.post(
      '/admin/returns/:id/cancel',
      {
        config: { auth: 'admin', permission: 'returns' },
        schema: {
          operationId: 'cancelReturn',
          tags: ['Returns'],
          summary:
            'Cancel a requested or approved return or exchange whose items have not come back, with an optional reason the customer is told (admin)',
          description:
            'An approved exchange’s replacements go back on the shelf; what a dearer exchange charged is refunded with the idempotency key `orderly-<orderId>-return-<returnId>-cancel`. 409 `invalid_return_transition` says why not (received, or already finished), `replacement_shipped` once the replacement has left. 502 `refund_failed` when the payment provider did not take the refund: the return stays as it was; send it again to finish with the same key. A cancelled return’s units may be asked for again.',
          params: IdParams,
          body: z.strictObject({
            reason: z
              .string()
              .trim()
              .min(1)
              .max(500)
              .optional()
              .meta({ description: 'why, in words the customer reads in their email; `{}` for none' }),
          }),
          response: { ...stepErrors, 502: ErrorBody },
        },
      },
      async (request) =>
        returnJson(
          await returns.cancel(requireUser(request), request.params.id, request.body.reason ?? null),
        ),
    );

    app.post(
      '/orders/:id/returns/:returnId/withdraw',
      {
        config: { auth: 'public' },
        // the order's owner, or a guest with its link; a staff member needs the permission to cancel returns
        onRequest: async (request) => {
          await shopper(request);
          requireStaffPermission(requireUser(request), 'returns');
        },
        schema: {
          operationId: 'withdrawReturn',
          tags: ['Returns'],
          summary: 'Withdraw one’s own return or exchange before its items are sent back',
          description:
            'By the order’s owner (signed in, or a guest with `?token=`), while the return is requested or approved: the same step as cancelReturn, without a reason. What a dearer exchange charged is refunded; 409 `invalid_return_transition` once the items are back or the return is finished, `replacement_shipped` once the replacement has left; 502 `refund_failed` as for cancelReturn.',
          params: z.object({ id: Id, returnId: Id }),
          querystring: OrderLinkQuery,
          response: {
            200: ReturnSchema,
            ...shopperErrors,
            403: ErrorBody,
            409: ErrorBody,
            422: ErrorBody,
            502: ErrorBody,
          },
        },
      },
      async (request) =>
        returnJson(await returns.withdraw(requireUser(request), request.params.id, request.params.returnId)),
    );

    app.post(
      '/admin/returns/:id/replacement-shipment',
      {
        config: { auth: 'admin', permission: 'returns' },
        schema: {
          operationId: 'shipExchangeReplacement',
          tags: ['Returns'],
          summary: 'Ship an approved exchange’s replacements in one parcel, with its tracking (admin)',
          description:
            'The units held when the exchange was approved leave from `locationId` (default: the highest-priority location); the shopper is emailed the tracking link. 409 `not_an_exchange`, `exchange_not_approved`, `exchange_rejected` or `replacement_shipped` say why not; `insufficient_stock_at_location` when that location has too few.',
          params: IdParams,
          body: z.strictObject({
            carrier: Carrier,
            trackingNumber: TrackingNumber,
            trackingUrl: z
              .url({ protocol: /^https?$/ })
              .max(500)
              .optional()
              .meta({ description: "the carrier's tracking page; the shopper's e-mail links to it" }),
            locationId: Id.optional(),
          }),
          response: stepErrors,
        },
      },
      async (request) =>
        returnJson(await returns.shipReplacement(requireUser(request), request.params.id, request.body)),
    );
  };

function policyJson(policy: { windowDays: number; refundShipping: boolean }) {
  return {
    windowDays: policy.windowDays,
    refundShipping: policy.refundShipping,
    reasons: [...RETURN_REASONS],
  };
}
