import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PUBLISHED_EVENT_TYPES } from '../events.ts';
import { ErrorBody } from '../platform/errors.ts';
import { requireUser } from '../platform/http.ts';
import { PageQuery, decodeCursor, toPage } from '../platform/pagination.ts';
import { IdParams } from '../platform/schemas.ts';
import { ATTEMPT_OUTCOMES, DELIVERY_STATUSES, TEST_EVENT_TYPE } from './model.ts';
import type { EndpointWithFigures, WebhookService } from './service.ts';
import type { AttemptRow, DeliveryRow } from './store.ts';

/** The admin's outgoing webhooks: endpoints, their secrets, deliveries and attempts (docs/webhooks.md). */

const EVENT_TYPES = PUBLISHED_EVENT_TYPES.map((e) => e.type);
const EventType = z.enum(EVENT_TYPES);
type EventType = z.infer<typeof EventType>;
// a type an endpoint subscribed to that a later version no longer publishes is left out
const isEventType = (type: string): type is EventType => EventType.safeParse(type).success;

const Url = z.string().trim().min(1).max(2048).meta({
  description: 'where events are POSTed; https, and in production never an internal address',
  example: 'https://hooks.example.com/orderly',
});
const Description = z.string().trim().max(500);
const EventTypes = z
  .array(EventType)
  .min(1)
  .max(EVENT_TYPES.length)
  .refine((types) => new Set(types).size === types.length, 'must not repeat an event type')
  .meta({ description: 'the domain events this endpoint receives' });

const WebhookEndpoint = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string(),
    eventTypes: z.array(EventType),
    enabled: z
      .boolean()
      .meta({ description: 'a disabled endpoint gets no new deliveries; its waiting ones wait' }),
    pendingDeliveries: z.number().int(),
    failedDeliveries: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'WebhookEndpoint' });

const Secret = z.string().meta({
  description: 'the signing secret (whsec_…); verify each request’s Orderly-Signature with it',
  example: 'whsec_3q2-7wAbCdEfGhIjKlMnOpQrStUvWxYz',
});

const CreatedWebhookEndpoint = WebhookEndpoint.extend({ secret: Secret }).meta({
  id: 'CreatedWebhookEndpoint',
  description: 'The endpoint with its secret: shown now, and later only by reveal or rotate',
});

const WebhookSecret = z.object({ secret: Secret }).meta({ id: 'WebhookSecret' });

const WebhookDelivery = z
  .object({
    id: z.uuid(),
    endpointId: z.uuid(),
    eventId: z
      .uuid()
      .meta({ description: 'the event’s id, the same in a replay: receivers de-duplicate by it' }),
    eventType: z.string().meta({ description: `a domain event type, or ${TEST_EVENT_TYPE}` }),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int(),
    nextAttemptAt: z.iso.datetime().nullable().meta({ description: 'when a pending delivery is tried next' }),
    replayOf: z.uuid().nullable().meta({ description: 'the delivery this one replays' }),
    createdAt: z.iso.datetime(),
    deliveredAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'WebhookDelivery' });

const WebhookAttempt = z
  .object({
    attempt: z.number().int(),
    startedAt: z.iso.datetime(),
    durationMs: z.number().int(),
    outcome: z.enum(ATTEMPT_OUTCOMES).meta({
      description: 'refused: the address policy stopped it before connecting',
    }),
    statusCode: z.number().int().nullable(),
    error: z.string().nullable(),
    responseBody: z
      .string()
      .nullable()
      .meta({ description: 'the start of the receiver’s answer (1,024 characters)' }),
  })
  .meta({ id: 'WebhookAttempt' });

const WebhookDeliveryDetail = WebhookDelivery.extend({
  body: z
    .object({
      id: z.uuid(),
      type: z.string(),
      createdAt: z.iso.datetime(),
      data: z.record(z.string(), z.unknown()),
    })
    .meta({ description: 'the JSON body each attempt POSTs' }),
  attemptLog: z.array(WebhookAttempt),
}).meta({ id: 'WebhookDeliveryDetail' });

const iso = (value: Date | string) => new Date(value).toISOString();

function endpointOut(row: EndpointWithFigures): z.infer<typeof WebhookEndpoint> {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.event_types.filter(isEventType),
    enabled: row.enabled,
    pendingDeliveries: row.pending,
    failedDeliveries: row.failed,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

function deliveryOut(row: DeliveryRow): z.infer<typeof WebhookDelivery> {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    replayOf: row.replay_of,
    createdAt: iso(row.created_at),
    deliveredAt: row.delivered_at ? iso(row.delivered_at) : null,
  };
}

