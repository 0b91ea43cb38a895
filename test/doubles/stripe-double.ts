/**
 * A local stand-in for the parts of Stripe's v1 REST API that Orderly's adapter uses, close enough
 * to the wire format that the official `stripe` client talks to it unchanged (configured with
 * `host: '127.0.0.1', port, protocol: 'http'`):
 *
 * - `POST /v1/payment_intents` (with `confirm=true`), `GET /v1/payment_intents/:id`,
 *   `POST /v1/payment_intents/:id/confirm`, `GET /v1/payment_intents` (list, `created[gte]`…),
 *   `GET /v1/payment_intents/search?query=metadata['order_id']:'…'`, `POST /v1/refunds`,
 *   `GET /v1/refunds?payment_intent=…`.
 * - Form-encoded bodies with nested keys, `Authorization: Bearer sk_test_…`, Stripe's error body
 *   `{error: {type, code, decline_code, message, param, payment_intent, doc_url}}` and statuses
 *   (401, 400, 402, 404, 409, 500).
 * - Idempotency as Stripe documents it for v1: the first response (status and body) is saved once
 *   the endpoint began executing and replayed with `Idempotent-Replayed: true`; another endpoint or
 *   other parameters with the same key → 400 `idempotency_error`; the same key while the first
 *   request is still running → 409. Parameter validation errors are not saved.
 * - Stripe's test payment methods: `tok_visa`, `pm_card_visa`, `tok_chargeDeclined…`, `pm_card_threeDSecure2Required`….
 * - Search is eventually consistent on the real Stripe ("searchable in less than a minute"):
 *   `searchLagMs` reproduces that; lists and retrieves are always current.
 *
 * Test controls are methods of the returned object: faults (delay, 500, dropped socket), finishing
 * a 3-D Secure intent, and inspection (intents created, captured amounts, refunds, events).
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export type Json = { [key: string]: unknown };

export interface StripeEventJson {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
  data: { object: Json; previous_attributes?: Json };
}

export interface FaultMatch {
  /** how many matching requests the fault applies to (default 1) */
  times?: number;
  method?: 'GET' | 'POST';
  /** exact path without the query (`/v1/payment_intents`), or a pattern */
  path?: string | RegExp;
}

export interface RecordedRequest {
  method: string;
  path: string;
  idempotencyKey: string | null;
  /** the HTTP status answered, or `dropped` when the socket was destroyed instead */
  status: number | 'dropped';
  replayed: boolean;
}

export interface RefundView {
  id: string;
  paymentIntent: string;
  charge: string;
  amount: number;
  status: string;
  metadata: Record<string, string>;
}

export interface StripeDouble {
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** every request in arrival order */
  readonly requests: RecordedRequest[];
  /** PaymentIntents created (idempotent replays create none) */
  intentsCreated(): number;
  /** `amount_received` of an intent: what was captured */
  capturedAmount(paymentIntentId: string): number;
  status(paymentIntentId: string): string;
  refunds(paymentIntentId?: string): RefundView[];
  /** events Stripe would have sent to a webhook endpoint, oldest first */
  events(type?: string): StripeEventJson[];
  /** The next matching requests wait `ms` before being processed (while holding their idempotency key). */
  delayNext(ms: number, match?: FaultMatch): void;
  /** The next matching requests get 500 `api_error` before the endpoint runs (nothing saved under the key). */
  failNext(match?: FaultMatch): void;
  /**
   * The next matching requests get their socket destroyed without an answer: before anything ran
   * (`received`, the default) or after the request was processed and saved under its key (`processed`).
   */
  dropNext(match?: FaultMatch & { after?: 'received' | 'processed' }): void;
  /** Makes new PaymentIntents invisible to search for this long after creation. */
  setSearchLag(ms: number): void;
  /** The customer completed 3-D Secure: the intent succeeds; returns `payment_intent.succeeded`. */
  succeed(paymentIntentId: string): StripeEventJson;
  /** The customer failed or abandoned 3-D Secure; returns `payment_intent.payment_failed`. */
  fail(paymentIntentId: string): StripeEventJson;
  close(): Promise<void>;
}

export interface StripeDoubleOptions {
  /** the only secret key accepted; by default any `sk_test_…` key is */
  apiKey?: string;
  searchLagMs?: number;
}

const API_VERSION = '2026-10-28.endive';
/** From this version on, `payment_method_types` is read-only on PaymentIntents. */
const ENDIVE = '2026-09-30';

interface TestCard {
  brand: string;
  last4: string;
  threeDSecure?: boolean;
  decline?: { code: string; decline_code: string; message: string; param?: string };
}

