import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import * as api from '../../api.ts';
import type { ActionAvailability, Order, RefundRequest } from '../../api.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { DownloadButton } from '../../components/DownloadButton.tsx';
import { CARRIERS, OrderLinesTable, PaymentSummary, ShippingSummary } from '../../components/OrderParts.tsx';
import { StatusSteps, Timeline } from '../../components/Timeline.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { Button, ErrorState, Field, Loading, Notice, StatusBadge } from '../../components/ui.tsx';
import { describeError, fieldErrors, isApiError } from '../../lib/errors.ts';
import {
  amountForInput,
  currencyDecimals,
  formatDateTime,
  money,
  orderNumber,
  SHOP_LOCALE,
} from '../../lib/format.ts';
import { parseMoneyInput } from '../../lib/money-input.ts';
import { useAsync, useDebouncedCallback, useEvents, useTitle } from '../../lib/hooks.ts';
import { OrderDocuments } from './OrderDocuments.tsx';
import { OrderReturnsPanel, type StockLocationChoice } from './OrderReturnsPanel.tsx';
import { useSession } from '../../lib/session.tsx';
import './OrderPage.css';

export function AdminOrderPage() {
  const { id = '' } = useParams();
  const order = useAsync((signal) => api.getOrder(id, signal), [id]);
  const timeline = useAsync((signal) => api.getTimeline(id, signal), [id]);
  const shipments = useAsync((signal) => api.listShipments(id, undefined, signal), [id]);
  const locations = useAsync((signal) => api.listRestockLocations(signal), []);
  const { user } = useSession();
  const may = (permission: api.Permission) => user?.permissions.includes(permission) ?? false;
  const o = order.data;
  useTitle(o ? `Order ${orderNumber(o)}` : 'Order');

  // counts the live order events: the documents card reads its list again on each (a refund's
  // event comes once its dispatch, which issues the credit note, has committed)
  const [liveEvents, setLiveEvents] = useState(0);
  const refresh = useDebouncedCallback(() => {
    order.reload();
    timeline.reload();
    shipments.reload();
    setLiveEvents((n) => n + 1);
  }, 400);
  useEvents({ order: (e) => e.orderId === id && refresh() }, true);

  if (order.loading && !o) return <Loading label="Loading order…" />;
  if (order.error || !o) {
    if (isApiError(order.error, 'not_found') || isApiError(order.error, 'validation_failed')) {
      return (
        <div className="narrow">
          <h1>Order not found</h1>
          <p>There is no order with this id.</p>
          <Link className="btn btn-primary" to="/admin/orders">
            All orders
          </Link>
        </div>
      );
    }
    return <ErrorState error={order.error} onRetry={order.reload} />;
  }

  const done = (next: Order) => {
    order.setData(next);
    timeline.reload();
    shipments.reload();
  };
  const stale = () => {
    order.reload();
    timeline.reload();
    shipments.reload();
  };

  return (
    <article className="order-detail" data-testid="admin-order">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <ol>
          <li>
            <Link to="/admin/orders">Orders</Link>
          </li>
          <li aria-current="page">Order {orderNumber(o)}</li>
        </ol>
      </nav>
      <div className="page-header">
        <div>
          <h1>Order {orderNumber(o)}</h1>
          <p className="muted small">
            Placed <time dateTime={o.createdAt}>{formatDateTime(o.createdAt)}</time> · last change{' '}
            <time dateTime={o.updatedAt}>{formatDateTime(o.updatedAt)}</time>
          </p>
          <p data-testid="admin-customer">
            Customer{' '}
            <Link to={`/admin/customers/${encodeURIComponent(o.customerId)}`}>
              {o.customer?.name ?? 'their page'}
            </Link>
            {o.customer && (
              <>
                {' · '}
                <a href={`mailto:${o.customer.email}`}>{o.customer.email}</a>
              </>
            )}
          </p>
        </div>
        <StatusBadge status={o.detailedStatus} />
      </div>
      <StatusSteps status={o.status} />

      <div className="detail-grid">
        <div className="stack">
          <section className="card" aria-labelledby="lines-title">
            <h2 id="lines-title">Lines</h2>
            <OrderLinesTable order={o} />
          </section>
          <OrderReturnsPanel orderId={o.id} locations={locations.data ?? []} onChanged={stale} />
          <section className="card" aria-labelledby="pay-title">
            <h2 id="pay-title">Payment and delivery</h2>
            <PaymentSummary order={o} />
            <ShippingSummary order={o} />
          </section>
          <ShipmentList order={o} shipments={shipments.data?.items ?? []} onDone={done} onStale={stale} />
          <OrderDocuments order={o} liveEvents={liveEvents} />
          <section className="card" aria-labelledby="history-title">
            <h2 id="history-title">Timeline</h2>
            {timeline.loading && !timeline.data ? (
              <Loading label="Loading timeline…" />
            ) : timeline.error ? (
              <ErrorState error={timeline.error} onRetry={timeline.reload} />
            ) : (
              <Timeline items={timeline.data?.items ?? []} />
            )}
          </section>
        </div>
        <section className="stack" aria-labelledby="actions-title" data-testid="admin-actions">
          <h2 id="actions-title" className="section-title">
            Actions
          </h2>
          {/* only what the signed-in role may do; the API refuses the rest anyway */}
          {may('orders.write') && (
            <>
              <ConfirmAction order={o} onDone={done} onStale={stale} />
              <ShipAction
                order={o}
                shipments={shipments.data?.items ?? []}
                locations={locations.data ?? []}
                onDone={done}
                onStale={stale}
              />
              <DeliverAction order={o} onDone={done} onStale={stale} />
              <CancelAction order={o} onDone={done} onStale={stale} />
            </>
          )}
          {may('refunds') && <RefundAction order={o} onDone={done} onStale={stale} />}
        </section>
      </div>
    </article>
  );
}

