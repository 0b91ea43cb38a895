import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../platform/errors.ts';
import { IdParams } from '../platform/schemas.ts';
import { CreateOrderRequest, requestedItems } from '../orders/routes.ts';
import {
  checkoutChoice,
  IdempotencyHeaders,
  OrderNumber,
  OrderSchema,
  idempotency,
  orderJson,
  placeErrors,
} from '../orders/route-schemas.ts';
import { ORDER_ACTIONS } from '../orders/model.ts';
import type { OrderView } from '../orders/queries.ts';
import type { GuestService } from './service.ts';

const email = z.email().max(254);

const GuestOrderRequest = CreateOrderRequest.omit({ customerId: true })
  .extend({
    email: email.meta({ description: 'where the confirmation and its link to the order go' }),
    name: z.string().trim().min(1).max(200).meta({ description: "the shopper's name" }),
  })
  .meta({ id: 'GuestOrderRequest' });

const AccessToken = z.string().meta({
  description: `opens this order's page with getGuestOrder for 90 days (until its account is claimed or signs out everywhere)`,
});

const GuestOrderSchema = OrderSchema.extend({ accessToken: AccessToken }).meta({ id: 'GuestOrder' });

const TimelineEntry = z.object({
  at: z.iso.datetime(),
  type: z.enum(['status', 'modification', 'payment', 'refund', 'note']),
  status: z.string().nullable(),
  actor: z.enum(['customer', 'admin', 'system']),
  summary: z.string(),
});

const VIEW_ONLY = {
  allowed: false,
  reason: 'An order link shows the order only. To change or cancel it, contact the shop.',
};

/** The order as its link holder sees it: nothing can be changed through a link. */
function viewOnly(order: OrderView): OrderView {
  const actions = Object.fromEntries(ORDER_ACTIONS.map((a) => [a, VIEW_ONLY])) as OrderView['actions'];
  return { ...order, actions };
}

/** Guest checkout's HTTP API: buy with an email, see the order with a link (ADR 0022). */
export const guestRoutes =
  (guests: GuestService, currency: string): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/guest/orders',
      {
        config: { auth: 'public', rateLimited: true },
        schema: {
          operationId: 'placeGuestOrder',
          tags: ['Guest checkout'],
          summary: 'Place an order without an account: an email and a name instead of a sign-in',
          description:
            "The order is placed on the email's account: a guest account made for it on its first order, or the registered account that has the email (the order then shows in that account's history). The answer is the same either way, and carries `accessToken` for getGuestOrder. Limited per client address and per email like sign-in.",
          security: [],
          headers: IdempotencyHeaders,
          body: GuestOrderRequest,
          response: { 201: GuestOrderSchema, ...placeErrors, 429: ErrorBody },
        },
      },
      async (request, reply) => {
        const { email: address, name, ...body } = request.body;
        const items = requestedItems(body.items, currency);
        const placed = await guests.placeOrder(
          { email: address, name },
          {
            items,
            shippingAddress: body.shippingAddress,
            paymentMethod: body.paymentMethod,
            ...checkoutChoice(body, currency),
          },
          idempotency(request.headers['idempotency-key'], 'placeGuestOrder', request.body),
        );
        return reply.code(201).send({
          ...orderJson(viewOnly(placed.order), placed.clientSecret),
          accessToken: placed.accessToken,
        });
      },
    );

    app.get(
      '/guest/orders/:id',
      {
        config: { auth: 'public' },
        schema: {
          operationId: 'getGuestOrder',
          tags: ['Guest checkout'],
          summary: 'An order and its timeline, opened with the token of its link',
          description:
            '401 `invalid_order_link` for a token that is not a valid order link (tampered, expired, or revoked since); 404 for a link to another order.',
          security: [],
          params: IdParams,
          querystring: z.object({ token: z.string().min(1).max(2000) }),
          response: {
            200: z
              .object({ order: OrderSchema, timeline: z.array(TimelineEntry) })
              .meta({ id: 'GuestOrderView' }),
            400: ErrorBody,
            401: ErrorBody,
            404: ErrorBody,
          },
        },
      },
      async (request) => {
        const { order, timeline } = await guests.order(request.params.id, request.query.token);
        return {
          order: orderJson(viewOnly(order)),
          timeline: timeline.map((r) => ({
            at: new Date(r.at).toISOString(),
            type: r.type,
            status: r.status,
            actor: r.actor,
            summary: r.summary,
          })),
        };
      },
    );

    app.post(
      '/guest/orders/lookup',
      {
        config: { auth: 'public', rateLimited: true },
        schema: {
          operationId: 'lookupGuestOrder',
          tags: ['Guest checkout'],
          summary: 'Find a guest order by its number and email, and get a token to open it',
          description:
            'One 404, with one message, for an unknown number, a wrong email, and an order of a registered account (whose owner signs in). Limited per client address and per email like sign-in.',
          security: [],
          body: z.strictObject({ number: OrderNumber.max(2_147_483_647), email }),
          response: {
            200: z.object({ orderId: z.uuid(), accessToken: AccessToken }).meta({ id: 'GuestOrderAccess' }),
            400: ErrorBody,
            404: ErrorBody,
            429: ErrorBody,
          },
        },
      },
      async (request) => guests.lookup(request.body.number, request.body.email),
    );
  };
