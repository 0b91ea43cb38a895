import { Link } from 'react-router-dom';
import * as api from '../../api.ts';
import { PageHeader } from '../../components/Layout.tsx';
import { Button, EmptyState, ErrorState, Loading, StatusBadge } from '../../components/ui.tsx';
import { describeError } from '../../lib/errors.ts';
import { formatDateTime, money, plural, orderNumber } from '../../lib/format.ts';
import { usePagedList, useTitle } from '../../lib/hooks.ts';
import './OrdersPage.css';

const PAGE_SIZE = 10;

export function OrdersPage() {
  useTitle('My orders');
  const orders = usePagedList(
    (cursor, signal) => api.listOrders({ limit: PAGE_SIZE, cursor }, signal),
    (o) => o.id,
    [],
  );
  const { items } = orders;

  return (
    <>
      <PageHeader title="My orders" />
      {orders.loading ? (
        <Loading label="Loading your orders…" />
      ) : orders.error ? (
        <ErrorState error={orders.error} onRetry={orders.reload} />
      ) : items.length === 0 ? (
        <EmptyState title="You have not placed any orders yet.">
          <Link to="/" className="btn btn-primary">
            Start shopping
          </Link>
        </EmptyState>
      ) : (
        <>
          <ul className="order-list" data-testid="order-list">
            {items.map((o) => (
              <li key={o.id} className="order-row card" data-testid="order-row">
                <div className="order-row-main">
                  <h2 className="order-row-title">
                    <Link to={`/orders/${o.id}`}>Order {orderNumber(o)}</Link>
                  </h2>
                  <p className="muted">
                    <time dateTime={o.createdAt}>{formatDateTime(o.createdAt)}</time> ·{' '}
                    {plural(o.itemCount, 'item')}
                  </p>
                </div>
                <StatusBadge status={o.detailedStatus} />
                <p className="order-row-total">{money(o.total, o.currency)}</p>
              </li>
            ))}
          </ul>
          {orders.moreError !== null && (
            <p className="field-error" role="alert">
              {describeError(orders.moreError)}
            </p>
          )}
          {orders.hasMore && (
            <div className="load-more">
              <Button
                variant="secondary"
                busy={orders.loadingMore}
                onClick={orders.loadMore}
                data-testid="load-more"
              >
                {orders.loadingMore ? 'Loading…' : 'Load more orders'}
              </Button>
            </div>
          )}
        </>
      )}
    </>
  );
}