interface ActionProps {
  order: Order;
  onDone: (o: Order) => void;
  onStale: () => void;
}

/** One action: a card with its controls, disabled with the server's reason when not allowed. */
function ActionCard({
  title,
  availability,
  children,
  testId,
  onSubmit,
  failure,
}: {
  title: string;
  availability: ActionAvailability;
  children: (disabledProps: { disabled: boolean; 'aria-describedby'?: string }) => ReactNode;
  testId: string;
  onSubmit: (e: FormEvent) => void;
  failure: string | null;
}) {
  const reasonId = useId();
  const titleId = useId();
  const disabledProps = availability.allowed
    ? { disabled: false }
    : { disabled: true, 'aria-describedby': reasonId };
  return (
    <form
      className={`card action-card${availability.allowed ? '' : ' action-disabled'}`}
      onSubmit={onSubmit}
      noValidate
      aria-labelledby={titleId}
      data-testid={testId}
    >
      <h3 id={titleId}>{title}</h3>
      {!availability.allowed && availability.reason && (
        <p className="action-reason" id={reasonId} data-testid={`${testId}-reason`}>
          {availability.reason}
        </p>
      )}
      {children(disabledProps)}
      <div aria-live="polite">{failure && <Notice kind="error">{failure}</Notice>}</div>
    </form>
  );
}

function useAction(props: ActionProps, label: string) {
  const notify = useToast();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  /** Runs the call; 'retryable' when no answer came back (the same request may be sent again). */
  async function run(call: () => Promise<Order>, success: string): Promise<'ok' | 'failed' | 'retryable'> {
    setBusy(true);
    setFailure(null);
    setErrors({});
    try {
      const next = await call();
      props.onDone(next);
      notify(success);
      return 'ok';
    } catch (err) {
      setErrors(fieldErrors(err));
      setFailure(describeError(err, { action: label, currency: props.order.currency }));
      if (isApiError(err, 'invalid_transition')) props.onStale();
      return err instanceof api.ApiError && err.retryable ? 'retryable' : 'failed';
    } finally {
      setBusy(false);
    }
  }
  return { busy, failure, setFailure, errors, setErrors, run };
}

