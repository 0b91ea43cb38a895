import { useState, type FormEvent } from 'react';
import * as api from '../../api.ts';
import type { Return } from '../../api.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { ReturnSummary, returnLineName } from '../../components/ReturnParts.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { Button, ErrorState, Field, Loading, Notice } from '../../components/ui.tsx';
import { describeError, isApiError } from '../../lib/errors.ts';
import { money } from '../../lib/format.ts';
import { useAsync } from '../../lib/hooks.ts';

export interface StockLocationChoice {
  id: string;
  name: string;
}

/**
 * The admin order page's returns, each with the step it is at: approve or reject a request,
 * receive the items (restock at a location, or write off), refund them after confirming the
 * amount. The location picker shows only when the shop has more than one location.
 */
export function OrderReturnsPanel({
  orderId,
  locations,
  onChanged,
}: {
  orderId: string;
  locations: StockLocationChoice[];
  onChanged: () => void;
}) {
  const returns = useAsync((signal) => api.listOrderReturns(orderId, undefined, signal), [orderId]);
  if (returns.loading && !returns.data) return <Loading label="Loading returns…" />;
  if (returns.error || !returns.data) return <ErrorState error={returns.error} onRetry={returns.reload} />;
  if (returns.data.items.length === 0) return null;
  return (
    <section className="card stack" aria-labelledby="returns-title" id="returns" data-testid="admin-returns">
      <h2 id="returns-title">Returns</h2>
      {returns.data.items.map((r) => (
        <div key={r.id} className="stack">
          <ReturnSummary value={r} />
          <ReturnSteps
            value={r}
            locations={locations}
            onChanged={() => {
              returns.reload();
              onChanged();
            }}
          />
        </div>
      ))}
    </section>
  );
}

function ReturnSteps({
  value,
  locations,
  onChanged,
}: {
  value: Return;
  locations: StockLocationChoice[];
  onChanged: () => void;
}) {
  const notify = useToast();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [receiving, setReceiving] = useState(false);
  const [confirmRefund, setConfirmRefund] = useState(false);
  const { approve, reject, receive, refund } = value.actions;

  async function act(run: () => Promise<unknown>, done: string) {
    setBusy(true);
    setFailure(null);
    try {
      await run();
      notify(done);
      setRejecting(false);
      setReceiving(false);
      onChanged();
    } catch (err) {
      setFailure(describeError(err, { currency: value.currency, action: 'do this' }));
      // another admin moved the return, or the amount changed: show it as it is now
      if (isApiError(err, 'invalid_return_transition') || isApiError(err, 'amount_changed')) onChanged();
    } finally {
      setBusy(false);
    }
  }

  function submitReject(e: FormEvent) {
    e.preventDefault();
    if (!reason.trim()) {
      setFailure('Say why, in words the customer will read.');
      return;
    }
    void act(() => api.rejectReturn(value.id, reason.trim()), `Return ${value.number} rejected.`);
  }

  const due = value.refundDue;
  return (
    <div className="stack" data-testid="return-steps">
      {(approve.allowed || refund.allowed || receive.allowed) && !rejecting && !receiving && (
        <div className="actions-row">
          {approve.allowed && (
            <Button
              busy={busy}
              onClick={() => void act(() => api.approveReturn(value.id), `Return ${value.number} approved.`)}
              data-testid="return-approve"
            >
              Approve return
            </Button>
          )}
          {reject.allowed && (
            <Button variant="secondary" onClick={() => setRejecting(true)} data-testid="return-reject">
              Reject
            </Button>
          )}
          {receive.allowed && (
            <Button onClick={() => setReceiving(true)} data-testid="return-receive">
              Receive items
            </Button>
          )}
          {refund.allowed && due && (
            <Button busy={busy} onClick={() => setConfirmRefund(true)} data-testid="return-refund-button">
              Refund {money(due.amount, value.currency)}
            </Button>
          )}
        </div>
      )}
      {rejecting && (
        <form className="stack" onSubmit={submitReject} noValidate>
          <Field label="Why is the return rejected?" hint="The customer reads this in their email.">
            <textarea
              value={reason}
              maxLength={500}
              rows={2}
              onChange={(e) => setReason(e.target.value)}
              data-testid="return-reject-reason"
            />
          </Field>
          <div className="actions-row">
            <Button type="submit" variant="danger" busy={busy} data-testid="return-reject-confirm">
              Reject return
            </Button>
            <Button variant="ghost" onClick={() => setRejecting(false)} disabled={busy}>
              Keep it
            </Button>
          </div>
        </form>
      )}
      {receiving && (
        <ReceiveForm
          value={value}
          locations={locations}
          busy={busy}
          onSubmit={(body) =>
            void act(() => api.receiveReturn(value.id, body), `Return ${value.number} received.`)
          }
          onCancel={() => setReceiving(false)}
        />
      )}
      <div aria-live="polite">{failure && <Notice kind="error">{failure}</Notice>}</div>
      <ConfirmDialog
        open={confirmRefund}
        testId="return-refund-confirm"
        title={`Refund ${money(due?.amount ?? 0, value.currency)} to the customer?`}
        confirmLabel={`Refund ${money(due?.amount ?? 0, value.currency)}`}
        cancelLabel="Go back"
        onCancel={() => setConfirmRefund(false)}
        onConfirm={() => {
          setConfirmRefund(false);
          if (due) void act(() => api.refundReturn(value.id, due.amount), `Return ${value.number} refunded.`);
        }}
      >
        {due && (
          <p data-testid="return-refund-sentence">
            The items of return {value.number}, with their tax and discount
            {due.shipping > 0 && <>, and the order’s shipping ({money(due.shipping, value.currency)})</>}: the
            money goes back to the card the customer paid with.
          </p>
        )}
      </ConfirmDialog>
    </div>
  );
}

