import { recordAudit } from '../platform/audit.ts';
import { databaseError, type Db } from '../platform/db.ts';
import { badRequest, conflict, notFound } from '../platform/errors.ts';
import type { RulesCaches, RulesCache } from '../platform/rules-cache.ts';
import {
  bandsProblem,
  duplicateAreas,
  normalizeRegion,
  rateFor,
  zoneFor,
  type Basket,
  type ShippingMethod,
  type ShippingRate,
  type ZoneArea,
} from './model.ts';
import * as store from './store.ts';
import type { ZoneWithMethods } from './store.ts';

export type { ZoneWithMethods } from './store.ts';

/** An address as orders and saved addresses hold it; country US when absent, as elsewhere. */
export interface QuoteAddress {
  country?: string | undefined;
  state?: string | undefined;
}

export interface Quote {
  zone: { id: string; name: string };
  /** the active methods that can carry the basket, in the shop's order, each with its price */
  methods: Array<{ id: string; name: string; priceMinor: number }>;
}

/** What checkout needs to charge for the method a shopper chose, or why it cannot. */
export type ChosenMethod =
  | { ok: true; zone: { id: string; name: string }; method: { id: string; name: string }; priceMinor: number }
  | { ok: false; problem: 'outside_zones' | 'method_unavailable' | 'too_heavy' };

export const DEFAULT_COUNTRY = 'US';

function destination(address: QuoteAddress) {
  return { country: address.country ?? DEFAULT_COUNTRY, region: address.state ?? null };
}

function areasOf(input: ReadonlyArray<{ country: string; region?: string | null | undefined }>): ZoneArea[] {
  const areas = input.map((a) => ({ country: a.country.toUpperCase(), region: normalizeRegion(a.region) }));
  const twice = duplicateAreas(areas);
  if (twice.length > 0) {
    throw badRequest('duplicate_area', 'An area is listed twice in the zone.', { areas: twice });
  }
  return areas;
}

function checkRate(rate: ShippingRate): ShippingRate {
  if (rate.kind !== 'weight_bands') return rate;
  const problem = bandsProblem(rate.bands);
  if (problem) {
    throw badRequest('invalid_bands', `The weight bands are not valid: ${problem}.`, {
      issues: [{ path: 'body.rate.bands', message: problem }],
    });
  }
  return rate;
}

/**
 * Shipping zones and methods: the admin's changes, and a quote for an address and a basket.
 * Every read is one statement (zones with their areas and methods), so a quote costs the same
 * however many zones and methods the shop has; a quote's reads are cached (`RulesCache`,
 * ADR 0039), emptied on every instance by each change.
 */
export class ShippingService {
  readonly #db: Db;
  readonly #zonesByCountry: RulesCache<ZoneWithMethods[]>;
  readonly #anyZone: RulesCache<boolean>;

  constructor(db: Db, caches: RulesCaches) {
    this.#db = db;
    // one name for both: any change empties them together
    this.#zonesByCountry = caches.cache('shipping');
    this.#anyZone = caches.cache('shipping');
  }

