import type { Address } from '../../api.ts';
import { Field } from '../../components/ui.tsx';
import './AddressFields.css';

export interface AddressForm {
  street: string;
  city: string;
  state: string;
  zip: string;
  country: string;
}

export const EMPTY_ADDRESS: AddressForm = { street: '', city: '', state: '', zip: '', country: 'US' };

export const COUNTRIES: { code: string; name: string }[] = [
  { code: 'US', name: 'United States' },
  { code: 'CA', name: 'Canada' },
  { code: 'GB', name: 'United Kingdom' },
  { code: 'DE', name: 'Germany' },
  { code: 'FR', name: 'France' },
  { code: 'NL', name: 'Netherlands' },
  { code: 'AU', name: 'Australia' },
];

export function toAddressForm(a: Address | null | undefined): AddressForm {
  if (!a) return { ...EMPTY_ADDRESS };
  return { street: a.street, city: a.city, state: a.state, zip: a.zip, country: a.country || 'US' };
}

export function toAddress(f: AddressForm): Address {
  return {
    street: f.street.trim(),
    city: f.city.trim(),
    state: f.state.trim(),
    zip: f.zip.trim(),
    country: f.country,
  };
}

/** Checks an address before it is sent; returns a message per field that needs fixing. */
export function validateAddress(f: AddressForm): Partial<Record<keyof AddressForm, string>> {
  const errors: Partial<Record<keyof AddressForm, string>> = {};
  if (f.street.trim().length < 3) errors.street = 'Enter the street and house number.';
  if (f.city.trim().length < 2) errors.city = 'Enter the city.';
  if (!f.state.trim())
    errors.state =
      f.country === 'US' ? 'Enter the state (for example CA).' : 'Enter the state, province or region.';
  else if (f.country === 'US' && !/^[A-Za-z]{2}$/.test(f.state.trim()))
    errors.state = 'Use the two-letter state code, for example CA.';
  const zip = f.zip.trim();
  if (!zip) errors.zip = f.country === 'US' ? 'Enter the ZIP code.' : 'Enter the postal code.';
  else if (f.country === 'US' && !/^\d{5}(-\d{4})?$/.test(zip))
    errors.zip = 'A ZIP code has 5 digits, like 94103 or 94103-1234.';
  else if (!/^[A-Za-z0-9][A-Za-z0-9 -]{1,10}[A-Za-z0-9]$/.test(zip))
    errors.zip = 'Enter a valid postal code.';
  return errors;
}

export function AddressFields({
  value,
  onChange,
  errors,
  idPrefix = 'address',
}: {
  value: AddressForm;
  onChange: (v: AddressForm) => void;
  errors: Partial<Record<keyof AddressForm, string>>;
  idPrefix?: string;
}) {
  const set = (key: keyof AddressForm) => (e: { target: { value: string } }) =>
    onChange({ ...value, [key]: e.target.value });
  const us = value.country === 'US';
  return (
    <div className="address-fields" data-testid={`${idPrefix}-fields`}>
      <Field label="Street address" error={errors.street} required className="span-2">
        <input
          type="text"
          name="street"
          autoComplete="street-address"
          value={value.street}
          onChange={set('street')}
        />
      </Field>
      <Field label="City" error={errors.city} required>
        <input
          type="text"
          name="city"
          autoComplete="address-level2"
          value={value.city}
          onChange={set('city')}
        />
      </Field>
      <Field
        label={us ? 'State' : 'State / province'}
        error={errors.state}
        required
        hint={us ? 'Two letters, e.g. CA' : undefined}
      >
        <input
          type="text"
          name="state"
          autoComplete="address-level1"
          value={value.state}
          onChange={set('state')}
        />
      </Field>
      <Field label={us ? 'ZIP code' : 'Postal code'} error={errors.zip} required>
        <input
          type="text"
          name="zip"
          autoComplete="postal-code"
          inputMode={us ? 'numeric' : 'text'}
          value={value.zip}
          onChange={set('zip')}
        />
      </Field>
      <Field label="Country" error={errors.country}>
        <select name="country" autoComplete="country" value={value.country} onChange={set('country')}>
          {COUNTRIES.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
      </Field>
    </div>
  );
}
