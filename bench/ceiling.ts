import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { computeTotals, type DiscountRule, type TaxRule } from '../src/orders/totals.ts';
import { uuidv7 } from '../src/platform/ids.ts';
import { rateFor, zoneFor, type ShippingRate, type WeightBand } from '../src/shipping/model.ts';
import { summarize, type CeilingResult, type CeilingSpec } from './shared.ts';

/**
 * The ceiling: the statements the server sends to place one order, in the same transactions and
 * the same order, with the same SQL text, sent straight to PostgreSQL by `pg` from as many clients
 * as the HTTP run has customers; no HTTP, no framework, no query builder. The order is priced as
 * the server prices it, from what those reads return, by the same pure functions (`computeTotals`,
 * the shipping rate), so the deferred total check at COMMIT holds it to the server's rules. What the server adds on
 * top of this is what the HTTP ÷ ceiling ratio measures. The benchmark compares the number of
 * statements per order here with the server's own count, so the two cannot drift apart unnoticed.
 *
 * Reads its spec from the JSON file BENCH_SPEC names; prints one JSON line.
 */
const spec = JSON.parse(readFileSync(process.env['BENCH_SPEC'] ?? '', 'utf8')) as CeilingSpec;
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
const RESERVATION_TTL_MS = 15 * 60 * 1000;
const ADDRESS = JSON.stringify({ phone: null, ...spec.address });

const values = (rows: number, columns: number, after = 0) =>
  Array.from(
    { length: rows },
    (_, r) => `(${Array.from({ length: columns }, (_, c) => `$${after + r * columns + c + 1}`).join(', ')})`,
  ).join(', ');

/** Events' rows in a VALUES list that is not an INSERT's own, so typed as the outbox's columns. */
const eventValues = (rows: number, after: number) =>
  Array.from({ length: rows }, (_, r) => {
    const p = after + r * 4;
    return `($${p + 1}::text, $${p + 2}::text, $${p + 3}::text, $${p + 4}::jsonb)`;
  }).join(', ');

const ORDER_COLUMNS = `"id", "number", "customer_id", "status", "currency", "total_minor", "shipping_address", "payment_status", "cancellation_reason", "tracking_number", "carrier", "version", "created_at", "updated_at", "subtotal_minor", "discount_minor", "tax_minor", "prices_include_tax", "shipping_method_id", "shipping_name", "shipping_price_minor", "shipping_discount_minor", "shipping_tax_rate_basis_points", "shipping_tax_minor", "shipping_total_minor", "discount_code", "discount_rule", "tax_rates"`;
const CODE_COLUMNS = `"id", "code", "kind", "basis_points", "amount_minor", "currency", "minimum_subtotal_minor", "starts_at", "ends_at", "usage_limit", "per_customer_limit", "active", "created_at", "updated_at", (discount_code.times_used + coalesce((select sum(u.uses) from discount_code_use u where u.code_id = discount_code.id), 0))::int as "times_used"`;

