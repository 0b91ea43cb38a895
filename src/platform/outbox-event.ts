import { z } from 'zod';

/**
 * The envelope every domain event travels in, from the outbox table to subscribers and the broker.
 * Each context declares its own events (its `events.ts`); this is the shape they share.
 */
export type BoundedContext =
  'catalog' | 'inventory' | 'orders' | 'payment' | 'notification' | 'fulfilment' | 'returns';

export interface DomainEvent<Type extends string = string, Payload = Record<string, unknown>> {
  /** uuid, also the broker's de-duplication id */
  id: string;
  /** position in the outbox: increases with commit order for events of one aggregate */
  sequence: number;
  type: Type;
  context: BoundedContext;
  aggregateId: string;
  payload: Payload;
  occurredAt: string;
}

/** What a producer hands to the outbox; id, sequence and time are assigned on write. */
export interface NewDomainEvent<Type extends string = string, Payload extends object = object> {
  type: Type;
  context: BoundedContext;
  aggregateId: string;
  payload: Payload;
}

/**
 * The schema of one event in its envelope, for a context's union of its events
 * (`z.discriminatedUnion('type', [...])`): a consumer that parses an envelope with it gets the
 * event narrowed by its `type`, payload included, with nothing asserted by hand.
 */
export function envelopeSchema<C extends BoundedContext, T extends string, P extends z.ZodType>(
  context: C,
  type: T,
  payload: P,
) {
  return z.object({ type: z.literal(type), context: z.literal(context), aggregateId: z.string(), payload });
}

/** A stored event as the typed event a schema says it is, or null when it is not one. */
export function parseEnvelope<S extends z.ZodType>(schema: S, event: DomainEvent): z.infer<S> | null {
  const parsed = schema.safeParse(event);
  return parsed.success ? parsed.data : null;
}
