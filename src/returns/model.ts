/**
 * A return's pure rules: its own state machine (like the order's in src/orders/model.ts, a table
 * and one `decide`), what a shopper may still return of an order, and what a return refunds.
 * No I/O here.
 */
import { exchangeDifference, refundableFor, type LineTotals } from '../orders/totals.ts';

export type ReturnStatus =
  'requested' | 'approved' | 'rejected' | 'received' | 'refunded' | 'closed' | 'cancelled';
export type ReturnAction = 'approve' | 'reject' | 'receive' | 'refund' | 'close' | 'cancel';

export const RETURN_STATUSES: readonly ReturnStatus[] = [
  'requested',
  'approved',
  'rejected',
  'received',
  'refunded',
  'closed',
  'cancelled',
];
export const RETURN_ACTIONS: readonly ReturnAction[] = [
  'approve',
  'reject',
  'receive',
  'refund',
  'close',
  'cancel',
];

/**
 * A return that is not rejected or cancelled holds its units: they cannot be asked for again in
 * another one.
 */
export const HOLDING_STATUSES: readonly ReturnStatus[] = [
  'requested',
  'approved',
  'received',
  'refunded',
  'closed',
];

export const RETURN_REASONS = ['wrong_size', 'damaged', 'not_as_described', 'changed_mind', 'other'] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

/** The reasons as the shopper and the admin read them. */
export const REASON_WORDS: Record<ReturnReason, string> = {
  wrong_size: 'Wrong size',
  damaged: 'Arrived damaged',
  not_as_described: 'Not as described',
  changed_mind: 'Changed my mind',
  other: 'Other',
};

interface Transition {
  from: readonly ReturnStatus[];
  to: ReturnStatus;
  /** why the action is refused in each status it does not start from */
  refusal: Partial<Record<ReturnStatus, string>>;
}

const FINISHED: Transition['refusal'] = {
  rejected: 'The return was rejected.',
  refunded: 'The return was refunded.',
  closed: 'The return is closed.',
  cancelled: 'The return was cancelled.',
};

/**
 * The whole state machine of a return: requested → approved|rejected, approved → received →
 * refunded|closed, and requested|approved → cancelled while the items have not come back.
 */
export const RETURN_TRANSITIONS: Record<ReturnAction, Transition> = {
  approve: {
    from: ['requested'],
    to: 'approved',
    refusal: {
      ...FINISHED,
      approved: 'The return is already approved.',
      received: 'The return was already received.',
    },
  },
  reject: {
    from: ['requested'],
    to: 'rejected',
    refusal: {
      ...FINISHED,
      rejected: 'The return is already rejected.',
      approved: 'The return was approved: receive the items, or refund them, instead.',
      received: 'The items were already received.',
    },
  },
  receive: {
    from: ['approved'],
    to: 'received',
    refusal: {
      ...FINISHED,
      requested: 'The return has to be approved before its items are received.',
      received: 'The items of this return were already received.',
    },
  },
  refund: {
    from: ['received'],
    to: 'refunded',
    refusal: {
      ...FINISHED,
      requested: 'The return has not been approved yet.',
      approved: 'The items have not been received yet.',
      refunded: 'The return was already refunded.',
    },
  },
  close: {
    from: ['received'],
    to: 'closed',
    refusal: {
      ...FINISHED,
      requested: 'The return has not been approved yet.',
      approved: 'The items have not been received yet.',
    },
  },
  cancel: {
    from: ['requested', 'approved'],
    to: 'cancelled',
    refusal: {
      ...FINISHED,
      cancelled: 'The return is already cancelled.',
      received: 'The items were already received: refund them instead.',
    },
  },
};

/** What a return's decision needs to know besides its status and what it would refund. */
export interface ReturnCircumstances {
  /** an exchange whose replacement has left: the shopper has it, so it can no longer be cancelled */
  replacementShipped?: boolean | undefined;
  /** a cancellation was started and its refund may still be made: nothing else may happen meanwhile */
  cancelling?: boolean | undefined;
}

export type ReturnDecision =
  | { allowed: true; to: ReturnStatus }
  | {
      allowed: false;
      code: 'invalid_return_transition' | 'nothing_to_refund' | 'refund_due' | 'replacement_shipped';
      reason: string;
    };

/**
 * Whether `action` may be taken on a return in `status`. `refundable` (minor units, when known)
 * guards the two ends: a refund needs something to give back, and a return is closed without one
 * only when there is nothing to give back. An exchange whose replacement has shipped cannot be
 * cancelled; while a cancellation waits for its refund, only the cancellation may go on.
 */
