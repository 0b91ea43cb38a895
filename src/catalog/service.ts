import { recordAudit } from '../platform/audit.ts';
import type { Db } from '../platform/db.ts';
import { badRequest, conflict, notFound } from '../platform/errors.ts';
import { decodeCursor, toPage, type Page } from '../platform/pagination.ts';
import type { InventoryService } from '../inventory/service.ts';
import { available, isLowStock, type StockLevel } from '../inventory/model.ts';
import type { Product } from './model.ts';
import * as store from './store.ts';

/** A product with the stock a shopper can still buy. */
export interface ProductView extends Product {
  available: number;
  lowStock: boolean;
}

function view(product: Product, level: StockLevel | undefined): ProductView {
  return {
    ...product,
    available: level ? Math.max(0, available(level)) : 0,
    lowStock: level ? isLowStock(level) : true,
  };
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

  async list(query: {
    search?: string | undefined;
    includeInactive: boolean;
    limit: number;
    cursor?: string | undefined;
  }): Promise<Page<ProductView>> {
    const after = decodeCursor(query.cursor, ['string', 'string']) as [string, string] | null;
    const products = await store.list(this.#db, { ...query, limit: query.limit + 1, after });
    const levels = await this.#inventory.levels(products.map((p) => p.id));
    return toPage(
      products,
      query.limit,
      (p) => view(p, levels.get(p.id)),
      (p) => [p.name, p.id],
    );
  }

  async get(id: string, includeInactive: boolean): Promise<ProductView> {
    const [product] = await store.findMany(this.#db, [id]);
    if (!product || (!product.active && !includeInactive)) throw notFound('Product', id);
    const levels = await this.#inventory.levels([id]);
    return view(product, levels.get(id));
  }

  /** Ids of the products whose name or SKU contains `search`: for the inventory list's search. */
  idsMatching(search: string): Promise<string[]> {
    return store.idsMatching(this.#db, search);
  }

  /** Products by id, for pricing an order or a cart; unknown ids are simply absent. */
  async findMany(ids: readonly string[]): Promise<Map<string, Product>> {
    const products = await store.findMany(this.#db, ids);
    return new Map(products.map((p) => [p.id, p]));
  }

  async create(
    input: {
      sku: string;
      name: string;
      description: string;
      priceMinor: number;
      currency?: string | undefined;
      imageUrl: string | null;
      initialStock: number;
      lowStockThreshold?: number | undefined;
    },
    actorId: string | null = null,
  ): Promise<ProductView> {
    const currency = input.currency ?? this.#currency;
    if (currency !== this.#currency) {
      throw badRequest('unsupported_currency', `This shop sells in ${this.#currency}.`, { currency });
    }
    const created = await this.#db.transaction().execute(async (trx) => {
      const product = await store.insert(trx, { ...input, currency, active: true });
      if (!product)
        throw conflict('sku_taken', `A product with SKU ${input.sku} already exists.`, { sku: input.sku });
      await this.#inventory.initialize(trx, product.id, input.initialStock, input.lowStockThreshold);
      await recordAudit(trx, {
        actorId,
        action: 'product.create',
        targetType: 'product',
        targetId: product.id,
        details: { sku: product.sku, price: product.priceMinor, currency, initialStock: input.initialStock },
      });
      return product;
    });
    return this.get(created.id, true);
  }

  /** Changes a product; what changed (price from → to, …) is audited in the same transaction. */
  async update(
    id: string,
    changes: Partial<Pick<Product, 'name' | 'description' | 'priceMinor' | 'imageUrl' | 'active'>>,
    actorId: string | null = null,
  ): Promise<ProductView> {
    await this.#db.transaction().execute(async (trx) => {
      const [before] = await store.findMany(trx, [id], true);
      if (!before) throw notFound('Product', id);
      const product = await store.update(trx, id, changes);
      if (!product) throw notFound('Product', id);
      const changed: Record<string, { from: unknown; to: unknown }> = {};
      for (const key of Object.keys(changes) as Array<keyof typeof changes>) {
        if (changes[key] !== undefined && before[key] !== product[key])
          changed[key === 'priceMinor' ? 'price' : key] = { from: before[key], to: product[key] };
      }
      if (Object.keys(changed).length > 0) {
        await recordAudit(trx, {
          actorId,
          action: changed['price'] ? 'product.price_change' : 'product.update',
          targetType: 'product',
          targetId: id,
          details: { ...changed, ...(changed['price'] && { currency: product.currency }) },
        });
      }
    });
    return this.get(id, true);
  }

  count(): Promise<number> {
    return store.count(this.#db);
  }
}
