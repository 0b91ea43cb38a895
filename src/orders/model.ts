/**
 * The Order aggregate's pure rules: its state machine, pricing of lines and the cart's warnings.
 * No I/O here; every status change in Orderly is decided by `decide`. Over 400 lines because a
 * newcomer should find every rule of an order in this one file (the state machine, pricing, how a
 * change is planned, the address rules), each a plain function with its unit tests beside it.
 */
import type { StaffRole } from '../platform/auth/permissions.ts';

export const ORDER_STATUSES = [
  'draft',
  'pending',
  'confirmed',
  'partially_shipped',
  'shipped',
  'partially_delivered',
  'delivered',
  'cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type Actor = 'customer' | 'admin' | 'system';
export type OrderAction =
  | 'confirm'
  | 'modify'
  | 'cancel'
  | 'ship'
  | 'deliver'
  | 'refund'
  | 'editDraft'
  | 'deleteDraft'
  | 'recordOfflinePayment'
  | 'sendPaymentLink'
  | 'resettle';

/** The actions a person takes; `resettle` is taken by the code that adds lines to a shipped order. */
export type PersonAction = Exclude<OrderAction, 'resettle'>;
export const ORDER_ACTIONS: readonly PersonAction[] = [
  'confirm',
  'modify',
  'cancel',
  'ship',
  'deliver',
  'refund',
  'editDraft',
  'deleteDraft',
  'recordOfflinePayment',
  'sendPaymentLink',
];

/** The statuses in which some of the order has left the warehouse: it can no longer be cancelled. */
export const FULFILMENT_STATUSES: readonly OrderStatus[] = [
  'partially_shipped',
  'shipped',
  'partially_delivered',
  'delivered',
];

interface Transition {
  from: readonly OrderStatus[];
  /**
   * the status after the action; null when the action leaves the status as it is; 'quantities'
   * when it follows from what is shipped and delivered (`facts.statusByQuantities`), which must
   * then be one of `targets` of the status it starts from
   */
  to: OrderStatus | null | 'quantities';
  targets?: Partial<Record<OrderStatus, readonly OrderStatus[]>>;
  actors: readonly Actor[];
  /**
   * The statuses the system takes the action from, when fewer than `from`: the system acts on a
   * payment's result only, so it confirms a pending order that was paid and cancels a pending
   * one whose payment failed, never a confirmed one.
   */
  systemFrom?: readonly OrderStatus[];
  /** why the action is refused in a status it does not start from */
  refusal: Partial<Record<OrderStatus, string>>;
}

const NOT_A_DRAFT: Transition['refusal'] = {
  pending: 'The order has left draft: it is waiting for its payment.',
  confirmed: 'The order has left draft: it is confirmed.',
  partially_shipped: 'The order has left draft: part of it has shipped.',
  shipped: 'The order has left draft: it has shipped.',
  partially_delivered: 'The order has left draft: part of it was delivered.',
  delivered: 'The order has left draft: it was delivered.',
  cancelled: 'The order has left draft: it is cancelled.',
};

/** The whole state machine: what each action needs, where it leads, and who may take it. */
export const TRANSITIONS: Record<OrderAction, Transition> = {
  confirm: {
    from: ['pending'],
    to: 'confirmed',
    actors: ['admin', 'system'],
    systemFrom: ['pending'],
    refusal: {
      draft: 'A draft is finished by recording its payment or sending a payment link.',
      confirmed: 'The order is already confirmed.',
      cancelled: 'A cancelled order cannot be confirmed.',
    },
  },
  modify: {
    from: ['confirmed'],
    to: null,
    actors: ['customer', 'admin'],
    refusal: {
      draft: 'A draft is still being prepared; edit the draft instead.',
      pending: 'The payment is still being completed.',
      partially_shipped: 'Part of the order has shipped, so it can no longer be changed.',
      shipped: 'The order has shipped and can no longer be changed.',
      partially_delivered: 'Part of the order was delivered, so it can no longer be changed.',
      delivered: 'The order was delivered and can no longer be changed.',
      cancelled: 'The order is cancelled.',
    },
  },
  cancel: {
    from: ['pending', 'confirmed'],
    to: 'cancelled',
    actors: ['customer', 'admin', 'system'],
    systemFrom: ['pending'],
    refusal: {
      draft: 'A draft is deleted, not cancelled.',
      partially_shipped: 'Part of the order has shipped; it can be returned and refunded instead.',
      shipped: 'The order has shipped; it can be returned and refunded instead.',
      partially_delivered: 'Part of the order was delivered; it can be returned and refunded instead.',
      delivered: 'The order was delivered; it can be returned and refunded instead.',
      cancelled: 'The order is already cancelled.',
    },
  },
  // A shipment: the order is partially shipped until every unit has left, then shipped, or
  // partially delivered when an earlier parcel already arrived (an exchange's replacement).
  ship: {
    from: ['confirmed', 'partially_shipped'],
    to: 'quantities',
    targets: {
      confirmed: ['partially_shipped', 'shipped'],
      partially_shipped: ['partially_shipped', 'shipped', 'partially_delivered'],
    },
    actors: ['admin'],
    refusal: {
      draft: 'A draft is not paid yet.',
      pending: 'The order is not paid yet.',
      shipped: 'The order has already shipped.',
      partially_delivered: 'Everything on the order has already shipped.',
      delivered: 'The order was already delivered.',
      cancelled: 'A cancelled order cannot be shipped.',
    },
  },
  // A shipment arriving: delivered once every unit has arrived.
  deliver: {
    from: ['partially_shipped', 'shipped', 'partially_delivered'],
    to: 'quantities',
    targets: {
      partially_shipped: ['partially_shipped'],
      shipped: ['partially_delivered', 'delivered'],
      partially_delivered: ['partially_delivered', 'delivered'],
    },
    actors: ['admin'],
    refusal: {
      draft: 'A draft has not shipped.',
      pending: 'The order has not shipped yet.',
      confirmed: 'The order has not shipped yet.',
      delivered: 'The order was already delivered.',
      cancelled: 'A cancelled order cannot be delivered.',
    },
  },
  refund: {
    from: ['confirmed', 'partially_shipped', 'shipped', 'partially_delivered', 'delivered', 'cancelled'],
    to: null,
    actors: ['admin'],
    refusal: { draft: 'Nothing has been paid yet.', pending: 'Nothing has been paid yet.' },
  },
  // A draft (a phone order the admin is building) leaves draft one of two ways: paid offline,
  // straight to confirmed, or with a payment link, to pending like a placed order (ADR 0023).
  editDraft: {
    from: ['draft'],
    to: null,
    actors: ['admin'],
    refusal: NOT_A_DRAFT,
  },
  deleteDraft: {
    from: ['draft'],
    to: null,
    actors: ['admin'],
    refusal: NOT_A_DRAFT,
  },
  recordOfflinePayment: {
    from: ['draft'],
    to: 'confirmed',
    actors: ['admin'],
    refusal: NOT_A_DRAFT,
  },
  sendPaymentLink: {
    from: ['draft'],
    to: 'pending',
    actors: ['admin'],
    refusal: NOT_A_DRAFT,
  },
  // The back-edges: lines added to an order that shipped (an exchange's replacement) send it
  // back to partially shipped until they ship too.
  resettle: {
    from: FULFILMENT_STATUSES,
    to: 'quantities',
    targets: {
      partially_shipped: ['partially_shipped'],
      shipped: ['partially_shipped'],
      partially_delivered: ['partially_shipped'],
      delivered: ['partially_shipped'],
    },
    actors: ['customer', 'admin', 'system'],
    refusal: {
      draft: 'A draft has nothing shipped.',
      pending: 'The order has nothing shipped.',
      confirmed: 'The order has nothing shipped.',
      cancelled: 'A cancelled order has nothing to ship.',
    },
  },
};

/** An action as a refusal names it: "Only admin can ___." */
const ACTION_PHRASES: Record<OrderAction, string> = {
  confirm: 'confirm an order',
  modify: 'modify an order',
  cancel: 'cancel an order',
  ship: 'ship an order',
  deliver: 'deliver an order',
  refund: 'refund an order',
  editDraft: 'edit a draft order',
  deleteDraft: 'delete a draft order',
  recordOfflinePayment: 'record an offline payment',
  sendPaymentLink: 'send a payment link',
  resettle: 'settle an order’s status',
};

/** What an action's guards look at, known only to the code that asks (the gateway, the stock). */
export interface OrderFacts {
  /** confirm: the gateway says the order's payment was captured */
  paymentCaptured?: boolean;
  /** modify: units are still held for another change of this order that is being paid for */
  changeInFlight?: boolean;
  /** recordOfflinePayment: the amount the admin says was paid is the draft's total */
  amountIsTotal?: boolean;
  /** editDraft: every price that differs from the catalog's and from the draft's has a reason */
  overridesExplained?: boolean;
  /** ship, deliver, resettle: the status the order's shipped and delivered quantities give */
  statusByQuantities?: OrderStatus;
}

export type GuardCode =
  | 'payment_not_captured'
  | 'modification_in_progress'
  | 'amount_mismatch'
  | 'price_override_reason_required'
  | 'status_not_reachable';

export type Decision =
  | { allowed: true; to: OrderStatus }
  | { allowed: false; reason: string; kind: 'state' | 'actor' }
  | { allowed: false; reason: string; kind: 'guard'; code: GuardCode };

/**
 * Whether `actor` may take `action` on an order in `status`, and the status it leads to. Guards
 * are checked only when their fact is given: a page listing the actions does not ask the gateway.
 */
export function decide(
  status: OrderStatus,
  action: OrderAction,
  actor: Actor,
  facts: OrderFacts = {},
): Decision {
  const t = TRANSITIONS[action];
  if (!t.actors.includes(actor)) {
    return {
      allowed: false,
      kind: 'actor',
      reason: `Only ${t.actors.filter((a) => a !== 'system').join(' or ')} can ${ACTION_PHRASES[action]}.`,
    };
  }
  const from = actor === 'system' ? (t.systemFrom ?? t.from) : t.from;
  if (!from.includes(status)) {
    return {
      allowed: false,
      kind: 'state',
      reason: t.refusal[status] ?? `A ${status} order cannot be ${action}ed.`,
    };
  }
  const refused = guard(action, facts);
  if (refused) return refused;
  if (t.to !== 'quantities') return { allowed: true, to: t.to ?? status };
  // without the quantities (a page listing the actions), only the status it starts from is known
  const to = facts.statusByQuantities;
  if (to === undefined) return { allowed: true, to: status };
  if (!t.targets?.[status]?.includes(to)) {
    return {
      allowed: false,
      kind: 'guard',
      code: 'status_not_reachable',
      reason: `Its quantities would make the order ${to.replace('_', ' ')}, which ${ACTION_PHRASES[action]} cannot lead to.`,
    };
  }
  return { allowed: true, to };
}

function guard(action: OrderAction, facts: OrderFacts): Extract<Decision, { kind: 'guard' }> | null {
  if (action === 'confirm' && facts.paymentCaptured === false) {
    return {
      allowed: false,
      kind: 'guard',
      code: 'payment_not_captured',
      reason: 'The payment has not been captured, so the order cannot be confirmed yet.',
    };
  }
  if (action === 'recordOfflinePayment' && facts.amountIsTotal === false) {
    return {
      allowed: false,
      kind: 'guard',
      code: 'amount_mismatch',
      reason: "The amount paid must be the order's total.",
    };
  }
  if (action === 'editDraft' && facts.overridesExplained === false) {
    return {
      allowed: false,
      kind: 'guard',
      code: 'price_override_reason_required',
      reason: 'A price that differs from the catalog price needs a reason.',
    };
  }
  if (action === 'modify' && facts.changeInFlight === true) {
    return {
      allowed: false,
      kind: 'guard',
      code: 'modification_in_progress',
      reason: 'Another change to this order is being paid for. Try again in a moment.',
    };
  }
  return null;
}

/**
 * Why the system cancels an order: the codes it records, with the words for the order's history
 * and for the shopper. People cancel with their own words; those are kept as they wrote them.
 */
export const CANCELLATION_REASONS = {
  payment_declined: {
    summary: 'the payment was declined',
    shopper: 'Your payment was declined, so we could not complete the order.',
  },
  payment_unavailable: {
    summary: 'the payment provider could not be reached',
    shopper: 'We could not reach our payment provider, so we could not complete the order.',
  },
  payment_not_completed: {
    summary: 'the payment was not completed in time',
    shopper: 'The payment was not completed in time, so we could not complete the order.',
  },
} as const;

export type CancellationCode = keyof typeof CANCELLATION_REASONS;

export function isCancellationCode(reason: string): reason is CancellationCode {
  return Object.hasOwn(CANCELLATION_REASONS, reason);
}

/** A cancellation reason as the order's history says it: a code's words, or the person's own. */
export function cancellationSummary(reason: string): string {
  return isCancellationCode(reason) ? CANCELLATION_REASONS[reason].summary : reason;
}

/** Why an order was cancelled, as its page tells the shopper: never a bare code. */
export function cancellationMessage(reason: string): string {
  return isCancellationCode(reason)
    ? CANCELLATION_REASONS[reason].shopper
    : `Cancelled with this note: “${reason}”`;
}

/** The actions the state machine allows from a status, whoever takes them. */
export function allowedActions(status: OrderStatus): PersonAction[] {
  return ORDER_ACTIONS.filter((a) => TRANSITIONS[a].from.includes(status));
}

/** Each action as a person sees it: allowed, or why not. */
export function actionsFor(
  status: OrderStatus,
  actor: Actor,
): Record<PersonAction, { allowed: boolean; reason: string | null }> {
  const result = {} as Record<PersonAction, { allowed: boolean; reason: string | null }>;
  for (const action of ORDER_ACTIONS) {
    const d = decide(status, action, actor);
    result[action] = d.allowed ? { allowed: true, reason: null } : { allowed: false, reason: d.reason };
  }
  return result;
}

export interface RequestedLine {
  variantId: string;
  quantity: number;
  /** the price the client showed, in minor units: an assertion, never trusted */
  expectedUnitPrice?: number | undefined;
}

/** What pricing needs of a variant (the catalog's SellableVariant has it). */
export interface CatalogEntry {
  id: string;
  productId: string;
  name: string;
  title: string;
  sku: string;
  priceMinor: number;
  currency: string;
  active: boolean;
  taxCategory: string | null;
}

export interface PricedLine {
  variantId: string;
  productId: string;
  name: string;
  /** the variant's options as the shopper picked them, "M / Blue"; '' for a product without options */
  variantTitle: string;
  sku: string;
  unitPrice: number;
  quantity: number;
  /** the variant's reduced-rate category when it was sold; null: the standard rate */
  taxCategory: string | null;
}

/** A line of a placed order: how it was priced, with its share of the discount and its tax. */
export interface OrderLine extends PricedLine {
  discount: number;
  taxRateBasisPoints: number;
  tax: number;
  total: number;
}

/** An order line as priced now from the catalog's variant. */
export function lineOf(variant: CatalogEntry, quantity: number): PricedLine {
  return {
    variantId: variant.id,
    productId: variant.productId,
    name: variant.name,
    variantTitle: variant.title,
    sku: variant.sku,
    unitPrice: variant.priceMinor,
    quantity,
    taxCategory: variant.taxCategory,
  };
}

export type PricingProblem =
  | { kind: 'unknown_variants'; variantIds: string[] }
  | { kind: 'unavailable_variants'; variantIds: string[] }
  | {
      kind: 'price_changed';
      items: Array<{ productId: string; variantId: string; expected: number; current: number }>;
    }
  | { kind: 'currency_mismatch'; variantIds: string[] };

/**
 * Prices an order with the server's prices. Lines of the same variant are added together;
 * a client's price that is not the current price is a problem, never a discount.
 */
export function priceLines(
  requested: readonly RequestedLine[],
  catalog: ReadonlyMap<string, CatalogEntry>,
  currency: string,
): { ok: true; lines: PricedLine[]; total: number } | { ok: false; problem: PricingProblem } {
  const merged = new Map<string, { quantity: number; expected: Set<number> }>();
  for (const line of requested) {
    const entry = merged.get(line.variantId) ?? { quantity: 0, expected: new Set<number>() };
    entry.quantity += line.quantity;
    if (line.expectedUnitPrice !== undefined) entry.expected.add(line.expectedUnitPrice);
    merged.set(line.variantId, entry);
  }
  const unknown = [...merged.keys()].filter((id) => !catalog.has(id));
  if (unknown.length > 0) return { ok: false, problem: { kind: 'unknown_variants', variantIds: unknown } };
  const unavailable = [...merged.keys()].filter((id) => !catalog.get(id)?.active);
  if (unavailable.length > 0)
    return { ok: false, problem: { kind: 'unavailable_variants', variantIds: unavailable } };
  const wrongCurrency = [...merged.keys()].filter((id) => catalog.get(id)?.currency !== currency);
  if (wrongCurrency.length > 0)
    return { ok: false, problem: { kind: 'currency_mismatch', variantIds: wrongCurrency } };
  const stale: Array<{ productId: string; variantId: string; expected: number; current: number }> = [];
  const lines: PricedLine[] = [];
  for (const [variantId, { quantity, expected }] of merged) {
    const product = catalog.get(variantId) as CatalogEntry;
    for (const price of expected) {
      if (price !== product.priceMinor)
        stale.push({ productId: product.productId, variantId, expected: price, current: product.priceMinor });
    }
    lines.push(lineOf(product, quantity));
  }
  if (stale.length > 0) return { ok: false, problem: { kind: 'price_changed', items: stale } };
  return { ok: true, lines, total: orderTotal(lines) };
}

export function orderTotal(lines: readonly { unitPrice: number; quantity: number }[]): number {
  return lines.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0);
}

