import type { Db } from '../db.ts';
import { AppError, conflict, notFound } from '../errors.ts';
import {
  MAX_SAVED_ADDRESSES,
  isSignedIn,
  type AddressFields,
  type SignedInAccount,
  type SavedAddress,
} from './model.ts';
import * as store from './store.ts';

/** What a shopper keeps in their account: name, phone and saved addresses. Only their own. */
export class ProfileService {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async update(
    accountId: string,
    changes: { name?: string; phone?: string | null },
  ): Promise<SignedInAccount> {
    const account = await store.updateProfile(this.#db, accountId, {
      ...(changes.name !== undefined && { name: changes.name.trim() }),
      ...(changes.phone !== undefined && { phone: changes.phone?.trim() || null }),
    });
    if (!account || !isSignedIn(account))
      throw new AppError(401, 'invalid_token', 'Your account no longer exists.');
    return account;
  }

  addresses(accountId: string): Promise<SavedAddress[]> {
    return store.listAddresses(this.#db, accountId);
  }

  async addAddress(accountId: string, address: AddressFields): Promise<SavedAddress> {
    const saved = await store.insertAddress(this.#db, accountId, address, MAX_SAVED_ADDRESSES);
    if (!saved) {
      throw conflict(
        'too_many_addresses',
        `An account keeps at most ${MAX_SAVED_ADDRESSES} addresses. Delete one first.`,
      );
    }
    return saved;
  }

  /** Another account's address is a 404, as if it did not exist. */
  async updateAddress(accountId: string, id: string, address: AddressFields): Promise<SavedAddress> {
    const saved = await store.updateAddress(this.#db, accountId, id, address);
    if (!saved) throw notFound('Address', id);
    return saved;
  }

  async deleteAddress(accountId: string, id: string): Promise<void> {
    if (!(await store.deleteAddress(this.#db, accountId, id))) throw notFound('Address', id);
  }
}
