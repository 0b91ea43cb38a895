import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import * as api from '../../api.ts';
import type { Order } from '../../api.ts';
import { DownloadButton } from '../../components/DownloadButton.tsx';
import {
  OrderLinesTable,
  PaymentSummary,
  ShippingSummary,
  hasInvoice,
} from '../../components/OrderParts.tsx';
import { StatusSteps, Timeline } from '../../components/Timeline.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { Button, ErrorState, Field, Loading, Notice, StatusBadge } from '../../components/ui.tsx';
import { TestCardField } from '../../components/TestCardField.tsx';
import { describeError, fieldErrors, isApiError } from '../../lib/errors.ts';
import { formatDateTime, money, orderNumber } from '../../lib/format.ts';
import { TEST_CARDS, cardName } from '../../lib/cards.ts';
import { useAsync, useTitle } from '../../lib/hooks.ts';
import {
  AddressFields,
  toAddress,
  toAddressForm,
  validateAddress,
  type AddressForm,
} from './AddressFields.tsx';
import { OrderReturns } from './OrderReturns.tsx';
import { OrderShipments } from './OrderShipments.tsx';
import './OrderDetailPage.css';

type Panel = 'none' | 'modify' | 'cancel';

export function OrderDetailPage() {
  const { id = '' } = useParams();
  const order = useAsync((signal) => api.getOrder(id, signal), [id]);
  const timeline = useAsync((signal) => api.getTimeline(id, signal), [id]);
  const [panel, setPanel] = useState<Panel>('none');
  const [message, setMessage] = useState<string | null>(null);
  const o = order.data;
  // the shop ships, delivers or refunds while this page is open: show it without a reload
  const { reload: reloadOrder } = order;
  const { reload: reloadTimeline } = timeline;
  useEffect(
    () =>
      api.subscribeMyOrders({
        order: (event) => {
          if (event.orderId !== id) return;
          reloadOrder();
          reloadTimeline();
        },
        open: () => {
          reloadOrder();
          reloadTimeline();
        },
      }),
    [id, reloadOrder, reloadTimeline],
  );
  useTitle(o ? `Order ${orderNumber(o)}` : 'Order');

  if (order.loading && !o) return <Loading label="Loading your order…" />;
  if (order.error || !o) {
    if (isApiError(order.error, 'not_found') || isApiError(order.error, 'validation_failed')) {
      return (
        <div className="narrow">
          <h1>Order not found</h1>
          <p>We could not find this order in your account.</p>
          <Link className="btn btn-primary" to="/orders">
            See my orders
          </Link>
        </div>
      );
    }
    return <ErrorState error={order.error} onRetry={order.reload} />;
  }

  function updated(next: Order, text: string) {
    order.setData(next);
    timeline.reload();
    setPanel('none');
    setMessage(text);
  }

  function stale() {
    order.reload();
    timeline.reload();
  }

  const { modify, cancel } = o.actions;

  return (
    <article className="order-detail" data-testid="order-detail">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <ol>
          <li>
            <Link to="/orders">My orders</Link>
          </li>
          <li aria-current="page">Order {orderNumber(o)}</li>
        </ol>
      </nav>
      <div className="page-header">
        <div>
          <h1>Order {orderNumber(o)}</h1>
          <p className="muted">
            Placed <time dateTime={o.createdAt}>{formatDateTime(o.createdAt)}</time>
          </p>
        </div>
        <StatusBadge status={o.detailedStatus} />
      </div>

      <div aria-live="polite">{message && <Notice kind="success">{message}</Notice>}</div>

      <StatusSteps status={o.status} />

      {o.trackingNumber && (
        <Notice
          kind={o.status === 'delivered' ? 'success' : 'info'}
          title={o.status === 'delivered' ? 'Delivered' : 'On its way'}
          testId="shipping-notice"
        >
          <p>
            Shipped with {o.carrier ?? 'the carrier'} — tracking number{' '}
            <strong data-testid="tracking-number-banner">{o.trackingNumber}</strong>
          </p>
        </Notice>
      )}

      <div className="detail-grid">
        <div className="stack">
          <section className="card" aria-labelledby="items-title">
            <h2 id="items-title">Items</h2>
            <OrderLinesTable order={o} />
          </section>

          {(modify.allowed || cancel.allowed) && panel === 'none' && (
            <div className="actions-row" data-testid="order-actions">
              {modify.allowed && (
                <Button variant="secondary" onClick={() => setPanel('modify')}>
                  Change order
                </Button>
              )}
              {cancel.allowed && (
                <Button variant="danger" onClick={() => setPanel('cancel')}>
                  Cancel order
                </Button>
              )}
            </div>
          )}
          {!modify.allowed && o.status !== 'cancelled' && modify.reason && (
            <p className="muted small" data-testid="modify-reason">
              {modify.reason}
            </p>
          )}
          {panel === 'modify' && modify.allowed && (
            <ModifyForm order={o} onDone={updated} onCancel={() => setPanel('none')} onStale={stale} />
          )}
          {panel === 'cancel' && cancel.allowed && (
            <CancelForm order={o} onDone={updated} onCancel={() => setPanel('none')} onStale={stale} />
          )}
          <OrderShipments orderId={o.id} />
          <OrderReturns orderId={o.id} currency={o.currency} />
        </div>

        <div className="stack">
          <section className="card" aria-labelledby="delivery-title">
            <h2 id="delivery-title">Delivery and payment</h2>
            <ShippingSummary order={o} />
            <PaymentSummary order={o} />
            {hasInvoice(o) && (
              <DownloadButton fetchFile={() => api.downloadMyInvoice(o.id)} testId="download-my-invoice">
                Download invoice
              </DownloadButton>
            )}
          </section>
          <section className="card" aria-labelledby="timeline-title">
            <h2 id="timeline-title">History</h2>
            {timeline.loading && !timeline.data ? (
              <Loading label="Loading history…" />
            ) : timeline.error ? (
              <ErrorState error={timeline.error} onRetry={timeline.reload} />
            ) : (
              <Timeline items={timeline.data?.items ?? []} showActor={false} />
            )}
          </section>
        </div>
      </div>
    </article>
  );
}

