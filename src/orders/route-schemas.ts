import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../platform/errors.ts';
import { fromMinor } from '../platform/money.ts';
import { Amount, City, CountryCode, Id, minorUnits, PostalCode, Street } from '../platform/schemas.ts';
import {
  addressProblems,
  cancellationMessage,
  ORDER_ACTIONS,
  ORDER_STATUSES,
  type OrderLine,
  type OrderStatus,
} from './model.ts';
import type { OrderView } from './queries.ts';

/** The contract schemas the customer, admin and cart routes share, and the order as JSON. */

/** The Fastify instance the orders context's routes are registered on. */
export type OrdersApp = Parameters<FastifyPluginAsyncZod>[0];

export const AddressSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional().meta({
      description: "the recipient, as on the label; the customer's name when left out",
    }),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9][0-9 ().-]{5,24}$/, 'must be a phone number')
      .optional()
      .meta({ description: 'for the carrier, international format (+1 415 555 0100) preferred' }),
    street: Street,
    city: City,
    state: z.string().trim().min(1).max(100).optional().meta({
      description: 'state, province or prefecture: required in US, CA, AU, BR, MX, IN, CN and JP',
    }),
    zip: PostalCode,
    country: CountryCode.optional().meta({ description: 'ISO 3166-1 alpha-2; US when left out' }),
  })
  .superRefine((address, ctx) => {
    for (const problem of addressProblems({ ...address, country: address.country ?? 'US' })) {
      ctx.addIssue({ code: 'custom', path: [problem.path], message: problem.message });
    }
  })
  .meta({ id: 'Address' });

/** An order's address as it is answered: every field present, for a label to be written from. */
const ShippingAddressSchema = z
  .object({
    name: z.string(),
    phone: z.string().nullable(),
    street: z.string(),
    city: z.string(),
    state: z.string().meta({ description: 'empty where the country has none' }),
    zip: z.string(),
    country: z.string(),
  })
  .meta({ id: 'ShippingAddress' });

export const PaymentMethodSchema = z
  .strictObject({
    type: z.enum(['card', 'paypal']),
    token: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[A-Za-z0-9_]+$/, 'must be a payment token'),
  })
  .meta({ id: 'PaymentMethod' });

/**
 * What an item names: a variant, or a product without options (which means its one variant).
 * Spread into an item's object schema, with `namesVariant` as its refinement.
 */
export const ItemReference = {
  productId: Id.optional().meta({
    description: 'a product without options; a product with options is bought by naming its variant',
  }),
  variantId: Id.optional().meta({ description: 'the variant bought; takes precedence over productId' }),
};
export const namesVariant = [
  (item: { productId?: string | undefined; variantId?: string | undefined }) =>
    item.productId !== undefined || item.variantId !== undefined,
  { message: 'name the variant (variantId) or a product without options (productId)' },
] as const;

/** One item and its quantity, as placing, changing, quoting and the cart take it. */
export const ItemQuantity = z
  .strictObject({ ...ItemReference, quantity: z.number().int().min(1).max(1000) })
  .refine(...namesVariant);
export const ItemQuantities = z.array(ItemQuantity).min(1).max(100);

/** Items as pricing takes them: the id each names, and how many. */
export function requestedQuantities(items: z.infer<typeof ItemQuantities>) {
  return items.map((i) => ({ variantId: itemRef(i), quantity: i.quantity }));
}

/** The id an item names, for the catalog to resolve to a variant. */
export function itemRef(item: { productId?: string | undefined; variantId?: string | undefined }): string {
  const id = item.variantId ?? item.productId;
  if (id === undefined) throw new Error('an item passed validation without naming a variant');
  return id;
}

/** What a checkout takes besides the items and the address (the quote's choices, and its total). */
export const CheckoutFields = {
  shippingMethodId: Id.optional().meta({
    description: 'one of quoteCheckout shippingMethods; omitted: the cheapest that serves the address',
  }),
  discountCode: z.string().trim().min(1).max(32).optional(),
  expectedTotal: Amount.optional().meta({
    description:
      "the quote's total the shopper saw: 409 price_changed when it differs; required (422 confirmation_required) when shipping, tax or a discount make the total differ from the items' prices",
  }),
};

export function checkoutChoice(
  body: {
    shippingMethodId?: string | undefined;
    discountCode?: string | undefined;
    expectedTotal?: number | undefined;
  },
  currency: string,
) {
  return {
    shippingMethodId: body.shippingMethodId,
    discountCode: body.discountCode,
    expectedTotal:
      body.expectedTotal === undefined
        ? undefined
        : minorUnits(body.expectedTotal, currency, 'body.expectedTotal'),
  };
}

