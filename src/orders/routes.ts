import { createHash, randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody, forbidden } from '../platform/errors.ts';
import { requireUser } from '../platform/http.ts';
import { fromMinor } from '../platform/money.ts';
import { PageQuery } from '../platform/pagination.ts';
import { Amount, Id, IdParams, minorUnits } from '../platform/schemas.ts';
import type { Cart, CartService } from './cart.ts';
import { CREATE_ORDER_REQUEST_EXAMPLE, ORDER_EXAMPLE } from './examples.ts';
import { addressProblems, ORDER_ACTIONS, ORDER_STATUSES } from './model.ts';
import type { OrderView } from './queries.ts';
import type { OrderService } from './service.ts';

// ---------------------------------------------------------------- contract schemas

export const AddressSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional().meta({
      description: "the recipient, as on the label; the customer's name when left out",
    }),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9][0-9 ().-]{5,24}$/, 'must be a phone number')
      .optional()
      .meta({ description: 'for the carrier, international format (+1 415 555 0100) preferred' }),
    street: z.string().trim().min(1).max(200),
    city: z.string().trim().min(1).max(100),
    state: z.string().trim().min(1).max(100).optional().meta({
      description: 'state, province or prefecture: required in US, CA, AU, BR, MX, IN, CN and JP',
    }),
    zip: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9 -]{1,10}[A-Za-z0-9]$/, 'must be a postal code'),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be a two-letter country code')
      .optional()
      .meta({ description: 'ISO 3166-1 alpha-2; US when left out' }),
  })
  .superRefine((address, ctx) => {
    for (const problem of addressProblems({ ...address, country: address.country ?? 'US' })) {
      ctx.addIssue({ code: 'custom', path: [problem.path], message: problem.message });
    }
  })
  .meta({ id: 'Address' });

/** An order's address as it is answered: every field present, for a label to be written from. */
const ShippingAddressSchema = z
  .object({
    name: z.string(),
    phone: z.string().nullable(),
    street: z.string(),
    city: z.string(),
    state: z.string().meta({ description: 'empty where the country has none' }),
    zip: z.string(),
    country: z.string(),
  })
  .meta({ id: 'ShippingAddress' });

export const PaymentMethodSchema = z
  .strictObject({
    type: z.enum(['card', 'paypal']),
    token: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[A-Za-z0-9_]+$/, 'must be a payment token'),
  })
  .meta({ id: 'PaymentMethod' });

const LineItemRequest = z
  .strictObject({
    productId: Id,
    quantity: z.number().int().min(1).max(1000),
    price: Amount.meta({ description: 'the unit price the customer saw; refused with 409 if not current' }),
  })
  .meta({ id: 'LineItem' });

const CreateOrderRequest = z
  .strictObject({
    customerId: z.string().max(64),
    items: z.array(LineItemRequest).min(1).max(100),
    shippingAddress: AddressSchema,
    paymentMethod: PaymentMethodSchema,
  })
  .meta({ id: 'CreateOrderRequest' });

const OrderNumber = z.number().int().min(1).meta({ description: 'the number people quote, shown as #1001' });
const Action = z.object({ allowed: z.boolean(), reason: z.string().nullable() });
const OrderStatusSchema = z.enum(ORDER_STATUSES as [string, ...string[]]);
const PaymentStatusSchema = z.enum([
  'pending',
  'requires_action',
  'paid',
  'failed',
  'partially_refunded',
  'refunded',
]);

