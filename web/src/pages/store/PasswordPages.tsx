/**
 * A forgotten password: asking for a link by email, and the page the emailed link opens
 * (`/reset-password#token=…`), where the shopper chooses a new password and is signed in.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import * as api from '../../api.ts';
import { Button, Field, Notice } from '../../components/ui.tsx';
import { describeError, fieldErrors, isApiError, MIN_PASSWORD_LENGTH } from '../../lib/errors.ts';
import { useTitle } from '../../lib/hooks.ts';
import { useSession } from '../../lib/session.tsx';
import { EMAIL, NEW_PASSWORD_HINT } from './AuthPages.tsx';
import './AuthPages.css';

/** The same words whether or not the email has an account, so the page tells nobody who has one. */
const LINK_SENT =
  'If this email has an account, we have sent it a link to choose a new password. The link works once, for 30 minutes. It can take a minute to arrive; check your spam folder too.';

export function ForgotPasswordPage() {
  useTitle('Forgot your password?');
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    if (!EMAIL.test(email.trim())) {
      setError('Enter your email address, like name@example.com.');
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      await api.requestPasswordReset(email.trim());
      setSent(true);
    } catch (err) {
      setFailure(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="auth-page card narrow-card">
      <h1>Forgot your password?</h1>
      {sent ? (
        <>
          <Notice kind="success" testId="reset-requested">
            {LINK_SENT}
          </Notice>
          <p className="muted">
            <Link to="/login">Back to sign in</Link>
          </p>
        </>
      ) : (
        <>
          <p>Enter the email you signed up with, and we will send you a link to choose a new password.</p>
          <form onSubmit={submit} noValidate className="stack" data-testid="forgot-form">
            <Field label="Email" error={error} required>
              <input
                type="email"
                name="email"
                autoComplete="email"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            </Field>
            <div aria-live="polite">{failure && <Notice kind="error">{failure}</Notice>}</div>
            <Button type="submit" busy={busy} className="btn-block">
              {busy ? 'Sending…' : 'Email me a link'}
            </Button>
          </form>
          <p className="muted">
            Remembered it? <Link to="/login">Sign in</Link>
          </p>
        </>
      )}
    </div>
  );
}

/** The token from the link's fragment (`#token=…`: a fragment is never sent to a server). */
function resetToken(): string | null {
  return new URLSearchParams(window.location.hash.slice(1)).get('token');
}

export function ResetPasswordPage() {
  useTitle('Choose a new password');
  const navigate = useNavigate();
  const { adopt } = useSession();
  const [token] = useState(resetToken);
  // once read, the token leaves the address bar: not kept in the history or shown on a shared screen
  useEffect(() => {
    if (window.location.hash) window.history.replaceState(window.history.state, '', window.location.pathname);
  }, []);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<{ text: string; newLink: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    if (!token) return;
    if (password.length < MIN_PASSWORD_LENGTH) {
      setError(`Use at least ${MIN_PASSWORD_LENGTH} characters.`);
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      adopt(await api.resetPassword({ token, password }));
      navigate('/account', {
        replace: true,
        state: {
          notice: 'Your new password is set, and you are signed in. Every other device was signed out.',
        },
      });
    } catch (err) {
      const fields = fieldErrors(err);
      if (fields['password']) setError(fields['password']);
      else setFailure({ text: describeError(err), newLink: isApiError(err, 'invalid_reset_link') });
      setBusy(false);
    }
  }

  if (!token) {
    return (
      <div className="auth-page card narrow-card">
        <h1>Choose a new password</h1>
        <Notice kind="warning" testId="reset-link-incomplete">
          This page needs the link from the email we sent you. Open the link from the email again, or ask for
          a new one.
        </Notice>
        <p className="muted">
          <Link to="/forgot-password">Ask for a new link</Link>
        </p>
      </div>
    );
  }

  return (
    <div className="auth-page card narrow-card">
      <h1>Choose a new password</h1>
      <form onSubmit={submit} noValidate className="stack" data-testid="reset-form">
        <Field label="New password" error={error} required hint={NEW_PASSWORD_HINT}>
          <input
            type="password"
            name="new-password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <div aria-live="polite">
          {failure && (
            <Notice kind="error" testId="reset-failed">
              <p>{failure.text}</p>
              {failure.newLink && <Link to="/forgot-password">Ask for a new link</Link>}
            </Notice>
          )}
        </div>
        <Button type="submit" busy={busy} className="btn-block">
          {busy ? 'Saving…' : 'Set new password and sign in'}
        </Button>
      </form>
    </div>
  );
}