export interface CartWarning {
  code: 'insufficient_stock' | 'out_of_stock' | 'unavailable';
  message: string;
  available: number;
}

/** What a shopper should know about a cart line before checking out. */
export function cartLineWarning(
  quantity: number,
  available: number,
  active: boolean,
  name: string,
): CartWarning | null {
  if (!active) return { code: 'unavailable', message: `${name} is no longer sold.`, available: 0 };
  if (available <= 0) return { code: 'out_of_stock', message: `${name} is out of stock.`, available: 0 };
  if (available < quantity) {
    return { code: 'insufficient_stock', message: `Only ${available} of ${name} left.`, available };
  }
  return null;
}

/** One variant's quantity before and after a change to an order. */
export interface LineChange {
  variantId: string;
  productId: string;
  name: string;
  from: number;
  to: number;
}

export interface ChangePlan {
  lines: PricedLine[];
  total: number;
  changes: LineChange[];
}

/**
 * The lines of an order after a change to its quantities (`requested`: the full new list, per
 * product). Units already on the order keep the price they were bought at; added units are
 * priced now, so a product whose quantity rises must still be sold (`catalog` is asked only
 * about those). A product at two prices is two lines: the order's total is still the sum of
 * its lines, and a decrease gives back the dearest units first, each refunded at exactly what
 * it cost.
 */
