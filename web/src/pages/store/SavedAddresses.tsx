/** The account page's saved addresses: the list, and a form to add one or change one. */
import { useState, type FormEvent } from 'react';
import * as api from '../../api.ts';
import type { SavedAddress, SavedAddressFields } from '../../api.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Button, EmptyState, ErrorState, Field, Loading, Notice } from '../../components/ui.tsx';
import { describeError, fieldErrors } from '../../lib/errors.ts';
import { useAsync } from '../../lib/hooks.ts';
import { useToast } from '../../components/Toasts.tsx';
import { COUNTRIES } from '../../lib/address.ts';
import {
  AddressFields,
  EMPTY_ADDRESS,
  toAddress,
  validateAddress,
  type AddressForm,
} from './AddressFields.tsx';
import { phoneProblem } from './AuthPages.tsx';

interface SavedAddressForm {
  label: string;
  recipient: string;
  phone: string;
  address: AddressForm;
}

/**
 * A saved address as the checkout's address form holds it; where it names no recipient or phone,
 * those of `contact` (what the form held already) stay.
 */
export function addressFormOf(
  saved: SavedAddress,
  contact: Pick<AddressForm, 'name' | 'phone'> = { name: '', phone: '' },
): AddressForm {
  return {
    name: saved.recipient ?? contact.name,
    phone: saved.phone ?? contact.phone,
    street: saved.street,
    city: saved.city,
    state: saved.state,
    zip: saved.zip,
    country: saved.country ?? 'US',
  };
}

function formOf(saved: SavedAddress | null): SavedAddressForm {
  return {
    label: saved?.label ?? '',
    recipient: saved?.recipient ?? '',
    phone: saved?.phone ?? '',
    address: saved ? addressFormOf(saved) : { ...EMPTY_ADDRESS },
  };
}

function bodyOf(form: SavedAddressForm): SavedAddressFields {
  const address = toAddress(form.address);
  return {
    label: form.label.trim() || null,
    recipient: form.recipient.trim() || null,
    phone: form.phone.trim() || null,
    street: address.street,
    city: address.city,
    state: address.state ?? '',
    zip: address.zip,
    country: address.country ?? null,
  };
}

/** What a saved address must have: the address itself; recipient and phone are optional here. */
function addressProblems(address: AddressForm): Record<string, string> {
  return Object.fromEntries(
    Object.entries(validateAddress(address)).filter(([field]) => field !== 'name' && field !== 'phone'),
  );
}

/** "Home", or the first line of the address when it has no label. */
export function addressTitle(saved: SavedAddress): string {
  return saved.label ?? saved.street;
}

function countryName(code: string | null): string {
  return COUNTRIES.find((c) => c.code === code)?.name ?? code ?? '';
}

