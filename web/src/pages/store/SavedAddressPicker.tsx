import * as api from '../../api.ts';
import { Field } from '../../components/ui.tsx';
import { useAsync } from '../../lib/hooks.ts';
import type { SavedAddress } from '../../api.ts';
import './SavedAddressPicker.css';

/**
 * At checkout, a choice among the account's saved addresses that fills the address fields; the
 * fields stay editable. Nothing is shown when there is none, or when they cannot be loaded (the
 * fields are still there to type in).
 */
export function SavedAddressPicker({ onPick }: { onPick: (address: SavedAddress) => void }) {
  const { data } = useAsync((signal) => api.listAddresses(signal), []);
  const items = data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Field label="Use a saved address" className="saved-address-picker">
      <select
        name="saved-address"
        defaultValue=""
        onChange={(e) => {
          const picked = items.find((a) => a.id === e.target.value);
          if (picked) onPick(picked);
        }}
      >
        <option value="" disabled>
          Choose one to fill the fields below
        </option>
        {items.map((a) => (
          <option key={a.id} value={a.id}>
            {a.label ? `${a.label}: ${a.street}, ${a.city}` : `${a.street}, ${a.city}`}
          </option>
        ))}
      </select>
    </Field>
  );
}
