import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import type { Permission } from '../../api.ts';
import { ErrorBoundary } from '../../components/ErrorBoundary.tsx';
import { Brand, SkipLink, useRouteFocus } from '../../components/Layout.tsx';
import { Loading, Notice } from '../../components/ui.tsx';
import { useTitle } from '../../lib/hooks.ts';
import { useSession } from '../../lib/session.tsx';
import { LoginForm } from '../store/AuthPages.tsx';
import './AdminLayout.css';

/**
 * The admin's menu: each page is shown to the staff roles holding the permission its work
 * needs (docs/staff.md); the API refuses the rest whatever the menu shows.
 */
const NAV: { to: string; label: string; permission: Permission }[] = [
  { to: '/admin', label: 'Dashboard', permission: 'orders.read' },
  { to: '/admin/orders', label: 'Orders', permission: 'orders.read' },
  { to: '/admin/returns', label: 'Returns', permission: 'orders.read' },
  { to: '/admin/drafts', label: 'Drafts', permission: 'orders.write' },
  { to: '/admin/customers', label: 'Customers', permission: 'orders.read' },
  { to: '/admin/products', label: 'Products', permission: 'catalog' },
  { to: '/admin/inventory', label: 'Inventory', permission: 'inventory' },
  { to: '/admin/locations', label: 'Locations', permission: 'inventory' },
  { to: '/admin/mailbox', label: 'Mailbox', permission: 'notifications' },
  { to: '/admin/pricing', label: 'Shipping & tax', permission: 'settings' },
  { to: '/admin/discount-codes', label: 'Discounts', permission: 'settings' },
  { to: '/admin/webhooks', label: 'Webhooks', permission: 'settings' },
  { to: '/admin/shop-details', label: 'Shop details', permission: 'settings' },
  { to: '/admin/staff', label: 'Staff', permission: 'staff' },
  { to: '/admin/audit-log', label: 'Audit log', permission: 'staff' },
];

/** The admin shell: only staff get past it; everyone else sees an admin sign-in form. */
export function AdminLayout() {
  const { user, checking, logout, expired } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  useRouteFocus();

  if (checking) {
    return (
      <main id="main" className="container main">
        <Loading label="Checking your session…" />
      </main>
    );
  }
  if (user?.role !== 'admin') return <AdminLogin signedInAsCustomer={user !== null} expired={expired} />;

  return (
    <div className="app admin">
      <SkipLink />
      <header className="site-header admin-header">
        <div className="container header-inner">
          <Brand to="/admin" suffix="Admin" />
          {/* beside the brand, not among the pages: the fifteen pages' links fit one line at 1280 px
              only with the row to themselves */}
          <div className="account">
            <span className="account-name" title={user.email}>
              {user.name}
            </span>
            <Link to="/" className="admin-storefront">
              Storefront
            </Link>
            <button
              type="button"
              className="btn btn-ghost btn-small"
              onClick={() => {
                logout();
                navigate('/admin');
              }}
            >
              Sign out
            </button>
          </div>
          <nav aria-label="Admin" className="main-nav admin-nav">
            <ul>
              {NAV.filter((item) => user.permissions.includes(item.permission)).map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} end={item.to === '/admin'}>
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        </div>
      </header>
      <main id="main" className="container main" tabIndex={-1}>
        <ErrorBoundary resetKey={location.pathname}>
          <Outlet />
        </ErrorBoundary>
      </main>
    </div>
  );
}

function AdminLogin({ signedInAsCustomer, expired }: { signedInAsCustomer: boolean; expired: boolean }) {
  useTitle('Admin sign in');
  return (
    <div className="app admin">
      <SkipLink />
      <header className="site-header admin-header">
        <div className="container header-inner">
          <Brand to="/admin" suffix="Admin" />
          <nav aria-label="Admin" className="main-nav">
            <ul>
              <li>
                <Link to="/">Storefront</Link>
              </li>
            </ul>
          </nav>
        </div>
      </header>
      <main id="main" className="container main" tabIndex={-1}>
        <div className="auth-page card narrow-card">
          <h1>Admin sign in</h1>
          {signedInAsCustomer && (
            <Notice kind="warning">
              You are signed in with a customer account. Sign in with an administrator account to manage the
              shop.
            </Notice>
          )}
          {expired && !signedInAsCustomer && (
            <Notice kind="info">Your session has expired. Please sign in again.</Notice>
          )}
          <LoginForm onDone={() => undefined} submitLabel="Sign in to admin" role="admin" />
        </div>
      </main>
    </div>
  );
}