export const OrderSchema = z
  .object({
    id: z.uuid(),
    orderNumber: OrderNumber,
    customerId: z.string(),
    status: OrderStatusSchema,
    items: z.array(
      z.object({
        productId: z.string(),
        name: z.string(),
        quantity: z.number().int().min(1),
        price: z.number(),
      }),
    ),
    total: z.number(),
    currency: z.string(),
    shippingAddress: ShippingAddressSchema,
    customer: z
      .object({ name: z.string(), email: z.string() })
      .optional()
      .meta({ description: 'who placed the order: shown to admins only' }),
    payment: z.object({
      status: PaymentStatusSchema,
      amountPaid: z.number(),
      amountRefunded: z.number(),
      clientSecret: z.string().optional().meta({ description: 'present while 3-D Secure must be completed' }),
    }),
    trackingNumber: z.string().nullable(),
    carrier: z.string().nullable(),
    cancellationReason: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    actions: z.object(
      Object.fromEntries(ORDER_ACTIONS.map((a) => [a, Action])) as Record<
        (typeof ORDER_ACTIONS)[number],
        typeof Action
      >,
    ),
  })
  .meta({ id: 'Order' });

type OrderJson = z.infer<typeof OrderSchema>;

export function orderJson(order: OrderView, clientSecret?: string | null): OrderJson {
  const money = (minor: number) => fromMinor(minor, order.currency);
  return {
    id: order.id,
    orderNumber: order.number,
    customerId: order.customerId,
    status: order.status,
    items: order.lines.map((l) => ({
      productId: l.productId,
      name: l.name,
      quantity: l.quantity,
      price: money(l.unitPrice),
    })),
    total: money(order.total),
    currency: order.currency,
    shippingAddress: {
      name: order.shippingAddress.name ?? order.recipientName,
      phone: order.shippingAddress.phone ?? null,
      street: order.shippingAddress.street,
      city: order.shippingAddress.city,
      state: order.shippingAddress.state ?? '',
      zip: order.shippingAddress.zip,
      country: order.shippingAddress.country ?? 'US',
    },
    ...(order.customer && { customer: order.customer }),
    payment: {
      status: order.payment.state,
      amountPaid: money(order.payment.paid),
      amountRefunded: money(order.payment.refunded),
      ...(clientSecret ? { clientSecret } : {}),
    },
    trackingNumber: order.trackingNumber,
    carrier: order.carrier,
    cancellationReason: order.cancellationReason,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    actions: order.actions,
  };
}

const CartSchema = z
  .object({
    items: z.array(
      z.object({
        productId: z.uuid(),
        name: z.string(),
        quantity: z.number().int(),
        price: z.number(),
        currency: z.string(),
        imageUrl: z.string().nullable(),
        available: z.number().int(),
        priceChanged: z.object({ from: z.number(), to: z.number() }).nullable(),
        warning: z
          .object({
            code: z.enum(['insufficient_stock', 'out_of_stock', 'unavailable']),
            message: z.string(),
            available: z.number(),
          })
          .nullable(),
      }),
    ),
    subtotal: z.number(),
    currency: z.string(),
  })
  .meta({ id: 'Cart' });

function cartJson(cart: Cart): z.infer<typeof CartSchema> {
  const money = (minor: number) => fromMinor(minor, cart.currency);
  return {
    items: cart.items.map((i) => ({
      productId: i.productId,
      name: i.name,
      quantity: i.quantity,
      price: money(i.unitPrice),
      currency: i.currency,
      imageUrl: i.imageUrl,
      available: i.available,
      priceChanged: i.priceChanged && { from: money(i.priceChanged.from), to: money(i.priceChanged.to) },
      warning: i.warning,
    })),
    subtotal: money(cart.subtotal),
    currency: cart.currency,
  };
}

const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII')
    .optional()
    .meta({ description: 'the same key with the same body returns the first result; never a second order' }),
});

