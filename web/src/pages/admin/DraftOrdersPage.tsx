/**
 * Draft orders in the admin (ADR 0023): a phone order built for a customer — found by email, or
 * a new guest email — with products at catalog prices or at a price of the admin's own with a
 * reason, then paid offline or sent to the customer as a payment link.
 */
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import * as api from '../../api.ts';
import { PageHeader } from '../../components/Layout.tsx';
import { OrderLinesTable } from '../../components/OrderParts.tsx';
import { Button, EmptyState, ErrorState, Field, Loading, Notice, StatusBadge } from '../../components/ui.tsx';
import { describeError } from '../../lib/errors.ts';
import { formatDateTime, money, orderNumber } from '../../lib/format.ts';
import { useAsync, useTitle } from '../../lib/hooks.ts';
import {
  AddressFields,
  EMPTY_ADDRESS,
  toAddress,
  validateAddress,
  type AddressForm,
} from '../store/AddressFields.tsx';

/** The drafts, newest first, and the way to start one. */
export function DraftOrdersPage() {
  useTitle('Draft orders');
  const list = useAsync((signal) => api.listDraftOrders(signal), []);
  return (
    <>
      <PageHeader title="Draft orders">
        <Link className="btn btn-primary" to="/admin/drafts/new" data-testid="new-draft">
          New draft order
        </Link>
      </PageHeader>
      {list.loading && !list.data && <Loading label="Loading drafts…" />}
      {list.error && <ErrorState error={list.error} onRetry={list.reload} />}
      {list.data && list.data.items.length === 0 && (
        <EmptyState title="No drafts">A phone order starts here: New draft order.</EmptyState>
      )}
      {list.data && list.data.items.length > 0 && (
        <table className="table" data-testid="draft-list">
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Customer</th>
              <th scope="col">Started</th>
              <th scope="col" className="num">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((d) => (
              <tr key={d.id}>
                <td>
                  <Link to={`/admin/drafts/${d.id}`}>{orderNumber(d)}</Link>
                </td>
                <td>{d.customerEmail}</td>
                <td>{formatDateTime(d.createdAt)}</td>
                <td className="num">{money(d.total, d.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

interface LineForm {
  variantId: string;
  label: string;
  catalogPrice: number;
  quantity: number;
  /** '' for the catalog price */
  price: string;
  reason: string;
}

/** Who the draft is for: a customer found by email, or a new guest email. */
type CustomerChoice =
  { kind: 'account'; id: string; label: string } | { kind: 'guest'; email: string; name: string };

export function NewDraftOrderPage() {
  useTitle('New draft order');
  const navigate = useNavigate();
  const [customerQuery, setCustomerQuery] = useState('');
  const [customer, setCustomer] = useState<CustomerChoice>({ kind: 'guest', email: '', name: '' });
  const customers = useAsync(
    (signal) =>
      customerQuery.trim().length >= 2
        ? api.listCustomers({ search: customerQuery.trim(), limit: 5 }, signal)
        : Promise.resolve(null),
    [customerQuery],
  );
  const [productQuery, setProductQuery] = useState('');
  const products = useAsync(
    (signal) =>
      productQuery.trim().length >= 2
        ? api.listProducts({ search: productQuery.trim(), limit: 5 }, signal)
        : Promise.resolve(null),
    [productQuery],
  );
  const [lines, setLines] = useState<LineForm[]>([]);
  const [address, setAddress] = useState<AddressForm>({ ...EMPTY_ADDRESS });
  const [errors, setErrors] = useState<Partial<Record<keyof AddressForm, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const addVariant = (v: { id: string; price: number }, label: string) =>
    setLines((ls) =>
      ls.some((l) => l.variantId === v.id)
        ? ls
        : [...ls, { variantId: v.id, label, catalogPrice: v.price, quantity: 1, price: '', reason: '' }],
    );
  const change = (i: number, patch: Partial<LineForm>) =>
    setLines((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems = validateAddress(address);
    setErrors(problems);
    if (Object.keys(problems).length > 0 || lines.length === 0) {
      setFailure(lines.length === 0 ? 'Add at least one product.' : 'Check the address.');
      return;
    }
    setSaving(true);
    setFailure(null);
    try {
      const draft = await api.createDraftOrder({
        customer:
          customer.kind === 'account'
            ? { accountId: customer.id }
            : { email: customer.email, name: customer.name },
        items: lines.map((l) => ({
          variantId: l.variantId,
          quantity: l.quantity,
          ...(l.price.trim() !== '' && { price: Number(l.price) }),
          ...(l.reason.trim() !== '' && { reason: l.reason.trim() }),
        })),
        shippingAddress: toAddress(address),
      });
      navigate(`/admin/drafts/${draft.id}`);
    } catch (error) {
      setFailure(describeError(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <PageHeader title="New draft order" />
      <form className="stack" onSubmit={submit} noValidate data-testid="draft-form">
        <fieldset className="card stack">
          <legend>Customer</legend>
          {customer.kind === 'account' ? (
            <p data-testid="draft-customer">
              {customer.label}{' '}
              <button
                type="button"
                className="btn btn-ghost btn-small"
                onClick={() => setCustomer({ kind: 'guest', email: '', name: '' })}
              >
                Change
              </button>
            </p>
          ) : (
            <>
              <Field label="Find a customer by name or email">
                <input
                  type="search"
                  value={customerQuery}
                  onChange={(e) => setCustomerQuery(e.target.value)}
                  data-testid="draft-customer-search"
                />
              </Field>
              {customers.data && customers.data.items.length > 0 && (
                <ul className="stack">
                  {customers.data.items.map((c) => (
                    <li key={c.id}>
                      <button
                        type="button"
                        className="btn btn-secondary btn-small"
                        onClick={() =>
                          setCustomer({ kind: 'account', id: c.id, label: `${c.name} <${c.email}>` })
                        }
                      >
                        {c.name} · {c.email}
                      </button>
                    </li>
                  ))}
                </ul>
              )}
              <p className="muted small">
                Or a new customer: the order goes to a guest account for this email.
              </p>
              <Field label="Email">
                <input
                  type="email"
                  value={customer.email}
                  onChange={(e) => setCustomer({ ...customer, email: e.target.value })}
                  data-testid="draft-email"
                />
              </Field>
              <Field label="Name">
                <input
                  type="text"
                  value={customer.name}
                  onChange={(e) => setCustomer({ ...customer, name: e.target.value })}
                  data-testid="draft-name"
                />
              </Field>
            </>
          )}
        </fieldset>

        <fieldset className="card stack">
          <legend>Products</legend>
          <Field label="Find a product by name or SKU">
            <input
              type="search"
              value={productQuery}
              onChange={(e) => setProductQuery(e.target.value)}
              data-testid="draft-product-search"
            />
          </Field>
          {products.data && (
            <ul className="stack" data-testid="draft-product-results">
              {products.data.items.flatMap((p) =>
                p.variants
                  .filter((v) => v.active)
                  .map((v) => (
                    <li key={v.id}>
                      <button
                        type="button"
                        className="btn btn-secondary btn-small"
                        onClick={() => addVariant(v, v.title ? `${p.name} (${v.title})` : p.name)}
                      >
                        Add {p.name}
                        {v.title ? ` (${v.title})` : ''} · {money(v.price, p.currency)} · {v.available}{' '}
                        available
                      </button>
                    </li>
                  )),
              )}
            </ul>
          )}
          {lines.length > 0 && (
            <table className="table" data-testid="draft-lines">
              <thead>
                <tr>
                  <th scope="col">Product</th>
                  <th scope="col">Quantity</th>
                  <th scope="col">Price</th>
                  <th scope="col">Reason for another price</th>
                </tr>
              </thead>
              <tbody>
                {lines.map((l, i) => (
                  <tr key={l.variantId}>
                    <td>{l.label}</td>
                    <td>
                      <input
                        type="number"
                        min={1}
                        value={l.quantity}
                        aria-label={`Quantity of ${l.label}`}
                        onChange={(e) => change(i, { quantity: Math.max(1, Number(e.target.value) || 1) })}
                      />
                    </td>
                    <td>
                      <input
                        type="number"
                        min={0}
                        step="0.01"
                        placeholder={String(l.catalogPrice)}
                        value={l.price}
                        aria-label={`Price of ${l.label}`}
                        onChange={(e) => change(i, { price: e.target.value })}
                        data-testid="draft-line-price"
                      />
                    </td>
                    <td>
                      <input
                        type="text"
                        value={l.reason}
                        aria-label={`Reason for the price of ${l.label}`}
                        onChange={(e) => change(i, { reason: e.target.value })}
                        data-testid="draft-line-reason"
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </fieldset>

        <fieldset className="card">
          <legend>Shipping address</legend>
          <AddressFields value={address} onChange={setAddress} errors={errors} idPrefix="draft-shipping" />
        </fieldset>
        <div aria-live="polite">
          {failure && (
            <Notice kind="error" testId="draft-error">
              <p>{failure}</p>
            </Notice>
          )}
        </div>
        <Button type="submit" busy={saving} data-testid="draft-create">
          Create draft
        </Button>
      </form>
    </>
  );
}

const OFFLINE_METHODS = [
  ['cash', 'Cash'],
  ['bank_transfer', 'Bank transfer'],
  ['card_terminal', 'Card terminal'],
  ['other', 'Other'],
] as const satisfies ReadonlyArray<readonly [api.OfflinePaymentRequest['method'], string]>;

/** One draft: its lines and total, and the two ways it leaves draft. */
export function DraftOrderPage() {
  const { id = '' } = useParams();
  const draft = useAsync((signal) => api.getDraftOrder(id, signal), [id]);
  const [method, setMethod] = useState<api.OfflinePaymentRequest['method']>('cash');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<'offline' | 'link' | 'delete' | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [result, setResult] = useState<api.DraftOrder | null>(null);
  const navigate = useNavigate();
  const o = result ?? draft.data;
  useTitle(o ? `Draft ${orderNumber(o)}` : 'Draft order');

  if (draft.loading && !o) return <Loading label="Loading the draft…" />;
  if (draft.error || !o) return <ErrorState error={draft.error} onRetry={draft.reload} />;

  const act = async (kind: 'offline' | 'link' | 'delete') => {
    setBusy(kind);
    setFailure(null);
    try {
      if (kind === 'delete') {
        await api.deleteDraftOrder(id);
        navigate('/admin/drafts');
        return;
      }
      setResult(
        kind === 'offline'
          ? await api.recordOfflinePayment(id, {
              amount: o.total,
              method,
              ...(note.trim() && { note: note.trim() }),
            })
          : await api.sendPaymentLink(id),
      );
    } catch (error) {
      setFailure(describeError(error));
    } finally {
      setBusy(null);
    }
  };

  return (
    <article className="stack" data-testid="draft-page">
      <div className="page-header">
        <div>
          <h1>
            {o.status === 'draft' ? 'Draft' : 'Order'} {orderNumber(o)}
          </h1>
          <p className="muted">
            For {o.customer ? `${o.customer.name} <${o.customer.email}>` : o.shippingAddress.name}
          </p>
        </div>
        <StatusBadge status={o.status} />
      </div>
      <section className="card">
        <h2>Items</h2>
        <OrderLinesTable order={o} />
      </section>
      <div aria-live="polite">
        {failure && (
          <Notice kind="error" testId="draft-action-error">
            <p>{failure}</p>
          </Notice>
        )}
      </div>
      {o.status === 'draft' ? (
        <div className="detail-grid">
          <section className="card stack">
            <h2>Paid by phone or in person</h2>
            <Field label="How was it paid?">
              <select
                value={method}
                onChange={(e) =>
                  setMethod(OFFLINE_METHODS.find(([m]) => m === e.target.value)?.[0] ?? 'cash')
                }
                data-testid="offline-method"
              >
                {OFFLINE_METHODS.map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Note (receipt, transfer reference)">
              <input type="text" value={note} onChange={(e) => setNote(e.target.value)} />
            </Field>
            <Button
              busy={busy === 'offline'}
              onClick={() => void act('offline')}
              data-testid="record-offline-payment"
            >
              Record payment of {money(o.total, o.currency)}
            </Button>
          </section>
          <section className="card stack">
            <h2>Pay online</h2>
            <p>The customer gets an email with a link to pay; the stock is held for 7 days.</p>
            <Button busy={busy === 'link'} onClick={() => void act('link')} data-testid="send-payment-link">
              Send payment link
            </Button>
            <Button
              variant="secondary"
              busy={busy === 'delete'}
              onClick={() => void act('delete')}
              data-testid="delete-draft"
            >
              Delete draft
            </Button>
          </section>
        </div>
      ) : (
        <Notice
          kind="success"
          title={o.status === 'pending' ? 'Payment link sent' : 'Order confirmed'}
          testId="draft-finished"
        >
          <p>
            <Link to={`/admin/orders/${o.id}`}>Open the order</Link>
          </p>
        </Notice>
      )}
    </article>
  );
}
