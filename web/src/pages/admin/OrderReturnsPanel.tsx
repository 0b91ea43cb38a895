import { useId, useState, type FormEvent } from 'react';
import * as api from '../../api.ts';
import type { Return } from '../../api.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { CARRIERS } from '../../components/OrderParts.tsx';
import { ReturnSummary, returnLineName, returnTitle } from '../../components/ReturnParts.tsx';
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
 * amount, for an exchange ship the replacement from a location after confirming what leaves, and
 * cancel one whose items have not come back, with a reason for the customer.
 * The location pickers show only when the shop has more than one location.
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
          <ReturnSummary value={r} showOrigin />
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
  const [shipping, setShipping] = useState(false);
  const [confirmRefund, setConfirmRefund] = useState(false);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [cancelReason, setCancelReason] = useState('');
  const { approve, reject, receive, refund, cancel, shipReplacement } = value.actions;
  const title = returnTitle(value);

  async function act(run: () => Promise<unknown>, done: string) {
    setBusy(true);
    setFailure(null);
    try {
      await run();
      notify(done);
      setRejecting(false);
      setReceiving(false);
      setShipping(false);
      onChanged();
    } catch (err) {
      setFailure(describeError(err, { currency: value.currency, action: 'do this' }));
      // another admin moved the return, or the amount changed: show it as it is now
      if (STALE_CODES.some((code) => isApiError(err, code))) onChanged();
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
    void act(() => api.rejectReturn(value.id, reason.trim()), `${title} rejected.`);
  }

  const due = value.refundDue;
  const exchange = value.kind === 'exchange';
  const open = !rejecting && !receiving && !shipping;
  return (
    <div className="stack" data-testid="return-steps">
      {(approve.allowed || refund.allowed || receive.allowed || shipReplacement.allowed || cancel.allowed) &&
        open && (
          <div className="actions-row">
            {approve.allowed && (
              <Button
                busy={busy}
                onClick={() => void act(() => api.approveReturn(value.id), `${title} approved.`)}
                data-testid="return-approve"
              >
                {exchange ? 'Approve exchange' : 'Approve return'}
              </Button>
            )}
            {shipReplacement.allowed && (
              <Button onClick={() => setShipping(true)} data-testid="replacement-ship">
                Ship replacement
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
            {cancel.allowed && (
              <Button variant="secondary" onClick={() => setConfirmCancel(true)} data-testid="return-cancel">
                {exchange ? 'Cancel exchange' : 'Cancel return'}
              </Button>
            )}
          </div>
        )}
      {!cancel.allowed && cancel.reason && CANCEL_REASON_SHOWN.includes(value.status) && (
        <p className="muted small" data-testid="return-cancel-reason">
          Cannot cancel: {cancel.reason}
        </p>
      )}
      {rejecting && (
        <form className="stack" onSubmit={submitReject} noValidate>
          <CustomerReason
            label="Why is the return rejected?"
            value={reason}
            onChange={setReason}
            testId="return-reject-reason"
          />
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
          onSubmit={(body) => void act(() => api.receiveReturn(value.id, body), `${title} received.`)}
          onCancel={() => setReceiving(false)}
        />
      )}
      {shipping && (
        <ShipReplacementForm
          value={value}
          locations={locations}
          busy={busy}
          onSubmit={(body) =>
            void act(
              () => api.shipExchangeReplacement(value.id, body),
              `The replacement of ${title.toLowerCase()} has shipped.`,
            )
          }
          onCancel={() => setShipping(false)}
        />
      )}
      {exchange && !shipReplacement.allowed && !value.replacementShipment && shipReplacement.reason && (
        <p className="muted small" data-testid="replacement-ship-reason">
          {shipReplacement.reason}
        </p>
      )}
      <div aria-live="polite">{failure && <Notice kind="error">{failure}</Notice>}</div>
      <ConfirmDialog
        open={confirmCancel}
        testId="return-cancel-confirm"
        title={`Cancel ${title.toLowerCase()}?`}
        confirmLabel={`Cancel ${title.toLowerCase()}`}
        cancelLabel="Keep it"
        onCancel={() => setConfirmCancel(false)}
        onConfirm={() => {
          setConfirmCancel(false);
          void act(() => api.cancelReturn(value.id, cancelReason.trim() || undefined), `${title} cancelled.`);
        }}
      >
        <div className="stack">
          <p data-testid="return-cancel-sentence">{cancelParts(value).join(' ')}</p>
          <CustomerReason
            label="Reason for the customer (optional)"
            value={cancelReason}
            onChange={setCancelReason}
            testId="return-cancel-reason-input"
          />
        </div>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirmRefund}
        testId="return-refund-confirm"
        title={`Refund ${money(due?.amount ?? 0, value.currency)} to the customer?`}
        confirmLabel={`Refund ${money(due?.amount ?? 0, value.currency)}`}
        cancelLabel="Go back"
        onCancel={() => setConfirmRefund(false)}
        onConfirm={() => {
          setConfirmRefund(false);
          if (due) void act(() => api.refundReturn(value.id, due.amount), `${title} refunded.`);
        }}
      >
        {due && (
          <p data-testid="return-refund-sentence">
            {refundParts(value, due).join(', and ')}: the money goes back to the card the customer paid with.
          </p>
        )}
      </ConfirmDialog>
    </div>
  );
}

/** Answers that mean the return moved on elsewhere (another admin, a changed amount): show it as it is. */
const STALE_CODES = [
  'invalid_return_transition',
  'amount_changed',
  'replacement_shipped',
  'exchange_rejected',
  'exchange_cancelled',
  'exchange_not_approved',
];

/** Where a refused cancellation is worth a word: the return is still open (not finished). */
const CANCEL_REASON_SHOWN: ReadonlyArray<Return['status']> = ['requested', 'approved', 'received'];

/** What cancelling the return does, for the sentence the admin confirms. */
function cancelParts(value: Return): string[] {
  const held = value.status === 'approved' && value.kind === 'exchange';
  return [
    'The customer is emailed that it is cancelled, with your reason if you give one.',
    held ? 'The replacement held for it goes back in stock.' : null,
    value.exchangeCharge > 0
      ? `The ${money(value.exchangeCharge, value.currency)} paid for the exchange is refunded to the customer.`
      : null,
    'Its items may be asked for again.',
  ].filter((part) => part !== null);
}

/** What a refund of the return gives back, for the sentence the admin confirms. */
function refundParts(value: Return, due: NonNullable<Return['refundDue']>): string[] {
  const amount = (n: number) => money(n, value.currency);
  const refunded = value.lines.filter((l) => !l.replacement);
  return [
    refunded.length === value.lines.length
      ? `The items of return ${value.number}, with their tax and discount`
      : refunded.length > 0
        ? `The items of ${returnTitle(value).toLowerCase()} sent back for a refund, with their tax and discount`
        : null,
    due.exchange > 0 ? `the difference of the cheaper replacement (${amount(due.exchange)})` : null,
    due.shipping > 0 ? `the order’s shipping (${amount(due.shipping)})` : null,
  ]
    .filter((part) => part !== null)
    .map((part, i) => (i === 0 ? part.charAt(0).toUpperCase() + part.slice(1) : part));
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

/**
 * Where an approved exchange's replacement leaves from and with whom. The admin sees what leaves
 * from where, and confirms it, before the stock moves and the customer is emailed.
 */
function ShipReplacementForm({
  value,
  locations,
  busy,
  onSubmit,
  onCancel,
}: {
  value: Return;
  locations: StockLocationChoice[];
  busy: boolean;
  onSubmit: (body: api.ReplacementShipmentRequest) => void;
  onCancel: () => void;
}) {
  const carriersId = useId();
  const [carrier, setCarrier] = useState(CARRIERS[0] ?? '');
  const [tracking, setTracking] = useState('');
  const [trackingUrl, setTrackingUrl] = useState('');
  const [locationId, setLocationId] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [review, setReview] = useState<api.ReplacementShipmentRequest | null>(null);
  // the locations come with the order page; until one is chosen, the first (highest priority) ships
  const from = locations.find((l) => l.id === locationId) ?? locations[0];
  const parcel = value.lines
    .flatMap((l) => (l.replacement ? [`${l.quantity} × ${returnLineName(l.replacement)}`] : []))
    .join(', ');

  function submit(e: FormEvent) {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (carrier.trim().length < 2 || carrier.trim().length > 60)
      problems['carrier'] = 'Enter the carrier, for example UPS (2 to 60 characters).';
    if (!/^[A-Za-z0-9-]{4,40}$/.test(tracking.trim()))
      problems['trackingNumber'] = 'Use 4 to 40 letters, digits or dashes, as printed on the label.';
    if (trackingUrl.trim() && !/^https?:\/\//.test(trackingUrl.trim()))
      problems['trackingUrl'] = 'Use the carrier’s https:// tracking link, or leave it empty.';
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    setReview({
      carrier: carrier.trim(),
      trackingNumber: tracking.trim(),
      ...(trackingUrl.trim() && { trackingUrl: trackingUrl.trim() }),
      ...(from && { locationId: from.id }),
    });
  }

  return (
    <form className="stack" onSubmit={submit} noValidate data-testid="replacement-ship-form">
      <p className="small">
        In the parcel: <strong>{parcel}</strong>
      </p>
      <div className="form-row">
        <Field label="Carrier" error={errors['carrier']} required>
          <input
            type="text"
            list={carriersId}
            value={carrier}
            onChange={(e) => setCarrier(e.target.value)}
            maxLength={60}
          />
        </Field>
        <Field label="Tracking number" error={errors['trackingNumber']} required>
          <input
            type="text"
            value={tracking}
            onChange={(e) => setTracking(e.target.value)}
            maxLength={40}
            spellCheck={false}
            autoComplete="off"
          />
        </Field>
      </div>
      <Field label="Tracking link (optional)" error={errors['trackingUrl']}>
        <input
          type="url"
          value={trackingUrl}
          onChange={(e) => setTrackingUrl(e.target.value)}
          maxLength={500}
          placeholder="https://"
        />
      </Field>
      {locations.length > 1 && (
        <Field label="Ships from">
          <select
            value={from?.id ?? ''}
            onChange={(e) => setLocationId(e.target.value)}
            data-testid="replacement-location"
          >
            {locations.map((loc) => (
              <option key={loc.id} value={loc.id}>
                {loc.name}
              </option>
            ))}
          </select>
        </Field>
      )}
      <datalist id={carriersId}>
        {CARRIERS.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      <div className="actions-row">
        <Button type="submit" busy={busy} data-testid="replacement-ship-review">
          Review shipment
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={busy}>
          Not yet
        </Button>
      </div>
      <ConfirmDialog
        open={review !== null}
        testId="replacement-ship-confirm"
        title={from ? `Ship ${parcel} from ${from.name}?` : `Ship ${parcel}?`}
        confirmLabel="Ship replacement"
        cancelLabel="Go back"
        onCancel={() => setReview(null)}
        onConfirm={() => {
          setReview(null);
          if (review) onSubmit(review);
        }}
      >
        {review && (
          <p data-testid="replacement-ship-sentence">
            With {review.carrier}, tracking {review.trackingNumber}. The units leave the stock
            {from ? ` of ${from.name}` : ''}, and the customer is emailed the tracking.
          </p>
        )}
      </ConfirmDialog>
    </form>
  );
}

/** A reason the shop gives the customer, who reads it in their email. */
function CustomerReason(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
}) {
  return (
    <Field label={props.label} hint="The customer reads this in their email.">
      <textarea
        value={props.value}
        maxLength={500}
        rows={2}
        onChange={(e) => props.onChange(e.target.value)}
        data-testid={props.testId}
      />
    </Field>
  );
}
