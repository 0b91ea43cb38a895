import { z } from 'zod';
import { badRequest, ErrorBody, unprocessable } from '../platform/errors.ts';
import { fromMinor } from '../platform/money.ts';
import type { CartService } from './cart.ts';
import {
  AddressSchema,
  CheckoutFields,
  ItemQuantities,
  lineJson,
  requestedQuantities,
  OrderLineSchema,
  type OrdersApp,
  PricingFields,
  taxLineJson,
} from './route-schemas.ts';
import type { OrderService } from './service.ts';

const Money = z.number();

const CheckoutQuoteSchema = z
  .object({
    lines: z.array(OrderLineSchema),
    shippingMethods: z
      .array(z.object({ id: z.uuid(), name: z.string(), price: Money }))
      .meta({ description: 'the methods that serve this address and basket, cheapest first' }),
    shippingMethodId: z.uuid().nullable(),
    shipping: z
      .object({ name: z.string(), price: Money, discount: Money, tax: Money, total: Money })
      .nullable(),
    discount: z.object({ code: z.string(), description: z.string(), amount: Money }).nullable(),
    ...PricingFields,
    total: Money.meta({ description: 'what placing this order charges: send it back as expectedTotal' }),
    currency: z.string(),
  })
  .meta({ id: 'CheckoutQuote' });

/** The checkout's price before placing: the same pricing placement runs, with nothing kept. */
export function checkoutRoutes(app: OrdersApp, orders: OrderService, cart: CartService): void {
  app.post(
    '/checkout/quote',
    {
      config: { auth: 'public' },
      schema: {
        operationId: 'quoteCheckout',
        tags: ['Cart'],
        summary: 'Price a checkout: shipping methods, discount, tax and the total to confirm',
        security: [],
        body: z.strictObject({
          items: ItemQuantities.optional().meta({
            description: "the items to price; omitted: the signed-in customer's cart",
          }),
          shippingAddress: AddressSchema,
          shippingMethodId: CheckoutFields.shippingMethodId,
          discountCode: CheckoutFields.discountCode,
        }),
        response: {
          200: CheckoutQuoteSchema,
          400: ErrorBody,
          401: ErrorBody,
          404: ErrorBody,
          409: ErrorBody,
          422: ErrorBody,
        },
      },
    },
    async (request) => {
      const body = request.body;
      const user = request.user;
      const items = body.items ? requestedQuantities(body.items) : user ? await cart.items(user) : null;
      if (!items)
        throw badRequest('items_required', 'Give the items to price, or sign in to price your cart.');
      if (items.length === 0) throw unprocessable('cart_empty', 'Your cart is empty.');
      const priced = await orders.priceCheckout(user?.id ?? null, items, body);
      const currency = orders.currency;
      const money = (minor: number) => fromMinor(minor, currency);
      const { totals, write } = priced;
      return {
        lines: priced.lines.map((l) => lineJson(l, currency)),
        shippingMethods: priced.methods.map((m) => ({ id: m.id, name: m.name, price: money(m.priceMinor) })),
        shippingMethodId: write.shipping?.methodId ?? null,
        shipping:
          totals.shipping && write.shipping
            ? {
                name: write.shipping.name,
                price: money(totals.shipping.priceMinor),
                discount: money(totals.shipping.discountMinor),
                tax: money(totals.shipping.taxMinor),
                total: money(totals.shipping.totalMinor),
              }
            : null,
        discount: write.discount
          ? {
              code: write.discount.code,
              description: priced.discountDescription ?? '',
              amount: money(totals.discountMinor + (totals.shipping?.discountMinor ?? 0)),
            }
          : null,
        subtotal: money(totals.subtotalMinor),
        discountTotal: money(totals.discountMinor),
        shippingTotal: money(
          totals.shipping ? totals.shipping.priceMinor - totals.shipping.discountMinor : 0,
        ),
        taxTotal: money(totals.taxMinor),
        pricesIncludeTax: write.pricesIncludeTax,
        taxLines: totals.taxLines.map((t) => taxLineJson(t, currency)),
        total: money(totals.totalMinor),
        currency,
      };
    },
  );
}
