/**
 * The shopper's account: name and phone, saved addresses, a new password, and signing out. The
 * API has one way to sign out, and it ends every session of the account; the page says so
 * rather than offering a "this device only" it cannot keep.
 */
import { useState, type FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import * as api from '../../api.ts';
import type { User } from '../../api.ts';
import { PageHeader } from '../../components/Layout.tsx';
import { Button, Field, Notice } from '../../components/ui.tsx';
import { describeError, fieldErrors, MIN_PASSWORD_LENGTH } from '../../lib/errors.ts';
import { useTitle } from '../../lib/hooks.ts';
import { useSession } from '../../lib/session.tsx';
import { NEW_PASSWORD_HINT, phoneProblem } from './AuthPages.tsx';
import { SavedAddresses } from './SavedAddresses.tsx';
import './AccountPage.css';

type Outcome = { kind: 'success' | 'error'; text: string } | null;

/** The result of a form's last submission, announced politely. */
function OutcomeNotice({ outcome, testId }: { outcome: Outcome; testId: string }) {
  return (
    <div aria-live="polite">
      {outcome && (
        <Notice kind={outcome.kind} testId={testId}>
          {outcome.text}
        </Notice>
      )}
    </div>
  );
}

function DetailsForm({ user }: { user: User }) {
  const { setUser } = useSession();
  const [name, setName] = useState(user.name);
  const [phone, setPhone] = useState(user.phone ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!name.trim()) problems['name'] = 'Enter your name.';
    const badPhone = phoneProblem(phone);
    if (badPhone) problems['phone'] = badPhone;
    setErrors(problems);
    setOutcome(null);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      const updated = await api.updateAccount({ name: name.trim(), phone: phone.trim() || null });
      setUser(updated);
      setName(updated.name);
      setPhone(updated.phone ?? '');
      setOutcome({ kind: 'success', text: 'Your details are saved.' });
    } catch (err) {
      const fields = fieldErrors(err);
      setErrors(fields);
      if (Object.keys(fields).length === 0) setOutcome({ kind: 'error', text: describeError(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card account-section" aria-labelledby="account-details">
      <h2 id="account-details">Your details</h2>
      <form onSubmit={submit} noValidate className="stack" data-testid="details-form">
        <div className="account-email">
          <span className="muted">Email (you sign in with it)</span>
          <span data-testid="account-email">{user.email}</span>
        </div>
        <Field label="Name" error={errors['name']} required>
          <input
            type="text"
            name="name"
            autoComplete="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </Field>
        <Field
          label="Phone (optional)"
          error={errors['phone']}
          hint="For text messages when your order ships. Leave it empty to remove it."
        >
          <input
            type="tel"
            name="phone"
            autoComplete="tel"
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
          />
        </Field>
        <OutcomeNotice outcome={outcome} testId="details-outcome" />
        <div className="actions-row">
          <Button type="submit" busy={busy}>
            {busy ? 'Saving…' : 'Save details'}
          </Button>
        </div>
      </form>
    </section>
  );
}

function PasswordForm() {
  const { adopt } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!current) problems['currentPassword'] = 'Enter your current password.';
    if (next.length < MIN_PASSWORD_LENGTH)
      problems['newPassword'] = `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
    setErrors(problems);
    setOutcome(null);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      adopt(await api.changePassword({ currentPassword: current, newPassword: next }));
      setCurrent('');
      setNext('');
      setOutcome({
        kind: 'success',
        text: 'Your password is changed. You are still signed in here; every other device has been signed out.',
      });
    } catch (err) {
      const fields = fieldErrors(err);
      setErrors(fields);
      if (Object.keys(fields).length === 0) setOutcome({ kind: 'error', text: describeError(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card account-section" aria-labelledby="account-password">
      <h2 id="account-password">Password</h2>
      <form onSubmit={submit} noValidate className="stack" data-testid="password-form">
        <Field label="Current password" error={errors['currentPassword']} required>
          <input
            type="password"
            name="current-password"
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
        </Field>
        <Field label="New password" error={errors['newPassword']} required hint={NEW_PASSWORD_HINT}>
          <input
            type="password"
            name="new-password"
            autoComplete="new-password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
          />
        </Field>
        <OutcomeNotice outcome={outcome} testId="password-outcome" />
        <div className="actions-row">
          <Button type="submit" busy={busy}>
            {busy ? 'Changing…' : 'Change password'}
          </Button>
        </div>
      </form>
    </section>
  );
}

function SignOut() {
  const { logout } = useSession();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);

  async function signOut() {
    setBusy(true);
    await logout((confirmed) =>
      navigate('/login', {
        replace: true,
        state: {
          notice: confirmed
            ? 'You are signed out on every device.'
            : 'You are signed out in this browser, but the shop did not confirm that your other sessions ended. Sign in and sign out again to end them.',
        },
      }),
    );
  }

  return (
    <section className="card account-section" aria-labelledby="account-sign-out">
      <h2 id="account-sign-out">Sign out</h2>
      <p>
        Signing out ends every session of your account: in this browser and on any other phone or computer
        where you are signed in. The Sign out button at the top of the page does the same.
      </p>
      <div className="actions-row">
        <Button variant="secondary" busy={busy} onClick={() => void signOut()}>
          {busy ? 'Signing out…' : 'Sign out everywhere'}
        </Button>
      </div>
    </section>
  );
}

export function AccountPage() {
  useTitle('Your account');
  const { user } = useSession();
  const state = (useLocation().state ?? {}) as { notice?: string };
  if (!user) return null;
  return (
    <div className="account-page">
      <PageHeader title="Your account" />
      {state.notice && (
        <div className="account-notice">
          <Notice kind="success" testId="account-notice">
            {state.notice}
          </Notice>
        </div>
      )}
      <div className="account-sections">
        <DetailsForm user={user} />
        <SavedAddresses />
        <PasswordForm />
        <SignOut />
      </div>
    </div>
  );
}
