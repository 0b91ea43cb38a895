import type { OrderStatus, TimelineEntry } from '../api.ts';
import { formatDateTime, statusLabel } from '../lib/format.ts';
import './Timeline.css';

const STEPS: OrderStatus[] = ['pending', 'confirmed', 'shipped', 'delivered'];

/** Where the order is in its life: pending → confirmed → shipped → delivered (or cancelled). */
export function StatusSteps({ status }: { status: OrderStatus }) {
  if (status === 'cancelled') {
    return (
      <p className="status-steps-cancelled" data-testid="status-steps">
        This order was cancelled.
      </p>
    );
  }
  const current = STEPS.indexOf(status);
  return (
    <ol className="status-steps" aria-label="Order progress" data-testid="status-steps">
      {STEPS.map((step, i) => {
        // delivered is the end: every step is done
        const state = i < current || status === 'delivered' ? 'done' : i === current ? 'current' : 'todo';
        return (
          <li key={step} className={`step step-${state}`} aria-current={i === current ? 'step' : undefined}>
            <span className="step-dot" aria-hidden="true">
              {state === 'done' ? '✓' : i + 1}
            </span>
            <span className="step-label">
              {statusLabel(step)}
              <span className="visually-hidden">
                {state === 'done' ? ' (done)' : state === 'current' ? ' (current)' : ' (not yet)'}
              </span>
            </span>
          </li>
        );
      })}
    </ol>
  );
}

const TYPE_LABELS: Record<TimelineEntry['type'], string> = {
  status: 'Status',
  modification: 'Changed',
  payment: 'Payment',
  refund: 'Refund',
  note: 'Note',
};

const ACTOR_LABELS: Record<TimelineEntry['actor'], string> = {
  customer: 'Customer',
  admin: 'Store team',
  system: 'Orderly',
};

/** The order's history, oldest first, as an ordered list. */
export function Timeline({
  items,
  showActor = true,
}: {
  /** a guest's order link has no staff names */
  items: (Omit<TimelineEntry, 'actorName'> & { actorName?: string | null })[];
  showActor?: boolean;
}) {
  if (items.length === 0) return <p className="muted">No events yet.</p>;
  return (
    <ol className="timeline" data-testid="timeline">
      {items.map((entry, i) => (
        <li key={`${entry.at}-${i}`} className={`timeline-item timeline-${entry.type}`}>
          <span className="timeline-marker" aria-hidden="true" />
          <div className="timeline-content">
            <p className="timeline-summary">
              <span className="timeline-type">
                {entry.type === 'status' && entry.status
                  ? statusLabel(entry.status)
                  : TYPE_LABELS[entry.type]}
              </span>
              {' — '}
              {entry.summary}
            </p>
            <p className="timeline-meta">
              <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
              {showActor && <> · {entry.actorName ?? ACTOR_LABELS[entry.actor]}</>}
            </p>
          </div>
        </li>
      ))}
    </ol>
  );
}
