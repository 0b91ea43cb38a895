import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import * as api from '../../api.ts';
import { Button, EmptyState, ErrorState, Loading, ProductImage, StockBadge } from '../../components/ui.tsx';
import { describeError } from '../../lib/errors.ts';
import { money } from '../../lib/format.ts';
import { useDebounced, useEvents, usePagedList, useTitle } from '../../lib/hooks.ts';
import { useAddToCart } from './useAddToCart.ts';
import './CatalogPage.css';

const PAGE_SIZE = 12;

export function CatalogPage() {
  useTitle('Shop');
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const query = useDebounced(search.trim(), 300);

  const { add, busyId, canShop } = useAddToCart();

  // keep the search in the address bar, so it survives reloads and the back button
  useEffect(() => {
    setParams(query ? { q: query } : {}, { replace: true });
  }, [query, setParams]);

  const products = usePagedList(
    (cursor, signal) => api.listProducts({ search: query || undefined, limit: PAGE_SIZE, cursor }, signal),
    (p) => p.id,
    [query],
  );
  const { items, setItems, loading, error } = products;

  // live stock: update the numbers at once, then ask for the product's low-stock flag
  const itemsRef = useRef(items);
  itemsRef.current = items;
  useEvents({
    stock: (e) => {
      if (!itemsRef.current.some((p) => p.id === e.productId)) return;
      setItems((list) =>
        list.map((p) => (p.id === e.productId ? { ...p, available: Math.max(0, e.available) } : p)),
      );
      api
        .getProduct(e.productId)
        .then((fresh) => setItems((list) => list.map((p) => (p.id === fresh.id ? fresh : p))))
        .catch(() => {});
    },
  });

  return (
    <>
      <section className="hero" aria-labelledby="catalog-title">
        <h1 id="catalog-title">Shop</h1>
        <p className="lead">Everyday goods, shipped fast. Stock updates live as other shoppers buy.</p>
        <form className="search-form" role="search" onSubmit={(e) => e.preventDefault()}>
          <label htmlFor="product-search" className="visually-hidden">
            Search products
          </label>
          <input
            id="product-search"
            type="search"
            placeholder="Search products…"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            autoComplete="off"
            data-testid="product-search"
          />
        </form>
      </section>

      <div aria-live="polite" className="visually-hidden">
        {!loading && !error && (query ? `${items.length} products found for ${query}` : '')}
      </div>

      {loading && items.length === 0 ? (
        <Loading label="Loading products…" />
      ) : error ? (
        <ErrorState error={error} onRetry={products.reload} />
      ) : items.length === 0 ? (
        <EmptyState title={query ? `No products match “${query}”.` : 'No products yet.'}>
          {query && (
            <Button variant="secondary" onClick={() => setSearch('')}>
              Clear the search
            </Button>
          )}
        </EmptyState>
      ) : (
        <>
          <ul
            className="product-grid"
            aria-label="Products"
            aria-busy={loading || undefined}
            data-testid="product-list"
          >
            {items.map((p) => (
              <li key={p.id} className="product-card" data-testid="product-card" data-product-id={p.id}>
                <Link
                  to={`/products/${p.id}`}
                  className="product-card-image"
                  tabIndex={-1}
                  aria-hidden="true"
                >
                  <ProductImage name={p.name} sku={p.sku} imageUrl={p.imageUrl} />
                </Link>
                <div className="product-card-body">
                  <h2 className="product-name">
                    <Link to={`/products/${p.id}`}>{p.name}</Link>
                  </h2>
                  <p className="product-price">{money(p.price, p.currency)}</p>
                  <StockBadge available={p.available} lowStock={p.lowStock} />
                </div>
                {canShop && (
                  <Button
                    className="product-card-action"
                    variant={p.available > 0 ? 'primary' : 'secondary'}
                    disabled={p.available <= 0}
                    busy={busyId === p.id}
                    onClick={() => void add(p, 1)}
                  >
                    {p.available > 0 ? 'Add to cart' : 'Out of stock'}
                    <span className="visually-hidden">: {p.name}</span>
                  </Button>
                )}
              </li>
            ))}
          </ul>
          {products.moreError !== null && (
            <p className="field-error" role="alert">
              {describeError(products.moreError)}
            </p>
          )}
          {products.hasMore && (
            <div className="load-more">
              <Button variant="secondary" busy={products.loadingMore} onClick={products.loadMore}>
                {products.loadingMore ? 'Loading…' : 'Load more products'}
              </Button>
            </div>
          )}
        </>
      )}
    </>
  );
}
