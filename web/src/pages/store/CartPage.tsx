import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import * as api from '../../api.ts';
import type { Cart, CartItem } from '../../api.ts';
import { PageHeader } from '../../components/Layout.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { Button, EmptyState, ErrorState, Loading, ProductImage } from '../../components/ui.tsx';
import { describeError } from '../../lib/errors.ts';
import { lineTotal, money } from '../../lib/format.ts';
import { useTitle } from '../../lib/hooks.ts';
import { useFreshCart, useSession } from '../../lib/session.tsx';
import { variantLabel } from './variants.ts';
import './summary.css';
import './CartPage.css';

export function CartPage() {
  useTitle('Your cart');
  const { setCart } = useSession();
  const { cart, loading, error, reload } = useFreshCart();

  if (loading && !cart) return <Loading label="Loading your cart…" />;
  if (error && !cart) return <ErrorState error={error} onRetry={reload} />;
  if (!cart) return null;

  return (
    <>
      <PageHeader title="Your cart" />
      {cart.items.length === 0 ? (
        <EmptyState title="Your cart is empty.">
          <Link to="/" className="btn btn-primary">
            Browse the shop
          </Link>
        </EmptyState>
      ) : (
        <CartContents cart={cart} onChange={setCart} />
      )}
    </>
  );
}

export function blockingItems(cart: Cart): CartItem[] {
  return cart.items.filter((i) => i.warning !== null);
}

function CartContents({ cart, onChange }: { cart: Cart; onChange: (c: Cart) => void }) {
  const blocking = blockingItems(cart);
  const changedPrices = cart.items.filter((i) => i.priceChanged);
  return (
    <div className="cart-layout">
      <section aria-labelledby="cart-items-title">
        <h2 id="cart-items-title" className="visually-hidden">
          Items
        </h2>
        {changedPrices.length > 0 && (
          <div className="notice notice-info" role="status" data-testid="price-changed-notice">
            <p className="notice-title">Some prices have changed since you added these items</p>
            <p>The cart shows the current prices; they are what you will pay.</p>
          </div>
        )}
        <ul className="cart-items" data-testid="cart-items">
          {cart.items.map((item) => (
            <CartLine key={item.variantId} item={item} onChange={onChange} />
          ))}
        </ul>
      </section>
      <aside className="cart-summary card" aria-labelledby="summary-title">
        <h2 id="summary-title">Summary</h2>
        <dl className="summary-list">
          <div>
            <dt>Subtotal</dt>
            <dd data-testid="cart-subtotal">{money(cart.subtotal, cart.currency)}</dd>
          </div>
          <div>
            <dt>Shipping</dt>
            <dd>Free</dd>
          </div>
        </dl>
        {blocking.length > 0 ? (
          <>
            <p className="field-error" id="checkout-blocked">
              Please fix the {blocking.length === 1 ? 'item' : 'items'} marked above before checking out.
            </p>
            <button
              type="button"
              className="btn btn-primary btn-block"
              disabled
              aria-describedby="checkout-blocked"
            >
              Go to checkout
            </button>
          </>
        ) : (
          <Link to="/checkout" className="btn btn-primary btn-block" data-testid="checkout-link">
            Go to checkout
          </Link>
        )}
        <Link to="/" className="btn btn-link btn-block">
          Continue shopping
        </Link>
      </aside>
    </div>
  );
}

