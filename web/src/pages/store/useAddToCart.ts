import { useCallback, useState } from 'react';
import * as api from '../../api.ts';
import type { Product } from '../../api.ts';
import { useToast } from '../../components/Toasts.tsx';
import { describeError } from '../../lib/errors.ts';
import { addToGuestCart } from '../../lib/guest-cart.ts';
import { useSession } from '../../lib/session.tsx';

/**
 * Adds a product (the variant picked, for a product with options) to the cart: the account's,
 * or, for a shopper not signed in, this browser's (guest checkout).
 */
export function useAddToCart() {
  const { user, setCart } = useSession();
  const notify = useToast();
  const [busyId, setBusyId] = useState<string | null>(null);

  const add = useCallback(
    async (product: Product, quantity: number, variant?: Product['variants'][number]): Promise<boolean> => {
      if (!user) {
        addToGuestCart({
          productId: product.id,
          name: product.name,
          price: product.price,
          currency: product.currency,
          quantity,
        });
        notify(`Added ${quantity} × ${product.name} to your cart.`);
        return true;
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
    [user, setCart, notify],
  );

  return { add, busyId, canShop: user?.role !== 'admin' };
}