function ConfirmAction(props: ActionProps) {
  const a = useAction(props, 'confirm this order');
  return (
    <ActionCard
      title="Confirm"
      availability={props.order.actions.confirm}
      testId="action-confirm"
      failure={a.failure}
      onSubmit={(e) => {
        e.preventDefault();
        void a.run(() => api.adminConfirm(props.order.id), 'Order confirmed.');
      }}
    >
      {(d) => (
        <Button type="submit" busy={a.busy} {...d}>
          Confirm order
        </Button>
      )}
    </ActionCard>
  );
}

/** What remains to ship of each line: ordered less what the shipments took. */
function remainingOf(order: Order, shipments: readonly api.Shipment[]): Map<string, number> {
  const shipped = new Map<string, number>();
  for (const s of shipments)
    for (const l of s.lines) shipped.set(l.lineId, (shipped.get(l.lineId) ?? 0) + l.quantity);
  return new Map(order.items.map((l) => [l.id, l.quantity - (shipped.get(l.id) ?? 0)]));
}

/** "Mug (Sand)": a line's product and, when it has one, its variant. */
function lineName(l: { name: string; variantTitle: string }): string {
  return l.variantTitle ? `${l.name} (${l.variantTitle})` : l.name;
}

/** The parcel being confirmed: the request and the words that say what leaves from where. */
interface ShipmentReview {
  body: api.CreateShipmentRequest;
  parcel: string;
  left: string;
}

/**
 * A parcel of some or all of what remains, from a stock location (the picker shows when the shop
 * has more than one; the highest-priority one is chosen first). The admin confirms what leaves
 * from where before the stock moves and the customer is emailed.
 */
