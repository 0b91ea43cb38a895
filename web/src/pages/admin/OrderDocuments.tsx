import { useEffect, useState } from 'react';
import * as api from '../../api.ts';
import type { Order } from '../../api.ts';
import { DownloadButton } from '../../components/DownloadButton.tsx';
import { ErrorState, Loading } from '../../components/ui.tsx';
import { currencyDecimals, formatDate, money } from '../../lib/format.ts';
import { useAsync } from '../../lib/hooks.ts';

/** How often, and how many times, the card asks again for a credit note the order's refunds imply. */
const CREDIT_NOTE_POLL_MS = 1000;
const CREDIT_NOTE_POLLS = 10;

/**
 * The order's papers: its invoice once it is paid, a credit note per refund, and the packing
 * slip for the parcel. A refund's credit note is issued after the refund's answer, by the outbox,
 * and the order does not change when it is: so the list is read again when the order changes, on
 * every live order event (`liveEvents` counts them), and, in case the live stream is down, every
 * second for a few seconds while the credit notes add up to less than the order's refunds.
 */
export function OrderDocuments({ order, liveEvents }: { order: Order; liveEvents: number }) {
  const documents = useAsync(
    (signal) => api.getOrderDocuments(order.id, signal),
    [order.id, order.updatedAt, order.payment.status, liveEvents],
  );
  const d = documents.data;
  const factor = 10 ** currencyDecimals(order.currency);
  const refunded = Math.round(order.payment.amountRefunded * factor);
  const credited = d?.creditNotes.reduce((sum, note) => sum + Math.round(note.amount * factor), 0) ?? 0;
  // an order paid before invoices were issued gets no credit notes: nothing to wait for
  const awaiting = d !== undefined && d.invoice !== null && credited < refunded;
  // the polls are counted per refunded amount, so a later refund gets its own few seconds
  const [polls, setPolls] = useState({ refunded, count: 0 });
  const count = polls.refunded === refunded ? polls.count : 0;
  const { loading, reload } = documents;
  useEffect(() => {
    if (!awaiting || loading || count >= CREDIT_NOTE_POLLS) return;
    const timer = setTimeout(() => {
      setPolls({ refunded, count: count + 1 });
      reload();
    }, CREDIT_NOTE_POLL_MS);
    return () => clearTimeout(timer);
  }, [awaiting, loading, count, refunded, reload]);
  return (
    <section className="card order-documents" aria-labelledby="documents-title" data-testid="order-documents">
      <h2 id="documents-title">Documents</h2>
      {documents.loading && !d ? (
        <Loading label="Loading documents…" />
      ) : documents.error || !d ? (
        <ErrorState error={documents.error} onRetry={documents.reload} />
      ) : (
        <>
          <div className="actions-row">
            {d.invoice ? (
              <DownloadButton fetchFile={() => api.downloadOrderInvoice(order.id)} testId="download-invoice">
                Invoice {d.invoice.number}
              </DownloadButton>
            ) : (
              <p className="muted small" data-testid="no-invoice">
                No invoice yet: it is issued when the order is paid.
              </p>
            )}
            <DownloadButton
              fetchFile={() => api.downloadPackingSlip(order.id)}
              testId="download-packing-slip"
            >
              Packing slip
            </DownloadButton>
          </div>
          {awaiting && count < CREDIT_NOTE_POLLS && (
            <p className="muted small" role="status" data-testid="credit-note-pending">
              The credit note for the latest refund is being issued…
            </p>
          )}
          {d.creditNotes.length > 0 && (
            <>
              <h3 className="small">Credit notes</h3>
              <ul className="credit-notes">
                {d.creditNotes.map((note) => (
                  <li key={note.id}>
                    <DownloadButton
                      variant="ghost"
                      fetchFile={() => api.downloadCreditNote(order.id, note.id)}
                      testId="download-credit-note"
                    >
                      {note.number}
                    </DownloadButton>
                    <span className="muted small">
                      {money(note.amount, note.currency)} · {formatDate(note.issuedAt)}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}
