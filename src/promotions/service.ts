import { recordAudit } from '../platform/audit.ts';
import type { Db } from '../platform/db.ts';
import { AppError, badRequest, conflict, notFound, unprocessable } from '../platform/errors.ts';
import { fromMinor } from '../platform/money.ts';
import { decodeCursor, toPage, type Page } from '../platform/pagination.ts';
import {
  CODE_PATTERN,
  countedOnRow,
  definitionProblem,
  describe,
  eligibility,
  normalizeCode,
  problemMessage,
  type DiscountCode,
  type DiscountDefinition,
  type DiscountRule,
  type Eligibility,
} from './model.ts';
import * as store from './store.ts';

/** What a code gives, for the cart to show. */
export interface CheckedDiscount {
  codeId: string;
  code: string;
  rule: DiscountRule;
  /** "10% off orders of $20.00 or more" */
  description: string;
}

/** A code redeemed by an order, inside the order's transaction. */
export interface RedeemedDiscount {
  codeId: string;
  code: string;
  rule: DiscountRule;
}

export interface NewDiscountCode extends DiscountDefinition {
  code: string;
  currency?: string | undefined;
  active: boolean;
}

/** An admin's change; a value only for the code's own kind (basis points for a percentage code). */
export interface DiscountCodeChanges {
  basisPoints?: number | undefined;
  amountMinor?: number | undefined;
  minimumSubtotalMinor?: number | null | undefined;
  startsAt?: Date | null | undefined;
  endsAt?: Date | null | undefined;
  usageLimit?: number | null | undefined;
  perCustomerLimit?: number | null | undefined;
  active?: boolean | undefined;
}

export class PromotionService {
  readonly #db: Db;
  readonly #currency: string;

  constructor(db: Db, currency: string) {
    this.#db = db;
    this.#currency = currency;
  }

  get currency(): string {
    return this.#currency;
  }