function attemptOut(row: AttemptRow): z.infer<typeof WebhookAttempt> {
  return {
    attempt: row.attempt,
    startedAt: iso(row.started_at),
    durationMs: row.duration_ms,
    outcome: row.outcome,
    statusCode: row.status_code,
    error: row.error,
    responseBody: row.response_body,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const adminErrors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody } as const;
const admin = { auth: 'admin', permission: 'settings' } as const;
const tags = ['Webhooks'];

export const webhookRoutes =
  (webhooks: WebhookService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/admin/webhook-event-types',
      {
        config: admin,
        schema: {
          operationId: 'listWebhookEventTypes',
          tags,
          summary: 'The event types an endpoint may subscribe to (admin)',
          description: 'Every published domain event, with the context it comes from (docs/webhooks.md).',
          response: {
            200: z.object({ items: z.array(z.object({ type: EventType, context: z.string() })) }),
            ...adminErrors,
          },
        },
      },
      async () => ({ items: PUBLISHED_EVENT_TYPES }),
    );

    app.get(
      '/admin/webhooks',
      {
        config: admin,
        schema: {
          operationId: 'listWebhookEndpoints',
          tags,
          summary: 'Every webhook endpoint, oldest first (admin)',
          description:
            'The endpoints with their subscriptions and how many deliveries wait or failed; never their secrets.',
          response: { 200: z.object({ items: z.array(WebhookEndpoint) }), ...adminErrors },
        },
      },
      async () => ({ items: (await webhooks.listEndpoints()).map(endpointOut) }),
    );

    app.post(
      '/admin/webhooks',
      {
        config: admin,
        schema: {
          operationId: 'createWebhookEndpoint',
          tags,
          summary: 'Register a webhook endpoint; the answer holds its secret, shown this once (admin)',
          description:
            'The URL is checked against the address policy (422 webhook_url_forbidden or webhook_url_invalid).',
          body: z.object({
            url: Url,
            description: Description.default(''),
            eventTypes: EventTypes,
            enabled: z.boolean().default(true),
          }),
          response: { 201: CreatedWebhookEndpoint, ...adminErrors, 422: ErrorBody },
        },
      },
      async (request, reply) => {
        const { endpoint, secret } = await webhooks.createEndpoint(request.body, requireUser(request).id);
        return reply.code(201).send({ ...endpointOut(endpoint), secret });
      },
    );

    app.get(
      '/admin/webhooks/:id',
      {
        config: admin,
        schema: {
          operationId: 'getWebhookEndpoint',
          tags,
          summary: 'One webhook endpoint, without its secret (admin)',
          description: 'Its URL, subscriptions, state and delivery figures.',
          params: IdParams,
          response: { 200: WebhookEndpoint, ...adminErrors, 404: ErrorBody },
        },
      },
      async (request) => endpointOut(await webhooks.getEndpoint(request.params.id)),
    );

    app.patch(
      '/admin/webhooks/:id',
      {
        config: admin,
        schema: {
          operationId: 'updateWebhookEndpoint',
          tags,
          summary: 'Change an endpoint’s URL, description, event types, or enable/disable it (admin)',
          description: 'Fields left out stay as they are. A new URL is checked like at registration.',
          params: IdParams,
          body: z
            .object({
              url: Url.optional(),
              description: Description.optional(),
              eventTypes: EventTypes.optional(),
              enabled: z.boolean().optional(),
            })
            .refine((b) => Object.values(b).some((v) => v !== undefined), 'change at least one field'),
          response: { 200: WebhookEndpoint, ...adminErrors, 404: ErrorBody, 422: ErrorBody },
        },
      },
      async (request) =>
        endpointOut(await webhooks.updateEndpoint(request.params.id, request.body, requireUser(request).id)),
    );

    app.delete(
      '/admin/webhooks/:id',
      {
        config: admin,
        schema: {
          operationId: 'deleteWebhookEndpoint',
          tags,
          summary: 'Delete an endpoint with its deliveries and their log (admin)',
          description: 'Deliveries still waiting are dropped with it.',
          params: IdParams,
          response: { 204: z.null().meta({ description: 'Deleted' }), ...adminErrors, 404: ErrorBody },
        },
      },
      async (request, reply) => {
        await webhooks.deleteEndpoint(request.params.id, requireUser(request).id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/admin/webhooks/:id/secret/reveal',
      {
        config: admin,
        schema: {
          operationId: 'revealWebhookSecret',
          tags,
          summary: 'Show an endpoint’s signing secret (admin)',
          description:
            'A POST, so that showing a secret is a deliberate act, recorded in the audit log with who asked.',
          params: IdParams,
          response: { 200: WebhookSecret, ...adminErrors, 404: ErrorBody },
        },
      },
      async (request) => ({
        secret: await webhooks.revealSecret(request.params.id, requireUser(request).id),
      }),
    );

    app.post(
      '/admin/webhooks/:id/secret/rotate',
      {
        config: admin,
        schema: {
          operationId: 'rotateWebhookSecret',
          tags,
          summary: 'Replace an endpoint’s signing secret with a new one, shown once (admin)',
          description:
            'Takes effect at once: every attempt from now on, retries included, is signed with the new secret.',
          params: IdParams,
          response: { 200: WebhookSecret, ...adminErrors, 404: ErrorBody },
        },
      },
      async (request) => ({
        secret: await webhooks.rotateSecret(request.params.id, requireUser(request).id),
      }),
    );

    app.post(
      '/admin/webhooks/:id/test',
      {
        config: admin,
        schema: {
          operationId: 'sendWebhookTestEvent',
          tags,
          summary: `Send a ${TEST_EVENT_TYPE} event to an endpoint (admin)`,
          description:
            'A delivery like any other (signed, retried, logged), whatever the endpoint subscribed to.',
          params: IdParams,
          response: { 201: WebhookDelivery, ...adminErrors, 404: ErrorBody },
        },
      },
      async (request, reply) => reply.code(201).send(deliveryOut(await webhooks.sendTest(request.params.id))),
    );

    app.get(
      '/admin/webhooks/:id/deliveries',
      {
        config: admin,
        schema: {
          operationId: 'listWebhookDeliveries',
          tags,
          summary: 'An endpoint’s deliveries, newest first (admin)',
          description: 'Status, attempts so far and the next attempt of each.',
          params: IdParams,
          querystring: z.object(PageQuery),
          response: {
            200: z.object({ items: z.array(WebhookDelivery), nextCursor: z.string().nullable() }),
            ...adminErrors,
            404: ErrorBody,
          },
        },
      },
      async (request) => {
        const after = decodeCursor(request.query.cursor, ['string']);
        // The cursor is compared with a uuid column: anything else is a bad cursor, not a 500.
        if (after && !UUID.test(String(after[0]))) decodeCursor('!', ['string']);
        const rows = await webhooks.listDeliveries({
          endpointId: request.params.id,
          beforeId: after ? String(after[0]) : null,
          limit: request.query.limit + 1,
        });
        return toPage(rows, request.query.limit, deliveryOut, (row) => [row.id]);
      },
    );

    app.get(
      '/admin/webhook-deliveries/:id',
      {
        config: admin,
        schema: {
          operationId: 'getWebhookDelivery',
          tags,
          summary: 'One delivery with its body and every attempt (admin)',
          description: 'Each attempt: status code, duration, error and the start of the answer.',
          params: IdParams,
          response: { 200: WebhookDeliveryDetail, ...adminErrors, 404: ErrorBody },
        },
      },
      async (request) => {
        const { delivery, attempts } = await webhooks.getDelivery(request.params.id);
        return {
          ...deliveryOut(delivery),
          body: {
            id: delivery.event_id,
            type: delivery.event_type,
            createdAt: iso(delivery.event_created_at),
            data: delivery.data,
          },
          attemptLog: attempts.map(attemptOut),
        };
      },
    );

    app.post(
      '/admin/webhook-deliveries/:id/replay',
      {
        config: admin,
        schema: {
          operationId: 'replayWebhookDelivery',
          tags,
          summary: 'Deliver an event again: a new delivery of the same event, same event id (admin)',
          description:
            'Whatever became of the original; the new delivery is due at once and retried like any other.',
          params: IdParams,
          response: { 201: WebhookDelivery, ...adminErrors, 404: ErrorBody },
        },
      },
      async (request, reply) =>
        reply.code(201).send(deliveryOut(await webhooks.replay(request.params.id, requireUser(request).id))),
    );
  };
