import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.ts';

/**
 * The order number people quote: #1001, #1002, … from one sequence, unique by index. The
 * column's default takes the next number inside the order's own insert, so placing an order
 * costs no extra round trip. Orders that exist already are numbered in the order they were
 * created. A rolled-back placement uses up its number: numbers only ever grow, with gaps.
 */
const up = [
  `create sequence order_number_seq as integer minvalue 1001 start with 1001`,
  `alter table orders add column number integer`,
  `update orders o set number = n.number
     from (select id, (1000 + row_number() over (order by created_at, id))::integer as number from orders) n
    where n.id = o.id`,
  `select setval('order_number_seq', coalesce(max(number), 1001), max(number) is not null) from orders`,
  `alter table orders alter column number set default nextval('order_number_seq'),
     alter column number set not null`,
  `alter sequence order_number_seq owned by orders.number`,
  `create unique index orders_number_key on orders (number)`,
];
const down = [`drop index orders_number_key`, `alter table orders drop column number`];

export const migration = {
  up: (db: Kysely<unknown>) => runStatements(db, up),
  down: (db: Kysely<unknown>) => runStatements(db, down),
};
