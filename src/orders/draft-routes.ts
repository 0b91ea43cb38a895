import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { OFFLINE_METHODS } from '../payment/service.ts';
import { ErrorBody } from '../platform/errors.ts';
import { requireUser } from '../platform/http.ts';
import { Amount, Id, IdParams, minorUnits } from '../platform/schemas.ts';
import { PageQuery } from '../platform/pagination.ts';
import { adminOrderItem, AdminOrderItem } from './admin-routes.ts';
import { ORDER_STATUSES, type DraftLineRequest } from './model.ts';
import type { DraftOrderService, PayableOrder } from './draft-orders.ts';
import {
  AddressSchema,
  ItemReference,
  itemRef,
  namesVariant,
  OrderSchema,
  orderJson,
  PaymentMethodSchema,
  transitionErrors,
  STATUS_1_0,
} from './route-schemas.ts';

/** An order as the draft routes answer: the v1 order, whose status may also be `draft`. */
const DraftStatus = z.enum(['draft', ...STATUS_1_0] as [string, ...string[]]);
const DraftDetailedStatus = z.enum([...ORDER_STATUSES] as [string, ...string[]]);
const DraftOrderSchema = OrderSchema.extend({
  status: DraftStatus,
  detailedStatus: DraftDetailedStatus,
}).meta({
  id: 'DraftOrder',
});

const DraftLine = z
  .strictObject({
    ...ItemReference,
    quantity: z.number().int().min(1).max(1000),
    price: Amount.optional().meta({
      description: "the unit price; the catalog's when left out. Another price needs a reason",
    }),
    reason: z.string().trim().min(1).max(500).optional().meta({
      description: "why the price is not the catalog's; kept in the order's history",
    }),
  })
  .refine(...namesVariant)
  .meta({ id: 'DraftLine' });

const DraftItems = z
  .array(DraftLine)
  .min(1)
  .max(100)
  .meta({ description: 'the full list of lines: one per variant' });

const DraftCustomer = z
  .union([
    z.strictObject({ accountId: Id.meta({ description: "an existing customer's (or guest's) account" }) }),
    z.strictObject({
      email: z.email().max(254),
      name: z.string().trim().min(1).max(200),
    }),
  ])
  .meta({
    id: 'DraftCustomer',
    description:
      "an account id, or an email and name: the email's account, made as a guest account when it has none",
  });

const CreateDraftRequest = z
  .strictObject({ customer: DraftCustomer, items: DraftItems, shippingAddress: AddressSchema })
  .meta({ id: 'CreateDraftOrderRequest' });

const UpdateDraftRequest = z
  .strictObject({ items: DraftItems.optional(), shippingAddress: AddressSchema.optional() })
  .refine((b) => b.items !== undefined || b.shippingAddress !== undefined, {
    message: 'change the items, the address, or both',
  })
  .meta({ id: 'UpdateDraftOrderRequest' });

const OfflinePaymentRequest = z
  .strictObject({
    amount: Amount.meta({ description: "what the customer paid: must be the order's total" }),
    method: z.enum(OFFLINE_METHODS),
    note: z.string().trim().max(500).optional().meta({
      description: "for the order's history: a receipt or transfer reference",
    }),
  })
  .meta({ id: 'OfflinePaymentRequest' });

const PayableOrderSchema = z
  .object({
    order: OrderSchema.pick({
      id: true,
      orderNumber: true,
      status: true,
      items: true,
      total: true,
      currency: true,
      shippingAddress: true,
      payment: true,
      createdAt: true,
    }),
    payable: z.boolean().meta({ description: 'whether the link can be paid with now' }),
    linkExpiresAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'PayableOrder' });

const LinkToken = z.string().min(1).max(2000).meta({ description: 'the token of the emailed payment link' });

function draftLines(items: z.infer<typeof DraftItems>, currency: string): DraftLineRequest[] {
  return items.map((item, i) => ({
    variantId: itemRef(item),
    quantity: item.quantity,
    unitPrice:
      item.price === undefined ? undefined : minorUnits(item.price, currency, `body.items.${i}.price`),
    reason: item.reason,
  }));
}

function payableJson(payable: PayableOrder) {
  const { id, orderNumber, status, items, total, currency, shippingAddress, payment, createdAt } = orderJson(
    payable.order,
    payable.clientSecret,
  );
  return {
    order: { id, orderNumber, status, items, total, currency, shippingAddress, payment, createdAt },
    payable: payable.payable,
    linkExpiresAt: payable.linkExpiresAt?.toISOString() ?? null,
  };
}

