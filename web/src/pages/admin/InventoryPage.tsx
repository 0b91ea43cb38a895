import { useEffect, useRef, useState, type FormEvent } from 'react';
import * as api from '../../api.ts';
import type { InventoryRow, StockLocation } from '../../api.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { PageHeader } from '../../components/Layout.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { Button, EmptyState, ErrorState, Field, Loading, Notice, TableScroll } from '../../components/ui.tsx';
import { describeError, fieldErrors } from '../../lib/errors.ts';
import {
  useAsync,
  useDebounced,
  useDebouncedCallback,
  useEvents,
  useTitle,
  usePageSearchParams,
} from '../../lib/hooks.ts';
import './InventoryPage.css';

export function InventoryPage() {
  useTitle('Inventory');
  const [params, setParams] = usePageSearchParams();
  const lowOnly = params.get('lowStock') === 'true';
  const locationId = params.get('location') ?? '';
  const [search, setSearch] = useState(params.get('search') ?? '');
  const q = useDebounced(search.trim(), 300);
  const [flash, setFlash] = useState<Record<string, number>>({});
  const [showNew, setShowNew] = useState(false);

  useEffect(() => {
    const next = new URLSearchParams();
    if (q) next.set('search', q);
    if (lowOnly) next.set('lowStock', 'true');
    if (locationId) next.set('location', locationId);
    setParams(next, { replace: true });
  }, [q, lowOnly, locationId, setParams]);

  // a shop with one location sees no picker and no transfers
  const locationList = useAsync((signal) => api.listStockLocations(signal), []);
  const locations = locationList.data?.items ?? [];
  const several = locations.length > 1;
  const location = locations.find((l) => l.id === locationId);
  const inventory = useAsync(
    (signal) =>
      api.listInventory(
        { search: q || undefined, lowStock: lowOnly, locationId: locationId || undefined },
        signal,
      ),
    [q, lowOnly, locationId],
  );
  const canAdjust = !several || (location?.active ?? false);
  const rows = inventory.data?.items ?? [];
  const { loading, error } = inventory;
  const setRows = (update: (rows: InventoryRow[]) => InventoryRow[]) =>
    inventory.setData((shown) => shown && { items: update(shown.items) });

  // live: numbers change at once; the list (low-stock flags, order) is refetched shortly after
  const refetch = useDebouncedCallback(inventory.reload, 1000);
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  useEvents({
    stock: (e) => {
      if (!rowsRef.current.some((r) => r.variantId === e.variantId)) return;
      // the live figures are totals over all locations: one location's view is fetched again
      if (locationId) {
        refetch();
        return;
      }
      setRows((list) =>
        list.map((r) =>
          r.variantId === e.variantId
            ? { ...r, onHand: e.onHand, reserved: e.reserved, available: e.available }
            : r,
        ),
      );
      setFlash((f) => ({ ...f, [e.variantId]: Date.now() }));
      window.setTimeout(
        () =>
          setFlash((f) => {
            const { [e.variantId]: _gone, ...rest } = f;
            return rest;
          }),
        1600,
      );
      refetch();
    },
    open: refetch,
  });

  function applied(row: InventoryRow) {
    setRows((list) => list.map((r) => (r.variantId === row.variantId ? row : r)));
  }

  return (
    <>
      <PageHeader title="Inventory">
        <Button
          variant={showNew ? 'ghost' : 'secondary'}
          onClick={() => setShowNew((s) => !s)}
          aria-expanded={showNew}
        >
          {showNew ? 'Close the new product form' : 'New product'}
        </Button>
      </PageHeader>
      {showNew && (
        <NewProductForm
          onCreated={() => {
            setShowNew(false);
            inventory.reload();
          }}
        />
      )}
      <form
        className="filters card"
        role="search"
        aria-label="Filter inventory"
        onSubmit={(e) => e.preventDefault()}
      >
        <Field label="Search" hint="Name or SKU">
          <input
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            data-testid="inventory-search"
          />
        </Field>
        <label className="checkbox filters-check">
          <input
            type="checkbox"
            checked={lowOnly}
            onChange={(e) => {
              const next = new URLSearchParams(params);
              if (e.target.checked) next.set('lowStock', 'true');
              else next.delete('lowStock');
              setParams(next, { replace: true });
            }}
          />
          Low stock only
        </label>
        {several && (
          <Field label="Location">
            <select
              value={locationId}
              data-testid="inventory-location"
              onChange={(e) => {
                const next = new URLSearchParams(params);
                if (e.target.value) next.set('location', e.target.value);
                else next.delete('location');
                setParams(next, { replace: true });
              }}
            >
              <option value="">All locations (totals)</option>
              {locations.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                  {l.active ? '' : ' (inactive)'}
                </option>
              ))}
            </select>
          </Field>
        )}
      </form>
      {several && !locationId && <p className="muted inventory-hint">Pick a location to change its stock.</p>}
      {several && (
        <TransferForm
          locations={locations.filter((l) => l.active)}
          rows={rows}
          defaultFrom={location?.active ? location.id : undefined}
          onMoved={inventory.reload}
        />
      )}
      {loading && rows.length === 0 ? (
        <Loading label="Loading inventory…" />
      ) : error ? (
        <ErrorState error={error} onRetry={inventory.reload} />
      ) : rows.length === 0 ? (
        <EmptyState title={lowOnly ? 'No product is low on stock.' : 'No products found.'} />
      ) : (
        <TableScroll label="Inventory">
          <table
            className="table table-stack inventory-table"
            data-testid="inventory-table"
            aria-busy={loading || undefined}
          >
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col" className="num">
                  On hand
                </th>
                <th scope="col" className="num">
                  Reserved
                </th>
                <th scope="col" className="num">
                  Available
                </th>
                {canAdjust && <th scope="col">Replenish</th>}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr
                  key={row.variantId}
                  className={`${row.available <= 0 ? 'row-out' : row.lowStock ? 'row-low' : ''}${flash[row.variantId] ? ' row-flash' : ''}`}
                  data-testid="inventory-row"
                  data-product-id={row.productId}
                >
                  <th scope="row">
                    <span className="cell-title">{row.name}</span>
                    <span className="muted small"> {row.sku}</span>
                    {row.available <= 0 ? (
                      <span className="badge stock-out">Out of stock</span>
                    ) : (
                      row.lowStock && <span className="badge stock-low">Low stock</span>
                    )}
                  </th>
                  <td className="num" data-label="On hand" data-testid="on-hand">
                    {row.onHand}
                  </td>
                  <td className="num" data-label="Reserved" data-testid="reserved">
                    {row.reserved}
                  </td>
                  <td className="num" data-label="Available" data-testid="available">
                    <strong>{row.available}</strong>
                  </td>
                  {canAdjust && (
                    <td data-label="Replenish">
                      <ReplenishForm row={row} locationId={location?.id} onDone={applied} />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}

function ReplenishForm({
  row,
  locationId,
  onDone,
}: {
  row: InventoryRow;
  locationId: string | undefined;
  onDone: (row: InventoryRow) => void;
}) {
  const notify = useToast();
  const [operation, setOperation] = useState<'add' | 'set'>('add');
  const [quantity, setQuantity] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const base = `stock-${row.variantId}`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const n = Number(quantity);
    if (!quantity.trim() || !Number.isInteger(n) || n < 0 || (operation === 'add' && n === 0)) {
      setError(operation === 'add' ? 'Enter a whole number above 0.' : 'Enter a whole number, 0 or more.');
      return;
    }
    if (operation === 'set' && n < row.reserved) {
      setError(`${row.reserved} are reserved by open orders: set at least ${row.reserved}.`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const level = await api.adjustStock(row.variantId, {
        operation,
        quantity: n,
        ...(locationId !== undefined && { locationId }),
      });
      onDone({ ...row, ...level });
      setQuantity('');
      notify(`${row.name}: ${level.onHand} on hand, ${level.available} available.`);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="replenish" onSubmit={submit} noValidate data-testid="replenish-form">
      <label htmlFor={`${base}-op`} className="visually-hidden">
        Operation for {row.name}
      </label>
      <select
        id={`${base}-op`}
        value={operation}
        onChange={(e) => setOperation(e.target.value as 'add' | 'set')}
      >
        <option value="add">Add</option>
        <option value="set">Set to</option>
      </select>
      <label htmlFor={`${base}-qty`} className="visually-hidden">
        Quantity for {row.name}
      </label>
      <input
        id={`${base}-qty`}
        type="number"
        inputMode="numeric"
        min={0}
        step={1}
        className="input-qty"
        value={quantity}
        onChange={(e) => setQuantity(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${base}-err` : undefined}
      />
      <Button type="submit" variant="secondary" className="btn-small" busy={busy}>
        Save<span className="visually-hidden"> stock of {row.name}</span>
      </Button>
      {error && (
        <p className="field-error" id={`${base}-err`} role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function NewProductForm({ onCreated }: { onCreated: () => void }) {
  const notify = useToast();
  const [form, setForm] = useState({ sku: '', name: '', description: '', price: '', initialStock: '0' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [key]: e.target.value });

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(form.sku.trim()))
      problems['sku'] = 'Letters, digits, dot, dash or underscore.';
    if (!form.name.trim()) problems['name'] = 'Enter a name.';
    const price = Number(form.price);
    if (!form.price.trim() || !Number.isFinite(price) || price < 0)
      problems['price'] = 'Enter a price, like 19.99.';
    else if (Math.round(price * 100) / 100 !== price) problems['price'] = 'Use at most 2 decimals.';
    const stock = Number(form.initialStock || '0');
    if (!Number.isInteger(stock) || stock < 0) problems['initialStock'] = 'Enter a whole number, 0 or more.';
    setErrors(problems);
    setFailure(null);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      const p = await api.createProduct({
        sku: form.sku.trim(),
        name: form.name.trim(),
        description: form.description.trim(),
        price,
        initialStock: stock,
      });
      notify(`Created ${p.name}.`);
      onCreated();
    } catch (err) {
      setErrors(fieldErrors(err));
      setFailure(describeError(err));
      setBusy(false);
    }
  }

  return (
    <form
      className="card stack new-product"
      onSubmit={submit}
      noValidate
      aria-labelledby="new-product-title"
      data-testid="new-product-form"
    >
      <h2 id="new-product-title">New product</h2>
      <div className="form-grid">
        <Field label="SKU" error={errors['sku']} required>
          <input type="text" value={form.sku} onChange={set('sku')} spellCheck={false} autoComplete="off" />
        </Field>
        <Field label="Name" error={errors['name']} required>
          <input type="text" value={form.name} onChange={set('name')} />
        </Field>
        <Field label="Price" error={errors['price']} required>
          <input type="text" inputMode="decimal" value={form.price} onChange={set('price')} />
        </Field>
        <Field label="Initial stock" error={errors['initialStock']}>
          <input type="number" min={0} step={1} value={form.initialStock} onChange={set('initialStock')} />
        </Field>
        <Field label="Description" error={errors['description']} className="span-2">
          <textarea rows={2} value={form.description} onChange={set('description')} maxLength={5000} />
        </Field>
      </div>
      <div aria-live="polite">{failure && <Notice kind="error">{failure}</Notice>}</div>
      <div>
        <Button type="submit" busy={busy}>
          Create product
        </Button>
      </div>
    </form>
  );
}

/** Moves free units between two locations, after a dialog that says exactly what moves. */
function TransferForm({
  locations,
  rows,
  defaultFrom,
  onMoved,
}: {
  locations: StockLocation[];
  rows: InventoryRow[];
  defaultFrom: string | undefined;
  onMoved: () => void;
}) {
  const notify = useToast();
  const [from, setFrom] = useState(defaultFrom ?? locations[0]?.id ?? '');
  const [to, setTo] = useState(locations.find((l) => l.id !== (defaultFrom ?? locations[0]?.id))?.id ?? '');
  const [variantId, setVariantId] = useState('');
  const [quantity, setQuantity] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const nameOf = (id: string) => locations.find((l) => l.id === id)?.name ?? '';
  const product = rows.find((r) => r.variantId === variantId);

  function review(e: FormEvent) {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!from || !to || from === to) problems['to'] = 'Choose two different locations.';
    if (!product) problems['variantId'] = 'Choose a product.';
    const n = Number(quantity);
    if (!Number.isInteger(n) || n < 1) problems['quantity'] = 'Enter a whole number above 0.';
    setErrors(problems);
    setFailure(null);
    if (Object.keys(problems).length === 0) setConfirming(true);
  }

  async function move() {
    setConfirming(false);
    setBusy(true);
    try {
      await api.transferStock({
        fromLocationId: from,
        toLocationId: to,
        items: [{ variantId, quantity: Number(quantity) }],
        ...(note.trim() && { note: note.trim() }),
      });
      notify(`Moved ${quantity} × ${product?.name ?? ''} from ${nameOf(from)} to ${nameOf(to)}.`);
      setQuantity('');
      setNote('');
      onMoved();
    } catch (err) {
      setErrors(fieldErrors(err));
      setFailure(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="card stack transfer-form"
      onSubmit={review}
      noValidate
      aria-labelledby="transfer-title"
      data-testid="transfer-form"
    >
      <h2 id="transfer-title">Move stock between locations</h2>
      <div className="form-grid">
        <Field label="From">
          <select value={from} onChange={(e) => setFrom(e.target.value)} data-testid="transfer-from">
            {locations.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="To" error={errors['to']}>
          <select value={to} onChange={(e) => setTo(e.target.value)} data-testid="transfer-to">
            {locations.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Product" error={errors['variantId']}>
          <select
            value={variantId}
            onChange={(e) => setVariantId(e.target.value)}
            data-testid="transfer-product"
          >
            <option value="">Choose…</option>
            {rows.map((r) => (
              <option key={r.variantId} value={r.variantId}>
                {r.name} ({r.sku})
              </option>
            ))}
          </select>
        </Field>
        <Field label="Quantity" error={errors['quantity']}>
          <input
            type="number"
            min={1}
            step={1}
            value={quantity}
            onChange={(e) => setQuantity(e.target.value)}
            data-testid="transfer-quantity"
          />
        </Field>
        <Field label="Note" hint="Optional: why it moves" className="span-2">
          <input type="text" maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
        </Field>
      </div>
      <div aria-live="polite">{failure && <Notice kind="error">{failure}</Notice>}</div>
      <div>
        <Button type="submit" variant="secondary" busy={busy} data-testid="transfer-review">
          Review the move
        </Button>
      </div>
      <ConfirmDialog
        open={confirming}
        title="Move this stock?"
        confirmLabel="Move stock"
        cancelLabel="Keep it where it is"
        onConfirm={() => void move()}
        onCancel={() => setConfirming(false)}
        testId="transfer-dialog"
      >
        <p>
          {quantity} × <strong>{product?.name}</strong> from <strong>{nameOf(from)}</strong> to{' '}
          <strong>{nameOf(to)}</strong>. Only units not reserved by orders move.
        </p>
      </ConfirmDialog>
    </form>
  );
}
