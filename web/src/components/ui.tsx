/** Small building blocks shared by the storefront and the admin dashboard. */
import {
  cloneElement,
  useId,
  useState,
  type ButtonHTMLAttributes,
  type ReactElement,
  type ReactNode,
} from 'react';
import type { OrderStatus, PaymentStatus } from '../api.ts';
import { describeError, type ErrorContext } from '../lib/errors.ts';
import { paymentLabel, statusLabel } from '../lib/format.ts';
import './ui.css';

export function Spinner({ small = false }: { small?: boolean }) {
  return <span className={small ? 'spinner spinner-small' : 'spinner'} aria-hidden="true" />;
}

/** A visible wait, announced to screen readers. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <Spinner />
      <span>{label}</span>
    </div>
  );
}

type NoticeKind = 'error' | 'success' | 'info' | 'warning';

/**
 * A message box. Errors are announced at once (role=alert); the others politely (role=status).
 */
export function Notice({
  kind = 'info',
  title,
  children,
  testId,
}: {
  kind?: NoticeKind;
  title?: string;
  children?: ReactNode;
  testId?: string;
}) {
  return (
    <div
      className={`notice notice-${kind}`}
      role={kind === 'error' ? 'alert' : 'status'}
      data-testid={testId}
    >
      {title && <p className="notice-title">{title}</p>}
      {children && <div className="notice-body">{children}</div>}
    </div>
  );
}

/** A failed load: a sentence and a way to try again. */
export function ErrorState({
  error,
  onRetry,
  context,
}: {
  error: unknown;
  onRetry?: () => void;
  context?: ErrorContext;
}) {
  return (
    <Notice kind="error" title="Something went wrong" testId="error-state">
      <p>{describeError(error, context)}</p>
      {onRetry && (
        <button type="button" className="btn btn-secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </Notice>
  );
}

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  busy?: boolean;
  variant?: 'primary' | 'secondary' | 'danger' | 'ghost' | 'link';
}

/**
 * A button that shows a spinner and ignores presses while its action runs. A busy button is
 * marked `aria-disabled` rather than `disabled`: disabling the focused element would drop
 * keyboard focus back to the start of the page.
 */
export function Button({
  busy = false,
  variant = 'primary',
  className,
  children,
  disabled,
  onClick,
  ...rest
}: ButtonProps) {
  return (
    <button
      type="button"
      className={`btn btn-${variant}${className ? ` ${className}` : ''}`}
      disabled={disabled}
      aria-disabled={busy && !disabled ? true : undefined}
      aria-busy={busy || undefined}
      {...rest}
      onClick={(event) => {
        // also stops a submit button from submitting its form again
        if (busy) event.preventDefault();
        else onClick?.(event);
      }}
    >
      {busy && <Spinner small />}
      {children}
    </button>
  );
}

/**
 * A labelled form control. The child input gets `id`, `aria-invalid` and `aria-describedby`
 * pointing at the hint and the error, so every control has a name and its problem is read out.
 */
export function Field({
  label,
  hint,
  error,
  children,
  className,
  required,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  children: ReactElement<Record<string, unknown>>;
  className?: string;
  required?: boolean;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const control = cloneElement(children, {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
    required: required || undefined,
  });
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>
        {label}
        {required && (
          <span className="required" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </label>
      {control}
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

export function StatusBadge({ status }: { status: OrderStatus | string }) {
  return (
    <span className={`badge status-${status}`} data-testid="order-status">
      {statusLabel(status)}
    </span>
  );
}

export function PaymentBadge({ status }: { status: PaymentStatus | string }) {
  return <span className={`badge payment-${status}`}>{paymentLabel(status)}</span>;
}

/** Out of stock, low stock ("Only 3 left") or in stock. */
export function StockBadge({ available, lowStock }: { available: number; lowStock: boolean }) {
  if (available <= 0) {
    return (
      <span className="badge stock-out" data-testid="stock-badge">
        Out of stock
      </span>
    );
  }
  if (lowStock) {
    return (
      <span className="badge stock-low" data-testid="stock-badge">
        Only {available} left
      </span>
    );
  }
  return (
    <span className="badge stock-in" data-testid="stock-badge">
      In stock
    </span>
  );
}

const HUES = [262, 200, 160, 24, 330, 120, 42, 290];

/** The product's picture, or a generated tile with its initials when it has none (or it fails). */
export function ProductImage({
  name,
  sku,
  imageUrl,
  size = 'card',
}: {
  name: string;
  sku: string;
  imageUrl: string | null;
  size?: 'card' | 'large' | 'thumb';
}) {
  const [failed, setFailed] = useState(false);
  const initials = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase() ?? '')
    .join('');
  let hash = 0;
  for (const c of sku || name) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  const hue = HUES[hash % HUES.length] ?? 262;
  const placeholder = (
    <div
      className={`product-image product-image-${size} product-image-placeholder`}
      style={{ background: `linear-gradient(135deg, hsl(${hue} 70% 92%), hsl(${(hue + 40) % 360} 70% 84%))` }}
      aria-hidden="true"
    >
      <span style={{ color: `hsl(${hue} 60% 28%)` }}>{initials || '?'}</span>
    </div>
  );
  if (!imageUrl || failed || !/^(https?:\/\/|\/|data:image\/)/i.test(imageUrl)) return placeholder;
  return (
    <img
      className={`product-image product-image-${size}`}
      src={imageUrl}
      alt=""
      loading="lazy"
      decoding="async"
      onError={() => setFailed(true)}
    />
  );
}

export function VisuallyHidden({ children }: { children: ReactNode }) {
  return <span className="visually-hidden">{children}</span>;
}

/** A horizontally scrollable wrapper for wide tables, reachable with the keyboard. */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}
