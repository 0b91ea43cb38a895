/**
 * Who is signed in, and the cart badge. The token lives in localStorage (see api.ts); on load
 * it is checked with GET /auth/me. The cart belongs to customers, so it is loaded for them only.
 */
import {
  createContext,
  startTransition,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import * as api from '../api.ts';
import type { Cart, LoginRequest, RegisterRequest, Session, User } from '../api.ts';
import { useAsync } from './hooks.ts';

interface SessionValue {
  user: User | null;
  /** true until the stored token has been checked */
  checking: boolean;
  /**
   * Signs in. With `role`, an account of another role is not signed in (the session stays as it
   * was) and the answer is `null`: the admin's sign-in form does not sign a shopper in.
   */
  login: (body: LoginRequest, role?: User['role']) => Promise<User | null>;
  /**
   * Signs up, then signs in with the same email and password. The API answers sign-up the same
   * way whether or not the email has an account; `null` means the sign-in that follows was
   * refused (the email has an account with another password, whose owner has been emailed).
   */
  register: (body: RegisterRequest) => Promise<User | null>;
  /** Starts the session the API answered (a password change or reset answers a new one). */
  adopt: (session: Session) => void;
  /** The signed-in account changed (name, phone). */
  setUser: (user: User) => void;
  /**
   * Signs out on the server — which ends every session of the account, on every device — and
   * then here, where it always ends. `told` hears first whether the server confirmed it, so a
   * page can navigate in the same update that clears the session.
   */
  logout: (told?: (confirmed: boolean) => void) => Promise<void>;
  /** set when the server rejected the stored token, until the next sign-in */
  expired: boolean;
  cart: Cart | null;
  setCart: (cart: Cart | null) => void;
  refreshCart: () => Promise<Cart | null>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [checking, setChecking] = useState(() => api.getToken() !== null);
  const [expired, setExpired] = useState(false);
  const [cart, setCart] = useState<Cart | null>(null);

  useEffect(() => {
    if (!api.getToken()) return;
    const controller = new AbortController();
    api
      .me(controller.signal)
      .then((u) => setUser(u))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        // an unreachable server keeps the token; a rejected token was already removed by api.ts
        if (error instanceof api.ApiError && error.status === 401) setUser(null);
      })
      .finally(() => {
        if (!controller.signal.aborted) setChecking(false);
      });
    return () => controller.abort();
  }, []);

  useEffect(
    () =>
      api.onSessionExpired(() => {
        setUser(null);
        setCart(null);
        setExpired(true);
      }),
    [],
  );

  const refreshCart = useCallback(async () => {
    if (!api.getToken()) return null;
    try {
      const c = await api.getCart();
      setCart(c);
      return c;
    } catch {
      return null;
    }
  }, []);

  useEffect(() => {
    if (user?.role === 'customer') void refreshCart();
    else setCart(null);
  }, [user, refreshCart]);

  const adopt = useCallback((session: Session) => {
    api.setToken(session.token);
    setExpired(false);
    setUser(session.user);
  }, []);

  const login = useCallback(
    async (body: LoginRequest, role?: User['role']) => {
      const session = await api.login(body);
      if (role && session.user.role !== role) return null;
      adopt(session);
      return session.user;
    },
    [adopt],
  );

  const register = useCallback(
    async (body: RegisterRequest) => {
      await api.register(body);
      try {
        return await login({ email: body.email, password: body.password });
      } catch (error) {
        if (error instanceof api.ApiError && (error.code === 'invalid_credentials' || error.status === 429)) {
          return null;
        }
        throw error;
      }
    },
    [login],
  );

  const logout = useCallback(async (told?: (confirmed: boolean) => void) => {
    let confirmed = true;
    const token = api.getToken();
    // Out of use before the server ends it: a request the page sends meanwhile (the menu's
    // categories on the way home) would carry a token that is refused by then, and its 401
    // would read as an expired session.
    api.setToken(null);
    try {
      if (token) await api.logout(token);
    } catch (error) {
      // a 401 means the token had already stopped working: the server has nothing left to end
      confirmed = error instanceof api.ApiError && error.status === 401;
    }
    told?.(confirmed);
    // a transition, as the router's navigation is: both land in one render, so a page for
    // signed-in people never renders signed out and sends the shopper to sign in first
    startTransition(() => {
      setUser(null);
      setCart(null);
      setExpired(false);
    });
  }, []);

  const value = useMemo(
    () => ({
      user,
      checking,
      login,
      register,
      adopt,
      setUser,
      logout,
      expired,
      cart,
      setCart,
      refreshCart,
    }),
    [user, checking, login, register, adopt, logout, expired, cart, refreshCart],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}

/**
 * The cart as the server reads it now, kept in the session for the header's badge: its
 * warnings (stock, prices) are computed when it is read, so the cart and checkout pages always
 * ask again. Until the answer comes, the session's last copy is shown.
 */
export function useFreshCart(): { cart: Cart | null; loading: boolean; error: unknown; reload: () => void } {
  const { cart, setCart } = useSession();
  const fresh = useAsync((signal) => api.getCart(signal), []);
  useEffect(() => {
    if (fresh.data) setCart(fresh.data);
  }, [fresh.data, setCart]);
  return {
    cart: cart ?? fresh.data ?? null,
    loading: fresh.loading,
    error: fresh.error,
    reload: fresh.reload,
  };
}

export function cartCount(cart: Cart | null): number {
  return cart?.items.reduce((n, i) => n + i.quantity, 0) ?? 0;
}
