import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  IdempotencyHeaders,
  TransitionIdempotencyHeaders,
  OrderSchema,
  idempotency,
  orderJson,
  transitionErrors,
} from '../orders/route-schemas.ts';
import { ErrorBody, unauthorized } from '../platform/errors.ts';
import { requireUser } from '../platform/http.ts';
import { Id, IdParams } from '../platform/schemas.ts';
import type { AuthUser } from '../platform/auth/model.ts';
import type { FulfilmentService, Shipment } from './service.ts';

export const TrackingNumber = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9-]{4,40}$/, 'must be a tracking number');
export const Carrier = z.string().trim().min(2).max(60);

const ShipmentSchema = z
  .object({
    id: z.uuid(),
    orderId: z.uuid(),
    number: z.number().int().min(1).meta({ description: '1, 2, … within the order' }),
    status: z.enum(['shipped', 'delivered']),
    carrier: z.string(),
    trackingNumber: z.string(),
    trackingUrl: z.string().nullable(),
    location: z
      .object({ id: z.uuid(), name: z.string() })
      .meta({ description: 'the stock location it left from' }),
    shippedAt: z.iso.datetime(),
    deliveredAt: z.iso.datetime().nullable(),
    lines: z.array(
      z.object({
        lineId: z.uuid().meta({ description: "the order line's id (Order.items[].id)" }),
        variantId: z.uuid(),
        sku: z.string(),
        name: z.string(),
        variantTitle: z.string(),
        quantity: z.number().int().min(1),
      }),
    ),
  })
  .meta({ id: 'Shipment' });

function shipmentJson(s: Shipment): z.infer<typeof ShipmentSchema> {
  return {
    ...s,
    shippedAt: s.shippedAt.toISOString(),
    deliveredAt: s.deliveredAt?.toISOString() ?? null,
    lines: s.lines.map((l) => ({ ...l })),
  };
}

const CreateShipmentRequest = z
  .strictObject({
    lines: z
      .array(z.strictObject({ lineId: Id, quantity: z.number().int().min(1).max(100_000) }))
      .min(1)
      .max(100)
      .optional()
      .meta({
        description: 'the order lines and how many of each; omitted: everything that remains to ship',
      }),
    carrier: Carrier,
    trackingNumber: TrackingNumber,
    trackingUrl: z
      .url({ protocol: /^https?$/ })
      .max(500)
      .optional()
      .meta({
        description: "the carrier's tracking page for this parcel; the customer's e-mail links to it",
      }),
    locationId: Id.optional().meta({
      description: "the stock location it leaves from; omitted: the inventory's default",
    }),
  })
  .meta({ id: 'CreateShipmentRequest' });

const ShipmentParams = z.object({ id: Id, shipmentId: Id });
const ShipmentAndOrder = z.object({ shipment: ShipmentSchema, order: OrderSchema });

