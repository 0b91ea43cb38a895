/**
 * The envelope every domain event travels in, from the outbox table to subscribers and the broker.
 * Each context declares its own events (its `events.ts`); this is the shape they share.
 */
export type BoundedContext = 'catalog' | 'inventory' | 'orders' | 'payment' | 'notification';

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