/** Draft orders (ADR 0023): the admin's phone orders, and the customer's payment link. */
export const draftRoutes =
  (drafts: DraftOrderService, currency: string): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/admin/draft-orders',
      {
        config: { auth: 'admin', permission: 'orders.read' },
        schema: {
          operationId: 'listDraftOrders',
          tags: ['Draft orders'],
          summary: 'The drafts, newest first (the order search does not list them)',
          querystring: z.object(PageQuery),
          response: {
            200: z.object({
              items: z.array(
                AdminOrderItem.extend({ status: DraftStatus, detailedStatus: DraftDetailedStatus }),
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
        const page = await drafts.list(request.query);
        return { items: page.items.map(adminOrderItem), nextCursor: page.nextCursor };
      },
    );

    app.get(
      '/admin/draft-orders/:id',
      {
        config: { auth: 'admin', permission: 'orders.read' },
        schema: {
          operationId: 'getDraftOrder',
          tags: ['Draft orders'],
          summary: 'One draft, or the order it became',
          params: IdParams,
          response: { 200: DraftOrderSchema, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
        },
      },
      async (request) => orderJson(await drafts.get(requireUser(request), request.params.id)),
    );

    app.post(
      '/admin/draft-orders',
      {
        config: { auth: 'admin', permission: 'orders.write' },
        schema: {
          operationId: 'createDraftOrder',
          tags: ['Draft orders'],
          summary: 'Start an order for a customer (a phone order); no stock is held yet',
          body: CreateDraftRequest,
          response: { 201: DraftOrderSchema, ...transitionErrors },
        },
      },
      async (request, reply) => {
        const { customer, items, shippingAddress } = request.body;
        const draft = await drafts.create(requireUser(request), {
          customer,
          items: draftLines(items, currency),
          shippingAddress,
        });
        return reply.code(201).send(orderJson(draft));
      },
    );

    app.patch(
      '/admin/draft-orders/:id',
      {
        config: { auth: 'admin', permission: 'orders.write' },
        schema: {
          operationId: 'updateDraftOrder',
          tags: ['Draft orders'],
          summary: "Change a draft's lines (the full new list), prices or address",
          params: IdParams,
          body: UpdateDraftRequest,
          response: { 200: DraftOrderSchema, ...transitionErrors },
        },
      },
      async (request) => {
        const { items, shippingAddress } = request.body;
        return orderJson(
          await drafts.update(requireUser(request), request.params.id, {
            items: items && draftLines(items, currency),
            shippingAddress,
          }),
        );
      },
    );

    app.delete(
      '/admin/draft-orders/:id',
      {
        config: { auth: 'admin', permission: 'orders.write' },
        schema: {
          operationId: 'deleteDraftOrder',
          tags: ['Draft orders'],
          summary: 'Delete a draft (only while it is a draft)',
          params: IdParams,
          response: { 204: z.null(), ...transitionErrors },
        },
      },
      async (request, reply) => {
        await drafts.delete(requireUser(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/admin/draft-orders/:id/offline-payment',
      {
        config: { auth: 'admin', permission: 'orders.write' },
        schema: {
          operationId: 'recordOfflinePayment',
          tags: ['Draft orders'],
          summary:
            'Record that the customer paid the shop directly: the draft is confirmed and its stock sold',
          description:
            "409 `out_of_stock` (the draft stays) when the stock is short; 422 `amount_mismatch` when the amount is not the order's total.",
          params: IdParams,
          body: OfflinePaymentRequest,
          response: { 200: DraftOrderSchema, ...transitionErrors },
        },
      },
      async (request) => {
        const body = request.body;
        return orderJson(
          await drafts.recordOfflinePayment(requireUser(request), request.params.id, {
            amount: minorUnits(body.amount, currency, 'body.amount'),
            method: body.method,
            note: body.note,
          }),
        );
      },
    );

    app.post(
      '/admin/draft-orders/:id/payment-link',
      {
        config: { auth: 'admin', permission: 'orders.write' },
        schema: {
          operationId: 'sendPaymentLink',
          tags: ['Draft orders'],
          summary: 'Email the customer a link to pay: the order becomes pending and its stock is held',
          description:
            '409 `out_of_stock` (the draft stays) when the stock is short. The stock is held, and the link works, for 7 days; then the order is cancelled.',
          params: IdParams,
          response: { 200: DraftOrderSchema, ...transitionErrors },
        },
      },
      async (request) => orderJson(await drafts.sendPaymentLink(requireUser(request), request.params.id)),
    );

    app.get(
      '/orders/:id/pay',
      {
        config: { auth: 'public' },
        schema: {
          operationId: 'getPayableOrder',
          tags: ['Draft orders'],
          summary: 'The order a payment link is for, with its total, opened with the link token',
          description:
            '401 `invalid_payment_link` for a token that is not a valid payment link (tampered, expired, revoked); 404 for a link to another order.',
          security: [],
          params: IdParams,
          querystring: z.object({ token: LinkToken }),
          response: { 200: PayableOrderSchema, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
        },
      },
      async (request) => payableJson(await drafts.payable(request.params.id, request.query.token)),
    );

    app.post(
      '/orders/:id/pay',
      {
        config: { auth: 'public' },
        schema: {
          operationId: 'payOrderByLink',
          tags: ['Draft orders'],
          summary: 'Pay for an order with its payment link: charged once, however often it is sent',
          description:
            'An order already paid is answered as it is, without a second charge. 402 when the card is declined (the order is then cancelled, as at checkout); 409 when the order can no longer be paid.',
          security: [],
          params: IdParams,
          body: z.strictObject({ token: LinkToken, paymentMethod: PaymentMethodSchema }),
          response: {
            200: PayableOrderSchema.extend({
              clientSecret: z
                .string()
                .nullable()
                .meta({ description: 'set while the customer must still authenticate the payment' }),
            }),
            400: ErrorBody,
            401: ErrorBody,
            402: ErrorBody,
            404: ErrorBody,
            409: ErrorBody,
            502: ErrorBody,
          },
        },
      },
      async (request) => {
        const paid = await drafts.pay(request.params.id, request.body.token, request.body.paymentMethod);
        return { ...payableJson(paid), clientSecret: paid.clientSecret };
      },
    );
  };
