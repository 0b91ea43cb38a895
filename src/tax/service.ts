import type { TaxRule } from '../orders/totals.ts';
import { recordAudit } from '../platform/audit.ts';
import { databaseError, type Db } from '../platform/db.ts';
import { conflict, notFound } from '../platform/errors.ts';
import type { RulesCache, RulesCaches } from '../platform/rules-cache.ts';
import { taxRules, type TaxRate } from './model.ts';
import * as store from './store.ts';

/**
 * Tax rates per shipping zone, and whether the shop's prices include them. The zone a shopper's
 * address is in comes from the shipping context's quote; `ratesFor` is a second, separate read
 * because each context reads only its own tables, cached like the quote's (ADR 0039).
 */
export class TaxService {
  readonly #db: Db;
  readonly #ratesByZone: RulesCache<TaxRule[]>;
  readonly pricesIncludeTax: boolean;

  constructor(db: Db, pricesIncludeTax: boolean, caches: RulesCaches) {
    this.#db = db;
    this.pricesIncludeTax = pricesIncludeTax;
    this.#ratesByZone = caches.cache('tax');
  }

  /** The zone's rates as `computeTotals` takes them; [] when it has none (no tax). */
  ratesFor(zoneId: string): Promise<TaxRule[]> {
    return this.#ratesByZone.get(zoneId, async () => taxRules(await store.list(this.#db, zoneId)));
  }

  list(zoneId?: string): Promise<TaxRate[]> {
    return store.list(this.#db, zoneId);
  }

  async create(input: Omit<TaxRate, 'id'>, actorId: string | null): Promise<TaxRate> {
    return this.#write(input, () =>
      this.#db.transaction().execute(async (trx) => {
        const rate = await store.insert(trx, input);
        await audit(trx, actorId, 'tax_rate.create', rate.id, { ...input });
        return rate;
      }),
    );
  }

  async update(
    id: string,
    changes: Partial<Pick<TaxRate, 'category' | 'name' | 'rateBasisPoints'>>,
    actorId: string | null,
  ): Promise<TaxRate> {
    return this.#write(changes, () =>
      this.#db.transaction().execute(async (trx) => {
        const before = await store.find(trx, id);
        if (!before) throw notFound('Tax rate', id);
        const rate = await store.update(trx, id, changes);
        if (!rate) throw notFound('Tax rate', id);
        await audit(trx, actorId, 'tax_rate.update', id, {
          from: { category: before.category, name: before.name, rateBasisPoints: before.rateBasisPoints },
          to: { category: rate.category, name: rate.name, rateBasisPoints: rate.rateBasisPoints },
        });
        return rate;
      }),
    );
  }

  async remove(id: string, actorId: string | null): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      const rate = await store.remove(trx, id);
      if (!rate) throw notFound('Tax rate', id);
      await audit(trx, actorId, 'tax_rate.delete', id, { ...rate });
    });
    await this.#ratesByZone.changed();
  }

  /**
   * A second standard rate, or a second rate for a category, in one zone is a 409; an unknown zone
   * a 404. Once a change has committed, every instance reads the rates afresh.
   */
  async #write<T>(input: { zoneId?: string; category?: string | null }, work: () => Promise<T>): Promise<T> {
    try {
      const result = await work();
      await this.#ratesByZone.changed();
      return result;
    } catch (error) {
      const db = databaseError(error);
      if (db?.code === '23505' && db.constraint === 'tax_rate_once_per_category') {
        throw conflict('tax_rate_exists', 'The zone already has a rate for that tax category.', {
          ...(input.category !== undefined && { category: input.category }),
        });
      }
      if (db?.code === '23503' && input.zoneId !== undefined) throw notFound('Shipping zone', input.zoneId);
      throw error;
    }
  }
}

function audit(
  trx: Db,
  actorId: string | null,
  action: string,
  id: string,
  details: Record<string, unknown>,
) {
  return recordAudit(trx, { actorId, action, targetType: 'tax_rate', targetId: id, details });
}