/** A line as the API shows it: the product, the variant, what it was called and cost. */
export const OrderLineSchema = z.object({
  productId: z.string(),
  variantId: z.string(),
  name: z.string(),
  variantTitle: z
    .string()
    .meta({ description: 'the options picked, "M / Blue"; empty for a product without options' }),
  sku: z.string(),
  quantity: z.number().int().min(1),
  price: z.number().meta({ description: 'the unit price' }),
  discount: z.number().meta({ description: "the line's share of the order's discount" }),
  tax: z.number().meta({ description: 'included in the price when the order was priced tax-inclusive' }),
  total: z.number().meta({ description: 'what the line costs after discount, with tax' }),
});

export function lineJson(line: OrderLine, currency: string): z.infer<typeof OrderLineSchema> {
  const money = (minor: number) => fromMinor(minor, currency);
  return {
    productId: line.productId,
    variantId: line.variantId,
    name: line.name,
    variantTitle: line.variantTitle,
    sku: line.sku,
    quantity: line.quantity,
    price: money(line.unitPrice),
    discount: money(line.discount),
    tax: money(line.tax),
    total: money(line.total),
  };
}

export const TaxLineSchema = z.object({
  name: z.string(),
  rate: z.number().meta({ description: 'a percentage: 8.25 is 8.25 %' }),
  base: z.number(),
  amount: z.number(),
});

/** How an order (or a quote) was priced beyond its lines. */
export const PricingFields = {
  subtotal: z.number().meta({ description: 'the items at their prices, before discount' }),
  discountTotal: z
    .number()
    .meta({ description: 'taken off the items (a free-shipping code shows on shipping)' }),
  shippingTotal: z.number().meta({
    description:
      'shipping after its discount, before its tax (which taxTotal counts): subtotal − discountTotal + shippingTotal + taxTotal = total, or without taxTotal when prices include tax',
  }),
  taxTotal: z.number(),
  pricesIncludeTax: z
    .boolean()
    .meta({ description: 'prices include tax: the tax is part of them, not added' }),
  taxLines: z.array(TaxLineSchema),
};

export function taxLineJson(
  line: { name: string; rateBasisPoints: number; baseMinor: number; amountMinor: number },
  currency: string,
): z.infer<typeof TaxLineSchema> {
  return {
    name: line.name,
    rate: line.rateBasisPoints / 100,
    base: fromMinor(line.baseMinor, currency),
    amount: fromMinor(line.amountMinor, currency),
  };
}

export const OrderNumber = z
  .number()
  .int()
  .min(1)
  .meta({ description: 'the number people quote, shown as #1001' });
const Action = z.object({ allowed: z.boolean(), reason: z.string().nullable() });
/** The statuses API v1 answers with and filters by: a draft is shown by the draft routes only (ADR 0023). */
export const ORDER_STATUSES_V1 = ORDER_STATUSES.filter((s) => s !== 'draft');
/** API 1.0's statuses, which `status` keeps: a client's generated types are closed unions. */
export const STATUS_1_0 = ORDER_STATUSES_V1.filter(
  (s) => s !== 'partially_shipped' && s !== 'partially_delivered',
);
export const OrderStatusSchema = z.enum(STATUS_1_0 as [string, ...string[]]).meta({
  description:
    'as API 1.0 knew it: an order part of which has shipped (partially_shipped, partially_delivered) reads as shipped; detailedStatus tells them apart',
});
export const DetailedStatusSchema = z.enum(ORDER_STATUSES_V1 as [string, ...string[]]).meta({
  description:
    'the status with the partial steps of fulfilment: confirmed → partially_shipped → shipped → partially_delivered → delivered, as the shipments say (docs/fulfilment.md)',
});

/** An order's status for `status`: the partial steps of fulfilment read as shipped (ADR 0027). */
export function statusOf1_0(status: OrderStatus): string {
  return status === 'partially_shipped' || status === 'partially_delivered' ? 'shipped' : status;
}
export const PaymentStatusSchema = z.enum([
  'pending',
  'requires_action',
  'paid',
  'failed',
  'partially_refunded',
  'refunded',
]);

