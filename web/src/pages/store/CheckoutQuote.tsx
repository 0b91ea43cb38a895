/**
 * The checkout quote (shipping methods, discount code, tax, total) shared by the account's and
 * the guest's checkout. The server prices everything: the page shows its quote and places the
 * order with the quote's total as `expectedTotal`.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import * as api from '../../api.ts';
import type { Address, CheckoutQuote, CheckoutRequest, QuoteRequest } from '../../api.ts';
import { shippingAmount, taxLineName } from '../../components/OrderParts.tsx';
import { Button, Field } from '../../components/ui.tsx';
import { describeError, isApiError } from '../../lib/errors.ts';
import { money } from '../../lib/format.ts';
import { useDebounced } from '../../lib/hooks.ts';

export type QuoteState =
  /** no complete address yet */
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'ready'; quote: CheckoutQuote; key: string }
  | { kind: 'not_served'; message: string; key: string }
  | { kind: 'error'; message: string; key: string };

type Items = QuoteRequest['items'];

/** What placing the order adds from the quote: the method and code it priced, and its total. */
export type Placement = Pick<CheckoutRequest, 'shippingMethodId' | 'discountCode' | 'expectedTotal'>;

interface Inputs {
  /** the address to quote for; null while the form is incomplete */
  address: Address | null;
  /** the guest's lines; undefined for a signed-in shopper (the server quotes their cart) */
  items: Items;
  /** changes when the basket does (a signed-in shopper's cart), so the quote follows it */
  basketKey: string;
  currency: string;
}

export interface CheckoutQuoteControl {
  state: QuoteState;
  /** the state is the answer to the inputs as they are now (not a quote of an older address) */
  current: boolean;
  methodId: string | undefined;
  chooseMethod: (id: string) => void;
  code: string | undefined;
  codeError: string | null;
  applying: boolean;
  applyCode: (code: string) => Promise<void>;
  removeCode: () => void;
  /** quotes the inputs as they are now, at once (before placing an order) */
  quoteNow: () => Promise<QuoteState>;
  /** what to add to the placing request; null until there is a quote of the inputs as they are now */
  placement: () => Placement | null;
}

function keyOf(
  address: Address | null,
  items: Items,
  methodId: string | undefined,
  code: string | undefined,
) {
  return JSON.stringify([address, items ?? null, methodId ?? null, code ?? null]);
}

async function fetchQuote(
  address: Address,
  items: Items,
  methodId: string | undefined,
  code: string | undefined,
  key: string,
  signal?: AbortSignal,
): Promise<Extract<QuoteState, { key: string }>> {
  try {
    const quote = await api.quoteCheckout(
      { ...(items && { items }), shippingAddress: address, shippingMethodId: methodId, discountCode: code },
      signal,
    );
    return { kind: 'ready', quote, key };
  } catch (error) {
    if (isApiError(error, 'address_not_served')) {
      return { kind: 'not_served', message: error.message, key };
    }
    throw error;
  }
}

