import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import * as api from '../../api.ts';
import type { CatalogProductQuery } from '../../api.ts';
import { PageHeader } from '../../components/Layout.tsx';
import {
  Button,
  EmptyState,
  ErrorState,
  Field,
  Loading,
  ProductImage,
  TableScroll,
} from '../../components/ui.tsx';
import { money } from '../../lib/format.ts';
import { useAsync, useDebounced, usePagedList, useTitle, usePageSearchParams } from '../../lib/hooks.ts';
import { categoryOptions, categoryPath } from './catalog-shared.tsx';
import './ProductsPage.css';

type Status = NonNullable<CatalogProductQuery['status']>;
const STATUSES: Array<[Status, string]> = [
  ['all', 'All'],
  ['active', 'On sale'],
  ['archived', 'Archived'],
];
const isStatus = (value: string | null): value is Status => STATUSES.some(([s]) => s === value);

/** The admin's product list: search, category and status filters, and a way to a new product. */
export function ProductsPage() {
  useTitle('Products');
  const [params, setParams] = usePageSearchParams();
  const [search, setSearch] = useState(params.get('search') ?? '');
  const q = useDebounced(search.trim(), 300);
  const category = params.get('category') ?? '';
  const statusParam = params.get('status');
  const status: Status = isStatus(statusParam) ? statusParam : 'all';

  useEffect(() => {
    const next = new URLSearchParams(params);
    if (q) next.set('search', q);
    else next.delete('search');
    if (next.toString() !== params.toString()) setParams(next, { replace: true });
  }, [q, params, setParams]);

  const setFilter = (key: string, value: string, empty: string) => {
    const next = new URLSearchParams(params);
    if (value === empty) next.delete(key);
    else next.set(key, value);
    setParams(next, { replace: true });
  };

  const categories = useAsync((signal) => api.listCatalogCategories(signal), []);
  const all = categories.data?.items ?? [];
  const products = usePagedList(
    (cursor, signal) =>
      api.listCatalogProducts(
        { search: q || undefined, category: category || undefined, status, limit: 25, cursor },
        signal,
      ),
    (p) => p.id,
    [q, category, status],
  );

  return (
    <>
      <PageHeader title="Products">
        <Link className="btn btn-primary" to="/admin/products/new" data-testid="new-product">
          New product
        </Link>
      </PageHeader>
      <form
        className="filters card"
        role="search"
        aria-label="Filter products"
        onSubmit={(e) => e.preventDefault()}
      >
        <Field label="Search" hint="Name or SKU">
          <input
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            data-testid="product-search"
          />
        </Field>
        <Field label="Category">
          <select
            value={category}
            onChange={(e) => setFilter('category', e.target.value, '')}
            data-testid="category-filter"
          >
            <option value="">Every category</option>
            {categoryOptions(all).map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Status">
          <select
            value={status}
            onChange={(e) => setFilter('status', e.target.value, 'all')}
            data-testid="status-filter"
          >
            {STATUSES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </Field>
      </form>
      {products.loading && products.items.length === 0 ? (
        <Loading label="Loading products…" />
      ) : products.error ? (
        <ErrorState error={products.error} onRetry={products.reload} />
      ) : products.items.length === 0 ? (
        <EmptyState title="No products found." />
      ) : (
        <>
          <TableScroll label="Products">
            <table
              className="table table-stack products-table"
              data-testid="products-table"
              aria-busy={products.loading || undefined}
            >
              <thead>
                <tr>
                  <th scope="col">Product</th>
                  <th scope="col">Category</th>
                  <th scope="col" className="num">
                    Price
                  </th>
                  <th scope="col" className="num">
                    Variants
                  </th>
                  <th scope="col" className="num">
                    Available
                  </th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {products.items.map((p) => (
                  <tr
                    key={p.id}
                    data-testid="product-row"
                    data-product-id={p.id}
                    className={p.active ? '' : 'row-archived'}
                  >
                    <th scope="row">
                      <span className="product-cell">
                        <ProductImage name={p.name} sku={p.sku} imageUrl={p.imageUrl} size="thumb" />
                        <span>
                          <Link to={`/admin/products/${p.id}`} className="cell-title">
                            {p.name}
                          </Link>
                          <span className="muted small"> {p.sku}</span>
                        </span>
                      </span>
                    </th>
                    <td data-label="Category">
                      {categoryPath(all, p.categoryId) || <span className="muted">—</span>}
                    </td>
                    <td className="num" data-label="Price">
                      {p.variants.length > 1 && <span className="muted small">from </span>}
                      {money(p.price, p.currency)}
                    </td>
                    <td className="num" data-label="Variants">
                      {p.variants.length}
                    </td>
                    <td className="num" data-label="Available">
                      {p.available}
                    </td>
                    <td data-label="Status">
                      {p.active ? (
                        <span className="badge stock-in">On sale</span>
                      ) : (
                        <span className="badge badge-neutral">Archived</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          {products.hasMore && (
            <div className="products-more">
              <Button
                variant="secondary"
                busy={products.loadingMore}
                onClick={products.loadMore}
                data-testid="load-more"
              >
                {products.loadingMore ? 'Loading…' : 'Load more products'}
              </Button>
            </div>
          )}
        </>
      )}
    </>
  );
}