export const OrderSchema = z
  .object({
    id: z.uuid(),
    orderNumber: OrderNumber,
    customerId: z.string(),
    status: OrderStatusSchema,
    detailedStatus: DetailedStatusSchema,
    items: z.array(
      OrderLineSchema.extend({ id: z.uuid().meta({ description: 'the line, as a shipment names it' }) }),
    ),
    ...PricingFields,
    shipping: z
      .object({
        methodId: z.string().nullable(),
        name: z.string(),
        price: z.number(),
        discount: z.number(),
        tax: z.number(),
        total: z.number(),
      })
      .nullable(),
    discount: z.object({ code: z.string(), amount: z.number() }).nullable(),
    total: z.number(),
    currency: z.string(),
    shippingAddress: ShippingAddressSchema,
    customer: z
      .object({ name: z.string(), email: z.string() })
      .optional()
      .meta({ description: 'who placed the order: shown to admins only' }),
    payment: z.object({
      status: PaymentStatusSchema,
      amountPaid: z.number(),
      amountRefunded: z.number(),
      clientSecret: z.string().optional().meta({ description: 'present while 3-D Secure must be completed' }),
    }),
    trackingNumber: z.string().nullable(),
    carrier: z.string().nullable(),
    cancellationReason: z.string().nullable(),
    cancellationMessage: z
      .string()
      .nullable()
      .meta({ description: 'why the order was cancelled, in words for the shopper; null unless cancelled' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    actions: z.object(
      Object.fromEntries(ORDER_ACTIONS.map((a) => [a, Action])) as Record<
        (typeof ORDER_ACTIONS)[number],
        typeof Action
      >,
    ),
  })
  .meta({ id: 'Order' });

type OrderJson = z.infer<typeof OrderSchema>;

export function orderJson(order: OrderView, clientSecret?: string | null): OrderJson {
  const money = (minor: number) => fromMinor(minor, order.currency);
  return {
    id: order.id,
    orderNumber: order.number,
    customerId: order.customerId,
    status: statusOf1_0(order.status),
    detailedStatus: order.status,
    items: order.lines.map((l) => ({ id: l.id, ...lineJson(l, order.currency) })),
    subtotal: money(order.pricing.subtotal),
    discountTotal: money(order.pricing.discount),
    shippingTotal: money(
      order.pricing.shipping ? order.pricing.shipping.price - order.pricing.shipping.discount : 0,
    ),
    taxTotal: money(order.pricing.tax),
    pricesIncludeTax: order.pricing.pricesIncludeTax,
    taxLines: order.taxLines.map((t) =>
      taxLineJson(
        { name: t.name, rateBasisPoints: t.rateBasisPoints, baseMinor: t.base, amountMinor: t.amount },
        order.currency,
      ),
    ),
    shipping: order.pricing.shipping && {
      methodId: order.pricing.shipping.methodId,
      name: order.pricing.shipping.name,
      price: money(order.pricing.shipping.price),
      discount: money(order.pricing.shipping.discount),
      tax: money(order.pricing.shipping.tax),
      total: money(order.pricing.shipping.total),
    },
    discount: order.pricing.discountCode
      ? {
          code: order.pricing.discountCode,
          amount: money(order.pricing.discount + (order.pricing.shipping?.discount ?? 0)),
        }
      : null,
    total: money(order.total),
    currency: order.currency,
    shippingAddress: {
      name: order.shippingAddress.name ?? order.recipientName,
      phone: order.shippingAddress.phone ?? null,
      street: order.shippingAddress.street,
      city: order.shippingAddress.city,
      state: order.shippingAddress.state ?? '',
      zip: order.shippingAddress.zip,
      country: order.shippingAddress.country ?? 'US',
    },
    ...(order.customer && { customer: order.customer }),
    payment: {
      status: order.payment.state,
      amountPaid: money(order.payment.paid),
      amountRefunded: money(order.payment.refunded),
      ...(clientSecret ? { clientSecret } : {}),
    },
    trackingNumber: order.trackingNumber,
    carrier: order.carrier,
    cancellationReason: order.cancellationReason,
    cancellationMessage:
      order.cancellationReason === null ? null : cancellationMessage(order.cancellationReason),
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    actions: order.actions,
  };
}

export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII')
    .optional()
    .meta({
      description:
        'the same key with the same body answers with the first result and does nothing twice; the same key with another body is 422 idempotency_key_reused',
    }),
});

/**
 * The header as API 1.0 declared it on the status actions (confirm, cancel, ship, deliver): still
 * accepted, and said for what it is, since those actions keep no keys.
 */
export const TransitionIdempotencyHeaders = z.object({
  'idempotency-key': IdempotencyHeaders.shape['idempotency-key'].meta({
    description:
      'accepted and not used: this action cannot happen twice, so a repeat changes nothing and is answered 409 invalid_transition',
  }),
});

/** Key order in the JSON body must not make the same request look different. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

export function idempotency(key: string | undefined, operation: string, body: unknown) {
  if (!key) return undefined;
  const requestHash = createHash('sha256')
    .update(operation)
    .update(JSON.stringify(canonical(body)))
    .digest('hex');
  return { key, requestHash };
}

export const placeErrors = {
  400: ErrorBody,
  401: ErrorBody,
  402: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  422: ErrorBody,
  502: ErrorBody,
};
export const transitionErrors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  422: ErrorBody,
};
export const Reason = z.strictObject({ reason: z.string().trim().min(1).max(500) });
