/**
 * An order's totals in one pure function: the same input always gives the same minor units, and
 * checkout, the order page, refunds and order changes all read them from here (docs/pricing.md
 * has worked examples; ADR 0018 says why these rules).
 *
 * - A line's subtotal is unit price × quantity.
 * - A `percentage` discount is round-half-up(items subtotal × basis points / 10 000); a `fixed`
 *   one is its amount capped at the items subtotal. Either is spread over the lines in proportion
 *   to their subtotals by largest remainder (a tie goes to the earlier line), so the line
 *   discounts add up exactly to it and none exceeds its line. Discounts never touch shipping,
 *   except `free_shipping`, whose shipping discount is the whole shipping price.
 * - Each line is taxed on its subtotal minus its discount, at the rate of its tax category, else
 *   the standard rate (category null), else not at all. Tax-exclusive prices: tax =
 *   round-half-up(base × bp / 10 000), line total = base + tax. Tax-inclusive prices: tax = base −
 *   round-half-up(base × 10 000 / (10 000 + bp)), line total = base. Shipping is taxed the same way
 *   at the standard rate on its price minus its discount.
 * - `taxLines` has one entry per (name, rate) with the bases and amounts summed over lines and
 *   shipping, for the order to keep as its tax lines.
 * - `totalMinor` = Σ line totals + shipping total. `subtotalMinor`, `discountMinor` (items),
 *   `shippingMinor` (what shipping costs after its discount) and `taxMinor` are what checkout shows:
 *   exclusive, total = subtotal − discount + shipping + tax; inclusive, total = subtotal − discount
 *   + shipping, the tax being part of it.
 *
 * Integer arithmetic only; products of two amounts are taken in BigInt so nothing is rounded by a
 * float. Inputs that are not non-negative safe integers (or a rate above 100 %) are a RangeError:
 * callers validate what people send before it gets here.
 */

export interface TotalsLine {
  key: string;
  unitPriceMinor: number;
  quantity: number;
  taxCategory: string | null;
}
/** `category` null is the zone's standard rate. */
export interface TaxRule {
  name: string;
  rateBasisPoints: number;
  category: string | null;
}
export type DiscountRule =
  | { kind: 'percentage'; basisPoints: number } // 1000 = 10 %
  | { kind: 'fixed'; amountMinor: number }
  | { kind: 'free_shipping' };
export interface TotalsInput {
  lines: TotalsLine[];
  /** null: no shipping method (nothing to ship, or not chosen yet) */
  shippingMinor: number | null;
  discount: DiscountRule | null;
  /** the destination zone's rates; [] = no tax */
  taxRates: TaxRule[];
  /** the shop's setting (`PRICES_INCLUDE_TAX`) */
  pricesIncludeTax: boolean;
}
export interface LineTotals {
  key: string;
  quantity: number;
  unitPriceMinor: number;
  subtotalMinor: number;
  discountMinor: number;
  taxRateBasisPoints: number;
  taxMinor: number;
  totalMinor: number;
}
export interface ShippingTotals {
  priceMinor: number;
  discountMinor: number;
  taxRateBasisPoints: number;
  taxMinor: number;
  totalMinor: number;
}
export interface TaxLine {
  name: string;
  rateBasisPoints: number;
  baseMinor: number;
  amountMinor: number;
}
export interface Totals {
  lines: LineTotals[];
  shipping: ShippingTotals | null;
  taxLines: TaxLine[];
  subtotalMinor: number;
  discountMinor: number;
  shippingMinor: number;
  taxMinor: number;
  totalMinor: number;
}

const BP = 10_000n;

/** round-half-up(numerator / denominator) for numerator ≥ 0 and denominator > 0. */
function divRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (2n * numerator + denominator) / (2n * denominator);
}

