import type { CatalogService } from '../catalog/service.ts';
import type { InventoryService } from '../inventory/service.ts';
import { available } from '../inventory/model.ts';
import type { AuthUser } from '../platform/auth/model.ts';
import type { Db } from '../platform/db.ts';
import { conflict, notFound, unprocessable } from '../platform/errors.ts';
import { cartLineWarning, orderTotal, type CartWarning } from './model.ts';
import type { PlaceOrderInput, Placed } from './place-order.ts';
import type { OrderService } from './service.ts';

/**
 * The cart lives on the server, tied to the customer, so it follows them from device to device.
 * Each line remembers the price when it was added, to warn when the price has changed since.
 */
export interface CartLine {
  productId: string;
  name: string;
  quantity: number;
  unitPrice: number;
  currency: string;
  imageUrl: string | null;
  available: number;
  priceChanged: { from: number; to: number } | null;
  warning: CartWarning | null;
}

export interface Cart {
  items: CartLine[];
  subtotal: number;
  currency: string;
}

const MAX_QUANTITY = 1000;

export class CartService {
  readonly #db: Db;
  readonly #catalog: CatalogService;
  readonly #inventory: InventoryService;
  readonly #orders: OrderService;

  constructor(db: Db, catalog: CatalogService, inventory: InventoryService, orders: OrderService) {
    this.#db = db;
    this.#catalog = catalog;
    this.#inventory = inventory;
    this.#orders = orders;
  }

  async get(user: AuthUser): Promise<Cart> {
    const rows = await this.#db
      .selectFrom('cart_item')
      .select(['product_id', 'quantity', 'price_when_added_minor'])
      .where('customer_id', '=', user.id)
      .orderBy('added_at')
      .execute();
    const ids = rows.map((r) => r.product_id);
    const [products, levels] = await Promise.all([this.#catalog.findMany(ids), this.#inventory.levels(ids)]);
    const items: CartLine[] = [];
    for (const row of rows) {
      const product = products.get(row.product_id);
      if (!product) continue;
      const level = levels.get(row.product_id);
      const free = level ? Math.max(0, available(level)) : 0;
      items.push({
        productId: product.id,
        name: product.name,
        quantity: row.quantity,
        unitPrice: product.priceMinor,
        currency: product.currency,
        imageUrl: product.imageUrl,
        available: free,
        priceChanged:
          row.price_when_added_minor === product.priceMinor
            ? null
            : { from: row.price_when_added_minor, to: product.priceMinor },
        warning: cartLineWarning(row.quantity, free, product.active, product.name),
      });
    }
    return { items, subtotal: orderTotal(items), currency: this.#catalog.currency };
  }

  /** Adds to the quantity already in the cart; the line's remembered price becomes today's. */
  async add(user: AuthUser, productId: string, quantity: number): Promise<Cart> {
    const product = (await this.#catalog.findMany([productId])).get(productId);
    if (!product || !product.active) throw notFound('Product', productId);
    const row = await this.#db
      .insertInto('cart_item')
      .values({
        customer_id: user.id,
        product_id: productId,
        quantity,
        price_when_added_minor: product.priceMinor,
      })
      .onConflict((oc) =>
        oc
          .columns(['customer_id', 'product_id'])
          .doUpdateSet((eb) => ({
            quantity: eb('cart_item.quantity', '+', eb.ref('excluded.quantity')),
            price_when_added_minor: eb.ref('excluded.price_when_added_minor'),
          }))
          // over the limit the cart stays as it was: a refused request changes nothing
          .where((eb) => eb(eb('cart_item.quantity', '+', eb.ref('excluded.quantity')), '<=', MAX_QUANTITY)),
      )
      .returning('quantity')
      .executeTakeFirst();
    if (!row || row.quantity > MAX_QUANTITY) {
      throw unprocessable('quantity_too_large', `At most ${MAX_QUANTITY} of one product fit in a cart.`);
    }
    return this.get(user);
  }

  async setQuantity(user: AuthUser, productId: string, quantity: number): Promise<Cart> {
    if (!(await this.#setQuantity(user, productId, quantity))) throw notFound('Cart item', productId);
    return this.get(user);
  }

  async #setQuantity(user: AuthUser, productId: string, quantity: number): Promise<boolean> {
    const result = await this.#db
      .updateTable('cart_item')
      .set({ quantity })
      .where('customer_id', '=', user.id)
      .where('product_id', '=', productId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async remove(user: AuthUser, productId: string): Promise<Cart> {
    await this.#db
      .deleteFrom('cart_item')
      .where('customer_id', '=', user.id)
      .where('product_id', '=', productId)
      .execute();
    return this.get(user);
  }

  /**
   * Places an order for what is in the cart, at today's prices. When the client says which
   * total it showed, a different total is a 409 so nobody pays a price they did not see.
   * The cart is emptied only when the order went through.
   */
  async checkout(
    user: AuthUser,
    input: Omit<PlaceOrderInput, 'items'> & { expectedTotal?: number | undefined },
    idempotency?: { key: string; requestHash: string },
  ): Promise<Placed> {
    const cart = await this.get(user);
    if (cart.items.length === 0) throw unprocessable('cart_empty', 'Your cart is empty.');
    if (input.expectedTotal !== undefined && input.expectedTotal !== cart.subtotal) {
      throw conflict('price_changed', 'Prices in your cart changed. Review your cart and check out again.', {
        items: cart.items
          .filter((i) => i.priceChanged)
          .map((i) => ({ productId: i.productId, expected: i.priceChanged?.from, current: i.unitPrice })),
        expectedTotal: input.expectedTotal,
        currentTotal: cart.subtotal,
      });
    }
    const items = cart.items.map((i) => ({
      productId: i.productId,
      quantity: i.quantity,
      expectedUnitPrice: i.unitPrice,
    }));
    const placed = await this.#orders.place(user, { ...input, items }, idempotency);
    await this.#db
      .deleteFrom('cart_item')
      .where('customer_id', '=', user.id)
      .where(
        'product_id',
        'in',
        items.map((i) => i.productId),
      )
      .execute();
    return placed;
  }
}
