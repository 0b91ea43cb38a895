import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody, forbidden } from '../platform/errors.ts';
import { requireUser } from '../platform/http.ts';
import { fromMinor } from '../platform/money.ts';
import { PageQuery } from '../platform/pagination.ts';
import { Amount, IdParams, minorUnits } from '../platform/schemas.ts';
import { adminOrderRoutes } from './admin-routes.ts';
import type { CartService } from './cart.ts';
import { cartRoutes } from './cart-routes.ts';
import { checkoutRoutes } from './checkout-routes.ts';
import { CREATE_ORDER_REQUEST_EXAMPLE, ORDER_EXAMPLE } from './examples.ts';
import {
  AddressSchema,
  IdempotencyHeaders,
  OrderNumber,
  OrderSchema,
  OrderStatusSchema,
  DetailedStatusSchema,
  statusOf1_0,
  PaymentMethodSchema,
  Reason,
  checkoutChoice,
  CheckoutFields,
  idempotency,
  ItemQuantities,
  ItemReference,
  namesVariant,
  itemRef,
  lineJson,
  requestedQuantities,
  OrderLineSchema,
  orderJson,
  placeErrors,
  transitionErrors,
} from './route-schemas.ts';
import type { OrderService } from './service.ts';

const LineItemRequest = z
  .strictObject({
    ...ItemReference,
    quantity: z.number().int().min(1).max(1000),
    price: Amount.meta({ description: 'the unit price the customer saw; refused with 409 if not current' }),
  })
  .refine(...namesVariant)
  .meta({ id: 'LineItem' });

const ChangeItems = ItemQuantities.meta({
  description: 'the full new list of lines: one quantity per variant',
});

const ModificationQuoteSchema = z
  .object({
    items: z.array(OrderLineSchema).meta({
      description:
        'the lines after the change; units already bought keep their price, added units are at the current price, so a product can be on two lines',
    }),
    changes: z.array(
      z.object({
        productId: z.string(),
        variantId: z.string(),
        name: z.string(),
        from: z.number().int(),
        to: z.number().int(),
      }),
    ),
    previousTotal: z.number(),
    total: z.number(),
    currency: z.string(),
    amountDue: z.number().meta({ description: 'charged on confirmation when more than 0' }),
    amountRefunded: z.number().meta({ description: 'refunded to the card when more than 0' }),
  })
  .meta({ id: 'ModificationQuote' });

/** Also the order part of guest checkout's body (src/guests/routes.ts). */
export const CreateOrderRequest = z
  .strictObject({
    customerId: z.string().max(64),
    items: z.array(LineItemRequest).min(1).max(100),
    shippingAddress: AddressSchema,
    paymentMethod: PaymentMethodSchema,
    ...CheckoutFields,
  })
  .meta({ id: 'CreateOrderRequest' });

/** An order request's items as pricing takes them: the variant each names, and the price shown. */
export function requestedItems(items: z.infer<typeof LineItemRequest>[], currency: string) {
  return items.map((item, i) => ({
    variantId: itemRef(item),
    quantity: item.quantity,
    expectedUnitPrice: minorUnits(item.price, currency, `body.items.${i}.price`),
  }));
}

