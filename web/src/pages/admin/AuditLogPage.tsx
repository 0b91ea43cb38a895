import { useState } from 'react';
import * as api from '../../api.ts';
import { PageHeader } from '../../components/Layout.tsx';
import { Button, EmptyState, ErrorState, Field, Loading, TableScroll } from '../../components/ui.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useAsync, usePagedList, useTitle } from '../../lib/hooks.ts';

/** A few words for the details of an entry: its fields as `name: value`. */
function describeDetails(details: Record<string, unknown>): string {
  return Object.entries(details)
    .filter(([, value]) => value !== null && value !== undefined && typeof value !== 'object')
    .map(([key, value]) => `${key}: ${String(value)}`)
    .join(', ');
}

/** The owner's audit log: who changed money, stock, settings or the staff, newest first. */
export function AuditLogPage() {
  useTitle('Audit log');
  const staff = useAsync((signal) => api.listStaff(signal), []);
  const [actorId, setActorId] = useState('');
  const [action, setAction] = useState('');
  const list = usePagedList(
    (cursor, signal) =>
      api.listAuditLog(
        {
          cursor: cursor ?? undefined,
          limit: 50,
          actorId: actorId || undefined,
          action: action.trim() || undefined,
        },
        signal,
      ),
    (entry) => entry.id,
    [actorId, action],
  );

  return (
    <>
      <PageHeader title="Audit log" />
      <div className="card form-grid" role="search" aria-label="Filter the audit log">
        <Field label="Who">
          <select value={actorId} onChange={(e) => setActorId(e.target.value)}>
            <option value="">Everyone</option>
            {staff.data?.items.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Action" hint="the start of an action: order., order.refund, staff.">
          <input type="text" value={action} onChange={(e) => setAction(e.target.value)} maxLength={100} />
        </Field>
      </div>
      {list.loading && list.items.length === 0 ? (
        <Loading label="Loading the audit log…" />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : list.items.length === 0 ? (
        <EmptyState title="Nothing recorded for this filter." />
      ) : (
        <TableScroll label="Audit log">
          <table className="table table-stack" data-testid="audit-log">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">What</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((entry) => (
                <tr key={entry.id} data-testid="audit-entry">
                  <td data-label="When">
                    <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                  </td>
                  <td data-label="Who">{entry.actor?.name ?? 'Orderly'}</td>
                  <td data-label="Action">
                    <code>{entry.action}</code>
                  </td>
                  <td data-label="What">
                    {entry.targetType} <span className="muted">{entry.targetId.slice(0, 8)}</span>
                  </td>
                  <td data-label="Details">{describeDetails(entry.details)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {list.hasMore && (
        <Button variant="secondary" busy={list.loadingMore} onClick={list.loadMore}>
          Show older entries
        </Button>
      )}
      {list.moreError !== null && <ErrorState error={list.moreError} onRetry={list.loadMore} />}
    </>
  );
}
