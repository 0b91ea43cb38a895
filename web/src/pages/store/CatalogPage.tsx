import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import * as api from '../../api.ts';
import type { Product } from '../../api-types.ts';
import { Button, EmptyState, ErrorState, Loading, ProductImage, StockBadge } from '../../components/ui.tsx';
import { describeError } from '../../lib/errors.ts';
import { money } from '../../lib/format.ts';
import { useDebounced, useEvents, useTitle } from '../../lib/hooks.ts';
import { useAddToCart } from './useAddToCart.ts';

const PAGE_SIZE = 12;

export function CatalogPage() {
  useTitle('Shop');
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const query = useDebounced(search.trim(), 300);

  const [items, setItems] = useState<Product[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [nonce, setNonce] = useState(0);
  const { add, busyId, canShop } = useAddToCart();

  // keep the search in the address bar, so it survives reloads and the back button
  useEffect(() => {
    setParams(query ? { q: query } : {}, { replace: true });
  }, [query, setParams]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    api
      .listProducts({ search: query || undefined, limit: PAGE_SIZE }, controller.signal)
      .then((page) => {
        setItems(page.items);
        setNextCursor(page.nextCursor);
        setLoading(false);
      })
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        setError(err);
        setLoading(false);
      });
    return () => controller.abort();
  }, [query, nonce]);

  async function loadMore() {
    if (!nextCursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await api.listProducts({
        search: query || undefined,
        limit: PAGE_SIZE,
        cursor: nextCursor,
      });
      setItems((list) => [...list, ...page.items.filter((p) => !list.some((q) => q.id === p.id))]);
      setNextCursor(page.nextCursor);
    } catch (err) {
      setMoreError(err);
    } finally {
      setLoadingMore(false);
    }
  }

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
        <ErrorState error={error} onRetry={() => setNonce((n) => n + 1)} />
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
          {moreError !== null && (
            <p className="field-error" role="alert">
              {describeError(moreError)}
            </p>
          )}
          {nextCursor && (
            <div className="load-more">
              <Button variant="secondary" busy={loadingMore} onClick={() => void loadMore()}>
                {loadingMore ? 'Loading…' : 'Load more products'}
              </Button>
            </div>
          )}
        </>
      )}
    </>
  );
}
