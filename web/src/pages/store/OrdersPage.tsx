import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import * as api from '../../api.ts';
import type { OrderSummary } from '../../api-types.ts';
import { PageHeader } from '../../components/Layout.tsx';
import { Button, EmptyState, ErrorState, Loading, StatusBadge } from '../../components/ui.tsx';
import { describeError } from '../../lib/errors.ts';
import { formatDateTime, money, plural, shortId } from '../../lib/format.ts';
import { useTitle } from '../../lib/hooks.ts';

const PAGE_SIZE = 10;

export function OrdersPage() {
  useTitle('My orders');
  const [items, setItems] = useState<OrderSummary[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [moreBusy, setMoreBusy] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [nonce, setNonce] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    api
      .listOrders({ limit: PAGE_SIZE }, controller.signal)
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
  }, [nonce]);

  async function loadMore() {
    if (!nextCursor) return;
    setMoreBusy(true);
    setMoreError(null);
    try {
      const page = await api.listOrders({ limit: PAGE_SIZE, cursor: nextCursor });
      setItems((list) => [...list, ...page.items.filter((o) => !list.some((x) => x.id === o.id))]);
      setNextCursor(page.nextCursor);
    } catch (err) {
      setMoreError(err);
    } finally {
      setMoreBusy(false);
    }
  }

  return (
    <>
      <PageHeader title="My orders" />
      {loading ? (
        <Loading label="Loading your orders…" />
      ) : error ? (
        <ErrorState error={error} onRetry={() => setNonce((n) => n + 1)} />
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
                    <Link to={`/orders/${o.id}`}>Order #{shortId(o.id)}</Link>
                  </h2>
                  <p className="muted">
                    <time dateTime={o.createdAt}>{formatDateTime(o.createdAt)}</time> ·{' '}
                    {plural(o.itemCount, 'item')}
                  </p>
                </div>
                <StatusBadge status={o.status} />
                <p className="order-row-total">{money(o.total, o.currency)}</p>
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
              <Button
                variant="secondary"
                busy={moreBusy}
                onClick={() => void loadMore()}
                data-testid="load-more"
              >
                {moreBusy ? 'Loading…' : 'Load more orders'}
              </Button>
            </div>
          )}
        </>
      )}
    </>
  );
}
