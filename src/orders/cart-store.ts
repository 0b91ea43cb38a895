import type { Db } from '../platform/db.ts';

/** The cart's SQL: one row per customer and variant, with the price when it was added. */

export function linesOf(db: Db, customerId: string) {
  return db
    .selectFrom('cart_item')
    .select(['variant_id', 'quantity', 'price_when_added_minor'])
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
  line: { customerId: string; variantId: string; quantity: number; priceMinor: number },
  max: number,
): Promise<number | undefined> {
  const row = await db
    .insertInto('cart_item')
    .values({
      customer_id: line.customerId,
      variant_id: line.variantId,
      quantity: line.quantity,
      price_when_added_minor: line.priceMinor,
    })
    .onConflict((oc) =>
      oc
        .columns(['customer_id', 'variant_id'])
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

/** False when the variant is not in the cart. */
export async function setQuantity(
  db: Db,
  customerId: string,
  variantId: string,
  quantity: number,
): Promise<boolean> {
  const result = await db
    .updateTable('cart_item')
    .set({ quantity })
    .where('customer_id', '=', customerId)
    .where('variant_id', '=', variantId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function remove(db: Db, customerId: string, variantIds: readonly string[]): Promise<void> {
  if (variantIds.length === 0) return;
  await db
    .deleteFrom('cart_item')
    .where('customer_id', '=', customerId)
    .where('variant_id', 'in', variantIds)
    .execute();
}