  listZones(): Promise<ZoneWithMethods[]> {
    return store.zones(this.#db, { activeOnly: false });
  }

  async zone(id: string): Promise<ZoneWithMethods> {
    const [zone] = await store.zones(this.#db, { zoneId: id, activeOnly: false });
    if (!zone) throw notFound('Shipping zone', id);
    return zone;
  }

  /** The zone of an address and the prices of its methods for the basket; null: no zone delivers there. */
  async quote(address: QuoteAddress, basket: Basket): Promise<Quote | null> {
    const to = destination(address);
    const country = to.country.toUpperCase();
    const zones = await this.#zonesByCountry.get(country, () =>
      store.zones(this.#db, { country, activeOnly: true }),
    );
    const zone = zoneFor(zones, to);
    if (!zone) return null;
    const methods = zone.methods.flatMap((m) => {
      const priceMinor = rateFor(m, basket);
      return priceMinor === null ? [] : [{ id: m.id, name: m.name, priceMinor }];
    });
    return { zone: { id: zone.id, name: zone.name }, methods };
  }

  /** A method by id, active or not (an order shows the one it was shipped with); null when unknown. */
  /** A shop that has set up no zone at all ships everywhere (and charges nothing for it). */
  async servesEverywhere(): Promise<boolean> {
    return !(await this.#anyZone.get('', () => store.anyZone(this.#db)));
  }

  async method(id: string): Promise<ShippingMethod | null> {
    return (await store.findMethod(this.#db, id)) ?? null;
  }

  /**
   * Re-prices the method a shopper chose, for checkout: it must be active, in the address's zone,
   * and able to carry the basket. One statement, like a quote.
   */
  async choose(methodId: string, address: QuoteAddress, basket: Basket): Promise<ChosenMethod> {
    const quote = await this.quote(address, basket);
    if (!quote) return { ok: false, problem: 'outside_zones' };
    const chosen = quote.methods.find((m) => m.id === methodId);
    if (chosen) {
      return {
        ok: true,
        zone: quote.zone,
        method: { id: chosen.id, name: chosen.name },
        priceMinor: chosen.priceMinor,
      };
    }
    const method = await this.method(methodId);
    const inZone = method !== null && method.active && method.zoneId === quote.zone.id;
    return { ok: false, problem: inZone ? 'too_heavy' : 'method_unavailable' };
  }

  async createZone(
    input: { name: string; areas: ReadonlyArray<{ country: string; region?: string | null | undefined }> },
    actorId: string | null,
  ): Promise<ZoneWithMethods> {
    const areas = areasOf(input.areas);
    const id = await this.#write(async (trx) => {
      await this.#refuseOverlap(trx, areas, null);
      const zoneId = await store.insertZone(trx, input.name);
      if (!zoneId) throw nameTaken(input.name);
      await store.replaceAreas(trx, zoneId, areas);
      await recordAudit(trx, {
        actorId,
        action: 'shipping_zone.create',
        targetType: 'shipping_zone',
        targetId: zoneId,
        details: { name: input.name, areas },
      });
      return zoneId;
    });
    await this.#zonesByCountry.changed();
    return this.zone(id);
  }

  /** Renames a zone and/or replaces its areas. */
  async updateZone(
    id: string,
    changes: {
      name?: string | undefined;
      areas?: ReadonlyArray<{ country: string; region?: string | null | undefined }> | undefined;
    },
    actorId: string | null,
  ): Promise<ZoneWithMethods> {
    const areas = changes.areas && areasOf(changes.areas);
    await this.#write(async (trx) => {
      if (!(await store.lockZone(trx, id))) throw notFound('Shipping zone', id);
      if (changes.name !== undefined && (await store.renameZone(trx, id, changes.name)) === null) {
        throw nameTaken(changes.name);
      }
      if (areas) {
        await this.#refuseOverlap(trx, areas, id);
        await store.replaceAreas(trx, id, areas);
      }
      await recordAudit(trx, {
        actorId,
        action: 'shipping_zone.update',
        targetType: 'shipping_zone',
        targetId: id,
        details: { ...(changes.name !== undefined && { name: changes.name }), ...(areas && { areas }) },
      });
    });
    await this.#zonesByCountry.changed();
    return this.zone(id);
  }

  /** Deletes a zone with its areas and methods; refused while the tax context has rates for it. */
  async deleteZone(id: string, actorId: string | null): Promise<void> {
    try {
      await this.#db.transaction().execute(async (trx) => {
        if (!(await store.deleteZone(trx, id))) throw notFound('Shipping zone', id);
        await recordAudit(trx, {
          actorId,
          action: 'shipping_zone.delete',
          targetType: 'shipping_zone',
          targetId: id,
          details: {},
        });
      });
      await this.#zonesByCountry.changed();
    } catch (error) {
      if (databaseError(error)?.code === '23503') {
        throw conflict('zone_has_tax_rates', 'The zone still has tax rates: delete them first.', {
          zoneId: id,
        });
      }
      throw error;
    }
  }

  async createMethod(
    zoneId: string,
    input: { name: string; rate: ShippingRate; position: number },
    actorId: string | null,
  ): Promise<ShippingMethod> {
    const rate = checkRate(input.rate);
    const method = await this.#db.transaction().execute(async (trx) => {
      if (!(await store.lockZone(trx, zoneId))) throw notFound('Shipping zone', zoneId);
      const method = await store.insertMethod(trx, {
        zoneId,
        name: input.name,
        rate,
        position: input.position,
      });
      if (!method) throw methodNameTaken(input.name);
      await recordAudit(trx, {
        actorId,
        action: 'shipping_method.create',
        targetType: 'shipping_method',
        targetId: method.id,
        details: { zoneId, name: method.name, rate },
      });
      return method;
    });
    await this.#zonesByCountry.changed();
    return method;
  }

  /** Changes a method; `active: false` deactivates it (orders that used it keep its name and price). */
  async updateMethod(
    id: string,
    changes: Partial<Pick<ShippingMethod, 'name' | 'rate' | 'active' | 'position'>>,
    actorId: string | null,
  ): Promise<ShippingMethod> {
    if (changes.rate) checkRate(changes.rate);
    const method = await this.#write(async (trx) => {
      const before = await store.findMethod(trx, id);
      if (!before) throw notFound('Shipping method', id);
      if (changes.name !== undefined && (await store.methodNameTaken(trx, before.zoneId, changes.name, id))) {
        throw methodNameTaken(changes.name);
      }
      const method = await store.updateMethod(trx, id, changes);
      if (!method) throw notFound('Shipping method', id);
      await recordAudit(trx, {
        actorId,
        action: changes.active === false ? 'shipping_method.deactivate' : 'shipping_method.update',
        targetType: 'shipping_method',
        targetId: id,
        details: { ...changes },
      });
      return method;
    });
    await this.#zonesByCountry.changed();
    return method;
  }

  /** Areas another zone already holds are refused with that zone named; the unique index guards the race. */
  async #refuseOverlap(trx: Db, areas: readonly ZoneArea[], zoneId: string | null): Promise<void> {
    const taken = await store.overlapping(trx, areas, zoneId);
    if (taken.length > 0) throw overlap(taken);
  }

  /** A write that lost a race with another admin's gets the same 409 as the checks before it give. */
  async #write<T>(work: (trx: Db) => Promise<T>): Promise<T> {
    try {
      return await this.#db.transaction().execute(work);
    } catch (error) {
      const db = databaseError(error);
      if (db?.code === '23505' && db.constraint === 'shipping_zone_area_once') throw overlap([]);
      if (db?.code === '23505' && db.constraint === 'shipping_zone_name_key') {
        throw conflict('zone_name_taken', 'Another shipping zone has that name.');
      }
      if (db?.code === '23505' && db.constraint === 'shipping_method_zone_id_name_key') {
        throw conflict('method_name_taken', 'The zone already has a shipping method with that name.');
      }
      throw error;
    }
  }
}

function overlap(taken: ReadonlyArray<ZoneArea & { zoneId?: string; zoneName?: string }>) {
  return conflict(
    'zone_overlap',
    'An area is already in another shipping zone; an address can be in one zone only.',
    {
      areas: taken.map((t) => ({
        country: t.country,
        region: t.region,
        zoneId: t.zoneId,
        zoneName: t.zoneName,
      })),
    },
  );
}

function nameTaken(name: string) {
  return conflict('zone_name_taken', 'Another shipping zone has that name.', { name });
}

function methodNameTaken(name: string) {
  return conflict('method_name_taken', 'The zone already has a shipping method with that name.', { name });
}
