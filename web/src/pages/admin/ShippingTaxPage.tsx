import { useState, type FormEvent } from 'react';
import * as api from '../../api.ts';
import type { ShippingMethod, ShippingRateInput, ShippingZone, TaxRate } from '../../api.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { PageHeader } from '../../components/Layout.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { Button, EmptyState, ErrorState, Field, Loading, Notice, TableScroll } from '../../components/ui.tsx';
import { describeError } from '../../lib/errors.ts';
import { amountForInput, money, SHOP_LOCALE } from '../../lib/format.ts';
import { useAsync, useTitle } from '../../lib/hooks.ts';
import {
  areasText,
  overlapSentence,
  percentText,
  readAmount,
  readAreas,
  readPercent,
} from './pricing-forms.ts';
import './ShippingTaxPage.css';

/** The sentence for a refused change: a zone overlap names the area and the zone that has it. */
const failure = (error: unknown) =>
  (error instanceof api.ApiError ? overlapSentence(error) : null) ?? describeError(error);

/** What a shipping rate charges, in words. */
function rateText(rate: ShippingRateInput, currency: string): string {
  switch (rate.kind) {
    case 'flat':
      return `${money(rate.price, currency)} flat`;
    case 'free_above':
      return `${money(rate.price, currency)}, free from ${money(rate.freeAbove, currency)}`;
    case 'weight_bands':
      return rate.bands.map((b) => `up to ${gramsText(b.upToGrams)}: ${money(b.price, currency)}`).join('; ');
  }
}

function gramsText(grams: number): string {
  return grams >= 1000
    ? `${new Intl.NumberFormat(SHOP_LOCALE, { maximumFractionDigits: 3 }).format(grams / 1000)} kg`
    : `${grams} g`;
}

/**
 * The API has no "shop currency" operation: a saved method says it, and a shop without any yet
 * is asked in the currency its products are priced in.
 */
async function shopCurrency(zones: ShippingZone[], signal: AbortSignal): Promise<string> {
  const saved = zones.flatMap((z) => z.methods)[0]?.currency;
  if (saved) return saved;
  const products = await api.listProducts({ limit: 1 }, signal);
  return products.items[0]?.currency ?? 'USD';
}

export function ShippingTaxPage() {
  useTitle('Shipping & tax');
  const state = useAsync(async (signal) => {
    const [zones, tax] = await Promise.all([api.listShippingZones(signal), api.listTaxRates(signal)]);
    return { zones: zones.items, tax, currency: await shopCurrency(zones.items, signal) };
  }, []);
  const [showNew, setShowNew] = useState(false);
  const data = state.data;

  return (
    <>
      <PageHeader title="Shipping & tax">
        <Button
          variant={showNew ? 'ghost' : 'secondary'}
          onClick={() => setShowNew((s) => !s)}
          aria-expanded={showNew}
        >
          {showNew ? 'Close the new zone form' : 'New zone'}
        </Button>
      </PageHeader>
      <p className="muted">
        An address is in at most one zone; checkout refuses an address outside every zone.
        {data && (data.tax.pricesIncludeTax ? ' Prices include tax.' : ' Tax is added to prices.')}
      </p>
      {showNew && (
        <ZoneForm
          title="New zone"
          submitLabel="Create zone"
          onSave={async (body) => {
            await api.createShippingZone(body);
            setShowNew(false);
            state.reload();
          }}
        />
      )}
      {state.loading && !data ? (
        <Loading label="Loading shipping zones…" />
      ) : state.error ? (
        <ErrorState error={state.error} onRetry={state.reload} />
      ) : !data || data.zones.length === 0 ? (
        <EmptyState title="No shipping zones yet.">
          <p>Add a zone for every country (or region) the shop delivers to.</p>
        </EmptyState>
      ) : (
        <div className="stack">
          {data.zones.map((zone) => (
            <ZoneCard
              key={zone.id}
              zone={zone}
              rates={data.tax.items.filter((r) => r.zoneId === zone.id)}
              currency={data.currency}
              onChanged={state.reload}
            />
          ))}
        </div>
      )}
    </>
  );
}

type ZoneBody = { name: string; areas: { country: string; region: string | null }[] };