/** Key order in the JSON body must not make the same request look different. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

function idempotency(key: string | undefined, operation: string, body: unknown) {
  if (!key) return undefined;
  const requestHash = createHash('sha256')
    .update(operation)
    .update(JSON.stringify(canonical(body)))
    .digest('hex');
  return { key, requestHash };
}

const placeErrors = {
  400: ErrorBody,
  401: ErrorBody,
  402: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  422: ErrorBody,
  502: ErrorBody,
};
const transitionErrors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  422: ErrorBody,
};
const ChangeItems = z
  .array(z.strictObject({ productId: Id, quantity: z.number().int().min(1).max(1000) }))
  .min(1)
  .max(100)
  .meta({ description: 'the full new list of lines: one quantity per product' });

const ModificationQuoteSchema = z
  .object({
    items: z
      .array(
        z.object({
          productId: z.string(),
          name: z.string(),
          quantity: z.number().int().min(1),
          price: z.number(),
        }),
      )
      .meta({
        description:
          'the lines after the change; units already bought keep their price, added units are at the current price, so a product can be on two lines',
      }),
    changes: z.array(
      z.object({ productId: z.string(), name: z.string(), from: z.number().int(), to: z.number().int() }),
    ),
    previousTotal: z.number(),
    total: z.number(),
    currency: z.string(),
    amountDue: z.number().meta({ description: 'charged on confirmation when more than 0' }),
    amountRefunded: z.number().meta({ description: 'refunded to the card when more than 0' }),
  })
  .meta({ id: 'ModificationQuote' });

const Reason = z.strictObject({ reason: z.string().trim().min(1).max(500) });

/** The end of a `to` filter: a date covers its whole day, a date-time is exact. */
function endOf(to: string): Date {
  const end = new Date(to);
  if (/^\d{4}-\d{2}-\d{2}$/.test(to)) end.setUTCDate(end.getUTCDate() + 1);
  return end;
}