export function planChange(
  current: readonly PricedLine[],
  requested: readonly { variantId: string; quantity: number }[],
  catalog: ReadonlyMap<string, CatalogEntry>,
  currency: string,
): { ok: true; plan: ChangePlan } | { ok: false; problem: PricingProblem } {
  const wanted = new Map<string, number>();
  for (const r of requested) wanted.set(r.variantId, (wanted.get(r.variantId) ?? 0) + r.quantity);
  const held = new Map<string, PricedLine[]>();
  for (const line of current) held.set(line.variantId, [...(held.get(line.variantId) ?? []), line]);
  const quantityHeld = (id: string) => orderQuantity(held.get(id) ?? []);
  const growing = [...wanted].filter(([id, quantity]) => quantity > quantityHeld(id)).map(([id]) => id);
  const priced = priceLines(
    growing.map((variantId) => ({ variantId, quantity: 1 })),
    catalog,
    currency,
  );
  if (!priced.ok) return priced;

  const lines: PricedLine[] = [];
  const changes: LineChange[] = [];
  for (const variantId of new Set([...held.keys(), ...wanted.keys()])) {
    const tiers = held.get(variantId) ?? [];
    const from = orderQuantity(tiers);
    const to = wanted.get(variantId) ?? 0;
    const product = catalog.get(variantId);
    let kept = tiers.map((l) => ({ ...l }));
    if (to > from && product) {
      const same = kept.find((l) => l.unitPrice === product.priceMinor);
      if (same) same.quantity += to - from;
      else kept.push(lineOf(product, to - from));
    } else if (to < from) {
      let surplus = from - to;
      for (const line of [...kept].sort((a, b) => b.unitPrice - a.unitPrice)) {
        const taken = Math.min(line.quantity, surplus);
        line.quantity -= taken;
        surplus -= taken;
      }
      kept = kept.filter((l) => l.quantity > 0);
    }
    lines.push(...kept);
    const known = tiers[0] ?? product;
    if (from !== to && known) {
      changes.push({ variantId, productId: known.productId, name: known.name, from, to });
    }
  }
  return { ok: true, plan: { lines, total: orderTotal(lines), changes } };
}

