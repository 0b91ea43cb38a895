import { useEffect, useRef, type ReactNode } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { cartCount, useSession } from '../lib/session.tsx';
import { useGuestCart } from '../lib/guest-cart.ts';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { useToast } from './Toasts.tsx';
import './Layout.css';

/**
 * After client-side navigation, move focus to the new page's heading (and scroll to the top)
 * so keyboard and screen-reader users land on the new content, as with a full page load.
 */
export function useRouteFocus(): void {
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    window.scrollTo(0, 0);
    const timer = window.setTimeout(() => {
      const heading = document.querySelector<HTMLElement>('main h1');
      if (heading) {
        heading.setAttribute('tabindex', '-1');
        heading.focus({ preventScroll: true });
      }
    }, 0);
    return () => window.clearTimeout(timer);
  }, [pathname]);
}

export function SkipLink() {
  return (
    <a className="skip-link" href="#main">
      Skip to main content
    </a>
  );
}

function CartIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <path
        d="M3 4h2l2.4 10.2a2 2 0 0 0 2 1.55h7.7a2 2 0 0 0 1.94-1.5L21 8H6.2"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
      <circle cx="10" cy="20" r="1.5" fill="currentColor" />
      <circle cx="17" cy="20" r="1.5" fill="currentColor" />
    </svg>
  );
}

export function Brand({ to = '/', suffix }: { to?: string; suffix?: string }) {
  return (
    <Link to={to} className="brand">
      <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">
        <rect width="32" height="32" rx="7" fill="currentColor" />
        <path
          d="M9 11h14l-1.6 9.2a2 2 0 0 1-2 1.8h-6.8a2 2 0 0 1-2-1.8z"
          fill="none"
          stroke="#fff"
          strokeWidth="2.2"
          strokeLinejoin="round"
        />
        <path d="M12.5 11a3.5 3.5 0 0 1 7 0" fill="none" stroke="#fff" strokeWidth="2.2" />
      </svg>
      <span>Orderly{suffix && <span className="brand-suffix"> {suffix}</span>}</span>
    </Link>
  );
}

export function StoreLayout() {
  const { user, cart, logout, expired } = useSession();
  const notify = useToast();
  const navigate = useNavigate();
  const location = useLocation();
  useRouteFocus();
  const guestCart = useGuestCart();
  // a shopper who is not signed in has this browser's cart, and checks out as a guest
  const count = user ? cartCount(cart) : guestCart.reduce((n, i) => n + i.quantity, 0);

  return (
    <div className="app">
      <SkipLink />
      <header className="site-header">
        <div className="container header-inner">
          <Brand />
          <nav aria-label="Main" className="main-nav">
            <ul>
              <li>
                <NavLink to="/" end>
                  Shop
                </NavLink>
              </li>
              {user?.role === 'customer' && (
                <>
                  <li>
                    <NavLink to="/orders">My orders</NavLink>
                  </li>
                  <li>
                    <NavLink to="/account" data-testid="account-link">
                      Account
                    </NavLink>
                  </li>
                </>
              )}
              {user?.role === 'admin' && (
                <li>
                  <NavLink to="/admin">Admin</NavLink>
                </li>
              )}
              {user?.role !== 'admin' && (
                <li>
                  <NavLink to={user ? '/cart' : '/checkout'} className="cart-link" data-testid="cart-link">
                    <CartIcon />
                    <span>Cart</span>
                    <span className="cart-count" data-testid="cart-count">
                      {count}
                      <span className="visually-hidden"> {count === 1 ? 'item' : 'items'}</span>
                    </span>
                  </NavLink>
                </li>
              )}
              {user ? (
                <li className="account">
                  <span className="account-name" title={user.email}>
                    {user.name}
                  </span>
                  <button
                    type="button"
                    className="btn btn-ghost btn-small"
                    title="Signs you out on every device"
                    onClick={() =>
                      void logout((confirmed) => {
                        if (!confirmed)
                          notify(
                            'Signed out in this browser only: the shop did not confirm signing out your other devices.',
                            'error',
                          );
                        navigate('/');
                      })
                    }
                  >
                    Sign out
                  </button>
                </li>
              ) : (
                <>
                  <li>
                    <NavLink to="/find-order" data-testid="find-order-link">
                      Find my order
                    </NavLink>
                  </li>
                  <li>
                    <NavLink to="/login" state={{ from: location.pathname + location.search }}>
                      Sign in
                    </NavLink>
                  </li>
                  <li>
                    <NavLink to="/register" className="btn btn-primary btn-small nav-cta">
                      Create account
                    </NavLink>
                  </li>
                </>
              )}
            </ul>
          </nav>
        </div>
      </header>
      {expired && !user && (
        <div className="container session-notice">
          <div className="notice notice-warning" role="status">
            Your session has expired. <Link to="/login">Sign in again</Link> to see your cart and orders.
          </div>
        </div>
      )}
      <main id="main" className="container main" tabIndex={-1}>
        <ErrorBoundary resetKey={location.pathname}>
          <Outlet />
        </ErrorBoundary>
      </main>
      <footer className="site-footer">
        <div className="container">
          <p>
            Orderly — an open-source order management demo. Payments run in sandbox mode: no real card is ever
            charged.
          </p>
        </div>
      </footer>
    </div>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="page-header">
      <h1>{title}</h1>
      {children && <div className="page-header-actions">{children}</div>}
    </div>
  );
}
