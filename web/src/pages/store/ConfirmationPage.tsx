import { Link, useLocation, useParams } from 'react-router-dom';
import * as api from '../../api.ts';
import type { Order } from '../../api.ts';
import { orderTotalRows } from '../../components/OrderParts.tsx';
import { ErrorState, Loading, PaymentBadge, StatusBadge } from '../../components/ui.tsx';
import { formatAddress, lineTotal, money, orderNumber, statusLabel } from '../../lib/format.ts';
import { useAsync, useTitle } from '../../lib/hooks.ts';
import { variantLabel } from './variants.ts';
import './summary.css';
import './ConfirmationPage.css';

export function ConfirmationPage() {
  useTitle('Order placed');
  const { id = '' } = useParams();
  const location = useLocation();
  const passed = (location.state as { order?: Order } | null)?.order;
  const order = useAsync(
    (signal) => (passed && passed.id === id ? Promise.resolve(passed) : api.getOrder(id, signal)),
    [id],
  );
  const o = order.data;

  if (order.loading && !o) return <Loading label="Loading your order…" />;
  if (order.error || !o) return <ErrorState error={order.error} onRetry={order.reload} />;

  const paid = o.payment.status === 'paid';
  return (
    <div className="confirmation narrow" data-testid="confirmation">
      <div className="confirmation-hero">
        <span className="confirmation-check" aria-hidden="true">
          ✓
        </span>
        <h1>Thank you for your order!</h1>
        <p className="lead">
          Order <strong data-testid="order-number">{orderNumber(o)}</strong>{' '}
          {o.status === 'confirmed' || paid
            ? 'is confirmed. We have emailed you a confirmation.'
            : o.status === 'pending'
              ? 'has been received; we are completing the payment.'
              : `is ${statusLabel(o.status).toLowerCase()}.`}
        </p>
        <p>
          <StatusBadge status={o.detailedStatus} /> <PaymentBadge status={o.payment.status} />
        </p>
      </div>
      <section className="card" aria-labelledby="conf-items">
        <h2 id="conf-items">Items</h2>
        <ul className="summary-items">
          {o.items.map((line) => (
            <li key={line.variantId}>
              <span>
                {line.quantity} × {line.name}
                {variantLabel(line) && (
                  <span className="summary-variant" data-testid="line-variant">
                    {variantLabel(line)}
                  </span>
                )}
              </span>
              <span>{money(lineTotal(line.price, line.quantity, o.currency), o.currency)}</span>
            </li>
          ))}
        </ul>
        <dl className="summary-list">
          {orderTotalRows(o, o.currency).map((row) => (
            <div key={row.label} data-testid={row.testId}>
              <dt>{row.label}</dt>
              <dd>{row.amount}</dd>
            </div>
          ))}
          <div className="summary-total">
            <dt>Total{o.pricesIncludeTax && o.taxTotal > 0 ? ' (incl. tax)' : ''}</dt>
            <dd data-testid="order-total">{money(o.total, o.currency)}</dd>
          </div>
        </dl>
        <h2>Shipping to</h2>
        <p>{formatAddress(o.shippingAddress)}</p>
      </section>
      <p className="actions-row">
        <Link to={`/orders/${o.id}`} className="btn btn-primary">
          Track this order
        </Link>
        <Link to="/" className="btn btn-secondary">
          Continue shopping
        </Link>
      </p>
    </div>
  );
}
