import { uuidv7 } from '../src/platform/ids.ts';
import type { Db } from '../src/platform/db.ts';

/**
 * Bare rows that redemptions refer to (accounts and orders), inserted with SQL: the tests of
 * the promotions context need an order to redeem for, not the whole checkout.
 */
export async function insertCustomers(db: Db, count: number): Promise<string[]> {
  const tag = uuidv7().slice(-12);
  const rows = await db
    .insertInto('account')
    .values(
      Array.from({ length: count }, (_, i) => ({
        email: `shopper-${tag}-${i}@example.com`,
        name: `Shopper ${i}`,
        phone: null,
        role: 'customer' as const,
        password_hash: 'not-a-real-hash',
      })),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** One pending order of one line for each customer given, in one transaction. */
export async function insertOrders(db: Db, customerIds: readonly string[]): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const product = await trx
      .insertInto('product')
      .values({
        sku: `FIX-${uuidv7().slice(-12)}`,
        name: 'Fixture',
        price_minor: 1000,
        currency: 'USD',
        image_url: null,
      })
      .returning(['id', 'sku'])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('product_variant')
      .values({
        id: product.id,
        product_id: product.id,
        sku: product.sku,
        price_minor: 1000,
        tax_category: null,
      })
      .execute();
    const orders = customerIds.map((customerId) => ({ id: uuidv7(), customerId }));
    await trx
      .insertInto('orders')
      .values(
        orders.map(({ id, customerId }) => ({
          id,
          customer_id: customerId,
          customer_email: 'fixture@example.com',
          status: 'pending' as const,
          currency: 'USD',
          total_minor: 1000,
          shipping_address: '{}',
          subtotal_minor: 1000,
        })),
      )
      .execute();
    await trx
      .insertInto('order_line')
      .values(
        orders.map(({ id }) => ({
          order_id: id,
          product_id: product.id,
          variant_id: product.id,
          sku: product.sku,
          name: 'Fixture',
          unit_price_minor: 1000,
          quantity: 1,
          total_minor: 1000,
        })),
      )
      .execute();
    return orders.map((o) => o.id);
  });
}
