import { sql } from 'kysely';
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

export interface CartRow {
  variant_id: string;
  quantity: number;
  price_when_added_minor: number;
}

/**
 * Adds to the quantity already there and remembers today's price; over `max` the cart stays as
 * it was (a refused request changes nothing). The quantity now, or undefined when refused, and
 * the cart's lines after it: one statement, since the add answers with the cart.
 */
export async function addQuantity(
  db: Db,
  line: { customerId: string; variantId: string; quantity: number; priceMinor: number },
  max: number,
): Promise<{ quantity: number | undefined; lines: CartRow[] }> {
  const { rows } = await sql<CartRow>`
    with added as (
      insert into cart_item (customer_id, variant_id, quantity, price_when_added_minor)
      values (${line.customerId}, ${line.variantId}, ${line.quantity}, ${line.priceMinor})
      on conflict (customer_id, variant_id) do update
         set quantity = cart_item.quantity + excluded.quantity,
             price_when_added_minor = excluded.price_when_added_minor
       where cart_item.quantity + excluded.quantity <= ${max}
      returning variant_id, quantity, price_when_added_minor, added_at
    )
    select variant_id, quantity, price_when_added_minor from (
      select variant_id, quantity, price_when_added_minor, added_at from added
      union all
      select variant_id, quantity, price_when_added_minor, added_at from cart_item
       where customer_id = ${line.customerId} and variant_id <> ${line.variantId}
    ) as lines
    order by added_at`.execute(db);
  return {
    quantity: rows.find((r) => r.variant_id === line.variantId)?.quantity,
    lines: rows,
  };
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
