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
  /** the first image's url, or null: what order lines, carts and v1 clients show */
  imageUrl: string | null;
  images: ProductImage[];
  categoryId: string | null;
  active: boolean;
  createdAt: Date;
  options: ProductOption[];
  variants: Variant[];
}

export interface ProductImage {
  url: string;
  alt: string;
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

/** A category of the catalog's tree; `parentId` null at the top. */
export interface Category {
  id: string;
  name: string;
  slug: string;
  parentId: string | null;
  position: number;
}

/** Top level, sub-category, and one more below it: deep enough for a shop, shallow for a menu. */
export const MAX_CATEGORY_DEPTH = 3;

/** 1 for a top-level category; undefined when a parent is missing or the chain loops. */
export function depthOf(categories: readonly Category[], id: string): number | undefined {
  const byId = new Map(categories.map((c) => [c.id, c]));
  let depth = 0;
  for (let c = byId.get(id); c; c = c.parentId === null ? undefined : byId.get(c.parentId)) {
    depth++;
    if (depth > categories.length) return undefined;
    if (c.parentId !== null && !byId.has(c.parentId)) return undefined;
  }
  return depth === 0 ? undefined : depth;
}

/** The category and every category below it. */
export function withDescendants(categories: readonly Category[], id: string): string[] {
  const found = [id];
  for (let i = 0; i < found.length; i++) {
    for (const c of categories) if (c.parentId === found[i] && !found.includes(c.id)) found.push(c.id);
  }
  return found;
}

/** How many levels a category's subtree spans: 1 for a leaf. */
export function subtreeHeight(categories: readonly Category[], id: string): number {
  const children = categories.filter((c) => c.parentId === id);
  return 1 + Math.max(0, ...children.map((c) => subtreeHeight(categories, c.id)));
}

export type PlacementProblem = 'parent_missing' | 'cycle' | 'too_deep';

/**
 * Whether `id` (undefined for a new category) may sit under `parentId`: the parent exists, is not
 * the category or one below it, and the category's subtree still ends within three levels.
 */
export function checkPlacement(
  categories: readonly Category[],
  id: string | undefined,
  parentId: string | null,
): PlacementProblem | null {
  if (parentId === null)
    return id === undefined || subtreeHeight(categories, id) <= MAX_CATEGORY_DEPTH ? null : 'too_deep';
  const parentDepth = depthOf(categories, parentId);
  if (parentDepth === undefined) return 'parent_missing';
  if (id !== undefined && withDescendants(categories, id).includes(parentId)) return 'cycle';
  const height = id === undefined ? 1 : subtreeHeight(categories, id);
  return parentDepth + height > MAX_CATEGORY_DEPTH ? 'too_deep' : null;
}

/** "Coffee & Tea" → "coffee-tea": a category's address when the admin gives none. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100)
    .replace(/-+$/, '');
}

export type ImageType = 'png' | 'jpeg' | 'webp';

export const IMAGE_CONTENT_TYPES: Record<ImageType, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};

/** What the bytes are, by their signature; never by the name or the header a client sent. */
export function imageTypeOf(bytes: Uint8Array): ImageType | null {
  const starts = (signature: readonly number[], at = 0) =>
    bytes.length >= at + signature.length && signature.every((b, i) => bytes[at + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (starts([0xff, 0xd8, 0xff])) return 'jpeg';
  // RIFF....WEBP
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  return null;
}

export type ProductSort = 'name' | 'price_asc' | 'price_desc' | 'newest';

/**
 * Adds a variant's values to its product's options: a value an option does not list yet is
 * appended to it. An option the product does not have is left for `checkVariants` to refuse.
 */
export function growOptions(
  options: readonly ProductOption[],
  values: Record<string, string>,
): ProductOption[] {
  return options.map((o) => {
    const value = values[o.name];
    return value === undefined || o.values.includes(value) ? o : { ...o, values: [...o.values, value] };
  });
}
