/**
 * The notification context's types and pure rules: which messages an event makes, the retry
 * policy, phone numbers. No I/O: the service loads, this decides, the store writes.
 */
import { z } from 'zod';
import { FULFILMENT_EVENTS } from '../fulfilment/events.ts';
import { ORDER_EVENTS } from '../orders/events.ts';
import { PAYMENT_EVENTS } from '../payment/events.ts';
import { RETURN_EVENTS } from '../returns/events.ts';
import type { RetryPolicy } from '../platform/retry.ts';
import type { AccountEmail } from '../platform/auth/model.ts';
import {
  SHOP_TEMPLATES,
  getTemplate,
  formatOrderNumber,
  templatesForEvent,
  type OrderView,
  type RenderedEmail,
  type RenderedSms,
  type ShippingAddress,
  type TemplateName,
} from './templates.ts';

export const NOTIFICATION_CHANNELS = ['email', 'sms'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

export const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** One message, rendered, ready to be stored and sent. */
export interface ComposedMessage {
  channel: NotificationChannel;
  /** an email address or an E.164 phone number */
  recipient: string;
  template: TemplateName | AccountEmail['template'];
  /** email only */
  subject: string | null;
  /** email only */
  html: string | null;
  /** the plain-text part of an email, or the SMS body */
  text: string;
}

// ---------------------------------------------------------------------------------------------
// Retries

/** 1 s, 2 s, 4 s, 8 s, 16 s, then `failed` after the sixth attempt (about half a minute). */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 1000,
  maxDelayMs: 5 * 60_000,
  maxAttempts: 6,
  leaseMs: 5 * 60_000,
  // a round's claim and its record are a handful of statements, whatever its size
  batchSize: 100,
};

// ---------------------------------------------------------------------------------------------
// Phone numbers

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * A phone number as SMS providers want it (E.164), or null. Accounts store what the customer
 * typed (`+1 (555) 010-0199`); separators go, but a number without its country code cannot be
 * completed here, so it gets no SMS rather than one to a guessed country.
 */
export function toE164(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const compact = phone.replace(/[\s().-]/g, '');
  const withPlus = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
  return E164.test(withPlus) ? withPlus : null;
}

// ---------------------------------------------------------------------------------------------
// Events → messages

const Address = z.object({
  name: z.string().nullish(),
  street: z.string(),
  city: z.string(),
  state: z.string().nullish(),
  zip: z.string(),
  country: z.string().nullish(),
});

/**
 * The events this context turns into messages, read with their producers' own schemas: what the
 * orders and payment contexts publish is exactly what is parsed here.
 */
export const EVENT_PAYLOADS = {
  OrderConfirmed: ORDER_EVENTS.OrderConfirmed,
  OrderModified: ORDER_EVENTS.OrderModified,
  // a parcel's e-mail, once per shipment: the last one is the order's "has shipped"
  ShipmentCreated: FULFILMENT_EVENTS.ShipmentCreated,
  OrderDelivered: ORDER_EVENTS.OrderDelivered,
  OrderCancelled: ORDER_EVENTS.OrderCancelled,
  RefundIssued: PAYMENT_EVENTS.RefundIssued,
  RefundFailed: PAYMENT_EVENTS.RefundFailed,
  ReturnRequested: RETURN_EVENTS.ReturnRequested,
  ReturnApproved: RETURN_EVENTS.ReturnApproved,
  ReturnRejected: RETURN_EVENTS.ReturnRejected,
  ReturnReceived: RETURN_EVENTS.ReturnReceived,
  ReturnClosed: RETURN_EVENTS.ReturnClosed,
  ReturnCancelled: RETURN_EVENTS.ReturnCancelled,
  ExchangeShipped: RETURN_EVENTS.ExchangeShipped,
} as const;

export type NotifiedEventType = keyof typeof EVENT_PAYLOADS;
export const NOTIFIED_EVENT_TYPES = Object.keys(EVENT_PAYLOADS) as NotifiedEventType[];

export function isNotifiedEventType(type: string): type is NotifiedEventType {
  return Object.hasOwn(EVENT_PAYLOADS, type);
}

export type EventPayload<T extends NotifiedEventType> = z.infer<(typeof EVENT_PAYLOADS)[T]>;

/** The order as the notification context sees it, from the orders context. */
export interface OrderForNotification {
  id: string;
  number: number;
  customerId: string;
  currency: string;
  total: number;
  shippingAddress: ShippingAddress;
  lines: readonly { name: string; quantity: number; unitPrice: number }[];
  /** the order's page in the storefront, for the customer's emails (a guest's carries its link token) */
  orderUrl?: string | null;
}

export interface Contact {
  name: string;
  email: string | null;
  /** E.164, or null when the customer gave none (or SMS is off) */
  phone: string | null;
}

export function orderView(order: OrderForNotification, contact: Contact): OrderView {
  return {
    orderId: order.id,
    orderNumber: formatOrderNumber(order.number),
    customer: { name: contact.name, email: contact.email ?? '' },
    lines: order.lines.map((l) => ({ name: l.name, quantity: l.quantity, unitPrice: l.unitPrice })),
    total: order.total,
    currency: order.currency,
    shippingAddress: order.shippingAddress,
    orderUrl: order.orderUrl ?? null,
  };
}

