/**
 * Every call the front end makes to the Orderly API goes through this module, and every one of
 * them goes through the typed client (`client/`, generated from `docs/api/openapi.yaml`). The
 * types below name the contract's own schemas and operation bodies for the pages (only the live
 * stream's events, which the contract does not describe, are written here), so a path, parameter
 * or body the contract does not have, or a response field a page relies on that the contract no
 * longer promises, fails `tsc -p web/tsconfig.json`.
 */
import * as z from 'zod/mini';
import {
  createOrderlyClient,
  type QueryParameters,
  type RequestBody,
  type ResponseBody,
  type Schemas,
} from '../../client/index.ts';

export type ErrorBody = Schemas['Error'];
export type User = Schemas['Account'];
export type Product = Schemas['Product'];
export type InventoryRow = ResponseBody<'listInventory'>['items'][number];
export type StockLocation = Schemas['StockLocation'];
export type AllocationRule = Schemas['AllocationRule']['rule'];
export type StockTransfer = Schemas['StockTransfer'];
export type StockTransferRequest = RequestBody<'transferStock'>;
export type CatalogCategory = Schemas['Category'];
export type CatalogProductQuery = QueryParameters<'listProducts'>;
export type NewProductRequest = RequestBody<'createProduct'>;
export type ProductChanges = RequestBody<'updateProduct'>;
export type NewVariantRequest = RequestBody<'addVariant'>;
export type VariantChanges = RequestBody<'updateVariant'>;
export type Cart = Schemas['Cart'];
export type CartItem = Cart['items'][number];
export type Address = Schemas['Address'];
export type ShippingAddress = Schemas['ShippingAddress'];
export type Order = Schemas['Order'];
export type OrderStatus = Order['status'];
export type Shipment = Schemas['Shipment'];
/** the status with the partial steps of fulfilment (partially_shipped, partially_delivered) */
export type DetailedStatus = Order['detailedStatus'];
export type PaymentStatus = Order['payment']['status'];
export type ActionAvailability = Order['actions']['confirm'];
export type OrderSummary = ResponseBody<'listOrders'>['items'][number];
export type TimelineEntry = ResponseBody<'getOrderTimeline'>['items'][number];
export type AdminOrderSummary = ResponseBody<'adminListOrders'>['items'][number];
export type AdminOrderQuery = QueryParameters<'adminListOrders'>;
export type Stats = ResponseBody<'getAdminStats'>;
export type CustomerSummary = Schemas['CustomerSummary'];
export type CustomerDetail = Schemas['Customer'];
export type CustomerQuery = QueryParameters<'listCustomers'>;
export type NotificationSummary = Schemas['NotificationSummary'];
export type LoginRequest = RequestBody<'login'>;
export type RegisterRequest = RequestBody<'register'>;
export type Session = Schemas['Session'];
export type SavedAddress = Schemas['SavedAddress'];
export type SavedAddressFields = Schemas['SavedAddressFields'];
export type AccountChanges = RequestBody<'updateAccount'>;
export type CheckoutRequest = RequestBody<'checkoutCart'>;
export type RefundRequest = RequestBody<'refundOrder'>;
export type ModificationQuote = Schemas['ModificationQuote'];
export type GuestOrderRequest = RequestBody<'placeGuestOrder'>;
export type GuestOrder = Schemas['GuestOrder'];
export type GuestOrderView = Schemas['GuestOrderView'];
export type DraftOrder = Schemas['DraftOrder'];
export type DraftLine = Schemas['DraftLine'];
export type CreateDraftOrderRequest = RequestBody<'createDraftOrder'>;
export type OfflinePaymentRequest = RequestBody<'recordOfflinePayment'>;
export type PayableOrder = Schemas['PayableOrder'];
export type CheckoutQuote = Schemas['CheckoutQuote'];
export type QuoteRequest = RequestBody<'quoteCheckout'>;
export type TaxLine = CheckoutQuote['taxLines'][number];
/** An order's subtotal, discount, shipping and tax (a payment link's order has none of them). */
export type OrderTotals = Pick<
  Order,
  | 'subtotal'
  | 'discountTotal'
  | 'shippingTotal'
  | 'taxTotal'
  | 'shipping'
  | 'discount'
  | 'taxLines'
  | 'pricesIncludeTax'
>;
export type ShippingZone = Schemas['ShippingZone'];
export type ShippingMethod = Schemas['ShippingMethod'];
export type ShippingRateInput = RequestBody<'createShippingMethod'>['rate'];
export type TaxRate = Schemas['TaxRate'];
export type DiscountCode = Schemas['DiscountCode'];
export type CreateDiscountCodeRequest = RequestBody<'createDiscountCode'>;
export type UpdateDiscountCodeRequest = RequestBody<'updateDiscountCode'>;
export type WebhookEndpoint = Schemas['WebhookEndpoint'];
export type WebhookEventType = ResponseBody<'listWebhookEventTypes'>['items'][number];
export type CreateWebhookEndpointRequest = RequestBody<'createWebhookEndpoint'>;
export type UpdateWebhookEndpointRequest = RequestBody<'updateWebhookEndpoint'>;
export type WebhookDelivery = Schemas['WebhookDelivery'];
export type WebhookDeliveryDetail = Schemas['WebhookDeliveryDetail'];
export type ShopDetails = Schemas['ShopDetails'];
export type OrderDocuments = Schemas['OrderDocuments'];

export const API_PREFIX = '/api/v1';
const TOKEN_KEY = 'orderly.token';

