import { useState, type FormEvent } from 'react';
import * as api from '../../api.ts';
import type { Return, ReturnQuote, ReturnReason } from '../../api.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import {
  REASON_LABELS,
  ReturnSummary,
  differenceWords,
  returnLineName,
} from '../../components/ReturnParts.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { Button, ErrorState, Field, Loading, Notice, VisuallyHidden } from '../../components/ui.tsx';
import { TestCardField } from '../../components/TestCardField.tsx';
import { TEST_CARDS, cardName } from '../../lib/cards.ts';
import { describeError, isApiError } from '../../lib/errors.ts';
import { formatDate, money } from '../../lib/format.ts';
import { useAsync } from '../../lib/hooks.ts';

const REASONS = Object.keys(REASON_LABELS) as ReturnReason[];

/**
 * The order page's returns: the ones asked for and where they stand (each withdrawn from here
 * while its items have not been sent back), and "Return items" for what was delivered and may
 * still be returned, for a refund or in exchange for another variant. A guest passes the order
 * link's token.
 */
export function OrderReturns({
  orderId,
  currency,
  token,
}: {
  orderId: string;
  currency: string;
  token?: string;
}) {
  const returns = useAsync((signal) => api.listOrderReturns(orderId, token, signal), [orderId, token]);
  const [open, setOpen] = useState(false);
  const data = returns.data;
  if (returns.loading && !data) return <Loading label="Loading returns…" />;
  if (returns.error || !data) return <ErrorState error={returns.error} onRetry={returns.reload} />;
  if (data.items.length === 0 && data.returnable.length === 0) return null;
  return (
    <section className="card stack" aria-labelledby="returns-title" data-testid="order-returns">
      <h2 id="returns-title">Returns</h2>
      {data.items.map((r) => (
        <div key={r.id} className="stack">
          <ReturnSummary value={r} />
          {r.actions.cancel.allowed && (
            <Withdraw orderId={orderId} token={token} value={r} onDone={returns.reload} />
          )}
        </div>
      ))}
      {data.returnable.length > 0 && !open && (
        <div className="actions-row">
          <Button variant="secondary" onClick={() => setOpen(true)} data-testid="return-items">
            Return items
          </Button>
        </div>
      )}
      {open && (
        <ReturnForm
          orderId={orderId}
          currency={currency}
          token={token}
          lines={data.returnable}
          onDone={() => {
            setOpen(false);
            returns.reload();
          }}
          onCancel={() => setOpen(false)}
        />
      )}
    </section>
  );
}