function AddressEditor({
  saved,
  onSaved,
  onCancel,
}: {
  saved: SavedAddress | null;
  onSaved: (address: SavedAddress) => void;
  onCancel: () => void;
}) {
  const [form, setForm] = useState(() => formOf(saved));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (key: 'label' | 'recipient' | 'phone') => (e: { target: { value: string } }) =>
    setForm({ ...form, [key]: e.target.value });

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problems = addressProblems(form.address);
    const phone = phoneProblem(form.phone);
    if (phone) problems['phone'] = phone;
    setErrors(problems);
    setFailure(null);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      const body = bodyOf(form);
      onSaved(saved ? await api.updateAddress(saved.id, body) : await api.createAddress(body));
    } catch (err) {
      const fields = fieldErrors(err);
      setErrors(fields);
      setFailure(Object.keys(fields).length > 0 ? null : describeError(err));
      setBusy(false);
    }
  }

  const title = saved ? `Change ${addressTitle(saved)}` : 'New address';
  return (
    <form
      onSubmit={submit}
      noValidate
      className="address-editor stack"
      data-testid="address-form"
      aria-label={title}
    >
      <h3>{title}</h3>
      <div className="address-fields">
        <Field label="Label (optional)" hint="Home, Work…">
          <input type="text" name="label" value={form.label} onChange={set('label')} />
        </Field>
        <Field label="Recipient (optional)" hint="Who receives parcels here">
          <input
            type="text"
            name="recipient"
            autoComplete="name"
            value={form.recipient}
            onChange={set('recipient')}
          />
        </Field>
        <Field label="Phone at this address (optional)" error={errors['phone']}>
          <input
            type="tel"
            name="address-phone"
            autoComplete="tel"
            value={form.phone}
            onChange={set('phone')}
          />
        </Field>
      </div>
      <AddressFields
        value={form.address}
        onChange={(address) => setForm({ ...form, address })}
        errors={errors}
        idPrefix="saved-address"
        withContact={false}
      />
      <div aria-live="polite">{failure && <Notice kind="error">{failure}</Notice>}</div>
      <div className="actions-row">
        <Button type="submit" busy={busy}>
          {busy ? 'Saving…' : 'Save address'}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

export function SavedAddresses() {
  const notify = useToast();
  const list = useAsync((signal) => api.listAddresses(signal), []);
  /** the address being changed: its id, 'new' for one being added, null when none is */
  const [editing, setEditing] = useState<string | null>(null);
  const [removing, setRemoving] = useState<SavedAddress | null>(null);
  const [busy, setBusy] = useState(false);
  const items = list.data?.items ?? [];

  function saved(address: SavedAddress) {
    list.setData((prev) => {
      const items = prev?.items ?? [];
      return {
        items: items.some((a) => a.id === address.id)
          ? items.map((a) => (a.id === address.id ? address : a))
          : [...items, address],
      };
    });
    setEditing(null);
    notify('Address saved', 'success');
  }

  async function remove(address: SavedAddress) {
    setBusy(true);
    try {
      await api.deleteAddress(address.id);
      list.setData((prev) => ({ items: (prev?.items ?? []).filter((a) => a.id !== address.id) }));
      notify('Address removed', 'success');
    } catch (err) {
      notify(describeError(err), 'error');
    } finally {
      setBusy(false);
      setRemoving(null);
    }
  }

  return (
    <section className="card account-section" aria-labelledby="account-addresses">
      <div className="section-header">
        <h2 id="account-addresses">Saved addresses</h2>
        {editing !== 'new' && list.data && (
          <Button variant="secondary" className="btn-small" onClick={() => setEditing('new')}>
            Add an address
          </Button>
        )}
      </div>
      {list.loading && !list.data && <Loading label="Loading your addresses…" />}
      {list.error !== null && !list.data && <ErrorState error={list.error} onRetry={list.reload} />}
      {list.data && items.length === 0 && editing !== 'new' && (
        <EmptyState title="No saved addresses yet">
          <p className="muted">Save the places you ship to, and pick one at checkout.</p>
        </EmptyState>
      )}
      <ul className="saved-addresses">
        {items.map((a) =>
          editing === a.id ? (
            <li key={a.id}>
              <AddressEditor saved={a} onSaved={saved} onCancel={() => setEditing(null)} />
            </li>
          ) : (
            <li key={a.id} className="saved-address" data-testid="saved-address">
              <address>
                <strong>{addressTitle(a)}</strong>
                {a.recipient && <span>{a.recipient}</span>}
                {a.label && <span>{a.street}</span>}
                <span>
                  {a.city}, {a.state} {a.zip}
                </span>
                {a.country && <span>{countryName(a.country)}</span>}
                {a.phone && <span>Phone: {a.phone}</span>}
              </address>
              <div className="actions-row">
                <Button variant="secondary" className="btn-small" onClick={() => setEditing(a.id)}>
                  Edit<span className="visually-hidden"> {addressTitle(a)}</span>
                </Button>
                <Button variant="ghost" className="btn-small" onClick={() => setRemoving(a)}>
                  Delete<span className="visually-hidden"> {addressTitle(a)}</span>
                </Button>
              </div>
            </li>
          ),
        )}
        {editing === 'new' && (
          <li>
            <AddressEditor saved={null} onSaved={saved} onCancel={() => setEditing(null)} />
          </li>
        )}
      </ul>
      <ConfirmDialog
        open={removing !== null}
        title="Delete this address?"
        confirmLabel={busy ? 'Deleting…' : 'Delete address'}
        cancelLabel="Keep it"
        onConfirm={() => removing && !busy && void remove(removing)}
        onCancel={() => setRemoving(null)}
        testId="delete-address-dialog"
      >
        {removing && <p>{[addressTitle(removing), removing.street, removing.city].join(', ')}</p>}
      </ConfirmDialog>
    </section>
  );
}