/** An answer of the API that is not a success, or a request that got no answer at all. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** HTTP status; 0 when the server could not be reached */
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(status: number, body: ErrorBody) {
    super(body.message);
    this.status = status;
    this.code = body.code;
    this.details = body.details;
  }

  /** True when the outcome is unknown (no answer, or a server-side failure): safe to retry as is. */
  get retryable(): boolean {
    return this.status === 0 || this.status >= 500 || this.status === 429;
  }
}

// ---------------------------------------------------------------------------------------------
// Session token

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function getToken(): string | null {
  return storage()?.getItem(TOKEN_KEY) ?? null;
}

export function setToken(token: string | null): void {
  const s = storage();
  if (!s) return;
  if (token) s.setItem(TOKEN_KEY, token);
  else s.removeItem(TOKEN_KEY);
}

type Listener = () => void;
const sessionExpiredListeners = new Set<Listener>();

/** Called when the server says the stored token is no longer valid. */
export function onSessionExpired(listener: Listener): () => void {
  sessionExpiredListeners.add(listener);
  return () => sessionExpiredListeners.delete(listener);
}

// ---------------------------------------------------------------------------------------------
// Transport: the typed client

type Query = Record<string, string | number | boolean | null | undefined>;

/** The URL of a GET under the API prefix; only the live-events stream (EventSource) needs it. */
function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return `${API_PREFIX}${path}${qs ? `?${qs}` : ''}`;
}

/** Same origin; the stored token is read before every request. */
const api = createOrderlyClient({ baseUrl: '', token: getToken });

function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorBody).code === 'string' &&
    typeof (value as ErrorBody).message === 'string'
  );
}

/** What every client call answers: the documented success body, or the error body, and the response. */
interface ClientResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * Runs one client call and gives its answer when it is a success, or throws an `ApiError`: the
 * server's `{code, message, details}` for an error answer, `network_error` (status 0) for no
 * answer. A 401 to a signed-in request ends the session.
 */
async function send<T>(request: () => Promise<ClientResult<T>>): Promise<ClientResult<T>> {
  const token = getToken();
  let result: ClientResult<T>;
  try {
    result = await request();
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    if (error instanceof SyntaxError) {
      throw new ApiError(200, {
        code: 'bad_response',
        message: 'The shop sent an answer we could not read. Please try again.',
        details: {},
      });
    }
    throw new ApiError(0, {
      code: 'network_error',
      message: 'We could not reach the shop. Check your connection and try again.',
      details: {},
    });
  }
  const { error, response } = result;
  if (!response.ok) {
    const errorBody: ErrorBody = isErrorBody(error)
      ? { code: error.code, message: error.message, details: error.details ?? {} }
      : {
          code: response.status >= 500 ? 'internal_error' : 'bad_response',
          message: 'Something went wrong. Please try again.',
          details: {},
        };
    // an order link that no longer works says nothing about the session of whoever opened it
    if (response.status === 401 && token && errorBody.code !== 'invalid_order_link') {
      setToken(null);
      for (const listener of sessionExpiredListeners) listener();
    }
    throw new ApiError(response.status, errorBody);
  }
  return result;
}

/** A call whose success has a body (every call but the few that answer 204). */
async function call<T>(request: () => Promise<ClientResult<T>>): Promise<T> {
  const { data, response } = await send(request);
  if (data === undefined) {
    throw new ApiError(response.status, {
      code: 'bad_response',
      message: 'The shop sent an answer we could not read. Please try again.',
      details: {},
    });
  }
  return data;
}

/** A call that answers 204 No Content when it succeeds. */
async function callNoContent<T>(request: () => Promise<ClientResult<T>>): Promise<void> {
  await send(request);
}

/** Query values the pages leave empty ('' from a cleared filter) are not sent. */
function clean<T extends object>(query: T): T {
  return Object.fromEntries(
    Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== ''),
  ) as T;
}

/** One page of a list: how many, and after which cursor (`null` for the first page). */
export interface PageQuery {
  limit?: number;
  cursor?: string | null;
}

const page = (q: PageQuery | undefined) => ({ limit: q?.limit, cursor: q?.cursor ?? undefined });
const aborts = (signal: AbortSignal | undefined) => (signal ? { signal } : {});
const path = (id: string) => ({ path: { id } });

/** A random UUID v4, also where `crypto.randomUUID` is missing (plain http on a LAN address). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// ---------------------------------------------------------------------------------------------
// PENDING CONTRACT (issue 14): categories and product sorting.
//
// These operations are being added to the server now (brief "catalog" API) and are not in
// docs/api/openapi.yaml yet. Until they are, their types are written
// here as Zod schemas, and every answer is checked against them at run time, so a server that
// answers something else is a clear `bad_response`, never a page reading fields that are not
// there. Once the server lands, run `npm run openapi && npm run client:generate` and swap each
// schema below for `Schemas[…]` / `RequestBody<…>` and each `callPending` for the typed client.

/** `GET /categories` → `listCategories` */
const CategorySchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  parentId: z.nullable(z.string()),
  position: z.number(),
});
const CategoryListSchema = z.object({ items: z.array(CategorySchema) });
export type Category = z.infer<typeof CategorySchema>;

