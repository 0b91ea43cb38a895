import type { Order } from '../api.ts';
import { cancellationSentence } from '../lib/codes.ts';
import { formatAddress, lineTotal, money } from '../lib/format.ts';
import { PaymentBadge, TableScroll } from './ui.tsx';

export function OrderLinesTable({ order }: { order: Pick<Order, 'items' | 'total' | 'currency'> }) {
  return (
    <TableScroll label="Order items">
      <table className="table" data-testid="order-lines">
        <caption className="visually-hidden">Items in this order</caption>
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col" className="num">
              Price
            </th>
            <th scope="col" className="num">
              Quantity
            </th>
            <th scope="col" className="num">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {order.items.map((line) => (
            <tr key={line.productId}>
              <td>{line.name}</td>
              <td className="num">{money(line.price, order.currency)}</td>
              <td className="num">{line.quantity}</td>
              <td className="num">
                {money(lineTotal(line.price, line.quantity, order.currency), order.currency)}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={3}>
              Order total
            </th>
            <td className="num" data-testid="order-total">
              <strong>{money(order.total, order.currency)}</strong>
            </td>
          </tr>
        </tfoot>
      </table>
    </TableScroll>
  );
}

export function PaymentSummary({ order }: { order: Order }) {
  const { payment, currency } = order;
  return (
    <dl className="facts" data-testid="payment-summary">
      <div>
        <dt>Payment</dt>
        <dd>
          <PaymentBadge status={payment.status} />
        </dd>
      </div>
      <div>
        <dt>Paid</dt>
        <dd>{money(payment.amountPaid, currency)}</dd>
      </div>
      {payment.amountRefunded > 0 && (
        <div>
          <dt>Refunded</dt>
          <dd>{money(payment.amountRefunded, currency)}</dd>
        </div>
      )}
    </dl>
  );
}

export function ShippingSummary({ order }: { order: Order }) {
  return (
    <dl className="facts">
      <div>
        <dt>Ship to</dt>
        <dd data-testid="shipping-address">
          <span className="address-recipient">{order.shippingAddress.name}</span>
          <br />
          {formatAddress(order.shippingAddress)}
          {order.shippingAddress.phone && (
            <>
              <br />
              <span data-testid="shipping-phone">Phone {order.shippingAddress.phone}</span>
            </>
          )}
        </dd>
      </div>
      {order.trackingNumber && (
        <div>
          <dt>Tracking</dt>
          <dd data-testid="tracking-number">
            {order.carrier ? `${order.carrier} · ` : ''}
            <strong>{order.trackingNumber}</strong>
          </dd>
        </div>
      )}
      {order.cancellationReason && (
        <div>
          <dt>Cancelled because</dt>
          <dd data-testid="cancellation-reason">{cancellationSentence(order.cancellationReason)}</dd>
        </div>
      )}
    </dl>
  );
}
