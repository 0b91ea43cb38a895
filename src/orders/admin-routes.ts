import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Permission } from '../platform/auth/permissions.ts';
import { ErrorBody } from '../platform/errors.ts';
import { requireUser } from '../platform/http.ts';
import { fromMinor } from '../platform/money.ts';
import { PageQuery } from '../platform/pagination.ts';
import { Amount, Id, IdParams, endOf, minorUnits } from '../platform/schemas.ts';
import type { ExportKind, ExportSearch } from './export.ts';
import type { OrderView } from './queries.ts';
import {
  IdempotencyHeaders,
  TransitionIdempotencyHeaders,
  type OrdersApp,
  OrderNumber,
  OrderSchema,
  OrderStatusSchema,
  PaymentStatusSchema,
  Reason,
  orderJson,
  transitionErrors,
  ORDER_STATUSES_V1,
  DetailedStatusSchema,
  statusOf1_0,
} from './route-schemas.ts';
import type { OrderService } from './service.ts';

/** An order as the admin's lists show it (the order search, a customer's page). */
export const AdminOrderItem = z.object({
  id: z.uuid(),
  orderNumber: OrderNumber,
  customerId: z.uuid(),
  customerEmail: z.string(),
  status: OrderStatusSchema,
  detailedStatus: DetailedStatusSchema,
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
    status: statusOf1_0(r.status),
    detailedStatus: r.status,
    total: fromMinor(r.total_minor, r.currency),
    currency: r.currency,
    paymentStatus: r.payment_status,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** The admin order search's filters and sort: the list and the CSV exports take the same. */
export const AdminOrderFilter = z.object({
  status: z
    .enum(ORDER_STATUSES_V1 as [string, ...string[]])
    .optional()
    .meta({ description: 'the detailed status' }),
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
});

function searchOf(q: z.infer<typeof AdminOrderFilter>): ExportSearch {
  return {
    status: q.status as OrderView['status'] | undefined,
    customerId: q.customerId,
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? endOf(q.to) : undefined,
    q: q.q,
    sort: q.sort,
    order: q.order,
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
        querystring: AdminOrderFilter.extend(PageQuery),
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
      const page = await orders.adminList(
        { ...searchOf(request.query), limit: request.query.limit, cursor: request.query.cursor },
        requireUser(request).id,
      );
      return {
        items: page.items.map(adminOrderItem),
        nextCursor: page.nextCursor,
      };
    },
  );

  const exportRoute = (path: string, kind: ExportKind, operationId: string, summary: string, what: string) =>
    app.get(
      path,
      {
        config: { auth: 'admin', permission: 'orders.read' },
        schema: {
          operationId,
          tags: ['Admin'],
          summary,
          description:
            `${what}, for a spreadsheet: the admin order search's filters and sort (all of its ` +
            "pages), RFC 4180 CSV in UTF-8, money as a decimal in the order's currency and in minor " +
            'units, times in ISO 8601 UTC. A text cell a spreadsheet would read as a formula starts with ' +
            'an apostrophe. Streamed: it starts at once and holds only one batch in memory (docs/exports.md).',
          querystring: AdminOrderFilter,
          response: {
            200: z.string().meta({ description: 'the CSV file', 'x-media-type': 'text/csv' }),
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
          },
        },
      },
      async (request, reply) => {
        const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
        const name = kind === 'orders' ? 'orders' : 'order-lines';
        // the route's schema types a reply as JSON or text; a stream is what Fastify sends as it reads
        const streamed: FastifyReply = reply;
        return streamed
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename=${name}-${day}.csv`)
          .header('cache-control', 'no-store')
          .send(orders.exportCsv(kind, searchOf(request.query), requireUser(request).id));
      },
    );
  exportRoute(
    '/admin/orders/export.csv',
    'orders',
    'exportOrdersCsv',
    'Download the orders an admin search finds as CSV (admin)',
    'One row per order: number, dates, statuses, customer, amounts, address, shipment',
  );
  exportRoute(
    '/admin/order-lines/export.csv',
    'lines',
    'exportOrderLinesCsv',
    'Download the lines of the orders an admin search finds as CSV (admin)',
    "One row per order line: the order's number, date and status, the SKU, name, quantity and amounts",
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
          // only a refund keeps its key; a repeated confirm or cancel is answered by the state machine
          headers: action === 'refund' ? IdempotencyHeaders : TransitionIdempotencyHeaders,
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
