import { useState, type FormEvent } from 'react';
import * as api from '../../api.ts';
import type { AllocationRule, StockLocation } from '../../api.ts';
import { PageHeader } from '../../components/Layout.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { Button, ErrorState, Field, Loading, Notice, TableScroll } from '../../components/ui.tsx';
import { describeError, fieldErrors } from '../../lib/errors.ts';
import { useAsync, useTitle } from '../../lib/hooks.ts';
import './LocationsPage.css';

const RULES: Array<{ rule: AllocationRule; label: string; hint: string }> = [
  {
    rule: 'priority',
    label: 'By priority',
    hint: 'Each product comes from the first location (by priority) that has all of it.',
  },
  {
    rule: 'whole_order',
    label: 'Whole order from one place',
    hint: 'The first location that has every line of the order; if none has, by priority.',
  },
];

/** The shop's stock locations: where stock is kept, in which order orders take from them. */
export function LocationsPage() {
  useTitle('Locations');
  const locations = useAsync((signal) => api.listStockLocations(signal), []);
  const rule = useAsync((signal) => api.getAllocationRule(signal), []);
  const items = locations.data?.items ?? [];

  return (
    <>
      <PageHeader title="Stock locations" />
      <p className="muted locations-intro">
        Orders take each product from one location, never split. Lower priority numbers are tried first.
      </p>
      {locations.loading && items.length === 0 ? (
        <Loading label="Loading locations…" />
      ) : locations.error ? (
        <ErrorState error={locations.error} onRetry={locations.reload} />
      ) : (
        <TableScroll label="Stock locations">
          <table className="table table-stack locations-table" data-testid="locations-table">
            <thead>
              <tr>
                <th scope="col">Location</th>
                <th scope="col">Code</th>
                <th scope="col">Priority and status</th>
              </tr>
            </thead>
            <tbody>
              {items.map((location) => (
                <tr key={location.id} data-testid="location-row" data-code={location.code}>
                  <th scope="row">
                    <span className="cell-title">{location.name}</span>
                    {!location.active && <span className="badge stock-out">Inactive</span>}
                  </th>
                  <td data-label="Code">{location.code}</td>
                  <td data-label="Priority and status">
                    <LocationEditor location={location} onSaved={locations.reload} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <NewLocationForm onCreated={locations.reload} />
      {rule.data && <RuleForm current={rule.data.rule} onSaved={rule.reload} />}
    </>
  );
}

function LocationEditor({ location, onSaved }: { location: StockLocation; onSaved: () => void }) {
  const notify = useToast();
  const [priority, setPriority] = useState(String(location.priority));
  const [active, setActive] = useState(location.active);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const base = `location-${location.id}`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const n = Number(priority);
    if (!Number.isInteger(n) || n < 1) {
      setError('Enter a whole number, 1 or more.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const saved = await api.updateStockLocation(location.id, { priority: n, active });
      notify(`${saved.name}: priority ${saved.priority}, ${saved.active ? 'active' : 'inactive'}.`);
      onSaved();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="location-editor" onSubmit={submit} noValidate data-testid="location-editor">
      <label htmlFor={`${base}-priority`} className="visually-hidden">
        Priority of {location.name}
      </label>
      <input
        id={`${base}-priority`}
        type="number"
        min={1}
        step={1}
        className="input-qty"
        value={priority}
        onChange={(e) => setPriority(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${base}-err` : undefined}
      />
      <label className="checkbox">
        <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
        Active<span className="visually-hidden"> ({location.name})</span>
      </label>
      <Button type="submit" variant="secondary" className="btn-small" busy={busy}>
        Save<span className="visually-hidden"> {location.name}</span>
      </Button>
      {error && (
        <p className="field-error" id={`${base}-err`} role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function NewLocationForm({ onCreated }: { onCreated: () => void }) {
  const notify = useToast();
  const [form, setForm] = useState({ name: '', code: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!form.name.trim()) problems['name'] = 'Enter a name.';
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$/.test(form.code.trim()))
      problems['code'] = 'Letters, digits, - or _, at most 20.';
    setErrors(problems);
    setFailure(null);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      const created = await api.createStockLocation({ name: form.name.trim(), code: form.code.trim() });
      notify(`Added ${created.name} (priority ${created.priority}).`);
      setForm({ name: '', code: '' });
      onCreated();
    } catch (err) {
      setErrors(fieldErrors(err));
      setFailure(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="card stack locations-card"
      onSubmit={submit}
      noValidate
      aria-labelledby="new-location-title"
      data-testid="new-location-form"
    >
      <h2 id="new-location-title">Add a location</h2>
      <div className="form-grid">
        <Field label="Name" error={errors['name']} required>
          <input type="text" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </Field>
        <Field label="Code" hint="A short name, like EAST" error={errors['code']} required>
          <input
            type="text"
            value={form.code}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => setForm({ ...form, code: e.target.value })}
          />
        </Field>
      </div>
      <div aria-live="polite">{failure && <Notice kind="error">{failure}</Notice>}</div>
      <div>
        <Button type="submit" busy={busy}>
          Add location
        </Button>
      </div>
    </form>
  );
}

function RuleForm({ current, onSaved }: { current: AllocationRule; onSaved: () => void }) {
  const notify = useToast();
  const [rule, setRule] = useState<AllocationRule>(current);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      await api.setAllocationRule(rule);
      notify('New orders follow the new rule.');
      onSaved();
    } catch (err) {
      setFailure(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card stack locations-card" onSubmit={submit} data-testid="allocation-rule-form">
      <fieldset className="rule-choices">
        <legend>Where orders take stock from</legend>
        {RULES.map((r) => (
          <label key={r.rule} className="radio">
            <input
              type="radio"
              name="allocation-rule"
              value={r.rule}
              checked={rule === r.rule}
              onChange={() => setRule(r.rule)}
            />
            <span>
              <strong>{r.label}</strong>
              <span className="muted small"> — {r.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div aria-live="polite">{failure && <Notice kind="error">{failure}</Notice>}</div>
      <div>
        <Button type="submit" variant="secondary" busy={busy}>
          Save rule
        </Button>
      </div>
    </form>
  );
}