const SQL = {
  account: `select "email", "role", "staff_role", "token_version", deactivated_at is not null as "deactivated" from "account" where "id" = $1`,
  variants: `
    select v.id, v.product_id, p.name, v.title, v.sku, v.price_minor, p.currency, p.image_url,
           (v.active and p.active) as active, v.weight_grams, v.tax_category
      from product_variant v join product p on p.id = v.product_id
     where v.id = any($1::uuid[]) or v.product_id = any($2::uuid[])`,
  code: `select ${CODE_COLUMNS} from "discount_code" where "code" = $1`,
  zones: `select "z"."id", "z"."name", "z"."created_at", (select coalesce(json_agg(agg), '[]') from (select "a"."country", "a"."region" from "shipping_zone_area" as "a" where "a"."zone_id" = "z"."id" order by "a"."country", "a"."region" nulls first) as agg) as "areas", (select coalesce(json_agg(agg), '[]') from (select "m"."id", "m"."zone_id", "m"."name", "m"."kind", "m"."price_minor", "m"."free_above_minor", "m"."bands", "m"."active", "m"."position" from "shipping_method" as "m" where "m"."zone_id" = "z"."id" and "m"."active" = $1 order by "m"."position", "m"."name") as agg) as "methods" from "shipping_zone" as "z" where exists (select "c"."zone_id" from "shipping_zone_area" as "c" where "c"."zone_id" = "z"."id" and "c"."country" = $2) order by "z"."name"`,
  taxRates: `select "id", "zone_id", "category", "name", "rate_basis_points" from "tax_rate" where "zone_id" = $1 order by "zone_id", "category" nulls first, "name"`,
  // the order, its lines, tax lines and history, its reservations and the transaction's events
  // in one statement, as insertOrder sends them with its parts (ADR 0042)
  placeOrder: (events: number) => `
    with o as (
      insert into orders (id, customer_id, customer_email, status, currency, total_minor, shipping_address,
                          subtotal_minor, discount_minor, tax_minor, prices_include_tax, shipping_method_id,
                          shipping_name, shipping_price_minor, shipping_discount_minor,
                          shipping_tax_rate_basis_points, shipping_tax_minor, shipping_total_minor,
                          discount_code, discount_rule, tax_rates)
      values ($1, $2, $3, 'pending', $4, $5,
              $6::jsonb, $7, $8,
              $9, $10, $11, $12,
              $13, $14, $15,
              $16, $17, $18, $19::jsonb,
              $20::jsonb)
      returning id
    ), l as (
      insert into order_line (order_id, product_id, variant_id, name, variant_title, sku, unit_price_minor, quantity,
                              discount_minor, tax_rate_basis_points, tax_minor, tax_category, total_minor)
      select (select id from o), p, v, n, t, k, u, q, d, r, x, c, s
        from unnest($21::uuid[], $22::uuid[],
                    $23::text[], $24::text[],
                    $25::text[], $26::int[],
                    $27::int[], $28::int[],
                    $29::int[], $30::int[],
                    $31::text[], $32::int[])
             as x(p, v, n, t, k, u, q, d, r, x, c, s)
      returning "id", "product_id", "variant_id", "name", "variant_title", "sku", "unit_price_minor", "quantity", "discount_minor", "tax_rate_basis_points", "tax_minor", "tax_category", "total_minor"
    ), tl as (
      insert into order_tax_line (order_id, name, rate_basis_points, base_minor, amount_minor)
      select (select id from o), n, r, b, a
        from unnest($33::text[], $34::int[],
                    $35::int[], $36::int[])
             as t(n, r, b, a)
      returning name, rate_basis_points, base_minor, amount_minor
    ), h as (
      insert into order_history (order_id, type, status, actor, actor_id, summary, details)
      select id, $37, $38, $39, $40, $41,
             $42::jsonb
        from o
    ),
    stock_moved as (
      update stock_level s
         set reserved = s.reserved + r.quantity, updated_at = now()
        from unnest($43::uuid[], $44::uuid[],
                    $45::int[])
             as r(variant_id, location_id, quantity)
       where s.variant_id = r.variant_id and s.location_id = r.location_id and s.on_hand - s.reserved >= r.quantity
      returning s.variant_id, s.location_id, r.quantity
    ), stock_held as (
      insert into stock_reservation (order_id, variant_id, location_id, quantity, status, expires_at)
      select $1, variant_id, location_id, quantity, 'active', $46 from stock_moved
    ), outbox_rows as (
      insert into outbox (type, context, aggregate_id, payload) values ${values(events, 4, 46)}
      returning sequence, id, occurred_at
    )
    select (select json_agg(l order by name, variant_title, unit_price_minor) from l) as lines,
           (select json_agg(tl order by rate_basis_points desc, name) from tl) as tax_lines,
           (select count(*)::int from stock_moved) as part_0,
           (select json_agg(json_build_object('sequence', sequence, 'id', id, 'occurred_at', occurred_at)
                            order by sequence) from outbox_rows) as part_1`,
  lockForReservation: `
    select s.variant_id, s.location_id, s.on_hand, s.reserved, l.priority,
           (select allocation_rule from inventory_setting) as rule
      from stock_level s join stock_location l on l.id = s.location_id
     where s.variant_id = any($1::uuid[]) and l.active
     order by s.variant_id, s.location_id
       for update of s`,
  shareCode: `select ${CODE_COLUMNS} from "discount_code" where "code" = $1 for key share`,
  countUse: `
    with redeemed as (
      insert into discount_redemption (code_id, order_id, customer_id, status)
      values ($1, $2, $3, 'active')
      on conflict (order_id) do nothing
      returning code_id
    ), counted as (
      insert into discount_code_use (code_id, shard, uses)
      select code_id, $4, 1 from redeemed
      on conflict (code_id, shard) do update set uses = discount_code_use.uses + 1
    )
    select code_id from redeemed`,
  outbox: (n: number) =>
    `insert into "outbox" ("type", "context", "aggregate_id", "payload") values ${values(n, 4)} returning "sequence", "id", "occurred_at"`,
  charge: `insert into "sandbox_charge" ("idempotency_key", "payment_id", "order_id", "amount_minor", "currency", "status") values ($1, $2, $3, $4, $5, $6) on conflict ("idempotency_key") do nothing returning "payment_id", "status", "amount_minor", "currency"`,
  lockOrder: `select ${ORDER_COLUMNS} from "orders" where "id" = $1 for no key update`,
  settle: `
    with locked as (
      select s.variant_id from stock_level s
       where (s.variant_id, s.location_id) in
             (select variant_id, location_id from stock_reservation where order_id = $2 and status = 'active')
       order by s.variant_id, s.location_id
         for update
    ), r as (
      update stock_reservation set status = $1
       where order_id = $2 and status = 'active' and (select count(*) from locked) >= 0
      returning variant_id, location_id, quantity
    ), totals as (
      select variant_id, location_id, sum(quantity)::int as quantity from r group by variant_id, location_id
    )
    update stock_level s
       set on_hand = s.on_hand - r.quantity, reserved = s.reserved - r.quantity, updated_at = now()
      from totals r
     where s.variant_id = r.variant_id and s.location_id = r.location_id
    returning s.variant_id, s.location_id, r.quantity`,
  upsertPayment: `
    with previous as (select status from payment where idempotency_key = $1)
    insert into payment (order_id, provider, provider_payment_id, idempotency_key, amount_minor, currency, status,
                         failure_code, failure_message)
    values ($2, $3, $4, $5,
            $6, $7, $8, $9,
            $10)
    on conflict (idempotency_key) do update
      set status = case when payment.status = 'succeeded' then payment.status else excluded.status end,
          provider_payment_id = coalesce(excluded.provider_payment_id, payment.provider_payment_id),
          failure_code = excluded.failure_code, failure_message = excluded.failure_message, updated_at = now()
    returning id, (select status from previous) as previous_status`,
  // the status move with its history, the customer's figures and the transaction's events
  // (written only if the order moved), as updateStatus sends them (ADR 0042)
  confirm: (events: number) => `
    with moved as (
      update orders set status = $1, payment_status = $2, version = version + 1, updated_at = $3
       where id = $4 and status = $5
      returning ${ORDER_COLUMNS}
    ), logged as (
      insert into order_history (order_id, type, status, actor, actor_id, summary, details)
      select moved.id, e.type, e.status, e.actor, e.actor_id, e.summary, e.details
        from moved,
             rows from (jsonb_to_recordset($6::jsonb)
                        as (type text, status text, actor text, actor_id uuid, summary text, details jsonb))
             with ordinality as e(type, status, actor, actor_id, summary, details, n)
       order by e.n
    ), counted as (
    insert into customer_order_summary as s (customer_id, orders_count, total_spent_minor, last_order_at)
    select customer_id, $7, $8, created_at from moved
    on conflict (customer_id) do update
       set orders_count = s.orders_count + excluded.orders_count,
           total_spent_minor = s.total_spent_minor + excluded.total_spent_minor,
           last_order_at = case when $9::boolean
                                then greatest(s.last_order_at, excluded.last_order_at)
                                else s.last_order_at end,
           updated_at = now()
    ), outbox_rows as (
      insert into outbox (type, context, aggregate_id, payload)
      select * from (values ${eventValues(events, 9)}) as e(type, context, aggregate_id, payload)
       where exists (select from moved)
      returning sequence, id, occurred_at
    )
    select *, (select json_agg(json_build_object('sequence', sequence, 'id', id, 'occurred_at', occurred_at)
                               order by sequence) from outbox_rows) as events_written
      from moved`,
};

