import { useCallback, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import * as api from '../../api.ts';
import type { Product } from '../../api.ts';
import { useToast } from '../../components/Toasts.tsx';
import { describeError } from '../../lib/errors.ts';
import { useSession } from '../../lib/session.tsx';

/**
 * Adds a product to the cart (the variant picked, for a product with options), sending
 * signed-out shoppers to sign in first.
 */
export function useAddToCart() {
  const { user, setCart } = useSession();
  const notify = useToast();
  const navigate = useNavigate();
  const location = useLocation();
  const [busyId, setBusyId] = useState<string | null>(null);

  const add = useCallback(
    async (product: Product, quantity: number, variant?: Product['variants'][number]): Promise<boolean> => {
      if (!user) {
        navigate('/login', {
          state: {
            from: location.pathname + location.search,
            notice: 'Sign in or create an account to add items to your cart.',
          },
        });
        return false;
      }
      setBusyId(product.id);
      try {
        const cart = await api.addToCart(
          variant ? { variantId: variant.id } : { productId: product.id },
          quantity,
        );
        setCart(cart);
        const name = variant?.title ? `${product.name} (${variant.title})` : product.name;
        notify(`Added ${quantity} × ${name} to your cart.`);
        return true;
      } catch (error) {
        notify(
          describeError(error, { names: new Map([[product.id, product.name]]), currency: product.currency }),
          'error',
        );
        return false;
      } finally {
        setBusyId(null);
      }
    },
    [user, setCart, notify, navigate, location],
  );

  return { add, busyId, canShop: user?.role !== 'admin' };
}
