import { TEST_CARDS } from '../lib/cards.ts';
import { Field } from './ui.tsx';

/**
 * The "Card" field of every payment a shopper makes (checkout, a payment link, a change to an
 * order, a dearer exchange): the sandbox's test cards, each answering the same way every time.
 */
export function TestCardField({
  value,
  onChange,
  error,
  required,
  testId,
}: {
  value: string;
  onChange: (token: string) => void;
  error?: string | undefined;
  required?: boolean;
  testId?: string;
}) {
  return (
    <Field
      label="Card"
      error={error}
      required={required}
      hint="Sandbox mode: choose a test card. Nothing real is charged."
    >
      <select name="card" value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {TEST_CARDS.map((c) => (
          <option key={c.token} value={c.token}>
            {c.label}
          </option>
        ))}
      </select>
    </Field>
  );
}