function amount(value: number, field: string): bigint {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${field} must be a non-negative safe integer, got ${value}.`);
  }
  return BigInt(value);
}

function basisPoints(value: number, field: string): bigint {
  const bp = amount(value, field);
  if (bp > BP) throw new RangeError(`${field} must be at most 10000 basis points, got ${value}.`);
  return bp;
}

function safe(value: bigint, field: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`${field} exceeds the safe integer range.`);
  return n;
}

/**
 * `total` split over `weights` in proportion, by largest remainder: each share is the floor of
 * its exact part, and the units left over go one each to the largest remainders (earlier first
 * on a tie). Needs total ≤ Σ weights, so no share exceeds its weight.
 */
function allocate(total: bigint, weights: readonly bigint[]): bigint[] {
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum === 0n) return weights.map(() => 0n);
  const shares = weights.map((w) => (total * w) / sum);
  let left = total - shares.reduce((a, b) => a + b, 0n);
  const byRemainder = weights
    .map((w, index) => ({ index, remainder: (total * w) % sum }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of byRemainder) {
    if (left === 0n) break;
    shares[index] = (shares[index] as bigint) + 1n;
    left -= 1n;
  }
  return shares;
}

function itemsDiscount(discount: DiscountRule | null, subtotal: bigint): bigint {
  if (!discount) return 0n;
  switch (discount.kind) {
    case 'percentage':
      return divRoundHalfUp(subtotal * basisPoints(discount.basisPoints, 'discount.basisPoints'), BP);
    case 'fixed': {
      const fixed = amount(discount.amountMinor, 'discount.amountMinor');
      return fixed < subtotal ? fixed : subtotal;
    }
    case 'free_shipping':
      return 0n;
  }
}

/** The tax contained in, or added to, `base` at `bp`. */
function taxOn(base: bigint, bp: bigint, pricesIncludeTax: boolean): bigint {
  if (bp === 0n) return 0n;
  return pricesIncludeTax ? base - divRoundHalfUp(base * BP, BP + bp) : divRoundHalfUp(base * bp, BP);
}

function ruleFor(rules: readonly TaxRule[], category: string | null): TaxRule | null {
  return (
    (category !== null && rules.find((r) => r.category === category)) ||
    rules.find((r) => r.category === null) ||
    null
  );
}

export function computeTotals(input: TotalsInput): Totals {
  input.taxRates.forEach((r, i) => basisPoints(r.rateBasisPoints, `taxRates[${i}].rateBasisPoints`));
  const subtotals = input.lines.map((line, i) => {
    const quantity = amount(line.quantity, `lines[${i}].quantity`);
    if (quantity === 0n) throw new RangeError(`lines[${i}].quantity must be at least 1.`);
    return amount(line.unitPriceMinor, `lines[${i}].unitPriceMinor`) * quantity;
  });
  const subtotal = subtotals.reduce((a, b) => a + b, 0n);
  const discounts = allocate(itemsDiscount(input.discount, subtotal), subtotals);

  const taxLines = new Map<string, { name: string; bp: bigint; base: bigint; tax: bigint }>();
  const tax = (rule: TaxRule | null, base: bigint) => {
    if (!rule) return { bp: 0n, tax: 0n };
    const bp = BigInt(rule.rateBasisPoints);
    const amountOfTax = taxOn(base, bp, input.pricesIncludeTax);
    const key = JSON.stringify([rule.name, rule.rateBasisPoints]);
    const entry = taxLines.get(key) ?? { name: rule.name, bp, base: 0n, tax: 0n };
    entry.base += base;
    entry.tax += amountOfTax;
    taxLines.set(key, entry);
    return { bp, tax: amountOfTax };
  };
  const totalOf = (base: bigint, taxed: bigint) => (input.pricesIncludeTax ? base : base + taxed);

  const lines = input.lines.map((line, i): LineTotals => {
    const lineSubtotal = subtotals[i] as bigint;
    const lineDiscount = discounts[i] as bigint;
    const base = lineSubtotal - lineDiscount;
    const taxed = tax(ruleFor(input.taxRates, line.taxCategory), base);
    return {
      key: line.key,
      quantity: line.quantity,
      unitPriceMinor: line.unitPriceMinor,
      subtotalMinor: safe(lineSubtotal, `lines[${i}].subtotal`),
      discountMinor: safe(lineDiscount, `lines[${i}].discount`),
      taxRateBasisPoints: Number(taxed.bp),
      taxMinor: safe(taxed.tax, `lines[${i}].tax`),
      totalMinor: safe(totalOf(base, taxed.tax), `lines[${i}].total`),
    };
  });

  let shipping: ShippingTotals | null = null;
  if (input.shippingMinor !== null) {
    const price = amount(input.shippingMinor, 'shippingMinor');
    const discount = input.discount?.kind === 'free_shipping' ? price : 0n;
    const taxed = tax(ruleFor(input.taxRates, null), price - discount);
    shipping = {
      priceMinor: input.shippingMinor,
      discountMinor: safe(discount, 'shipping.discount'),
      taxRateBasisPoints: Number(taxed.bp),
      taxMinor: safe(taxed.tax, 'shipping.tax'),
      totalMinor: safe(totalOf(price - discount, taxed.tax), 'shipping.total'),
    };
  }

  const sum = (values: number[]) => values.reduce((a, b) => a + BigInt(b), 0n);
  const shippingNet = shipping ? shipping.priceMinor - shipping.discountMinor : 0;
  return {
    lines,
    shipping,
    taxLines: [...taxLines.values()].map((t) => ({
      name: t.name,
      rateBasisPoints: Number(t.bp),
      baseMinor: safe(t.base, `taxLines.${t.name}.base`),
      amountMinor: safe(t.tax, `taxLines.${t.name}.amount`),
    })),
    subtotalMinor: safe(subtotal, 'subtotal'),
    discountMinor: safe(sum(lines.map((l) => l.discountMinor)), 'discount'),
    shippingMinor: shippingNet,
    taxMinor: safe(sum([...lines.map((l) => l.taxMinor), shipping?.taxMinor ?? 0]), 'tax'),
    totalMinor: safe(sum([...lines.map((l) => l.totalMinor), shipping?.totalMinor ?? 0]), 'total'),
  };
}

/**
 * What refunding `quantity` more units of `line` gives back when `alreadyRefundedQuantity` were
 * refunded before. Cumulative rounding — f(q) = round-half-up(total × q / quantity), refund =
 * f(already + q) − f(already) — so refunding every unit, in any number of steps, returns exactly
 * the line's total, tax and discount included.
 */
export function refundableFor(line: LineTotals, quantity: number, alreadyRefundedQuantity: number): number {
  const q = amount(quantity, 'quantity');
  const already = amount(alreadyRefundedQuantity, 'alreadyRefundedQuantity');
  const of = amount(line.quantity, 'line.quantity');
  if (already + q > of) {
    throw new RangeError(
      `Cannot refund ${quantity} more of ${line.quantity} units with ${already} refunded.`,
    );
  }
  if (q === 0n) return 0;
  const total = amount(line.totalMinor, 'line.totalMinor');
  const upTo = (units: bigint) => divRoundHalfUp(total * units, of);
  return safe(upTo(already + q) - upTo(already), 'refund');
}

/**
 * What swapping `quantity` units of `line` for a variant priced `replacementUnitMinor` costs the
 * shopper (positive) or gives back (negative): the difference in unit price times the units,
 * taxed at the line's rate the way the order was (exclusive prices: round-half-up of the tax on
 * the difference's size is added; inclusive: the price holds it already). The line's discount
 * stays with the units it was given for, so swapping for a variant of the same price is free.
 */
export function exchangeDifference(
  line: LineTotals,
  quantity: number,
  replacementUnitMinor: number,
  pricesIncludeTax: boolean,
): number {
  const units = amount(quantity, 'quantity');
  if (units === 0n || units > amount(line.quantity, 'line.quantity')) {
    throw new RangeError(`Cannot exchange ${quantity} of ${line.quantity} units.`);
  }
  const now = amount(replacementUnitMinor, 'replacementUnitMinor') * units;
  const before = amount(line.unitPriceMinor, 'line.unitPriceMinor') * units;
  const size = now > before ? now - before : before - now;
  const bp = basisPoints(line.taxRateBasisPoints, 'line.taxRateBasisPoints');
  const withTax = pricesIncludeTax ? size : size + divRoundHalfUp(size * bp, BP);
  return safe(now >= before ? withTax : -withTax, 'difference');
}