function CartLine({ item, onChange }: { item: CartItem; onChange: (c: Cart) => void }) {
  const notify = useToast();
  const [quantity, setQuantity] = useState(String(item.quantity));
  const [busy, setBusy] = useState<'update' | 'remove' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const names = new Map([[item.productId, item.name]]);
  // two sizes of a tee are two lines: the messages and hidden labels say which
  const lineName = item.variantTitle ? `${item.name} (${item.variantTitle})` : item.name;

  useEffect(() => setQuantity(String(item.quantity)), [item.quantity]);

  async function update(n: number) {
    setBusy('update');
    setError(null);
    try {
      // the cart's path parameter keeps its v1 name, and holds the line's variant (ADR 0025)
      onChange(await api.setCartQuantity(item.variantId, n));
      notify(`${lineName}: quantity set to ${n}.`);
    } catch (err) {
      setError(describeError(err, { names, currency: item.currency }));
    } finally {
      setBusy(null);
    }
  }

  async function remove() {
    setBusy('remove');
    setError(null);
    try {
      onChange(await api.removeFromCart(item.variantId));
      notify(`Removed ${lineName} from your cart.`);
    } catch (err) {
      setError(describeError(err, { names, currency: item.currency }));
      setBusy(null);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const n = Number(quantity);
    if (!Number.isInteger(n) || n < 0) {
      setError('Enter a whole number (0 removes the item).');
      return;
    }
    if (n === 0) void remove();
    else if (n !== item.quantity) void update(n);
  }

  const qtyId = `qty-${item.variantId}`;
  const warningId = `warning-${item.variantId}`;
  // the product's own id names its default variant: no choice to carry to its page
  const productLink =
    item.variantId === item.productId
      ? `/products/${item.productId}`
      : `/products/${item.productId}?variant=${item.variantId}`;
  const dirty = quantity !== String(item.quantity);

  return (
    <li
      className={`cart-item${item.warning ? ' cart-item-warning' : ''}`}
      data-testid="cart-item"
      data-product-id={item.productId}
      data-variant-id={item.variantId}
    >
      <ProductImage name={item.name} sku={item.productId} imageUrl={item.imageUrl} size="thumb" />
      <div className="cart-item-main">
        <h3 className="cart-item-name">
          <Link to={productLink}>{item.name}</Link>
        </h3>
        {variantLabel(item) && (
          <p className="cart-item-variant muted small" data-testid="line-variant">
            {variantLabel(item)}
          </p>
        )}
        <p className="cart-item-price">
          {money(item.price, item.currency)} each
          {item.priceChanged && (
            <span className="price-changed" data-testid="price-changed">
              {' '}
              (was <s>{money(item.priceChanged.from, item.currency)}</s>, now{' '}
              {money(item.priceChanged.to, item.currency)})
            </span>
          )}
        </p>
        {item.warning && (
          <div className="notice notice-warning cart-warning" id={warningId} data-testid="cart-warning">
            <p>
              {item.warning.code === 'insufficient_stock'
                ? `Only ${item.warning.available} left of ${lineName} — please lower the quantity.`
                : item.warning.code === 'out_of_stock'
                  ? `${lineName} is out of stock — please remove it to check out.`
                  : `${lineName} is no longer sold — please remove it to check out.`}
            </p>
            {item.warning.code === 'insufficient_stock' && item.warning.available > 0 && (
              <Button
                variant="secondary"
                className="btn-small"
                busy={busy === 'update'}
                onClick={() => void update(item.warning?.available ?? 1)}
              >
                Change to {item.warning.available}
              </Button>
            )}
          </div>
        )}
        <form className="cart-item-controls" onSubmit={submit} noValidate>
          <label htmlFor={qtyId}>Quantity</label>
          <input
            id={qtyId}
            type="number"
            inputMode="numeric"
            min={0}
            step={1}
            value={quantity}
            onChange={(e) => setQuantity(e.target.value)}
            className="input-qty"
            aria-describedby={item.warning ? warningId : undefined}
            data-testid="cart-quantity"
          />
          <Button
            type="submit"
            variant="secondary"
            className="btn-small"
            busy={busy === 'update'}
            disabled={!dirty}
          >
            Update<span className="visually-hidden"> quantity of {lineName}</span>
          </Button>
          <Button
            variant="ghost"
            className="btn-small"
            busy={busy === 'remove'}
            onClick={() => void remove()}
          >
            Remove<span className="visually-hidden"> {lineName}</span>
          </Button>
        </form>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
      </div>
      <p className="cart-item-total">
        <span className="visually-hidden">Line total: </span>
        {money(lineTotal(item.price, item.quantity, item.currency), item.currency)}
      </p>
    </li>
  );
}