const declined = (decline_code: string, message = 'Your card was declined.') => ({
  code: 'card_declined',
  decline_code,
  message,
});

/** Stripe's test payment methods, named after the suffix shared by `tok_…` and `pm_card_…`. */
const TEST_CARDS: Record<string, TestCard> = {
  visa: { brand: 'visa', last4: '4242' },
  mastercard: { brand: 'mastercard', last4: '4444' },
  amex: { brand: 'amex', last4: '8431' },
  chargeDeclined: { brand: 'visa', last4: '0002', decline: declined('generic_decline') },
  chargeDeclinedInsufficientFunds: {
    brand: 'visa',
    last4: '9995',
    decline: declined('insufficient_funds', 'Your card has insufficient funds.'),
  },
  chargeDeclinedFraudulent: { brand: 'visa', last4: '0019', decline: declined('fraudulent') },
  chargeDeclinedLostCard: { brand: 'visa', last4: '9987', decline: declined('lost_card') },
  chargeDeclinedStolenCard: { brand: 'visa', last4: '9979', decline: declined('stolen_card') },
  chargeDeclinedExpiredCard: {
    brand: 'visa',
    last4: '0069',
    decline: {
      code: 'expired_card',
      decline_code: 'expired_card',
      message: 'Your card has expired.',
      param: 'exp_month',
    },
  },
  chargeDeclinedIncorrectCvc: {
    brand: 'visa',
    last4: '0127',
    decline: {
      code: 'incorrect_cvc',
      decline_code: 'incorrect_cvc',
      message: "Your card's security code is incorrect.",
      param: 'cvc',
    },
  },
  chargeDeclinedProcessingError: {
    brand: 'visa',
    last4: '0119',
    decline: {
      code: 'processing_error',
      decline_code: 'processing_error',
      message: 'An error occurred while processing your card. Try again in a little bit.',
    },
  },
  threeDSecure2Required: { brand: 'visa', last4: '3155', threeDSecure: true },
};

type Param = string | Param[] | { [key: string]: Param };
type Params = { [key: string]: Param };

interface PaymentMethod {
  id: string;
  card: TestCard;
}

interface Intent {
  id: string;
  seq: number;
  createdMs: number;
  amount: number;
  currency: string;
  status: string;
  clientSecret: string;
  description: string | null;
  metadata: Record<string, string>;
  paymentMethod: PaymentMethod | null;
  amountReceived: number;
  latestCharge: string | null;
  lastPaymentError: Json | null;
  nextAction: Json | null;
}

interface Charge {
  id: string;
  paymentIntent: string;
  amount: number;
  amountRefunded: number;
  currency: string;
  created: number;
  metadata: Record<string, string>;
  paymentMethod: string;
  status: 'succeeded' | 'failed';
  failure: { code: string; message: string } | null;
}

interface Refund {
  seq: number;
  json: Json & {
    id: string;
    amount: number;
    charge: string;
    payment_intent: string;
    status: string;
    created: number;
    metadata: Record<string, string>;
  };
}

interface Reply {
  status: number;
  body: Json;
}

interface RequestContext {
  id: string;
  key: string | null;
  /** the `Stripe-Version` the client asked for */
  version: string;
}

/** An error answer; `save` is false for parameter validation, which Stripe does not store under an idempotency key. */
class ApiFailure extends Error {
  readonly status: number;
  readonly body: Json;
  readonly save: boolean;
  constructor(status: number, error: Json, save = true) {
    super(String(error['message']));
    this.status = status;
    const code = error['code'];
    this.body = {
      error:
        typeof code === 'string'
          ? { ...error, doc_url: `https://stripe.com/docs/error-codes/${code.replaceAll('_', '-')}` }
          : error,
    };
    this.save = save;
  }
}

const invalid = (message: string, extra: Json = {}, save = false) =>
  new ApiFailure(400, { type: 'invalid_request_error', message, ...extra }, save);

