import { recordAudit } from '../platform/audit.ts';
import { databaseError, type Db } from '../platform/db.ts';
import { AppError, badRequest, conflict, notFound } from '../platform/errors.ts';
import { decodeCursor, encodeCursor, type Page } from '../platform/pagination.ts';
import type { RulesCache, RulesCaches } from '../platform/rules-cache.ts';
import type { InventoryService } from '../inventory/service.ts';
import { available, isLowStock, type StockLevel } from '../inventory/model.ts';
import {
  checkPlacement,
  checkVariants,
  growOptions,
  lowestPrice,
  slugify,
  variantTitle,
  withDescendants,
  type Category,
  type PlacementProblem,
  type Product,
  type ProductImage,
  type ProductSort,
  type ProductOption,
  type SellableVariant,
  type Variant,
  type VariantInput,
  type VariantProblem,
} from './model.ts';
import * as store from './store.ts';

/** Another variant a sold one may be exchanged for. */
export interface ExchangeOffer {
  variantId: string;
  name: string;
  title: string;
  sku: string;
  unitPriceMinor: number;
  available: number;
}

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
  /** the images in order; a v1 client's one `imageUrl` is taken as the only image */
  images?: ProductImage[] | undefined;
  imageUrl?: string | null | undefined;
  categoryId?: string | null | undefined;
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

export interface NewVariant extends VariantInput {
  initialStock: number;
  lowStockThreshold?: number | undefined;
}

export interface ProductChanges {
  name?: string | undefined;
  description?: string | undefined;
  priceMinor?: number | undefined;
  /** replaces every image; `imageUrl` alone replaces the first and keeps the others */
  images?: ProductImage[] | undefined;
  imageUrl?: string | null | undefined;
  categoryId?: string | null | undefined;
  active?: boolean | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function placementError(problem: PlacementProblem, parentId: string | null): AppError {
  switch (problem) {
    case 'parent_missing':
      return badRequest('unknown_category', 'The parent category does not exist.', { parentId });
    case 'cycle':
      return badRequest(
        'category_cycle',
        'A category cannot sit under itself or one of its sub-categories.',
        {
          parentId,
        },
      );
    case 'too_deep':
      return badRequest('category_too_deep', 'Categories go at most three levels deep.', { parentId });
  }
}

/** A product write refused by the database for a category that is not there (deleted meanwhile). */
function productWriteError(error: unknown): never {
  const db = databaseError(error);
  if (db?.code === '23503' && db.constraint === 'product_category_id_fkey')
    throw badRequest('unknown_category', 'The category does not exist.');
  throw error;
}

/** `images` as given, or a v1 client's single `imageUrl` in the first place. */
function imagesOf(
  input: { images?: ProductImage[] | undefined; imageUrl?: string | null | undefined },
  before: readonly ProductImage[],
): ProductImage[] | undefined {
  if (input.images !== undefined) {
    if (input.imageUrl !== undefined && input.imageUrl !== (input.images[0]?.url ?? null))
      throw badRequest(
        'image_url_mismatch',
        "imageUrl, when given with images, must be the first image's url.",
      );
    return input.images;
  }
  if (input.imageUrl === undefined) return undefined;
  const rest = before.slice(1);
  return input.imageUrl === null ? rest : [{ url: input.imageUrl, alt: before[0]?.alt ?? '' }, ...rest];
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
  /** a shopper's catalog reads: the replica when there is one (ADR 0032) */
  readonly #shopperReads: Db;
  readonly #inventory: InventoryService;
  readonly #currency: string;
  /**
   * What every quote and order reads of the variants it sells, by the id it was asked for (a
   * variant's, or a product's for all of its variants); emptied by every change below once it
   * has committed (ADR 0039).
   */
  readonly #sellable: RulesCache<SellableVariant[]>;

  constructor(
    db: Db,
    inventory: InventoryService,
    currency: string,
    caches: RulesCaches,
    shopperReads: Db = db,
  ) {
    this.#db = db;
    this.#shopperReads = shopperReads;
    this.#inventory = inventory;
    this.#currency = currency;
    this.#sellable = caches.cache('catalog');
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
    /** admins only: just the archived products */
    archivedOnly?: boolean | undefined;
    /** an id or a slug; the products of its sub-categories are included */
    category?: string | undefined;
    sort?: ProductSort | undefined;
    limit: number;
    cursor?: string | undefined;
  }): Promise<Page<ProductView>> {
    const sort = query.sort ?? 'name';
    const after = productKey(sort, query.cursor);
    let categoryIds: string[] | null = null;
    if (query.category !== undefined) {
      const categories = await store.listCategories(this.#db);
      const key = query.category;
      const category = categories.find((c) => (UUID.test(key) ? c.id === key.toLowerCase() : c.slug === key));
      if (!category) throw notFound('Category', key);
      categoryIds = withDescendants(categories, category.id);
    }
    // an admin (who alone sees inactive products) may have just changed one: the primary
    const rows = await store.list(query.includeInactive ? this.#db : this.#shopperReads, {
      search: query.search,
      includeInactive: query.includeInactive,
      archivedOnly: query.includeInactive && query.archivedOnly === true,
      categoryIds,
      sort,
      limit: query.limit + 1,
      after,
    });
    const more = rows.length > query.limit;
    const pageRows = more ? rows.slice(0, query.limit) : rows;
    const last = pageRows[pageRows.length - 1];
    return {
      items: await this.#views(pageRows.map((r) => r.product)),
      nextCursor: more && last ? encodeCursor(cursorKey(sort, last)) : null,
    };
  }

