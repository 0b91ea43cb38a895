/** Sandbox card tokens: the payment provider answers each one the same way every time. */
export const TEST_CARDS: { token: string; label: string }[] = [
  { token: 'tok_visa', label: 'Visa ending 4242 — succeeds' },
  { token: 'tok_mastercard', label: 'Mastercard ending 4444 — succeeds' },
  { token: 'tok_chargeDeclined', label: 'Card declined (test)' },
  { token: 'tok_chargeDeclinedInsufficientFunds', label: 'Declined: insufficient funds (test)' },
];

/** A test card's name without the sandbox's note on how it answers: "Visa ending 4242". */
export function cardName(token: string): string {
  return TEST_CARDS.find((c) => c.token === token)?.label.split(' — ')[0] ?? 'your card';
}