  /**
   * Whether a code applies to a cart, without taking a use: the cart shows the rule and its
   * description, or the 422 `discount_code_invalid` with `details.reason`. A shopper who is not
   * signed in has no uses yet; their per-customer limit is checked again when the order redeems.
   */
  async check(
    code: string,
    context: { customerId: string | null; subtotalMinor: number; now?: Date | undefined },
  ): Promise<CheckedDiscount> {
    const found = await this.#find(this.#db, code);
    if (!found) throw this.#refusal({ ok: false, problem: 'unknown_code' }, code);
    const customerUses =
      found.perCustomerLimit !== null && context.customerId !== null
        ? await store.customerUses(this.#db, found.id, context.customerId)
        : 0;
    const verdict = eligibility(found, {
      subtotalMinor: context.subtotalMinor,
      now: context.now ?? new Date(),
      customerUses,
    });
    if (!verdict.ok) throw this.#refusal(verdict, code);
    return { codeId: found.id, code: found.code, rule: verdict.rule, description: describe(found) };
  }

  /**
   * Takes one use of a code for an order, inside the order's transaction (`trx`), so the use
   * exists exactly when the order does. A code with a limit counts its uses on its row: the use
   * is taken by one conditional UPDATE that locks the row, and the customer's uses are counted
   * under that lock, so the total and per-customer limits hold under any concurrency. A code with
   * no limit counts in counter rows instead, and its redeemers do not queue (ADR 0037). Throws the
   * 422 `discount_code_invalid` when the code does not apply, having changed nothing; `409
   * discount_already_redeemed` when the order already has a code. Lock rank `discount`: after
   * the order's stock, before its payment.
   */
  async redeem(
    trx: Db,
    input: {
      code: string;
      customerId: string;
      orderId: string;
      subtotalMinor: number;
      now?: Date | undefined;
    },
  ): Promise<RedeemedDiscount> {
    const now = input.now ?? new Date();
    const normalized = normalizeCode(input.code);
    const found = CODE_PATTERN.test(normalized) ? await store.shareByCode(trx, normalized) : undefined;
    if (!found) throw this.#refusal({ ok: false, problem: 'unknown_code' }, input.code);
    // a code that does not apply now (expired, a subtotal too small) is refused before queueing on its row
    const early = eligibility(found, { subtotalMinor: input.subtotalMinor, now, customerUses: 0 });
    if (!early.ok) throw this.#refusal(early, input.code);
    const redemption = { codeId: found.id, orderId: input.orderId, customerId: input.customerId };
    if (!countedOnRow(found)) {
      if (!(await store.countUse(trx, redemption))) throw alreadyRedeemed(input.orderId);
      return { codeId: found.id, code: found.code, rule: early.rule };
    }

    const taken = await store.takeUse(trx, found.id);
    if (!taken) throw this.#refusal({ ok: false, problem: 'usage_limit_reached' }, input.code);
    const customerUses =
      taken.perCustomerLimit === null ? 0 : await store.customerUses(trx, taken.id, input.customerId);
    // the row as the lock holds it, before this use, with the customer's uses counted under it
    const verdict = eligibility(
      { ...taken, timesUsed: taken.timesUsed - 1 },
      { subtotalMinor: input.subtotalMinor, now, customerUses },
    );
    if (!verdict.ok) {
      await store.returnUse(trx, taken.id);
      throw this.#refusal(verdict, input.code);
    }
    if (!(await store.insertRedemption(trx, redemption))) {
      await store.returnUse(trx, taken.id);
      throw alreadyRedeemed(input.orderId);
    }
    return { codeId: taken.id, code: taken.code, rule: verdict.rule };
  }

  /**
   * Gives an order's use of its code back (the order was cancelled before it shipped), inside
   * the caller's transaction. Idempotent: true the first time, false when there was nothing
   * left to give back.
   */
  async release(trx: Db, orderId: string): Promise<boolean> {
    return (await store.releaseForOrder(trx, orderId)) !== null;
  }

  async list(query: { limit: number; cursor?: string | undefined }): Promise<Page<DiscountCode>> {
    const after = decodeCursor(query.cursor, ['string']) as [string] | null;
    const codes = await store.list(this.#db, { limit: query.limit + 1, after: after ? after[0] : null });
    return toPage(
      codes,
      query.limit,
      (c) => c,
      (c) => [c.code],
    );
  }

  async get(id: string): Promise<DiscountCode> {
    const code = await store.findById(this.#db, id);
    if (!code) throw notFound('Discount code', id);
    return code;
  }

  async create(input: NewDiscountCode, actorId: string | null): Promise<DiscountCode> {
    const code = normalizeCode(input.code);
    if (!CODE_PATTERN.test(code)) {
      throw badRequest(
        'invalid_discount_code',
        'A code is 3 to 32 letters, digits, "-" or "_", starting with a letter or digit.',
        { field: 'code' },
      );
    }
    const currency = input.currency ?? this.#currency;
    if (currency !== this.#currency) {
      throw badRequest('unsupported_currency', `This shop sells in ${this.#currency}.`, { currency });
    }
    this.#checkDefinition(input);
    return this.#db.transaction().execute(async (trx) => {
      const created = await store.insert(trx, code, currency, input, input.active);
      if (!created) throw conflict('discount_code_taken', `The code ${code} already exists.`, { code });
      await recordAudit(trx, {
        actorId,
        action: 'discount_code.create',
        targetType: 'discount_code',
        targetId: created.id,
        details: { code, kind: created.rule.kind },
      });
      return created;
    });
  }

  async update(id: string, changes: DiscountCodeChanges, actorId: string | null): Promise<DiscountCode> {
    return this.#db.transaction().execute(async (trx) => {
      const before = await store.lockById(trx, id);
      if (!before) throw notFound('Discount code', id);
      const definition: DiscountDefinition = {
        rule: changedRule(before.rule, changes),
        minimumSubtotalMinor:
          changes.minimumSubtotalMinor === undefined
            ? before.minimumSubtotalMinor
            : changes.minimumSubtotalMinor,
        startsAt: changes.startsAt === undefined ? before.startsAt : changes.startsAt,
        endsAt: changes.endsAt === undefined ? before.endsAt : changes.endsAt,
        usageLimit: changes.usageLimit === undefined ? before.usageLimit : changes.usageLimit,
        perCustomerLimit:
          changes.perCustomerLimit === undefined ? before.perCustomerLimit : changes.perCustomerLimit,
      };
      this.#checkDefinition(definition);
      // the row is locked, so no order can redeem the code or give a use back before the update
      if (definition.usageLimit !== null && definition.usageLimit < before.timesUsed) {
        throw conflict(
          'usage_limit_below_uses',
          `The code has already been used ${before.timesUsed} times; its limit cannot be lower.`,
          { timesUsed: before.timesUsed },
        );
      }
      const after = await store.update(trx, id, definition, changes.active ?? before.active);
      const changed = Object.entries(changes)
        .filter(([, value]) => value !== undefined)
        .map(([key]) => key);
      if (changed.length > 0) {
        await recordAudit(trx, {
          actorId,
          action: 'discount_code.update',
          targetType: 'discount_code',
          targetId: id,
          details: { code: after.code, changed },
        });
      }
      return after;
    });
  }

  /** Unknown for a string that cannot be a code, without asking the database. */
  async #find(db: Db, code: string): Promise<DiscountCode | undefined> {
    const normalized = normalizeCode(code);
    return CODE_PATTERN.test(normalized) ? store.findByCode(db, normalized) : undefined;
  }

  #refusal(verdict: Exclude<Eligibility, { ok: true }>, code: string): AppError {
    return unprocessable('discount_code_invalid', problemMessage(verdict, this.#currency), {
      reason: verdict.problem,
      code: normalizeCode(code).slice(0, 32),
      ...(verdict.problem === 'minimum_not_met' && {
        minimumSubtotal: fromMinor(verdict.minimumMinor, this.#currency),
        currency: this.#currency,
      }),
    });
  }

  #checkDefinition(definition: DiscountDefinition): void {
    const problem = definitionProblem(definition);
    if (!problem) return;
    const messages: Record<typeof problem.problem, string> = {
      percentage_out_of_range: 'A percentage is more than 0 and at most 100, in steps of 0.01.',
      amount_out_of_range: 'A fixed discount is more than nothing.',
      ends_before_start: 'A code must end after it starts.',
      limit_out_of_range: 'A usage limit is a whole number of uses, at least 1.',
    };
    throw badRequest(problem.problem, messages[problem.problem], { field: problem.field });
  }
}

function alreadyRedeemed(orderId: string): AppError {
  return conflict('discount_already_redeemed', 'This order already has a discount code.', { orderId });
}

/** A code keeps its kind (what shoppers were told it gives); only its value may change. */
function changedRule(rule: DiscountRule, changes: DiscountCodeChanges): DiscountRule {
  if (changes.basisPoints !== undefined && rule.kind !== 'percentage') {
    throw valueNotForKind('percentage', rule.kind);
  }
  if (changes.amountMinor !== undefined && rule.kind !== 'fixed') throw valueNotForKind('amount', rule.kind);
  if (rule.kind === 'percentage' && changes.basisPoints !== undefined) {
    return { kind: 'percentage', basisPoints: changes.basisPoints };
  }
  if (rule.kind === 'fixed' && changes.amountMinor !== undefined) {
    return { kind: 'fixed', amountMinor: changes.amountMinor };
  }
  return rule;
}

export function valueNotForKind(field: 'percentage' | 'amount', kind: DiscountRule['kind']): AppError {
  return badRequest('value_not_for_kind', `A ${kind.replace('_', ' ')} code has no ${field}.`, {
    field,
    kind,
  });
}
