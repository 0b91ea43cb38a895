/**
 * The fulfilment context's pure rules: what a shipment may take of an order's lines, and the
 * status an order's shipped and delivered quantities give (ADR 0027). No I/O here.
 */

/** One order line and how much of it has left and arrived. */
export interface LineProgress {
  lineId: string;
  variantId: string;
  quantity: number;
  shipped: number;
  delivered: number;
}

/** The statuses that follow from quantities; the others are payment's and people's. */
export type FulfilmentStatus =
  'confirmed' | 'partially_shipped' | 'shipped' | 'partially_delivered' | 'delivered';

/**
 * An order's status from its lines: nothing shipped is confirmed, part of it partially shipped,
 * all of it shipped; once all has shipped, part arrived is partially delivered, all of it
 * delivered. A line added after delivery (an exchange's replacement) is unshipped, so the order
 * is partially shipped again until it leaves.
 */
export function statusByQuantities(
  lines: readonly Pick<LineProgress, 'quantity' | 'shipped' | 'delivered'>[],
): FulfilmentStatus {
  const ordered = sum(lines.map((l) => l.quantity));
  const shipped = sum(lines.map((l) => l.shipped));
  const delivered = sum(lines.map((l) => l.delivered));
  if (shipped === 0) return 'confirmed';
  if (shipped < ordered) return 'partially_shipped';
  if (delivered === 0) return 'shipped';
  if (delivered < ordered) return 'partially_delivered';
  return 'delivered';
}

export interface ShipmentLineRequest {
  lineId: string;
  quantity: number;
}

export interface PlannedLine {
  lineId: string;
  variantId: string;
  quantity: number;
}

export type ShipmentProblem =
  | { kind: 'unknown_lines'; lineIds: string[] }
  | { kind: 'duplicate_lines'; lineIds: string[] }
  | { kind: 'exceeds_remaining'; lines: Array<{ lineId: string; requested: number; remaining: number }> }
  | { kind: 'nothing_to_ship' };

/**
 * What a shipment takes: the lines and quantities asked for, or everything that remains when
 * none are named. Never more of a line than remains of it.
 */
export function planShipment(
  progress: readonly LineProgress[],
  requested: readonly ShipmentLineRequest[] | undefined,
): { ok: true; lines: PlannedLine[] } | { ok: false; problem: ShipmentProblem } {
  const byId = new Map(progress.map((l) => [l.lineId, l]));
  if (requested === undefined) {
    const lines = progress
      .filter((l) => l.quantity > l.shipped)
      .map((l) => ({ lineId: l.lineId, variantId: l.variantId, quantity: l.quantity - l.shipped }));
    return lines.length === 0 ? { ok: false, problem: { kind: 'nothing_to_ship' } } : { ok: true, lines };
  }
  const unknown = requested.filter((r) => !byId.has(r.lineId)).map((r) => r.lineId);
  if (unknown.length > 0) return { ok: false, problem: { kind: 'unknown_lines', lineIds: unknown } };
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const r of requested) {
    if (seen.has(r.lineId)) duplicates.add(r.lineId);
    seen.add(r.lineId);
  }
  if (duplicates.size > 0)
    return { ok: false, problem: { kind: 'duplicate_lines', lineIds: [...duplicates] } };
  const over: Array<{ lineId: string; requested: number; remaining: number }> = [];
  const lines: PlannedLine[] = [];
  for (const r of requested) {
    const line = byId.get(r.lineId) as LineProgress;
    const remaining = line.quantity - line.shipped;
    if (r.quantity > remaining) over.push({ lineId: r.lineId, requested: r.quantity, remaining });
    else lines.push({ lineId: r.lineId, variantId: line.variantId, quantity: r.quantity });
  }
  if (over.length > 0) return { ok: false, problem: { kind: 'exceeds_remaining', lines: over } };
  return { ok: true, lines };
}

/** The progress after a shipment leaves (`shipped`) or arrives (`delivered`). */
export function progressAfter(
  progress: readonly LineProgress[],
  lines: readonly { lineId: string; quantity: number }[],
  step: 'shipped' | 'delivered',
): LineProgress[] {
  const moved = new Map<string, number>();
  for (const l of lines) moved.set(l.lineId, (moved.get(l.lineId) ?? 0) + l.quantity);
  return progress.map((l) => ({ ...l, [step]: l[step] + (moved.get(l.lineId) ?? 0) }));
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