const missing = (kind: string, id: string, param: string) =>
  new ApiFailure(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such ${kind}: '${id}'`,
    param,
  });

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
const seconds = (ms: number) => Math.floor(ms / 1000);

/** Stripe's form encoding: `a[b][c]=x`, `list[0]=x`, `list[]=x`. */
function parseForm(text: string): Params {
  const root: Params = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const head = /^[^[\]]+/.exec(key)?.[0];
    if (!head) continue;
    const path = [head, ...[...key.slice(head.length).matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] ?? '')];
    let node: Params = root;
    for (const [i, raw] of path.entries()) {
      const segment = raw === '' ? String(Object.keys(node).length) : raw;
      if (i === path.length - 1) {
        node[segment] = value;
      } else {
        const next = node[segment];
        node = typeof next === 'object' && !Array.isArray(next) ? next : (node[segment] = {});
      }
    }
  }
  return arrayify(root, false) as Params;
}

function arrayify(node: Param, inMetadata: boolean): Param {
  if (typeof node === 'string' || Array.isArray(node)) return node;
  const entries = Object.entries(node).map(([k, v]): [string, Param] => [k, arrayify(v, k === 'metadata')]);
  if (!inMetadata && entries.length > 0 && entries.every(([k]) => /^\d+$/.test(k))) {
    return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => v);
  }
  return Object.fromEntries(entries);
}

/** Parameters compared by value, whatever order the client sent them in. */
function canonical(value: Param): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(value[k] ?? '')}`)
    .join(',')}}`;
}

function text(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(`Invalid string: ${name}`, { param: name });
  return value;
}

function integer(params: Params, name: string): number | undefined {
  const value = text(params, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw invalid(`Invalid integer: ${value}`, { code: 'parameter_invalid_integer', param: name });
  return Number(value);
}

function object(params: Params, name: string): Params | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw invalid(`Invalid object: ${name}`, { param: name });
  return value;
}

function stringMap(params: Params, name: string): Record<string, string> {
  const value = object(params, name) ?? {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string')
      throw invalid(`Invalid value for ${name}[${k}]: must be a string`, { param: `${name}[${k}]` });
  }
  return value as Record<string, string>;
}

function rejectUnknown(params: Params, allowed: readonly string[]): void {
  const unknown = Object.keys(params).find((k) => !allowed.includes(k));
  if (unknown) {
    throw invalid(`Received unknown parameter: ${unknown}`, { code: 'parameter_unknown', param: unknown });
  }
}

function requireParam(value: unknown, name: string): void {
  if (value === undefined) {
    throw invalid(`Missing required param: ${name}.`, { code: 'parameter_missing', param: name });
  }
}

interface Fault {
  kind: 'delay' | 'error' | 'drop';
  left: number;
  method?: string;
  path?: string | RegExp;
  ms?: number;
  after?: 'received' | 'processed';
}

interface SavedResponse {
  method: string;
  path: string;
  params: string;
  requestId: string;
  reply: Reply | null;
}

export async function startStripeDouble(options: StripeDoubleOptions = {}): Promise<StripeDouble> {
  let searchLagMs = options.searchLagMs ?? 0;
  let seq = 0;
  const intents = new Map<string, Intent>();
  const charges = new Map<string, Charge>();
  const refunds: Refund[] = [];
  const paymentMethods = new Map<string, PaymentMethod>();
  const events: StripeEventJson[] = [];
  const faults: Fault[] = [];
  const saved = new Map<string, SavedResponse>();
  const requests: RecordedRequest[] = [];

  const renderPaymentMethod = (pm: PaymentMethod): Json => ({
    id: pm.id,
    object: 'payment_method',
    type: 'card',
    card: {
      brand: pm.card.brand,
      last4: pm.card.last4,
      exp_month: 12,
      exp_year: 2034,
      country: 'US',
      funding: 'credit',
    },
    livemode: false,
  });

  const renderIntent = (pi: Intent): Json => ({
    id: pi.id,
    object: 'payment_intent',
    amount: pi.amount,
    amount_capturable: 0,
    amount_received: pi.amountReceived,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic_async',
    client_secret: pi.clientSecret,
    confirmation_method: 'automatic',
    created: seconds(pi.createdMs),
    currency: pi.currency,
    customer: null,
    description: pi.description,
    last_payment_error: pi.lastPaymentError,
    latest_charge: pi.latestCharge,
    livemode: false,
    metadata: { ...pi.metadata },
    next_action: pi.nextAction,
    payment_method: pi.paymentMethod?.id ?? null,
    allowed_payment_method_types: ['card'],
    payment_method_types: ['card'],
    receipt_email: null,
    setup_future_usage: null,
    shipping: null,
    statement_descriptor: null,
    status: pi.status,
  });

  const renderCharge = (ch: Charge): Json => ({
    id: ch.id,
    object: 'charge',
    amount: ch.amount,
    amount_captured: ch.status === 'succeeded' ? ch.amount : 0,
    amount_refunded: ch.amountRefunded,
    captured: ch.status === 'succeeded',
    created: ch.created,
    currency: ch.currency,
    failure_code: ch.failure?.code ?? null,
    failure_message: ch.failure?.message ?? null,
    livemode: false,
    metadata: { ...ch.metadata },
    paid: ch.status === 'succeeded',
    payment_intent: ch.paymentIntent,
    payment_method: ch.paymentMethod,
    refunded: ch.amountRefunded === ch.amount && ch.status === 'succeeded',
    status: ch.status,
  });

  const emit = (type: string, object: Json, previous?: Json, request?: RequestContext) => {
    const event: StripeEventJson = {
      id: newId('evt'),
      object: 'event',
      api_version: API_VERSION,
      created: seconds(Date.now()),
      livemode: false,
      pending_webhooks: 1,
      request: { id: request?.id ?? null, idempotency_key: request?.key ?? null },
      type,
      data: previous
        ? { object: structuredClone(object), previous_attributes: previous }
        : { object: structuredClone(object) },
    };
    events.push(event);
    return event;
  };

  const findIntent = (id: string) => {
    const pi = intents.get(id);
    if (!pi) throw missing('payment_intent', id, 'intent');
    return pi;
  };

  const newCharge = (pi: Intent, pm: PaymentMethod, failure: Charge['failure']): Charge => {
    const charge: Charge = {
      id: newId('ch'),
      paymentIntent: pi.id,
      amount: pi.amount,
      amountRefunded: 0,
      currency: pi.currency,
      created: seconds(Date.now()),
      metadata: { ...pi.metadata },
      paymentMethod: pm.id,
      status: failure ? 'failed' : 'succeeded',
      failure,
    };
    charges.set(charge.id, charge);
    pi.latestCharge = charge.id;
    return charge;
  };

  const complete = (pi: Intent, pm: PaymentMethod) => {
    newCharge(pi, pm, null);
    pi.status = 'succeeded';
    pi.amountReceived = pi.amount;
    pi.nextAction = null;
    pi.lastPaymentError = null;
  };

  /** `payment_method` / `payment_method_data` as Stripe resolves them: test ids and tokens only. */
  const resolvePaymentMethod = (params: Params): PaymentMethod | null => {
    const id = text(params, 'payment_method');
    const data = object(params, 'payment_method_data');
    if (id !== undefined && data !== undefined) {
      throw invalid('You cannot provide both payment_method and payment_method_data.', {
        param: 'payment_method_data',
      });
    }
    if (id !== undefined) {
      if (id.startsWith('tok_')) {
        throw invalid(
          `A token may not be passed in as a PaymentMethod. Instead, use payment_method_data with type=card and card[token]=${id}.`,
          { param: 'payment_method' },
        );
      }
      const existing = paymentMethods.get(id);
      if (existing) return existing;
      const card = id.startsWith('pm_card_') ? TEST_CARDS[id.slice('pm_card_'.length)] : undefined;
      if (!card) {
        throw invalid(`No such PaymentMethod: '${id}'`, {
          code: 'resource_missing',
          param: 'payment_method',
        });
      }
      const pm = { id: newId('pm'), card };
      paymentMethods.set(pm.id, pm);
      return pm;
    }
    if (data !== undefined) {
      if (data['type'] !== 'card') {
        throw invalid('payment_method_data[type] must be card here.', { param: 'payment_method_data[type]' });
      }
      const cardParams = object(data, 'card');
      const token = cardParams && text(cardParams, 'token');
      if (!token) {
        throw invalid('Missing required param: payment_method_data[card][token].', {
          code: 'parameter_missing',
          param: 'payment_method_data[card][token]',
        });
      }
      const card = token.startsWith('tok_') ? TEST_CARDS[token.slice('tok_'.length)] : undefined;
      if (!card) {
        throw invalid(`No such token: '${token}'`, {
          code: 'resource_missing',
          param: 'payment_method_data[card][token]',
        });
      }
      const pm = { id: newId('pm'), card };
      paymentMethods.set(pm.id, pm);
      return pm;
    }
    return null;
  };

  const confirm = (pi: Intent, pm: PaymentMethod, request: RequestContext) => {
    pi.paymentMethod = pm;
    const decline = pm.card.decline;
    if (decline) {
      const charge = newCharge(pi, pm, { code: decline.code, message: decline.message });
      const error = {
        type: 'card_error',
        charge: charge.id,
        ...decline,
        payment_method: renderPaymentMethod(pm),
      };
      pi.status = 'requires_payment_method';
      pi.lastPaymentError = {
        ...error,
        doc_url: `https://stripe.com/docs/error-codes/${decline.code.replaceAll('_', '-')}`,
      };
      emit('payment_intent.payment_failed', renderIntent(pi), undefined, request);
      throw new ApiFailure(402, { ...error, payment_intent: renderIntent(pi) });
    }
    if (pm.card.threeDSecure) {
      pi.status = 'requires_action';
      pi.nextAction = {
        type: 'use_stripe_sdk',
        use_stripe_sdk: {
          type: 'three_d_secure_redirect',
          stripe_js: `https://hooks.stripe.com/3d_secure_2/hosted?payment_intent=${pi.id}`,
          source: newId('src'),
        },
      };
      emit('payment_intent.requires_action', renderIntent(pi), undefined, request);
      return;
    }
    complete(pi, pm);
    emit('payment_intent.succeeded', renderIntent(pi), undefined, request);
  };

  const createIntent = (params: Params, request: RequestContext): Reply => {
    rejectUnknown(params, [
      'amount',
      'currency',
      'confirm',
      'payment_method',
      'payment_method_data',
      'payment_method_types',
      'allowed_payment_method_types',
      'metadata',
      'description',
      'capture_method',
      'return_url',
      'receipt_email',
      'statement_descriptor_suffix',
      'expand',
    ]);
    const amount = integer(params, 'amount');
    const currency = text(params, 'currency')?.toLowerCase();
    requireParam(amount, 'amount');
    requireParam(currency, 'currency');
    if (!/^[a-z]{3}$/.test(currency ?? ''))
      throw invalid(`Invalid currency: ${currency}.`, { param: 'currency' });
    if ((amount ?? 0) < 50) {
      throw invalid(`Amount must be at least 50 cents`, { code: 'amount_too_small', param: 'amount' });
    }
    if (params['payment_method_types'] !== undefined && request.version >= ENDIVE) {
      throw invalid(
        'payment_method_types is no longer supported. Use allowed_payment_method_types instead.',
        {
          code: 'payment_method_types_no_longer_supported',
          param: 'payment_method_types',
        },
      );
    }
    const types = params['allowed_payment_method_types'] ?? params['payment_method_types'] ?? ['card'];
    if (!Array.isArray(types) || types.some((t) => t !== 'card')) {
      throw invalid('This double knows cards only.', { param: 'allowed_payment_method_types' });
    }
    const description = text(params, 'description') ?? null;
    const metadata = stringMap(params, 'metadata');
    const pm = resolvePaymentMethod(params);
    const doConfirm = text(params, 'confirm') === 'true';
    if (doConfirm && !pm) {
      throw invalid(
        'You must provide a payment_method or payment_method_data to confirm this PaymentIntent.',
        {
          code: 'payment_intent_unexpected_state',
        },
      );
    }
    const id = newId('pi');
    const pi: Intent = {
      id,
      seq: ++seq,
      createdMs: Date.now(),
      amount: amount ?? 0,
      currency: currency ?? '',
      status: pm ? 'requires_confirmation' : 'requires_payment_method',
      clientSecret: `${id}_secret_${randomBytes(12).toString('hex')}`,
      description,
      metadata,
      paymentMethod: pm,
      amountReceived: 0,
      latestCharge: null,
      lastPaymentError: null,
      nextAction: null,
    };
    intents.set(id, pi);
    emit('payment_intent.created', renderIntent(pi), undefined, request);
    if (doConfirm && pm) confirm(pi, pm, request);
    return { status: 200, body: renderIntent(pi) };
  };

  const confirmIntent = (id: string, params: Params, request: RequestContext): Reply => {
    rejectUnknown(params, ['payment_method', 'payment_method_data', 'return_url', 'expand']);
    const pi = findIntent(id);
    if (pi.status !== 'requires_payment_method' && pi.status !== 'requires_confirmation') {
      throw invalid(
        `You cannot confirm this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, requires_payment_method.`,
        { code: 'payment_intent_unexpected_state', payment_intent: renderIntent(pi) },
        true,
      );
    }
    const pm = resolvePaymentMethod(params) ?? pi.paymentMethod;
    if (!pm) {
      throw invalid('You cannot confirm this PaymentIntent because it has no payment method.', {
        code: 'payment_intent_unexpected_state',
      });
    }
    confirm(pi, pm, request);
    return { status: 200, body: renderIntent(pi) };
  };

  const refundView = (r: Refund): RefundView => ({
    id: r.json.id,
    paymentIntent: r.json.payment_intent,
    charge: r.json.charge,
    amount: r.json.amount,
    status: r.json.status,
    metadata: { ...r.json.metadata },
  });

  const createRefund = (params: Params, request: RequestContext): Reply => {
    rejectUnknown(params, ['payment_intent', 'charge', 'amount', 'reason', 'metadata', 'expand']);
    const piId = text(params, 'payment_intent');
    const chargeId = text(params, 'charge');
    if (!piId && !chargeId)
      throw invalid(
        'One of the following params should be provided for this request: payment_intent or charge.',
      );
    const reason = text(params, 'reason') ?? null;
    if (reason !== null && !['duplicate', 'fraudulent', 'requested_by_customer'].includes(reason)) {
      throw invalid('Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer', {
        param: 'reason',
      });
    }
    const metadata = stringMap(params, 'metadata');
    const requested = integer(params, 'amount');
    const pi = piId ? findIntent(piId) : undefined;
    const charge = charges.get(chargeId ?? pi?.latestCharge ?? '');
    if (chargeId && !charge) throw missing('charge', chargeId, 'charge');
    if (!charge || charge.status !== 'succeeded') {
      throw invalid(`This PaymentIntent (${piId}) does not have a successful charge to refund.`, {
        code: 'charge_not_refundable',
      });
    }
    const remaining = charge.amount - charge.amountRefunded;
    if (remaining === 0) {
      throw invalid(
        `Charge ${charge.id} has already been refunded.`,
        { code: 'charge_already_refunded' },
        true,
      );
    }
    const amount = requested ?? remaining;
    if (amount <= 0)
      throw invalid('Invalid positive integer', { code: 'parameter_invalid_integer', param: 'amount' });
    if (amount > remaining) {
      const money = (n: number) => `$${(n / 100).toFixed(2)}`;
      throw invalid(
        `Refund amount (${money(amount)}) is greater than unrefunded amount on charge (${money(remaining)})`,
        { code: 'amount_too_large', param: 'amount' },
        true,
      );
    }
    const before = renderCharge(charge);
    charge.amountRefunded += amount;
    const refund: Refund = {
      seq: ++seq,
      json: {
        id: newId('re'),
        object: 'refund',
        amount,
        balance_transaction: newId('txn'),
        charge: charge.id,
        created: seconds(Date.now()),
        currency: charge.currency,
        metadata,
        payment_intent: charge.paymentIntent,
        reason,
        receipt_number: null,
        source_transfer_reversal: null,
        status: 'succeeded',
        transfer_reversal: null,
      },
    };
    refunds.push(refund);
    const after = renderCharge(charge);
    emit(
      'charge.refunded',
      after,
      { amount_refunded: before['amount_refunded'], refunded: before['refunded'] },
      request,
    );
    return { status: 200, body: structuredClone(refund.json) };
  };

  /** Stripe's cursor pagination, newest first. */
  const list = <T extends { seq: number }>(
    items: T[],
    query: URLSearchParams,
    path: string,
    render: (t: T) => Json,
  ) => {
    const limit = Math.min(Number(query.get('limit') ?? 10), 100);
    let sorted = [...items].sort((a, b) => b.seq - a.seq);
    const after = query.get('starting_after');
    if (after) {
      const index = sorted.findIndex((item) => render(item)['id'] === after);
      sorted = sorted.slice(index + 1);
    }
    return {
      object: 'list',
      data: sorted.slice(0, limit).map(render),
      has_more: sorted.length > limit,
      url: path,
    };
  };

  /** `created[gte]` and `created[lte]`, the bounds the adapter uses, in seconds. */
  const createdFilter = (query: URLSearchParams) => {
    const gte = Number(query.get('created[gte]') ?? -Infinity);
    const lte = Number(query.get('created[lte]') ?? Infinity);
    return (created: number) => created >= gte && created <= lte;
  };

  /** The subset of Stripe's search language the adapter needs: `field:'value'` clauses joined by AND. */
  const searchIntents = (query: URLSearchParams): Reply => {
    const expression = query.get('query');
    if (!expression)
      throw invalid('Missing required param: query.', { code: 'parameter_missing', param: 'query' });
    const clauses = expression.split(/\s+AND\s+/).map((clause) => {
      const m = /^\s*(metadata\[(['"])(.+?)\2\]|status|currency|amount)\s*:\s*(['"])(.*)\4\s*$/.exec(clause);
      if (!m) throw invalid(`This double cannot parse the search query: ${clause}`, { param: 'query' });
      return { metadataKey: m[3], field: m[1] ?? '', value: (m[5] ?? '').replace(/\\(.)/g, '$1') };
    });
    const visibleBefore = Date.now() - searchLagMs;
    const matches = [...intents.values()].filter(
      (pi) =>
        pi.createdMs <= visibleBefore &&
        clauses.every(({ metadataKey, field, value }) => {
          if (metadataKey !== undefined) return pi.metadata[metadataKey] === value;
          return String(renderIntent(pi)[field]) === value;
        }),
    );
    const limit = Math.min(Number(query.get('limit') ?? 10), 100);
    const offset = Number(Buffer.from(query.get('page') ?? '', 'base64url').toString() || 0);
    const page = matches.sort((a, b) => b.seq - a.seq).slice(offset, offset + limit);
    const hasMore = matches.length > offset + limit;
    return {
      status: 200,
      body: {
        object: 'search_result',
        data: page.map(renderIntent),
        has_more: hasMore,
        next_page: hasMore ? Buffer.from(String(offset + limit)).toString('base64url') : null,
        url: '/v1/payment_intents/search',
      },
    };
  };

  const route = (
    method: string,
    path: string,
    query: URLSearchParams,
    params: Params,
    request: RequestContext,
  ): Reply => {
    let m: RegExpExecArray | null;
    if (method === 'POST' && path === '/v1/payment_intents') return createIntent(params, request);
    if (method === 'GET' && path === '/v1/payment_intents/search') return searchIntents(query);
    if (method === 'GET' && path === '/v1/payment_intents') {
      const inRange = createdFilter(query);
      const items = [...intents.values()].filter((pi) => inRange(seconds(pi.createdMs)));
      return { status: 200, body: list(items, query, path, renderIntent) };
    }
    if (method === 'GET' && (m = /^\/v1\/payment_intents\/([^/]+)$/.exec(path))) {
      return { status: 200, body: renderIntent(findIntent(m[1] ?? '')) };
    }
    if (method === 'POST' && (m = /^\/v1\/payment_intents\/([^/]+)\/confirm$/.exec(path))) {
      return confirmIntent(m[1] ?? '', params, request);
    }
    if (method === 'POST' && path === '/v1/refunds') return createRefund(params, request);
    if (method === 'GET' && path === '/v1/refunds') {
      const pi = query.get('payment_intent');
      const charge = query.get('charge');
      const items = refunds.filter(
        (r) => (pi === null || r.json.payment_intent === pi) && (charge === null || r.json.charge === charge),
      );
      return { status: 200, body: list(items, query, path, (r) => structuredClone(r.json)) };
    }
    throw new ApiFailure(404, {
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
    });
  };

  const authenticate = (header: string | undefined): string => {
    const key = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
    if (!key) {
      throw new ApiFailure(401, {
        type: 'invalid_request_error',
        message:
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
      });
    }
    const accepted = options.apiKey === undefined ? key.startsWith('sk_test_') : key === options.apiKey;
    if (!accepted) {
      // Stripe itself echoes only the last four characters of a wrong key.
      throw new ApiFailure(401, {
        type: 'invalid_request_error',
        message: `Invalid API Key provided: ${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`,
      });
    }
    return key;
  };

  const takeFault = (method: string, path: string): Fault | undefined => {
    const fault = faults.find(
      (f) =>
        f.left > 0 &&
        (f.method === undefined || f.method === method) &&
        (f.path === undefined || (typeof f.path === 'string' ? f.path === path : f.path.test(path))),
    );
    if (fault) fault.left -= 1;
    return fault;
  };

  const send = (res: ServerResponse, reply: Reply, headers: Record<string, string>) => {
    if (res.destroyed) return;
    res.writeHead(reply.status, {
      'Content-Type': 'application/json',
      ...headers,
    });
    res.end(JSON.stringify(reply.body, null, 2));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const key = method === 'POST' ? (req.headers['idempotency-key']?.toString() ?? null) : null;
    const record: RecordedRequest = { method, path, idempotencyKey: key, status: 'dropped', replayed: false };
    requests.push(record);
    const requestId = newId('req');
    const version = req.headers['stripe-version']?.toString() ?? API_VERSION;
    const headers: Record<string, string> = {
      'Request-Id': requestId,
      'Stripe-Version': version,
      ...(key ? { 'Idempotency-Key': key } : {}),
    };
    const answer = (reply: Reply) => {
      record.status = reply.status;
      send(res, reply, headers);
    };

    const fault = takeFault(method, path);
    if (fault?.kind === 'drop' && fault.after !== 'processed') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'error') {
      answer({
        status: 500,
        body: {
          error: {
            type: 'api_error',
            message: "Sorry, something went wrong. We've already been notified of the problem.",
          },
        },
      });
      return;
    }

    let scopedKey: string | null = null;
    try {
      const apiKey = authenticate(req.headers.authorization);
      const params = method === 'POST' ? parseForm(Buffer.concat(chunks).toString('utf8')) : {};
      if (key && key.length > 255) {
        // Stripe's limit on the header, checked before the key is looked up or saved.
        throw new ApiFailure(400, {
          type: 'invalid_request_error',
          message: `Invalid Idempotency-Key: it must be at most 255 characters long (got ${key.length}).`,
        });
      }
      if (key) {
        scopedKey = `${apiKey}\u0000${key}`;
        const previous = saved.get(scopedKey);
        if (previous) {
          scopedKey = null;
          if (previous.path !== path || previous.method !== method) {
            throw new ApiFailure(400, {
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${previous.method} ${previous.path}' vs '${method} ${path}'). Try using a key other than '${key}' if you meant to execute a different request.`,
            });
          }
          if (previous.params !== canonical(params)) {
            throw new ApiFailure(400, {
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
            });
          }
          if (!previous.reply) {
            throw new ApiFailure(409, {
              type: 'invalid_request_error',
              code: 'idempotency_key_in_use',
              message: `There is currently another in-progress request using this Stripe-Idempotency-Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
            });
          }
          record.replayed = true;
          headers['Idempotent-Replayed'] = 'true';
          headers['Original-Request'] = previous.requestId;
          answer(previous.reply);
          return;
        }
        saved.set(scopedKey, { method, path, params: canonical(params), requestId, reply: null });
      }
      if (fault?.kind === 'delay') await sleep(fault.ms ?? 0);
      const reply = route(method, path, url.searchParams, params, { id: requestId, key, version });
      if (scopedKey) (saved.get(scopedKey) as SavedResponse).reply = reply;
      if (fault?.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      answer(reply);
    } catch (error) {
      if (!(error instanceof ApiFailure)) throw error;
      const reply = { status: error.status, body: error.body };
      if (scopedKey) {
        if (error.save) (saved.get(scopedKey) as SavedResponse).reply = reply;
        else saved.delete(scopedKey);
      }
      if (fault?.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      answer(reply);
    }
  };

  const server = createServer((req, res) => {
    res.on('error', () => {});
    handle(req, res).catch((error: unknown) => {
      send(res, { status: 500, body: { error: { type: 'api_error', message: String(error) } } }, {});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const addFault = (kind: Fault['kind'], match: FaultMatch, extra: Partial<Fault> = {}) => {
    faults.push({ kind, left: match.times ?? 1, method: match.method, path: match.path, ...extra });
  };

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    intentsCreated: () => intents.size,
    capturedAmount: (id) => findIntentForTest(id).amountReceived,
    status: (id) => findIntentForTest(id).status,
    refunds: (paymentIntentId) =>
      refunds
        .filter((r) => paymentIntentId === undefined || r.json.payment_intent === paymentIntentId)
        .map(refundView),
    events: (type) => events.filter((e) => type === undefined || e.type === type),
    delayNext: (ms, match = {}) => addFault('delay', match, { ms }),
    failNext: (match = {}) => addFault('error', match),
    dropNext: (match = {}) => addFault('drop', match, { after: match.after ?? 'received' }),
    setSearchLag: (ms) => {
      searchLagMs = ms;
    },
    succeed(id) {
      const pi = findIntentForTest(id);
      if (pi.status !== 'requires_action' || !pi.paymentMethod)
        throw new Error(`${id} is ${pi.status}, not requires_action`);
      complete(pi, pi.paymentMethod);
      return emit('payment_intent.succeeded', renderIntent(pi));
    },
    fail(id) {
      const pi = findIntentForTest(id);
      if (pi.status !== 'requires_action' || !pi.paymentMethod)
        throw new Error(`${id} is ${pi.status}, not requires_action`);
      pi.status = 'requires_payment_method';
      pi.nextAction = null;
      pi.lastPaymentError = {
        type: 'invalid_request_error',
        code: 'payment_intent_authentication_failure',
        doc_url: 'https://stripe.com/docs/error-codes/payment-intent-authentication-failure',
        message:
          'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
        payment_method: renderPaymentMethod(pi.paymentMethod),
      };
      return emit('payment_intent.payment_failed', renderIntent(pi));
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  function findIntentForTest(id: string): Intent {
    const pi = intents.get(id);
    if (!pi) throw new Error(`the Stripe double has no PaymentIntent ${id}`);
    return pi;
  }
}
