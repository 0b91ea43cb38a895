import type { OrderService } from '../orders/service.ts';
import type { AccountDirectory, CustomerCard } from '../platform/auth/directory.ts';
import type { SavedAddress } from '../platform/auth/model.ts';
import { notFound } from '../platform/errors.ts';

/**
 * The admin's view of customers, composed from the two contexts that own its parts: the account
 * (name, email, addresses) from auth, what they bought from orders (ADR 0024). No tables of its own.
 */
export interface CustomerListItem extends CustomerCard {
  ordersCount: number;
  /** minor units: captured minus refunded over their orders */
  totalSpent: number;
  lastOrderAt: Date | null;
}

export interface CustomerDetail extends CustomerListItem {
  addresses: SavedAddress[];
  recentOrders: Awaited<ReturnType<OrderService['adminList']>>['items'];
}

/** How many of a customer's orders their page lists, newest first; the order search has the rest. */
export const RECENT_ORDERS = 10;

export class CustomerService {
  readonly #directory: AccountDirectory;
  readonly #orders: OrderService;

  constructor(directory: AccountDirectory, orders: OrderService) {
    this.#directory = directory;
    this.#orders = orders;
  }

  /**
   * Customers who paid for an order, newest last order or biggest spender first. A search
   * narrows them to the accounts whose name or email contains it.
   */
  async list(query: {
    search?: string | undefined;
    sort: 'lastOrder' | 'totalSpent';
    limit: number;
    cursor?: string | undefined;
  }): Promise<{ items: CustomerListItem[]; nextCursor: string | null }> {
    const customerIds = query.search ? await this.#directory.idsMatching(query.search) : undefined;
    const page = await this.#orders.customerFigures({
      sort: query.sort,
      customerIds,
      limit: query.limit,
      cursor: query.cursor,
    });
    const cards = await this.#directory.cards(page.items.map((f) => f.customerId));
    const items = page.items.flatMap((f) => {
      const card = cards.get(f.customerId);
      return card
        ? [{ ...card, ordersCount: f.ordersCount, totalSpent: f.totalSpent, lastOrderAt: f.lastOrderAt }]
        : [];
    });
    return { items, nextCursor: page.nextCursor };
  }

  /** Any account, with what it bought (nothing yet is zero); an unknown id is a 404. */
  async get(id: string): Promise<CustomerDetail> {
    const [cards, addresses, figures, recent] = await Promise.all([
      this.#directory.cards([id]),
      this.#directory.addresses(id),
      this.#orders.figuresOf(id),
      this.#orders.adminList({ customerId: id, sort: 'createdAt', order: 'desc', limit: RECENT_ORDERS }),
    ]);
    const card = cards.get(id);
    if (!card) throw notFound('Customer', id);
    return {
      ...card,
      ordersCount: figures?.ordersCount ?? 0,
      totalSpent: figures?.totalSpent ?? 0,
      lastOrderAt: figures?.lastOrderAt ?? null,
      addresses,
      recentOrders: recent.items,
    };
  }
}
