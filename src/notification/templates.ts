/**
 * Customer-facing email and SMS texts, rendered from plain data: no I/O, no clock, no database.
 * The notification service loads what a template needs (an `OrderView` plus the event's own
 * fields), renders here, and hands the result to a provider.
 *
 * Every value that comes from an order (product names, addresses, free-text reasons) is untrusted:
 * the `html` tag below escapes every interpolation unless it is already `Html` built by this file,
 * so a template cannot forget to escape.
 *
 * Longer than 400 lines on purpose: `Html` values can only be made inside this file, which is what
 * makes the escaping a guarantee; splitting the templates out would mean exporting the way to make one.
 */

import { CANCELLATION_REASONS, isCancellationCode } from '../orders/model.ts';
import { formatMoney } from '../platform/money.ts';

// ---------------------------------------------------------------------------------------------
// Input shapes

export interface ShippingAddress {
  /** the recipient when it is not the customer */
  name?: string | null;
  street: string;
  city: string;
  /** absent where the country has none */
  state?: string | null;
  zip: string;
  country?: string | null;
}

export interface OrderViewLine {
  name: string;
  quantity: number;
  /** minor units of the order's currency */
  unitPrice: number;
}

/** What every order template needs, assembled by the service from the orders context. */
export interface OrderView {
  orderId: string;
  /** what the shopper sees and quotes to support, e.g. `formatOrderNumber(1001)` */
  orderNumber: string;
  customer: { name: string; email: string };
  lines: readonly OrderViewLine[];
  /** minor units */
  total: number;
  /** ISO 4217 */
  currency: string;
  shippingAddress: ShippingAddress;
  /** link to the order in the storefront; only http(s) links are rendered */
  orderUrl?: string | null;
  /** BCP 47, for money formatting; defaults to en-US */
  locale?: string;
}

export interface OrderChanges {
  /** `from: 0` is an added line, `to: 0` a removed one */
  items?: readonly { name: string; from: number; to: number }[];
  shippingAddress?: { from: ShippingAddress; to: ShippingAddress };
  /** minor units */
  total?: { from: number; to: number };
}

export type CancellationActor = 'customer' | 'admin' | 'system';

export interface ShipmentContents {
  /** 1, 2, … within the order */
  number: number;
  lines: readonly { title: string; quantity: number }[];
  /** the first parcel holds every unit of the order */
  whole: boolean;
}

export interface TemplateInputs {
  order_confirmed: { order: OrderView };
  order_modified: { order: OrderView; changes: OrderChanges };
  order_shipped: {
    order: OrderView;
    carrier: string;
    trackingNumber: string;
    trackingUrl?: string | null;
    /** the parcel, when the order ships in parts: what is in it, and whether it is the whole order */
    shipment?: ShipmentContents;
  };
  order_delivered: { order: OrderView };
  order_cancelled: { order: OrderView; reason: string; actor?: CancellationActor; wasConfirmed: boolean };
  /** `amount` in minor units of `currency` (the order's currency when omitted) */
  order_refunded: { order: OrderView; amount: number; currency?: string };
  /** to the shop: a refund ended without money going back to the customer */
  shop_refund_failed: {
    order: OrderView;
    amount: number;
    currency: string;
    failure: 'refused' | 'unavailable';
    attempts: number;
    reason: string | null;
  };
  sms_order_shipped: {
    order: OrderView;
    carrier: string;
    trackingNumber: string;
    trackingUrl?: string | null;
  };
  sms_order_delivered: { order: OrderView };
  /** a return's steps (src/returns): its number within the order and the items in it */
  return_requested: { order: OrderView; return: ReturnInput };
  return_approved: { order: OrderView; return: ReturnInput };
  return_rejected: { order: OrderView; return: ReturnInput; reason: string };
  return_received: { order: OrderView; return: ReturnInput };
  return_closed: { order: OrderView; return: ReturnInput };
  /** `refunded`: minor units of a dearer exchange's charge given back (0 for none) */
  return_cancelled: {
    order: OrderView;
    return: ReturnInput;
    cancelledBy: 'customer' | 'admin';
    reason: string | null;
    refunded: number;
  };
  exchange_shipped: {
    order: OrderView;
    return: ReturnInput;
    carrier: string;
    trackingNumber: string;
    trackingUrl: string | null;
  };
}

export interface ReturnInput {
  number: number;
  items: readonly { name: string; quantity: number }[];
  /** an exchange: what is sent instead; empty for a return that is refunded */
  replacements: readonly { name: string; quantity: number }[];
}

