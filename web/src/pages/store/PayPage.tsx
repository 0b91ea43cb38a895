/**
 * The page a payment link opens (`/pay/:id?token=…`, ADR 0023): the order the shop took for the
 * customer on the phone, its total, and a card to pay it with. Paying twice charges once: the
 * server charges with the order's own idempotency key.
 */
import { useState, type FormEvent } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import * as api from '../../api.ts';
import { OrderLinesTable } from '../../components/OrderParts.tsx';
import { Button, ErrorState, Loading, Notice, StatusBadge } from '../../components/ui.tsx';
import { TestCardField } from '../../components/TestCardField.tsx';
import { describeError, isApiError } from '../../lib/errors.ts';
import { formatDateTime, money, orderNumber } from '../../lib/format.ts';
import { useAsync, useTitle } from '../../lib/hooks.ts';
import './summary.css';

export function PayPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const view = useAsync((signal) => api.getPayableOrder(id, token, signal), [id, token]);
  const [card, setCard] = useState('tok_visa');
  const [paying, setPaying] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [paid, setPaid] = useState<api.PayableOrder | null>(null);
  const shown = paid ?? view.data;
  const o = shown?.order;
  useTitle(o ? `Pay for order ${orderNumber(o)}` : 'Pay for your order');

  if (view.loading && !o) return <Loading label="Loading your order…" />;
  if (view.error || !shown || !o) {
    if (isApiError(view.error, 'invalid_payment_link') || isApiError(view.error, 'not_found') || !token) {
      return (
        <div className="narrow" data-testid="pay-link-invalid">
          <h1>This payment link does not work</h1>
          <p>It may have expired or been replaced. Contact the shop for a new one.</p>
        </div>
      );
    }
    return <ErrorState error={view.error} onRetry={view.reload} />;
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPaying(true);
    setFailure(null);
    try {
      setPaid(await api.payOrderByLink(id, token, card));
    } catch (error) {
      setFailure(describeError(error));
      view.reload();
    } finally {
      setPaying(false);
    }
  };

  return (
    <article className="narrow stack" data-testid="pay-page">
      <div className="page-header">
        <div>
          <h1>Order {orderNumber(o)}</h1>
          <p className="muted">
            Taken <time dateTime={o.createdAt}>{formatDateTime(o.createdAt)}</time>
          </p>
        </div>
        <StatusBadge status={o.status} />
      </div>
      <section className="card" aria-labelledby="pay-items-title">
        <h2 id="pay-items-title">Items</h2>
        <OrderLinesTable order={o} />
      </section>
      {o.status === 'confirmed' || o.payment.amountPaid > 0 ? (
        <Notice kind="success" title="Thank you: your order is paid" testId="pay-done">
          <p>We have emailed you a confirmation. {money(o.payment.amountPaid, o.currency)} was charged.</p>
        </Notice>
      ) : shown.payable ? (
        <form className="card stack" onSubmit={submit} noValidate>
          <h2>Payment</h2>
          <TestCardField value={card} onChange={setCard} required testId="pay-card" />
          {shown.linkExpiresAt && (
            <p className="muted small">
              This link works until{' '}
              <time dateTime={shown.linkExpiresAt}>{formatDateTime(shown.linkExpiresAt)}</time>.
            </p>
          )}
          <div aria-live="polite">
            {failure && (
              <Notice kind="error" testId="pay-error">
                <p>{failure}</p>
              </Notice>
            )}
          </div>
          <Button type="submit" className="btn-block btn-large" busy={paying} data-testid="pay-submit">
            {paying ? 'Paying…' : `Pay ${money(o.total, o.currency)}`}
          </Button>
        </form>
      ) : (
        <Notice kind="error" title="This order can no longer be paid" testId="pay-closed">
          <p>{failure ?? 'Contact the shop if you still want it.'}</p>
        </Notice>
      )}
    </article>
  );
}
