import { useState, type FormEvent } from 'react';
import * as api from '../../api.ts';
import type { DiscountCode } from '../../api.ts';
import { PageHeader } from '../../components/Layout.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { Button, EmptyState, ErrorState, Field, Loading, Notice, TableScroll } from '../../components/ui.tsx';
import { describeError } from '../../lib/errors.ts';
import { amountForInput, formatDateTime, SHOP_LOCALE } from '../../lib/format.ts';
import { usePagedList, useTitle } from '../../lib/hooks.ts';
import { instantInput, readAmount, readInstant, readLimit, readPercent } from './pricing-forms.ts';
import './ShippingTaxPage.css';

type Kind = DiscountCode['kind'];

export function DiscountCodesPage() {
  useTitle('Discount codes');
  const list = usePagedList(
    (cursor, signal) => api.listDiscountCodes({ cursor, limit: 50 }, signal),
    (c) => c.id,
    [],
  );
  const [showNew, setShowNew] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const currency = list.items[0]?.currency;

  const replace = (code: DiscountCode) =>
    list.setItems((items) => items.map((c) => (c.id === code.id ? code : c)));

  return (
    <>
      <PageHeader title="Discount codes">
        <Button
          variant={showNew ? 'ghost' : 'secondary'}
          onClick={() => setShowNew((s) => !s)}
          aria-expanded={showNew}
        >
          {showNew ? 'Close the new code form' : 'New discount code'}
        </Button>
      </PageHeader>
      {showNew && (
        <CodeForm
          currency={currency}
          onCancel={() => setShowNew(false)}
          onSaved={() => {
            setShowNew(false);
            list.reload();
          }}
        />
      )}
      {list.loading && list.items.length === 0 ? (
        <Loading label="Loading discount codes…" />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : list.items.length === 0 ? (
        <EmptyState title="No discount codes yet." />
      ) : (
        <TableScroll label="Discount codes">
          <table className="table table-stack" data-testid="discount-codes">
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Gives</th>
                <th scope="col">Valid</th>
                <th scope="col" className="num">
                  Used
                </th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((code) =>
                editing === code.id ? (
                  <tr key={code.id}>
                    <td colSpan={6}>
                      <CodeForm
                        code={code}
                        currency={code.currency}
                        onCancel={() => setEditing(null)}
                        onSaved={(saved) => {
                          setEditing(null);
                          replace(saved);
                        }}
                      />
                    </td>
                  </tr>
                ) : (
                  <CodeRow key={code.id} code={code} onEdit={() => setEditing(code.id)} onChanged={replace} />
                ),
              )}
            </tbody>
          </table>
        </TableScroll>
      )}
      {list.hasMore && (
        <Button variant="secondary" busy={list.loadingMore} onClick={list.loadMore}>
          Show more codes
        </Button>
      )}
      {list.moreError !== null && <ErrorState error={list.moreError} onRetry={list.loadMore} />}
    </>
  );
}

function validity(code: DiscountCode): string {
  if (code.startsAt && code.endsAt)
    return `${formatDateTime(code.startsAt)} – ${formatDateTime(code.endsAt)}`;
  if (code.startsAt) return `from ${formatDateTime(code.startsAt)}`;
  if (code.endsAt) return `until ${formatDateTime(code.endsAt)}`;
  return 'always';
}

