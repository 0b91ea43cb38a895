import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { Button, Field, Notice } from '../../components/ui.tsx';
import { describeError, fieldErrors, MIN_PASSWORD_LENGTH } from '../../lib/errors.ts';
import { useTitle } from '../../lib/hooks.ts';
import { useSession } from '../../lib/session.tsx';
import './AuthPages.css';

interface FromState {
  from?: string;
  notice?: string;
}

export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What is wrong with an optional phone number, by the API's rule: digits, spaces, (), - and a leading +. */
export function phoneProblem(phone: string): string | undefined {
  return phone.trim() && !/^\+?[0-9 ()-]{6,20}$/.test(phone.trim())
    ? 'Enter digits only, with an optional + and country code.'
    : undefined;
}

export const NEW_PASSWORD_HINT = `At least ${MIN_PASSWORD_LENGTH} characters. A few unrelated words are easy to remember and hard to guess.`;

export function LoginForm({
  onDone,
  submitLabel = 'Sign in',
  role,
}: {
  onDone: (role: string) => void;
  submitLabel?: string;
  /** only accounts of this role may sign in here */
  role?: 'admin';
}) {
  const { login } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ email?: string; password?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problems: typeof errors = {};
    if (!EMAIL.test(email.trim())) problems.email = 'Enter your email address, like name@example.com.';
    if (!password) problems.password = 'Enter your password.';
    setErrors(problems);
    setFailure(null);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      const user = await login({ email: email.trim(), password }, role);
      if (!user) {
        setFailure(
          'This account is not an admin account. Sign in with an administrator account to manage the shop.',
        );
        setBusy(false);
        return;
      }
      onDone(user.role);
    } catch (err) {
      setFailure(describeError(err));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="stack" data-testid="login-form">
      <Field label="Email" error={errors.email} required>
        <input
          type="email"
          name="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </Field>
      <Field label="Password" error={errors.password} required>
        <input
          type="password"
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </Field>
      <div aria-live="polite">{failure && <Notice kind="error">{failure}</Notice>}</div>
      <Button type="submit" busy={busy} className="btn-block">
        {busy ? 'Signing in…' : submitLabel}
      </Button>
    </form>
  );
}

export function LoginPage() {
  useTitle('Sign in');
  const navigate = useNavigate();
  const state = (useLocation().state ?? {}) as FromState;
  return (
    <div className="auth-page card narrow-card">
      <h1>Sign in</h1>
      {state.notice && <Notice kind="info">{state.notice}</Notice>}
      <LoginForm
        onDone={(role) => navigate(state.from ?? (role === 'admin' ? '/admin' : '/'), { replace: true })}
      />
      <p className="auth-forgot">
        <Link to="/forgot-password">Forgot password?</Link>
      </p>
      <p className="muted">
        New here?{' '}
        <Link to="/register" state={state}>
          Create an account
        </Link>
      </p>
    </div>
  );
}

export function RegisterPage() {
  useTitle('Create an account');
  const navigate = useNavigate();
  const state = (useLocation().state ?? {}) as FromState;
  const { register } = useSession();
  const [form, setForm] = useState({ name: '', email: '', password: '', phone: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** sign-up was accepted but signing in with it was not: the email already had an account */
  const [accepted, setAccepted] = useState(false);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [key]: e.target.value });

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!form.name.trim()) problems['name'] = 'Enter your name.';
    if (!EMAIL.test(form.email.trim()))
      problems['email'] = 'Enter a valid email address, like name@example.com.';
    if (form.password.length < MIN_PASSWORD_LENGTH)
      problems['password'] = `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
    const phone = phoneProblem(form.phone);
    if (phone) problems['phone'] = phone;
    setErrors(problems);
    setFailure(null);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      const user = await register({
        name: form.name.trim(),
        email: form.email.trim(),
        password: form.password,
        ...(form.phone.trim() && { phone: form.phone.trim() }),
      });
      if (user) {
        navigate(state.from ?? '/', { replace: true });
        return;
      }
      setAccepted(true);
      setBusy(false);
    } catch (err) {
      const fields = fieldErrors(err);
      setErrors(fields);
      // a field's own message says it; the box is for what no field explains
      setFailure(Object.keys(fields).length > 0 ? null : describeError(err));
      setBusy(false);
    }
  }

  if (accepted) {
    return (
      <div className="auth-page card narrow-card" data-testid="register-accepted">
        <h1>Check your email</h1>
        <Notice kind="info">
          Thanks. We have sent an email to {form.email.trim()}. Sign in with your email and password to
          continue.
        </Notice>
        <p className="muted">
          <Link to="/login" state={state}>
            Sign in
          </Link>{' '}
          · <Link to="/forgot-password">Forgot password?</Link>
        </p>
      </div>
    );
  }

  return (
    <div className="auth-page card narrow-card">
      <h1>Create an account</h1>
      {state.notice && <Notice kind="info">{state.notice}</Notice>}
      <form onSubmit={submit} noValidate className="stack" data-testid="register-form">
        <Field label="Name" error={errors['name']} required>
          <input type="text" name="name" autoComplete="name" value={form.name} onChange={set('name')} />
        </Field>
        <Field label="Email" error={errors['email']} required>
          <input type="email" name="email" autoComplete="email" value={form.email} onChange={set('email')} />
        </Field>
        <Field label="Password" error={errors['password']} required hint={NEW_PASSWORD_HINT}>
          <input
            type="password"
            name="password"
            autoComplete="new-password"
            value={form.password}
            onChange={set('password')}
          />
        </Field>
        <Field
          label="Phone (optional)"
          error={errors['phone']}
          hint="For text messages when your order ships."
        >
          <input type="tel" name="phone" autoComplete="tel" value={form.phone} onChange={set('phone')} />
        </Field>
        <div aria-live="polite">{failure && <Notice kind="error">{failure}</Notice>}</div>
        <Button type="submit" busy={busy} className="btn-block">
          {busy ? 'Creating your account…' : 'Create account'}
        </Button>
      </form>
      <p className="muted">
        Already have an account?{' '}
        <Link to="/login" state={state}>
          Sign in
        </Link>
      </p>
    </div>
  );
}