  async get(id: string, includeInactive: boolean): Promise<ProductView> {
    const [product] = await store.findMany(includeInactive ? this.#db : this.#shopperReads, [id]);
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

  /**
   * What the units of each variant may be exchanged for (ADR 0034): the other variants of its
   * product that are on sale, with their prices and what is in stock. A product no longer sold
   * offers none.
   */
  async exchangeOptions(variantIds: readonly string[]): Promise<Map<string, ExchangeOffer[]>> {
    const sold = await this.findVariants(variantIds);
    const productIds = [...new Set([...sold.values()].map((v) => v.productId))];
    const products = await this.#views((await store.findMany(this.#db, productIds)).filter((p) => p.active));
    const byProduct = new Map(products.map((p) => [p.id, p]));
    return new Map(
      variantIds.map((id) => {
        const product = byProduct.get(sold.get(id)?.productId ?? '');
        const offers = (product?.variants ?? [])
          .filter((v) => v.active && v.id !== id)
          .map((v) => ({
            variantId: v.id,
            name: product?.name ?? '',
            title: v.title,
            sku: v.sku,
            unitPriceMinor: v.priceMinor,
            available: v.available,
          }));
        return [id, offers];
      }),
    );
  }

  /** Variants by id, for pricing an order or a cart; unknown ids are simply absent. */
  async findVariants(ids: readonly string[]): Promise<Map<string, SellableVariant>> {
    const found = await this.#findSellable(ids);
    return new Map(found.filter((v) => ids.includes(v.id)).map((v) => [v.id, v]));
  }

  /** `store.findSellable` through the cache: a variant or product seen before costs no statement. */
  async #findSellable(ids: readonly string[]): Promise<SellableVariant[]> {
    const byId = await this.#sellable.getMany(ids, async (missing) => {
      const rows = await store.findSellable(this.#db, missing);
      const loaded = new Map<string, SellableVariant[]>();
      for (const id of missing) {
        const matching = rows.filter((v) => v.id === id || v.productId === id);
        if (matching.length > 0) loaded.set(id, matching);
      }
      return loaded;
    });
    const unique = new Map([...byId.values()].flat().map((v) => [v.id, v]));
    return [...unique.values()];
  }

