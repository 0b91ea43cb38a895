import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { badRequest, ErrorBody } from '../platform/errors.ts';
import { requireUser } from '../platform/http.ts';
import { fromMinor } from '../platform/money.ts';
import { PageQuery } from '../platform/pagination.ts';
import { Amount, IdParams, minorUnits } from '../platform/schemas.ts';
import { basisPointsOf, describe, type DiscountCode, type DiscountKind, type DiscountRule } from './model.ts';
import { valueNotForKind, type PromotionService } from './service.ts';

const Kind = z.enum(['percentage', 'fixed', 'free_shipping']);
const Percentage = z.number().meta({ description: 'percent off the subtotal: 10 is 10 %, 12.5 is 12.5 %' });
const Instant = z.iso.datetime({ offset: true });
const Limit = z.number().int();

export const DiscountCodeSchema = z
  .object({
    id: z.uuid(),
    code: z.string().meta({ description: 'upper case; shoppers may type it in any case' }),
    kind: Kind,
    percentage: z.number().nullable().meta({ description: 'for a percentage code: 10 is 10 %' }),
    amount: z.number().nullable().meta({ description: 'for a fixed code: decimal amount in the currency' }),
    currency: z.string(),
    minimumSubtotal: z.number().nullable().meta({ description: 'the least subtotal it applies to' }),
    startsAt: Instant.nullable().meta({ description: 'works from this instant on (inclusive)' }),
    endsAt: Instant.nullable().meta({ description: 'stops working at this instant (exclusive)' }),
    usageLimit: z.number().int().nullable().meta({ description: 'uses in all; null for no limit' }),
    perCustomerLimit: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'uses per customer; null for no limit' }),
    timesUsed: z.number().int().meta({ description: 'uses by orders not cancelled before shipping' }),
    active: z.boolean(),
    description: z.string().meta({ description: 'what it gives, for people' }),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .meta({ id: 'DiscountCode' });

export function discountCodeJson(code: DiscountCode): z.infer<typeof DiscountCodeSchema> {
  const rule = code.rule;
  return {
    id: code.id,
    code: code.code,
    kind: rule.kind,
    percentage: rule.kind === 'percentage' ? rule.basisPoints / 100 : null,
    amount: rule.kind === 'fixed' ? fromMinor(rule.amountMinor, code.currency) : null,
    currency: code.currency,
    minimumSubtotal:
      code.minimumSubtotalMinor === null ? null : fromMinor(code.minimumSubtotalMinor, code.currency),
    startsAt: code.startsAt?.toISOString() ?? null,
    endsAt: code.endsAt?.toISOString() ?? null,
    usageLimit: code.usageLimit,
    perCustomerLimit: code.perCustomerLimit,
    timesUsed: code.timesUsed,
    active: code.active,
    description: describe(code),
    createdAt: code.createdAt.toISOString(),
    updatedAt: code.updatedAt.toISOString(),
  };
}

function basisPoints(percentage: number): number {
  const points = basisPointsOf(percentage);
  if (points === null) {
    throw badRequest(
      'percentage_out_of_range',
      'A percentage is more than 0 and at most 100, in steps of 0.01.',
      {
        field: 'percentage',
      },
    );
  }
  return points;
}

/** The rule a create request describes: the value of its kind, and no other. */
function ruleOf(
  kind: DiscountKind,
  percentage: number | undefined,
  amount: number | undefined,
  currency: string,
): DiscountRule {
  if (kind !== 'percentage' && percentage !== undefined) throw valueNotForKind('percentage', kind);
  if (kind !== 'fixed' && amount !== undefined) throw valueNotForKind('amount', kind);
  if (kind === 'percentage') {
    if (percentage === undefined) throw missingValue('percentage', kind);
    return { kind, basisPoints: basisPoints(percentage) };
  }
  if (kind === 'fixed') {
    if (amount === undefined) throw missingValue('amount', kind);
    return { kind, amountMinor: minorUnits(amount, currency, 'body.amount') };
  }
  return { kind };
}

const missingValue = (field: 'percentage' | 'amount', kind: DiscountKind) =>
  badRequest(
    'discount_value_missing',
    `A ${kind} code needs ${field === 'amount' ? 'an amount' : 'a percentage'}.`,
    {
      field,
    },
  );

const optionalMinor = (amount: number | null | undefined, currency: string, field: string) =>
  amount === undefined
    ? undefined
    : amount === null || amount === 0
      ? null
      : minorUnits(amount, currency, field);
const optionalDate = (value: string | null | undefined) =>
  value === undefined ? undefined : value === null ? null : new Date(value);

const adminErrors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };

