import { useEffect, useState, type FormEvent } from 'react';
import * as api from '../../api.ts';
import type { ShopDetails } from '../../api.ts';
import { PageHeader } from '../../components/Layout.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { Button, ErrorState, Field, Loading, Notice } from '../../components/ui.tsx';
import { describeError, fieldErrors } from '../../lib/errors.ts';
import { useAsync, useTitle } from '../../lib/hooks.ts';
import './ShopDetailsPage.css';

/** The seller printed on invoices, credit notes and packing slips, and the invoice e-mail switch. */
export function ShopDetailsPage() {
  useTitle('Shop details');
  const details = useAsync((signal) => api.getShopDetails(signal), []);
  return (
    <>
      <PageHeader title="Shop details" />
      <p className="muted">
        Printed on every invoice, credit note and packing slip issued from now on. Invoices already issued
        keep the details they were issued with.
      </p>
      {details.loading && !details.data ? (
        <Loading label="Loading shop details…" />
      ) : details.error || !details.data ? (
        <ErrorState error={details.error} onRetry={details.reload} />
      ) : (
        <ShopDetailsForm saved={details.data} onSaved={details.setData} />
      )}
    </>
  );
}

function ShopDetailsForm({ saved, onSaved }: { saved: ShopDetails; onSaved: (d: ShopDetails) => void }) {
  const [form, setForm] = useState(saved);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const notify = useToast();
  useEffect(() => setForm(saved), [saved]);
  const errors = fieldErrors(error);
  const text = (key: Exclude<keyof ShopDetails, 'attachInvoiceToConfirmation'>) => ({
    value: form[key],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }),
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const next = await api.updateShopDetails(form);
      onSaved(next);
      notify('Shop details saved.');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card stack shop-details-form" onSubmit={submit} noValidate aria-label="Shop details">
      <div className="form-grid">
        <Field
          label="Legal name"
          hint="The name the shop trades under by law"
          error={errors['legalName']}
          required
        >
          <input type="text" maxLength={200} autoComplete="organization" {...text('legalName')} />
        </Field>
        <Field label="Contact e-mail" hint="For questions about an invoice" error={errors['contactEmail']}>
          <input type="email" maxLength={254} autoComplete="email" {...text('contactEmail')} />
        </Field>
        <Field
          label="Address"
          hint="As printed, one line per line"
          error={errors['address']}
          className="wide"
        >
          <textarea rows={4} maxLength={500} {...text('address')} />
        </Field>
        <Field label="VAT / tax ID" error={errors['taxId']}>
          <input type="text" maxLength={50} {...text('taxId')} />
        </Field>
        <Field label="Registration number" error={errors['registrationNumber']}>
          <input type="text" maxLength={50} {...text('registrationNumber')} />
        </Field>
        <Field
          label="Invoice footer"
          hint="The last words on every invoice: payment terms, bank details, a thank-you"
          error={errors['invoiceFooter']}
          className="wide"
        >
          <textarea rows={3} maxLength={500} {...text('invoiceFooter')} />
        </Field>
      </div>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={form.attachInvoiceToConfirmation}
          onChange={(e) => setForm({ ...form, attachInvoiceToConfirmation: e.target.checked })}
          data-testid="attach-invoice"
        />{' '}
        Attach the invoice to the order confirmation e-mail
      </label>
      {error !== null && <Notice kind="error">{describeError(error)}</Notice>}
      <div className="actions-row">
        <Button type="submit" busy={busy} data-testid="save-shop-details">
          Save shop details
        </Button>
      </div>
    </form>
  );
}