function ReceiveForm({
  value,
  locations,
  busy,
  onSubmit,
  onCancel,
}: {
  value: Return;
  locations: StockLocationChoice[];
  busy: boolean;
  onSubmit: (body: api.ReceiptRequest) => void;
  onCancel: () => void;
}) {
  const first = locations[0]?.id ?? '';
  const [choices, setChoices] = useState<
    Record<string, { disposition: 'restock' | 'write_off'; locationId: string }>
  >(() =>
    Object.fromEntries(value.lines.map((l) => [l.lineId, { disposition: 'restock', locationId: first }])),
  );
  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit({
      lines: value.lines.map((l) => {
        const choice = choices[l.lineId] ?? { disposition: 'restock' as const, locationId: first };
        return choice.disposition === 'restock' && choice.locationId
          ? { lineId: l.lineId, disposition: 'restock', locationId: choice.locationId }
          : { lineId: l.lineId, disposition: choice.disposition };
      }),
    });
  }
  return (
    <form className="stack" onSubmit={submit} noValidate data-testid="return-receive-form">
      <ul className="return-lines">
        {value.lines.map((l) => {
          const choice = choices[l.lineId];
          const set = (next: Partial<{ disposition: 'restock' | 'write_off'; locationId: string }>) =>
            setChoices({
              ...choices,
              [l.lineId]: { disposition: 'restock', locationId: first, ...choice, ...next },
            });
          return (
            <li key={l.lineId}>
              <Field label={`${l.quantity} × ${returnLineName(l)}`}>
                <select
                  value={choice?.disposition ?? 'restock'}
                  onChange={(e) => set({ disposition: e.target.value as 'restock' | 'write_off' })}
                  data-testid="return-disposition"
                >
                  <option value="restock">Back in stock</option>
                  <option value="write_off">Write off (damaged)</option>
                </select>
              </Field>
              {locations.length > 1 && choice?.disposition !== 'write_off' && (
                <Field label="At location">
                  <select
                    value={choice?.locationId ?? first}
                    onChange={(e) => set({ locationId: e.target.value })}
                    data-testid="return-location"
                  >
                    {locations.map((loc) => (
                      <option key={loc.id} value={loc.id}>
                        {loc.name}
                      </option>
                    ))}
                  </select>
                </Field>
              )}
            </li>
          );
        })}
      </ul>
      <div className="actions-row">
        <Button type="submit" busy={busy} data-testid="return-receive-confirm">
          Record as received
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={busy}>
          Not yet
        </Button>
      </div>
    </form>
  );
}
