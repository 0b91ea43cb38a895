import { useState, type FormEvent } from 'react';
import * as api from '../../api.ts';
import type { ReturnReason } from '../../api.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { REASON_LABELS, ReturnSummary, returnLineName } from '../../components/ReturnParts.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { Button, ErrorState, Field, Loading, Notice } from '../../components/ui.tsx';
import { describeError } from '../../lib/errors.ts';
import { formatDate } from '../../lib/format.ts';
import { useAsync } from '../../lib/hooks.ts';

const REASONS = Object.keys(REASON_LABELS) as ReturnReason[];

/**
 * The order page's returns: the ones asked for and where they stand, and "Return items" for what
 * was delivered and may still be returned. A guest passes the order link's token.
 */
export function OrderReturns({ orderId, token }: { orderId: string; token?: string }) {
  const returns = useAsync((signal) => api.listOrderReturns(orderId, token, signal), [orderId, token]);
  const [open, setOpen] = useState(false);
  const data = returns.data;
  if (returns.loading && !data) return <Loading label="Loading returns…" />;
  if (returns.error || !data) return <ErrorState error={returns.error} onRetry={returns.reload} />;
  if (data.items.length === 0 && data.returnable.length === 0) return null;
  return (
    <section className="card stack" aria-labelledby="returns-title" data-testid="order-returns">
      <h2 id="returns-title">Returns</h2>
      {data.items.map((r) => (
        <ReturnSummary key={r.id} value={r} />
      ))}
      {data.returnable.length > 0 && !open && (
        <div className="actions-row">
          <Button variant="secondary" onClick={() => setOpen(true)} data-testid="return-items">
            Return items
          </Button>
        </div>
      )}
      {open && (
        <ReturnForm
          orderId={orderId}
          token={token}
          lines={data.returnable}
          onDone={() => {
            setOpen(false);
            returns.reload();
          }}
          onCancel={() => setOpen(false)}
        />
      )}
    </section>
  );
}

function ReturnForm({
  orderId,
  token,
  lines,
  onDone,
  onCancel,
}: {
  orderId: string;
  token: string | undefined;
  lines: api.ReturnableLine[];
  onDone: () => void;
  onCancel: () => void;
}) {
  const notify = useToast();
  const [quantities, setQuantities] = useState<Record<string, string>>(() =>
    Object.fromEntries(lines.map((l) => [l.lineId, '0'])),
  );
  const [reason, setReason] = useState<ReturnReason | ''>('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [review, setReview] = useState<api.ReturnRequest | null>(null);
  const [busy, setBusy] = useState(false);

  function submit(e: FormEvent) {
    e.preventDefault();
    const problems: Record<string, string> = {};
    const chosen: api.ReturnRequest['lines'] = [];
    for (const line of lines) {
      const n = Number(quantities[line.lineId]);
      if (!Number.isInteger(n) || n < 0 || n > line.returnable)
        problems[line.lineId] = `Enter a whole number from 0 to ${line.returnable}.`;
      else if (n > 0) chosen.push({ lineId: line.lineId, quantity: n });
    }
    if (!reason) problems['reason'] = 'Choose why you are returning the items.';
    if (reason === 'other' && !note.trim()) problems['note'] = 'Tell us a few words about why.';
    setErrors(problems);
    if (Object.keys(problems).length > 0) {
      setFailure('Please fix the highlighted fields.');
      return;
    }
    if (chosen.length === 0) {
      setFailure('Choose at least one item to return.');
      return;
    }
    setFailure(null);
    setReview({ lines: chosen, reason: reason as ReturnReason, ...(note.trim() && { note: note.trim() }) });
  }

  async function send(body: api.ReturnRequest) {
    setReview(null);
    setBusy(true);
    try {
      await api.requestReturn(orderId, body, token);
      notify('Your return request was sent.');
      onDone();
    } catch (err) {
      setFailure(describeError(err, { action: 'ask for this return' }));
      setBusy(false);
    }
  }

  const names = new Map(lines.map((l) => [l.lineId, returnLineName(l)]));
  return (
    <form
      className="stack"
      onSubmit={submit}
      noValidate
      aria-labelledby="return-form-title"
      data-testid="return-form"
    >
      <h3 id="return-form-title">Return items</h3>
      <fieldset>
        <legend>How many of each</legend>
        <ul className="return-lines">
          {lines.map((line) => (
            <li key={line.lineId}>
              <Field
                label={returnLineName(line)}
                hint={`Up to ${line.returnable}, until ${formatDate(line.until)}`}
                error={errors[line.lineId]}
              >
                <input
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={line.returnable}
                  step={1}
                  className="input-qty"
                  value={quantities[line.lineId] ?? '0'}
                  onChange={(e) => setQuantities({ ...quantities, [line.lineId]: e.target.value })}
                />
              </Field>
            </li>
          ))}
        </ul>
      </fieldset>
      <Field label="Reason" error={errors['reason']} required>
        <select value={reason} onChange={(e) => setReason(e.target.value as ReturnReason | '')} name="reason">
          <option value="">Choose a reason</option>
          {REASONS.map((r) => (
            <option key={r} value={r}>
              {REASON_LABELS[r]}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Anything we should know?" error={errors['note']} required={reason === 'other'}>
        <textarea
          value={note}
          maxLength={1000}
          rows={3}
          onChange={(e) => setNote(e.target.value)}
          name="note"
        />
      </Field>
      <div aria-live="polite">{failure && <Notice kind="error">{failure}</Notice>}</div>
      <div className="actions-row">
        <Button type="submit" busy={busy}>
          Review return
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={busy}>
          Never mind
        </Button>
      </div>
      <ConfirmDialog
        open={review !== null}
        testId="return-confirm"
        title="Send this return request?"
        confirmLabel="Send return request"
        cancelLabel="Go back"
        onCancel={() => setReview(null)}
        onConfirm={() => review && void send(review)}
      >
        {review && (
          <div className="stack">
            <ul>
              {review.lines.map((l) => (
                <li key={l.lineId}>
                  {l.quantity} × {names.get(l.lineId)}
                </li>
              ))}
            </ul>
            <p>Reason: {REASON_LABELS[review.reason]}</p>
            <p className="muted small">
              We review your request and email you. The refund follows once the items are back with us.
            </p>
          </div>
        )}
      </ConfirmDialog>
    </form>
  );
}