function ZoneForm({
  title,
  submitLabel,
  zone,
  onSave,
  onCancel,
}: {
  title: string;
  submitLabel: string;
  zone?: ShippingZone;
  onSave: (body: ZoneBody) => Promise<void>;
  onCancel?: () => void;
}) {
  const [name, setName] = useState(zone?.name ?? '');
  const [areas, setAreas] = useState(zone ? areasText(zone.areas) : '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const read = readAreas(areas);
    const found: Record<string, string> = {};
    if (!name.trim()) found['name'] = 'Enter a name, like Canada.';
    if (!read.ok) found['areas'] = read.problem;
    setErrors(found);
    setProblem(null);
    if (!read.ok || Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      await onSave({ name: name.trim(), areas: read.value });
    } catch (err) {
      setProblem(failure(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card stack pricing-form" onSubmit={submit} noValidate aria-label={title}>
      <h2>{title}</h2>
      <div className="form-grid">
        <Field label="Zone name" error={errors['name']} required>
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
        </Field>
        <Field
          label="Countries and regions"
          hint="Country codes, or country-region, separated by commas: CA, US-NY"
          error={errors['areas']}
          required
        >
          <input
            type="text"
            value={areas}
            onChange={(e) => setAreas(e.target.value)}
            spellCheck={false}
            autoComplete="off"
          />
        </Field>
      </div>
      {problem && <Notice kind="error">{problem}</Notice>}
      <div className="actions-row">
        <Button type="submit" busy={busy}>
          {submitLabel}
        </Button>
        {onCancel && (
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}

function ZoneCard({
  zone,
  rates,
  currency,
  onChanged,
}: {
  zone: ShippingZone;
  rates: TaxRate[];
  currency: string;
  onChanged: () => void;
}) {
  const notify = useToast();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [adding, setAdding] = useState<'method' | 'rate' | null>(null);
  const headingId = `zone-${zone.id}`;

  async function remove() {
    setConfirming(false);
    setProblem(null);
    try {
      await api.deleteShippingZone(zone.id);
      notify(`Deleted the zone ${zone.name}.`);
      onChanged();
    } catch (err) {
      setProblem(describeError(err));
    }
  }

  return (
    <section
      className="card stack zone"
      aria-labelledby={headingId}
      data-testid="zone"
      data-zone-id={zone.id}
    >
      {editing ? (
        <ZoneForm
          title={`Edit ${zone.name}`}
          submitLabel="Save zone"
          zone={zone}
          onCancel={() => setEditing(false)}
          onSave={async (body) => {
            await api.updateShippingZone(zone.id, body);
            setEditing(false);
            onChanged();
          }}
        />
      ) : (
        <div className="split zone-head">
          <div>
            <h2 id={headingId}>{zone.name}</h2>
            <p className="muted" data-testid="zone-areas">
              {areasText(zone.areas)}
            </p>
          </div>
          <div className="actions-row">
            <Button variant="secondary" className="btn-small" onClick={() => setEditing(true)}>
              Edit<span className="visually-hidden"> zone {zone.name}</span>
            </Button>
            <Button variant="danger" className="btn-small" onClick={() => setConfirming(true)}>
              Delete<span className="visually-hidden"> zone {zone.name}</span>
            </Button>
          </div>
        </div>
      )}
      {problem && <Notice kind="error">{problem}</Notice>}
      <ConfirmDialog
        open={confirming}
        title={`Delete the zone ${zone.name}?`}
        confirmLabel="Delete zone"
        cancelLabel="Keep it"
        onConfirm={() => void remove()}
        onCancel={() => setConfirming(false)}
      >
        <p>Its shipping methods go with it. Orders already placed keep their shipping.</p>
      </ConfirmDialog>

      <h3>Shipping methods</h3>
      {zone.methods.length === 0 ? (
        <p className="muted">No method yet: addresses in this zone cannot be shipped to.</p>
      ) : (
        <TableScroll label={`Shipping methods of ${zone.name}`}>
          <table className="table table-stack" data-testid="methods">
            <thead>
              <tr>
                <th scope="col">Method</th>
                <th scope="col">Rate</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {zone.methods.map((m) => (
                <MethodRow key={m.id} method={m} currency={currency} onChanged={onChanged} />
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}

      <h3>Tax rates</h3>
      {rates.length === 0 ? (
        <p className="muted">No tax is charged in this zone.</p>
      ) : (
        <TableScroll label={`Tax rates of ${zone.name}`}>
          <table className="table table-stack" data-testid="tax-rates">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Tax category</th>
                <th scope="col" className="num">
                  Rate
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rates.map((r) => (
                <TaxRow key={r.id} rate={r} onChanged={onChanged} />
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}

      {adding === 'method' ? (
        <MethodForm
          title={`New shipping method for ${zone.name}`}
          submitLabel="Add method"
          currency={currency}
          onCancel={() => setAdding(null)}
          onSave={async (body) => {
            await api.createShippingMethod(zone.id, body);
            setAdding(null);
            onChanged();
          }}
        />
      ) : adding === 'rate' ? (
        <TaxForm
          title={`New tax rate for ${zone.name}`}
          submitLabel="Add tax rate"
          onCancel={() => setAdding(null)}
          onSave={async (body) => {
            await api.createTaxRate({ zoneId: zone.id, ...body });
            setAdding(null);
            onChanged();
          }}
        />
      ) : (
        <div className="actions-row">
          <Button variant="secondary" onClick={() => setAdding('method')}>
            Add shipping method<span className="visually-hidden"> to {zone.name}</span>
          </Button>
          <Button variant="secondary" onClick={() => setAdding('rate')}>
            Add tax rate<span className="visually-hidden"> to {zone.name}</span>
          </Button>
        </div>
      )}
    </section>
  );
}

function MethodRow({
  method,
  currency,
  onChanged,
}: {
  method: ShippingMethod;
  currency: string;
  onChanged: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function toggle() {
    setBusy(true);
    setProblem(null);
    try {
      if (method.active) await api.deactivateShippingMethod(method.id);
      else await api.updateShippingMethod(method.id, { active: true });
      onChanged();
    } catch (err) {
      setProblem(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  if (editing) {
    return (
      <tr>
        <td colSpan={4}>
          <MethodForm
            title={`Edit ${method.name}`}
            submitLabel="Save method"
            currency={currency}
            method={method}
            onCancel={() => setEditing(false)}
            onSave={async (body) => {
              await api.updateShippingMethod(method.id, body);
              setEditing(false);
              onChanged();
            }}
          />
        </td>
      </tr>
    );
  }
  return (
    <tr data-testid="method-row" className={method.active ? '' : 'row-inactive'}>
      <th scope="row">{method.name}</th>
      <td data-label="Rate">{rateText(method.rate, method.currency)}</td>
      <td data-label="Status">
        <span className={`badge ${method.active ? 'badge-active' : 'badge-inactive'}`}>
          {method.active ? 'Offered' : 'Not offered'}
        </span>
      </td>
      <td data-label="Actions">
        <div className="actions-row">
          <Button variant="secondary" className="btn-small" onClick={() => setEditing(true)}>
            Edit<span className="visually-hidden"> {method.name}</span>
          </Button>
          <Button variant="ghost" className="btn-small" busy={busy} onClick={() => void toggle()}>
            {method.active ? 'Deactivate' : 'Offer again'}
            <span className="visually-hidden"> {method.name}</span>
          </Button>
        </div>
        {problem && (
          <p className="field-error" role="alert">
            {problem}
          </p>
        )}
      </td>
    </tr>
  );
}

type RateKind = ShippingRateInput['kind'];
interface Band {
  upTo: string;
  price: string;
}
type MethodBody = { name: string; rate: ShippingRateInput };

function MethodForm({
  title,
  submitLabel,
  currency,
  method,
  onSave,
  onCancel,
}: {
  title: string;
  submitLabel: string;
  currency: string;
  method?: ShippingMethod;
  onSave: (body: MethodBody) => Promise<void>;
  onCancel: () => void;
}) {
  const rate = method?.rate;
  const [name, setName] = useState(method?.name ?? '');
  const [kind, setKind] = useState<RateKind>(rate?.kind ?? 'flat');
  const [price, setPrice] = useState(
    rate && rate.kind !== 'weight_bands' ? amountForInput(rate.price, currency) : '',
  );
  const [freeAbove, setFreeAbove] = useState(
    rate?.kind === 'free_above' ? amountForInput(rate.freeAbove, currency) : '',
  );
  const [bands, setBands] = useState<Band[]>(
    rate?.kind === 'weight_bands'
      ? rate.bands.map((b) => ({ upTo: String(b.upToGrams), price: amountForInput(b.price, currency) }))
      : [{ upTo: '', price: '' }],
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function readRate(found: Record<string, string>): ShippingRateInput | null {
    if (kind === 'weight_bands') {
      const read = bands.map((b, i) => {
        const grams = Number(b.upTo.trim());
        if (!/^\d+$/.test(b.upTo.trim()) || grams < 1)
          found[`band-${i}-upTo`] = 'Enter whole grams, 1 or more.';
        const amount = readAmount(b.price, currency, SHOP_LOCALE, { allowZero: true });
        if (!amount.ok) found[`band-${i}-price`] = amount.problem;
        return { upToGrams: grams, price: amount.ok ? amount.value : 0 };
      });
      return Object.keys(found).length > 0 ? null : { kind, bands: read };
    }
    const amount = readAmount(price, currency, SHOP_LOCALE, { allowZero: true });
    if (!amount.ok) found['price'] = amount.problem;
    if (kind === 'flat') return amount.ok ? { kind, price: amount.value } : null;
    const threshold = readAmount(freeAbove, currency, SHOP_LOCALE);
    if (!threshold.ok) found['freeAbove'] = threshold.problem;
    return amount.ok && threshold.ok ? { kind, price: amount.value, freeAbove: threshold.value } : null;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!name.trim()) found['name'] = 'Enter a name, like Standard.';
    const read = readRate(found);
    setErrors(found);
    setProblem(null);
    if (!read || Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      await onSave({ name: name.trim(), rate: read });
    } catch (err) {
      setProblem(failure(err));
      setBusy(false);
    }
  }

  return (
    <form className="stack pricing-form nested-form" onSubmit={submit} noValidate aria-label={title}>
      <h4>{title}</h4>
      <div className="form-grid">
        <Field label="Method name" error={errors['name']} required>
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
        </Field>
        <Field label="Rate">
          <select value={kind} onChange={(e) => setKind(e.target.value as RateKind)}>
            <option value="flat">Flat price</option>
            <option value="free_above">Free above a subtotal</option>
            <option value="weight_bands">By weight</option>
          </select>
        </Field>
        {kind !== 'weight_bands' && (
          <Field label={`Price (${currency})`} error={errors['price']} required>
            <input type="text" inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} />
          </Field>
        )}
        {kind === 'free_above' && (
          <Field label={`Free from a subtotal of (${currency})`} error={errors['freeAbove']} required>
            <input
              type="text"
              inputMode="decimal"
              value={freeAbove}
              onChange={(e) => setFreeAbove(e.target.value)}
            />
          </Field>
        )}
      </div>
      {kind === 'weight_bands' && (
        <fieldset className="bands">
          <legend>Weight bands: the lightest band that holds the parcel prices it</legend>
          {bands.map((band, i) => (
            <div className="band" key={i}>
              <Field label={`Band ${i + 1}: up to (grams)`} error={errors[`band-${i}-upTo`]}>
                <input
                  type="text"
                  inputMode="numeric"
                  value={band.upTo}
                  onChange={(e) =>
                    setBands(bands.map((b, j) => (j === i ? { ...b, upTo: e.target.value } : b)))
                  }
                />
              </Field>
              <Field label={`Band ${i + 1}: price (${currency})`} error={errors[`band-${i}-price`]}>
                <input
                  type="text"
                  inputMode="decimal"
                  value={band.price}
                  onChange={(e) =>
                    setBands(bands.map((b, j) => (j === i ? { ...b, price: e.target.value } : b)))
                  }
                />
              </Field>
              {bands.length > 1 && (
                <Button
                  variant="ghost"
                  className="btn-small"
                  onClick={() => setBands(bands.filter((_, j) => j !== i))}
                >
                  Remove band {i + 1}
                </Button>
              )}
            </div>
          ))}
          <Button
            variant="secondary"
            className="btn-small"
            onClick={() => setBands([...bands, { upTo: '', price: '' }])}
          >
            Add a band
          </Button>
        </fieldset>
      )}
      {problem && <Notice kind="error">{problem}</Notice>}
      <div className="actions-row">
        <Button type="submit" busy={busy}>
          {submitLabel}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function TaxRow({ rate, onChanged }: { rate: TaxRate; onChanged: () => void }) {
  const notify = useToast();
  const [editing, setEditing] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function remove() {
    setBusy(true);
    setProblem(null);
    try {
      await api.deleteTaxRate(rate.id);
      notify(`Deleted the tax rate ${rate.name}.`);
      onChanged();
    } catch (err) {
      setProblem(describeError(err));
      setBusy(false);
    }
  }

  if (editing) {
    return (
      <tr>
        <td colSpan={4}>
          <TaxForm
            title={`Edit ${rate.name}`}
            submitLabel="Save tax rate"
            rate={rate}
            onCancel={() => setEditing(false)}
            onSave={async (body) => {
              await api.updateTaxRate(rate.id, body);
              setEditing(false);
              onChanged();
            }}
          />
        </td>
      </tr>
    );
  }
  return (
    <tr data-testid="tax-rate-row">
      <th scope="row">{rate.name}</th>
      <td data-label="Tax category">{rate.category ?? 'Standard'}</td>
      <td data-label="Rate" className="num">
        {percentText(rate.rateBasisPoints, SHOP_LOCALE)}
      </td>
      <td data-label="Actions">
        <div className="actions-row">
          <Button variant="secondary" className="btn-small" onClick={() => setEditing(true)}>
            Edit<span className="visually-hidden"> tax rate {rate.name}</span>
          </Button>
          <Button variant="ghost" className="btn-small" busy={busy} onClick={() => void remove()}>
            Delete<span className="visually-hidden"> tax rate {rate.name}</span>
          </Button>
        </div>
        {problem && (
          <p className="field-error" role="alert">
            {problem}
          </p>
        )}
      </td>
    </tr>
  );
}

type TaxBody = { name: string; category: string | null; rateBasisPoints: number };

function TaxForm({
  title,
  submitLabel,
  rate,
  onSave,
  onCancel,
}: {
  title: string;
  submitLabel: string;
  rate?: TaxRate;
  onSave: (body: TaxBody) => Promise<void>;
  onCancel: () => void;
}) {
  const [name, setName] = useState(rate?.name ?? '');
  const [category, setCategory] = useState(rate?.category ?? '');
  const [percent, setPercent] = useState(rate ? String(rate.rateBasisPoints / 100) : '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!name.trim()) found['name'] = 'Enter a name shown on receipts, like GST.';
    const cat = category.trim().toLowerCase();
    if (cat && !/^[a-z0-9_-]{1,50}$/.test(cat)) {
      found['category'] = 'Use lower-case letters, digits, _ or -, like reduced.';
    }
    const points = readPercent(percent, { allowZero: true });
    if (!points.ok) found['rate'] = points.problem;
    setErrors(found);
    setProblem(null);
    if (!points.ok || Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      await onSave({ name: name.trim(), category: cat || null, rateBasisPoints: points.value });
    } catch (err) {
      setProblem(failure(err));
      setBusy(false);
    }
  }

  return (
    <form className="stack pricing-form nested-form" onSubmit={submit} noValidate aria-label={title}>
      <h4>{title}</h4>
      <div className="form-grid form-grid-3">
        <Field label="Tax name" hint="Shown on receipts" error={errors['name']} required>
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
        </Field>
        <Field label="Tax category" hint="Empty: the zone's standard rate" error={errors['category']}>
          <input
            type="text"
            value={category}
            onChange={(e) => setCategory(e.target.value)}
            spellCheck={false}
            autoComplete="off"
          />
        </Field>
        <Field label="Rate (%)" error={errors['rate']} required>
          <input
            type="text"
            inputMode="decimal"
            value={percent}
            onChange={(e) => setPercent(e.target.value)}
          />
        </Field>
      </div>
      {problem && <Notice kind="error">{problem}</Notice>}
      <div className="actions-row">
        <Button type="submit" busy={busy}>
          {submitLabel}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
