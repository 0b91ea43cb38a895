import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import * as api from '../../api.ts';
import type { ReturnStatus } from '../../api.ts';
import { PageHeader } from '../../components/Layout.tsx';
import {
  REASON_LABELS,
  ReturnStatusBadge,
  returnLineName,
  returnTitle,
} from '../../components/ReturnParts.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { Button, EmptyState, ErrorState, Field, Loading, Notice, TableScroll } from '../../components/ui.tsx';
import { describeError } from '../../lib/errors.ts';
import { formatDateTime, money } from '../../lib/format.ts';
import { useAsync, usePagedList, useTitle } from '../../lib/hooks.ts';

const STATUSES: Array<{ value: ReturnStatus | ''; label: string }> = [
  { value: '', label: 'All returns' },
  { value: 'requested', label: 'Requested' },
  { value: 'approved', label: 'Approved' },
  { value: 'received', label: 'Received' },
  { value: 'refunded', label: 'Refunded' },
  { value: 'closed', label: 'Closed' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'cancelled', label: 'Cancelled' },
];

/** Every return, newest first, to work through by status; each opens on its order's page. */
export function ReturnsPage() {
  useTitle('Returns');
  const [status, setStatus] = useState<ReturnStatus | ''>('requested');
  const list = usePagedList(
    (cursor, signal) => api.listReturns({ status, cursor, limit: 50 }, signal),
    (r) => r.id,
    [status],
  );
  return (
    <>
      <PageHeader title="Returns" />
      <PolicyForm />
      <div className="filters">
        <Field label="Status">
          <select
            value={status}
            onChange={(e) => setStatus(e.target.value as ReturnStatus | '')}
            data-testid="returns-status-filter"
          >
            {STATUSES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {list.loading && list.items.length === 0 ? (
        <Loading label="Loading returns…" />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : list.items.length === 0 ? (
        <EmptyState title={status ? 'No returns in this status.' : 'No returns yet.'} />
      ) : (
        <TableScroll label="Returns">
          <table className="table table-stack" data-testid="returns-table">
            <thead>
              <tr>
                <th scope="col">Return</th>
                <th scope="col">Items</th>
                <th scope="col">Reason</th>
                <th scope="col">Asked</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Refunded
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((r) => (
                <tr key={r.id} data-testid="return-row">
                  <td data-label="Return">
                    <Link to={`/admin/orders/${r.orderId}#returns`}>
                      #{r.orderNumber} · {returnTitle(r).toLowerCase()}
                    </Link>
                  </td>
                  <td data-label="Items">
                    {r.lines
                      .map(
                        (l) =>
                          `${l.quantity} × ${returnLineName(l)}${l.replacement ? ` → ${returnLineName(l.replacement)}` : ''}`,
                      )
                      .join(', ')}
                  </td>
                  <td data-label="Reason">{REASON_LABELS[r.reason]}</td>
                  <td data-label="Asked">{formatDateTime(r.createdAt)}</td>
                  <td data-label="Status">
                    <ReturnStatusBadge status={r.status} />
                  </td>
                  <td data-label="Refunded" className="num">
                    {r.refund === null ? '—' : money(r.refund, r.currency)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {list.hasMore && (
        <Button variant="secondary" busy={list.loadingMore} onClick={list.loadMore}>
          Show more returns
        </Button>
      )}
      {list.moreError !== null && <ErrorState error={list.moreError} onRetry={list.loadMore} />}
    </>
  );
}

/** The return policy: how long after delivery, and whether a return refunds the shipping. */
function PolicyForm() {
  const notify = useToast();
  const policy = useAsync((signal) => api.getReturnPolicy(signal), []);
  const [days, setDays] = useState<string | null>(null);
  const [shipping, setShipping] = useState<boolean | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (policy.loading && !policy.data) return <Loading label="Loading the return policy…" />;
  if (policy.error || !policy.data) return <ErrorState error={policy.error} onRetry={policy.reload} />;
  const current = policy.data;

  async function save(e: FormEvent) {
    e.preventDefault();
    const windowDays = Number(days ?? current.windowDays);
    if (!Number.isInteger(windowDays) || windowDays < 1 || windowDays > 365) {
      setProblem('The return window is a whole number of days from 1 to 365.');
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      policy.setData(
        await api.updateReturnPolicy({ windowDays, refundShipping: shipping ?? current.refundShipping }),
      );
      setDays(null);
      setShipping(null);
      notify('Return policy saved.');
    } catch (err) {
      setProblem(describeError(err, { action: 'change the return policy' }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="card stack"
      onSubmit={save}
      noValidate
      aria-labelledby="policy-title"
      data-testid="return-policy"
    >
      <h2 id="policy-title">Return policy</h2>
      <div className="filters">
        <Field label="Return window (days after delivery)">
          <input
            type="number"
            inputMode="numeric"
            min={1}
            max={365}
            className="input-qty"
            value={days ?? String(current.windowDays)}
            onChange={(e) => setDays(e.target.value)}
            data-testid="return-window"
          />
        </Field>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={shipping ?? current.refundShipping}
            onChange={(e) => setShipping(e.target.checked)}
          />
          A return also refunds the order’s shipping (once per order)
        </label>
        <Button type="submit" variant="secondary" busy={busy}>
          Save policy
        </Button>
      </div>
      <div aria-live="polite">{problem && <Notice kind="error">{problem}</Notice>}</div>
    </form>
  );
}
