import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import * as api from '../../api.ts';
import { PRODUCT_SORTS, type Category, type ProductSort } from '../../api.ts';
import { Button, EmptyState, ErrorState, Loading, ProductImage, StockBadge } from '../../components/ui.tsx';
import { describeError } from '../../lib/errors.ts';
import { money } from '../../lib/format.ts';
import {
  useAsync,
  useDebounced,
  useEvents,
  usePagedList,
  useTitle,
  usePageSearchParams,
} from '../../lib/hooks.ts';
import { useAddToCart } from './useAddToCart.ts';
import { hasOptions, priceRange } from './variants.ts';
import './CatalogPage.css';

const PAGE_SIZE = 12;

const SORT_LABELS: Record<ProductSort, string> = {
  name: 'Name',
  price_asc: 'Price, low to high',
  price_desc: 'Price, high to low',
  newest: 'Newest',
};

function isSort(value: string | null): value is ProductSort {
  return PRODUCT_SORTS.some((s) => s === value);
}

/** The categories in tree order (each parent followed by its children), with their depth. */
function treeOrder(categories: Category[]): { category: Category; depth: number }[] {
  const out: { category: Category; depth: number }[] = [];
  const walk = (parentId: string | null, depth: number) => {
    for (const c of categories
      .filter((x) => x.parentId === parentId)
      .sort((a, b) => a.position - b.position || a.name.localeCompare(b.name))) {
      out.push({ category: c, depth });
      // the API keeps the tree at most three deep; the bound also stops a malformed cycle
      if (depth < 3) walk(c.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

export function CatalogPage() {
  useTitle('Shop');
  const [params, setParams] = usePageSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const query = useDebounced(search.trim(), 300);
  // an older server ignores `category` and `sort`; the controls show only where it has them
  const requestedSort = params.get('sort');
  const sort: ProductSort = isSort(requestedSort) ? requestedSort : 'name';
  const category = params.get('category') ?? '';

  const { add, busyId, canShop } = useAddToCart();

  // keep the search, category and sort in the address bar: they survive reloads and the back button
  useEffect(() => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (query) next.set('q', query);
        else next.delete('q');
        return next;
      },
      { replace: true },
    );
  }, [query, setParams]);

  function setFilter(name: 'category' | 'sort', value: string) {
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (value && !(name === 'sort' && value === 'name')) next.set(name, value);
      else next.delete(name);
      return next;
    });
  }

  const products = usePagedList(
    (cursor, signal) =>
      api.listProducts(
        {
          search: query || undefined,
          category: category || undefined,
          sort: requestedSort === null ? undefined : sort,
          limit: PAGE_SIZE,
          cursor,
        },
        signal,
      ),
    (p) => p.id,
    [query, category, sort],
  );
  const { items, setItems, loading, error } = products;
  // once seen, kept: an empty category must not hide the navigation that leads out of it
  const [knowsCategories, setKnowsCategories] = useState(false);
  useEffect(() => {
    if (api.serverHasCategories(items)) setKnowsCategories(true);
  }, [items]);
  const categories = useAsync(
    (signal) => (knowsCategories ? api.listCategories(signal).catch(() => null) : Promise.resolve(null)),
    [knowsCategories],
  );
  // the navigation and the sort select, only when the server answers with its categories
  const browsable = Array.isArray(categories.data);

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

      {browsable && (
        <div className="catalog-tools">
          <nav aria-label="Categories" className="category-nav" data-testid="category-nav">
            <ul>
              <li>
                <Link
                  to={{ search: '' }}
                  aria-current={category === '' ? 'page' : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    setFilter('category', '');
                  }}
                >
                  All products
                </Link>
              </li>
              {treeOrder(categories.data ?? []).map(({ category: c, depth }) => (
                <li key={c.id} className={`category-depth-${depth}`}>
                  <Link
                    to={{ search: `?category=${encodeURIComponent(c.slug)}` }}
                    aria-current={category === c.slug || category === c.id ? 'page' : undefined}
                    onClick={(e) => {
                      e.preventDefault();
                      setFilter('category', c.slug);
                    }}
                  >
                    {c.name}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <label className="sort-select">
            Sort by{' '}
            <select
              value={sort}
              onChange={(e) => setFilter('sort', e.target.value)}
              data-testid="sort-select"
            >
              {PRODUCT_SORTS.map((s) => (
                <option key={s} value={s}>
                  {SORT_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}

      <div aria-live="polite" className="visually-hidden">
        {!loading && !error && (query ? `${items.length} products found for ${query}` : '')}
      </div>

      {loading && items.length === 0 ? (
        <Loading label="Loading products…" />
      ) : error ? (
        <ErrorState error={error} onRetry={products.reload} />
      ) : items.length === 0 ? (
        <EmptyState
          title={
            query
              ? `No products match “${query}”.`
              : category
                ? 'No products in this category yet.'
                : 'No products yet.'
          }
        >
          {query && (
            <Button variant="secondary" onClick={() => setSearch('')}>
              Clear the search
            </Button>
          )}
          {category && (
            <Button variant="secondary" onClick={() => setFilter('category', '')}>
              Show all products
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
            {items.map((p) => {
              const range = priceRange(p);
              const withOptions = hasOptions(p);
              return (
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
                    <p className="product-price">
                      {range.min !== range.max && <span className="product-price-from">from </span>}
                      {money(range.min, p.currency)}
                    </p>
                    <StockBadge available={p.available} lowStock={p.lowStock} />
                  </div>
                  {canShop &&
                    (withOptions ? (
                      // a product with options is bought by its variant, picked on its page
                      <Link
                        to={`/products/${p.id}`}
                        className={`btn ${p.available > 0 ? 'btn-primary' : 'btn-secondary'} product-card-action`}
                        data-testid="choose-options"
                      >
                        Choose options<span className="visually-hidden">: {p.name}</span>
                      </Link>
                    ) : (
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
                    ))}
                </li>
              );
            })}
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