export function decideReturn(
  status: ReturnStatus,
  action: ReturnAction,
  refundable?: number,
  circumstances: ReturnCircumstances = {},
): ReturnDecision {
  const t = RETURN_TRANSITIONS[action];
  if (!t.from.includes(status)) {
    return {
      allowed: false,
      code: 'invalid_return_transition',
      reason: t.refusal[status] ?? `A ${status} return cannot be ${action}d.`,
    };
  }
  if (action === 'refund' && refundable === 0) {
    return {
      allowed: false,
      code: 'nothing_to_refund',
      reason: 'Nothing is left to refund for this return.',
    };
  }
  if (action === 'close' && refundable !== undefined && refundable > 0) {
    return { allowed: false, code: 'refund_due', reason: 'The return still has money to refund.' };
  }
  if (action !== 'cancel' && circumstances.cancelling) {
    return {
      allowed: false,
      code: 'invalid_return_transition',
      reason: 'The return is being cancelled: its refund is not through yet. Cancel it again to finish.',
    };
  }
  if (action === 'cancel' && circumstances.replacementShipped) {
    return {
      allowed: false,
      code: 'replacement_shipped',
      reason: 'The replacement has already shipped: receive the items when they come back.',
    };
  }
  return { allowed: true, to: t.to };
}

/** The actions of a return as the admin (and, for `cancel`, the shopper) sees them: allowed, or why not. */
export function returnActions(
  status: ReturnStatus,
  circumstances: ReturnCircumstances = {},
): Record<ReturnAction, { allowed: boolean; reason: string | null }> {
  const result = {} as Record<ReturnAction, { allowed: boolean; reason: string | null }>;
  for (const action of RETURN_ACTIONS) {
    const d = decideReturn(status, action, undefined, circumstances);
    result[action] = d.allowed ? { allowed: true, reason: null } : { allowed: false, reason: d.reason };
  }
  return result;
}

// ------------------------------------------------------------------------------- what can be returned

/** An order line as a return sees it: what was ordered and delivered of it, and when. */
export interface DeliveredLine {
  lineId: string;
  variantId: string;
  quantity: number;
  delivered: number;
  /** when the last of its delivered units arrived; null while none has */
  deliveredAt: Date | null;
}

export interface RequestedReturnLine {
  lineId: string;
  quantity: number;
  /** an exchange: the variant that replaces these units */
  replacementVariantId?: string | undefined;
}

/** What the shopper may still return of each delivered line, and until when. */
export function returnableLines(
  lines: readonly DeliveredLine[],
  held: ReadonlyMap<string, number>,
  windowDays: number,
  now: Date,
): Array<{ lineId: string; returnable: number; until: Date }> {
  return lines.flatMap((line) => {
    if (!line.deliveredAt) return [];
    const until = new Date(line.deliveredAt.getTime() + windowDays * 86_400_000);
    const returnable = line.delivered - (held.get(line.lineId) ?? 0);
    return returnable > 0 && until.getTime() >= now.getTime()
      ? [{ lineId: line.lineId, returnable, until }]
      : [];
  });
}

export type ReturnProblem =
  | { code: 'unknown_line'; lineIds: string[] }
  | { code: 'not_delivered'; lines: Array<{ lineId: string; requested: number; returnable: number }> }
  | { code: 'return_window_closed'; lineIds: string[]; windowDays: number }
  | { code: 'duplicate_line'; lineIds: string[] }
  | { code: 'invalid_replacement'; lineIds: string[] };

/**
 * The units of each line a shopper may still ask to return: delivered, within the window since
 * that line's delivery, and not held by another return (`held`: units per line in returns that are
 * not rejected). Returns the problems with `requested`, or none.
 */
export function checkReturnable(
  requested: readonly RequestedReturnLine[],
  lines: readonly DeliveredLine[],
  held: ReadonlyMap<string, number>,
  windowDays: number,
  now: Date,
): ReturnProblem | null {
  const byId = new Map(lines.map((l) => [l.lineId, l]));
  const seen = new Set<string>();
  const duplicates = requested.filter((r) => (seen.has(r.lineId) ? true : (seen.add(r.lineId), false)));
  if (duplicates.length > 0)
    return { code: 'duplicate_line', lineIds: [...new Set(duplicates.map((r) => r.lineId))] };
  const unknown = requested.filter((r) => !byId.has(r.lineId)).map((r) => r.lineId);
  if (unknown.length > 0) return { code: 'unknown_line', lineIds: unknown };
  const short = requested.flatMap((r) => {
    const line = byId.get(r.lineId) as DeliveredLine;
    const returnable = Math.max(0, line.delivered - (held.get(r.lineId) ?? 0));
    return r.quantity > returnable ? [{ lineId: r.lineId, requested: r.quantity, returnable }] : [];
  });
  if (short.length > 0) return { code: 'not_delivered', lines: short };
  const windowMs = windowDays * 86_400_000;
  const late = requested
    .filter((r) => {
      const at = byId.get(r.lineId)?.deliveredAt;
      return !at || now.getTime() - at.getTime() > windowMs;
    })
    .map((r) => r.lineId);
  if (late.length > 0) return { code: 'return_window_closed', lineIds: late, windowDays };
  return null;
}