/** "Withdraw this return": the shopper takes back a return they asked for, after saying yes. */
function Withdraw({
  orderId,
  token,
  value,
  onDone,
}: {
  orderId: string;
  token: string | undefined;
  value: Return;
  onDone: () => void;
}) {
  const notify = useToast();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const what = value.kind === 'exchange' ? 'exchange' : 'return';

  async function withdraw() {
    setAsking(false);
    setBusy(true);
    setFailure(null);
    try {
      await api.withdrawReturn(orderId, value.id, token);
      notify(`Your ${what} is withdrawn.`);
      onDone();
    } catch (err) {
      setFailure(describeError(err, { currency: value.currency, action: `withdraw this ${what}` }));
      // the shop moved it meanwhile (received, shipped the replacement): show it as it is now
      if (isApiError(err, 'invalid_return_transition') || isApiError(err, 'replacement_shipped')) onDone();
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="stack">
      <div className="actions-row">
        <Button variant="secondary" busy={busy} onClick={() => setAsking(true)} data-testid="return-withdraw">
          Withdraw this {what}
        </Button>
      </div>
      <div aria-live="polite">{failure && <Notice kind="error">{failure}</Notice>}</div>
      <ConfirmDialog
        open={asking}
        testId="return-withdraw-confirm"
        title={`Withdraw this ${what}?`}
        confirmLabel={`Withdraw ${what}`}
        cancelLabel="Keep it"
        onCancel={() => setAsking(false)}
        onConfirm={() => void withdraw()}
      >
        <p>
          {value.exchangeCharge > 0
            ? `We refund the ${money(value.exchangeCharge, value.currency)} you paid for the exchange to your card, and send nothing instead. `
            : value.kind === 'exchange'
              ? 'We send nothing instead. '
              : ''}
          You may ask to return these items again while the return window is open.
        </p>
      </ConfirmDialog>
    </div>
  );
}

/** A return request as the shopper reviews it, with the price of its exchanges when it has some. */
interface Review {
  lines: api.ReturnRequest['lines'];
  reason: ReturnReason;
  note: string | null;
  /** null when every line is refunded: nothing to price */
  quote: ReturnQuote | null;
  /** why the amount is shown again (it changed since the shopper saw it) */
  notice: string | null;
}

/** The price changed between the quote and the request: nothing was charged, quote again. */
const PRICE_MOVED = ['amount_changed', 'payment_method_required', 'confirmation_required'];

function ReturnForm({
  orderId,
  currency,
  token,
  lines,
  onDone,
  onCancel,
}: {
  orderId: string;
  currency: string;
  token: string | undefined;
  lines: api.ReturnableLine[];
  onDone: () => void;
  onCancel: () => void;
}) {
  const notify = useToast();
  const [quantities, setQuantities] = useState<Record<string, string>>(() =>
    Object.fromEntries(lines.map((l) => [l.lineId, '0'])),
  );
  // the variant each line is exchanged for; absent or '' for a refund
  const [replacements, setReplacements] = useState<Record<string, string>>({});
  const [card, setCard] = useState(TEST_CARDS[0]?.token ?? 'tok_visa');
  const [reason, setReason] = useState<ReturnReason | ''>('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [review, setReview] = useState<Review | null>(null);
  const [busy, setBusy] = useState(false);

  const chosen = lines.flatMap((line) => {
    const n = Number(quantities[line.lineId]);
    if (!Number.isInteger(n) || n < 1 || n > line.returnable) return [];
    const replacementVariantId = replacements[line.lineId];
    return [{ lineId: line.lineId, quantity: n, ...(replacementVariantId && { replacementVariantId }) }];
  });
  const exchanging = chosen.some((l) => l.replacementVariantId);
  // the shopper sees what the exchange costs as they choose it, before anything is sent
  const quoteKey = exchanging ? JSON.stringify(chosen) : null;
  const quoting = useAsync(
    async (signal) =>
      quoteKey
        ? { key: quoteKey, quote: await api.quoteReturn(orderId, { lines: chosen }, token, signal) }
        : null,
    [orderId, token, quoteKey],
  );
  const quote = quoteKey && quoting.data?.key === quoteKey ? quoting.data.quote : null;
  const quoteFailure = quoteKey && !quoting.loading && quoting.error ? quoting.error : null;

  function chooseReplacement(line: api.ReturnableLine, variantId: string) {
    setReplacements({ ...replacements, [line.lineId]: variantId });
    // choosing what to get instead is choosing to send at least one back
    if (variantId && Number(quantities[line.lineId]) === 0)
      setQuantities({ ...quantities, [line.lineId]: '1' });
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problems: Record<string, string> = {};
    for (const line of lines) {
      const n = Number(quantities[line.lineId]);
      if (!Number.isInteger(n) || n < 0 || n > line.returnable)
        problems[line.lineId] = `Enter a whole number from 0 to ${line.returnable}.`;
    }
    if (!reason) problems['reason'] = 'Choose why you are returning the items.';
    if (reason === 'other' && !note.trim()) problems['note'] = 'Tell us a few words about why.';
    setErrors(problems);
    if (Object.keys(problems).length > 0) {
      setFailure('Please fix the highlighted fields.');
      return;
    }
    if (chosen.length === 0) {
      setFailure('Choose at least one item to return.');
      return;
    }
    setFailure(null);
    const asked = { lines: chosen, reason: reason as ReturnReason, note: note.trim() || null, notice: null };
    if (!exchanging) {
      setReview({ ...asked, quote: null });
      return;
    }
    if (quote) {
      setReview({ ...asked, quote });
      return;
    }
    // the price of this very choice has not come back yet (or could not be worked out): ask now
    setBusy(true);
    try {
      setReview({ ...asked, quote: await api.quoteReturn(orderId, { lines: chosen }, token) });
    } catch (err) {
      setFailure(describeError(err, { currency, action: 'price this exchange' }));
    } finally {
      setBusy(false);
    }
  }

  async function send(asked: Review) {
    setReview(null);
    setBusy(true);
    const charge = asked.quote?.charge ?? 0;
    try {
      await api.requestReturn(
        orderId,
        {
          lines: asked.lines,
          reason: asked.reason,
          ...(asked.note && { note: asked.note }),
          ...(charge > 0 && {
            paymentMethod: { type: 'card' as const, token: card },
            confirmedAmount: charge,
          }),
        },
        token,
      );
      notify(asked.quote ? 'Your exchange request was sent.' : 'Your return request was sent.');
      onDone();
    } catch (err) {
      if (asked.quote && PRICE_MOVED.some((code) => isApiError(err, code))) {
        await askAgain(asked);
        return;
      }
      setFailure(describeError(err, { currency, action: 'ask for this return' }));
      setBusy(false);
    }
  }

  async function askAgain(asked: Review) {
    try {
      const fresh = await api.quoteReturn(orderId, { lines: asked.lines }, token);
      quoting.reload();
      setReview({
        ...asked,
        quote: fresh,
        notice:
          'The price of this exchange changed since you saw it. Nothing was charged; here is the new amount.',
      });
    } catch (err) {
      setFailure(describeError(err, { currency, action: 'price this exchange' }));
    } finally {
      setBusy(false);
    }
  }

  const names = new Map(lines.map((l) => [l.lineId, returnLineName(l)]));
  const options = new Map(lines.flatMap((l) => l.exchangeOptions).map((o) => [o.variantId, optionName(o)]));
  const pending = review?.quote ?? null;
  return (
    <form
      className="stack"
      onSubmit={submit}
      noValidate
      aria-labelledby="return-form-title"
      data-testid="return-form"
    >
      <h3 id="return-form-title">Return items</h3>
      <fieldset>
        <legend>How many of each</legend>
        <ul className="return-lines">
          {lines.map((line) => (
            <li key={line.lineId}>
              <Field
                label={returnLineName(line)}
                hint={`Up to ${line.returnable}, until ${formatDate(line.until)}`}
                error={errors[line.lineId]}
              >
                <input
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={line.returnable}
                  step={1}
                  className="input-qty"
                  value={quantities[line.lineId] ?? '0'}
                  onChange={(e) => setQuantities({ ...quantities, [line.lineId]: e.target.value })}
                />
              </Field>
              {line.exchangeOptions.length > 0 && (
                <Field
                  label={
                    <>
                      Refund or exchange<VisuallyHidden> {returnLineName(line)}</VisuallyHidden>
                    </>
                  }
                >
                  <select
                    value={replacements[line.lineId] ?? ''}
                    onChange={(e) => chooseReplacement(line, e.target.value)}
                    data-testid="return-replacement-choice"
                  >
                    <option value="">Refund</option>
                    {line.exchangeOptions.map((o) => (
                      <option key={o.variantId} value={o.variantId} disabled={o.available <= 0}>
                        {`Exchange for ${o.title || o.name} · ${money(o.unitPrice, currency)}${o.available > 0 ? '' : ' · out of stock'}`}
                      </option>
                    ))}
                  </select>
                </Field>
              )}
            </li>
          ))}
        </ul>
      </fieldset>
      {quoteKey && (
        <div className="stack" data-testid="exchange-quote">
          {quote ? (
            <Notice kind="info">
              <ExchangePrice quote={quote} />
            </Notice>
          ) : quoteFailure ? (
            <Notice kind="error">
              {describeError(quoteFailure, { currency, action: 'price this exchange' })}
            </Notice>
          ) : (
            <p className="muted small" role="status">
              Working out the price of the exchange…
            </p>
          )}
          {quote && quote.charge > 0 && <TestCardField value={card} onChange={setCard} />}
        </div>
      )}
      <Field label="Reason" error={errors['reason']} required>
        <select value={reason} onChange={(e) => setReason(e.target.value as ReturnReason | '')} name="reason">
          <option value="">Choose a reason</option>
          {REASONS.map((r) => (
            <option key={r} value={r}>
              {REASON_LABELS[r]}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Anything we should know?" error={errors['note']} required={reason === 'other'}>
        <textarea
          value={note}
          maxLength={1000}
          rows={3}
          onChange={(e) => setNote(e.target.value)}
          name="note"
        />
      </Field>
      <div aria-live="polite">{failure && <Notice kind="error">{failure}</Notice>}</div>
      <div className="actions-row">
        <Button type="submit" busy={busy}>
          {exchanging ? 'Review exchange' : 'Review return'}
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={busy}>
          Never mind
        </Button>
      </div>
      <ConfirmDialog
        open={review !== null}
        testId="return-confirm"
        title={pending ? 'Send this exchange request?' : 'Send this return request?'}
        confirmLabel={
          pending && pending.charge > 0
            ? `Pay ${money(pending.charge, pending.currency)} and send the exchange request`
            : pending
              ? 'Send exchange request'
              : 'Send return request'
        }
        cancelLabel="Go back"
        onCancel={() => setReview(null)}
        onConfirm={() => review && void send(review)}
      >
        {review && (
          <div className="stack">
            {review.notice && <Notice kind="info">{review.notice}</Notice>}
            <ul>
              {review.lines.map((l) => {
                const difference = pending?.lines.find((q) => q.lineId === l.lineId)?.difference ?? null;
                return (
                  <li key={l.lineId}>
                    {l.quantity} × {names.get(l.lineId)}
                    {l.replacementVariantId && <> — exchanged for {options.get(l.replacementVariantId)}</>}
                    {pending && difference !== null && <>, {differenceWords(difference, pending.currency)}</>}
                  </li>
                );
              })}
            </ul>
            <p>Reason: {REASON_LABELS[review.reason]}</p>
            {pending ? (
              <>
                <p>
                  <strong>{exchangeHeadline(pending)}</strong>
                  {pending.charge > 0
                    ? `, charged to ${cardName(card)} now. If we do not accept the exchange, or cannot make it, you get it back.`
                    : '.'}
                </p>
                <p className="muted small">
                  We review your request and email you. The replacement ships once we have approved it.
                </p>
              </>
            ) : (
              <p className="muted small">
                We review your request and email you. The refund follows once the items are back with us.
              </p>
            )}
          </div>
        )}
      </ConfirmDialog>
    </form>
  );
}

/** "Shirt (XL)": an exchange option named like the order's lines. */
function optionName(option: api.ExchangeOption): string {
  return returnLineName({ name: option.name, variantTitle: option.title });
}

/** What a quoted exchange means for the shopper's money, in a few words. */
function exchangeHeadline(quote: ReturnQuote): string {
  if (quote.charge > 0) return `You pay ${money(quote.charge, quote.currency)} more`;
  if (quote.exchangeRefund > 0) {
    return `We refund ${money(quote.exchangeRefund, quote.currency)} once the items are back`;
  }
  return 'Free exchange';
}

/** The quote as the shopper chooses: what it means for their money, and why. */
function ExchangePrice({ quote }: { quote: ReturnQuote }) {
  return (
    <div className="stack">
      <p>
        <strong>{exchangeHeadline(quote)}</strong>
        <br />
        <span className="muted small">
          {quote.charge > 0
            ? 'The replacement costs more than what you send back: the difference is charged when you send the request.'
            : quote.exchangeRefund > 0
              ? 'The replacement costs less than what you send back: the difference goes back to your card.'
              : 'The replacement costs the same as what you send back: there is nothing to pay.'}
        </span>
      </p>
      {quote.lines.some((l) => !l.replacement) && (
        <p className="muted small">
          The items you return for a refund are refunded once they are back with us.
        </p>
      )}
    </div>
  );
}