function ShipAction(
  props: ActionProps & { shipments: readonly api.Shipment[]; locations: StockLocationChoice[] },
) {
  const a = useAction(props, 'ship this order');
  const [tracking, setTracking] = useState('');
  const [trackingUrl, setTrackingUrl] = useState('');
  const [carrier, setCarrier] = useState(CARRIERS[0] ?? '');
  const [locationId, setLocationId] = useState('');
  const [review, setReview] = useState<ShipmentReview | null>(null);
  const remaining = remainingOf(props.order, props.shipments);
  const [counts, setCounts] = useState<Record<string, string>>({});
  const countOf = (lineId: string) => counts[lineId] ?? String(remaining.get(lineId) ?? 0);
  const open = props.order.items.filter((l) => (remaining.get(l.id) ?? 0) > 0);
  // the locations are listed highest priority first: the one the inventory ships from by default
  const from = props.locations.find((l) => l.id === locationId) ?? props.locations[0];
  const fromName = from?.name;
  return (
    <ActionCard
      title="Create shipment"
      availability={props.order.actions.ship}
      testId="action-ship"
      failure={a.failure}
      onSubmit={(e) => {
        e.preventDefault();
        const problems: Record<string, string> = {};
        if (!/^[A-Za-z0-9-]{4,40}$/.test(tracking.trim()))
          problems['trackingNumber'] = 'Use 4 to 40 letters, digits or dashes, as printed on the label.';
        if (carrier.trim().length < 2 || carrier.trim().length > 60)
          problems['carrier'] = 'Enter the carrier, for example UPS (2 to 60 characters).';
        if (trackingUrl.trim() && !/^https?:\/\//.test(trackingUrl.trim()))
          problems['trackingUrl'] = 'Use the carrier’s https:// tracking link, or leave it empty.';
        const lines = open
          .map((l) => ({ lineId: l.id, quantity: Number(countOf(l.id)) }))
          .filter((l) => l.quantity > 0);
        const wrong = open.find((l) => {
          const n = Number(countOf(l.id));
          return !Number.isInteger(n) || n < 0 || n > (remaining.get(l.id) ?? 0);
        });
        if (wrong) problems['lines'] = `Ship between 0 and ${remaining.get(wrong.id) ?? 0} of ${wrong.name}.`;
        else if (lines.length === 0) problems['lines'] = 'Put at least one item in the shipment.';
        a.setErrors(problems);
        a.setFailure(null);
        if (Object.keys(problems).length > 0) return;
        const parts = open.map((l) => {
          const taking = Number(countOf(l.id));
          return { name: lineName(l), taking, left: (remaining.get(l.id) ?? 0) - taking };
        });
        setReview({
          body: {
            lines,
            trackingNumber: tracking.trim(),
            carrier: carrier.trim(),
            ...(trackingUrl.trim() && { trackingUrl: trackingUrl.trim() }),
            ...(from && { locationId: from.id }),
          },
          parcel: parts
            .filter((p) => p.taking > 0)
            .map((p) => `${p.taking} × ${p.name}`)
            .join(', '),
          left: parts
            .filter((p) => p.left > 0)
            .map((p) => `${p.left} × ${p.name}`)
            .join(', '),
        });
      }}
    >
      {(d) => (
        <>
          {open.length > 0 && (
            <fieldset className="shipment-lines" data-testid="shipment-lines">
              <legend>Items in this parcel</legend>
              {open.map((l) => (
                <Field key={l.id} label={`${lineName(l)} — ${remaining.get(l.id) ?? 0} to ship`}>
                  <input
                    type="number"
                    inputMode="numeric"
                    min={0}
                    max={remaining.get(l.id) ?? 0}
                    value={countOf(l.id)}
                    onChange={(e) => setCounts({ ...counts, [l.id]: e.target.value })}
                    disabled={d.disabled}
                  />
                </Field>
              ))}
              {a.errors['lines'] && (
                <p className="field-error" role="alert">
                  {a.errors['lines']}
                </p>
              )}
            </fieldset>
          )}
          {props.locations.length > 1 && open.length > 0 && (
            <Field label="Ships from">
              <select
                value={from?.id ?? ''}
                onChange={(e) => setLocationId(e.target.value)}
                disabled={d.disabled}
                data-testid="shipment-location"
              >
                {props.locations.map((loc) => (
                  <option key={loc.id} value={loc.id}>
                    {loc.name}
                  </option>
                ))}
              </select>
            </Field>
          )}
          <div className="form-row">
            <Field label="Carrier" error={a.errors['carrier']} required>
              <input
                type="text"
                list="carriers"
                value={carrier}
                onChange={(e) => setCarrier(e.target.value)}
                disabled={d.disabled}
                maxLength={60}
              />
            </Field>
            <Field label="Tracking number" error={a.errors['trackingNumber']} required>
              <input
                type="text"
                value={tracking}
                onChange={(e) => setTracking(e.target.value)}
                disabled={d.disabled}
                maxLength={40}
                spellCheck={false}
                autoComplete="off"
              />
            </Field>
          </div>
          <Field label="Tracking link (optional)" error={a.errors['trackingUrl']}>
            <input
              type="url"
              value={trackingUrl}
              onChange={(e) => setTrackingUrl(e.target.value)}
              disabled={d.disabled}
              maxLength={500}
              placeholder="https://"
            />
          </Field>
          <datalist id="carriers">
            {CARRIERS.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          <Button type="submit" busy={a.busy} {...d}>
            Create shipment
          </Button>
          <ConfirmDialog
            open={review !== null}
            testId="shipment-confirm"
            title={
              review
                ? `Ship ${review.parcel}${fromName ? ` from ${fromName}` : ''} with ${review.body.carrier} ${review.body.trackingNumber}?`
                : 'Create shipment'
            }
            confirmLabel="Ship parcel"
            cancelLabel="Go back"
            onCancel={() => setReview(null)}
            onConfirm={() => {
              const body = review?.body;
              setReview(null);
              if (!body) return;
              void a
                .run(async () => (await api.createShipment(props.order.id, body)).order, 'Shipment created.')
                .then((result) => {
                  if (result !== 'ok') return;
                  setCounts({});
                  setTracking('');
                  setTrackingUrl('');
                  setLocationId('');
                });
            }}
          >
            {review && (
              <p data-testid="shipment-sentence">
                The units leave the stock{fromName ? ` of ${fromName}` : ''}, and the customer is emailed the
                tracking.{' '}
                {review.left
                  ? `Still to ship after this parcel: ${review.left}.`
                  : 'Nothing is left to ship after it.'}
              </p>
            )}
          </ConfirmDialog>
        </>
      )}
    </ActionCard>
  );
}

/** The order's parcels, each with what is in it, its tracking, its packing slip and "Mark delivered". */
function ShipmentList(props: ActionProps & { shipments: readonly api.Shipment[] }) {
  const a = useAction(props, 'mark this shipment delivered');
  if (props.shipments.length === 0) return null;
  return (
    <section className="card" aria-labelledby="shipments-title" data-testid="admin-shipments">
      <h2 id="shipments-title">Shipments</h2>
      {a.failure && <Notice kind="error">{a.failure}</Notice>}
      <ul className="shipment-list">
        {props.shipments.map((s) => (
          <li key={s.id} data-testid="shipment">
            <p>
              <strong>Shipment {s.number}</strong> · {s.carrier} {s.trackingNumber}
              {s.location.name && <> · from {s.location.name}</>} ·{' '}
              <span className={`badge status-${s.status}`}>
                {s.status === 'delivered' ? 'Delivered' : 'Shipped'}
              </span>
            </p>
            <ul>
              {s.lines.map((l) => (
                <li key={l.lineId}>
                  {l.quantity} × {lineName(l)}
                </li>
              ))}
            </ul>
            <div className="actions-row">
              <DownloadButton
                fetchFile={() => api.downloadShipmentPackingSlip(props.order.id, s.id)}
                testId="download-shipment-packing-slip"
              >
                Packing slip for shipment {s.number}
              </DownloadButton>
              {s.status === 'shipped' && (
                <Button
                  type="button"
                  busy={a.busy}
                  onClick={() =>
                    void a.run(
                      async () => (await api.deliverShipment(props.order.id, s.id)).order,
                      `Shipment ${s.number} marked delivered.`,
                    )
                  }
                >
                  Mark shipment {s.number} delivered
                </Button>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

function DeliverAction(props: ActionProps) {
  const a = useAction(props, 'mark this order as delivered');
  return (
    <ActionCard
      title="Deliver"
      availability={props.order.actions.deliver}
      testId="action-deliver"
      failure={a.failure}
      onSubmit={(e) => {
        e.preventDefault();
        void a.run(() => api.adminDeliver(props.order.id), 'Order marked as delivered.');
      }}
    >
      {(d) => (
        <Button type="submit" busy={a.busy} {...d}>
          Mark as delivered
        </Button>
      )}
    </ActionCard>
  );
}

function CancelAction(props: ActionProps) {
  const a = useAction(props, 'cancel this order');
  const [reason, setReason] = useState('');
  return (
    <ActionCard
      title="Cancel"
      availability={props.order.actions.cancel}
      testId="action-cancel"
      failure={a.failure}
      onSubmit={(e) => {
        e.preventDefault();
        if (!reason.trim()) {
          a.setErrors({ reason: 'Enter a reason; the customer will see it.' });
          return;
        }
        void a.run(() => api.adminCancel(props.order.id, reason.trim()), 'Order cancelled.');
      }}
    >
      {(d) => (
        <>
          <Field label="Reason for the customer" error={a.errors['reason']} required>
            <textarea
              rows={2}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              disabled={d.disabled}
              maxLength={500}
            />
          </Field>
          <Button type="submit" variant="danger" busy={a.busy} {...d}>
            Cancel order
          </Button>
        </>
      )}
    </ActionCard>
  );
}

function RefundAction(props: ActionProps) {
  const { order } = props;
  const a = useAction(props, 'refund this order');
  const factor = 10 ** currencyDecimals(order.currency);
  const remainingMinor = Math.max(
    0,
    Math.round(order.payment.amountPaid * factor) - Math.round(order.payment.amountRefunded * factor),
  );
  const remaining = remainingMinor / factor;
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  /** the refund the admin is asked to confirm; nothing is sent before they do */
  const [asking, setAsking] = useState<RefundRequest | null>(null);
  const attempt = useRef<{ body: string; key: string } | null>(null);
  const availability: ActionAvailability =
    order.actions.refund.allowed && remainingMinor <= 0
      ? { allowed: false, reason: 'Everything paid has already been refunded.' }
      : order.actions.refund;
  const typed = amount.trim() ? parseMoneyInput(amount, order.currency, SHOP_LOCALE) : null;
  const reading =
    typed?.ok && typed.minor <= remainingMinor ? money(typed.minor / factor, order.currency) : null;

  function send(body: RefundRequest) {
    // one key per refund attempt, reused only when retrying after no answer: never refund twice
    const serialized = JSON.stringify(body);
    if (!attempt.current || attempt.current.body !== serialized) {
      attempt.current = { body: serialized, key: api.newIdempotencyKey() };
    }
    const key = attempt.current.key;
    void a
      .run(() => api.adminRefund(order.id, body, key), `Refunded ${money(body.amount, order.currency)}.`)
      .then((outcome) => {
        if (outcome !== 'retryable') attempt.current = null;
        if (outcome === 'ok') setAmount('');
      });
  }

  return (
    <ActionCard
      title="Refund"
      availability={availability}
      testId="action-refund"
      failure={a.failure}
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = parseMoneyInput(amount, order.currency, SHOP_LOCALE);
        const problem = !parsed.ok
          ? parsed.problem
          : parsed.minor > remainingMinor
            ? `At most ${money(remaining, order.currency)} can be refunded.`
            : null;
        a.setErrors(problem ? { amount: problem } : {});
        a.setFailure(null);
        if (!parsed.ok || problem) return;
        setAsking({ amount: parsed.minor / factor, ...(reason.trim() && { reason: reason.trim() }) });
      }}
    >
      {(d) => (
        <>
          <div className="form-row">
            <Field
              label={`Amount (${order.currency})`}
              error={a.errors['amount']}
              hint={
                <span data-testid="refund-reading">
                  {reading
                    ? `${reading} of up to ${money(remaining, order.currency)}`
                    : `Up to ${money(remaining, order.currency)}`}
                </span>
              }
              required
            >
              <input
                type="text"
                inputMode="decimal"
                value={amount}
                placeholder={amountForInput(remaining, order.currency)}
                onChange={(e) => setAmount(e.target.value)}
                disabled={d.disabled}
              />
            </Field>
            <Field label="Reason (optional)" error={a.errors['reason']}>
              <input
                type="text"
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                disabled={d.disabled}
                maxLength={500}
              />
            </Field>
          </div>
          <div className="actions-row">
            <Button type="submit" variant="danger" busy={a.busy} {...d}>
              Refund
            </Button>
            <Button
              variant="ghost"
              disabled={d.disabled}
              onClick={() => setAmount(amountForInput(remaining, order.currency))}
            >
              Fill in the full amount
            </Button>
          </div>
          <ConfirmDialog
            open={asking !== null}
            title={
              asking ? `Refund ${money(asking.amount, order.currency)} to the customer’s card?` : 'Refund'
            }
            confirmLabel={asking ? `Refund ${money(asking.amount, order.currency)}` : 'Refund'}
            cancelLabel="Don’t refund"
            onCancel={() => setAsking(null)}
            onConfirm={() => {
              if (asking) send(asking);
              setAsking(null);
            }}
            testId="refund-dialog"
          >
            {asking && (
              <p>
                The money goes back to the card that paid for order {orderNumber(order)}. It cannot be taken
                back once sent.
                {asking.reason && <> Reason: “{asking.reason}”.</>}
              </p>
            )}
          </ConfirmDialog>
        </>
      )}
    </ActionCard>
  );
}