function orderQuantity(lines: readonly { quantity: number }[]): number {
  return lines.reduce((sum, l) => sum + l.quantity, 0);
}

/**
 * Countries whose postal addresses carry a state, province or prefecture: there an address
 * without one is refused. Elsewhere one may be given (a county, a region) and is printed as is.
 */
const STATE_COUNTRIES = new Set(['US', 'CA', 'AU', 'BR', 'MX', 'IN', 'CN', 'JP']);

/** Postal codes where the rule is short and certain; other countries keep the general shape. */
const POSTAL_CODES: Record<string, { pattern: RegExp; example: string }> = {
  US: { pattern: /^\d{5}(-\d{4})?$/, example: '94102 or 94102-1234' },
  CA: { pattern: /^[A-Z]\d[A-Z] ?\d[A-Z]\d$/i, example: 'K1A 0B1' },
  AU: { pattern: /^\d{4}$/, example: '2000' },
  GB: { pattern: /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i, example: 'SW1A 1AA' },
  DE: { pattern: /^\d{5}$/, example: '10115' },
  FR: { pattern: /^\d{5}$/, example: '75001' },
  NL: { pattern: /^\d{4} ?[A-Z]{2}$/i, example: '1012 AB' },
  JP: { pattern: /^\d{3}-?\d{4}$/, example: '100-0001' },
  IN: { pattern: /^\d{6}$/, example: '110001' },
  BR: { pattern: /^\d{5}-?\d{3}$/, example: '01310-100' },
};