function address(value: unknown): ShippingAddress | null {
  const parsed = Address.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The input every template of the event renders from (an event's email and SMS share it). */
function templateInput(type: NotifiedEventType, payload: unknown, order: OrderView): object {
  switch (type) {
    case 'OrderConfirmed':
    case 'OrderDelivered':
      return { order };
    case 'OrderModified': {
      const { changes } = EVENT_PAYLOADS.OrderModified.parse(payload);
      const from = address(changes.shippingAddress?.from);
      const to = address(changes.shippingAddress?.to);
      return {
        order,
        changes: {
          ...(changes.items && { items: changes.items }),
          ...(from && to && { shippingAddress: { from, to } }),
          ...(changes.total && { total: changes.total }),
        },
      };
    }
    case 'ShipmentCreated': {
      const shipment = EVENT_PAYLOADS.ShipmentCreated.parse(payload);
      const units = (lines: readonly { quantity: number }[]) => lines.reduce((n, l) => n + l.quantity, 0);
      return {
        order,
        carrier: shipment.carrier,
        trackingNumber: shipment.trackingNumber,
        trackingUrl: shipment.trackingUrl,
        shipment: {
          number: shipment.number,
          lines: shipment.lines.map((l) => ({ title: l.title, quantity: l.quantity })),
          whole: shipment.number === 1 && units(shipment.lines) === units(order.lines),
        },
      };
    }
    case 'OrderCancelled': {
      const { reason, actor, wasConfirmed } = EVENT_PAYLOADS.OrderCancelled.parse(payload);
      return { order, reason, actor, wasConfirmed };
    }
    case 'RefundIssued': {
      const { amount, currency } = EVENT_PAYLOADS.RefundIssued.parse(payload);
      return { order, amount, currency };
    }
    case 'RefundFailed': {
      const { amount, currency, failure, attempts, reason } = EVENT_PAYLOADS.RefundFailed.parse(payload);
      return { order, amount, currency, failure, attempts, reason };
    }
    case 'ReturnRequested':
    case 'ReturnApproved':
    case 'ReturnReceived':
    case 'ReturnClosed':
      return { order, return: returnInput(RETURN_EVENTS.ReturnApproved.parse(payload)) };
    case 'ReturnRejected': {
      const parsed = EVENT_PAYLOADS.ReturnRejected.parse(payload);
      return { order, return: returnInput(parsed), reason: parsed.reason };
    }
    case 'ReturnCancelled': {
      const parsed = EVENT_PAYLOADS.ReturnCancelled.parse(payload);
      return {
        order,
        return: returnInput(parsed),
        cancelledBy: parsed.cancelledBy,
        reason: parsed.reason,
        refunded: parsed.refunded,
      };
    }
    case 'ExchangeShipped': {
      const parsed = EVENT_PAYLOADS.ExchangeShipped.parse(payload);
      return {
        order,
        return: returnInput(parsed),
        carrier: parsed.carrier,
        trackingNumber: parsed.trackingNumber,
        trackingUrl: parsed.trackingUrl,
      };
    }
  }
}

function returnInput(payload: {
  number: number;
  lines: { name: string; variantTitle: string; quantity: number }[];
  replacements: { name: string; variantTitle: string; quantity: number }[];
}) {
  const item = (l: { name: string; variantTitle: string; quantity: number }) => ({
    name: l.variantTitle ? `${l.name} (${l.variantTitle})` : l.name,
    quantity: l.quantity,
  });
  return {
    number: payload.number,
    items: payload.lines.map(item),
    replacements: payload.replacements.map(item),
  };
}

type AnyTemplate =
  | { channel: 'email'; render(input: object): RenderedEmail }
  | { channel: 'sms'; render(input: object): RenderedSms };

/**
 * Every message an event makes for one customer: an email to their address, and, for the events
 * with an SMS template, an SMS when they have a phone number. Throws `TemplateNotFoundError` for
 * an event without templates, and zod's error for a payload without the fields a template needs.
 */
export function composeMessages(
  type: NotifiedEventType,
  payload: unknown,
  order: OrderForNotification,
  contact: Contact,
  shopEmail: string | null = null,
): ComposedMessage[] {
  const view = orderView(order, contact);
  const input = templateInput(type, payload, view);
  // the customer's link (a guest's opens the order by itself) is not the shop's to follow
  const shopInput = templateInput(type, payload, { ...view, orderUrl: null });
  const messages: ComposedMessage[] = [];
  for (const name of templatesForEvent(type)) {
    const template = getTemplate(name) as AnyTemplate;
    if (template.channel === 'email') {
      const recipient = SHOP_TEMPLATES.has(name) ? shopEmail : contact.email;
      if (!recipient) continue;
      const email = template.render(SHOP_TEMPLATES.has(name) ? shopInput : input);
      messages.push({
        channel: 'email',
        recipient,
        template: name,
        subject: email.subject,
        html: email.html,
        text: email.text,
      });
    } else if (contact.phone) {
      messages.push({
        channel: 'sms',
        recipient: contact.phone,
        template: name,
        subject: null,
        html: null,
        text: template.render(input).body,
      });
    }
  }
  return messages;
}
