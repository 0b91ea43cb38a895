import * as api from '../../api.ts';
import type { Order } from '../../api.ts';
import { DownloadButton } from '../../components/DownloadButton.tsx';
import { ErrorState, Loading } from '../../components/ui.tsx';
import { formatDate, money } from '../../lib/format.ts';
import { useAsync } from '../../lib/hooks.ts';

/**
 * The order's papers: its invoice once it is paid, a credit note per refund, and the packing
 * slip for the parcel. Read again whenever the order changes (a refund issues a credit note).
 */
export function OrderDocuments({ order }: { order: Order }) {
  const documents = useAsync(
    (signal) => api.getOrderDocuments(order.id, signal),
    [order.id, order.updatedAt, order.payment.status],
  );
  const d = documents.data;
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
