import { recordAudit } from '../platform/audit.ts';
import type { Db } from '../platform/db.ts';
import { AppError, badRequest, conflict, notFound } from '../platform/errors.ts';
import { decodeCursor, toPage, type Page } from '../platform/pagination.ts';
import type { InventoryService } from '../inventory/service.ts';
import { available, isLowStock, type StockLevel } from '../inventory/model.ts';
import {
  checkVariants,
  lowestPrice,
  variantTitle,
  type Product,
  type ProductOption,
  type SellableVariant,
  type Variant,
  type VariantInput,
  type VariantProblem,
} from './model.ts';
import * as store from './store.ts';

export interface VariantView extends Variant {
  available: number;
  lowStock: boolean;
}

/** A product with the stock a shopper can still buy, in all and per variant. */
export interface ProductView extends Omit<Product, 'variants'> {
  available: number;
  lowStock: boolean;
  variants: VariantView[];
}

export interface NewProduct {
  sku: string;
  name: string;
  description: string;
  /** the price of a product without options; with options each variant has its own */
  priceMinor: number;
  currency?: string | undefined;
  imageUrl: string | null;
  initialStock: number;
  lowStockThreshold?: number | undefined;
  weightGrams?: number | undefined;
  taxCategory?: string | null | undefined;
  options?: ProductOption[] | undefined;
  variants?: Array<VariantInput & { initialStock: number }> | undefined;
}

function view(product: Product, levels: ReadonlyMap<string, StockLevel>): ProductView {
  const variants = product.variants.map((v) => {
    const level = levels.get(v.id);
    return {
      ...v,
      available: level ? Math.max(0, available(level)) : 0,
      lowStock: level ? isLowStock(level) : true,
    };
  });
  const onSale = variants.filter((v) => v.active);
  return {
    ...product,
    variants,
    available: onSale.reduce((sum, v) => sum + v.available, 0),
    lowStock: onSale.every((v) => v.lowStock),
  };
}

function variantError(problem: VariantProblem): AppError {
  switch (problem.kind) {
    case 'no_variants':
      return badRequest('variants_required', 'A product with options needs at least one variant.');
    case 'option_mismatch':
      return badRequest(
        'variant_options_mismatch',
        `Variant ${problem.sku} must name one value of each option: ${problem.expected.join(', ')}.`,
        problem,
      );
    case 'unknown_value':
      return badRequest(
        'variant_option_unknown',
        `Variant ${problem.sku} has ${problem.option} "${problem.value}", which is not one of the option's values.`,
        problem,
      );
    case 'duplicate_combination':
      return badRequest(
        'variant_combination_repeated',
        `Variants ${problem.skus.join(' and ')} have the same options.`,
        problem,
      );
    case 'duplicate_sku':
      return badRequest('variant_sku_repeated', `Two variants have SKU ${problem.sku}.`, problem);
  }
}

export class CatalogService {
  readonly #db: Db;
  readonly #inventory: InventoryService;
  readonly #currency: string;

  constructor(db: Db, inventory: InventoryService, currency: string) {
    this.#db = db;
    this.#inventory = inventory;
    this.#currency = currency;
  }

  get currency(): string {
    return this.#currency;
  }