/** `GET /products?sort=` */
export const PRODUCT_SORTS = ['name', 'price_asc', 'price_desc', 'newest'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

/**
 * Whether the server knows categories: its products carry `categoryId` (null or an id). Asked
 * of the products already listed, so a server without categories is never sent a request it
 * would answer with a 404.
 */
export function serverHasCategories(products: readonly Product[]): boolean {
  const probe = z.object({ categoryId: z.nullable(z.string()) });
  return products.some((p) => probe.safeParse(p).success);
}

/**
 * A call to an operation the typed client does not know yet. The answer is checked against
 * `schema`; one that does not match is a `bad_response` (through the `SyntaxError` path of `send`).
 */
function callPending<T>(
  method: 'GET' | 'POST',
  url: string,
  schema: z.ZodMiniType<T>,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  return call(async (): Promise<ClientResult<T>> => {
    const headers = new Headers({ accept: 'application/json' });
    const token = getToken();
    if (token) headers.set('authorization', `Bearer ${token}`);
    if (body !== undefined) headers.set('content-type', 'application/json');
    const response = await fetch(url, {
      method,
      headers,
      ...(body !== undefined && { body: JSON.stringify(body) }),
      ...(signal && { signal }),
    });
    const json: unknown = await response.json().catch(() => undefined);
    if (!response.ok) return { error: json, response };
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new SyntaxError(`unexpected answer from ${url}`);
    return { data: parsed.data, response };
  });
}

/** The server answered that it has no such route: it predates the operation. */
function isMissingRoute(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    error.status === 404 &&
    error.code === 'not_found' &&
    Object.keys(error.details).length === 0
  );
}

