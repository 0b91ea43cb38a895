/**
 * Guest checkout in the storefront (ADR 0022): checking out with an email instead of an account,
 * the order page a guest reaches from the link in their email (or from "find my order"), and the
 * page that finishes creating an account from a guest one with the link emailed for it.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import * as api from '../../api.ts';
import type { GuestOrderRequest } from '../../api.ts';
import { PageHeader } from '../../components/Layout.tsx';
import { DownloadButton } from '../../components/DownloadButton.tsx';
import {
  OrderLinesTable,
  PaymentSummary,
  ShippingSummary,
  hasInvoice,
} from '../../components/OrderParts.tsx';
import { OrderReturns } from './OrderReturns.tsx';
import { OrderShipments } from './OrderShipments.tsx';
import { StatusSteps, Timeline } from '../../components/Timeline.tsx';
import { Button, EmptyState, ErrorState, Field, Loading, Notice, StatusBadge } from '../../components/ui.tsx';
import { TestCardField } from '../../components/TestCardField.tsx';
import { TEST_CARDS } from '../../lib/cards.ts';
import { describeError, fieldErrors, isApiError, MIN_PASSWORD_LENGTH } from '../../lib/errors.ts';
import { formatDateTime, lineTotal, money, orderNumber } from '../../lib/format.ts';
import {
  clearGuestCart,
  guestCartItems,
  repriceGuestCart,
  setGuestCartQuantity,
  useGuestCart,
} from '../../lib/guest-cart.ts';
import { useAsync, useTitle } from '../../lib/hooks.ts';
import { useSession } from '../../lib/session.tsx';
import {
  AddressFields,
  EMPTY_ADDRESS,
  toAddress,
  validateAddress,
  type AddressForm,
} from './AddressFields.tsx';
import { EMAIL, NEW_PASSWORD_HINT } from './AuthPages.tsx';
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
import './OrderDetailPage.css';
import './GuestPages.css';

type GuestErrors = Partial<Record<keyof AddressForm | 'email' | 'buyer' | 'card', string>>;

/** Checkout for a shopper who is not signed in: this browser's cart, an email and a name. */
export function GuestCheckoutPage() {
  useTitle('Checkout');
  const navigate = useNavigate();
  const location = useLocation();
  const items = useGuestCart();
  const [email, setEmail] = useState('');
  const [buyer, setBuyer] = useState('');
  const [address, setAddress] = useState<AddressForm>({ ...EMPTY_ADDRESS });
  const [card, setCard] = useState('tok_visa');
  const [errors, setErrors] = useState<GuestErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  // one key per attempt: pressing again after no answer retries the same attempt, never a second order
  const attempt = useRef<{ body: string; key: string } | null>(null);
  // the parcel goes to the shopper unless they name someone else
  const recipient = { ...address, name: address.name.trim() || buyer.trim() };
  const quote = useCheckoutQuote({
    address: Object.keys(validateAddress(recipient)).length === 0 ? toAddress(recipient) : null,
    items: items.map((i) => ({ variantId: i.variantId, quantity: i.quantity })),
    basketKey: '',
    currency: items[0]?.currency ?? 'USD',
  });

  if (items.length === 0) {
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
  const currency = items[0]?.currency ?? 'USD';
  const total = items.reduce((sum, i) => sum + lineTotal(i.price, i.quantity, i.currency), 0);
  const names = new Map(items.map((i) => [i.productId, i.name]));

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (submitting) return;
    const problems: GuestErrors = validateAddress(recipient);
    if (!EMAIL.test(email.trim())) problems.email = 'Enter your email address.';
    if (!buyer.trim()) problems.buyer = 'Enter your name.';
    if (!TEST_CARDS.some((c) => c.token === card)) problems.card = 'Choose a card.';
    setErrors(problems);
    if (Object.keys(problems).length > 0) {
      setFailure('Please fix the highlighted fields.');
      window.setTimeout(() => document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
      return;
    }
    // the order is placed at the total the shopper saw: a quote of this very address and basket
    const placement = quote.placement();
    if (!placement) {
      const fresh = await quote.quoteNow();
      if (fresh.kind === 'not_served') return;
      setFailure(unplacedMessage(fresh));
      return;
    }
    const body: GuestOrderRequest = {
      email: email.trim(),
      name: buyer.trim(),
      items: guestCartItems().map((i) => ({ variantId: i.variantId, quantity: i.quantity, price: i.price })),
      shippingAddress: toAddress(recipient),
      paymentMethod: { type: 'card', token: card },
      ...placement,
    };
    const serialized = JSON.stringify(body);
    if (!attempt.current || attempt.current.body !== serialized) {
      attempt.current = { body: serialized, key: api.newIdempotencyKey() };
    }
    setSubmitting(true);
    setFailure(null);
    try {
      const order = await api.placeGuestOrder(body, attempt.current.key);
      attempt.current = null;
      clearGuestCart();
      navigate(`/orders/${order.id}?token=${encodeURIComponent(order.accessToken)}`, {
        state: { placedBy: body.email },
      });
    } catch (err) {
      if (!(err instanceof api.ApiError) || !err.retryable) attempt.current = null;
      setErrors(fieldErrors(err));
      setFailure(describeError(err, { names, currency }));
      if (isApiError(err, 'price_changed')) {
        await refreshPrices();
        // a total that moved with shipping, tax or a discount: show the one the shop charges now
        await quote.quoteNow();
      }
    } finally {
      setSubmitting(false);
    }
  }

  /** After a refused price, the cart shows what the shop charges now. */
  async function refreshPrices() {
    const ids = [...new Set(guestCartItems().map((i) => i.productId))];
    const products = await Promise.allSettled(ids.map((id) => api.getProduct(id)));
    const prices = new Map<string, number>();
    for (const p of products) {
      if (p.status === 'fulfilled') for (const v of p.value.variants) prices.set(v.id, v.price);
    }
    repriceGuestCart(prices);
  }

  return (
    <>
      <PageHeader title="Checkout" />
      <div className="checkout-layout">
        <form className="checkout-form card" onSubmit={submit} noValidate data-testid="guest-checkout-form">
          <fieldset>
            <legend>Your details</legend>
            <p className="muted small">
              No account needed: we email your confirmation and a link to your order. Have an account?{' '}
              <Link to="/login" state={{ from: location.pathname }}>
                Sign in
              </Link>
            </p>
            <Field label="Email" error={errors.email} required>
              <input
                type="email"
                name="email"
                autoComplete="email"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                data-testid="guest-email"
              />
            </Field>
            <Field label="Your name" error={errors.buyer} required>
              <input
                type="text"
                name="name"
                autoComplete="name"
                value={buyer}
                onChange={(e) => {
                  const next = e.target.value;
                  // the recipient follows the shopper's name until they name someone else
                  setAddress((a) => (a.name === buyer ? { ...a, name: next } : a));
                  setBuyer(next);
                }}
                data-testid="guest-name"
              />
            </Field>
          </fieldset>
          <fieldset>
            <legend>Shipping address</legend>
            <AddressFields value={address} onChange={setAddress} errors={errors} idPrefix="guest-shipping" />
          </fieldset>
          <ShippingMethods control={quote} />
          <DiscountCodeField control={quote} />
          <fieldset>
            <legend>Payment</legend>
            <TestCardField value={card} onChange={setCard} error={errors.card} required />
          </fieldset>
          <div aria-live="polite" className="checkout-status">
            {failure && (
              <Notice kind="error" testId="checkout-error">
                <p>{failure}</p>
              </Notice>
            )}
            {submitting && <Loading label="Placing your order…" />}
          </div>
          <Button
            type="submit"
            className="btn-block btn-large"
            busy={submitting}
            disabled={quoteBlocks(quote)}
            data-testid="place-guest-order"
          >
            {submitting ? 'Placing order…' : `Place order · ${money(displayedTotal(quote, total), currency)}`}
          </Button>
        </form>

        <aside className="card order-summary" aria-labelledby="guest-summary-title">
          <h2 id="guest-summary-title">Your order</h2>
          <ul className="summary-items guest-cart-items" data-testid="guest-cart-items">
            {items.map((item) => (
              <li key={item.variantId}>
                <span>
                  {item.quantity} × {item.name}
                  {variantLabel(item) && (
                    <span className="summary-variant" data-testid="line-variant">
                      {variantLabel(item)}
                    </span>
                  )}
                </span>
                <span>{money(lineTotal(item.price, item.quantity, item.currency), item.currency)}</span>
                <button
                  type="button"
                  className="btn btn-ghost btn-small"
                  onClick={() => setGuestCartQuantity(item.variantId, 0)}
                  aria-label={`Remove ${item.name}${item.variantTitle ? ` (${item.variantTitle})` : ''}`}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
          <QuoteSummary control={quote} subtotal={total} currency={currency} />
          <Link to="/">Keep shopping</Link>
        </aside>
      </div>
    </>
  );
}

/** An order opened with the token of its link (`/orders/:id?token=…`): view only. */
export function GuestOrderPage({ token }: { token: string }) {
  const { id = '' } = useParams();
  const location = useLocation();
  const placedBy = (location.state as { placedBy?: string } | null)?.placedBy;
  const view = useAsync((signal) => api.getGuestOrder(id, token, signal), [id, token]);
  const o = view.data?.order;
  useTitle(o ? `Order ${orderNumber(o)}` : 'Order');

  if (view.loading && !o) return <Loading label="Loading your order…" />;
  if (view.error || !view.data || !o) {
    if (
      isApiError(view.error, 'invalid_order_link') ||
      isApiError(view.error, 'not_found') ||
      isApiError(view.error, 'validation_failed')
    ) {
      return (
        <div className="narrow" data-testid="order-link-invalid">
          <h1>This order link does not work</h1>
          <p>
            It may have expired, or the account it belongs to was created or signed out since. Find the order
            with its number and email, or sign in if you have an account.
          </p>
          <p className="actions-row">
            <Link className="btn btn-primary" to="/find-order">
              Find my order
            </Link>
            <Link className="btn btn-secondary" to="/login">
              Sign in
            </Link>
          </p>
        </div>
      );
    }
    return <ErrorState error={view.error} onRetry={view.reload} />;
  }

  return (
    <article className="order-detail" data-testid="guest-order">
      <div className="page-header">
        <div>
          <h1>Order {orderNumber(o)}</h1>
          <p className="muted">
            Placed <time dateTime={o.createdAt}>{formatDateTime(o.createdAt)}</time>
          </p>
        </div>
        <StatusBadge status={o.detailedStatus} />
      </div>
      {placedBy && (
        <Notice kind="success" title="Thank you for your order" testId="guest-thanks">
          <p>
            We have emailed a confirmation to <strong>{placedBy}</strong>, with a link back to this page.
          </p>
        </Notice>
      )}
      <StatusSteps status={o.status} />
      <div className="detail-grid">
        <div className="stack">
          <section className="card" aria-labelledby="guest-items-title">
            <h2 id="guest-items-title">Items</h2>
            <OrderLinesTable order={o} />
          </section>
          <OrderShipments orderId={o.id} token={token} />
          <OrderReturns orderId={o.id} currency={o.currency} token={token} />
          <p className="muted small" data-testid="guest-order-note">
            To change or cancel this order, contact the shop. <Link to="/register">Create an account</Link>{' '}
            with the same email to keep your orders together: we will email you a link to confirm it is yours.
          </p>
        </div>
        <div className="stack">
          <section className="card" aria-labelledby="guest-delivery-title">
            <h2 id="guest-delivery-title">Delivery and payment</h2>
            <ShippingSummary order={o} />
            <PaymentSummary order={o} />
            {hasInvoice(o) && (
              <DownloadButton
                fetchFile={() => api.downloadMyInvoice(o.id, token)}
                testId="download-my-invoice"
              >
                Download invoice
              </DownloadButton>
            )}
          </section>
          <section className="card" aria-labelledby="guest-timeline-title">
            <h2 id="guest-timeline-title">History</h2>
            <Timeline items={view.data.timeline} showActor={false} />
          </section>
        </div>
      </div>
    </article>
  );
}

/** "Find my order": the order number and the email it was placed with. */
export function FindOrderPage() {
  useTitle('Find my order');
  const navigate = useNavigate();
  const [number, setNumber] = useState('');
  const [email, setEmail] = useState('');
  const [errors, setErrors] = useState<{ number?: string; email?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    // people copy the number as it is printed: "#1001"
    const digits = number.trim().replace(/^#/, '');
    const problems: typeof errors = {};
    if (!/^[1-9][0-9]{0,9}$/.test(digits))
      problems.number = 'Enter the order number from your email, like #1001.';
    if (!EMAIL.test(email.trim())) problems.email = 'Enter the email you ordered with.';
    setErrors(problems);
    setFailure(null);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      const found = await api.lookupGuestOrder({ number: Number(digits), email: email.trim() });
      navigate(`/orders/${found.orderId}?token=${encodeURIComponent(found.accessToken)}`);
    } catch (err) {
      // the shop's one answer for every miss says what to try next
      setFailure(isApiError(err, 'not_found') ? err.message : describeError(err));
      setBusy(false);
    }
  }

  return (
    <div className="auth-page card narrow-card">
      <h1>Find my order</h1>
      <p>Ordered without an account? Enter the order number and the email you used.</p>
      <form onSubmit={submit} noValidate className="stack" data-testid="find-order-form">
        <Field label="Order number" error={errors.number} required hint="It is in your confirmation email.">
          <input
            type="text"
            name="order-number"
            inputMode="numeric"
            placeholder="#1001"
            value={number}
            onChange={(e) => setNumber(e.target.value)}
            data-testid="find-order-number"
          />
        </Field>
        <Field label="Email" error={errors.email} required>
          <input
            type="email"
            name="email"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            data-testid="find-order-email"
          />
        </Field>
        <div aria-live="polite">
          {failure && (
            <Notice kind="error" testId="find-order-failed">
              {failure}
            </Notice>
          )}
        </div>
        <Button type="submit" busy={busy} className="btn-block">
          {busy ? 'Looking…' : 'Find my order'}
        </Button>
      </form>
      <p className="muted">
        Have an account? <Link to="/login">Sign in</Link> to see all your orders.
      </p>
    </div>
  );
}

/** The token from the link's fragment (`#token=…`: a fragment is never sent to a server). */
function claimToken(): string | null {
  return new URLSearchParams(window.location.hash.slice(1)).get('token');
}

/** Finishes creating an account from a guest one, with the link emailed to that address. */
export function ClaimAccountPage() {
  useTitle('Finish creating your account');
  const navigate = useNavigate();
  const { adopt } = useSession();
  const [token] = useState(claimToken);
  // once read, the token leaves the address bar: not kept in the history or shown on a shared screen
  useEffect(() => {
    if (window.location.hash) window.history.replaceState(window.history.state, '', window.location.pathname);
  }, []);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ name?: string; password?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!token) return;
    const problems: typeof errors = {};
    if (!name.trim()) problems.name = 'Enter your name.';
    if (password.length < MIN_PASSWORD_LENGTH)
      problems.password = `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
    setErrors(problems);
    setFailure(null);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      adopt(await api.claimAccount({ token, password, name: name.trim() }));
      navigate('/account', {
        replace: true,
        state: {
          notice: 'Your account is ready and you are signed in. Your guest orders are in My orders.',
        },
      });
    } catch (err) {
      const fields = fieldErrors(err);
      if (fields['password'] || fields['name'])
        setErrors({ password: fields['password'], name: fields['name'] });
      else setFailure(describeError(err));
      setBusy(false);
    }
  }

  if (!token) {
    return (
      <div className="auth-page card narrow-card">
        <h1>Finish creating your account</h1>
        <Notice kind="warning" testId="claim-link-incomplete">
          This page needs the link from the email we sent you. Open the link from the email again, or sign up
          again for a new one.
        </Notice>
      </div>
    );
  }

  return (
    <div className="auth-page card narrow-card">
      <h1>Finish creating your account</h1>
      <p>Choose a password: the orders you placed as a guest with this email will be in your account.</p>
      <form onSubmit={submit} noValidate className="stack" data-testid="claim-form">
        <Field label="Your name" error={errors.name} required>
          <input
            type="text"
            name="name"
            autoComplete="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </Field>
        <Field label="Password" error={errors.password} required hint={NEW_PASSWORD_HINT}>
          <input
            type="password"
            name="new-password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <div aria-live="polite">
          {failure && (
            <Notice kind="error" testId="claim-failed">
              <p>{failure}</p>
              <Link to="/register">Sign up again for a new link</Link>
            </Notice>
          )}
        </div>
        <Button type="submit" busy={busy} className="btn-block">
          {busy ? 'Saving…' : 'Create my account'}
        </Button>
      </form>
    </div>
  );
}
