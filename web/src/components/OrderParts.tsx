import type { Order, OrderTotals } from '../api.ts';
import { cancellationSentence } from '../lib/codes.ts';
import { formatAddress, lineTotal, money } from '../lib/format.ts';
import { PaymentBadge, TableScroll } from './ui.tsx';
import './OrderParts.css';

/** The carriers a ship form suggests; the admin may type any other. */
export const CARRIERS = ['UPS', 'USPS', 'FedEx', 'DHL'];

/** "VAT 20 %", "Sales tax 8.25 %" */
export function taxLineName(t: { name: string; rate: number }): string {
  return `${t.name} ${new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 }).format(t.rate)} %`;
}

/**
 * The shipping row's amount: its price after any discount, without its tax, which the tax lines
 * already count (shown with the tax as well, the rows would not add up to the total).
 */
export function shippingAmount(
  shipping: { price: number; discount: number } | null,
  currency: string,
): string {
  const charged = shipping ? shipping.price - shipping.discount : 0;
  return charged <= 0 ? 'Free' : money(charged, currency);
}

/**
 * The rows between the lines and the total: subtotal, discount, shipping and tax lines, when the
 * order has them (orders placed before shipping and tax have none, and show the total alone).
 */
export function orderTotalRows(
  totals: OrderTotals,
  currency: string,
): { label: string; amount: string; testId: string }[] {
  const rows = [{ label: 'Subtotal', amount: money(totals.subtotal, currency), testId: 'order-subtotal' }];
  if (totals.discountTotal > 0) {
    rows.push({
      label: totals.discount ? `Discount (${totals.discount.code})` : 'Discount',
      amount: `−${money(totals.discountTotal, currency)}`,
      testId: 'order-discount',
    });
  }
  if (totals.shipping) {
    rows.push({
      label: `Shipping (${totals.shipping.name})`,
      amount: shippingAmount(totals.shipping, currency),
      testId: 'order-shipping',
    });
  }
  for (const t of totals.taxLines) {
    rows.push({
      label: `${totals.pricesIncludeTax ? 'incl. ' : ''}${taxLineName(t)}`,
      amount: money(t.amount, currency),
      testId: 'order-tax',
    });
  }
  return rows;
}

/** "M / Black · SKU TEE-100-M-BLA" for a line with options; the SKU alone for one without. */
function lineDetail(line: Order['items'][number]): string {
  return [line.variantTitle, line.sku ? `SKU ${line.sku}` : ''].filter(Boolean).join(' · ');
}

type OrderLines = Pick<Order, 'items' | 'total' | 'currency'>;

export function OrderLinesTable({ order }: { order: OrderLines | (OrderLines & OrderTotals) }) {
  const totals = 'subtotal' in order ? order : null;
  const extra = totals && (totals.shipping || totals.discountTotal > 0 || totals.taxLines.length > 0);
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
            <tr key={line.variantId}>
              <td>
                {line.name}
                {lineDetail(line) && (
                  <span className="line-detail" data-testid="line-variant">
                    {lineDetail(line)}
                  </span>
                )}
              </td>
              <td className="num">{money(line.price, order.currency)}</td>
              <td className="num">{line.quantity}</td>
              <td className="num">
                {money(lineTotal(line.price, line.quantity, order.currency), order.currency)}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          {extra &&
            orderTotalRows(totals, order.currency).map((row) => (
              <tr key={row.label} data-testid={row.testId}>
                <th scope="row" colSpan={3}>
                  {row.label}
                </th>
                <td className="num">{row.amount}</td>
              </tr>
            ))}
          <tr>
            <th scope="row" colSpan={3}>
              Order total{totals?.pricesIncludeTax && totals.taxTotal > 0 ? ' (incl. tax)' : ''}
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

/** Whether the order was paid, so it has an invoice (issued with its confirmation). */
export function hasInvoice(order: Order): boolean {
  return ['paid', 'partially_refunded', 'refunded'].includes(order.payment.status);
}