interface FormProps {
  order: Order;
  onDone: (order: Order, message: string) => void;
  onCancel: () => void;
  onStale: () => void;
}

type Quote = api.ModificationQuote;

/** Two sizes of a tee are two lines: their labels say which. */
function lineName(line: Order['items'][number]): string {
  return line.variantTitle ? `${line.name} (${line.variantTitle})` : line.name;
}

function ModifyForm({ order, onDone, onCancel, onStale }: FormProps) {
  const notify = useToast();
  const [quantities, setQuantities] = useState<Record<string, string>>(() =>
    Object.fromEntries(order.items.map((l) => [l.variantId, String(l.quantity)])),
  );
  const [removed, setRemoved] = useState<Record<string, boolean>>({});
  const [address, setAddress] = useState<AddressForm>(() => toAddressForm(order.shippingAddress));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [card, setCard] = useState(TEST_CARDS[0]?.token ?? 'tok_visa');
  // the server's price of the change, shown and confirmed before anything is sent
  const [quote, setQuote] = useState<{ quote: Quote; lines: ChangeLines; note: string | null } | null>(null);
  const names = new Map(order.items.map((l) => [l.productId, l.name]));

  function fail(err: unknown) {
    setErrors(fieldErrors(err));
    setFailure(describeError(err, { names, currency: order.currency, action: 'change this order' }));
    if (isApiError(err, 'invalid_transition')) onStale();
    setBusy(false);
  }

  async function save(lines: ChangeLines | null, confirmed: Quote | null) {
    const newAddress = toAddress(address);
    const addressChanged = !sameAddress(newAddress, order.shippingAddress);
    setBusy(true);
    setFailure(null);
    try {
      const next = await api.modifyOrder(order.id, {
        ...(lines && { items: lines }),
        ...(addressChanged && { shippingAddress: newAddress }),
        ...(confirmed && { confirmedAmount: confirmed.amountDue }),
        ...(confirmed &&
          confirmed.amountDue > 0 && { paymentMethod: { type: 'card' as const, token: card } }),
      });
      notify('Your order was updated.');
      onDone(next, 'Your order was updated. We have emailed you the changes.');
    } catch (err) {
      if (lines && isApiError(err, 'amount_changed')) {
        // prices moved between the quote and the confirmation: show the new amount, charge nothing
        await ask(lines, 'The price of this change has changed since you saw it. Here is the new amount.');
        return;
      }
      fail(err);
    }
  }

  async function ask(lines: ChangeLines, note: string | null) {
    setBusy(true);
    setFailure(null);
    try {
      const priced = await api.quoteModification(order.id, { items: lines });
      setBusy(false);
      if (priced.amountDue === 0 && priced.amountRefunded === 0) await save(lines, priced);
      else setQuote({ quote: priced, lines, note });
    } catch (err) {
      fail(err);
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problems: Record<string, string> = { ...validateAddress(address) };
    const lines: ChangeLines = [];
    for (const line of order.items) {
      if (removed[line.variantId]) continue;
      const n = Number(quantities[line.variantId]);
      if (!Number.isInteger(n) || n < 1)
        problems[`qty-${line.variantId}`] = 'Enter a whole number of at least 1.';
      else lines.push({ variantId: line.variantId, quantity: n });
    }
    if (lines.length === 0 && Object.keys(problems).length === 0) {
      setFailure('An order needs at least one item. To remove everything, cancel the order instead.');
      return;
    }
    setErrors(problems);
    if (Object.keys(problems).length > 0) {
      setFailure('Please fix the highlighted fields.');
      return;
    }
    const itemsChanged =
      lines.length !== order.items.length ||
      lines.some((l) => order.items.find((o) => o.variantId === l.variantId)?.quantity !== l.quantity);
    if (!itemsChanged && sameAddress(toAddress(address), order.shippingAddress)) {
      setFailure('Nothing has changed yet.');
      return;
    }
    if (itemsChanged) await ask(lines, null);
    else await save(null, null);
  }

  const pending = quote?.quote;
  const cardLabel = cardName(card);

  return (
    <form
      className="card stack"
      onSubmit={submit}
      noValidate
      aria-labelledby="modify-title"
      data-testid="modify-form"
    >
      <h2 id="modify-title">Change your order</h2>
      <fieldset>
        <legend>Quantities</legend>
        <ul className="modify-lines">
          {order.items.map((line) => (
            <li key={line.variantId} className={removed[line.variantId] ? 'is-removed' : undefined}>
              <Field label={lineName(line)} error={errors[`qty-${line.variantId}`]}>
                <input
                  type="number"
                  inputMode="numeric"
                  min={1}
                  step={1}
                  className="input-qty"
                  value={quantities[line.variantId] ?? ''}
                  disabled={removed[line.variantId]}
                  onChange={(e) => setQuantities({ ...quantities, [line.variantId]: e.target.value })}
                />
              </Field>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={removed[line.variantId] ?? false}
                  onChange={(e) => setRemoved({ ...removed, [line.variantId]: e.target.checked })}
                />
                Remove {lineName(line)}
              </label>
            </li>
          ))}
        </ul>
        <p className="muted small">
          Added units are charged at today&rsquo;s price. You see the amount and confirm it before anything is
          charged or refunded.
        </p>
      </fieldset>
      <fieldset>
        <legend>Shipping address</legend>
        <AddressFields value={address} onChange={setAddress} errors={errors} idPrefix="modify-address" />
      </fieldset>
      <div aria-live="polite">{failure && <Notice kind="error">{failure}</Notice>}</div>
      <div className="actions-row">
        <Button type="submit" busy={busy}>
          Review changes
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={busy}>
          Keep the order as it is
        </Button>
      </div>
      <ConfirmDialog
        open={pending !== undefined}
        testId="change-confirm"
        title={
          pending && pending.amountDue > 0
            ? `Pay ${money(pending.amountDue, pending.currency)} for this change?`
            : `Refund ${money(pending?.amountRefunded ?? 0, order.currency)} for this change?`
        }
        confirmLabel={
          pending && pending.amountDue > 0
            ? `Pay ${money(pending.amountDue, pending.currency)}`
            : 'Change the order and refund'
        }
        cancelLabel="Go back"
        onCancel={() => setQuote(null)}
        onConfirm={() => {
          if (!quote) return;
          setQuote(null);
          void save(quote.lines, quote.quote);
        }}
      >
        {pending && (
          <div className="stack" data-testid="change-quote">
            {quote.note && <Notice kind="info">{quote.note}</Notice>}
            <ul className="change-lines">
              {pending.changes.map((c) => (
                <li key={c.productId}>
                  {c.name}: {c.from} → {c.to}
                </li>
              ))}
            </ul>
            {pending.amountDue > 0 ? (
              <>
                <p data-testid="change-quote-sentence">
                  This change costs <strong>{money(pending.amountDue, pending.currency)}</strong> more; pay{' '}
                  {money(pending.amountDue, pending.currency)} with {cardLabel}?
                </p>
                <TestCardField value={card} onChange={setCard} />
              </>
            ) : (
              <p data-testid="change-quote-sentence">
                We will refund <strong>{money(pending.amountRefunded, pending.currency)}</strong> to the card
                you paid with.
              </p>
            )}
            <p>
              New total{' '}
              <strong data-testid="change-quote-total">{money(pending.total, pending.currency)}</strong> (was{' '}
              {money(pending.previousTotal, pending.currency)}).
            </p>
          </div>
        )}
      </ConfirmDialog>
    </form>
  );
}

/** the variant of each line (ADR 0025: a product with options is changed by its variant) */
type ChangeLines = { variantId: string; quantity: number }[];

function sameAddress(a: api.Address, b: api.ShippingAddress): boolean {
  return (
    (a.name ?? '') === b.name &&
    (a.phone ?? '') === (b.phone ?? '') &&
    a.street === b.street &&
    a.city === b.city &&
    (a.state ?? '') === b.state &&
    a.zip === b.zip &&
    (a.country ?? 'US') === b.country
  );
}

const CANCEL_REASONS = [
  'I changed my mind',
  'I ordered the wrong item',
  'It takes too long to arrive',
  'I found a better price',
];

function CancelForm({ order, onDone, onCancel, onStale }: FormProps) {
  const notify = useToast();
  const [choice, setChoice] = useState(CANCEL_REASONS[0] ?? '');
  const [other, setOther] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const reason = choice === 'other' ? other.trim() : choice;
    if (!reason) {
      setError('Tell us briefly why you are cancelling.');
      return;
    }
    setError(undefined);
    setBusy(true);
    setFailure(null);
    try {
      const next = await api.cancelOrder(order.id, reason);
      notify('Your order was cancelled.');
      onDone(
        next,
        next.payment.amountPaid > 0
          ? 'Your order was cancelled. The payment will be refunded to your card.'
          : 'Your order was cancelled.',
      );
    } catch (err) {
      setFailure(describeError(err, { action: 'cancel this order' }));
      if (isApiError(err, 'invalid_transition')) onStale();
      setBusy(false);
    }
  }

  return (
    <form
      className="card stack"
      onSubmit={submit}
      noValidate
      aria-labelledby="cancel-title"
      data-testid="cancel-form"
    >
      <h2 id="cancel-title">Cancel this order?</h2>
      <p>Items are released back to the shop and any payment is refunded to your card.</p>
      <Field label="Reason">
        <select value={choice} onChange={(e) => setChoice(e.target.value)} name="reason">
          {CANCEL_REASONS.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
          <option value="other">Another reason…</option>
        </select>
      </Field>
      {choice === 'other' && (
        <Field label="Your reason" error={error} required>
          <textarea
            rows={3}
            maxLength={500}
            value={other}
            onChange={(e) => setOther(e.target.value)}
            name="otherReason"
          />
        </Field>
      )}
      <div aria-live="polite">{failure && <Notice kind="error">{failure}</Notice>}</div>
      <div className="actions-row">
        <Button type="submit" variant="danger" busy={busy} data-testid="confirm-cancel">
          Cancel order
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={busy}>
          Keep my order
        </Button>
      </div>
    </form>
  );
}
