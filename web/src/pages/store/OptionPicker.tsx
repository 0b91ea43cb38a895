import type { Product } from '../../api.ts';
import { valueState, type Selection, type ValueState } from './variants.ts';

const STATE_NOTE: Record<ValueState, string> = {
  available: '',
  sold_out: 'sold out',
  unavailable: 'not available',
};

/**
 * One option of a product (Size) as a group of radio buttons, one per value. A value that, with
 * the other choices, names a sold-out variant or none at all stays pickable (the shopper sees
 * why it cannot be bought) but is struck through and says so to screen readers.
 */
export function OptionPicker({
  product,
  option,
  selection,
  onPick,
}: {
  product: Product;
  option: Product['options'][number];
  selection: Selection;
  onPick: (option: string, value: string) => void;
}) {
  const group = `option-${option.name.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <fieldset className="option-picker" data-testid={group}>
      <legend>
        {option.name}
        {selection[option.name] !== undefined && (
          <span className="option-picker-chosen">: {selection[option.name]}</span>
        )}
      </legend>
      <div className="option-values">
        {option.values.map((value) => {
          const state = valueState(product, selection, option.name, value);
          const id = `${group}-${value.replace(/\W+/g, '-').toLowerCase()}`;
          return (
            <span key={value} className={`option-value option-${state}`}>
              <input
                type="radio"
                id={id}
                name={group}
                value={value}
                checked={selection[option.name] === value}
                onChange={() => onPick(option.name, value)}
              />
              <label htmlFor={id} data-state={state}>
                {value}
                {state !== 'available' && <span className="visually-hidden"> ({STATE_NOTE[state]})</span>}
              </label>
            </span>
          );
        })}
      </div>
    </fieldset>
  );
}