  async #views(products: readonly Product[]): Promise<ProductView[]> {
    const levels = await this.#inventory.levels(products.flatMap((p) => p.variants.map((v) => v.id)));
    return products.map((p) => view(p, levels));
  }

  async list(query: {
    search?: string | undefined;
    includeInactive: boolean;
    limit: number;
    cursor?: string | undefined;
  }): Promise<Page<ProductView>> {
    const after = decodeCursor(query.cursor, ['string', 'string']) as [string, string] | null;
    const products = await store.list(this.#db, { ...query, limit: query.limit + 1, after });
    const page = toPage(
      products,
      query.limit,
      (p) => p,
      (p) => [p.name, p.id],
    );
    return { items: await this.#views(page.items), nextCursor: page.nextCursor };
  }

  async get(id: string, includeInactive: boolean): Promise<ProductView> {
    const [product] = await store.findMany(this.#db, [id]);
    if (!product || (!product.active && !includeInactive)) throw notFound('Product', id);
    const [found] = await this.#views([product]);
    if (!found) throw notFound('Product', id);
    return found;
  }

  /** Ids of the products whose name or SKU (or a variant's SKU) contains `search`. */
  productIdsMatching(search: string): Promise<string[]> {
    return store.productIdsMatching(this.#db, search);
  }

  /** What the inventory list asks of the catalog: variants by search, and their names. */
  readonly variantDirectory = {
    idsMatching: (search: string): Promise<string[]> => store.variantIdsMatching(this.#db, search),
    findMany: async (ids: readonly string[]): Promise<Map<string, { sku: string; name: string }>> => {
      const variants = await this.findVariants(ids);
      return new Map(
        [...variants.values()].map((v) => [
          v.id,
          { sku: v.sku, name: v.title ? `${v.name} — ${v.title}` : v.name },
        ]),
      );
    },
  };

  /** Variants by id, for pricing an order or a cart; unknown ids are simply absent. */
  async findVariants(ids: readonly string[]): Promise<Map<string, SellableVariant>> {
    const found = await store.findSellable(this.#db, ids);
    return new Map(found.filter((v) => ids.includes(v.id)).map((v) => [v.id, v]));
  }

  /**
   * What a shopper's items name, as variants: a variant id, or the id of a product with one
   * variant. An id of a product with several is a 400 that lists them; unknown ids are absent,
   * for the caller's "unknown product" answer.
   */
  async resolveVariants(ids: readonly string[]): Promise<Map<string, SellableVariant>> {
    const found = await store.findSellable(this.#db, ids);
    const byId = new Map(found.map((v) => [v.id, v]));
    const resolved = new Map<string, SellableVariant>();
    for (const id of ids) {
      const variant = byId.get(id);
      if (variant) {
        resolved.set(id, variant);
        continue;
      }
      const ofProduct = found.filter((v) => v.productId === id);
      if (ofProduct.length > 1) {
        throw badRequest('variant_required', 'This product comes in several variants: choose one.', {
          productId: id,
          variantIds: ofProduct.map((v) => v.id),
        });
      }
      if (ofProduct[0]) resolved.set(id, ofProduct[0]);
    }
    return resolved;
  }

  async create(input: NewProduct, actorId: string | null = null): Promise<ProductView> {
    const currency = input.currency ?? this.#currency;
    if (currency !== this.#currency) {
      throw badRequest('unsupported_currency', `This shop sells in ${this.#currency}.`, { currency });
    }
    const options = input.options ?? [];
    if (options.length === 0 && input.variants && input.variants.length > 0) {
      throw badRequest('options_required', 'Variants need the options they differ in (Size, Colour…).');
    }
    const variants =
      options.length === 0
        ? [
            {
              sku: input.sku,
              options: {},
              priceMinor: input.priceMinor,
              weightGrams: input.weightGrams ?? 0,
              taxCategory: input.taxCategory ?? null,
              initialStock: input.initialStock,
            },
          ]
        : (input.variants ?? []);
    const problem = checkVariants(options, variants);
    if (problem) throw variantError(problem);
    const created = await this.#db.transaction().execute(async (trx) => {
      const product = await store
        .insert(
          trx,
          {
            ...input,
            currency,
            active: true,
            priceMinor: lowestPrice(variants.map((v) => ({ ...v, active: true }))),
          },
          options,
          variants.map((v) => ({ ...v, title: variantTitle(options, v.options) })),
        )
        .catch((error: unknown) => {
          if (
            error instanceof Error &&
            'constraint' in error &&
            error.constraint === 'product_variant_sku_key'
          )
            throw conflict('sku_taken', 'A variant with one of these SKUs already exists.');
          throw error;
        });
      if (!product)
        throw conflict('sku_taken', `A product with SKU ${input.sku} already exists.`, { sku: input.sku });
      for (const [i, variant] of product.variants.entries()) {
        await this.#inventory.initialize(
          trx,
          { variantId: variant.id, productId: product.id },
          variants[i]?.initialStock ?? 0,
          input.lowStockThreshold,
        );
      }
      await recordAudit(trx, {
        actorId,
        action: 'product.create',
        targetType: 'product',
        targetId: product.id,
        details: {
          sku: product.sku,
          price: product.priceMinor,
          currency,
          variants: product.variants.map((v) => v.sku),
          initialStock: variants.reduce((sum, v) => sum + v.initialStock, 0),
        },
      });
      return product;
    });
    return this.get(created.id, true);
  }

  /**
   * Changes a product; what changed (price from → to, …) is audited in the same transaction. A
   * price given here is the price of a product without options; one with options is priced per
   * variant.
   */
  async update(
    id: string,
    changes: Partial<Pick<Product, 'name' | 'description' | 'priceMinor' | 'imageUrl' | 'active'>>,
    actorId: string | null = null,
  ): Promise<ProductView> {
    await this.#db.transaction().execute(async (trx) => {
      const [before] = await store.findMany(trx, [id], true);
      if (!before) throw notFound('Product', id);
      const { priceMinor, ...productChanges } = changes;
      await store.update(trx, id, productChanges);
      const changed: Record<string, { from: unknown; to: unknown }> = {};
      for (const key of Object.keys(productChanges) as Array<keyof typeof productChanges>) {
        if (productChanges[key] !== undefined && before[key] !== productChanges[key])
          changed[key] = { from: before[key], to: productChanges[key] };
      }
      if (priceMinor !== undefined) {
        const [only, ...others] = before.variants;
        if (!only || others.length > 0) {
          throw conflict(
            'variant_required',
            'This product comes in several variants: change the price of each.',
            {
              productId: id,
            },
          );
        }
        if (only.priceMinor !== priceMinor) {
          await store.updateVariant(trx, only.id, { priceMinor });
          await store.setLowestPrice(trx, id, priceMinor);
          changed['price'] = { from: only.priceMinor, to: priceMinor };
        }
      }
      if (Object.keys(changed).length > 0) {
        await recordAudit(trx, {
          actorId,
          action: changed['price'] ? 'product.price_change' : 'product.update',
          targetType: 'product',
          targetId: id,
          details: { ...changed, ...(changed['price'] && { currency: before.currency }) },
        });
      }
    });
    return this.get(id, true);
  }

  count(): Promise<number> {
    return store.count(this.#db);
  }
}