interface Line {
  id: string;
  quantity: number;
}

function chooseLines(): Line[] {
  const count = 1 + Math.floor(Math.random() * 3);
  const chosen = new Map<string, Line>();
  if (spec.scarce.length > 0 && Math.random() < spec.scarceShare) {
    const v = pick(spec.scarce);
    chosen.set(v.id, { id: v.id, quantity: 1 });
  }
  while (chosen.size < count) {
    const v = pick(spec.products);
    if (!chosen.has(v.id)) chosen.set(v.id, { id: v.id, quantity: 1 + Math.floor(Math.random() * 3) });
  }
  return [...chosen.values()];
}

const event = (type: string, context: string, aggregateId: string, payload: object) => [
  type,
  context,
  aggregateId,
  JSON.stringify(payload),
];

/** Each simulated customer's client, with the statements it has sent. */
type Client = pg.PoolClient & { statements: number };

const names = new Map<string, string>();
async function q<R extends pg.QueryResultRow = Record<string, unknown>>(
  client: Client,
  text: string,
  params: unknown[] = [],
): Promise<pg.QueryResult<R>> {
  client.statements++;
  if (!spec.prepared || params.length === 0) return client.query<R>(text, params);
  let name = names.get(text);
  if (!name) names.set(text, (name = `ceiling_${names.size}`));
  return client.query<R>({ name, text, values: params });
}

