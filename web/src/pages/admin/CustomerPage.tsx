import { Link, useParams } from 'react-router-dom';
import * as api from '../../api.ts';
import {
  EmptyState,
  ErrorState,
  Loading,
  PaymentBadge,
  StatusBadge,
  TableScroll,
} from '../../components/ui.tsx';
import { isApiError } from '../../lib/errors.ts';
import { formatAddress, formatDate, formatDateTime, money, orderNumber, plural } from '../../lib/format.ts';
import { useAsync, useTitle } from '../../lib/hooks.ts';
import './CustomerPage.css';

/** One customer: who they are, where they ship to, what they are worth, and their latest orders. */
export function CustomerPage() {
  const { id = '' } = useParams();
  const customer = useAsync((signal) => api.getCustomer(id, signal), [id]);
  const c = customer.data;
  useTitle(c ? c.name : 'Customer');

  if (customer.loading && !c) return <Loading label="Loading customer…" />;
  if (customer.error || !c) {
    if (isApiError(customer.error, 'not_found') || isApiError(customer.error, 'validation_failed')) {
      return (
        <div className="narrow">
          <h1>Customer not found</h1>
          <p>There is no customer with this id.</p>
          <Link className="btn btn-primary" to="/admin/customers">
            All customers
          </Link>
        </div>
      );
    }
    return <ErrorState error={customer.error} onRetry={customer.reload} />;
  }

  return (
    <article className="customer-detail" data-testid="admin-customer-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <ol>
          <li>
            <Link to="/admin/customers">Customers</Link>
          </li>
          <li aria-current="page">{c.name}</li>
        </ol>
      </nav>
      <div className="page-header">
        <div>
          <h1>{c.name}</h1>
          <p className="muted small">
            <a href={`mailto:${c.email}`}>{c.email}</a>
            {c.phone && <> · {c.phone}</>} · customer since{' '}
            <time dateTime={c.createdAt}>{formatDate(c.createdAt)}</time>
          </p>
        </div>
      </div>

      <div className="customer-figures" data-testid="customer-figures">
        <section className="card figure">
          <h2 className="figure-label">Lifetime value</h2>
          <p className="figure-value" data-testid="lifetime-value">
            {money(c.totalSpent, c.currency)}
          </p>
          <p className="muted small">paid, less refunds</p>
        </section>
        <section className="card figure">
          <h2 className="figure-label">Orders paid for</h2>
          <p className="figure-value" data-testid="orders-count">
            {c.ordersCount}
          </p>
        </section>
        <section className="card figure">
          <h2 className="figure-label">Last order</h2>
          <p className="figure-value figure-date">
            {c.lastOrderAt ? <time dateTime={c.lastOrderAt}>{formatDate(c.lastOrderAt)}</time> : 'None yet'}
          </p>
        </section>
      </div>

      <div className="detail-grid">
        <section className="card" aria-labelledby="customer-orders-title">
          <h2 id="customer-orders-title">Latest orders</h2>
          {c.recentOrders.length === 0 ? (
            <EmptyState title="No orders yet." />
          ) : (
            <>
              <TableScroll label="Table of the latest orders">
                <table className="table table-stack" data-testid="customer-orders">
                  <thead>
                    <tr>
                      <th scope="col">Order</th>
                      <th scope="col">Placed</th>
                      <th scope="col">Status</th>
                      <th scope="col">Payment</th>
                      <th scope="col" className="num">
                        Total
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {c.recentOrders.map((o) => (
                      <tr key={o.id} data-testid="customer-order-row" data-order-id={o.id}>
                        <td data-label="Order">
                          <Link to={`/admin/orders/${o.id}`}>{orderNumber(o)}</Link>
                        </td>
                        <td data-label="Placed">
                          <time dateTime={o.createdAt}>{formatDateTime(o.createdAt)}</time>
                        </td>
                        <td data-label="Status">
                          <StatusBadge status={o.detailedStatus} />
                        </td>
                        <td data-label="Payment">
                          <PaymentBadge status={o.paymentStatus} />
                        </td>
                        <td className="num" data-label="Total">
                          {money(o.total, o.currency)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
              <p className="small">
                <Link to={`/admin/orders?customerId=${encodeURIComponent(c.id)}`}>
                  All of {c.name}’s orders
                </Link>
              </p>
            </>
          )}
        </section>
        <section className="card" aria-labelledby="customer-addresses-title">
          <h2 id="customer-addresses-title">Saved addresses</h2>
          {c.addresses.length === 0 ? (
            <p className="muted">No saved addresses.</p>
          ) : (
            <>
              <p className="muted small">{plural(c.addresses.length, 'address', 'addresses')}</p>
              <ul className="address-list" data-testid="customer-addresses">
                {c.addresses.map((a) => (
                  <li key={a.id}>
                    {a.label && <strong>{a.label}: </strong>}
                    {a.recipient && <>{a.recipient}, </>}
                    {formatAddress({ ...a, country: a.country ?? undefined })}
                    {a.phone && <span className="muted"> · {a.phone}</span>}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      </div>
    </article>
  );
}
