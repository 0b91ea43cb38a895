import type { Selectable } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Db } from '../platform/db.ts';
import type { ShippingMethodTable, WeightBandJson } from '../platform/schema.ts';
import type { ShippingMethod, ShippingRate, Zone, ZoneArea } from './model.ts';

/** A zone with its areas and methods, as the admin and a quote read it. */
export interface ZoneWithMethods extends Zone {
  methods: ShippingMethod[];
  createdAt: Date;
}

const methodColumns = [
  'id',
  'zone_id',
  'name',
  'kind',
  'price_minor',
  'free_above_minor',
  'bands',
  'active',
  'position',
] as const;
type MethodRow = Pick<Selectable<ShippingMethodTable>, (typeof methodColumns)[number]>;

function toRate(row: MethodRow): ShippingRate {
  switch (row.kind) {
    case 'flat':
      return { kind: 'flat', priceMinor: row.price_minor ?? 0 };
    case 'free_above':
      return {
        kind: 'free_above',
        priceMinor: row.price_minor ?? 0,
        freeAboveMinor: row.free_above_minor ?? 0,
      };
    case 'weight_bands':
      return {
        kind: 'weight_bands',
        bands: (row.bands ?? []).map((b) => ({ upToGrams: b.upToGrams, priceMinor: b.priceMinor })),
      };
  }
}

function toMethod(row: MethodRow): ShippingMethod {
  return {
    id: row.id,
    zoneId: row.zone_id,
    name: row.name,
    rate: toRate(row),
    active: row.active,
    position: row.position,
  };
}

function rateColumns(rate: ShippingRate): {
  kind: ShippingRate['kind'];
  price_minor: number | null;
  free_above_minor: number | null;
  bands: string | null;
} {
  switch (rate.kind) {
    case 'flat':
      return { kind: rate.kind, price_minor: rate.priceMinor, free_above_minor: null, bands: null };
    case 'free_above':
      return {
        kind: rate.kind,
        price_minor: rate.priceMinor,
        free_above_minor: rate.freeAboveMinor,
        bands: null,
      };
    case 'weight_bands': {
      const bands: WeightBandJson[] = [...rate.bands]
        .sort((a, b) => a.upToGrams - b.upToGrams)
        .map((b) => ({ upToGrams: b.upToGrams, priceMinor: b.priceMinor }));
      return { kind: rate.kind, price_minor: null, free_above_minor: null, bands: JSON.stringify(bands) };
    }
  }
}

/**
 * Zones with their areas and methods in one statement. `country` keeps only the zones with an
 * area in that country (what a quote needs); `activeOnly` leaves out deactivated methods.
 */
export async function zones(
  db: Db,
  filter: { country?: string; zoneId?: string; activeOnly: boolean },
): Promise<ZoneWithMethods[]> {
  let q = db.selectFrom('shipping_zone as z').select((eb) => [
    'z.id',
    'z.name',
    'z.created_at',
    jsonArrayFrom(
      eb
        .selectFrom('shipping_zone_area as a')
        .select(['a.country', 'a.region'])
        .whereRef('a.zone_id', '=', 'z.id')
        .orderBy('a.country')
        .orderBy('a.region', (ob) => ob.nullsFirst()),
    ).as('areas'),
    jsonArrayFrom(
      eb
        .selectFrom('shipping_method as m')
        .select(methodColumns.map((c) => `m.${c}` as const))
        .whereRef('m.zone_id', '=', 'z.id')
        .$if(filter.activeOnly, (sq) => sq.where('m.active', '=', true))
        .orderBy('m.position')
        .orderBy('m.name'),
    ).as('methods'),
  ]);
  if (filter.zoneId !== undefined) q = q.where('z.id', '=', filter.zoneId);
  if (filter.country !== undefined) {
    const country = filter.country;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('shipping_zone_area as c')
          .select('c.zone_id')
          .whereRef('c.zone_id', '=', 'z.id')
          .where('c.country', '=', country),
      ),
    );
  }
  const rows = await q.orderBy('z.name').execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    createdAt: new Date(row.created_at),
    areas: row.areas.map((a): ZoneArea => ({ country: a.country, region: a.region })),
    methods: row.methods.map(toMethod),
  }));
}

