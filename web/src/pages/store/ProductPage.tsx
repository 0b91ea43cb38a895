import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import * as api from '../../api.ts';
import { Button, ErrorState, Field, Loading, ProductImage, StockBadge } from '../../components/ui.tsx';
import { isApiError } from '../../lib/errors.ts';
import { money } from '../../lib/format.ts';
import { useAsync, useEvents, useTitle } from '../../lib/hooks.ts';
import { useAddToCart } from './useAddToCart.ts';
import { OptionPicker } from './OptionPicker.tsx';
import { findVariant, hasOptions, initialSelection, type Selection } from './variants.ts';
import './ProductPage.css';

export function ProductPage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const product = useAsync((signal) => api.getProduct(id, signal), [id]);
  const p = product.data;
  useTitle(p?.name ?? 'Product');
  const [quantity, setQuantity] = useState('1');
  const [qtyError, setQtyError] = useState<string | undefined>();
  // null until the product has loaded: then the variant named in the address, or the first in stock
  const [selection, setSelection] = useState<Selection | null>(null);
  const { add, busyId, canShop } = useAddToCart();
  const requestedVariant = params.get('variant');

  useEffect(() => {
    if (p && p.id === id && selection === null) setSelection(initialSelection(p, requestedVariant));
  }, [p, id, selection, requestedVariant]);
  // another product opened from this page starts from its own choice
  useEffect(() => setSelection(null), [id]);

  useEvents({
    stock: (e) => {
      if (e.productId !== id) return;
      product.setData((prev) =>
        prev
          ? {
              ...prev,
              variants: prev.variants.map((v) =>
                v.id === e.variantId ? { ...v, available: Math.max(0, e.available) } : v,
              ),
            }
          : prev,
      );
      api
        .getProduct(id)
        .then((fresh) => product.setData(fresh))
        .catch(() => {});
    },
  });

  if (product.loading && !p) return <Loading label="Loading product…" />;
  if (product.error || !p) {
    if (isApiError(product.error, 'not_found') || isApiError(product.error, 'validation_failed')) {
      return (
        <div className="narrow">
          <h1>Product not found</h1>
          <p>This product does not exist or is no longer sold.</p>
          <Link to="/" className="btn btn-primary">
            Back to the shop
          </Link>
        </div>
      );
    }
    return <ErrorState error={product.error} onRetry={product.reload} />;
  }

  const withOptions = hasOptions(p);
  const variant = findVariant(p, selection ?? {});
  // what the page shows follows the variant picked; without one, the product's own figures
  const shown = variant ?? (withOptions ? undefined : p.variants[0]);
  const available = shown ? (shown.active ? shown.available : 0) : 0;
  const price = shown?.price ?? p.price;
  const sku = shown?.sku ?? p.sku;
  const sellable = p.active && shown !== undefined && shown.active;

  function pick(option: string, value: string) {
    if (!p) return;
    const next = { ...(selection ?? {}), [option]: value };
    setSelection(next);
    setQtyError(undefined);
    const chosen = findVariant(p, next);
    setParams(chosen ? { variant: chosen.id } : {}, { replace: true });
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!p) return;
    if (withOptions && !variant) {
      setQtyError(`Choose ${p.options.map((o) => o.name.toLowerCase()).join(' and ')} first.`);
      return;
    }
    const n = Number(quantity);
    if (!Number.isInteger(n) || n < 1) {
      setQtyError('Enter a whole number of at least 1.');
      return;
    }
    if (n > available) {
      setQtyError(
        available > 0
          ? `Only ${available} left — please lower the quantity.`
          : 'This product is out of stock.',
      );
      return;
    }
    setQtyError(undefined);
    void add(p, n, withOptions ? variant : undefined);
  }

  return (
    <article className="product-detail">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <ol>
          <li>
            <Link to="/">Shop</Link>
          </li>
          <li aria-current="page">{p.name}</li>
        </ol>
      </nav>
      <div className="product-detail-grid">
        <ProductImage name={p.name} sku={p.sku} imageUrl={p.imageUrl} size="large" />
        <div className="product-detail-info">
          <h1>{p.name}</h1>
          <div aria-live="polite" className="product-detail-live">
            <p className="product-price product-price-large" data-testid="product-price">
              {money(price, p.currency)}
            </p>
            <p>
              {shown ? (
                shown.active ? (
                  <StockBadge available={available} lowStock={shown.lowStock} />
                ) : (
                  <span className="badge stock-out" data-testid="stock-badge">
                    Unavailable
                  </span>
                )
              ) : (
                <span className="badge" data-testid="stock-badge">
                  {selection && Object.keys(selection).length === p.options.length
                    ? 'This combination is not available'
                    : 'Choose your options'}
                </span>
              )}
            </p>
            <p className="muted small" data-testid="product-sku">
              SKU {sku}
            </p>
          </div>
          {!p.active && <p className="notice notice-warning">This product is no longer sold.</p>}
          {p.description && <p className="product-description">{p.description}</p>}
          {withOptions && (
            <div className="option-pickers">
              {p.options.map((option) => (
                <OptionPicker
                  key={option.name}
                  product={p}
                  option={option}
                  selection={selection ?? {}}
                  onPick={pick}
                />
              ))}
            </div>
          )}
          {canShop && p.active && (
            <form className="add-form" onSubmit={submit} noValidate>
              <Field label="Quantity" error={qtyError}>
                <input
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={Math.max(1, available)}
                  step={1}
                  value={quantity}
                  onChange={(e) => setQuantity(e.target.value)}
                  className="input-qty"
                  disabled={!sellable || available <= 0}
                  data-testid="quantity-input"
                />
              </Field>
              <Button type="submit" busy={busyId === p.id} disabled={!sellable || available <= 0}>
                {!sellable ? 'Unavailable' : available > 0 ? 'Add to cart' : 'Out of stock'}
              </Button>
            </form>
          )}
        </div>
      </div>
    </article>
  );
}