function CodeRow({
  code,
  onEdit,
  onChanged,
}: {
  code: DiscountCode;
  onEdit: () => void;
  onChanged: (code: DiscountCode) => void;
}) {
  const notify = useToast();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function toggle() {
    setBusy(true);
    setProblem(null);
    try {
      const saved = await api.updateDiscountCode(code.id, { active: !code.active });
      notify(saved.active ? `${saved.code} works again.` : `${saved.code} no longer works.`);
      onChanged(saved);
    } catch (err) {
      setProblem(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <tr data-testid="discount-code-row" data-code={code.code} className={code.active ? '' : 'row-inactive'}>
      <th scope="row">
        <code>{code.code}</code>
      </th>
      <td data-label="Gives">{code.description}</td>
      <td data-label="Valid">{validity(code)}</td>
      <td data-label="Used" className="num" data-testid="times-used">
        <span>
          {code.timesUsed}
          {code.usageLimit !== null && ` of ${code.usageLimit}`}
          {code.perCustomerLimit !== null && (
            <span className="muted small"> ({code.perCustomerLimit} per customer)</span>
          )}
        </span>
      </td>
      <td data-label="Status">
        <span
          className={`badge ${code.active ? 'badge-active' : 'badge-inactive'}`}
          data-testid="code-status"
        >
          {code.active ? 'Active' : 'Deactivated'}
        </span>
      </td>
      <td data-label="Actions">
        <div className="actions-row">
          <Button variant="secondary" className="btn-small" onClick={onEdit}>
            Edit<span className="visually-hidden"> {code.code}</span>
          </Button>
          <Button variant="ghost" className="btn-small" busy={busy} onClick={() => void toggle()}>
            {code.active ? 'Deactivate' : 'Activate'}
            <span className="visually-hidden"> {code.code}</span>
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

/** A new code (no `code` given) or the changes to one; its code and kind stay as they are. */
function CodeForm({
  code,
  currency: knownCurrency,
  onSaved,
  onCancel,
}: {
  code?: DiscountCode;
  currency: string | undefined;
  onSaved: (code: DiscountCode) => void;
  onCancel: () => void;
}) {
  const currency = knownCurrency ?? 'USD';
  const notify = useToast();
  const [form, setForm] = useState({
    code: code?.code ?? '',
    kind: code?.kind ?? ('percentage' as Kind),
    percentage: code?.percentage === null || code?.percentage === undefined ? '' : String(code.percentage),
    amount: code?.amount === null || code?.amount === undefined ? '' : amountForInput(code.amount, currency),
    minimumSubtotal:
      code?.minimumSubtotal === null || code?.minimumSubtotal === undefined
        ? ''
        : amountForInput(code.minimumSubtotal, currency),
    startsAt: instantInput(code?.startsAt ?? null),
    endsAt: instantInput(code?.endsAt ?? null),
    usageLimit: code?.usageLimit === null || code?.usageLimit === undefined ? '' : String(code.usageLimit),
    perCustomerLimit:
      code?.perCustomerLimit === null || code?.perCustomerLimit === undefined
        ? ''
        : String(code.perCustomerLimit),
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [key]: e.target.value });
  const title = code ? `Edit ${code.code}` : 'New discount code';

  async function submit(e: FormEvent) {
    e.preventDefault();
    const found: Record<string, string> = {};
    const text = form.code.trim().toUpperCase();
    if (!code && !/^[A-Z0-9_-]{3,32}$/.test(text)) found['code'] = 'Use 3 to 32 letters, digits, - or _.';
    const percentage = form.kind === 'percentage' ? readPercent(form.percentage, { allowZero: false }) : null;
    if (percentage && !percentage.ok) found['percentage'] = percentage.problem;
    const amount = form.kind === 'fixed' ? readAmount(form.amount, currency, SHOP_LOCALE) : null;
    if (amount && !amount.ok) found['amount'] = amount.problem;
    const minimum = form.minimumSubtotal.trim()
      ? readAmount(form.minimumSubtotal, currency, SHOP_LOCALE, { allowZero: true })
      : ({ ok: true, value: null } as const);
    if (!minimum.ok) found['minimumSubtotal'] = minimum.problem;
    const startsAt = readInstant(form.startsAt);
    if (!startsAt.ok) found['startsAt'] = startsAt.problem;
    const endsAt = readInstant(form.endsAt);
    if (!endsAt.ok) found['endsAt'] = endsAt.problem;
    if (startsAt.ok && endsAt.ok && startsAt.value && endsAt.value && endsAt.value <= startsAt.value) {
      found['endsAt'] = 'The end comes after the start.';
    }
    const usageLimit = readLimit(form.usageLimit);
    if (!usageLimit.ok) found['usageLimit'] = usageLimit.problem;
    const perCustomerLimit = readLimit(form.perCustomerLimit);
    if (!perCustomerLimit.ok) found['perCustomerLimit'] = perCustomerLimit.problem;
    setErrors(found);
    setProblem(null);
    if (
      Object.keys(found).length > 0 ||
      !minimum.ok ||
      !startsAt.ok ||
      !endsAt.ok ||
      !usageLimit.ok ||
      !perCustomerLimit.ok
    ) {
      return;
    }
    const common = {
      ...(percentage?.ok && { percentage: percentage.value / 100 }),
      ...(amount?.ok && { amount: amount.value }),
      minimumSubtotal: minimum.value,
      startsAt: startsAt.value,
      endsAt: endsAt.value,
      usageLimit: usageLimit.value,
      perCustomerLimit: perCustomerLimit.value,
    };
    setBusy(true);
    try {
      const saved = code
        ? await api.updateDiscountCode(code.id, common)
        : await api.createDiscountCode({ code: text, kind: form.kind, ...common });
      notify(code ? `Saved ${saved.code}.` : `Created ${saved.code}: ${saved.description}.`);
      onSaved(saved);
    } catch (err) {
      setProblem(describeError(err));
      setBusy(false);
    }
  }

  return (
    <form className="card stack pricing-form" onSubmit={submit} noValidate aria-label={title}>
      <h2>{title}</h2>
      <div className="form-grid">
        {!code && (
          <>
            <Field label="Code" hint="Shoppers may type it in any case" error={errors['code']} required>
              <input
                type="text"
                value={form.code}
                onChange={set('code')}
                spellCheck={false}
                autoComplete="off"
                maxLength={32}
              />
            </Field>
            <Field label="Kind">
              <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as Kind })}>
                <option value="percentage">Percentage off the subtotal</option>
                <option value="fixed">Fixed amount off</option>
                <option value="free_shipping">Free shipping</option>
              </select>
            </Field>
          </>
        )}
        {form.kind === 'percentage' && (
          <Field label="Percentage off (%)" error={errors['percentage']} required>
            <input type="text" inputMode="decimal" value={form.percentage} onChange={set('percentage')} />
          </Field>
        )}
        {form.kind === 'fixed' && (
          <Field label={`Amount off (${currency})`} error={errors['amount']} required>
            <input type="text" inputMode="decimal" value={form.amount} onChange={set('amount')} />
          </Field>
        )}
        <Field
          label={`Minimum subtotal (${currency})`}
          hint="Empty: any subtotal"
          error={errors['minimumSubtotal']}
        >
          <input
            type="text"
            inputMode="decimal"
            value={form.minimumSubtotal}
            onChange={set('minimumSubtotal')}
          />
        </Field>
        <Field label="Starts" hint="Empty: at once" error={errors['startsAt']}>
          <input type="datetime-local" value={form.startsAt} onChange={set('startsAt')} />
        </Field>
        <Field label="Ends" hint="Empty: never" error={errors['endsAt']}>
          <input type="datetime-local" value={form.endsAt} onChange={set('endsAt')} />
        </Field>
        <Field label="Total uses" hint="Empty: no limit" error={errors['usageLimit']}>
          <input type="text" inputMode="numeric" value={form.usageLimit} onChange={set('usageLimit')} />
        </Field>
        <Field label="Uses per customer" hint="Empty: no limit" error={errors['perCustomerLimit']}>
          <input
            type="text"
            inputMode="numeric"
            value={form.perCustomerLimit}
            onChange={set('perCustomerLimit')}
          />
        </Field>
      </div>
      {problem && <Notice kind="error">{problem}</Notice>}
      <div className="actions-row">
        <Button type="submit" busy={busy}>
          {code ? 'Save code' : 'Create code'}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