export function useCheckoutQuote({ address, items, basketKey, currency }: Inputs): CheckoutQuoteControl {
  const [methodId, setMethodId] = useState<string | undefined>();
  const [code, setCode] = useState<string | undefined>();
  const [codeError, setCodeError] = useState<string | null>(null);
  const [applying, setApplying] = useState(false);
  const [state, setState] = useState<QuoteState>({ kind: 'idle' });
  // typing an address quotes once the shopper pauses, not on every key
  const addressKey = useDebounced(JSON.stringify(address), 400);
  const itemsKey = JSON.stringify(items ?? null);
  // the key of the last quote that came back, so the effect does not ask again for what applying a code just asked
  const answered = useRef<string | null>(null);
  const inputs = useRef({ address, items });
  inputs.current = { address, items };
  const key = keyOf(address, items, methodId, code);

  useEffect(() => {
    const { address: now, items: lines } = inputs.current;
    // nothing to price: no address yet, or a guest's cart just emptied by the order it placed
    if (!now || lines?.length === 0) {
      // the quote shown is gone: the same address typed again must be asked for again
      answered.current = null;
      setState({ kind: 'idle' });
      return;
    }
    const requestKey = keyOf(now, lines, methodId, code);
    if (answered.current === requestKey) return;
    // until this answer comes, the state answers no key
    answered.current = null;
    const controller = new AbortController();
    setState((s) => (s.kind === 'ready' ? s : { kind: 'loading' }));
    fetchQuote(now, lines, methodId, code, requestKey, controller.signal).then(
      (next) => {
        if (controller.signal.aborted) return;
        answered.current = requestKey;
        setState(next);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (isApiError(error, 'discount_code_invalid')) {
          // the basket or address changed and the code no longer applies: quote without it
          setCodeError(describeError(error, { currency }));
          setCode(undefined);
          return;
        }
        setState({ kind: 'error', message: describeError(error, { currency }), key: requestKey });
      },
    );
    return () => controller.abort();
  }, [addressKey, itemsKey, basketKey, methodId, code, currency]);

  const applyCode = useCallback(
    async (entered: string) => {
      const { address: now, items: lines } = inputs.current;
      const wanted = entered.trim();
      if (!wanted) {
        setCodeError('Enter a discount code.');
        return;
      }
      if (!now) {
        setCodeError('Enter your shipping address first: the discount is worked out with it.');
        return;
      }
      setApplying(true);
      setCodeError(null);
      try {
        const next = await fetchQuote(now, lines, methodId, wanted, keyOf(now, lines, methodId, wanted));
        answered.current = next.key;
        setCode(wanted);
        setState(next);
      } catch (error) {
        setCodeError(describeError(error, { currency }));
      } finally {
        setApplying(false);
      }
    },
    [methodId, currency],
  );

  const quoteNow = useCallback(async () => {
    const { address: now, items: lines } = inputs.current;
    if (!now) return { kind: 'idle' } as const;
    const requestKey = keyOf(now, lines, methodId, code);
    try {
      const next = await fetchQuote(now, lines, methodId, code, requestKey);
      answered.current = requestKey;
      setState(next);
      return next;
    } catch (error) {
      answered.current = null;
      const next: QuoteState = {
        kind: 'error',
        message: describeError(error, { currency }),
        key: requestKey,
      };
      setState(next);
      return next;
    }
  }, [methodId, code, currency]);

  const current = 'key' in state && state.key === key;
  const placement = useCallback((): Placement | null => {
    if (state.kind !== 'ready' || !current) return null;
    const { quote } = state;
    return {
      ...(quote.shippingMethodId && { shippingMethodId: quote.shippingMethodId }),
      ...(quote.discount && { discountCode: quote.discount.code }),
      expectedTotal: quote.total,
    };
  }, [state, current]);

  return {
    state,
    current,
    methodId,
    chooseMethod: setMethodId,
    code,
    codeError,
    applying,
    applyCode,
    removeCode: () => {
      setCode(undefined);
      setCodeError(null);
    },
    quoteNow,
    placement,
  };
}

/** The shipping methods of the quote, as radio buttons with their prices. */
export function ShippingMethods({ control }: { control: CheckoutQuoteControl }) {
  const { state } = control;
  if (state.kind === 'not_served') {
    return (
      <div className="notice notice-error" role="alert" data-testid="address-not-served">
        <p>{state.message}</p>
      </div>
    );
  }
  if (state.kind !== 'ready' || state.quote.shippingMethods.length === 0) return null;
  const { quote } = state;
  // the shopper's pick shows at once; the quote for it follows
  const picked = quote.shippingMethods.some((m) => m.id === control.methodId)
    ? control.methodId
    : quote.shippingMethodId;
  return (
    <fieldset className="shipping-methods" data-testid="shipping-methods">
      <legend>Shipping method</legend>
      {quote.shippingMethods.map((m) => (
        <label key={m.id} className="shipping-method">
          <input
            type="radio"
            name="shipping-method"
            value={m.id}
            checked={picked === m.id}
            onChange={() => control.chooseMethod(m.id)}
          />
          <span className="shipping-method-name">{m.name}</span>
          <span className="shipping-method-price">
            {m.price === 0 ? 'Free' : money(m.price, quote.currency)}
          </span>
        </label>
      ))}
    </fieldset>
  );
}