export const promotionRoutes =
  (promotions: PromotionService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/admin/discount-codes',
      {
        config: { auth: 'admin', permission: 'settings' },
        schema: {
          operationId: 'listDiscountCodes',
          tags: ['Promotions'],
          summary: 'Discount codes in alphabetical order, with how often each was used (admin)',
          querystring: z.object({ ...PageQuery }),
          response: {
            200: z.object({ items: z.array(DiscountCodeSchema), nextCursor: z.string().nullable() }),
            ...adminErrors,
          },
        },
      },
      async (request) => {
        const page = await promotions.list(request.query);
        return { items: page.items.map(discountCodeJson), nextCursor: page.nextCursor };
      },
    );

    app.post(
      '/admin/discount-codes',
      {
        config: { auth: 'admin', permission: 'settings' },
        schema: {
          operationId: 'createDiscountCode',
          tags: ['Promotions'],
          summary: 'Create a discount code: a percentage, a fixed amount or free shipping (admin)',
          body: z.strictObject({
            code: z
              .string()
              .trim()
              .min(1)
              .max(100)
              .meta({ description: '3 to 32 letters, digits, "-" or "_"' }),
            kind: Kind,
            percentage: Percentage.optional(),
            amount: Amount.optional().meta({ description: 'for a fixed code: decimal amount off' }),
            currency: z
              .string()
              .regex(/^[A-Z]{3}$/)
              .optional(),
            minimumSubtotal: Amount.nullable().default(null).meta({ description: 'null or 0 for none' }),
            startsAt: Instant.nullable().default(null),
            endsAt: Instant.nullable().default(null),
            usageLimit: Limit.nullable().default(null),
            perCustomerLimit: Limit.nullable().default(null),
            active: z.boolean().default(true),
          }),
          response: { 201: DiscountCodeSchema, ...adminErrors, 409: ErrorBody },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const currency = body.currency ?? promotions.currency;
        const created = await promotions.create(
          {
            code: body.code,
            currency: body.currency,
            rule: ruleOf(body.kind, body.percentage, body.amount, currency),
            minimumSubtotalMinor:
              optionalMinor(body.minimumSubtotal, currency, 'body.minimumSubtotal') ?? null,
            startsAt: optionalDate(body.startsAt) ?? null,
            endsAt: optionalDate(body.endsAt) ?? null,
            usageLimit: body.usageLimit,
            perCustomerLimit: body.perCustomerLimit,
            active: body.active,
          },
          requireUser(request).id,
        );
        return reply.code(201).send(discountCodeJson(created));
      },
    );

    app.get(
      '/admin/discount-codes/:id',
      {
        config: { auth: 'admin', permission: 'settings' },
        schema: {
          operationId: 'getDiscountCode',
          tags: ['Promotions'],
          summary: 'One discount code, with how often it was used (admin)',
          params: IdParams,
          response: { 200: DiscountCodeSchema, ...adminErrors, 404: ErrorBody },
        },
      },
      async (request) => discountCodeJson(await promotions.get(request.params.id)),
    );

    app.patch(
      '/admin/discount-codes/:id',
      {
        config: { auth: 'admin', permission: 'settings' },
        schema: {
          operationId: 'updateDiscountCode',
          tags: ['Promotions'],
          summary: 'Change a discount code, or deactivate it with `active: false` (admin)',
          description:
            'The code and its kind stay as they are; a percentage code takes `percentage`, a fixed one ' +
            '`amount`. `null` removes a minimum, a date or a limit.',
          params: IdParams,
          body: z.strictObject({
            percentage: Percentage.optional(),
            amount: Amount.optional(),
            minimumSubtotal: Amount.nullable().optional(),
            startsAt: Instant.nullable().optional(),
            endsAt: Instant.nullable().optional(),
            usageLimit: Limit.nullable().optional(),
            perCustomerLimit: Limit.nullable().optional(),
            active: z.boolean().optional(),
          }),
          response: { 200: DiscountCodeSchema, ...adminErrors, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (request) => {
        const body = request.body;
        const currency = promotions.currency;
        const updated = await promotions.update(
          request.params.id,
          {
            basisPoints: body.percentage === undefined ? undefined : basisPoints(body.percentage),
            amountMinor:
              body.amount === undefined ? undefined : minorUnits(body.amount, currency, 'body.amount'),
            minimumSubtotalMinor: optionalMinor(body.minimumSubtotal, currency, 'body.minimumSubtotal'),
            startsAt: optionalDate(body.startsAt),
            endsAt: optionalDate(body.endsAt),
            usageLimit: body.usageLimit,
            perCustomerLimit: body.perCustomerLimit,
            active: body.active,
          },
          requireUser(request).id,
        );
        return discountCodeJson(updated);
      },
    );
  };