interface VariantRow {
  id: string;
  product_id: string;
  name: string;
  title: string;
  sku: string;
  price_minor: number;
  weight_grams: number;
  tax_category: string | null;
}
interface MethodRow {
  id: string;
  name: string;
  kind: 'flat' | 'free_above' | 'weight_bands';
  price_minor: number | null;
  free_above_minor: number | null;
  bands: WeightBand[] | null;
}
interface ZoneRow {
  id: string;
  name: string;
  areas: Array<{ country: string; region: string | null }>;
  methods: MethodRow[];
}

function rateOf(m: MethodRow): ShippingRate {
  switch (m.kind) {
    case 'flat':
      return { kind: 'flat', priceMinor: m.price_minor ?? 0 };
    case 'free_above':
      return { kind: 'free_above', priceMinor: m.price_minor ?? 0, freeAboveMinor: m.free_above_minor ?? 0 };
    case 'weight_bands':
      return { kind: 'weight_bands', bands: m.bands ?? [] };
  }
}

/**
 * The zone, its Standard method and its tax rates, read once per run as the server reads them
 * once and keeps them (its rules cache, ADR 0039).
 */
let rules: Promise<{ method: MethodRow; taxRates: TaxRule[] }> | null = null;
function shippingRules(client: Client) {
  rules ??= (async () => {
    const zones = await q<ZoneRow>(client, SQL.zones, [true, spec.address.country]);
    const zone = zoneFor(zones.rows, { country: spec.address.country, region: spec.address.state });
    const method = zone?.methods.find((m) => m.id === spec.shippingMethodId);
    if (!zone || !method) throw new Error('the bench address has no zone or no Standard method');
    const rates = await q<{ name: string; rate_basis_points: number; category: string | null }>(
      client,
      SQL.taxRates,
      [zone.id],
    );
    const taxRates: TaxRule[] = rates.rows.map((r) => ({
      name: r.name,
      rateBasisPoints: r.rate_basis_points,
      category: r.category,
    }));
    return { method, taxRates };
  })();
  return rules;
}

