/**
 * Where the shop delivers and what it charges, as pure rules over plain data. A zone is a set of
 * areas — a country, or one region (the address's `state`) of a country — and an area belongs to
 * at most one zone (the database's unique index), so an address has at most one zone. Prices are
 * minor units of the shop's currency.
 */
export interface ZoneArea {
  /** ISO 3166-1 alpha-2, upper case */
  country: string;
  /** upper-cased and trimmed, compared with the address's `state` the same way; null: the whole country */
  region: string | null;
}

export interface Zone {
  id: string;
  name: string;
  areas: ZoneArea[];
}

export interface WeightBand {
  /** inclusive upper bound of the basket's weight */
  upToGrams: number;
  priceMinor: number;
}

export type ShippingRate =
  | { kind: 'flat'; priceMinor: number }
  /** free when the items subtotal is at or above `freeAboveMinor`, else `priceMinor` */
  | { kind: 'free_above'; priceMinor: number; freeAboveMinor: number }
  /** the price of the lightest band that holds the weight; none: the method cannot carry it */
  | { kind: 'weight_bands'; bands: WeightBand[] };

export interface ShippingMethod {
  id: string;
  zoneId: string;
  name: string;
  rate: ShippingRate;
  active: boolean;
  /** the order methods are offered in, lowest first, then by name */
  position: number;
}

export interface Destination {
  country: string;
  region?: string | null | undefined;
}

export interface Basket {
  /** the items' subtotal, after discounts or not as the caller decides (checkout: before) */
  subtotalMinor: number;
  weightGrams: number;
}

export function normalizeRegion(region: string | null | undefined): string | null {
  const trimmed = region?.trim();
  return trimmed ? trimmed.toUpperCase() : null;
}

/** The zone an address is in: one listing its region beats one listing its whole country. */
export function zoneFor<Z extends Zone>(zones: readonly Z[], destination: Destination): Z | null {
  const country = destination.country.trim().toUpperCase();
  const region = normalizeRegion(destination.region);
  const byRegion =
    region === null
      ? undefined
      : zones.find((z) => z.areas.some((a) => a.country === country && a.region === region));
  return (
    byRegion ?? zones.find((z) => z.areas.some((a) => a.country === country && a.region === null)) ?? null
  );
}

/** What `method` charges for `basket`; null when no weight band covers the basket's weight. */
export function rateFor(method: Pick<ShippingMethod, 'rate'>, basket: Basket): number | null {
  const rate = method.rate;
  switch (rate.kind) {
    case 'flat':
      return rate.priceMinor;
    case 'free_above':
      return basket.subtotalMinor >= rate.freeAboveMinor ? 0 : rate.priceMinor;
    case 'weight_bands': {
      const fits = rate.bands.filter((b) => basket.weightGrams <= b.upToGrams);
      if (fits.length === 0) return null;
      return fits.reduce((best, b) => (b.upToGrams < best.upToGrams ? b : best)).priceMinor;
    }
  }
}

/**
 * Why a set of bands cannot be saved, or null: bands need distinct bounds, so each weight has one
 * price.
 */
export function bandsProblem(bands: readonly WeightBand[]): string | null {
  if (bands.length === 0) return 'needs at least one band';
  const bounds = new Set(bands.map((b) => b.upToGrams));
  return bounds.size === bands.length ? null : 'two bands have the same upToGrams';
}

/** Areas listed twice in one zone: the database would refuse the second. */
export function duplicateAreas(areas: readonly ZoneArea[]): ZoneArea[] {
  const seen = new Set<string>();
  return areas.filter((a) => {
    const key = `${a.country}|${a.region ?? ''}`;
    if (seen.has(key)) return true;
    seen.add(key);
    return false;
  });
}