  /**
   * What a shopper's items name, as variants: a variant id, or the id of a product with one
   * variant. An id of a product with several is a 400 that lists them; unknown ids are absent,
   * for the caller's "unknown product" answer.
   */
  async resolveVariants(ids: readonly string[]): Promise<Map<string, SellableVariant>> {
    const found = await this.#findSellable(ids);
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
            images: imagesOf(input, []) ?? [],
            categoryId: input.categoryId ?? null,
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
          productWriteError(error);
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
  async update(id: string, changes: ProductChanges, actorId: string | null = null): Promise<ProductView> {
    await this.#db.transaction().execute(async (trx) => {
      const [before] = await store.findMany(trx, [id], true);
      if (!before) throw notFound('Product', id);
      const { priceMinor, images: _images, imageUrl: _imageUrl, ...fields } = changes;
      const images = imagesOf(changes, before.images);
      const productChanges = { ...fields, ...(images !== undefined && { images }) };
      await store.update(trx, id, productChanges).catch(productWriteError);
      const changed: Record<string, { from: unknown; to: unknown }> = {};
      for (const key of Object.keys(productChanges) as Array<keyof typeof productChanges>) {
        const to = productChanges[key];
        if (to !== undefined && JSON.stringify(before[key]) !== JSON.stringify(to))
          changed[key] = { from: before[key], to };
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
    await this.#sellable.changed();
    return this.get(id, true);
  }

  /**
   * A new combination of a product's options. A value an option does not list yet is added to
   * it (ADR 0021); an option the product does not have is a 400, and a product without options
   * keeps its one default variant (409).
   */
  async addVariant(
    productId: string,
    input: NewVariant,
    actorId: string | null = null,
  ): Promise<ProductView> {
    await this.#db.transaction().execute(async (trx) => {
      const [product] = await store.findMany(trx, [productId], true);
      if (!product) throw notFound('Product', productId);
      if (product.options.length === 0) {
        throw conflict(
          'options_required',
          'This product has no options, so its one variant is the product itself. Give it options first.',
          { productId },
        );
      }
      const options = growOptions(product.options, input.options);
      const tooMany = options.find((o) => o.values.length > 50);
      if (tooMany) throw badRequest('option_values_limit', `${tooMany.name} can have at most 50 values.`);
      const problem = checkVariants(options, [...product.variants, input]);
      if (problem?.kind === 'duplicate_combination')
        throw conflict('variant_combination_taken', 'A variant with these options already exists.', problem);
      if (problem?.kind === 'duplicate_sku')
        throw conflict('sku_taken', `A variant with SKU ${input.sku} already exists.`, { sku: input.sku });
      if (problem) throw variantError(problem);
      const variant = await store
        .insertVariant(trx, productId, { ...input, title: variantTitle(options, input.options) }, options)
        .catch((error: unknown) => {
          const db = databaseError(error);
          if (db?.code === '23505' && db.constraint === 'product_variant_sku_key')
            throw conflict('sku_taken', `A variant with SKU ${input.sku} already exists.`, {
              sku: input.sku,
            });
          if (db?.code === '23505')
            throw conflict('variant_combination_taken', 'A variant with these options already exists.');
          throw error;
        });
      await this.#inventory.initialize(
        trx,
        { variantId: variant.id, productId },
        input.initialStock,
        input.lowStockThreshold,
      );
      await store.setLowestPrice(trx, productId, lowestPrice([...product.variants, variant]));
      await recordAudit(trx, {
        actorId,
        action: 'variant.create',
        targetType: 'product',
        targetId: productId,
        details: {
          variantId: variant.id,
          sku: variant.sku,
          price: variant.priceMinor,
          currency: product.currency,
          initialStock: input.initialStock,
        },
      });
    });
    await this.#sellable.changed();
    return this.get(productId, true);
  }

  /** Changes a variant and keeps its product's "from" price current, audited in one transaction. */
  async updateVariant(
    id: string,
    changes: Partial<Pick<Variant, 'priceMinor' | 'weightGrams' | 'taxCategory' | 'active'>>,
    actorId: string | null = null,
  ): Promise<ProductView> {
    const found = await store.findVariant(this.#db, id);
    if (!found) throw notFound('Variant', id);
    await this.#db.transaction().execute(async (trx) => {
      const [product] = await store.findMany(trx, [found.productId], true);
      const before = product?.variants.find((v) => v.id === id);
      if (!product || !before) throw notFound('Variant', id);
      await store.updateVariant(trx, id, changes);
      const after = { ...before, ...changes };
      const lowest = lowestPrice(product.variants.map((v) => (v.id === id ? after : v)));
      if (lowest !== product.priceMinor) await store.setLowestPrice(trx, product.id, lowest);
      const changed: Record<string, { from: unknown; to: unknown }> = {};
      for (const key of Object.keys(changes) as Array<keyof typeof changes>) {
        if (changes[key] !== undefined && before[key] !== changes[key])
          changed[key] = { from: before[key], to: changes[key] };
      }
      if (Object.keys(changed).length > 0) {
        await recordAudit(trx, {
          actorId,
          action: changed['priceMinor'] ? 'variant.price_change' : 'variant.update',
          targetType: 'product',
          targetId: product.id,
          details: { variantId: id, sku: before.sku, ...changed, currency: product.currency },
        });
      }
    });
    await this.#sellable.changed();
    return this.get(found.productId, true);
  }

  listCategories(): Promise<Category[]> {
    return store.listCategories(this.#db);
  }

  async createCategory(
    input: { name: string; slug?: string | undefined; parentId: string | null; position: number },
    actorId: string | null = null,
  ): Promise<Category> {
    const slug = input.slug ?? slugify(input.name);
    checkSlug(slug);
    return this.#db.transaction().execute(async (trx) => {
      const categories = await store.listCategories(trx, true);
      const problem = checkPlacement(categories, undefined, input.parentId);
      if (problem) throw placementError(problem, input.parentId);
      const created = await store.insertCategory(trx, { ...input, slug });
      if (!created)
        throw conflict('slug_taken', `A category with the slug ${slug} already exists.`, { slug });
      await recordAudit(trx, {
        actorId,
        action: 'category.create',
        targetType: 'category',
        targetId: created.id,
        details: { name: created.name, slug, parentId: created.parentId },
      });
      return created;
    });
  }

  async updateCategory(
    id: string,
    changes: Partial<Omit<Category, 'id'>>,
    actorId: string | null = null,
  ): Promise<Category> {
    if (changes.slug !== undefined) checkSlug(changes.slug);
    return this.#db.transaction().execute(async (trx) => {
      const categories = await store.listCategories(trx, true);
      const before = categories.find((c) => c.id === id);
      if (!before) throw notFound('Category', id);
      if (changes.parentId !== undefined) {
        const problem = checkPlacement(categories, id, changes.parentId);
        if (problem) throw placementError(problem, changes.parentId);
      }
      if (changes.slug !== undefined && categories.some((c) => c.slug === changes.slug && c.id !== id))
        throw conflict('slug_taken', `A category with the slug ${changes.slug} already exists.`, {
          slug: changes.slug,
        });
      await store.updateCategory(trx, id, changes).catch((error: unknown) => {
        const db = databaseError(error);
        if (db?.code === '23505')
          throw conflict('slug_taken', `A category with the slug ${changes.slug ?? ''} already exists.`);
        throw error;
      });
      const after = { ...before, ...changes };
      await recordAudit(trx, {
        actorId,
        action: 'category.update',
        targetType: 'category',
        targetId: id,
        details: { before, after },
      });
      return after;
    });
  }

  /** Only an empty category goes: no products (archived ones too) and no sub-categories. */
  async deleteCategory(id: string, actorId: string | null = null): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      const categories = await store.listCategories(trx, true);
      const category = categories.find((c) => c.id === id);
      if (!category) throw notFound('Category', id);
      if (categories.some((c) => c.parentId === id))
        throw conflict('category_not_empty', 'This category has sub-categories: move or delete them first.');
      const inUse = () =>
        conflict('category_not_empty', 'Products are in this category: move them to another first.');
      if (await store.categoryHasProducts(trx, id)) throw inUse();
      await store.deleteCategory(trx, id).catch((error: unknown) => {
        if (databaseError(error)?.code === '23503') throw inUse();
        throw error;
      });
      await recordAudit(trx, {
        actorId,
        action: 'category.delete',
        targetType: 'category',
        targetId: id,
        details: { name: category.name, slug: category.slug },
      });
    });
  }

  count(): Promise<number> {
    return store.count(this.#db);
  }
}

