import { fileURLToPath } from 'node:url';

/**
 * What the consumer (`web-frontend`, through the typed client) and the provider (`order-service`,
 * Orderly) agree on outside the pact file itself: the names of the parties, where the pact
 * lives, and the provider states the interactions are recorded in. The provider test has one
 * handler per state; each returns the values the requests take from the state (token, ids).
 */
export const CONSUMER = 'web-frontend';
export const PROVIDER = 'order-service';
export const PACT_DIR = fileURLToPath(new URL('../../pacts/', import.meta.url));
export const PACT_FILE = `${PACT_DIR}${CONSUMER}-${PROVIDER}.json`;

export const STATES = {
  /** params: price, stock. Provides: token, customerId, productId */
  productInStock: 'a signed-in customer and a product in stock',
  /** params: price, stock. Provides: token, customerId, productId. The card is `tok_chargeDeclined`. */
  declinedCard: 'a signed-in customer, a product in stock and a card the gateway declines',
  /** Provides: token, customerId, orderId (a confirmed order of that customer) */
  existingOrder: 'a signed-in customer with a confirmed order',
  /** Provides: token, customerId; no order has the id the request asks for */
  noSuchOrder: 'a signed-in customer and no order with the requested id',
} as const;

/** The values a consumer test uses where the provider substitutes its own. */
export const EXAMPLE = {
  token: 'eyJhbGciOiJIUzI1NiJ9.example.signature',
  customerId: '0190d5f4-3c2a-7b6e-9f10-5a3c2b1d0e11',
  productId: '0190d5f4-3c2a-7b6e-9f10-5a3c2b1d0e22',
  orderId: '0190d5f4-3c2a-7b6e-9f10-5a3c2b1d0789',
  missingOrderId: '0190d5f4-0000-7000-8000-000000000404',
};
