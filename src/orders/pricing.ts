import { AppError, conflict, unprocessable } from '../platform/errors.ts';
import { fromMinor } from '../platform/money.ts';
import type { ShippingAddressJson } from '../platform/schema.ts';
import type { OrderDeps } from './deps.ts';
import { pricingError } from './errors.ts';
import { priceLines, type OrderLine, type PricedLine, type RequestedLine } from './model.ts';
import { resolveItems } from './place-order.ts';
import { linesWithTotals, lineKey, type PricingWrite } from './store.ts';
import { computeTotals, type DiscountRule, type TaxRule, type Totals } from './totals.ts';

/** What the shopper chose at checkout besides the items. */
export interface CheckoutChoice {
  shippingAddress: ShippingAddressJson;
  /** omitted: the cheapest method that serves the address */
  shippingMethodId?: string | undefined;
  discountCode?: string | undefined;
}

export interface PricedCheckout {
  lines: OrderLine[];
  totals: Totals;
  /** every method that serves the address and basket, cheapest first; [] where the shop has no zones */
  methods: Array<{ id: string; name: string; priceMinor: number }>;
  write: PricingWrite;
  discountDescription: string | null;
}

/**
 * Prices a checkout on the server, from data read once: the variants (one statement), the
 * shipping zone of the address with its methods (one), its tax rates (one) and the discount
 * code (one). Everything else is `computeTotals`, a pure function. A shop with no shipping
 * zones at all ships everywhere for free and charges no tax.
 */
export async function priceCheckout(
  deps: OrderDeps,
  customerId: string | null,
  requested: readonly RequestedLine[],
  choice: CheckoutChoice,
): Promise<PricedCheckout> {
  const { items, variants } = await resolveItems(deps.catalog, requested);
  const priced = priceLines(items, variants, deps.catalog.currency);
  if (!priced.ok) throw pricingError(priced.problem);
  const itemsSubtotal = priced.total;
  const weightGrams = priced.lines.reduce(
    (sum, l) => sum + (variants.get(l.variantId)?.weightGrams ?? 0) * l.quantity,
    0,
  );
  const checked = choice.discountCode
    ? await deps.promotions.check(choice.discountCode, { customerId, subtotalMinor: itemsSubtotal })
    : null;
  const discount: DiscountRule | null = checked?.rule ?? null;
  const pricesIncludeTax = deps.tax.pricesIncludeTax;

  // "free above" and weight bands look at what the items cost after their discount
  const itemsOnly = computeTotals({
    lines: totalsLines(priced.lines),
    shippingMinor: null,
    discount,
    taxRates: [],
    pricesIncludeTax,
  });
  const quote = await deps.shipping.quote(choice.shippingAddress, {
    subtotalMinor: itemsOnly.subtotalMinor - itemsOnly.discountMinor,
    weightGrams,
  });
  let shipping: { methodId: string; name: string; priceMinor: number } | null = null;
  let taxRates: TaxRule[] = [];
  const methods = [...(quote?.methods ?? [])].sort((a, b) => a.priceMinor - b.priceMinor);
  if (quote) {
    const chosen = choice.shippingMethodId
      ? methods.find((m) => m.id === choice.shippingMethodId)
      : methods[0];
    if (!chosen) {
      throw unprocessable(
        'shipping_method_unavailable',
        choice.shippingMethodId
          ? 'That shipping method does not deliver this order to this address. Choose another.'
          : 'No shipping method can deliver this order to this address.',
        { methods: methods.map((m) => m.id) },
      );
    }
    shipping = { methodId: chosen.id, name: chosen.name, priceMinor: chosen.priceMinor };
    taxRates = await deps.tax.ratesFor(quote.zone.id);
  } else if (!(await deps.shipping.servesEverywhere())) {
    throw new AppError(
      422,
      'address_not_served',
      'We do not deliver to this address yet. Check the country, or choose another address.',
      { country: choice.shippingAddress.country ?? 'US' },
    );
  }

  const totals = computeTotals({
    lines: totalsLines(priced.lines),
    shippingMinor: shipping?.priceMinor ?? null,
    discount,
    taxRates,
    pricesIncludeTax,
  });
  return {
    lines: linesWithTotals(priced.lines, totals),
    totals,
    methods,
    write: {
      totals,
      shipping: shipping && { methodId: shipping.methodId, name: shipping.name },
      discount: checked && discount && { code: checked.code, rule: discount },
      taxRates,
      pricesIncludeTax,
    },
    discountDescription: checked?.description ?? null,
  };
}

/**
 * An order's lines priced again by the rules it was placed with (a change to its lines): the
 * same discount rule, tax rates and shipping price, so a change never re-prices what it did not
 * touch.
 */
export function repriceOrder(
  lines: readonly PricedLine[],
  placed: {
    shipping: { methodId: string | null; name: string; price: number } | null;
    discountCode: string | null;
    discountRule: DiscountRule | null;
    taxRates: TaxRule[];
    pricesIncludeTax: boolean;
  },
): { lines: OrderLine[]; write: PricingWrite } {
  const totals = computeTotals({
    lines: totalsLines(lines),
    shippingMinor: placed.shipping?.price ?? null,
    discount: placed.discountRule,
    taxRates: placed.taxRates,
    pricesIncludeTax: placed.pricesIncludeTax,
  });
  return {
    lines: linesWithTotals(lines, totals),
    write: {
      totals,
      shipping: placed.shipping && { methodId: placed.shipping.methodId, name: placed.shipping.name },
      discount:
        placed.discountCode && placed.discountRule
          ? { code: placed.discountCode, rule: placed.discountRule }
          : null,
      taxRates: placed.taxRates,
      pricesIncludeTax: placed.pricesIncludeTax,
    },
  };
}

function totalsLines(lines: readonly PricedLine[]) {
  return lines.map((l) => ({
    key: lineKey(l),
    unitPriceMinor: l.unitPrice,
    quantity: l.quantity,
    taxCategory: l.taxCategory,
  }));
}

/**
 * The shopper confirms the total they pay: `expectedTotal` is the quote's total they saw. When
 * shipping, tax or a discount make the total differ from the items' prices, it is required, so
 * no one is charged an amount they did not see.
 */
export function confirmTotal(totals: Totals, expectedTotal: number | undefined, currency: string): void {
  if (expectedTotal === undefined) {
    if (totals.totalMinor !== totals.subtotalMinor) {
      throw unprocessable(
        'confirmation_required',
        'The total includes shipping, tax or a discount: confirm it by sending the quoted total as expectedTotal.',
        { total: fromMinor(totals.totalMinor, currency), currency },
      );
    }
    return;
  }
  if (expectedTotal !== totals.totalMinor) {
    throw conflict('price_changed', 'The total changed since you saw it. Review your order and try again.', {
      expectedTotal: fromMinor(expectedTotal, currency),
      currentTotal: fromMinor(totals.totalMinor, currency),
    });
  }
}