/** The orders context's HTTP API: a customer's orders here, then the admin's and the cart's. */
export const orderRoutes =
  (orders: OrderService, cart: CartService, currency: string): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/orders',
      {
        config: { auth: 'user' },
        schema: {
          operationId: 'createOrder',
          tags: ['Orders'],
          summary: 'Place an order: reserve stock, take payment, confirm',
          headers: IdempotencyHeaders,
          body: CreateOrderRequest.meta({ examples: [CREATE_ORDER_REQUEST_EXAMPLE] }),
          response: { 201: OrderSchema.meta({ examples: [ORDER_EXAMPLE] }), ...placeErrors, 403: ErrorBody },
        },
      },
      async (request, reply) => {
        const user = requireUser(request);
        const body = request.body;
        if (body.customerId !== user.id) throw forbidden('Orders can only be placed for your own account.');
        const items = requestedItems(body.items, currency);
        const placed = await orders.place(
          user,
          {
            items,
            shippingAddress: body.shippingAddress,
            paymentMethod: body.paymentMethod,
            ...checkoutChoice(body, currency),
          },
          idempotency(request.headers['idempotency-key'], 'createOrder', body),
        );
        return reply.code(201).send(orderJson(placed.order, placed.clientSecret));
      },
    );

    app.get(
      '/orders',
      {
        config: { auth: 'user' },
        schema: {
          operationId: 'listOrders',
          tags: ['Orders'],
          summary: 'Your orders, newest first',
          querystring: z.object(PageQuery),
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.uuid(),
                  orderNumber: OrderNumber,
                  status: OrderStatusSchema,
                  detailedStatus: DetailedStatusSchema,
                  total: z.number(),
                  currency: z.string(),
                  itemCount: z.number().int(),
                  createdAt: z.iso.datetime(),
                }),
              ),
              nextCursor: z.string().nullable(),
            }),
            400: ErrorBody,
            401: ErrorBody,
          },
        },
      },
      async (request) => {
        const page = await orders.listForCustomer(requireUser(request), request.query);
        return {
          items: page.items.map((o) => ({
            id: o.id,
            orderNumber: o.number,
            status: statusOf1_0(o.status),
            detailedStatus: o.status,
            total: fromMinor(o.total, o.currency),
            currency: o.currency,
            itemCount: o.itemCount,
            createdAt: o.createdAt.toISOString(),
          })),
          nextCursor: page.nextCursor,
        };
      },
    );

    app.get(
      '/orders/:id',
      {
        config: { auth: 'user' },
        schema: {
          operationId: 'getOrder',
          tags: ['Orders'],
          summary: 'One order: yours, or any for an admin',
          params: IdParams,
          response: { 200: OrderSchema, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
        },
      },
      async (request) => orderJson(await orders.get(requireUser(request), request.params.id)),
    );

    app.get(
      '/orders/:id/timeline',
      {
        config: { auth: 'user' },
        schema: {
          operationId: 'getOrderTimeline',
          tags: ['Orders'],
          summary: 'Every status change and modification of an order, oldest first',
          params: IdParams,
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  at: z.iso.datetime(),
                  type: z.enum(['status', 'modification', 'payment', 'refund', 'note']),
                  status: z.string().nullable(),
                  actor: z.enum(['customer', 'admin', 'system']),
                  actorName: z.string().nullable().meta({
                    description: 'for staff readers: the name of the staff member who did it; otherwise null',
                  }),
                  summary: z.string(),
                }),
              ),
            }),
            400: ErrorBody,
            401: ErrorBody,
            404: ErrorBody,
          },
        },
      },
      async (request) => {
        const rows = await orders.timeline(requireUser(request), request.params.id);
        return {
          items: rows.map((r) => ({
            at: new Date(r.at).toISOString(),
            type: r.type,
            status: r.status,
            actor: r.actor,
            actorName: r.actorName,
            summary: r.summary,
          })),
        };
      },
    );

    app.post(
      '/orders/:id/modification-quote',
      {
        config: { auth: 'user', permission: 'orders.write' },
        schema: {
          operationId: 'quoteOrderModification',
          tags: ['Orders'],
          summary: 'Price a change to the lines of an order without making it: what to confirm before paying',
          params: IdParams,
          body: z.strictObject({ items: ChangeItems }),
          response: { 200: ModificationQuoteSchema, ...transitionErrors },
        },
      },
      async (request) => {
        const quoted = await orders.quoteModification(requireUser(request), request.params.id, {
          items: requestedQuantities(request.body.items),
        });
        const money = (minor: number) => fromMinor(minor, quoted.order.currency);
        return {
          items: quoted.plan.lines.map((l) => lineJson(l, quoted.order.currency)),
          changes: quoted.plan.changes,
          previousTotal: money(quoted.order.total),
          total: money(quoted.plan.total),
          currency: quoted.order.currency,
          amountDue: money(quoted.amountDue),
          amountRefunded: money(quoted.amountRefunded),
        };
      },
    );

    app.patch(
      '/orders/:id',
      {
        config: { auth: 'user', permission: 'orders.write' },
        schema: {
          operationId: 'modifyOrder',
          tags: ['Orders'],
          summary: 'Change the lines or the shipping address of an order that has not shipped',
          params: IdParams,
          body: z
            .strictObject({
              items: ChangeItems.optional(),
              shippingAddress: AddressSchema.optional(),
              paymentMethod: PaymentMethodSchema.optional().meta({
                description: 'pays the difference when the total grows',
              }),
              confirmedAmount: Amount.optional().meta({
                description:
                  'the amountDue of quoteOrderModification the shopper agreed to pay (0 when nothing is due); needed when the change costs more, 409 amount_changed when it no longer matches',
              }),
            })
            .refine(
              (b) => b.items !== undefined || b.shippingAddress !== undefined,
              'give items or shippingAddress',
            ),
          response: { 200: OrderSchema, ...transitionErrors, 402: ErrorBody, 502: ErrorBody },
        },
      },
      async (request) => {
        const { confirmedAmount, items, ...change } = request.body;
        return orderJson(
          await orders.modify(requireUser(request), request.params.id, {
            ...change,
            items: items && requestedQuantities(items),
            confirmedAmount:
              confirmedAmount === undefined
                ? undefined
                : minorUnits(confirmedAmount, currency, 'body.confirmedAmount'),
          }),
        );
      },
    );

    app.post(
      '/orders/:id/cancel',
      {
        config: { auth: 'user', permission: 'orders.write' },
        schema: {
          operationId: 'cancelOrder',
          tags: ['Orders'],
          summary: 'Cancel an order that has not shipped; stock goes back and payments are refunded',
          params: IdParams,
          body: Reason,
          response: { 200: OrderSchema, ...transitionErrors },
        },
      },
      async (request) =>
        orderJson(await orders.cancel(requireUser(request), request.params.id, request.body.reason)),
    );

    adminOrderRoutes(app, orders, currency);
    cartRoutes(app, cart, currency);
    checkoutRoutes(app, orders, cart);
  };
