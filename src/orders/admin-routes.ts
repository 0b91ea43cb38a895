import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Permission } from '../platform/auth/permissions.ts';
import { ErrorBody } from '../platform/errors.ts';
import { requireUser } from '../platform/http.ts';
import { fromMinor } from '../platform/money.ts';
import { PageQuery } from '../platform/pagination.ts';
import { Amount, Id, IdParams, endOf, minorUnits } from '../platform/schemas.ts';
import type { OrderView } from './queries.ts';
import {
  IdempotencyHeaders,
  type OrdersApp,
  OrderNumber,
  OrderSchema,
  OrderStatusSchema,
  PaymentStatusSchema,
  Reason,
  orderJson,
  transitionErrors,
  V1_ORDER_STATUSES,
} from './route-schemas.ts';
import type { OrderService } from './service.ts';

/** An order as the admin's lists show it (the order search, a customer's page). */
export const AdminOrderItem = z.object({
  id: z.uuid(),
  orderNumber: OrderNumber,
  customerId: z.uuid(),
  customerEmail: z.string(),
  status: OrderStatusSchema,
  total: z.number(),
  currency: z.string(),
  paymentStatus: PaymentStatusSchema,
  createdAt: z.iso.datetime(),
});

export function adminOrderItem(r: Awaited<ReturnType<OrderService['adminList']>>['items'][number]) {
  return {
    id: r.id,
    orderNumber: r.number,
    customerId: r.customer_id,
    customerEmail: r.customer_email,
    status: r.status,
    total: fromMinor(r.total_minor, r.currency),
    currency: r.currency,
    paymentStatus: r.payment_status,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** The admin's routes: search, the lifecycle actions, refunds and the dashboard's figures. */
export function adminOrderRoutes(app: OrdersApp, orders: OrderService, currency: string): void {
  app.get(
    '/admin/orders',
    {
      config: { auth: 'admin', permission: 'orders.read' },
      schema: {
        operationId: 'adminListOrders',
        tags: ['Admin'],
        summary: 'Search all orders (admin)',
        querystring: z.object({
          status: z.enum(V1_ORDER_STATUSES as [string, ...string[]]).optional(),
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
            description:
              "part of the customer's email or name, part of a product's name or SKU, an order number (#1001 or 1001) or the start of an order id",
          }),
          sort: z.enum(['createdAt', 'total']).default('createdAt'),
          order: z.enum(['asc', 'desc']).default('desc'),
          ...PageQuery,
        }),
        response: {
          200: z.object({
            items: z.array(AdminOrderItem),
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
        items: page.items.map(adminOrderItem),
        nextCursor: page.nextCursor,
      };
    },
  );

  const adminAction = (
    action: string,
    permission: Permission,
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
        config: { auth: 'admin', permission },
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
    'orders.write',
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
    'orders.write',
    'shipOrder',
    'Ship a confirmed order with its tracking number (admin)',
    Shipment,
    (r) => orders.advance(r.user, r.id, { action: 'ship', shipment: r.body as z.infer<typeof Shipment> }),
  );
  adminAction(
    'deliver',
    'orders.write',
    'deliverOrder',
    'Mark a shipped order delivered (admin)',
    undefined,
    (r) => orders.advance(r.user, r.id, { action: 'deliver' }),
  );
  adminAction(
    'cancel',
    'orders.write',
    'adminCancelOrder',
    'Cancel an order with a reason (admin)',
    Reason,
    (r) => orders.cancel(r.user, r.id, (r.body as z.infer<typeof Reason>).reason),
  );
  const RefundRequest = z.strictObject({
    amount: Amount.refine((a) => a > 0, 'must be more than zero'),
    reason: z.string().trim().max(500).optional(),
  });
  adminAction(
    'refund',
    'refunds',
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
      config: { auth: 'admin', permission: 'orders.read' },
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
}
