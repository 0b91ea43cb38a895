/** An option a shopper picks, such as Size with S, M and L, in the order the shop lists them. */
export interface ProductOption {
  name: string;
  values: string[];
}

/** One combination of a product's options; what is sold, stocked and put on an order line. */
export interface Variant {
  id: string;
  productId: string;
  sku: string;
  /** option name → value; {} for the default variant of a product without options */
  options: Record<string, string>;
  /** the values in the options' order, "M / Blue"; '' for a default variant */
  title: string;
  priceMinor: number;
  weightGrams: number;
  /** a reduced tax rate's category; null: the standard rate */
  taxCategory: string | null;
  active: boolean;
}

/** A product as the catalog keeps it; prices in minor units. */
export interface Product {
  id: string;
  /** the style number; each variant has its own SKU */
  sku: string;
  name: string;
  description: string;
  /** the lowest price among its active variants: what "from" prices and price sorting use */
  priceMinor: number;
  currency: string;
  imageUrl: string | null;
  active: boolean;
  options: ProductOption[];
  variants: Variant[];
}

/** A variant with what it takes from its product: what the cart and checkout price. */
export interface SellableVariant {
  id: string;
  productId: string;
  name: string;
  title: string;
  sku: string;
  priceMinor: number;
  currency: string;
  imageUrl: string | null;
  /** the product and the variant are both on sale */
  active: boolean;
  weightGrams: number;
  taxCategory: string | null;
}

export interface VariantInput {
  sku: string;
  options: Record<string, string>;
  priceMinor: number;
  weightGrams: number;
  taxCategory: string | null;
}

export type VariantProblem =
  | { kind: 'no_variants' }
  | { kind: 'option_mismatch'; sku: string; expected: string[] }
  | { kind: 'unknown_value'; sku: string; option: string; value: string }
  | { kind: 'duplicate_combination'; skus: [string, string] }
  | { kind: 'duplicate_sku'; sku: string };

/** "M / Blue": the variant's values in the order of the product's options. */
export function variantTitle(options: readonly ProductOption[], values: Record<string, string>): string {
  return options.map((o) => values[o.name] ?? '').join(' / ');
}

/**
 * Every variant names exactly one listed value of every option, no two share a combination and
 * no two share a SKU. A product without options has exactly one variant, with no values.
 */
export function checkVariants(
  options: readonly ProductOption[],
  variants: readonly VariantInput[],
): VariantProblem | null {
  if (variants.length === 0) return { kind: 'no_variants' };
  const names = options.map((o) => o.name);
  const seen = new Map<string, string>();
  const skus = new Set<string>();
  for (const v of variants) {
    const keys = Object.keys(v.options);
    if (keys.length !== names.length || !names.every((n) => keys.includes(n))) {
      return { kind: 'option_mismatch', sku: v.sku, expected: names };
    }
    for (const option of options) {
      const value = v.options[option.name] ?? '';
      if (!option.values.includes(value)) {
        return { kind: 'unknown_value', sku: v.sku, option: option.name, value };
      }
    }
    const combination = variantTitle(options, v.options);
    const other = seen.get(combination);
    if (other !== undefined) return { kind: 'duplicate_combination', skus: [other, v.sku] };
    seen.set(combination, v.sku);
    if (skus.has(v.sku)) return { kind: 'duplicate_sku', sku: v.sku };
    skus.add(v.sku);
  }
  return null;
}

/** The product's "from" price: its cheapest active variant, or its cheapest when none is active. */
export function lowestPrice(variants: readonly Pick<Variant, 'priceMinor' | 'active'>[]): number {
  const active = variants.filter((v) => v.active);
  const prices = (active.length > 0 ? active : variants).map((v) => v.priceMinor);
  return prices.length > 0 ? Math.min(...prices) : 0;
}
