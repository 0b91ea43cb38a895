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
      const name = variant?.title ? `${product.name} (${variant.title})` : product.name;
      if (!user) {
        // a product without options is bought as its one (default) variant
        const bought = variant ?? product.variants[0];
        addToGuestCart({
          productId: product.id,
          variantId: bought?.id ?? product.id,
          name: product.name,
          variantTitle: bought?.title ?? '',
          sku: bought?.sku ?? product.sku,
          price: bought?.price ?? product.price,
          currency: product.currency,
          quantity,
        });
        notify(`Added ${quantity} × ${name} to your cart.`);
        return true;
      }
      setBusyId(product.id);
      try {
        const cart = await api.addToCart(
          variant ? { variantId: variant.id } : { productId: product.id },
          quantity,
        );
        setCart(cart);
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
