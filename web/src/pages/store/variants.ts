/**
 * Picking a variant of a product from its options (Size, Colour): pure functions over the
 * product as the API answers it, so the product page, the catalog card and the tests agree.
 */

/**
 * What these rules read of a variant: a structural subset of the API's `Variant`, written here
 * so the rules (and their tests, which run in Node) do not pull in the browser's API module.
 */
export interface Variant {
  id: string;
  sku: string;
  options: Record<string, string>;
  title: string;
  price: number;
  available: number;
  lowStock: boolean;
  active: boolean;
}

export interface ProductOption {
  name: string;
  values: string[];
}
/** option name → the value picked; an option not picked yet is absent */
export type Selection = Record<string, string>;

/** How a value of an option looks next to what else is picked. */
export type ValueState = 'available' | 'sold_out' | 'unavailable';

interface Priced {
  options: readonly ProductOption[];
  variants: readonly Variant[];
}

export function hasOptions(product: { options: readonly ProductOption[] }): boolean {
  return product.options.length > 0;
}

/** The lowest and highest price of the variants on sale (both the product's price when none is). */
export function priceRange(product: { price: number; variants: readonly Variant[] }): {
  min: number;
  max: number;
} {
  const prices = product.variants.filter((v) => v.active).map((v) => v.price);
  if (prices.length === 0) return { min: product.price, max: product.price };
  return { min: Math.min(...prices), max: Math.max(...prices) };
}

/** The variant whose options are exactly the ones picked, when every option is picked. */
export function findVariant<V extends Variant>(
  product: { options: readonly ProductOption[]; variants: readonly V[] },
  selection: Selection,
): V | undefined {
  if (product.options.some((o) => selection[o.name] === undefined)) return undefined;
  return product.variants.find((v) => product.options.every((o) => v.options[o.name] === selection[o.name]));
}

/**
 * Whether picking `value` for `option` (keeping the other choices) names a variant on sale, one
 * that is sold out, or none at all (a combination the shop does not make, or no longer sells).
 */
export function valueState(product: Priced, selection: Selection, option: string, value: string): ValueState {
  const variant = findVariant(product, { ...selection, [option]: value });
  const candidates = variant
    ? [variant]
    : // other options not picked yet: any variant with this value counts
      product.variants.filter(
        (v) =>
          v.options[option] === value &&
          Object.entries(selection).every(([name, picked]) => name === option || v.options[name] === picked),
      );
  const onSale = candidates.filter((v) => v.active);
  if (onSale.length === 0) return 'unavailable';
  return onSale.some((v) => v.available > 0) ? 'available' : 'sold_out';
}

/**
 * What the page opens with: the variant named in the address (`?variant=`), else the first one
 * in stock, else the first on sale, else nothing picked.
 */
export function initialSelection(product: Priced, variantId: string | null): Selection {
  const named = variantId ? product.variants.find((v) => v.id === variantId) : undefined;
  const chosen =
    named ??
    product.variants.find((v) => v.active && v.available > 0) ??
    product.variants.find((v) => v.active);
  return chosen && hasOptions(product) ? { ...chosen.options } : {};
}

/** "M / Black · TEE-100-M-BLA": how a line names its variant, or just the SKU without options. */
export function variantLabel(line: { variantTitle?: string | undefined; sku?: string | undefined }): string {
  return [line.variantTitle, line.sku ? `SKU ${line.sku}` : ''].filter(Boolean).join(' · ');
}
