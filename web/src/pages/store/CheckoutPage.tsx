import { useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import * as api from '../../api.ts';
import type { CheckoutRequest } from '../../api.ts';
import { PageHeader } from '../../components/Layout.tsx';
import { Button, EmptyState, ErrorState, Loading } from '../../components/ui.tsx';
import { TestCardField } from '../../components/TestCardField.tsx';
import { describeError, fieldErrors, isApiError } from '../../lib/errors.ts';
import { lineTotal, money } from '../../lib/format.ts';
import { TEST_CARDS } from '../../lib/cards.ts';
import { useTitle } from '../../lib/hooks.ts';
import { useFreshCart, useSession } from '../../lib/session.tsx';
import {
  AddressFields,
  EMPTY_ADDRESS,
  toAddress,
  validateAddress,
  type AddressForm,
} from './AddressFields.tsx';
import { SavedAddressPicker } from './SavedAddressPicker.tsx';
import { addressFormOf } from './SavedAddresses.tsx';
import { blockingItems } from './CartPage.tsx';
import {
  DiscountCodeField,
  QuoteSummary,
  ShippingMethods,
  displayedTotal,
  unplacedMessage,
  quoteBlocks,
  useCheckoutQuote,
} from './CheckoutQuote.tsx';
import { variantLabel } from './variants.ts';
import './summary.css';
import './CheckoutPage.css';

const ADDRESS_KEY = 'orderly.lastAddress';

function savedAddress(): AddressForm {
  try {
    const raw = window.localStorage.getItem(ADDRESS_KEY);
    if (raw) return { ...EMPTY_ADDRESS, ...(JSON.parse(raw) as Partial<AddressForm>) };
  } catch {
    // no saved address
  }
  return { ...EMPTY_ADDRESS };
}

interface Failure {
  message: string;
  /** out of stock or a changed price: the cart needs a look */
  reviewCart: boolean;
  /** no answer came back: pressing the button again retries the same attempt */
  retry: boolean;
  /** the payment outcome is unknown; the order is on hold */
  onHold: boolean;
}

interface Attempt {
  /** the request body this key was generated for */
  body: string;
  key: string;
}

export function CheckoutPage() {
  useTitle('Checkout');
  const navigate = useNavigate();
  const { setCart, user } = useSession();
  const { cart, loading, error: loadError, reload } = useFreshCart();
  // the recipient is the shopper unless they say otherwise
  const [address, setAddress] = useState<AddressForm>(() => {
    const saved = savedAddress();
    return saved.name ? saved : { ...saved, name: user?.name ?? '' };
  });
  const [card, setCard] = useState('tok_visa');
  const [errors, setErrors] = useState<Partial<Record<keyof AddressForm | 'card', string>>>({});
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const attempt = useRef<Attempt | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const quote = useCheckoutQuote({
    address: Object.keys(validateAddress(address)).length === 0 ? toAddress(address) : null,
    items: undefined,
    basketKey: JSON.stringify(cart?.items.map((i) => [i.variantId, i.quantity, i.price]) ?? []),
    currency: cart?.currency ?? 'USD',
  });

  if (loading && !cart) return <Loading label="Loading your cart…" />;
  if (loadError && !cart) return <ErrorState error={loadError} onRetry={reload} />;
  if (!cart) return null;

  if (cart.items.length === 0) {
    return (
      <>
        <PageHeader title="Checkout" />
        <EmptyState title="Your cart is empty.">
          <Link to="/" className="btn btn-primary">
            Browse the shop
          </Link>
        </EmptyState>
      </>
    );
  }

  const blocking = blockingItems(cart);
  const names = new Map(cart.items.map((i) => [i.productId, i.name]));

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (submitting || !cart) return;
    const problems: typeof errors = validateAddress(address);
    if (!TEST_CARDS.some((c) => c.token === card)) problems.card = 'Choose a card.';
    setErrors(problems);
    if (Object.keys(problems).length > 0) {
      setFailure({
        message: 'Please fix the highlighted fields.',
        reviewCart: false,
        retry: false,
        onHold: false,
      });
      window.setTimeout(() => document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
      return;
    }
    // the order is placed at the total the shopper saw: a quote of this very address and basket
    const placement = quote.placement();
    if (!placement) {
      const fresh = await quote.quoteNow();
      if (fresh.kind === 'not_served') return;
      setFailure({ message: unplacedMessage(fresh), reviewCart: false, retry: false, onHold: false });
      return;
    }
    const body: CheckoutRequest = {
      shippingAddress: toAddress(address),
      paymentMethod: { type: 'card', token: card },
      ...placement,
    };
    const serialized = JSON.stringify(body);
    // one key per attempt; a retry of the very same attempt (no answer last time) reuses it
    if (!attempt.current || attempt.current.body !== serialized) {
      attempt.current = { body: serialized, key: api.newIdempotencyKey() };
    }
    // remembered for the next visit, also when this attempt has to be repeated after a fix
    try {
      window.localStorage.setItem(ADDRESS_KEY, JSON.stringify(address));
    } catch {
      // storage full or disabled: nothing to remember
    }
    setSubmitting(true);
    setFailure(null);
    try {
      const order = await api.checkout(body, attempt.current.key);
      attempt.current = null;
      setCart({ items: [], subtotal: 0, currency: cart.currency });
      navigate(`/orders/${order.id}/confirmation`, { state: { order } });
    } catch (err) {
      // no answer (network, 5xx): the outcome is unknown, so a retry reuses the key; an answer
      // ends the attempt. `payment_unavailable` says nothing was charged: a fresh attempt is safe.
      const onHold = isApiError(err, 'payment_pending');
      const definitive =
        !(err instanceof api.ApiError) || !err.retryable || err.code === 'payment_unavailable' || onHold;
      if (definitive) attempt.current = null;
      const fields = fieldErrors(err);
      if (Object.keys(fields).length > 0) setErrors(fields);
      const stockOrPrice = isApiError(err, 'out_of_stock') || isApiError(err, 'price_changed');
      setFailure({
        message: describeError(err, { names, currency: cart.currency }),
        reviewCart: stockOrPrice,
        retry: !definitive,
        onHold,
      });
      if (stockOrPrice) {
        api.getCart().then(setCart, () => {});
        // a total that moved with shipping, tax or a discount: show the one the shop charges now
        if (isApiError(err, 'price_changed')) void quote.quoteNow();
      }
      window.setTimeout(() => summaryRef.current?.focus(), 0);
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <>
      <PageHeader title="Checkout" />
      <div className="checkout-layout">
        <form
          className="checkout-form card"
          onSubmit={submit}
          noValidate
          aria-describedby="checkout-status"
          data-testid="checkout-form"
        >
          <fieldset>
            <legend>Shipping address</legend>
            <SavedAddressPicker onPick={(picked) => setAddress(addressFormOf(picked, address))} />
            <AddressFields value={address} onChange={setAddress} errors={errors} idPrefix="shipping" />
          </fieldset>
          <ShippingMethods control={quote} />
          <DiscountCodeField control={quote} />
          <fieldset>
            <legend>Payment</legend>
            <TestCardField
              value={card}
              onChange={setCard}
              error={errors.card}
              required
              testId="card-select"
            />
          </fieldset>

          <div
            id="checkout-status"
            ref={summaryRef}
            tabIndex={-1}
            aria-live="polite"
            className="checkout-status"
          >
            {failure && (
              <div className="notice notice-error" role="alert" data-testid="checkout-error">
                <p>{failure.message}</p>
                {failure.retry && <p>You will not be charged twice: press “Place order” again to retry.</p>}
                {failure.onHold && (
                  <p>
                    <Link to="/orders">See my orders</Link>
                  </p>
                )}
                {failure.reviewCart && (
                  <p>
                    <Link to="/cart">Review your cart</Link>
                  </p>
                )}
              </div>
            )}
            {submitting && <Loading label="Placing your order…" />}
          </div>

          {blocking.length > 0 && (
            <p className="field-error" id="checkout-blocked">
              Some items in your cart need attention. <Link to="/cart">Review your cart</Link> before placing
              the order.
            </p>
          )}
          <Button
            type="submit"
            className="btn-block btn-large"
            busy={submitting}
            disabled={blocking.length > 0 || quoteBlocks(quote)}
            data-testid="place-order"
          >
            {submitting
              ? 'Placing order…'
              : `Place order · ${money(displayedTotal(quote, cart.subtotal), cart.currency)}`}
          </Button>
        </form>

        <aside className="card order-summary" aria-labelledby="checkout-summary-title">
          <h2 id="checkout-summary-title">Your order</h2>
          <ul className="summary-items">
            {cart.items.map((item) => (
              <li key={item.variantId}>
                <span>
                  {item.quantity} × {item.name}
                  {variantLabel(item) && (
                    <span className="summary-variant" data-testid="line-variant">
                      {variantLabel(item)}
                    </span>
                  )}
                  {item.warning && (
                    <span className="badge stock-out">
                      {' '}
                      {item.warning.code === 'insufficient_stock'
                        ? `Only ${item.warning.available} left`
                        : 'Unavailable'}
                    </span>
                  )}
                </span>
                <span>{money(lineTotal(item.price, item.quantity, item.currency), item.currency)}</span>
              </li>
            ))}
          </ul>
          <QuoteSummary control={quote} subtotal={cart.subtotal} currency={cart.currency} />
          <Link to="/cart">Edit cart</Link>
        </aside>
      </div>
    </>
  );
}
