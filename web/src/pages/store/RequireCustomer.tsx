import type { ReactNode } from 'react';
import { Link, Navigate, useLocation } from 'react-router-dom';
import { Loading } from '../../components/ui.tsx';
import { useSession } from '../../lib/session.tsx';

/** Pages that need a signed-in customer: others are sent to sign in, and come back after. */
export function RequireCustomer({ children, notice }: { children: ReactNode; notice?: string }) {
  const { user, checking } = useSession();
  const location = useLocation();
  if (checking) return <Loading label="Checking your session…" />;
  if (!user) {
    return (
      <Navigate
        to="/login"
        replace
        state={{ from: location.pathname + location.search, notice: notice ?? 'Please sign in to continue.' }}
      />
    );
  }
  if (user.role !== 'customer') {
    return (
      <div className="narrow">
        <h1>This page is for customers</h1>
        <p>You are signed in as an administrator, who has no cart or orders of their own.</p>
        <Link className="btn btn-primary" to="/admin">
          Go to the admin dashboard
        </Link>
      </div>
    );
  }
  return <>{children}</>;
}
