import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import * as api from '../../api.ts';
import { Button, ErrorState, Field, Loading, ProductImage, StockBadge } from '../../components/ui.tsx';
import { isApiError } from '../../lib/errors.ts';
import { money } from '../../lib/format.ts';
import { useAsync, useEvents, useTitle } from '../../lib/hooks.ts';
import { useAddToCart } from './useAddToCart.ts';
import './ProductPage.css';

export function ProductPage() {
  const { id = '' } = useParams();
  const product = useAsync((signal) => api.getProduct(id, signal), [id]);
  const p = product.data;
  useTitle(p?.name ?? 'Product');
  const [quantity, setQuantity] = useState('1');
  const [qtyError, setQtyError] = useState<string | undefined>();
  const { add, busyId, canShop } = useAddToCart();

  useEvents({
    stock: (e) => {
      if (e.productId !== id) return;
      product.setData((prev) => (prev ? { ...prev, available: Math.max(0, e.available) } : prev));
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

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!p) return;
    const n = Number(quantity);
    if (!Number.isInteger(n) || n < 1) {
      setQtyError('Enter a whole number of at least 1.');
      return;
    }
    if (n > p.available) {
      setQtyError(
        p.available > 0
          ? `Only ${p.available} left — please lower the quantity.`
          : 'This product is out of stock.',
      );
      return;
    }
    setQtyError(undefined);
    void add(p, n);
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
          <p className="product-price product-price-large">{money(p.price, p.currency)}</p>
          <p>
            <StockBadge available={p.available} lowStock={p.lowStock} />
          </p>
          {!p.active && <p className="notice notice-warning">This product is no longer sold.</p>}
          {p.description && <p className="product-description">{p.description}</p>}
          <p className="muted small">SKU {p.sku}</p>
          {canShop && p.active && (
            <form className="add-form" onSubmit={submit} noValidate>
              <Field label="Quantity" error={qtyError}>
                <input
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={Math.max(1, p.available)}
                  step={1}
                  value={quantity}
                  onChange={(e) => setQuantity(e.target.value)}
                  className="input-qty"
                  disabled={p.available <= 0}
                  data-testid="quantity-input"
                />
              </Field>
              <Button type="submit" busy={busyId === p.id} disabled={p.available <= 0}>
                {p.available > 0 ? 'Add to cart' : 'Out of stock'}
              </Button>
            </form>
          )}
        </div>
      </div>
    </article>
  );
}