/** The category tree, or null when this server has no categories yet (no such route). */
export async function listCategories(signal?: AbortSignal): Promise<Category[] | null> {
  try {
    const { items } = await callPending(
      'GET',
      `${API_PREFIX}/categories`,
      CategoryListSchema,
      undefined,
      signal,
    );
    return items;
  } catch (error) {
    if (isMissingRoute(error)) return null;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Auth

export const register = (body: RegisterRequest) => call(() => api.POST('/api/v1/auth/register', { body }));
export const login = (body: LoginRequest) => call(() => api.POST('/api/v1/auth/login', { body }));
export const me = (signal?: AbortSignal) => call(() => api.GET('/api/v1/auth/me', aborts(signal)));
/**
 * Ends every session of the account `token` belongs to, on every device (the API has no "this
 * device only"): sent with that token, whatever is stored by then.
 */
export const logout = (token: string) =>
  callNoContent(() => api.POST('/api/v1/auth/logout', { headers: { authorization: `Bearer ${token}` } }));
export const changePassword = (body: RequestBody<'changePassword'>) =>
  call(() => api.POST('/api/v1/auth/password', { body }));
export const requestPasswordReset = (email: string) =>
  call(() => api.POST('/api/v1/auth/password-reset', { body: { email } }));
export const resetPassword = (body: RequestBody<'resetPassword'>) =>
  call(() => api.POST('/api/v1/auth/password-reset/confirm', { body }));

// ---------------------------------------------------------------------------------------------
// Account

export const updateAccount = (body: AccountChanges) => call(() => api.PATCH('/api/v1/account', { body }));
export const listAddresses = (signal?: AbortSignal) =>
  call(() => api.GET('/api/v1/account/addresses', aborts(signal)));
export const createAddress = (body: SavedAddressFields) =>
  call(() => api.POST('/api/v1/account/addresses', { body }));
export const updateAddress = (id: string, body: SavedAddressFields) =>
  call(() => api.PUT('/api/v1/account/addresses/{id}', { params: path(id), body }));
export const deleteAddress = (id: string) =>
  callNoContent(() => api.DELETE('/api/v1/account/addresses/{id}', { params: path(id) }));

// ---------------------------------------------------------------------------------------------
// Catalog and inventory

/**
 * `category` and `sort` are the pending contract's (see above): the pages send them only when
 * the server lists categories. The typed client takes the extra keys through a variable.
 */
export const listProducts = (
  q?: PageQuery & { search?: string; category?: string; sort?: ProductSort },
  signal?: AbortSignal,
) => {
  const query: QueryParameters<'listProducts'> & { category?: string; sort?: ProductSort } = clean({
    search: q?.search,
    category: q?.category,
    sort: q?.sort,
    ...page(q),
  });
  return call(() => api.GET('/api/v1/products', { params: { query }, ...aborts(signal) }));
};
export const getProduct = (id: string, signal?: AbortSignal) =>
  call(() => api.GET('/api/v1/products/{id}', { params: path(id), ...aborts(signal) }));
export const createProduct = (body: RequestBody<'createProduct'>) =>
  call(() => api.POST('/api/v1/products', { body }));
export const updateProduct = (id: string, body: RequestBody<'updateProduct'>) =>
  call(() => api.PATCH('/api/v1/products/{id}', { params: path(id), body }));
export const adjustStock = (variantId: string, body: RequestBody<'adjustVariantStock'>) =>
  call(() => api.POST('/api/v1/variants/{id}/stock', { params: path(variantId), body }));
export const listInventory = (
  q?: { search?: string; lowStock?: boolean; locationId?: string },
  signal?: AbortSignal,
) =>
  call(() =>
    api.GET('/api/v1/admin/inventory', {
      params: {
        query: clean({
          search: q?.search,
          lowStock: q?.lowStock ? ('true' as const) : undefined,
          locationId: q?.locationId,
        }),
      },
      ...aborts(signal),
    }),
  );

// ---------------------------------------------------------------------------------------------
// Stock locations and transfers (admin)

export const listStockLocations = (signal?: AbortSignal) =>
  call(() => api.GET('/api/v1/admin/stock-locations', aborts(signal)));
export const createStockLocation = (body: RequestBody<'createStockLocation'>) =>
  call(() => api.POST('/api/v1/admin/stock-locations', { body }));
export const updateStockLocation = (id: string, body: RequestBody<'updateStockLocation'>) =>
  call(() => api.PATCH('/api/v1/admin/stock-locations/{id}', { params: path(id), body }));
export const getAllocationRule = (signal?: AbortSignal) =>
  call(() => api.GET('/api/v1/admin/inventory/allocation-rule', aborts(signal)));
export const setAllocationRule = (rule: AllocationRule) =>
  call(() => api.PUT('/api/v1/admin/inventory/allocation-rule', { body: { rule } }));
export const transferStock = (body: StockTransferRequest) =>
  call(() => api.POST('/api/v1/admin/stock-transfers', { body }));
export const listStockTransfers = (signal?: AbortSignal) =>
  call(() => api.GET('/api/v1/admin/stock-transfers', aborts(signal)));

// ---------------------------------------------------------------------------------------------
// Catalog management (the admin's product pages)

export const listCatalogCategories = (signal?: AbortSignal) =>
  call(() => api.GET('/api/v1/categories', aborts(signal)));
/** The products as the admin sees them: archived ones too, by category, status and search. */
export const listCatalogProducts = (
  q: Omit<CatalogProductQuery, 'cursor' | 'limit'> & PageQuery,
  signal?: AbortSignal,
) =>
  call(() =>
    api.GET('/api/v1/products', {
      params: { query: clean({ ...q, ...page(q) }) },
      ...aborts(signal),
    }),
  );
export const addVariant = (productId: string, body: NewVariantRequest) =>
  call(() => api.POST('/api/v1/products/{id}/variants', { params: path(productId), body }));
export const updateVariant = (variantId: string, body: VariantChanges) =>
  call(() => api.PATCH('/api/v1/variants/{id}', { params: path(variantId), body }));

/**
 * Uploads an image file as its raw bytes (the contract's `uploadImage` takes no JSON body, so
 * this one call is plain fetch) and answers where the shop serves it.
 */
export async function uploadImage(file: Blob): Promise<{ url: string }> {
  const token = getToken();
  return call(async () => {
    const response = await fetch(`${API_PREFIX}/admin/images`, {
      method: 'POST',
      headers: {
        'content-type': file.type || 'application/octet-stream',
        ...(token && { authorization: `Bearer ${token}` }),
      },
      body: file,
    });
    const body: unknown = await response.json().catch(() => undefined);
    const url = typeof body === 'object' && body !== null && 'url' in body ? body.url : undefined;
    return response.ok && typeof url === 'string' ? { data: { url }, response } : { error: body, response };
  });
}

// ---------------------------------------------------------------------------------------------
// Cart and checkout

export const getCart = (signal?: AbortSignal) => call(() => api.GET('/api/v1/cart', aborts(signal)));
/** `ref`: a variant's id, or the id of a product without options */
export const addToCart = (ref: { productId: string } | { variantId: string }, quantity: number) =>
  call(() => api.POST('/api/v1/cart/items', { body: { ...ref, quantity } }));
export const setCartQuantity = (productId: string, quantity: number) =>
  call(() =>
    api.PUT('/api/v1/cart/items/{productId}', { params: { path: { productId } }, body: { quantity } }),
  );
export const removeFromCart = (productId: string) =>
  call(() => api.DELETE('/api/v1/cart/items/{productId}', { params: { path: { productId } } }));
/** Places the order. Reuse `idempotencyKey` when retrying the same attempt after no answer. */
export const checkout = (body: CheckoutRequest, idempotencyKey: string) =>
  call(() =>
    api.POST('/api/v1/cart/checkout', {
      params: { header: { 'idempotency-key': idempotencyKey } },
      body,
    }),
  );
/** Shipping methods, discount and tax for a basket and address: what placing the order will charge. */
export const quoteCheckout = (body: QuoteRequest, signal?: AbortSignal) =>
  call(() => api.POST('/api/v1/checkout/quote', { body, ...aborts(signal) }));

// ---------------------------------------------------------------------------------------------
// Orders

export const listOrders = (q?: PageQuery, signal?: AbortSignal) =>
  call(() => api.GET('/api/v1/orders', { params: { query: clean(page(q)) }, ...aborts(signal) }));
export const getOrder = (id: string, signal?: AbortSignal) =>
  call(() => api.GET('/api/v1/orders/{id}', { params: path(id), ...aborts(signal) }));
export const getTimeline = (id: string, signal?: AbortSignal) =>
  call(() => api.GET('/api/v1/orders/{id}/timeline', { params: path(id), ...aborts(signal) }));
export const quoteModification = (id: string, body: RequestBody<'quoteOrderModification'>) =>
  call(() => api.POST('/api/v1/orders/{id}/modification-quote', { params: path(id), body }));
export const modifyOrder = (id: string, body: RequestBody<'modifyOrder'>) =>
  call(() => api.PATCH('/api/v1/orders/{id}', { params: path(id), body }));
export const cancelOrder = (id: string, reason: string) =>
  call(() => api.POST('/api/v1/orders/{id}/cancel', { params: path(id), body: { reason } }));

// ---------------------------------------------------------------------------------------------
// Guest checkout

/** Places an order with an email instead of a sign-in. Reuse `idempotencyKey` when retrying after no answer. */
export const placeGuestOrder = (body: GuestOrderRequest, idempotencyKey: string) =>
  call(() =>
    api.POST('/api/v1/guest/orders', { params: { header: { 'idempotency-key': idempotencyKey } }, body }),
  );
export const listDraftOrders = (signal?: AbortSignal) =>
  call(() => api.GET('/api/v1/admin/draft-orders', aborts(signal)));
export const getDraftOrder = (id: string, signal?: AbortSignal) =>
  call(() => api.GET('/api/v1/admin/draft-orders/{id}', { params: { path: { id } }, ...aborts(signal) }));
export const createDraftOrder = (body: CreateDraftOrderRequest) =>
  call(() => api.POST('/api/v1/admin/draft-orders', { body }));
export const updateDraftOrder = (id: string, body: RequestBody<'updateDraftOrder'>) =>
  call(() => api.PATCH('/api/v1/admin/draft-orders/{id}', { params: { path: { id } }, body }));
export const deleteDraftOrder = (id: string) =>
  callNoContent(() => api.DELETE('/api/v1/admin/draft-orders/{id}', { params: { path: { id } } }));
export const recordOfflinePayment = (id: string, body: OfflinePaymentRequest) =>
  call(() => api.POST('/api/v1/admin/draft-orders/{id}/offline-payment', { params: { path: { id } }, body }));
export const sendPaymentLink = (id: string) =>
  call(() => api.POST('/api/v1/admin/draft-orders/{id}/payment-link', { params: { path: { id } } }));
export const getPayableOrder = (id: string, token: string, signal?: AbortSignal) =>
  call(() =>
    api.GET('/api/v1/orders/{id}/pay', { params: { path: { id }, query: { token } }, ...aborts(signal) }),
  );
export const payOrderByLink = (id: string, token: string, card: string) =>
  call(() =>
    api.POST('/api/v1/orders/{id}/pay', {
      params: { path: { id } },
      body: { token, paymentMethod: { type: 'card', token: card } },
    }),
  );
export const getGuestOrder = (id: string, token: string, signal?: AbortSignal) =>
  call(() =>
    api.GET('/api/v1/guest/orders/{id}', { params: { path: { id }, query: { token } }, ...aborts(signal) }),
  );
export const lookupGuestOrder = (body: RequestBody<'lookupGuestOrder'>) =>
  call(() => api.POST('/api/v1/guest/orders/lookup', { body }));
export const claimAccount = (body: RequestBody<'claimAccount'>) =>
  call(() => api.POST('/api/v1/auth/claim', { body }));

// ---------------------------------------------------------------------------------------------
// Admin

export const listAdminOrders = (q: Omit<AdminOrderQuery, 'cursor'> & PageQuery, signal?: AbortSignal) =>
  call(() =>
    api.GET('/api/v1/admin/orders', {
      params: { query: clean({ ...q, ...page(q) }) },
      ...aborts(signal),
    }),
  );
/** The CSV of what an admin order search finds: its orders, or their lines, as a file to save. */
export async function downloadAdminExport(
  kind: 'orders' | 'lines',
  q: Omit<AdminOrderQuery, 'cursor' | 'limit'>,
): Promise<{ file: Blob; name: string }> {
  const params = { query: clean(q) };
  const { file, response } = await call(async () => {
    const result =
      kind === 'orders'
        ? await api.GET('/api/v1/admin/orders/export.csv', { params, parseAs: 'blob' })
        : await api.GET('/api/v1/admin/order-lines/export.csv', { params, parseAs: 'blob' });
    return { ...result, data: result.data && { file: result.data, response: result.response } };
  });
  const name = /filename=([\w.-]+)/.exec(response.headers.get('content-disposition') ?? '')?.[1];
  return { file, name: name ?? `${kind === 'orders' ? 'orders' : 'order-lines'}.csv` };
}
export const adminConfirm = (id: string) =>
  call(() => api.POST('/api/v1/admin/orders/{id}/confirm', { params: path(id) }));
export const adminShip = (id: string, body: RequestBody<'shipOrder'>) =>
  call(() => api.POST('/api/v1/admin/orders/{id}/ship', { params: path(id), body }));
export const listShipments = (id: string, token?: string, signal?: AbortSignal) =>
  call(() =>
    api.GET('/api/v1/orders/{id}/shipments', {
      params: { ...path(id), ...(token && { query: { token } }) },
      ...aborts(signal),
    }),
  );
export type CreateShipmentRequest = RequestBody<'createShipment'>;
export const createShipment = (id: string, body: CreateShipmentRequest) =>
  call(() => api.POST('/api/v1/admin/orders/{id}/shipments', { params: path(id), body }));
export const deliverShipment = (id: string, shipmentId: string) =>
  call(() =>
    api.POST('/api/v1/admin/orders/{id}/shipments/{shipmentId}/deliver', {
      params: { path: { id, shipmentId } },
    }),
  );
export const adminDeliver = (id: string) =>
  call(() => api.POST('/api/v1/admin/orders/{id}/deliver', { params: path(id) }));
export const adminCancel = (id: string, reason: string) =>
  call(() => api.POST('/api/v1/admin/orders/{id}/cancel', { params: path(id), body: { reason } }));
/** Refunds part of an order. Reuse `idempotencyKey` when retrying the same refund after no answer. */
export const adminRefund = (id: string, body: RefundRequest, idempotencyKey?: string) =>
  call(() =>
    api.POST('/api/v1/admin/orders/{id}/refund', {
      params: { ...path(id), ...(idempotencyKey && { header: { 'idempotency-key': idempotencyKey } }) },
      body,
    }),
  );
export const listCustomers = (q: Omit<CustomerQuery, 'cursor'> & PageQuery, signal?: AbortSignal) =>
  call(() =>
    api.GET('/api/v1/admin/customers', {
      params: { query: clean({ ...q, ...page(q) }) },
      ...aborts(signal),
    }),
  );
export const getCustomer = (id: string, signal?: AbortSignal) =>
  call(() => api.GET('/api/v1/admin/customers/{id}', { params: path(id), ...aborts(signal) }));
export const getStats = (signal?: AbortSignal) => call(() => api.GET('/api/v1/admin/stats', aborts(signal)));
export const listNotifications = (q?: PageQuery, signal?: AbortSignal) =>
  call(() =>
    api.GET('/api/v1/admin/notifications', { params: { query: clean(page(q)) }, ...aborts(signal) }),
  );
export const getNotification = (id: string, signal?: AbortSignal) =>
  call(() => api.GET('/api/v1/admin/notifications/{id}', { params: path(id), ...aborts(signal) }));
export const resendNotification = (id: string) =>
  call(() => api.POST('/api/v1/admin/notifications/{id}/resend', { params: path(id) }));

// ---------------------------------------------------------------------------------------------
// Shipping zones, tax rates and discount codes (admin)

export const listShippingZones = (signal?: AbortSignal) =>
  call(() => api.GET('/api/v1/admin/shipping/zones', aborts(signal)));
export const createShippingZone = (body: RequestBody<'createShippingZone'>) =>
  call(() => api.POST('/api/v1/admin/shipping/zones', { body }));
export const updateShippingZone = (id: string, body: RequestBody<'updateShippingZone'>) =>
  call(() => api.PATCH('/api/v1/admin/shipping/zones/{id}', { params: path(id), body }));
export const deleteShippingZone = (id: string) =>
  callNoContent(() => api.DELETE('/api/v1/admin/shipping/zones/{id}', { params: path(id) }));
export const createShippingMethod = (zoneId: string, body: RequestBody<'createShippingMethod'>) =>
  call(() => api.POST('/api/v1/admin/shipping/zones/{id}/methods', { params: path(zoneId), body }));
export const updateShippingMethod = (id: string, body: RequestBody<'updateShippingMethod'>) =>
  call(() => api.PATCH('/api/v1/admin/shipping/methods/{id}', { params: path(id), body }));
export const deactivateShippingMethod = (id: string) =>
  call(() => api.POST('/api/v1/admin/shipping/methods/{id}/deactivate', { params: path(id) }));
// ---------------------------------------------------------------------------------------------
// Documents: invoices, credit notes, packing slips

/** A file the API answered, with the name it gave it. */
export interface DownloadedFile {
  blob: Blob;
  filename: string;
}

async function download(
  request: () => Promise<ClientResult<Blob>>,
  fallback: string,
): Promise<DownloadedFile> {
  const { data, response } = await send(request);
  if (!data) {
    throw new ApiError(response.status, {
      code: 'bad_response',
      message: 'The shop sent an answer we could not read. Please try again.',
      details: {},
    });
  }
  const named = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1];
  return { blob: data, filename: named ?? fallback };
}

export const getShopDetails = (signal?: AbortSignal) =>
  call(() => api.GET('/api/v1/admin/shop-details', aborts(signal)));
export const updateShopDetails = (body: ShopDetails) =>
  call(() => api.PUT('/api/v1/admin/shop-details', { body }));
export const getOrderDocuments = (id: string, signal?: AbortSignal) =>
  call(() => api.GET('/api/v1/admin/orders/{id}/documents', { params: path(id), ...aborts(signal) }));
export const downloadOrderInvoice = (id: string) =>
  download(
    () => api.GET('/api/v1/admin/orders/{id}/invoice.pdf', { params: path(id), parseAs: 'blob' }),
    'invoice.pdf',
  );
export const downloadCreditNote = (orderId: string, creditNoteId: string) =>
  download(
    () =>
      api.GET('/api/v1/admin/orders/{id}/credit-notes/{creditNoteId}.pdf', {
        params: { path: { id: orderId, creditNoteId } },
        parseAs: 'blob',
      }),
    'credit-note.pdf',
  );
export const downloadPackingSlip = (id: string) =>
  download(
    () => api.GET('/api/v1/admin/orders/{id}/packing-slip.pdf', { params: path(id), parseAs: 'blob' }),
    'packing-slip.pdf',
  );
/** One parcel's packing slip: only what that shipment holds, where it leaves from, its tracking. */
export const downloadShipmentPackingSlip = (orderId: string, shipmentId: string) =>
  download(
    () =>
      api.GET('/api/v1/admin/orders/{id}/shipments/{shipmentId}/packing-slip.pdf', {
        params: { path: { id: orderId, shipmentId } },
        parseAs: 'blob',
      }),
    'packing-slip.pdf',
  );
/** The shopper's invoice: with their session, or with the order link's token (a guest). */
export const downloadMyInvoice = (id: string, linkToken?: string) =>
  download(
    () =>
      api.GET('/api/v1/orders/{id}/invoice.pdf', {
        params: { path: { id }, query: linkToken ? { token: linkToken } : {} },
        parseAs: 'blob',
      }),
    'invoice.pdf',
  );

export const listTaxRates = (signal?: AbortSignal) =>
  call(() => api.GET('/api/v1/admin/tax/rates', aborts(signal)));
export const createTaxRate = (body: RequestBody<'createTaxRate'>) =>
  call(() => api.POST('/api/v1/admin/tax/rates', { body }));
export const updateTaxRate = (id: string, body: RequestBody<'updateTaxRate'>) =>
  call(() => api.PATCH('/api/v1/admin/tax/rates/{id}', { params: path(id), body }));
export const deleteTaxRate = (id: string) =>
  callNoContent(() => api.DELETE('/api/v1/admin/tax/rates/{id}', { params: path(id) }));
export const listDiscountCodes = (q?: PageQuery, signal?: AbortSignal) =>
  call(() =>
    api.GET('/api/v1/admin/discount-codes', { params: { query: clean(page(q)) }, ...aborts(signal) }),
  );
export const createDiscountCode = (body: CreateDiscountCodeRequest) =>
  call(() => api.POST('/api/v1/admin/discount-codes', { body }));
export const updateDiscountCode = (id: string, body: UpdateDiscountCodeRequest) =>
  call(() => api.PATCH('/api/v1/admin/discount-codes/{id}', { params: path(id), body }));

// ---------------------------------------------------------------------------------------------
// Webhooks

export const listWebhookEventTypes = (signal?: AbortSignal) =>
  call(() => api.GET('/api/v1/admin/webhook-event-types', aborts(signal)));
export const listWebhookEndpoints = (signal?: AbortSignal) =>
  call(() => api.GET('/api/v1/admin/webhooks', aborts(signal)));
export const getWebhookEndpoint = (id: string, signal?: AbortSignal) =>
  call(() => api.GET('/api/v1/admin/webhooks/{id}', { params: path(id), ...aborts(signal) }));
export const createWebhookEndpoint = (body: CreateWebhookEndpointRequest) =>
  call(() => api.POST('/api/v1/admin/webhooks', { body }));
export const updateWebhookEndpoint = (id: string, body: UpdateWebhookEndpointRequest) =>
  call(() => api.PATCH('/api/v1/admin/webhooks/{id}', { params: path(id), body }));
export const deleteWebhookEndpoint = (id: string) =>
  callNoContent(() => api.DELETE('/api/v1/admin/webhooks/{id}', { params: path(id) }));
export const revealWebhookSecret = (id: string) =>
  call(() => api.POST('/api/v1/admin/webhooks/{id}/secret/reveal', { params: path(id) }));
export const rotateWebhookSecret = (id: string) =>
  call(() => api.POST('/api/v1/admin/webhooks/{id}/secret/rotate', { params: path(id) }));
export const sendWebhookTestEvent = (id: string) =>
  call(() => api.POST('/api/v1/admin/webhooks/{id}/test', { params: path(id) }));
export const listWebhookDeliveries = (id: string, q?: PageQuery, signal?: AbortSignal) =>
  call(() =>
    api.GET('/api/v1/admin/webhooks/{id}/deliveries', {
      params: { ...path(id), query: clean(page(q)) },
      ...aborts(signal),
    }),
  );
export const getWebhookDelivery = (id: string, signal?: AbortSignal) =>
  call(() => api.GET('/api/v1/admin/webhook-deliveries/{id}', { params: path(id), ...aborts(signal) }));
export const replayWebhookDelivery = (id: string) =>
  call(() => api.POST('/api/v1/admin/webhook-deliveries/{id}/replay', { params: path(id) }));

// ---------------------------------------------------------------------------------------------
// Live events

/** A stock level changed (the `stock` event of the live stream). */
export interface StockEvent {
  productId: string;
  variantId: string;
  onHand: number;
  reserved: number;
  available: number;
}

/** Something happened to an order (the `order` event: every order for admins, own orders for a customer). */
export interface OrderEvent {
  orderId: string;
  /** the new status for status changes; null for other events (payments, refunds, changes) */
  status: OrderStatus | null;
  /** the domain event, e.g. OrderPlaced, OrderShipped, PaymentProcessed, RefundIssued */
  type: string;
}

export interface EventHandlers {
  stock?: (event: StockEvent) => void;
  order?: (event: OrderEvent) => void;
  /** the connection came back after a drop: a good moment to refetch what may have been missed */
  open?: () => void;
}

/**
 * Subscribes to the Server-Sent Events stream. `withOrders` adds the admin's token so `order`
 * events are sent too. EventSource reconnects by itself; the returned function closes it.
 */
export function subscribeEvents(handlers: EventHandlers, withOrders = false): () => void {
  const token = withOrders ? getToken() : null;
  return listen(buildUrl('/events/stream', token ? { token } : undefined), handlers);
}

/** The signed-in customer's own orders as they change (shipped, delivered, refunded, …). */
export function subscribeMyOrders(handlers: Pick<EventHandlers, 'order' | 'open'>): () => void {
  const token = getToken();
  if (!token) return () => {};
  return listen(buildUrl('/events/my-orders', { token }), handlers);
}

function listen(url: string, handlers: EventHandlers): () => void {
  if (typeof EventSource === 'undefined') return () => {};
  const source = new EventSource(url);
  const parse =
    <T>(listener: ((e: T) => void) | undefined) =>
    (message: MessageEvent<string>) => {
      if (!listener) return;
      try {
        listener(JSON.parse(message.data) as T);
      } catch {
        // a malformed event is ignored; the next one carries the current state again
      }
    };
  source.addEventListener('stock', parse(handlers.stock));
  source.addEventListener('order', parse(handlers.order));
  let opened = false;
  source.addEventListener('open', () => {
    if (opened) handlers.open?.();
    opened = true;
  });
  return () => source.close();
}

// ---------------------------------------------------------------------------------------------
// Returns

export type Return = Schemas['Return'];
export type ReturnStatus = Return['status'];
export type ReturnReason = Return['reason'];
export type ReturnPolicy = Schemas['ReturnPolicy'];
export type OrderReturns = ResponseBody<'listOrderReturns'>;
export type ReturnableLine = OrderReturns['returnable'][number];
export type ReturnRequest = RequestBody<'requestReturn'>;
export type ExchangeOption = ReturnableLine['exchangeOptions'][number];
export type ReturnQuote = Schemas['ReturnQuote'];
export type ReturnQuoteRequest = RequestBody<'quoteReturn'>;
export type ReceiptRequest = RequestBody<'receiveReturn'>;
export type ReplacementShipmentRequest = RequestBody<'shipExchangeReplacement'>;

/** A guest reaches their order's returns with the order link's token; a signed-in shopper without. */
const linkQuery = (token?: string) => (token ? { token } : {});

export const getReturnPolicy = (signal?: AbortSignal) =>
  call(() => api.GET('/api/v1/returns/policy', aborts(signal)));
export const updateReturnPolicy = (body: RequestBody<'updateReturnPolicy'>) =>
  call(() => api.PUT('/api/v1/admin/return-policy', { body }));
export const listOrderReturns = (id: string, token?: string, signal?: AbortSignal) =>
  call(() =>
    api.GET('/api/v1/orders/{id}/returns', {
      params: { path: { id }, query: linkQuery(token) },
      ...aborts(signal),
    }),
  );
export const requestReturn = (id: string, body: ReturnRequest, token?: string) =>
  call(() =>
    api.POST('/api/v1/orders/{id}/returns', { params: { path: { id }, query: linkQuery(token) }, body }),
  );
/** What the return would charge now (a dearer exchange) or give back later (a cheaper one). */
export const quoteReturn = (id: string, body: ReturnQuoteRequest, token?: string, signal?: AbortSignal) =>
  call(() =>
    api.POST('/api/v1/orders/{id}/returns/quote', {
      params: { path: { id }, query: linkQuery(token) },
      body,
      ...aborts(signal),
    }),
  );
export const listReturns = (q: { status?: ReturnStatus | '' } & PageQuery, signal?: AbortSignal) =>
  call(() =>
    api.GET('/api/v1/admin/returns', {
      params: { query: clean({ status: q.status || undefined, ...page(q) }) },
      ...aborts(signal),
    }),
  );
export const approveReturn = (id: string) =>
  call(() => api.POST('/api/v1/admin/returns/{id}/approve', { params: path(id) }));
export const rejectReturn = (id: string, reason: string) =>
  call(() => api.POST('/api/v1/admin/returns/{id}/reject', { params: path(id), body: { reason } }));
export const receiveReturn = (id: string, body: ReceiptRequest) =>
  call(() => api.POST('/api/v1/admin/returns/{id}/receive', { params: path(id), body }));
export const refundReturn = (id: string, expectedAmount: number) =>
  call(() => api.POST('/api/v1/admin/returns/{id}/refund', { params: path(id), body: { expectedAmount } }));
export const shipExchangeReplacement = (id: string, body: ReplacementShipmentRequest) =>
  call(() => api.POST('/api/v1/admin/returns/{id}/replacement-shipment', { params: path(id), body }));
/** The shop cancels a return whose items have not come back; `reason` is told to the customer. */
export const cancelReturn = (id: string, reason?: string) =>
  call(() =>
    api.POST('/api/v1/admin/returns/{id}/cancel', { params: path(id), body: reason ? { reason } : {} }),
  );
/** The shopper withdraws their own return (a guest with the order link's token). */
export const withdrawReturn = (orderId: string, returnId: string, token?: string) =>
  call(() =>
    api.POST('/api/v1/orders/{id}/returns/{returnId}/withdraw', {
      params: { path: { id: orderId, returnId }, query: linkQuery(token) },
    }),
  );
/**
 * The shop's active stock locations, highest priority first: where a parcel may ship from, and
 * where a received return's items may go back on the shelf.
 */
export const listRestockLocations = async (signal?: AbortSignal) =>
  (await call(() => api.GET('/api/v1/admin/stock-locations', aborts(signal)))).items.filter((l) => l.active);
export type StaffMember = Schemas['StaffMember'];
export type StaffRole = Schemas['StaffRole'];
export type Permission = User['permissions'][number];
export type AuditEntry = Schemas['AuditEntry'];
export type AuditLogQuery = QueryParameters<'listAuditLog'>;
export type InviteStaffRequest = RequestBody<'inviteStaffMember'>;

export const listStaff = (signal?: AbortSignal) =>
  call(() => api.GET('/api/v1/admin/staff', { ...aborts(signal) }));
export const inviteStaffMember = (body: InviteStaffRequest) =>
  call(() => api.POST('/api/v1/admin/staff', { body }));
export const changeStaffRole = (id: string, role: StaffRole) =>
  call(() => api.PATCH('/api/v1/admin/staff/{id}', { params: path(id), body: { role } }));
export const deactivateStaffMember = (id: string) =>
  call(() => api.POST('/api/v1/admin/staff/{id}/deactivate', { params: path(id) }));
export const reactivateStaffMember = (id: string) =>
  call(() => api.POST('/api/v1/admin/staff/{id}/reactivate', { params: path(id) }));
export const listAuditLog = (q: AuditLogQuery, signal?: AbortSignal) =>
  call(() => api.GET('/api/v1/admin/audit-log', { params: { query: clean(q) }, ...aborts(signal) }));
