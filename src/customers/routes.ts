import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AdminOrderItem, adminOrderItem } from '../orders/admin-routes.ts';
import { SavedAddressSchema } from '../platform/auth/routes.ts';
import { ErrorBody } from '../platform/errors.ts';
import { fromMinor } from '../platform/money.ts';
import { PageQuery } from '../platform/pagination.ts';
import { IdParams } from '../platform/schemas.ts';
import type { CustomerListItem, CustomerService } from './service.ts';

const CustomerSummarySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    email: z.string(),
    createdAt: z.iso.datetime().meta({ description: 'when the account was created' }),
    ordersCount: z.number().int().meta({ description: 'orders the customer paid for' }),
    totalSpent: z
      .number()
      .meta({ description: 'decimal amount: captured minus refunded over their orders (lifetime value)' }),
    currency: z.string(),
    lastOrderAt: z.iso
      .datetime()
      .nullable()
      .meta({ description: 'when the latest order they paid for was placed; null before their first' }),
  })
  .meta({ id: 'CustomerSummary' });

const CustomerSchema = CustomerSummarySchema.extend({
  phone: z.string().nullable(),
  addresses: z.array(SavedAddressSchema),
  recentOrders: z.array(AdminOrderItem).meta({ description: 'their latest orders, newest first' }),
}).meta({ id: 'Customer' });

function summaryJson(c: CustomerListItem, currency: string): z.infer<typeof CustomerSummarySchema> {
  return {
    id: c.id,
    name: c.name,
    email: c.email,
    createdAt: c.createdAt.toISOString(),
    ordersCount: c.ordersCount,
    totalSpent: fromMinor(c.totalSpent, currency),
    currency,
    lastOrderAt: c.lastOrderAt?.toISOString() ?? null,
  };
}

/** The admin's customers: a searchable, sortable list and one customer's page. */
export const customerRoutes =
  (customers: CustomerService, currency: string): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/admin/customers',
      {
        config: { auth: 'admin', permission: 'orders.read' },
        schema: {
          operationId: 'listCustomers',
          tags: ['Customers'],
          summary: 'Search customers who have ordered, by last order or total spent (admin)',
          querystring: z.object({
            search: z
              .string()
              .trim()
              .min(1)
              .max(100)
              .optional()
              .meta({ description: 'part of the name or email, any case' }),
            sort: z
              .enum(['lastOrder', 'totalSpent'])
              .default('lastOrder')
              .meta({ description: 'newest last order, or biggest total spent, first' }),
            ...PageQuery,
          }),
          response: {
            200: z.object({ items: z.array(CustomerSummarySchema), nextCursor: z.string().nullable() }),
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
          },
        },
      },
      async (request) => {
        const page = await customers.list(request.query);
        return { items: page.items.map((c) => summaryJson(c, currency)), nextCursor: page.nextCursor };
      },
    );

    app.get(
      '/admin/customers/:id',
      {
        config: { auth: 'admin', permission: 'orders.read' },
        schema: {
          operationId: 'getCustomer',
          tags: ['Customers'],
          summary: 'A customer with their addresses, lifetime value and latest orders (admin)',
          params: IdParams,
          response: {
            200: CustomerSchema,
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
            404: ErrorBody,
          },
        },
      },
      async (request) => {
        const c = await customers.get(request.params.id);
        return {
          ...summaryJson(c, currency),
          phone: c.phone,
          addresses: c.addresses,
          recentOrders: c.recentOrders.map(adminOrderItem),
        };
      },
    );
  };
