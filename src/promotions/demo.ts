import { AppError } from '../platform/errors.ts';
import { currencyDecimals } from '../platform/money.ts';
import type { NewDiscountCode, PromotionService } from './service.ts';

/**
 * The codes `npm start` opens with: WELCOME10 (10 % off a first order of 20 or more, once per
 * customer) and FREESHIP (free shipping from 50), in the shop's currency. Safe to run at every
 * start and from two instances at once: a code that exists is left as it is.
 */
export async function seedDemoPromotions(promotions: PromotionService): Promise<number> {
  const major = 10 ** currencyDecimals(promotions.currency);
  const codes: NewDiscountCode[] = [
    {
      code: 'WELCOME10',
      rule: { kind: 'percentage', basisPoints: 1000 },
      minimumSubtotalMinor: 20 * major,
      startsAt: null,
      endsAt: null,
      usageLimit: null,
      perCustomerLimit: 1,
      active: true,
    },
    {
      code: 'FREESHIP',
      rule: { kind: 'free_shipping' },
      minimumSubtotalMinor: 50 * major,
      startsAt: null,
      endsAt: null,
      usageLimit: null,
      perCustomerLimit: null,
      active: true,
    },
  ];
  let created = 0;
  for (const code of codes) {
    try {
      await promotions.create(code, null);
      created++;
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'discount_code_taken')) throw error;
    }
  }
  return created;
}
