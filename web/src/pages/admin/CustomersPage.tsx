import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import * as api from '../../api.ts';
import { PageHeader } from '../../components/Layout.tsx';
import { Button, EmptyState, ErrorState, Field, Loading, TableScroll } from '../../components/ui.tsx';
import { describeError } from '../../lib/errors.ts';
import { formatDate, formatDateTime, money } from '../../lib/format.ts';
import { useDebounced, usePagedList, useTitle, usePageSearchParams } from '../../lib/hooks.ts';
import './CustomersPage.css';

const PAGE_SIZE = 25;
type CustomerSort = NonNullable<api.CustomerQuery['sort']>;

/** The customers who have bought something: search by name or email, by last order or spend. */
export function CustomersPage() {
  useTitle('Customers');
  const [params, setParams] = usePageSearchParams();
  const sort: CustomerSort = params.get('sort') === 'totalSpent' ? 'totalSpent' : 'lastOrder';
  const [search, setSearch] = useState(params.get('search') ?? '');
  const q = useDebounced(search.trim(), 300);

  useEffect(() => {
    const next = new URLSearchParams();
    if (q) next.set('search', q);
    if (sort !== 'lastOrder') next.set('sort', sort);
    setParams(next, { replace: true });
  }, [q, sort, setParams]);

  const customers = usePagedList(
    (cursor, signal) => api.listCustomers({ search: q || undefined, sort, limit: PAGE_SIZE, cursor }, signal),
    (c) => c.id,
    [q, sort],
  );
  const { items, loading, error } = customers;

  return (
    <>
      <PageHeader title="Customers" />
      <p className="muted">Everyone who has paid for an order, with what they have spent net of refunds.</p>
      <form
        className="filters card customers-filters"
        role="search"
        aria-label="Find customers"
        onSubmit={(e) => e.preventDefault()}
      >
        <Field label="Search" hint="Part of a name or email">
          <input
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            data-testid="customers-search"
          />
        </Field>
        <Field label="Sort">
          <select
            value={sort}
            onChange={(e) => {
              const next = new URLSearchParams(params);
              if (e.target.value === 'totalSpent') next.set('sort', 'totalSpent');
              else next.delete('sort');
              setParams(next, { replace: true });
            }}
            data-testid="customers-sort"
          >
            <option value="lastOrder">Latest order first</option>
            <option value="totalSpent">Highest total spent</option>
          </select>
        </Field>
      </form>

      {loading && items.length === 0 ? (
        <Loading label="Loading customers…" />
      ) : error ? (
        <ErrorState error={error} onRetry={customers.reload} />
      ) : items.length === 0 ? (
        <EmptyState
          title={q ? 'No customer matches this search.' : 'No customer has paid for an order yet.'}
        />
      ) : (
        <>
          <TableScroll label="Customers">
            <table
              className="table table-hover table-stack"
              aria-busy={loading || undefined}
              data-testid="customers-table"
            >
              <thead>
                <tr>
                  <th scope="col">Customer</th>
                  <th scope="col">Email</th>
                  <th scope="col" className="num">
                    Orders
                  </th>
                  <th
                    scope="col"
                    className="num"
                    aria-sort={sort === 'totalSpent' ? 'descending' : undefined}
                  >
                    Total spent
                  </th>
                  <th scope="col" aria-sort={sort === 'lastOrder' ? 'descending' : undefined}>
                    Last order
                  </th>
                  <th scope="col">Customer since</th>
                </tr>
              </thead>
              <tbody>
                {items.map((c) => (
                  <tr key={c.id} data-testid="customer-row" data-customer-id={c.id}>
                    <td data-label="Customer">
                      <Link to={`/admin/customers/${c.id}`}>{c.name}</Link>
                    </td>
                    <td data-label="Email" className="customer-email">
                      {c.email}
                    </td>
                    <td className="num" data-label="Orders">
                      {c.ordersCount}
                    </td>
                    <td className="num" data-label="Total spent">
                      {money(c.totalSpent, c.currency)}
                    </td>
                    <td data-label="Last order">
                      {c.lastOrderAt ? (
                        <time dateTime={c.lastOrderAt}>{formatDateTime(c.lastOrderAt)}</time>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td data-label="Customer since">
                      <time dateTime={c.createdAt}>{formatDate(c.createdAt)}</time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          {customers.moreError !== null && (
            <p className="field-error" role="alert">
              {describeError(customers.moreError)}
            </p>
          )}
          {customers.hasMore && (
            <div className="customers-more">
              <Button
                variant="secondary"
                busy={customers.loadingMore}
                onClick={customers.loadMore}
                data-testid="load-more"
              >
                {customers.loadingMore ? 'Loading…' : 'Load more customers'}
              </Button>
            </div>
          )}
        </>
      )}
    </>
  );
}
