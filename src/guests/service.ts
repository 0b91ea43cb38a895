import { linkStatesOf, type AuthService } from '../platform/auth/service.ts';
import type { TokenService } from '../platform/auth/tokens.ts';
import type { Db } from '../platform/db.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { uuidv7 } from '../platform/ids.ts';
import type { Idempotency, Placed, PlaceOrderInput } from '../orders/place-order.ts';
import type { OrderService } from '../orders/service.ts';

/** An order link (a guest's confirmation email, "find my order") works this long. */
export const ORDER_LINK_TTL_DAYS = 90;

export interface GuestServiceOptions {
  auth: AuthService;
  orders: OrderService;
  tokens: TokenService;
  /** the storefront's address, for links in emails */
  publicUrl: string;
}

/** Both answers of "find my order" that find nothing: one message, so neither tells which it was. */
export const NO_MATCH =
  'No guest order has this number and email. If you have an account, sign in to see your orders.';

const invalidLink = () =>
  new AppError(
    401,
    'invalid_order_link',
    'This order link is not valid or no longer works. Find your order with its number and email, or sign in.',
  );

/**
 * Guest checkout (ADR 0022): buying with an email only, and reaching the order afterwards with
 * a signed link instead of a session. It owns no table: the shopper is an account of the accounts
 * context (a guest account, or the registered one that has the email), and the order is placed,
 * read and listed by the orders context exactly as a signed-in customer's is.
 */
export class GuestService {
  readonly #auth: AuthService;
  readonly #orders: OrderService;
  readonly #tokens: TokenService;
  readonly #publicUrl: string;

  constructor(options: GuestServiceOptions) {
    this.#auth = options.auth;
    this.#orders = options.orders;
    this.#tokens = options.tokens;
    this.#publicUrl = options.publicUrl.replace(/\/+$/, '');
  }

  /**
   * Places the order on the email's account (made as a guest one if the email has none, in the
   * order's own transaction: a refused checkout writes no account) and answers with a link token
   * for its page. With an idempotency key, a repeat answers the first result, as `createOrder`
   * does: keys belong to the account, like a signed-in customer's.
   */
  async placeOrder(
    shopper: { email: string; name: string },
    input: PlaceOrderInput,
    idempotency?: Idempotency,
  ): Promise<Placed & { accessToken: string }> {
    const known = await this.#auth.knownShopper(shopper.email);
    // a first order's account does not exist yet: its checkout is priced for an id no one has
    let account = known ?? {
      user: { id: uuidv7(), email: shopper.email, role: 'guest' as const, staffRole: null },
      version: 0,
    };
    const placed = await this.#orders.place(account.user, input, idempotency, async (trx) => {
      account = await this.#auth.guestShopper(shopper.email, shopper.name, trx);
      return account.user;
    });
    return {
      ...placed,
      accessToken: await this.#orderLink(placed.order.id, account.user.id, account.version),
    };
  }

  /**
   * The order an order link opens, with its timeline. 401 for a token that is not an order link
   * (tampered, expired, or revoked: its account signed out everywhere or was claimed since), 404
   * for a link to another order.
   */
  async order(orderId: string, token: string) {
    const holder = await this.linkHolder(orderId, token);
    const order = await this.#orders.get(holder, orderId);
    const timeline = await this.#orders.timeline(holder, orderId);
    return { order, timeline };
  }

  /** Who an order link speaks for: its order's account, while the link is valid. */
  async linkHolder(orderId: string, token: string) {
    const claims = await this.#tokens.verifyLink('order_access', token);
    if (!claims) throw invalidLink();
    if (claims.subject !== orderId) throw notFound('Order', orderId);
    const holder = await this.#auth.linkHolder(claims);
    if (!holder) throw invalidLink();
    return holder;
  }

  /**
   * "Find my order": a guest order by its number and the email it was placed with, and a link
   * token for it. Orders of registered accounts are not found this way (their owners sign in):
   * an order number is easy to guess, and an email is no secret.
   */
  async lookup(number: number, email: string): Promise<{ orderId: string; accessToken: string }> {
    const guest = await this.#auth.guestAccount(email);
    const orderId = guest && (await this.#orders.findByNumber(guest.id, number));
    if (!guest || !orderId) throw new AppError(404, 'not_found', NO_MATCH);
    return { orderId, accessToken: await this.#orderLink(orderId, guest.id, guest.version) };
  }

  /**
   * The storefront links to orders for their emails, by order id: with a link token when the
   * account is a guest's (who has no sign-in), the plain page otherwise. Read with the connection
   * given, one statement for all: the notification context renders a batch inside the outbox's
   * dispatch transaction.
   */
  async orderUrls(
    db: Db,
    orders: ReadonlyArray<{ orderId: string; customerId: string }>,
  ): Promise<Map<string, string>> {
    const accounts = await linkStatesOf(
      db,
      orders.map((o) => o.customerId),
    );
    const urls = new Map<string, string>();
    for (const { orderId, customerId } of orders) {
      const page = `${this.#publicUrl}/orders/${orderId}`;
      const account = accounts.get(customerId);
      urls.set(
        orderId,
        account?.role === 'guest'
          ? `${page}?token=${await this.#orderLink(orderId, customerId, account.version)}`
          : page,
      );
    }
    return urls;
  }

  #orderLink(orderId: string, accountId: string, version: number): Promise<string> {
    return this.#tokens.issueLink(
      'order_access',
      { subject: orderId, accountId, version },
      ORDER_LINK_TTL_DAYS * 86_400,
    );
  }
}
