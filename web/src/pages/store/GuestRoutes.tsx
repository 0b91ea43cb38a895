import type { ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Loading } from '../../components/ui.tsx';
import { useSession } from '../../lib/session.tsx';
import { GuestCheckoutPage, GuestOrderPage } from './GuestPages.tsx';

/** Checkout: the account's for a signed-in shopper (`children`), guest checkout for anyone else. */
export function CheckoutRoute({ children }: { children: ReactNode }) {
  const { user, checking } = useSession();
  if (checking) return <Loading label="Checking your session…" />;
  return user ? <>{children}</> : <GuestCheckoutPage />;
}

/** An order page: opened by the token of an emailed link when there is one, else for the signed-in owner. */
export function OrderRoute({ children }: { children: ReactNode }) {
  const [params] = useSearchParams();
  const token = params.get('token');
  return token ? <GuestOrderPage token={token} /> : <>{children}</>;
}