/**
 * One order, as `placeOrder` sends it for a signed-in customer paying with tok_visa, shipping to
 * the US address by the Standard method and, in `discountShare` of the orders, with the code:
 * the same reads, priced in memory by the same pure functions, then the same two transactions.
 * Returns null when the order was refused for want of stock.
 */
/**
 * The bench's variants, read once per run: the server reads each once and keeps it (its catalog
 * cache, ADR 0039), and its figures are taken once it has read them.
 */
let variants: Promise<Map<string, VariantRow>> | null = null;
function sellable(client: Client) {
  variants ??= (async () => {
    const ids = [...spec.products, ...spec.scarce].map((v) => v.id);
    const found = await q<VariantRow>(client, SQL.variants, [ids, ids]);
    return new Map(found.rows.map((v) => [v.id, v]));
  })();
  return variants;
}

async function placeOrder(client: Client): Promise<'plain' | 'withCode' | null> {
  const customerId = pick(spec.customers);
  const code = Math.random() < spec.discountShare ? spec.discountCode : null;
  const wanted = chooseLines();
  // the bearer token's account, as the auth hook checks it
  const account = await q<{ email: string }>(client, SQL.account, [customerId]);
  const email = account.rows[0]?.email ?? '';
  const variantsRead = await sellable(client);
  const lines = wanted.map((l) => ({ ...l, variant: variantsRead.get(l.id)! }));
  const weight = lines.reduce((s, l) => s + l.variant.weight_grams * l.quantity, 0);
  let discount: DiscountRule | null = null;
  if (code) {
    const row = (
      await q<{ kind: string; basis_points: number | null; amount_minor: number | null }>(client, SQL.code, [
        code,
      ])
    ).rows[0];
    discount =
      row?.kind === 'percentage'
        ? { kind: 'percentage', basisPoints: row.basis_points ?? 0 }
        : row?.kind === 'fixed'
          ? { kind: 'fixed', amountMinor: row.amount_minor ?? 0 }
          : { kind: 'free_shipping' };
  }
  const totalsLines = lines.map((l) => ({
    key: `${l.id}@${l.variant.price_minor}`,
    unitPriceMinor: l.variant.price_minor,
    quantity: l.quantity,
    taxCategory: l.variant.tax_category,
  }));
  const itemsOnly = computeTotals({
    lines: totalsLines,
    shippingMinor: null,
    discount,
    taxRates: [],
    pricesIncludeTax: false,
  });
  const { method, taxRates } = await shippingRules(client);
  const shippingMinor = rateFor(
    { rate: rateOf(method) },
    { subtotalMinor: itemsOnly.subtotalMinor - itemsOnly.discountMinor, weightGrams: weight },
  );
  const totals = computeTotals({
    lines: totalsLines,
    shippingMinor,
    discount,
    taxRates,
    pricesIncludeTax: false,
  });
  const total = totals.totalMinor;
  const byKey = new Map(totals.lines.map((t) => [t.key, t]));
  const priced = lines.map((l, i) => ({ ...l, t: byKey.get(totalsLines[i]!.key)! }));
  const sorted = [...priced].sort((a, b) => (a.id < b.id ? -1 : 1));
  const orderId = uuidv7();
  const now = () => new Date().toISOString();

  await q(client, 'begin');
  try {
    // the stock rows first (the lock order); the bench's one location gives the allocation rule one choice
    const locked = await q<{ variant_id: string; location_id: string; on_hand: number; reserved: number }>(
      client,
      SQL.lockForReservation,
      [sorted.map((l) => l.id)],
    );
    const level = new Map(locked.rows.map((r) => [r.variant_id, r]));
    if (
      sorted.some((l) => {
        const r = level.get(l.id);
        return !r || r.on_hand - r.reserved < l.quantity;
      })
    ) {
      await q(client, 'rollback');
      return null;
    }
    const locationOf = (variantId: string) => level.get(variantId)?.location_id ?? '';
    const expires = new Date(Date.now() + RESERVATION_TTL_MS);
    const reservedAt = now();
    await q(client, SQL.placeOrder(sorted.length + 1), [
      orderId,
      customerId,
      email,
      'USD',
      total,
      ADDRESS,
      totals.subtotalMinor,
      totals.discountMinor,
      totals.taxMinor,
      false,
      method.id,
      method.name,
      totals.shipping?.priceMinor ?? 0,
      totals.shipping?.discountMinor ?? 0,
      totals.shipping?.taxRateBasisPoints ?? 0,
      totals.shipping?.taxMinor ?? 0,
      totals.shipping?.totalMinor ?? 0,
      code,
      discount && JSON.stringify(discount),
      JSON.stringify(taxRates),
      priced.map((l) => l.variant.product_id),
      priced.map((l) => l.id),
      priced.map((l) => l.variant.name),
      priced.map((l) => l.variant.title),
      priced.map((l) => l.variant.sku),
      priced.map((l) => l.variant.price_minor),
      priced.map((l) => l.quantity),
      priced.map((l) => l.t.discountMinor),
      priced.map((l) => l.t.taxRateBasisPoints),
      priced.map((l) => l.t.taxMinor),
      priced.map((l) => l.variant.tax_category),
      priced.map((l) => l.t.totalMinor),
      totals.taxLines.map((t) => t.name),
      totals.taxLines.map((t) => t.rateBasisPoints),
      totals.taxLines.map((t) => t.baseMinor),
      totals.taxLines.map((t) => t.amountMinor),
      'status',
      'pending',
      'customer',
      customerId,
      'Order placed',
      '{}',
      sorted.map((l) => l.id),
      sorted.map((l) => locationOf(l.id)),
      sorted.map((l) => l.quantity),
      expires,
      ...sorted.flatMap((l) =>
        event('StockReserved', 'inventory', l.id, {
          variantId: l.id,
          quantity: l.quantity,
          orderId,
          locationId: locationOf(l.id),
          timestamp: reservedAt,
        }),
      ),
      ...event('OrderPlaced', 'orders', orderId, {
        orderId,
        customerId,
        items: priced.map((l) => ({
          productId: l.variant.product_id,
          variantId: l.id,
          name: l.variant.name,
          variantTitle: l.variant.title,
          sku: l.variant.sku,
          quantity: l.quantity,
          unitPrice: l.variant.price_minor,
        })),
        total,
        currency: 'USD',
        timestamp: now(),
      }),
    ]);
    if (code) {
      // redeem, after the order's row it references: the code read again for key share, the use
      // counted in a counter row (ADR 0037)
      const row = (await q<{ id: string }>(client, SQL.shareCode, [code])).rows[0];
      await q(client, SQL.countUse, [row?.id, orderId, customerId, Number.parseInt(orderId.slice(-1), 16)]);
    }
    await q(client, 'commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  }

  const chargeKey = `orderly-${orderId}-placement`;
  const paymentId = `pi_sandbox_${randomBytes(12).toString('hex')}`;
  await q(client, SQL.charge, [chargeKey, paymentId, orderId, total, 'USD', 'succeeded']);

  await q(client, 'begin');
  try {
    await q(client, SQL.lockOrder, [orderId]);
    // stock rows before payment rows: the lock order
    const moved = await q<{ variant_id: string; location_id: string; quantity: number }>(client, SQL.settle, [
      'committed',
      orderId,
    ]);
    const committedAt = now();
    const events = moved.rows.flatMap((r) =>
      event('StockCommitted', 'inventory', r.variant_id, {
        variantId: r.variant_id,
        quantity: r.quantity,
        orderId,
        locationId: r.location_id,
        timestamp: committedAt,
      }),
    );
    const payment = await q<{ id: string }>(client, SQL.upsertPayment, [
      chargeKey,
      orderId,
      'sandbox',
      paymentId,
      chargeKey,
      total,
      'USD',
      'succeeded',
      null,
      null,
    ]);
    events.push(
      ...event('PaymentProcessed', 'payment', orderId, {
        paymentId: payment.rows[0]?.id,
        orderId,
        amount: total,
        currency: 'USD',
        timestamp: now(),
      }),
    );
    const history = [
      { type: 'payment', status: null, summary: `Payment of $${(total / 100).toFixed(2)} received` },
      { type: 'status', status: 'confirmed', summary: 'Order confirmed' },
    ].map((h) => ({ ...h, actor: 'system', actor_id: null, details: {} }));
    events.push(
      ...event('OrderConfirmed', 'orders', orderId, {
        orderId,
        customerId,
        total,
        currency: 'USD',
        timestamp: now(),
      }),
    );
    await q(client, SQL.confirm(events.length / 4), [
      'confirmed',
      'paid',
      new Date(),
      orderId,
      'pending',
      JSON.stringify(history),
      // the customer's figures, counted in the same statement
      1,
      total,
      true,
      ...events,
    ]);
    await q(client, 'commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  }
  // the answer is built from what the statements returned: nothing is read back
  return code ? 'withCode' : 'plain';
}

/** CPU seconds a PostgreSQL backend has used, when it runs on this machine. */
function backendCpu(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

const pool = new pg.Pool({ connectionString: spec.url, max: spec.connections });
let databaseCpuSeconds = 0;
const latencies: number[] = [];
const statuses: Record<string, number> = {};
let placedStatements = 0;
let placed = 0;
const byKind = { plain: { orders: 0, statements: 0 }, withCode: { orders: 0, statements: 0 } };
const started = Date.now();
const deadline = started + spec.seconds * 1000;
await Promise.all(
  Array.from({ length: spec.connections }, async () => {
    const client = Object.assign(await pool.connect(), { statements: 0 });
    const backend = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid ?? 0;
    const cpuBefore = backendCpu(backend);
    try {
      while (Date.now() < deadline) {
        const t0 = performance.now();
        const before = client.statements;
        const kind = await placeOrder(client);
        latencies.push(performance.now() - t0);
        statuses[kind ? 'placed' : 'out_of_stock'] = (statuses[kind ? 'placed' : 'out_of_stock'] ?? 0) + 1;
        if (kind) {
          placed++;
          placedStatements += client.statements - before;
          byKind[kind].orders++;
          byKind[kind].statements += client.statements - before;
        }
      }
    } finally {
      databaseCpuSeconds += backendCpu(backend) - cpuBefore;
      client.release();
    }
  }),
);
const seconds = (Date.now() - started) / 1000;
await pool.end();
const usage = process.cpuUsage();
const average = (k: { orders: number; statements: number }) => (k.orders ? k.statements / k.orders : 0);
const result: CeilingResult = {
  ...summarize(latencies),
  seconds,
  requests: latencies.length,
  statuses,
  errors: 0,
  timeouts: 0,
  statementsPerOrder: placed ? placedStatements / placed : 0,
  statementsByKind: { plain: average(byKind.plain), withCode: average(byKind.withCode) },
  cpuSeconds: (usage.user + usage.system) / 1e6,
  databaseCpuSeconds,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
