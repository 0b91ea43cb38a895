import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/**
 * One product may sit on an order at two prices: units added by a change are charged at the
 * day's price while the units bought before keep theirs, each on its own line, so the order's
 * total stays the sum of its lines and every refund is exactly what its units cost. Going down
 * fails while an order holds a product at two prices: merging them would lose what was paid.
 */
const up = [
  `alter table order_line drop constraint order_line_pkey,
     add primary key (order_id, product_id, unit_price_minor)`,
];
const down = [
  `alter table order_line drop constraint order_line_pkey, add primary key (order_id, product_id)`,
];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