/** The zone holding any of `areas`, other than `exceptZoneId`: who already delivers there. */
export async function overlapping(
  db: Db,
  areas: readonly ZoneArea[],
  exceptZoneId: string | null,
): Promise<Array<ZoneArea & { zoneId: string; zoneName: string }>> {
  if (areas.length === 0) return [];
  let q = db
    .selectFrom('shipping_zone_area as a')
    .innerJoin('shipping_zone as z', 'z.id', 'a.zone_id')
    .select(['a.country', 'a.region', 'z.id as zoneId', 'z.name as zoneName'])
    .where((eb) =>
      eb.or(
        areas.map((area) =>
          eb.and([
            eb('a.country', '=', area.country),
            area.region === null ? eb('a.region', 'is', null) : eb('a.region', '=', area.region),
          ]),
        ),
      ),
    );
  if (exceptZoneId !== null) q = q.where('a.zone_id', '<>', exceptZoneId);
  return q.execute();
}

export async function insertZone(db: Db, name: string): Promise<string | undefined> {
  const row = await db
    .insertInto('shipping_zone')
    .values({ name })
    .onConflict((oc) => oc.column('name').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** false: no zone `id`; null: another zone has that name. */
export async function renameZone(db: Db, id: string, name: string): Promise<boolean | null> {
  const clash = await db
    .selectFrom('shipping_zone')
    .select('id')
    .where('name', '=', name)
    .where('id', '<>', id)
    .executeTakeFirst();
  if (clash) return null;
  const result = await db.updateTable('shipping_zone').set({ name }).where('id', '=', id).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Locks the zone's row until the transaction ends, so two edits of its areas take turns. */
export async function lockZone(db: Db, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('shipping_zone')
    .select('id')
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

export async function replaceAreas(db: Db, zoneId: string, areas: readonly ZoneArea[]): Promise<void> {
  await db.deleteFrom('shipping_zone_area').where('zone_id', '=', zoneId).execute();
  if (areas.length === 0) return;
  await db
    .insertInto('shipping_zone_area')
    .values(areas.map((a) => ({ zone_id: zoneId, country: a.country, region: a.region })))
    .execute();
}

export async function deleteZone(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('shipping_zone').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function findMethod(db: Db, id: string): Promise<ShippingMethod | undefined> {
  const row = await db
    .selectFrom('shipping_method')
    .select(methodColumns)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toMethod(row);
}

/** undefined: the zone already has a method of that name. */
export async function insertMethod(
  db: Db,
  method: Omit<ShippingMethod, 'id' | 'active'>,
): Promise<ShippingMethod | undefined> {
  const row = await db
    .insertInto('shipping_method')
    .values({
      zone_id: method.zoneId,
      name: method.name,
      position: method.position,
      ...rateColumns(method.rate),
    })
    .onConflict((oc) => oc.columns(['zone_id', 'name']).doNothing())
    .returning(methodColumns)
    .executeTakeFirst();
  return row && toMethod(row);
}

export async function updateMethod(
  db: Db,
  id: string,
  changes: Partial<Pick<ShippingMethod, 'name' | 'rate' | 'active' | 'position'>>,
): Promise<ShippingMethod | undefined> {
  const row = await db
    .updateTable('shipping_method')
    .set({
      ...(changes.name !== undefined && { name: changes.name }),
      ...(changes.rate !== undefined && rateColumns(changes.rate)),
      ...(changes.active !== undefined && { active: changes.active }),
      ...(changes.position !== undefined && { position: changes.position }),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returning(methodColumns)
    .executeTakeFirst();
  return row && toMethod(row);
}

/** A method's name is taken in its zone by another method. */
export async function methodNameTaken(
  db: Db,
  zoneId: string,
  name: string,
  exceptId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('shipping_method')
    .select('id')
    .where('zone_id', '=', zoneId)
    .where('name', '=', name)
    .where('id', '<>', exceptId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function anyZone(db: Db): Promise<boolean> {
  const row = await db.selectFrom('shipping_zone').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}