/** What is wrong with an address for its country, as field paths and sentences. */
export function addressProblems(address: {
  country: string;
  state?: string | undefined;
  zip: string;
}): Array<{ path: 'state' | 'zip'; message: string }> {
  const problems: Array<{ path: 'state' | 'zip'; message: string }> = [];
  if (STATE_COUNTRIES.has(address.country) && !address.state) {
    problems.push({ path: 'state', message: `is required for an address in ${address.country}` });
  }
  const postal = POSTAL_CODES[address.country];
  if (postal && !postal.pattern.test(address.zip)) {
    problems.push({
      path: 'zip',
      message: `must be a postal code of ${address.country}, such as ${postal.example}`,
    });
  }
  return problems;
}

/** A line of a draft as the admin asks for it: a price of their own needs a reason. */
export interface DraftLineRequest {
  variantId: string;
  quantity: number;
  /** minor units; absent: the catalog price */
  unitPrice?: number | undefined;
  reason?: string | undefined;
}

/** A price on a draft that moved away from what it was (the catalog's, or the draft's before). */
export interface PriceOverride {
  variantId: string;
  name: string;
  from: number;
  to: number;
  catalogPrice: number;
  reason: string | null;
}

export type DraftProblem = PricingProblem | { kind: 'duplicate_variants'; variantIds: string[] };