/** The discount code field with Apply and Remove; shown once there is an address to quote. */
export function DiscountCodeField({ control }: { control: CheckoutQuoteControl }) {
  const [entered, setEntered] = useState('');
  const { state } = control;
  if (state.kind === 'idle') return null;
  const applied = state.kind === 'ready' ? state.quote.discount : null;

  if (applied) {
    return (
      <fieldset>
        <legend>Discount code</legend>
        <div className="discount-applied" data-testid="discount-applied">
          <p>
            <strong>{applied.code}</strong>: {applied.description}
          </p>
          <Button variant="ghost" className="btn-small" onClick={control.removeCode}>
            Remove<span className="visually-hidden"> discount code {applied.code}</span>
          </Button>
        </div>
      </fieldset>
    );
  }
  return (
    // not a <form>: it sits inside the checkout form; Enter in the field applies the code
    <fieldset>
      <legend>Discount code</legend>
      <div className="discount-field">
        <Field label="Code" error={control.codeError ?? undefined}>
          <input
            type="text"
            name="discount-code"
            autoComplete="off"
            autoCapitalize="characters"
            value={entered}
            onChange={(e) => setEntered(e.target.value)}
            onKeyDown={(e) => {
              if (e.key !== 'Enter') return;
              // Enter here applies the code; it must not place the order
              e.preventDefault();
              void control.applyCode(entered);
            }}
            data-testid="discount-code"
          />
        </Field>
        <Button variant="secondary" busy={control.applying} onClick={() => void control.applyCode(entered)}>
          Apply<span className="visually-hidden"> discount code</span>
        </Button>
      </div>
    </fieldset>
  );
}

/**
 * Subtotal, discount, shipping, tax lines and total: the quote's when there is one, else the
 * cart's subtotal while shipping and tax wait for the address.
 */
export function QuoteSummary({
  control,
  subtotal,
  currency,
}: {
  control: CheckoutQuoteControl;
  subtotal: number;
  currency: string;
}) {
  const { state } = control;
  const quote = state.kind === 'ready' ? state.quote : null;
  if (!quote) {
    return (
      <>
        {state.kind === 'error' && (
          <p className="field-error" role="alert">
            {state.message}
          </p>
        )}
        <dl className="summary-list" data-testid="checkout-summary">
          <div>
            <dt>Subtotal</dt>
            <dd>{money(subtotal, currency)}</dd>
          </div>
          <div>
            <dt>Shipping</dt>
            <dd>
              {state.kind === 'loading'
                ? 'Calculating…'
                : state.kind === 'not_served'
                  ? 'Not to this address'
                  : 'With the address'}
            </dd>
          </div>
          <div className="summary-total">
            <dt>Total</dt>
            <dd data-testid="checkout-total">{money(subtotal, currency)}</dd>
          </div>
        </dl>
      </>
    );
  }
  return (
    <dl className="summary-list" data-testid="checkout-summary" aria-busy={!control.current || undefined}>
      <div>
        <dt>Subtotal</dt>
        <dd>{money(quote.subtotal, quote.currency)}</dd>
      </div>
      {quote.discountTotal > 0 && (
        <div>
          <dt>Discount{quote.discount ? ` (${quote.discount.code})` : ''}</dt>
          <dd data-testid="summary-discount">−{money(quote.discountTotal, quote.currency)}</dd>
        </div>
      )}
      <div>
        <dt>Shipping{quote.shipping ? ` (${quote.shipping.name})` : ''}</dt>
        <dd data-testid="summary-shipping">{shippingAmount(quote.shipping, quote.currency)}</dd>
      </div>
      {quote.taxLines.map((t) => (
        <div key={`${t.name}-${t.rate}`}>
          <dt>
            {quote.pricesIncludeTax ? 'incl. ' : ''}
            {taxLineName(t)}
          </dt>
          <dd>{money(t.amount, quote.currency)}</dd>
        </div>
      ))}
      <div className="summary-total">
        <dt>Total{quote.pricesIncludeTax && quote.taxTotal > 0 ? ' (incl. tax)' : ''}</dt>
        <dd data-testid="checkout-total">{money(quote.total, quote.currency)}</dd>
      </div>
    </dl>
  );
}

/** The total the Place order button names: the quote's, else the cart's subtotal. */
export function displayedTotal(control: CheckoutQuoteControl, subtotal: number): number {
  return control.state.kind === 'ready' ? control.state.quote.total : subtotal;
}

/** Why Place order did not place the order when it had to ask for a quote first. */
export function unplacedMessage(fresh: QuoteState): string {
  if (fresh.kind === 'ready') {
    return 'Shipping and tax are now worked out for this address: check the total, then place the order.';
  }
  if (fresh.kind === 'error' || fresh.kind === 'not_served') return fresh.message;
  return 'Enter your shipping address: shipping and tax are worked out with it.';
}

/** Place order waits for a quote of the current address, and stays off for an address not served. */
export function quoteBlocks(control: CheckoutQuoteControl): boolean {
  return control.state.kind === 'not_served' && control.current;
}
