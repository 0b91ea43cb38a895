import type { Return, ReturnReason, ReturnStatus } from '../api.ts';
import { formatDate, money } from '../lib/format.ts';
import './ReturnParts.css';

/** The reasons a shopper picks from, in their words (the API's codes: getReturnPolicy). */
export const REASON_LABELS: Record<ReturnReason, string> = {
  wrong_size: 'Wrong size',
  damaged: 'Arrived damaged',
  not_as_described: 'Not as described',
  changed_mind: 'Changed my mind',
  other: 'Other',
};

const STATUS_LABELS: Record<ReturnStatus, string> = {
  requested: 'Requested',
  approved: 'Approved',
  rejected: 'Rejected',
  received: 'Received',
  refunded: 'Refunded',
  closed: 'Closed',
  cancelled: 'Cancelled',
};

export function ReturnStatusBadge({ status }: { status: ReturnStatus }) {
  return (
    <span className={`badge return-status-${status}`} data-testid="return-status">
      {STATUS_LABELS[status]}
    </span>
  );
}

export function returnLineName(line: { name: string; variantTitle: string }): string {
  return line.variantTitle ? `${line.name} (${line.variantTitle})` : line.name;
}

/** "Exchange 2" when some of its lines are swapped for another variant, "Return 2" otherwise. */
export function returnTitle(value: Pick<Return, 'kind' | 'number'>): string {
  return `${value.kind === 'exchange' ? 'Exchange' : 'Return'} ${value.number}`;
}

/** What an exchanged line's price difference means for the shopper: paid, given back, or nothing. */
export function differenceWords(difference: number, currency: string): string {
  if (difference > 0) return `${money(difference, currency)} more`;
  if (difference < 0) return `${money(-difference, currency)} back`;
  return 'same price';
}

/**
 * One return as both the shopper and the admin read it: its items (and what an exchange sends
 * instead), its reason, the money, where it stands. `showOrigin` is the shop's view: it adds the
 * stock location the replacement left from, and names a withdrawal as the customer's.
 */
export function ReturnSummary({ value, showOrigin = false }: { value: Return; showOrigin?: boolean }) {
  const parcel = value.replacementShipment;
  return (
    <div className="return-summary" data-testid="return-summary">
      <div className="return-summary-head">
        <h3>
          {returnTitle(value)}
          <span className="muted small"> · asked {formatDate(value.createdAt)}</span>
        </h3>
        <ReturnStatusBadge status={value.status} />
      </div>
      <ul className="return-items">
        {value.lines.map((line) => (
          <li key={line.lineId}>
            {line.quantity} × {returnLineName(line)}
            {line.disposition === 'restock' && <span className="muted small"> — back in stock</span>}
            {line.disposition === 'write_off' && <span className="muted small"> — written off</span>}
            {line.replacement && (
              <p className="return-replacement small" data-testid="return-replacement">
                Sent instead: {line.quantity} × {returnLineName(line.replacement)}
                {line.difference !== null && (
                  <span className="muted"> · {differenceWords(line.difference, value.currency)}</span>
                )}
              </p>
            )}
          </li>
        ))}
      </ul>
      <p className="small">
        Reason: {REASON_LABELS[value.reason]}
        {value.note && <> — “{value.note}”</>}
      </p>
      {value.rejectionReason && (
        <p className="small" data-testid="return-rejection">
          Not accepted: “{value.rejectionReason}”
        </p>
      )}
      {value.status === 'cancelled' && (
        <p className="small" data-testid="return-cancellation">
          {value.cancelledBy === 'customer'
            ? showOrigin
              ? 'Withdrawn by the customer'
              : `You withdrew this ${value.kind}.`
            : 'Cancelled by the shop'}
          {value.cancellationReason && <>: “{value.cancellationReason}”</>}
        </p>
      )}
      {value.exchangeCharge > 0 && (
        <p className="small" data-testid="exchange-charge">
          Paid <strong>{money(value.exchangeCharge, value.currency)}</strong> for the exchange
          {value.status === 'cancelled' && ' · refunded when it was cancelled'}
        </p>
      )}
      {value.refund !== null && (
        <p className="small" data-testid="return-refund">
          Refunded <strong>{money(value.refund, value.currency)}</strong>
        </p>
      )}
      {parcel && (
        <p className="small" data-testid="replacement-shipment">
          Replacement shipped {formatDate(parcel.shippedAt)}
          {showOrigin && parcel.location.name && <> from {parcel.location.name}</>} · {parcel.carrier} ·
          tracking{' '}
          {parcel.trackingUrl ? (
            <a href={parcel.trackingUrl} target="_blank" rel="noopener noreferrer">
              {parcel.trackingNumber}
            </a>
          ) : (
            <span>{parcel.trackingNumber}</span>
          )}
        </p>
      )}
    </div>
  );
}