/** The fulfilment context's HTTP API: shipments of an order, and API 1.x's one-parcel ship and deliver. */
export const fulfilmentRoutes =
  (
    fulfilment: FulfilmentService,
    orderLinkHolder: (orderId: string, token: string) => Promise<AuthUser>,
  ): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/admin/orders/:id/shipments',
      {
        config: { auth: 'admin', permission: 'orders.write' },
        schema: {
          operationId: 'createShipment',
          tags: ['Fulfilment'],
          summary: 'Ship some or all of what remains of an order, in one parcel (admin)',
          description:
            "Takes the lines and quantities asked for (or everything that remains) from one stock location, with the parcel's carrier and tracking number, and e-mails the customer what is in it. The order becomes partially_shipped, or shipped when nothing remains. With an `Idempotency-Key` (unique within the order), the same request sent again answers 201 with the shipment it made and ships nothing more; the same key with another body is 422 `idempotency_key_reused`. 409 `quantity_exceeds_remaining` (details.lines: lineId, requested, remaining) when a line has fewer units left to ship; 409 `invalid_transition` for an order that is not paid, is cancelled or has shipped; 409 `insufficient_stock_at_location` when the location lacks the units; 422 `unknown_order_lines`, `duplicate_order_lines`, `unknown_location`.",
          params: IdParams,
          body: CreateShipmentRequest,
          headers: IdempotencyHeaders,
          response: { 201: ShipmentAndOrder, ...transitionErrors },
        },
      },
      async (request, reply) => {
        const { shipment, order } = await fulfilment.ship(
          requireUser(request),
          request.params.id,
          request.body,
          idempotency(request.headers['idempotency-key'], 'createShipment', request.body),
        );
        return reply.code(201).send({ shipment: shipmentJson(shipment), order: orderJson(order) });
      },
    );

    app.post(
      '/admin/orders/:id/shipments/:shipmentId/deliver',
      {
        config: { auth: 'admin', permission: 'orders.write' },
        schema: {
          operationId: 'deliverShipment',
          tags: ['Fulfilment'],
          summary: 'Mark one shipment of an order delivered (admin)',
          description:
            'The order becomes delivered once every unit has arrived, partially_delivered before. Marking a delivered shipment again answers the same and changes nothing.',
          params: ShipmentParams,
          response: { 200: ShipmentAndOrder, ...transitionErrors },
        },
      },
      async (request) => {
        const { shipment, order } = await fulfilment.deliver(
          requireUser(request),
          request.params.id,
          request.params.shipmentId,
        );
        return { shipment: shipmentJson(shipment), order: orderJson(order) };
      },
    );

    app.get(
      '/orders/:id/shipments',
      {
        config: { auth: 'public' },
        schema: {
          operationId: 'listOrderShipments',
          tags: ['Fulfilment'],
          summary: "An order's shipments, with their lines and tracking",
          description:
            "For the order's customer and admins (bearer token), or whoever holds a guest's order link (`token`, as for getGuestOrder). Another customer's order is a 404.",
          params: IdParams,
          querystring: z.object({
            token: z.string().min(1).max(2000).optional().meta({ description: "a guest order link's token" }),
          }),
          response: {
            200: z.object({ items: z.array(ShipmentSchema) }),
            400: ErrorBody,
            401: ErrorBody,
            404: ErrorBody,
          },
        },
      },
      async (request) => {
        const token = request.query.token;
        let user = request.user;
        if (!user && token) user = await orderLinkHolder(request.params.id, token);
        if (!user) throw unauthorized();
        const items = await fulfilment.list(user, request.params.id);
        return { items: items.map(shipmentJson) };
      },
    );

    const Tracking = z.strictObject({ trackingNumber: TrackingNumber, carrier: Carrier });
    app.post(
      '/admin/orders/:id/ship',
      {
        config: { auth: 'admin', permission: 'orders.write' },
        schema: {
          operationId: 'shipOrder',
          tags: ['Admin'],
          summary: 'Ship everything that remains of an order in one shipment (admin)',
          description:
            "API 1.x's single parcel: createShipment with every remaining unit, from the default stock location.",
          params: IdParams,
          body: Tracking,
          headers: TransitionIdempotencyHeaders,
          response: { 200: OrderSchema, ...transitionErrors, 502: ErrorBody },
        },
      },
      async (request) =>
        orderJson(await fulfilment.shipRemaining(requireUser(request), request.params.id, request.body)),
    );

    app.post(
      '/admin/orders/:id/deliver',
      {
        config: { auth: 'admin', permission: 'orders.write' },
        schema: {
          operationId: 'deliverOrder',
          tags: ['Admin'],
          summary: 'Mark every shipment of an order delivered (admin)',
          description: "API 1.x's single parcel: deliverShipment for each shipment not yet delivered.",
          params: IdParams,
          headers: TransitionIdempotencyHeaders,
          response: { 200: OrderSchema, ...transitionErrors, 502: ErrorBody },
        },
      },
      async (request) => orderJson(await fulfilment.deliverAll(requireUser(request), request.params.id)),
    );
  };