function checkSlug(slug: string): void {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) || slug.length > 100)
    throw badRequest('invalid_slug', 'A slug is lowercase letters and digits joined by single hyphens.', {
      slug,
    });
  // the product list takes a category by id or slug, so a slug must never read as an id
  if (UUID.test(slug)) throw badRequest('invalid_slug', 'A slug cannot have the form of an id.', { slug });
}

/** A page's cursor for each sort; `name` keeps the v1 shape `[name, id]`. */
function cursorKey(sort: ProductSort, row: store.ListedProduct): (string | number)[] {
  const { product } = row;
  switch (sort) {
    case 'name':
      return [product.name, product.id];
    case 'price_asc':
    case 'price_desc':
      return [sort, product.priceMinor, product.id];
    case 'newest':
      return [sort, row.createdKey, product.id];
  }
}

function productKey(sort: ProductSort, cursor: string | undefined): store.ProductKey | null {
  if (cursor === undefined) return null;
  const invalid = () =>
    badRequest('invalid_cursor', 'The cursor is not valid for this sort; start again from the first page.');
  switch (sort) {
    case 'name': {
      const [name, id] = decodeCursor(cursor, ['string', 'string']) ?? [];
      if (typeof name !== 'string' || typeof id !== 'string' || !UUID.test(id)) throw invalid();
      return { sort, name, id };
    }
    case 'price_asc':
    case 'price_desc': {
      const [tag, priceMinor, id] = decodeCursor(cursor, ['string', 'number', 'string']) ?? [];
      if (tag !== sort || typeof priceMinor !== 'number' || !Number.isSafeInteger(priceMinor))
        throw invalid();
      if (typeof id !== 'string' || !UUID.test(id)) throw invalid();
      return { sort, priceMinor, id };
    }
    case 'newest': {
      const [tag, createdAt, id] = decodeCursor(cursor, ['string', 'string', 'string']) ?? [];
      if (tag !== sort || typeof createdAt !== 'string' || typeof id !== 'string' || !UUID.test(id))
        throw invalid();
      if (!/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)$/.test(createdAt))
        throw invalid();
      return { sort, createdAt, id };
    }
  }
}
