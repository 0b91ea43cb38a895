import type { Db } from '../platform/db.ts';

/** The cart's SQL: one row per customer and product, with the price when it was added. */

export function linesOf(db: Db, customerId: string) {
  return db
    .selectFrom('cart_item')
    .select(['product_id', 'quantity', 'price_when_added_minor'])
    .where('customer_id', '=', customerId)
    .orderBy('added_at')
    .execute();
}

/**
 * Adds to the quantity already there and remembers today's price; over `max` the cart stays as
 * it was (a refused request changes nothing). The quantity now, or undefined when refused.
 */
export async function addQuantity(
  db: Db,
  line: { customerId: string; productId: string; quantity: number; priceMinor: number },
  max: number,
): Promise<number | undefined> {
  const row = await db
    .insertInto('cart_item')
    .values({
      customer_id: line.customerId,
      product_id: line.productId,
      quantity: line.quantity,
      price_when_added_minor: line.priceMinor,
    })
    .onConflict((oc) =>
      oc
        .columns(['customer_id', 'product_id'])
        .doUpdateSet((eb) => ({
          quantity: eb('cart_item.quantity', '+', eb.ref('excluded.quantity')),
          price_when_added_minor: eb.ref('excluded.price_when_added_minor'),
        }))
        .where((eb) => eb(eb('cart_item.quantity', '+', eb.ref('excluded.quantity')), '<=', max)),
    )
    .returning('quantity')
    .executeTakeFirst();
  return row?.quantity;
}

/** False when the product is not in the cart. */
export async function setQuantity(
  db: Db,
  customerId: string,
  productId: string,
  quantity: number,
): Promise<boolean> {
  const result = await db
    .updateTable('cart_item')
    .set({ quantity })
    .where('customer_id', '=', customerId)
    .where('product_id', '=', productId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function remove(db: Db, customerId: string, productIds: readonly string[]): Promise<void> {
  if (productIds.length === 0) return;
  await db
    .deleteFrom('cart_item')
    .where('customer_id', '=', customerId)
    .where('product_id', 'in', productIds)
    .execute();
}
