import type { CatalogService } from '../catalog/service.ts';
import type { InventoryService } from '../inventory/service.ts';
import { available } from '../inventory/model.ts';
import type { AuthUser } from '../platform/auth/model.ts';
import type { Db } from '../platform/db.ts';
import { notFound, unprocessable } from '../platform/errors.ts';
import * as store from './cart-store.ts';
import { cartLineWarning, orderTotal, type CartWarning, type RequestedLine } from './model.ts';
import type { PlaceOrderInput, Placed } from './place-order.ts';
import type { OrderService } from './service.ts';

/**
 * The cart lives on the server, tied to the customer, so it follows them from device to device.
 * Each line remembers the price when it was added, to warn when the price has changed since.
 */
export interface CartLine {
  productId: string;
  variantId: string;
  name: string;
  variantTitle: string;
  sku: string;
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
    return this.#cart(await store.linesOf(this.#db, user.id));
  }

  /** The cart of these lines, priced now, with what is left on the shelf of each. */
  async #cart(rows: readonly store.CartRow[]): Promise<Cart> {
    const ids = rows.map((r) => r.variant_id);
    const [variants, levels] = await Promise.all([
      this.#catalog.findVariants(ids),
      this.#inventory.levels(ids),
    ]);
    const items: CartLine[] = [];
    for (const row of rows) {
      const product = variants.get(row.variant_id);
      if (!product) continue;
      const level = levels.get(row.variant_id);
      const free = level ? Math.max(0, available(level)) : 0;
      items.push({
        productId: product.productId,
        variantId: product.id,
        name: product.name,
        variantTitle: product.title,
        sku: product.sku,
        quantity: row.quantity,
        unitPrice: product.priceMinor,
        currency: product.currency,
        imageUrl: product.imageUrl,
        available: free,
        priceChanged:
          row.price_when_added_minor === product.priceMinor
            ? null
            : { from: row.price_when_added_minor, to: product.priceMinor },
        warning: cartLineWarning(
          row.quantity,
          free,
          product.active,
          product.title ? `${product.name} (${product.title})` : product.name,
        ),
      });
    }
    return { items, subtotal: orderTotal(items), currency: this.#catalog.currency };
  }

  /**
   * Adds to the quantity already in the cart; the line's remembered price becomes today's.
   * `ref` names a variant, or a product that has only one.
   */
  async add(user: AuthUser, ref: string, quantity: number): Promise<Cart> {
    const variant = (await this.#catalog.resolveVariants([ref])).get(ref);
    if (!variant || !variant.active) throw notFound('Product', ref);
    const { quantity: total, lines } = await store.addQuantity(
      this.#db,
      { customerId: user.id, variantId: variant.id, quantity, priceMinor: variant.priceMinor },
      MAX_QUANTITY,
    );
    if (total === undefined || total > MAX_QUANTITY) {
      throw unprocessable('quantity_too_large', `At most ${MAX_QUANTITY} of one item fit in a cart.`);
    }
    return this.#cart(lines);
  }

  async setQuantity(user: AuthUser, variantId: string, quantity: number): Promise<Cart> {
    if (!(await store.setQuantity(this.#db, user.id, variantId, quantity)))
      throw notFound('Cart item', variantId);
    return this.get(user);
  }

  async remove(user: AuthUser, variantId: string): Promise<Cart> {
    await store.remove(this.#db, user.id, [variantId]);
    return this.get(user);
  }

  /**
   * The cart's lines as order items, read from its own rows only: placement prices them from the
   * catalog (once), and the shopper's `expectedTotal` says what they were shown.
   */
  async items(user: AuthUser): Promise<RequestedLine[]> {
    const rows = await store.linesOf(this.#db, user.id);
    return rows.map((r) => ({ variantId: r.variant_id, quantity: r.quantity }));
  }

  /**
   * Places an order for what is in the cart, at today's prices, with the total the shopper was
   * shown (`expectedTotal`, checked by placement). The cart is emptied only when the order went
   * through.
   */
  async checkout(
    user: AuthUser,
    input: Omit<PlaceOrderInput, 'items'>,
    idempotency?: { key: string; requestHash: string },
  ): Promise<Placed> {
    const items = await this.items(user);
    if (items.length === 0) throw unprocessable('cart_empty', 'Your cart is empty.');
    const placed = await this.#orders.place(user, { ...input, items }, idempotency);
    await store.remove(
      this.#db,
      user.id,
      items.map((i) => i.variantId),
    );
    return placed;
  }
}
