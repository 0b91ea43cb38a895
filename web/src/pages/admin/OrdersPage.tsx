import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import * as api from '../../api.ts';
import type { AdminOrderQuery } from '../../api.ts';
import { PageHeader } from '../../components/Layout.tsx';
import {
  Button,
  EmptyState,
  ErrorState,
  Field,
  Loading,
  PaymentBadge,
  StatusBadge,
  TableScroll,
} from '../../components/ui.tsx';
import { formatDateTime, isOrderStatus, money, orderNumber, STATUS_LABELS } from '../../lib/format.ts';
import {
  useAsync,
  useDebounced,
  useDebouncedCallback,
  useEvents,
  useTitle,
  usePageSearchParams,
} from '../../lib/hooks.ts';
import './OrdersPage.css';

const PAGE_SIZE = 20;
type AdminOrderSort = NonNullable<AdminOrderQuery['sort']>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A date input's day (local time) as an ISO instant: its start, or the start of the next day. */
export function dayBoundary(day: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, end ? d + 1 : d).toISOString();
}

export function AdminOrdersPage() {
  useTitle('Orders');
  const [params, setParams] = usePageSearchParams();
  const statusParam = params.get('status') ?? '';
  const status = isOrderStatus(statusParam) ? statusParam : undefined;
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const customerId = params.get('customerId') ?? '';
  const sort: AdminOrderSort = params.get('sort') === 'total' ? 'total' : 'createdAt';
  const order = params.get('order') === 'asc' ? 'asc' : 'desc';
  const [search, setSearch] = useState(params.get('q') ?? '');
  const q = useDebounced(search.trim(), 300);
  const [customerInput, setCustomerInput] = useState(customerId);
  const customer = useDebounced(customerInput.trim(), 400);

  function update(changes: Record<string, string>) {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  }

  useEffect(() => {
    if ((params.get('q') ?? '') !== q) update({ q });
    // only the debounced search value drives the address bar
  }, [q]);
  useEffect(() => {
    if ((params.get('customerId') ?? '') !== customer) update({ customerId: customer });
  }, [customer]);

  const query: AdminOrderQuery = useMemo(
    () => ({
      status,
      customerId: UUID.test(customerId) ? customerId : undefined,
      from: from ? dayBoundary(from, false) : undefined,
      to: to ? dayBoundary(to, true) : undefined,
      q: params.get('q') || undefined,
      sort,
      order,
      limit: PAGE_SIZE,
    }),
    [status, customerId, from, to, params, sort, order],
  );
  const queryKey = JSON.stringify(query);

  // cursors of the pages before the current one; the current page's cursor is the last
  const [pager, setPager] = useState<{ key: string; cursors: (string | null)[] }>({
    key: queryKey,
    cursors: [null],
  });
  const cursors = pager.key === queryKey ? pager.cursors : [null];
  const cursor = cursors[cursors.length - 1] ?? null;
  const setCursors = (update: (c: (string | null)[]) => (string | null)[]) =>
    setPager({ key: queryKey, cursors: update(cursors) });
  const list = useAsync(
    (signal) => api.listAdminOrders({ ...query, cursor }, signal),
    // queryKey stands for query
    [queryKey, cursor],
  );
  const rows = list.data?.items ?? [];
  const nextCursor = list.data?.nextCursor ?? null;
  const { loading, error } = list;
  const [liveNote, setLiveNote] = useState('');

  const refresh = useDebouncedCallback(() => {
    list.reload();
    setLiveNote(`Orders updated at ${new Date().toLocaleTimeString()}`);
  }, 600);
  useEvents({ order: refresh }, true);

  function sortBy(column: AdminOrderSort) {
    const nextOrder = sort === column && order === 'desc' ? 'asc' : 'desc';
    update({ sort: column, order: nextOrder });
  }

  const ariaSort = (column: AdminOrderSort) =>
    sort === column ? (order === 'asc' ? 'ascending' : 'descending') : undefined;
  const filtered = Boolean(status || from || to || customerId || params.get('q'));
  const page = cursors.length;

  return (
    <>
      <PageHeader title="Orders">
        <span className="live-note muted small" aria-live="polite" data-testid="live-note">
          {liveNote}
        </span>
        <ExportButtons query={query} />
      </PageHeader>
      <form
        className="filters card"
        role="search"
        aria-label="Filter orders"
        onSubmit={(e) => e.preventDefault()}
      >
        <Field label="Search" hint="Order number, customer name or email, product name or SKU">
          <input
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            data-testid="orders-search"
          />
        </Field>
        <Field label="Status">
          <select
            value={status ?? ''}
            onChange={(e) => update({ status: e.target.value })}
            data-testid="status-filter"
          >
            <option value="">All statuses</option>
            {Object.entries(STATUS_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="From">
          <input
            type="date"
            value={from}
            max={to || undefined}
            onChange={(e) => update({ from: e.target.value })}
          />
        </Field>
        <Field label="To">
          <input
            type="date"
            value={to}
            min={from || undefined}
            onChange={(e) => update({ to: e.target.value })}
          />
        </Field>
        <Field
          label="Customer ID"
          error={
            customerInput.trim() && !UUID.test(customerInput.trim())
              ? 'A customer ID looks like 3f2a…-…; pick one from the table.'
              : undefined
          }
        >
          <input
            type="text"
            value={customerInput}
            onChange={(e) => setCustomerInput(e.target.value)}
            spellCheck={false}
            autoComplete="off"
          />
        </Field>
        <Field label="Sort">
          <select
            value={`${sort}:${order}`}
            onChange={(e) => {
              const [s, o] = e.target.value.split(':');
              update({ sort: s ?? 'createdAt', order: o ?? 'desc' });
            }}
          >
            <option value="createdAt:desc">Newest first</option>
            <option value="createdAt:asc">Oldest first</option>
            <option value="total:desc">Highest total</option>
            <option value="total:asc">Lowest total</option>
          </select>
        </Field>
        {filtered && (
          <div className="filters-reset">
            <Button
              variant="ghost"
              onClick={() => {
                setSearch('');
                setCustomerInput('');
                setParams({}, { replace: true });
              }}
            >
              Clear filters
            </Button>
          </div>
        )}
      </form>

      {loading && rows.length === 0 ? (
        <Loading label="Loading orders…" />
      ) : error ? (
        <ErrorState error={error} onRetry={list.reload} />
      ) : rows.length === 0 ? (
        <EmptyState title={filtered ? 'No orders match these filters.' : 'No orders yet.'} />
      ) : (
        <>
          <TableScroll label="Orders">
            <table
              className="table table-hover table-stack"
              aria-busy={loading || undefined}
              data-testid="admin-orders-table"
            >
              <thead>
                <tr>
                  <th scope="col">Order</th>
                  <th scope="col" aria-sort={ariaSort('createdAt')}>
                    <button type="button" className="th-sort" onClick={() => sortBy('createdAt')}>
                      Placed <SortArrow active={sort === 'createdAt'} order={order} />
                    </button>
                  </th>
                  <th scope="col">Customer</th>
                  <th scope="col">Status</th>
                  <th scope="col">Payment</th>
                  <th scope="col" className="num" aria-sort={ariaSort('total')}>
                    <button type="button" className="th-sort" onClick={() => sortBy('total')}>
                      Total <SortArrow active={sort === 'total'} order={order} />
                    </button>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((o) => (
                  <tr key={o.id} data-testid="admin-order-row" data-order-id={o.id}>
                    <td data-label="Order">
                      <Link to={`/admin/orders/${o.id}`}>{orderNumber(o)}</Link>
                    </td>
                    <td data-label="Placed">
                      <time dateTime={o.createdAt}>{formatDateTime(o.createdAt)}</time>
                    </td>
                    <td data-label="Customer">
                      <button
                        type="button"
                        className="btn-link-inline"
                        onClick={() => setCustomerInput(o.customerId)}
                        title="Show only this customer's orders"
                      >
                        {o.customerEmail}
                      </button>
                    </td>
                    <td data-label="Status">
                      <StatusBadge status={o.detailedStatus} />
                    </td>
                    <td data-label="Payment">
                      <PaymentBadge status={o.paymentStatus} />
                    </td>
                    <td className="num" data-label="Total">
                      {money(o.total, o.currency)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <nav className="pagination" aria-label="Pages">
            <Button
              variant="secondary"
              disabled={page <= 1 || loading}
              onClick={() => setCursors((c) => c.slice(0, -1))}
            >
              Previous page
            </Button>
            <span className="muted" aria-live="polite">
              Page {page}
            </span>
            <Button
              variant="secondary"
              disabled={!nextCursor || loading}
              onClick={() => nextCursor && setCursors((c) => [...c, nextCursor])}
            >
              Next page
            </Button>
          </nav>
        </>
      )}
    </>
  );
}

function SortArrow({ active, order }: { active: boolean; order: 'asc' | 'desc' }) {
  return (
    <span aria-hidden="true" className={active ? 'sort-arrow active' : 'sort-arrow'}>
      {active ? (order === 'asc' ? '▲' : '▼') : '↕'}
    </span>
  );
}

/** Downloads what the current filters find as CSV: every page of it, orders or their lines. */
function ExportButtons({ query }: { query: AdminOrderQuery }) {
  const [busy, setBusy] = useState<'orders' | 'lines' | null>(null);
  const [failure, setFailure] = useState('');
  const { limit: _limit, ...filters } = query;
  async function download(kind: 'orders' | 'lines') {
    setBusy(kind);
    setFailure('');
    try {
      const { file, name } = await api.downloadAdminExport(kind, filters);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(file);
      link.download = name;
      link.click();
      URL.revokeObjectURL(link.href);
    } catch (error) {
      setFailure(error instanceof Error ? error.message : 'The export failed. Please try again.');
    } finally {
      setBusy(null);
    }
  }
  return (
    <div className="export-buttons">
      <Button
        variant="secondary"
        onClick={() => void download('orders')}
        disabled={busy !== null}
        data-testid="export-orders"
      >
        {busy === 'orders' ? 'Exporting…' : 'Export CSV'}
      </Button>
      <Button
        variant="secondary"
        onClick={() => void download('lines')}
        disabled={busy !== null}
        data-testid="export-lines"
      >
        {busy === 'lines' ? 'Exporting…' : 'Export lines CSV'}
      </Button>
      {failure && (
        <span role="alert" className="error-text small">
          {failure}
        </span>
      )}
    </div>
  );
}