// ---------------------------------------------------------------- routes

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
        const items = body.items.map((item, i) => ({
          productId: item.productId,
          quantity: item.quantity,
          expectedUnitPrice: minorUnits(item.price, currency, `body.items.${i}.price`),
        }));
        const placed = await orders.place(
          user,
          { items, shippingAddress: body.shippingAddress, paymentMethod: body.paymentMethod },
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
            status: o.status,
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
            summary: r.summary,
          })),
        };
      },
    );

    app.post(
      '/orders/:id/modification-quote',
      {
        config: { auth: 'user' },
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
        const quoted = await orders.quoteModification(requireUser(request), request.params.id, request.body);
        const money = (minor: number) => fromMinor(minor, quoted.order.currency);
        return {
          items: quoted.plan.lines.map((l) => ({
            productId: l.productId,
            name: l.name,
            quantity: l.quantity,
            price: money(l.unitPrice),
          })),
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
        config: { auth: 'user' },
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
        const { confirmedAmount, ...change } = request.body;
        return orderJson(
          await orders.modify(requireUser(request), request.params.id, {
            ...change,
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
        config: { auth: 'user' },
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

    // ------------------------------------------------------------ admin

    app.get(
      '/admin/orders',
      {
        config: { auth: 'admin' },
        schema: {
          operationId: 'adminListOrders',
          tags: ['Admin'],
          summary: 'Search all orders (admin)',
          querystring: z.object({
            status: z.enum(ORDER_STATUSES as [string, ...string[]]).optional(),
            customerId: Id.optional(),
            from: z.iso
              .datetime({ offset: true })
              .or(z.iso.date())
              .optional()
              .meta({ description: 'created at or after; a date means its start (UTC)' }),
            to: z.iso
              .datetime({ offset: true })
              .or(z.iso.date())
              .optional()
              .meta({ description: 'created before; a date includes that whole day (UTC)' }),
            q: z.string().trim().min(1).max(100).optional().meta({
              description: 'an email, an order number (#1001 or 1001) or the start of an order id',
            }),
            sort: z.enum(['createdAt', 'total']).default('createdAt'),
            order: z.enum(['asc', 'desc']).default('desc'),
            ...PageQuery,
          }),
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.uuid(),
                  orderNumber: OrderNumber,
                  customerId: z.uuid(),
                  customerEmail: z.string(),
                  status: OrderStatusSchema,
                  total: z.number(),
                  currency: z.string(),
                  paymentStatus: PaymentStatusSchema,
                  createdAt: z.iso.datetime(),
                }),
              ),
              nextCursor: z.string().nullable(),
            }),
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
          },
        },
      },
      async (request) => {
        const q = request.query;
        const page = await orders.adminList({
          status: q.status as OrderView['status'] | undefined,
          customerId: q.customerId,
          from: q.from ? new Date(q.from) : undefined,
          to: q.to ? endOf(q.to) : undefined,
          q: q.q,
          sort: q.sort,
          order: q.order,
          limit: q.limit,
          cursor: q.cursor,
        });
        return {
          items: page.items.map((r) => ({
            id: r.id,
            orderNumber: r.number,
            customerId: r.customer_id,
            customerEmail: r.email,
            status: r.status,
            total: fromMinor(r.total_minor, r.currency),
            currency: r.currency,
            paymentStatus: r.payment_status,
            createdAt: new Date(r.created_at).toISOString(),
          })),
          nextCursor: page.nextCursor,
        };
      },
    );

    const adminAction = (
      action: string,
      operationId: string,
      summary: string,
      body: z.ZodType | undefined,
      run: (request: {
        user: ReturnType<typeof requireUser>;
        id: string;
        body: unknown;
        key: string | undefined;
      }) => Promise<OrderView>,
    ) =>
      app.post(
        `/admin/orders/:id/${action}`,
        {
          config: { auth: 'admin' },
          schema: {
            operationId,
            tags: ['Admin'],
            summary,
            params: IdParams,
            ...(body && { body }),
            headers: IdempotencyHeaders,
            response: { 200: OrderSchema, ...transitionErrors, 502: ErrorBody },
          },
        },
        async (request) =>
          orderJson(
            await run({
              user: requireUser(request),
              id: request.params.id,
              body: request.body,
              key: request.headers['idempotency-key'],
            }),
          ),
      );

    adminAction(
      'confirm',
      'confirmOrder',
      'Confirm a pending order whose payment was captured (admin)',
      undefined,
      (r) => orders.confirm(r.user, r.id),
    );
    const Shipment = z.strictObject({
      trackingNumber: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9-]{4,40}$/, 'must be a tracking number'),
      carrier: z.string().trim().min(2).max(60),
    });
    adminAction(
      'ship',
      'shipOrder',
      'Ship a confirmed order with its tracking number (admin)',
      Shipment,
      (r) => orders.advance(r.user, r.id, { action: 'ship', shipment: r.body as z.infer<typeof Shipment> }),
    );
    adminAction('deliver', 'deliverOrder', 'Mark a shipped order delivered (admin)', undefined, (r) =>
      orders.advance(r.user, r.id, { action: 'deliver' }),
    );
    adminAction('cancel', 'adminCancelOrder', 'Cancel an order with a reason (admin)', Reason, (r) =>
      orders.cancel(r.user, r.id, (r.body as z.infer<typeof Reason>).reason),
    );
    const RefundRequest = z.strictObject({
      amount: Amount.refine((a) => a > 0, 'must be more than zero'),
      reason: z.string().trim().max(500).optional(),
    });
    adminAction(
      'refund',
      'refundOrder',
      'Refund part or all of what was paid (admin)',
      RefundRequest,
      (r) => {
        const body = r.body as z.infer<typeof RefundRequest>;
        return orders.refund(
          r.user,
          r.id,
          minorUnits(body.amount, currency, 'body.amount'),
          body.reason ?? null,
          r.key ?? randomUUID(),
        );
      },
    );

    app.get(
      '/admin/stats',
      {
        config: { auth: 'admin' },
        schema: {
          operationId: 'getAdminStats',
          tags: ['Admin'],
          summary:
            "Today's and this week's orders and net revenue (captured minus refunded), success rate, orders per day (admin)",
          response: {
            200: z.object({
              currency: z.string(),
              today: z.object({ orders: z.number().int(), revenue: z.number() }),
              week: z.object({ orders: z.number().int(), revenue: z.number() }),
              successRate: z.number().min(0).max(1),
              perDay: z.array(z.object({ date: z.string(), orders: z.number().int(), revenue: z.number() })),
            }),
            401: ErrorBody,
            403: ErrorBody,
          },
        },
      },
      async () => {
        const days = await orders.stats(currency, 14);
        const sum = (list: typeof days) => ({
          orders: list.reduce((s, d) => s + d.orders, 0),
          revenue: fromMinor(
            list.reduce((s, d) => s + d.revenue, 0),
            currency,
          ),
        });
        const week = days.slice(-7);
        const weekOrders = week.reduce((s, d) => s + d.orders, 0);
        const weekFailed = week.reduce((s, d) => s + d.failed, 0);
        return {
          currency,
          today: sum(days.slice(-1)),
          week: sum(week),
          successRate: weekOrders === 0 ? 1 : (weekOrders - weekFailed) / weekOrders,
          perDay: days.map((d) => ({
            date: d.date,
            orders: d.orders,
            revenue: fromMinor(d.revenue, currency),
          })),
        };
      },
    );

    // ------------------------------------------------------------ cart

    app.get(
      '/cart',
      {
        config: { auth: 'user' },
        schema: {
          operationId: 'getCart',
          tags: ['Cart'],
          summary: 'Your cart, at current prices, with stock warnings',
          response: { 200: CartSchema, 401: ErrorBody },
        },
      },
      async (request) => cartJson(await cart.get(requireUser(request))),
    );

    app.post(
      '/cart/items',
      {
        config: { auth: 'user' },
        schema: {
          operationId: 'addCartItem',
          tags: ['Cart'],
          summary: 'Add a product to your cart (adds to the quantity already there)',
          body: z.strictObject({ productId: Id, quantity: z.number().int().min(1).max(1000) }),
          response: { 200: CartSchema, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 422: ErrorBody },
        },
      },
      async (request) =>
        cartJson(await cart.add(requireUser(request), request.body.productId, request.body.quantity)),
    );

    const ProductParams = z.object({ productId: Id });
    app.put(
      '/cart/items/:productId',
      {
        config: { auth: 'user' },
        schema: {
          operationId: 'updateCartItem',
          tags: ['Cart'],
          summary: 'Set the quantity of a product in your cart',
          params: ProductParams,
          body: z.strictObject({ quantity: z.number().int().min(1).max(1000) }),
          response: { 200: CartSchema, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
        },
      },
      async (request) =>
        cartJson(
          await cart.setQuantity(requireUser(request), request.params.productId, request.body.quantity),
        ),
    );

    app.delete(
      '/cart/items/:productId',
      {
        config: { auth: 'user' },
        schema: {
          operationId: 'removeCartItem',
          tags: ['Cart'],
          summary: 'Remove a product from your cart',
          params: ProductParams,
          response: { 200: CartSchema, 400: ErrorBody, 401: ErrorBody },
        },
      },
      async (request) => cartJson(await cart.remove(requireUser(request), request.params.productId)),
    );

    app.post(
      '/cart/checkout',
      {
        config: { auth: 'user' },
        schema: {
          operationId: 'checkoutCart',
          tags: ['Cart'],
          summary: 'Place an order for everything in your cart; the cart empties when it goes through',
          headers: IdempotencyHeaders,
          body: z.strictObject({
            shippingAddress: AddressSchema,
            paymentMethod: PaymentMethodSchema,
            expectedTotal: Amount.optional().meta({
              description: 'the subtotal the shopper saw; 409 if prices changed',
            }),
          }),
          response: { 201: OrderSchema, ...placeErrors },
        },
      },
      async (request, reply) => {
        const user = requireUser(request);
        const body = request.body;
        const placed = await cart.checkout(
          user,
          {
            shippingAddress: body.shippingAddress,
            paymentMethod: body.paymentMethod,
            expectedTotal:
              body.expectedTotal === undefined
                ? undefined
                : minorUnits(body.expectedTotal, currency, 'body.expectedTotal'),
          },
          idempotency(request.headers['idempotency-key'], 'checkoutCart', body),
        );
        return reply.code(201).send(orderJson(placed.order, placed.clientSecret));
      },
    );
  };
