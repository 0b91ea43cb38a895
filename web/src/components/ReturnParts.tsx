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

/** One return as both the shopper and the admin read it: its items, its reason, where it stands. */
export function ReturnSummary({ value }: { value: Return }) {
  return (
    <div className="return-summary" data-testid="return-summary">
      <div className="return-summary-head">
        <h3>
          Return {value.number}
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
      {value.refund !== null && (
        <p className="small" data-testid="return-refund">
          Refunded <strong>{money(value.refund, value.currency)}</strong>
        </p>
      )}
    </div>
  );
}
