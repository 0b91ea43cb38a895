import { formatMoney } from '../platform/money.ts';

/**
 * What a code takes off, handed to the pure totals function of the order (which applies it).
 * Percentages are in basis points (1000 = 10 %), fixed amounts in minor units.
 */
export type DiscountRule =
  | { kind: 'percentage'; basisPoints: number }
  | { kind: 'fixed'; amountMinor: number }
  | { kind: 'free_shipping' };

export type DiscountKind = DiscountRule['kind'];

/** A discount code as the promotions context keeps it; money in minor units. */
export interface DiscountCode {
  id: string;
  /** upper case; shoppers may type it in any case */
  code: string;
  rule: DiscountRule;
  currency: string;
  /** the least subtotal the code applies to; null for none */
  minimumSubtotalMinor: number | null;
  /** the first instant the code works; null for "already" */
  startsAt: Date | null;
  /** the first instant it no longer works; null for "never" */
  endsAt: Date | null;
  usageLimit: number | null;
  perCustomerLimit: number | null;
  timesUsed: number;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Whether a code's uses are counted on its own row, under its lock: it has a limit to hold. A
 * code with none counts in counter rows, without a queue (ADR 0037).
 */
export function countedOnRow(code: Pick<DiscountCode, 'usageLimit' | 'perCustomerLimit'>): boolean {
  return code.usageLimit !== null || code.perCustomerLimit !== null;
}

export type Problem =
  | 'unknown_code'
  | 'inactive'
  | 'not_started'
  | 'expired'
  | 'minimum_not_met'
  | 'usage_limit_reached'
  | 'customer_limit_reached';

export type Eligibility =
  | { ok: true; rule: DiscountRule }
  | { ok: false; problem: Exclude<Problem, 'minimum_not_met'> }
  | { ok: false; problem: 'minimum_not_met'; minimumMinor: number };

/** Codes are matched case-insensitively: stored, and looked up, in upper case. */
export function normalizeCode(code: string): string {
  return code.trim().toUpperCase();
}

export const CODE_PATTERN = /^[A-Z0-9][A-Z0-9_-]{2,31}$/;

/**
 * Whether a code applies to a subtotal at an instant for a customer who has used it
 * `customerUses` times. The checks run from what the shop decided (switched off, not yet, no
 * longer) to what the shopper can change (the subtotal) to what is used up, so the reason given
 * is the one that matters first. `startsAt` is inclusive and `endsAt` exclusive, so back-to-back
 * periods never overlap.
 */
export function eligibility(
  code: DiscountCode | null | undefined,
  context: { subtotalMinor: number; now: Date; customerUses: number },
): Eligibility {
  if (!code) return { ok: false, problem: 'unknown_code' };
  if (!code.active) return { ok: false, problem: 'inactive' };
  const now = context.now.getTime();
  if (code.startsAt && now < code.startsAt.getTime()) return { ok: false, problem: 'not_started' };
  if (code.endsAt && now >= code.endsAt.getTime()) return { ok: false, problem: 'expired' };
  if (code.minimumSubtotalMinor !== null && context.subtotalMinor < code.minimumSubtotalMinor) {
    return { ok: false, problem: 'minimum_not_met', minimumMinor: code.minimumSubtotalMinor };
  }
  if (code.usageLimit !== null && code.timesUsed >= code.usageLimit) {
    return { ok: false, problem: 'usage_limit_reached' };
  }
  if (code.perCustomerLimit !== null && context.customerUses >= code.perCustomerLimit) {
    return { ok: false, problem: 'customer_limit_reached' };
  }
  return { ok: true, rule: code.rule };
}

/** A sentence for the shopper about why a code does not apply. */
export function problemMessage(refusal: Exclude<Eligibility, { ok: true }>, currency: string): string {
  switch (refusal.problem) {
    case 'unknown_code':
      return 'There is no such discount code.';
    case 'inactive':
      return 'This discount code is no longer available.';
    case 'not_started':
      return 'This discount code cannot be used yet.';
    case 'expired':
      return 'This discount code has expired.';
    case 'minimum_not_met':
      return `This discount code needs a subtotal of at least ${formatMoney(refusal.minimumMinor, currency)}.`;
    case 'usage_limit_reached':
      return 'This discount code has been used up.';
    case 'customer_limit_reached':
      return 'You have already used this discount code as many times as it allows.';
  }
}

/** 1000 → "10%", 1250 → "12.5%". */
export function formatPercentage(basisPoints: number): string {
  return `${basisPoints / 100}%`;
}

/** What a code gives, for the cart: "10% off orders of $20.00 or more", "Free shipping". */
export function describe(code: Pick<DiscountCode, 'rule' | 'currency' | 'minimumSubtotalMinor'>): string {
  const rule = code.rule;
  const what =
    rule.kind === 'percentage'
      ? `${formatPercentage(rule.basisPoints)} off`
      : rule.kind === 'fixed'
        ? `${formatMoney(rule.amountMinor, code.currency)} off`
        : 'Free shipping';
  return code.minimumSubtotalMinor === null
    ? what
    : `${what}${rule.kind === 'free_shipping' ? ' on' : ''} orders of ${formatMoney(code.minimumSubtotalMinor, code.currency)} or more`;
}

/** The fields an admin sets; the rule's value and the limits are checked by `definitionProblem`. */
export interface DiscountDefinition {
  rule: DiscountRule;
  minimumSubtotalMinor: number | null;
  startsAt: Date | null;
  endsAt: Date | null;
  usageLimit: number | null;
  perCustomerLimit: number | null;
}

export type DefinitionProblem =
  | { problem: 'percentage_out_of_range'; field: 'percentage' }
  | { problem: 'amount_out_of_range'; field: 'amount' }
  | { problem: 'ends_before_start'; field: 'endsAt' }
  | { problem: 'limit_out_of_range'; field: 'usageLimit' | 'perCustomerLimit' };

const MAX_LIMIT = 1_000_000_000;

/**
 * The first thing wrong with a definition, or null. A percentage is more than 0 and at most
 * 100 % (whole basis points), a fixed amount more than nothing, the end after the start, and
 * each limit at least one use.
 */
export function definitionProblem(definition: DiscountDefinition): DefinitionProblem | null {
  const rule = definition.rule;
  if (
    rule.kind === 'percentage' &&
    !(Number.isInteger(rule.basisPoints) && rule.basisPoints >= 1 && rule.basisPoints <= 10_000)
  ) {
    return { problem: 'percentage_out_of_range', field: 'percentage' };
  }
  if (rule.kind === 'fixed' && !(Number.isSafeInteger(rule.amountMinor) && rule.amountMinor >= 1)) {
    return { problem: 'amount_out_of_range', field: 'amount' };
  }
  if (definition.startsAt && definition.endsAt && definition.endsAt <= definition.startsAt) {
    return { problem: 'ends_before_start', field: 'endsAt' };
  }
  for (const field of ['usageLimit', 'perCustomerLimit'] as const) {
    const limit = definition[field];
    if (limit !== null && !(Number.isInteger(limit) && limit >= 1 && limit <= MAX_LIMIT)) {
      return { problem: 'limit_out_of_range', field };
    }
  }
  return null;
}

/** 10 → 1000 basis points, 12.5 → 1250; null when the percentage has finer steps than 0.01. */
export function basisPointsOf(percentage: number): number | null {
  const basisPoints = Math.round(percentage * 100);
  return Number.isFinite(percentage) && Math.abs(basisPoints - percentage * 100) < 1e-6 ? basisPoints : null;
}