// ------------------------------------------------------------------------------- what a return refunds

/** A line of the order with its totals as placed, and how many of its units were refunded by returns. */
export interface RefundableLine {
  lineId: string;
  totals: LineTotals;
  /** units of this line refunded by earlier returns */
  refundedQuantity: number;
}

/** A returned line as its refund sees it; `difference` is set when its units were exchanged. */
export interface ReturnedUnits {
  lineId: string;
  quantity: number;
  /** an exchanged line's signed price difference (positive: the shopper paid more); absent: refunded */
  difference?: number | null | undefined;
}

export interface ReturnRefund {
  /** per returned line, minor units; an exchanged line's units pay for their replacement: 0 */
  lines: Array<{ lineId: string; quantity: number; amount: number }>;
  /** the order's shipping, when the policy refunds it and no earlier return did */
  shipping: number;
  /** what cheaper replacements give back: minus the exchanged lines' summed difference, when below 0 */
  exchange: number;
  /** Σ lines + shipping + exchange, capped at what is left of the order's payments */
  total: number;
}

/**
 * What a return gives back: for each refunded line `refundableFor` (its exact share of the line's
 * total, tax and discount included, so returning every unit in any number of returns gives back
 * the line's total to the unit), the shipping once per order when the policy says so, what
 * cheaper replacements leave over, and never more than is left of what was paid. Exchanged units
 * are not refunded: their value buys the replacement.
 */
export function returnRefund(
  returned: readonly ReturnedUnits[],
  lines: readonly RefundableLine[],
  shipping: { total: number; refundShipping: boolean; alreadyRefunded: boolean },
  leftToRefund: number,
): ReturnRefund {
  const byId = new Map(lines.map((l) => [l.lineId, l]));
  const parts = returned.map((r) => {
    const line = byId.get(r.lineId);
    if (!line) throw new RangeError(`No line ${r.lineId} on the order.`);
    return {
      lineId: r.lineId,
      quantity: r.quantity,
      amount:
        (r.difference ?? null) === null ? refundableFor(line.totals, r.quantity, line.refundedQuantity) : 0,
    };
  });
  const shippingPart = shipping.refundShipping && !shipping.alreadyRefunded ? shipping.total : 0;
  const exchange = Math.max(0, -exchangeBalance(returned));
  const sum = parts.reduce((s, p) => s + p.amount, 0) + shippingPart + exchange;
  return {
    lines: parts,
    shipping: shippingPart,
    exchange,
    total: Math.max(0, Math.min(sum, leftToRefund)),
  };
}

/**
 * The exchanged lines' differences, netted: above 0 the shopper pays it when asking for the
 * exchange; below 0 the return's refund gives it back; 0 (a swap of sizes at one price) is free.
 */
export function exchangeBalance(returned: readonly { difference?: number | null | undefined }[]): number {
  return returned.reduce((sum, r) => sum + (r.difference ?? 0), 0);
}

/** A variant a line's units may be exchanged for: another of the same product, on sale. */
export interface ExchangeOption {
  variantId: string;
  name: string;
  title: string;
  sku: string;
  unitPriceMinor: number;
  /** units a shopper could buy now */
  available: number;
}

/**
 * The price difference of each requested replacement (`exchangeDifference`, at the order's tax
 * treatment), or the lines whose replacement is not one of their options.
 */
export function priceReplacements(
  requested: readonly RequestedReturnLine[],
  lines: ReadonlyMap<string, { totals: LineTotals; options: readonly ExchangeOption[] }>,
  pricesIncludeTax: boolean,
):
  | {
      ok: true;
      lines: Array<RequestedReturnLine & { replacement: ExchangeOption | null; difference: number | null }>;
    }
  | { ok: false; problem: ReturnProblem } {
  const invalid: string[] = [];
  const priced = requested.map((r) => {
    if (r.replacementVariantId === undefined) return { ...r, replacement: null, difference: null };
    const line = lines.get(r.lineId);
    const option = line?.options.find((o) => o.variantId === r.replacementVariantId);
    if (!line || !option) {
      invalid.push(r.lineId);
      return { ...r, replacement: null, difference: null };
    }
    return {
      ...r,
      replacement: option,
      difference: exchangeDifference(line.totals, r.quantity, option.unitPriceMinor, pricesIncludeTax),
    };
  });
  if (invalid.length > 0) return { ok: false, problem: { code: 'invalid_replacement', lineIds: invalid } };
  return { ok: true, lines: priced };
}