export type SmsTemplateName = 'sms_order_shipped' | 'sms_order_delivered';
export type TemplateName = keyof TemplateInputs;
export type EmailTemplateName = Exclude<TemplateName, SmsTemplateName>;

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface RenderedSms {
  body: string;
}

export interface EmailTemplate<Input> {
  readonly name: EmailTemplateName;
  readonly channel: 'email';
  render(input: Input): RenderedEmail;
}

export interface SmsTemplate<Input> {
  readonly name: SmsTemplateName;
  readonly channel: 'sms';
  render(input: Input): RenderedSms;
}

export type Template<K extends TemplateName> = K extends SmsTemplateName
  ? SmsTemplate<TemplateInputs[K]>
  : EmailTemplate<TemplateInputs[K]>;

/** The spec's invariant "Template must exist for notification type", as an error. */
export class TemplateNotFoundError extends Error {
  override readonly name = 'TemplateNotFoundError';
  readonly templateName: string | null;
  readonly eventType: string | null;
  constructor(message: string, detail: { templateName?: string; eventType?: string }) {
    super(message);
    this.templateName = detail.templateName ?? null;
    this.eventType = detail.eventType ?? null;
  }
}

// ---------------------------------------------------------------------------------------------
// Escaping

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Safe in element content and in double- or single-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Markup this file built; everything else interpolated into `html` is escaped. */
class Html {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

type HtmlValue = Html | string | number | readonly Html[] | null | undefined | false;

function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += toHtml(value) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

function toHtml(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map((v: Html) => v.value).join('');
  return escapeHtml(String(value));
}

/** Only web links become `href`s: a `javascript:` URL in an email is an attack, not a link. */
function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** Headers and SMS are single-line: a newline from order data must not start a new header. */
function oneLine(value: string): string {
  return value
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

// ---------------------------------------------------------------------------------------------
// Money, numbers, addresses

const DEFAULT_LOCALE = 'en-US';

/** The number a shopper sees and quotes to support: the order's sequential number, `#1001`. */
export function formatOrderNumber(number: number): string {
  return `#${number}`;
}

export function addressLines(address: ShippingAddress): string[] {
  const lines = [
    address.street,
    address.state ? `${address.city}, ${address.state} ${address.zip}` : `${address.city} ${address.zip}`,
  ];
  if (address.country) lines.push(address.country);
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Cancellation reasons in shoppers' words: the orders context's codes (CANCELLATION_REASONS)

/**
 * Known machine codes become a sentence; free text from a person is quoted as theirs. Unknown codes
 * from the system are not shown: `gateway_timeout_3` means nothing to a shopper.
 */
export function describeCancellationReason(reason: string, actor?: CancellationActor): string {
  const trimmed = oneLine(reason);
  const code = trimmed.toLowerCase();
  if (isCancellationCode(code)) return CANCELLATION_REASONS[code].shopper;
  if (actor === 'system' || trimmed === '' || /^[a-z0-9]+(?:_[a-z0-9]+)+$/.test(trimmed)) {
    return 'We were unable to complete this order.';
  }
  if (actor === 'customer') return `You cancelled it with this note: “${trimmed}”`;
  return `Our team cancelled it with this note: “${trimmed}”`;
}

// ---------------------------------------------------------------------------------------------
// Layout: one branded shell, inline CSS only (mail clients drop <style> and never load stylesheets)

const BRAND = 'Orderly';
const FONT = 'font-family:-apple-system,BlinkMacSystemFont,Segoe UI,Roboto,Helvetica,Arial,sans-serif;';
const S = {
  body: 'margin:0;padding:0;background-color:#f3f4f6;',
  outer: 'background-color:#f3f4f6;',
  card: `max-width:600px;width:100%;background-color:#ffffff;border-radius:8px;${FONT}color:#1f2937;`,
  header:
    'background-color:#1e3a8a;color:#ffffff;padding:20px 32px;border-radius:8px 8px 0 0;font-size:22px;font-weight:700;letter-spacing:0.5px;',
  content: 'padding:32px;font-size:15px;line-height:1.6;',
  h1: 'margin:0 0 8px 0;font-size:22px;line-height:1.3;color:#111827;',
  p: 'margin:0 0 16px 0;',
  muted: 'margin:0 0 16px 0;color:#6b7280;font-size:13px;',
  h2: 'margin:24px 0 8px 0;font-size:16px;color:#111827;',
  table: 'width:100%;border-collapse:collapse;font-size:14px;',
  th: 'text-align:left;padding:8px 0;border-bottom:2px solid #e5e7eb;color:#6b7280;font-weight:600;',
  thRight: 'text-align:right;padding:8px 0;border-bottom:2px solid #e5e7eb;color:#6b7280;font-weight:600;',
  td: 'padding:8px 0;border-bottom:1px solid #e5e7eb;vertical-align:top;',
  tdRight:
    'padding:8px 0;border-bottom:1px solid #e5e7eb;text-align:right;white-space:nowrap;vertical-align:top;',
  totalLabel: 'padding:12px 0 0 0;font-weight:700;',
  totalValue: 'padding:12px 0 0 0;font-weight:700;text-align:right;white-space:nowrap;',
  box: 'background-color:#f9fafb;border:1px solid #e5e7eb;border-radius:6px;padding:16px;margin:0 0 16px 0;',
  button:
    'display:inline-block;background-color:#1e3a8a;color:#ffffff;text-decoration:none;padding:12px 24px;border-radius:6px;font-weight:600;',
  footer:
    'padding:20px 32px;background-color:#f9fafb;border-radius:0 0 8px 8px;color:#6b7280;font-size:12px;line-height:1.5;',
};

interface Email {
  subject: string;
  /** the line mail clients show next to the subject */
  preheader: string;
  heading: string;
  intro: string[];
  blocks: { html: Html; text: string[] }[];
  /** an order's email links to it and names it in the footer; an account's email has `action` and `reason` */
  order?: OrderView;
  action?: { url: string; label: string };
  /** why the reader gets this email, for the footer */
  reason?: string;
}

export function renderShell(email: Email): RenderedEmail {
  const subject = oneLine(email.subject);
  const orderUrl = email.order ? safeUrl(email.order.orderUrl) : null;
  const action = orderUrl
    ? { url: orderUrl, label: 'View your order' }
    : email.action && { url: safeUrl(email.action.url), label: email.action.label };
  const footer = email.order
    ? [
        `${BRAND} · Order ${email.order.orderNumber}`,
        email.reason ?? `You are receiving this email because you placed an order with ${BRAND}.`,
      ]
    : [BRAND, email.reason ?? ''];
  const body = html`<!DOCTYPE html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${subject}</title>
      </head>
      <body style="${S.body}">
        <div style="display:none;max-height:0;overflow:hidden;opacity:0;">${email.preheader}</div>
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="${S.outer}">
          <tr>
            <td align="center" style="padding:24px 12px;">
              <table
                role="presentation"
                width="600"
                cellpadding="0"
                cellspacing="0"
                border="0"
                style="${S.card}"
              >
                <tr>
                  <td style="${S.header}">${BRAND}</td>
                </tr>
                <tr>
                  <td style="${S.content}">
                    <h1 style="${S.h1}">${email.heading}</h1>
                    ${email.intro.map((line) => html`<p style="${S.p}">${line}</p>`)}
                    ${email.blocks.map((b) => b.html)}
                    ${action?.url ? html`<p style="margin:24px 0 0 0;"><a href="${action.url}" style="${S.button}">${action.label}</a></p>` : null}
                  </td>
                </tr>
                <tr>
                  <td style="${S.footer}">${footer[0]}<br />${footer[1]}</td>
                </tr>
              </table>
            </td>
          </tr>
        </table>
      </body>
    </html> `;
  const text = [
    BRAND,
    '='.repeat(BRAND.length),
    '',
    email.heading,
    '',
    ...email.intro.flatMap((line) => [line, '']),
    ...email.blocks.flatMap((b) => [...b.text, '']),
    ...(action?.url ? [`${action.label}: ${action.url}`, ''] : []),
    '--',
    ...footer,
    '',
  ].join('\n');
  return { subject, html: body.value, text };
}

function money(order: OrderView, minor: number, currency: string = order.currency): string {
  return formatMoney(minor, currency, order.locale ?? DEFAULT_LOCALE);
}

function itemsBlock(order: OrderView, title: string): { html: Html; text: string[] } {
  const rows = order.lines.map(
    (line) =>
      html`<tr>
        <td style="${S.td}">${line.name}</td>
        <td style="${S.tdRight}">${line.quantity}</td>
        <td style="${S.tdRight}">${money(order, line.unitPrice)}</td>
        <td style="${S.tdRight}">${money(order, line.unitPrice * line.quantity)}</td>
      </tr> `,
  );
  return {
    html: html`<h2 style="${S.h2}">${title}</h2>
      <table role="presentation" cellpadding="0" cellspacing="0" border="0" style="${S.table}">
        <tr>
          <th style="${S.th}">Item</th>
          <th style="${S.thRight}">Qty</th>
          <th style="${S.thRight}">Price</th>
          <th style="${S.thRight}">Total</th>
        </tr>
        ${rows}
        <tr>
          <td colspan="3" style="${S.totalLabel}">Order total</td>
          <td style="${S.totalValue}">${money(order, order.total)}</td>
        </tr>
      </table> `,
    text: [
      `${title}:`,
      ...order.lines.map(
        (line) =>
          `  ${line.quantity} × ${line.name} @ ${money(order, line.unitPrice)} = ${money(order, line.unitPrice * line.quantity)}`,
      ),
      `Order total: ${money(order, order.total)}`,
    ],
  };
}

function addressHtml(name: string | null, address: ShippingAddress): Html {
  const lines = name === null ? addressLines(address) : [name, ...addressLines(address)];
  return html`${lines.map((line, i) => html`${i > 0 ? html`<br />` : null}${line}`)}`;
}

function addressBlock(order: OrderView, title: string): { html: Html; text: string[] } {
  const recipient = order.shippingAddress.name ?? order.customer.name;
  return {
    html: html`<h2 style="${S.h2}">${title}</h2>
      <div style="${S.box}">${addressHtml(recipient, order.shippingAddress)}</div> `,
    text: [`${title}:`, ...[recipient, ...addressLines(order.shippingAddress)].map((l) => `  ${l}`)],
  };
}

function factsBlock(facts: [label: string, value: string][]): { html: Html; text: string[] } {
  return {
    html: html`<div style="${S.box}">
      ${facts.map(
        ([label, value], i) => html`${i > 0 ? html`<br />` : null}<strong>${label}:</strong> ${value}`,
      )}
    </div> `,
    text: facts.map(([label, value]) => `${label}: ${value}`),
  };
}

export function paragraphBlock(lines: string[]): { html: Html; text: string[] } {
  return { html: html`${lines.map((line) => html`<p style="${S.p}">${line}</p>`)}`, text: lines };
}

// ---------------------------------------------------------------------------------------------
// The templates

function orderConfirmed({ order }: TemplateInputs['order_confirmed']): RenderedEmail {
  return renderShell({
    subject: `Order ${order.orderNumber} confirmed`,
    preheader: `Thanks for your order. Total ${money(order, order.total)}.`,
    heading: `Thank you for your order, ${order.customer.name}!`,
    intro: [`Your order ${order.orderNumber} is confirmed and we are getting it ready.`],
    blocks: [
      itemsBlock(order, 'Your items'),
      addressBlock(order, 'Shipping to'),
      paragraphBlock(['We will email you again when it ships.']),
    ],
    order,
  });
}

function describeItemChange(change: { name: string; from: number; to: number }): string {
  if (change.from === 0) return `Added: ${change.name} × ${change.to}`;
  if (change.to === 0) return `Removed: ${change.name} (was × ${change.from})`;
  return `${change.name}: quantity ${change.from} → ${change.to}`;
}

function orderModified({ order, changes }: TemplateInputs['order_modified']): RenderedEmail {
  const blocks: { html: Html; text: string[] }[] = [];
  const items = changes.items ?? [];
  if (items.length > 0) {
    const lines = items.map(describeItemChange);
    blocks.push({
      html: html`<h2 style="${S.h2}">Items changed</h2>
        <div style="${S.box}">${lines.map((l, i) => html`${i > 0 ? html`<br />` : null}${l}`)}</div> `,
      text: ['Items changed:', ...lines.map((l) => `  ${l}`)],
    });
  }
  if (changes.shippingAddress) {
    const { from, to } = changes.shippingAddress;
    blocks.push({
      html: html`<h2 style="${S.h2}">Shipping address changed</h2>
        <div style="${S.box}"><strong>Now:</strong><br />${addressHtml(null, to)}</div>
        <p style="${S.muted}">Previously: ${addressLines(from).join(', ')}</p> `,
      text: [
        'Shipping address changed:',
        '  Now:',
        ...addressLines(to).map((l) => `    ${l}`),
        `  Previously: ${addressLines(from).join(', ')}`,
      ],
    });
  }
  if (changes.total) {
    const line = `${money(order, changes.total.from)} → ${money(order, changes.total.to)}`;
    blocks.push({
      html: html`<h2 style="${S.h2}">New total</h2>
        <div style="${S.box}">${line}</div> `,
      text: [`New total: ${line}`],
    });
  }
  blocks.push(itemsBlock(order, 'Your order now'), addressBlock(order, 'Shipping to'));
  return renderShell({
    subject: `Your order ${order.orderNumber} was updated`,
    preheader: `Changes to order ${order.orderNumber}. New total ${money(order, order.total)}.`,
    heading: 'Your order was updated',
    intro: [`Hi ${order.customer.name}, here is what changed in order ${order.orderNumber}.`],
    blocks,
    order,
  });
}

function orderShipped(input: TemplateInputs['order_shipped']): RenderedEmail {
  const { order, carrier, trackingNumber } = input;
  const trackingUrl = safeUrl(input.trackingUrl);
  const facts = factsBlock([
    ['Carrier', carrier],
    ['Tracking number', trackingNumber],
  ]);
  const blocks = [facts];
  if (trackingUrl) {
    blocks.push({
      html: html`<p style="${S.p}"><a href="${trackingUrl}" style="${S.button}">Track your package</a></p> `,
      text: [`Track your package: ${trackingUrl}`],
    });
  }
  const part = input.shipment && !input.shipment.whole ? input.shipment : null;
  blocks.push(
    part ? contentsBlock(part, 'In this shipment') : itemsBlock(order, 'In this shipment'),
    addressBlock(order, 'Shipping to'),
  );
  return renderShell({
    subject: part
      ? `Parcel ${part.number} of your order ${order.orderNumber} has shipped`
      : `Your order ${order.orderNumber} has shipped`,
    preheader: `On its way with ${oneLine(carrier)}, tracking ${oneLine(trackingNumber)}.`,
    heading: part ? 'Part of your order is on its way' : 'Your order is on its way',
    intro: [
      part
        ? `Good news, ${order.customer.name}: parcel ${part.number} of order ${order.orderNumber} has shipped. We will email you as each parcel leaves.`
        : `Good news, ${order.customer.name}: order ${order.orderNumber} has shipped.`,
    ],
    blocks,
    order,
  });
}

/** A parcel's contents: what and how many, without prices (those are the order's). */
function contentsBlock(shipment: ShipmentContents, title: string): { html: Html; text: string[] } {
  const rows = shipment.lines.map(
    (line) =>
      html`<tr>
        <td style="${S.td}">${line.title}</td>
        <td style="${S.tdRight}">${line.quantity}</td>
      </tr> `,
  );
  return {
    html: html`<h2 style="${S.h2}">${title}</h2>
      <table role="presentation" cellpadding="0" cellspacing="0" border="0" style="${S.table}">
        <tr>
          <th style="${S.th}">Item</th>
          <th style="${S.thRight}">Qty</th>
        </tr>
        ${rows}
      </table> `,
    text: [`${title}:`, ...shipment.lines.map((line) => `  ${line.quantity} × ${line.title}`)],
  };
}

function orderDelivered({ order }: TemplateInputs['order_delivered']): RenderedEmail {
  return renderShell({
    subject: `Your order ${order.orderNumber} was delivered`,
    preheader: `Order ${order.orderNumber} has arrived.`,
    heading: 'Your order was delivered',
    intro: [
      `Hi ${order.customer.name}, order ${order.orderNumber} has been delivered.`,
      'We hope you enjoy it. If anything is wrong, contact us and we will sort it out.',
    ],
    blocks: [addressBlock(order, 'Delivered to'), itemsBlock(order, 'Your items')],
    order,
  });
}

function orderCancelled(input: TemplateInputs['order_cancelled']): RenderedEmail {
  const { order } = input;
  const reason = describeCancellationReason(input.reason, input.actor);
  const chargeNote = input.wasConfirmed
    ? 'If you were charged, you will be refunded in full; we will email you when the refund is issued.'
    : 'You have not been charged.';
  return renderShell({
    subject: `Your order ${order.orderNumber} was cancelled`,
    preheader: reason,
    heading: 'Your order was cancelled',
    intro: [`Hi ${order.customer.name}, order ${order.orderNumber} has been cancelled.`],
    blocks: [
      factsBlock([['Why', reason]]),
      paragraphBlock([chargeNote]),
      itemsBlock(order, 'Cancelled items'),
    ],
    order,
  });
}

function orderRefunded(input: TemplateInputs['order_refunded']): RenderedEmail {
  const { order } = input;
  const amount = money(order, input.amount, input.currency ?? order.currency);
  return renderShell({
    subject: `Refund of ${amount} for order ${order.orderNumber}`,
    preheader: `We refunded ${amount} to your original payment method.`,
    heading: 'Your refund is on its way',
    intro: [`Hi ${order.customer.name}, we have refunded ${amount} for order ${order.orderNumber}.`],
    blocks: [
      factsBlock([
        ['Refund amount', amount],
        ['Order total', money(order, order.total)],
      ]),
      paragraphBlock([
        'The money goes back to the payment method you used. Depending on your bank it can take 5–10 business days to appear on your statement.',
      ]),
    ],
    order,
  });
}

function returnItemsBlock(input: ReturnInput): { html: Html; text: string[] } {
  const list = (title: string, items: ReturnInput['items']) => {
    const lines = items.map((i) => `${i.quantity} × ${i.name}`);
    return {
      html: html`<h2 style="${S.h2}">${title}</h2>
        <div style="${S.box}">${lines.map((l, i) => html`${i > 0 ? html`<br />` : null}${l}`)}</div> `,
      text: [`${title}:`, ...lines.map((l) => `  ${l}`)],
    };
  };
  const returned = list('Items in the return', input.items);
  if (input.replacements.length === 0) return returned;
  const sent = list('Sent to you instead', input.replacements);
  return { html: html`${returned.html}${sent.html}`, text: [...returned.text, ...sent.text] };
}

function returnEmail(
  order: OrderView,
  r: ReturnInput,
  words: { subject: string; heading: string; intro: string[]; after: string[] },
): RenderedEmail {
  return renderShell({
    subject: `${words.subject} (order ${order.orderNumber})`,
    preheader: words.intro[0] ?? words.heading,
    heading: words.heading,
    intro: words.intro,
    blocks: [returnItemsBlock(r), paragraphBlock(words.after)],
    order,
  });
}

function returnRequested({ order, return: r }: TemplateInputs['return_requested']): RenderedEmail {
  return returnEmail(order, r, {
    subject: 'We got your return request',
    heading: 'We got your return request',
    intro: [
      `Hi ${order.customer.name}, thank you: return ${r.number} of order ${order.orderNumber} is with our team.`,
    ],
    after: ['We will email you as soon as it is approved, with what to do next.'],
  });
}

function returnApproved({ order, return: r }: TemplateInputs['return_approved']): RenderedEmail {
  return returnEmail(order, r, {
    subject: 'Your return is approved',
    heading: 'Your return is approved',
    intro: [`Hi ${order.customer.name}, return ${r.number} of order ${order.orderNumber} is approved.`],
    after: [
      r.replacements.length > 0
        ? 'Please send the items back to us. We send the replacement and email you its tracking link.'
        : 'Please send the items back to us. We refund them once they arrive.',
    ],
  });
}

function returnRejected({ order, return: r, reason }: TemplateInputs['return_rejected']): RenderedEmail {
  return returnEmail(order, r, {
    subject: 'About your return',
    heading: 'We could not accept your return',
    intro: [
      `Hi ${order.customer.name}, we are sorry: we could not accept return ${r.number} of order ${order.orderNumber}.`,
      `Our team’s note: “${oneLine(reason)}”`,
    ],
    after: ['Reply to this email if you have a question about it.'],
  });
}

function returnReceived({ order, return: r }: TemplateInputs['return_received']): RenderedEmail {
  return returnEmail(order, r, {
    subject: 'We received your return',
    heading: 'We received your return',
    intro: [
      `Hi ${order.customer.name}, the items of return ${r.number} of order ${order.orderNumber} arrived.`,
    ],
    after: [
      r.replacements.length > 0
        ? 'Anything left to refund goes back to your payment method; you will get an email with the amount.'
        : 'We are refunding them now; you will get an email with the amount.',
    ],
  });
}

function returnClosed({ order, return: r }: TemplateInputs['return_closed']): RenderedEmail {
  return returnEmail(order, r, {
    subject: 'Your return is complete',
    heading: 'Your return is complete',
    intro: [`Hi ${order.customer.name}, return ${r.number} of order ${order.orderNumber} is complete.`],
    after: [
      r.replacements.length > 0
        ? 'The replacement settles it: there is nothing to refund.'
        : 'These items were refunded before, so there is nothing more to refund for them.',
    ],
  });
}

function returnCancelled(input: TemplateInputs['return_cancelled']): RenderedEmail {
  const { order, return: r, reason } = input;
  const exchange = r.replacements.length > 0;
  const what = `${exchange ? 'exchange' : 'return'} ${r.number} of order ${order.orderNumber}`;
  const withdrawn = input.cancelledBy === 'customer';
  return returnEmail(order, r, {
    subject: withdrawn
      ? `Your ${exchange ? 'exchange' : 'return'} is withdrawn`
      : `Your ${exchange ? 'exchange' : 'return'} is cancelled`,
    heading: withdrawn
      ? `You withdrew your ${exchange ? 'exchange' : 'return'}`
      : `We cancelled your ${exchange ? 'exchange' : 'return'}`,
    intro: [
      withdrawn
        ? `Hi ${order.customer.name}, as you asked, ${what} is withdrawn.`
        : `Hi ${order.customer.name}, we cancelled ${what}.`,
      ...(reason ? [`Our team’s note: “${oneLine(reason)}”`] : []),
    ],
    after: [
      input.refunded > 0
        ? `The ${money(order, input.refunded)} you paid for the exchange goes back to your payment method; you will get an email when it is refunded.`
        : exchange
          ? 'Nothing is sent to you instead, and there is nothing to refund.'
          : 'There is nothing to send back and nothing to refund.',
      'You may still ask to return these items while the return window is open.',
    ],
  });
}

function exchangeShipped(input: TemplateInputs['exchange_shipped']): RenderedEmail {
  const { order, return: r, carrier, trackingNumber } = input;
  const trackingUrl = safeUrl(input.trackingUrl);
  const blocks = [
    factsBlock([
      ['Carrier', carrier],
      ['Tracking number', trackingNumber],
    ]),
  ];
  if (trackingUrl) {
    blocks.push({
      html: html`<p style="${S.p}"><a href="${trackingUrl}" style="${S.button}">Track your package</a></p> `,
      text: [`Track your package: ${trackingUrl}`],
    });
  }
  blocks.push(returnItemsBlock(r), addressBlock(order, 'Shipping to'));
  return renderShell({
    subject: `Your replacement is on its way (order ${order.orderNumber})`,
    preheader: `On its way with ${oneLine(carrier)}, tracking ${oneLine(trackingNumber)}.`,
    heading: 'Your replacement is on its way',
    intro: [
      `Good news, ${order.customer.name}: the replacement for return ${r.number} of order ${order.orderNumber} has shipped.`,
    ],
    blocks,
    order,
  });
}

function shopRefundFailed(input: TemplateInputs['shop_refund_failed']): RenderedEmail {
  const { order } = input;
  const amount = money(order, input.amount, input.currency);
  const why =
    input.failure === 'refused'
      ? 'The payment provider refused it.'
      : `The payment provider could not be reached in ${input.attempts} attempts.`;
  return renderShell({
    subject: `Refund of ${amount} for order ${order.orderNumber} failed`,
    preheader: `No money went back to ${order.customer.name}.`,
    heading: 'A refund failed',
    intro: [
      `The refund of ${amount} for order ${order.orderNumber} was not made. ${why}`,
      'Refund the customer from the payment provider’s dashboard, or contact them.',
    ],
    blocks: [
      factsBlock([
        ['Refund amount', amount],
        ['Order total', money(order, order.total)],
        ['Customer', `${order.customer.name} <${order.customer.email}>`],
        ['Reason given', input.reason ?? '—'],
      ]),
    ],
    order,
    reason: `You are receiving this email because this address is the shop’s contact in ${BRAND} (SHOP_EMAIL).`,
  });
}

function smsShipped(input: TemplateInputs['sms_order_shipped']): RenderedSms {
  const trackingUrl = safeUrl(input.trackingUrl);
  const body = `${BRAND}: order ${input.order.orderNumber} has shipped with ${input.carrier}. Tracking: ${input.trackingNumber}`;
  return { body: oneLine(trackingUrl ? `${body} ${trackingUrl}` : body) };
}

function smsDelivered({ order }: TemplateInputs['sms_order_delivered']): RenderedSms {
  return { body: oneLine(`${BRAND}: order ${order.orderNumber} has been delivered. Enjoy!`) };
}

// ---------------------------------------------------------------------------------------------
// Registry

export const templates: { readonly [K in TemplateName]: Template<K> } = {
  order_confirmed: { name: 'order_confirmed', channel: 'email', render: orderConfirmed },
  order_modified: { name: 'order_modified', channel: 'email', render: orderModified },
  order_shipped: { name: 'order_shipped', channel: 'email', render: orderShipped },
  order_delivered: { name: 'order_delivered', channel: 'email', render: orderDelivered },
  order_cancelled: { name: 'order_cancelled', channel: 'email', render: orderCancelled },
  order_refunded: { name: 'order_refunded', channel: 'email', render: orderRefunded },
  shop_refund_failed: { name: 'shop_refund_failed', channel: 'email', render: shopRefundFailed },
  sms_order_shipped: { name: 'sms_order_shipped', channel: 'sms', render: smsShipped },
  sms_order_delivered: { name: 'sms_order_delivered', channel: 'sms', render: smsDelivered },
  return_requested: { name: 'return_requested', channel: 'email', render: returnRequested },
  return_approved: { name: 'return_approved', channel: 'email', render: returnApproved },
  return_rejected: { name: 'return_rejected', channel: 'email', render: returnRejected },
  return_received: { name: 'return_received', channel: 'email', render: returnReceived },
  return_closed: { name: 'return_closed', channel: 'email', render: returnClosed },
  return_cancelled: { name: 'return_cancelled', channel: 'email', render: returnCancelled },
  exchange_shipped: { name: 'exchange_shipped', channel: 'email', render: exchangeShipped },
};

/**
 * Which notifications each domain event produces. OrderPlaced has none on purpose: the order is
 * not paid yet, and the confirmation (story 004) follows OrderConfirmed.
 */
export const EVENT_TEMPLATES: Readonly<Record<string, readonly TemplateName[]>> = {
  OrderConfirmed: ['order_confirmed'],
  OrderModified: ['order_modified'],
  ShipmentCreated: ['order_shipped', 'sms_order_shipped'],
  OrderDelivered: ['order_delivered', 'sms_order_delivered'],
  OrderCancelled: ['order_cancelled'],
  RefundIssued: ['order_refunded'],
  RefundFailed: ['shop_refund_failed'],
  // a return's refund is told by RefundIssued's email (order_refunded), like every refund
  ReturnRequested: ['return_requested'],
  ReturnApproved: ['return_approved'],
  ReturnRejected: ['return_rejected'],
  ReturnReceived: ['return_received'],
  ReturnClosed: ['return_closed'],
  ReturnCancelled: ['return_cancelled'],
  ExchangeShipped: ['exchange_shipped'],
};

/** Templates written to the shop (its contact address), not to the order's customer. */
export const SHOP_TEMPLATES: ReadonlySet<TemplateName> = new Set(['shop_refund_failed']);

export function isTemplateName(name: string): name is TemplateName {
  return Object.hasOwn(templates, name);
}

export function getTemplate<K extends TemplateName>(name: K): Template<K>;
export function getTemplate(name: string): Template<TemplateName>;
export function getTemplate(name: string): Template<TemplateName> {
  // Object.hasOwn, not `in`: names may come from the database, and `constructor` is not a template.
  if (!isTemplateName(name)) {
    throw new TemplateNotFoundError(`No notification template named "${name}".`, { templateName: name });
  }
  return templates[name];
}

export function renderEmail<K extends EmailTemplateName>(name: K, input: TemplateInputs[K]): RenderedEmail {
  const template = getTemplate(name);
  if (template.channel !== 'email') {
    throw new TemplateNotFoundError(`"${name}" is not an email template.`, { templateName: name });
  }
  return (template as EmailTemplate<TemplateInputs[K]>).render(input);
}

export function renderSms<K extends SmsTemplateName>(name: K, input: TemplateInputs[K]): RenderedSms {
  const template = getTemplate(name);
  if (template.channel !== 'sms') {
    throw new TemplateNotFoundError(`"${name}" is not an SMS template.`, { templateName: name });
  }
  return (template as SmsTemplate<TemplateInputs[K]>).render(input);
}

/** The template names an event type produces; throws if the event has none. */
export function templatesForEvent(eventType: string): readonly TemplateName[] {
  const names = Object.hasOwn(EVENT_TEMPLATES, eventType) ? EVENT_TEMPLATES[eventType] : undefined;
  if (names === undefined || names.length === 0) {
    throw new TemplateNotFoundError(`No notification template for event type "${eventType}".`, { eventType });
  }
  for (const name of names) getTemplate(name);
  return names;
}

/**
 * For start-up: every event type the notification context subscribes to has its templates, so a
 * missing one stops the server with a sentence instead of failing the first customer's email.
 */
export function assertTemplatesFor(eventTypes: Iterable<string>): void {
  const missing: string[] = [];
  for (const eventType of eventTypes) {
    try {
      templatesForEvent(eventType);
    } catch (error) {
      if (!(error instanceof TemplateNotFoundError)) throw error;
      missing.push(eventType);
    }
  }
  if (missing.length > 0) {
    throw new TemplateNotFoundError(
      `No notification template for event type${missing.length > 1 ? 's' : ''} ${missing.map((t) => `"${t}"`).join(', ')}.`,
      { eventType: missing.join(',') },
    );
  }
}
