import type { Db } from '../db.ts';
import type { Account, SavedAddress } from './model.ts';
import * as store from './store.ts';

export interface CustomerCard extends Account {
  createdAt: Date;
}

/**
 * What the admin may look up about accounts, for the customer list and page (the orders
 * context holds what they bought): searches answered with ids, accounts by id, their addresses.
 */
export class AccountDirectory {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Accounts whose name or email contains `search` (case-insensitive). */
  idsMatching(search: string): Promise<string[]> {
    return store.idsMatching(this.#db, search);
  }

  /** Accounts whose name contains `search`: the admin's order search, which matches emails itself. */
  idsNamed(search: string): Promise<string[]> {
    return store.idsNamed(this.#db, search);
  }

  async cards(ids: readonly string[]): Promise<Map<string, CustomerCard>> {
    const rows = await store.cardsByIds(this.#db, ids);
    return new Map(
      rows.map(({ created_at, ...account }) => [account.id, { ...account, createdAt: new Date(created_at) }]),
    );
  }

  addresses(accountId: string): Promise<SavedAddress[]> {
    return store.listAddresses(this.#db, accountId);
  }
}
