import { z } from 'zod';
import { ErrorBody } from '../platform/errors.ts';
import { requireUser } from '../platform/http.ts';
import { fromMinor } from '../platform/money.ts';
import { Id } from '../platform/schemas.ts';
import type { Cart, CartService } from './cart.ts';
import {
  AddressSchema,
  IdempotencyHeaders,
  OrderSchema,
  type OrdersApp,
  PaymentMethodSchema,
  checkoutChoice,
  CheckoutFields,
  idempotency,
  ItemQuantity,
  itemRef,
  orderJson,
  placeErrors,
} from './route-schemas.ts';

const CartSchema = z
  .object({
    items: z.array(
      z.object({
        productId: z.uuid(),
        variantId: z.uuid(),
        name: z.string(),
        variantTitle: z.string(),
        sku: z.string(),
        quantity: z.number().int(),
        price: z.number(),
        currency: z.string(),
        imageUrl: z.string().nullable(),
        available: z.number().int(),
        priceChanged: z.object({ from: z.number(), to: z.number() }).nullable(),
        warning: z
          .object({
            code: z.enum(['insufficient_stock', 'out_of_stock', 'unavailable']),
            message: z.string(),
            available: z.number(),
          })
          .nullable(),
      }),
    ),
    subtotal: z.number(),
    currency: z.string(),
  })
  .meta({ id: 'Cart' });

function cartJson(cart: Cart): z.infer<typeof CartSchema> {
  const money = (minor: number) => fromMinor(minor, cart.currency);
  return {
    items: cart.items.map((i) => ({
      productId: i.productId,
      variantId: i.variantId,
      name: i.name,
      variantTitle: i.variantTitle,
      sku: i.sku,
      quantity: i.quantity,
      price: money(i.unitPrice),
      currency: i.currency,
      imageUrl: i.imageUrl,
      available: i.available,
      priceChanged: i.priceChanged && { from: money(i.priceChanged.from), to: money(i.priceChanged.to) },
      warning: i.warning,
    })),
    subtotal: money(cart.subtotal),
    currency: cart.currency,
  };
}

/** The cart's routes: a server-side cart per customer, and checking it out. */
export function cartRoutes(app: OrdersApp, cart: CartService, currency: string): void {
  app.get(
    '/cart',
    {
      config: { auth: 'user' },
      schema: {
        operationId: 'getCart',
        tags: ['Cart'],
        summary: 'Your cart, at current prices, with stock warnings',
        response: { 200: CartSchema, 401: ErrorBody },
      },
    },
    async (request) => cartJson(await cart.get(requireUser(request))),
  );

  app.post(
    '/cart/items',
    {
      config: { auth: 'user' },
      schema: {
        operationId: 'addCartItem',
        tags: ['Cart'],
        summary: 'Add a variant to your cart (adds to the quantity already there)',
        body: ItemQuantity,
        response: { 200: CartSchema, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) =>
      cartJson(await cart.add(requireUser(request), itemRef(request.body), request.body.quantity)),
  );

  // The parameter keeps its v1 name; it holds the cart line's variantId (for a product without
  // options, the same as the product's id).
  const ProductParams = z.object({
    productId: Id.meta({ description: "the cart line's variantId" }),
  });
  app.put(
    '/cart/items/:productId',
    {
      config: { auth: 'user' },
      schema: {
        operationId: 'updateCartItem',
        tags: ['Cart'],
        summary: 'Set the quantity of a variant in your cart',
        params: ProductParams,
        body: z.strictObject({ quantity: z.number().int().min(1).max(1000) }),
        response: { 200: CartSchema, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) =>
      cartJson(await cart.setQuantity(requireUser(request), request.params.productId, request.body.quantity)),
  );

  app.delete(
    '/cart/items/:productId',
    {
      config: { auth: 'user' },
      schema: {
        operationId: 'removeCartItem',
        tags: ['Cart'],
        summary: 'Remove a variant from your cart',
        params: ProductParams,
        response: { 200: CartSchema, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request) => cartJson(await cart.remove(requireUser(request), request.params.productId)),
  );

  app.post(
    '/cart/checkout',
    {
      config: { auth: 'user' },
      schema: {
        operationId: 'checkoutCart',
        tags: ['Cart'],
        summary: 'Place an order for everything in your cart; the cart empties when it goes through',
        headers: IdempotencyHeaders,
        body: z.strictObject({
          shippingAddress: AddressSchema,
          paymentMethod: PaymentMethodSchema,
          ...CheckoutFields,
        }),
        response: { 201: OrderSchema, ...placeErrors },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const body = request.body;
      const placed = await cart.checkout(
        user,
        {
          shippingAddress: body.shippingAddress,
          paymentMethod: body.paymentMethod,
          ...checkoutChoice(body, currency),
        },
        idempotency(request.headers['idempotency-key'], 'checkoutCart', body),
      );
      return reply.code(201).send(orderJson(placed.order, placed.clientSecret));
    },
  );
}
