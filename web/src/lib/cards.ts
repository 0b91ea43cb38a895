/** Sandbox card tokens: the payment provider answers each one the same way every time. */
export const TEST_CARDS: { token: string; label: string }[] = [
  { token: 'tok_visa', label: 'Visa ending 4242 — succeeds' },
  { token: 'tok_mastercard', label: 'Mastercard ending 4444 — succeeds' },
  { token: 'tok_chargeDeclined', label: 'Card declined (test)' },
  { token: 'tok_chargeDeclinedInsufficientFunds', label: 'Declined: insufficient funds (test)' },
];
