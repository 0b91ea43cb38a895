import type { Address, ShippingAddress } from '../../api.ts';
import { Field } from '../../components/ui.tsx';
import { COUNTRIES, stateLabel } from '../../lib/address.ts';
import './AddressFields.css';

export interface AddressForm {
  name: string;
  phone: string;
  street: string;
  city: string;
  state: string;
  zip: string;
  country: string;
}

export const EMPTY_ADDRESS: AddressForm = {
  name: '',
  phone: '',
  street: '',
  city: '',
  state: '',
  zip: '',
  country: 'US',
};

export function toAddressForm(a: ShippingAddress | null | undefined): AddressForm {
  if (!a) return { ...EMPTY_ADDRESS };
  return {
    name: a.name,
    phone: a.phone ?? '',
    street: a.street,
    city: a.city,
    state: a.state,
    zip: a.zip,
    country: a.country || 'US',
  };
}

/** The address as the API takes it: a state only where the country uses one, a phone if given. */
export function toAddress(f: AddressForm): Address {
  const state = stateLabel(f.country) ? f.state.trim() : '';
  const phone = f.phone.trim();
  return {
    name: f.name.trim(),
    ...(phone && { phone }),
    street: f.street.trim(),
    city: f.city.trim(),
    ...(state && { state }),
    zip: f.zip.trim(),
    country: f.country,
  };
}

/** Checks an address before it is sent; returns a message per field that needs fixing. */
export function validateAddress(f: AddressForm): Partial<Record<keyof AddressForm, string>> {
  const errors: Partial<Record<keyof AddressForm, string>> = {};
  if (!f.name.trim()) errors.name = 'Enter the name of the person who receives the parcel.';
  if (f.phone.trim() && !/^\+?[0-9 ().-]{6,20}$/.test(f.phone.trim()))
    errors.phone = 'Enter a phone number, for example +1 415 555 0100.';
  if (f.street.trim().length < 3) errors.street = 'Enter the street and house number.';
  if (f.city.trim().length < 2) errors.city = 'Enter the city.';
  const state = stateLabel(f.country);
  if (state && !f.state.trim())
    errors.state =
      f.country === 'US' ? 'Enter the state (for example CA).' : `Enter the ${state.toLowerCase()}.`;
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
  withContact = true,
}: {
  value: AddressForm;
  onChange: (v: AddressForm) => void;
  errors: Partial<Record<keyof AddressForm, string>>;
  idPrefix?: string;
  /** false where the recipient and phone are asked for elsewhere (a saved address's form) */
  withContact?: boolean;
}) {
  const set = (key: keyof AddressForm) => (e: { target: { value: string } }) =>
    onChange({ ...value, [key]: e.target.value });
  const us = value.country === 'US';
  const state = stateLabel(value.country);
  return (
    <div className="address-fields" data-testid={`${idPrefix}-fields`}>
      {withContact && (
        <>
          <Field label="Recipient name" error={errors.name} required>
            <input type="text" name="name" autoComplete="name" value={value.name} onChange={set('name')} />
          </Field>
          <Field label="Phone" error={errors.phone} hint="For the carrier, if they need to reach you">
            <input type="tel" name="phone" autoComplete="tel" value={value.phone} onChange={set('phone')} />
          </Field>
        </>
      )}
      <Field label="Country" error={errors.country} className="span-2">
        <select name="country" autoComplete="country" value={value.country} onChange={set('country')}>
          {COUNTRIES.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
      </Field>
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
      {state && (
        <Field label={state} error={errors.state} required hint={us ? 'Two letters, e.g. CA' : undefined}>
          <input
            type="text"
            name="state"
            autoComplete="address-level1"
            value={value.state}
            onChange={set('state')}
          />
        </Field>
      )}
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
    </div>
  );
}