/**
 * The lines of a draft: the catalog's price unless the admin sets one. `current` is the draft's
 * lines before this edit: a price it already carries is kept without a new reason, a price that
 * is neither the catalog's nor the current one needs a reason (`unexplained` lists those: the
 * `editDraft` guard refuses them), and every price that differs from what it was is returned as
 * an override for the order's history.
 */
export function priceDraftLines(
  requested: readonly DraftLineRequest[],
  catalog: ReadonlyMap<string, CatalogEntry>,
  currency: string,
  current: readonly PricedLine[] = [],
):
  | { ok: true; lines: PricedLine[]; total: number; overrides: PriceOverride[]; unexplained: string[] }
  | { ok: false; problem: DraftProblem } {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const line of requested) {
    if (seen.has(line.variantId)) duplicates.add(line.variantId);
    seen.add(line.variantId);
  }
  if (duplicates.size > 0)
    return { ok: false, problem: { kind: 'duplicate_variants', variantIds: [...duplicates] } };
  const priced = priceLines(
    requested.map((l) => ({ variantId: l.variantId, quantity: l.quantity })),
    catalog,
    currency,
  );
  if (!priced.ok) return priced;
  const before = new Map(current.map((l) => [l.variantId, l.unitPrice]));
  const lines: PricedLine[] = [];
  const overrides: PriceOverride[] = [];
  const unexplained: string[] = [];
  for (const line of requested) {
    const entry = catalog.get(line.variantId) as CatalogEntry;
    const to = line.unitPrice ?? entry.priceMinor;
    const from = before.get(line.variantId) ?? entry.priceMinor;
    const reason = line.reason?.trim() || null;
    if (to !== from) {
      if (to !== entry.priceMinor && !reason) unexplained.push(line.variantId);
      overrides.push({
        variantId: line.variantId,
        name: entry.name,
        from,
        to,
        catalogPrice: entry.priceMinor,
        reason,
      });
    }
    lines.push({ ...lineOf(entry, line.quantity), unitPrice: to });
  }
  return { ok: true, lines, total: orderTotal(lines), overrides, unexplained };
}

/**
 * The refund limit of a staff role: support gives back at most `supportLimit` minor units per
 * refund, the other roles that may refund are not limited. A breach, or null when the amount
 * is within what the role may give.
 */
export function refundLimitBreach(
  staffRole: StaffRole | null,
  amount: number,
  supportLimit: number,
): { limit: number; amount: number } | null {
  if (staffRole !== 'support' || amount <= supportLimit) return null;
  return { limit: supportLimit, amount };
}
