import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import * as api from '../../api.ts';
import type { Order } from '../../api.ts';
import { OrderLinesTable, PaymentSummary, ShippingSummary } from '../../components/OrderParts.tsx';
import { StatusSteps, Timeline } from '../../components/Timeline.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { Button, ErrorState, Field, Loading, Notice, StatusBadge } from '../../components/ui.tsx';
import { describeError, fieldErrors, isApiError } from '../../lib/errors.ts';
import { currencyDecimals, formatDateTime, lineTotal, money, shortId } from '../../lib/format.ts';
import { TEST_CARDS } from '../../lib/cards.ts';
import { useAsync, useTitle } from '../../lib/hooks.ts';
import {
  AddressFields,
  toAddress,
  toAddressForm,
  validateAddress,
  type AddressForm,
} from './AddressFields.tsx';
import './OrderDetailPage.css';

type Panel = 'none' | 'modify' | 'cancel';

export function OrderDetailPage() {
  const { id = '' } = useParams();
  const order = useAsync((signal) => api.getOrder(id, signal), [id]);
  const timeline = useAsync((signal) => api.getTimeline(id, signal), [id]);
  const [panel, setPanel] = useState<Panel>('none');
  const [message, setMessage] = useState<string | null>(null);
  const o = order.data;
  useTitle(o ? `Order #${shortId(o.id)}` : 'Order');

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
          <li aria-current="page">Order #{shortId(o.id)}</li>
        </ol>
      </nav>
      <div className="page-header">
        <div>
          <h1>Order #{shortId(o.id)}</h1>
          <p className="muted">
            Placed <time dateTime={o.createdAt}>{formatDateTime(o.createdAt)}</time>
          </p>
        </div>
        <StatusBadge status={o.status} />
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
          {panel === 'modify' && (
            <ModifyForm order={o} onDone={updated} onCancel={() => setPanel('none')} onStale={stale} />
          )}
          {panel === 'cancel' && (
            <CancelForm order={o} onDone={updated} onCancel={() => setPanel('none')} onStale={stale} />
          )}
        </div>

        <div className="stack">
          <section className="card" aria-labelledby="delivery-title">
            <h2 id="delivery-title">Delivery and payment</h2>
            <ShippingSummary order={o} />
            <PaymentSummary order={o} />
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

function ModifyForm({ order, onDone, onCancel, onStale }: FormProps) {
  const notify = useToast();
  const [quantities, setQuantities] = useState<Record<string, string>>(() =>
    Object.fromEntries(order.items.map((l) => [l.productId, String(l.quantity)])),
  );
  const [removed, setRemoved] = useState<Record<string, boolean>>({});
  const [address, setAddress] = useState<AddressForm>(() => toAddressForm(order.shippingAddress));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [card, setCard] = useState(TEST_CARDS[0]?.token ?? 'tok_visa');
  const [serverWantsCard, setServerWantsCard] = useState(false);
  const names = new Map(order.items.map((l) => [l.productId, l.name]));

  // the new total at the order's prices: a higher total is paid with a card before it is kept
  const newTotal = order.items.reduce((sum, line) => {
    const n = Number(quantities[line.productId]);
    if (removed[line.productId] || !Number.isInteger(n) || n < 1) return sum;
    return sum + lineTotal(line.price, n, order.currency);
  }, 0);
  const factor = 10 ** currencyDecimals(order.currency);
  const extra = Math.round((newTotal - order.total) * factor) / factor;
  const needsCard = extra > 0 || serverWantsCard;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problems: Record<string, string> = { ...validateAddress(address) };
    const lines: { productId: string; quantity: number }[] = [];
    for (const line of order.items) {
      if (removed[line.productId]) continue;
      const n = Number(quantities[line.productId]);
      if (!Number.isInteger(n) || n < 1)
        problems[`qty-${line.productId}`] = 'Enter a whole number of at least 1.';
      else lines.push({ productId: line.productId, quantity: n });
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
      lines.some((l) => order.items.find((o) => o.productId === l.productId)?.quantity !== l.quantity);
    const newAddress = toAddress(address);
    const old = order.shippingAddress;
    const addressChanged =
      newAddress.street !== old.street ||
      newAddress.city !== old.city ||
      newAddress.state !== old.state ||
      newAddress.zip !== old.zip ||
      (newAddress.country ?? '') !== (old.country ?? '');
    if (!itemsChanged && !addressChanged) {
      setFailure('Nothing has changed yet.');
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      const next = await api.modifyOrder(order.id, {
        ...(itemsChanged && { items: lines }),
        ...(addressChanged && { shippingAddress: newAddress }),
        ...(needsCard && itemsChanged && { paymentMethod: { type: 'card' as const, token: card } }),
      });
      notify('Your order was updated.');
      onDone(next, 'Your order was updated. We have emailed you the changes.');
    } catch (err) {
      setErrors(fieldErrors(err));
      if (isApiError(err, 'payment_method_required')) setServerWantsCard(true);
      setFailure(describeError(err, { names, currency: order.currency, action: 'change this order' }));
      if (isApiError(err, 'invalid_transition')) onStale();
      setBusy(false);
    }
  }

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
            <li key={line.productId} className={removed[line.productId] ? 'is-removed' : undefined}>
              <Field label={line.name} error={errors[`qty-${line.productId}`]}>
                <input
                  type="number"
                  inputMode="numeric"
                  min={1}
                  step={1}
                  className="input-qty"
                  value={quantities[line.productId] ?? ''}
                  disabled={removed[line.productId]}
                  onChange={(e) => setQuantities({ ...quantities, [line.productId]: e.target.value })}
                />
              </Field>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={removed[line.productId] ?? false}
                  onChange={(e) => setRemoved({ ...removed, [line.productId]: e.target.checked })}
                />
                Remove {line.name}
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      {needsCard && (
        <fieldset data-testid="modify-payment">
          <legend>Pay the difference</legend>
          <p>
            The new total is {money(newTotal, order.currency)}
            {extra > 0 && <>, {money(extra, order.currency)} more than you paid</>}. The difference is charged
            when you save.
          </p>
          <Field label="Card" hint="Sandbox mode: choose a test card. Nothing is charged.">
            <select value={card} onChange={(e) => setCard(e.target.value)} name="card">
              {TEST_CARDS.map((c) => (
                <option key={c.token} value={c.token}>
                  {c.label}
                </option>
              ))}
            </select>
          </Field>
        </fieldset>
      )}
      {!needsCard && newTotal < order.total && newTotal > 0 && (
        <p className="muted" data-testid="modify-refund-note">
          The new total is {money(newTotal, order.currency)}: the difference of{' '}
          {money(-extra, order.currency)} is refunded to your card.
        </p>
      )}
      <fieldset>
        <legend>Shipping address</legend>
        <AddressFields value={address} onChange={setAddress} errors={errors} idPrefix="modify-address" />
      </fieldset>
      <div aria-live="polite">{failure && <Notice kind="error">{failure}</Notice>}</div>
      <div className="actions-row">
        <Button type="submit" busy={busy}>
          Save changes
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={busy}>
          Keep the order as it is
        </Button>
      </div>
    </form>
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
