/**
 * Every call the front end makes to the Orderly API goes through this module. Its internals
 * (`request`) will later be replaced by a client generated from the OpenAPI document; the typed
 * functions below are the seam the pages depend on.
 */
import type {
  AdminOrderQuery,
  AdminOrderSummary,
  Cart,
  CheckoutRequest,
  CreateProductRequest,
  ErrorBody,
  InventoryQuery,
  InventoryRow,
  LoginRequest,
  ModifyOrderRequest,
  NotificationDetail,
  NotificationSummary,
  Order,
  OrderEvent,
  OrderSummary,
  Page,
  PageQuery,
  Product,
  ProductQuery,
  RefundRequest,
  RegisterRequest,
  Session,
  ShipRequest,
  Stats,
  StockAdjustment,
  StockEvent,
  StockLevel,
  Timeline,
  UpdateProductRequest,
  User,
} from './api-types.ts';

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
// Transport

type Query = Record<string, string | number | boolean | null | undefined>;

interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return `${API_PREFIX}${path}${qs ? `?${qs}` : ''}`;
}

function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorBody).code === 'string' &&
    typeof (value as ErrorBody).message === 'string'
  );
}

async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  const token = getToken();
  if (token) headers['Authorization'] = `Bearer ${token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body,
      signal: options.signal ?? null,
      credentials: 'same-origin',
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, {
      code: 'network_error',
      message: 'We could not reach the shop. Check your connection and try again.',
      details: {},
    });
  }

  if (response.status === 204) return undefined as T;
  let payload: unknown = null;
  const text = await response.text().catch(() => '');
  if (text) {
    try {
      payload = JSON.parse(text);
    } catch {
      payload = null;
    }
  }

  if (!response.ok) {
    const errorBody: ErrorBody = isErrorBody(payload)
      ? { code: payload.code, message: payload.message, details: payload.details ?? {} }
      : {
          code: response.status >= 500 ? 'internal_error' : 'bad_response',
          message: 'Something went wrong. Please try again.',
          details: {},
        };
    const error = new ApiError(response.status, errorBody);
    if (response.status === 401 && token) {
      setToken(null);
      for (const listener of sessionExpiredListeners) listener();
    }
    throw error;
  }
  if (payload === null) {
    throw new ApiError(response.status, {
      code: 'bad_response',
      message: 'The shop sent an answer we could not read. Please try again.',
      details: {},
    });
  }
  return payload as T;
}

const enc = encodeURIComponent;

function pageQuery(q: PageQuery | undefined): Query {
  return { limit: q?.limit, cursor: q?.cursor ?? undefined };
}

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
// Auth

export const register = (body: RegisterRequest) => request<Session>('POST', '/auth/register', { body });
export const login = (body: LoginRequest) => request<Session>('POST', '/auth/login', { body });
export const me = (signal?: AbortSignal) => request<User>('GET', '/auth/me', signal ? { signal } : {});

// ---------------------------------------------------------------------------------------------
// Catalog and inventory

export const listProducts = (q?: ProductQuery, signal?: AbortSignal) =>
  request<Page<Product>>('GET', '/products', {
    query: { search: q?.search, ...pageQuery(q) },
    ...(signal && { signal }),
  });
export const getProduct = (id: string, signal?: AbortSignal) =>
  request<Product>('GET', `/products/${enc(id)}`, signal ? { signal } : {});
export const createProduct = (body: CreateProductRequest) => request<Product>('POST', '/products', { body });
export const updateProduct = (id: string, body: UpdateProductRequest) =>
  request<Product>('PATCH', `/products/${enc(id)}`, { body });
export const adjustStock = (id: string, body: StockAdjustment) =>
  request<StockLevel>('POST', `/products/${enc(id)}/stock`, { body });
export const listInventory = (q?: InventoryQuery, signal?: AbortSignal) =>
  request<{ items: InventoryRow[] }>('GET', '/admin/inventory', {
    query: { search: q?.search, lowStock: q?.lowStock ? 'true' : undefined },
    ...(signal && { signal }),
  });

// ---------------------------------------------------------------------------------------------
// Cart and checkout

export const getCart = (signal?: AbortSignal) => request<Cart>('GET', '/cart', signal ? { signal } : {});
export const addToCart = (productId: string, quantity: number) =>
  request<Cart>('POST', '/cart/items', { body: { productId, quantity } });
export const setCartQuantity = (productId: string, quantity: number) =>
  request<Cart>('PUT', `/cart/items/${enc(productId)}`, { body: { quantity } });
export const removeFromCart = (productId: string) => request<Cart>('DELETE', `/cart/items/${enc(productId)}`);
/** Places the order. Reuse `idempotencyKey` when retrying the same attempt after no answer. */
export const checkout = (body: CheckoutRequest, idempotencyKey: string) =>
  request<Order>('POST', '/cart/checkout', { body, headers: { 'Idempotency-Key': idempotencyKey } });

// ---------------------------------------------------------------------------------------------
// Orders

export const listOrders = (q?: PageQuery, signal?: AbortSignal) =>
  request<Page<OrderSummary>>('GET', '/orders', { query: pageQuery(q), ...(signal && { signal }) });
export const getOrder = (id: string, signal?: AbortSignal) =>
  request<Order>('GET', `/orders/${enc(id)}`, signal ? { signal } : {});
export const getTimeline = (id: string, signal?: AbortSignal) =>
  request<Timeline>('GET', `/orders/${enc(id)}/timeline`, signal ? { signal } : {});
export const modifyOrder = (id: string, body: ModifyOrderRequest) =>
  request<Order>('PATCH', `/orders/${enc(id)}`, { body });
export const cancelOrder = (id: string, reason: string) =>
  request<Order>('POST', `/orders/${enc(id)}/cancel`, { body: { reason } });

// ---------------------------------------------------------------------------------------------
// Admin

export const listAdminOrders = (q: AdminOrderQuery, signal?: AbortSignal) =>
  request<Page<AdminOrderSummary>>('GET', '/admin/orders', {
    query: {
      status: q.status,
      customerId: q.customerId,
      from: q.from,
      to: q.to,
      q: q.q,
      sort: q.sort,
      order: q.order,
      ...pageQuery(q),
    },
    ...(signal && { signal }),
  });
export const adminConfirm = (id: string) =>
  request<Order>('POST', `/admin/orders/${enc(id)}/confirm`, { body: {} });
export const adminShip = (id: string, body: ShipRequest) =>
  request<Order>('POST', `/admin/orders/${enc(id)}/ship`, { body });
export const adminDeliver = (id: string) =>
  request<Order>('POST', `/admin/orders/${enc(id)}/deliver`, { body: {} });
export const adminCancel = (id: string, reason: string) =>
  request<Order>('POST', `/admin/orders/${enc(id)}/cancel`, { body: { reason } });
/** Refunds part of an order. Reuse `idempotencyKey` when retrying the same refund after no answer. */
export const adminRefund = (id: string, body: RefundRequest, idempotencyKey?: string) =>
  request<Order>('POST', `/admin/orders/${enc(id)}/refund`, {
    body,
    ...(idempotencyKey && { headers: { 'Idempotency-Key': idempotencyKey } }),
  });
export const getStats = (signal?: AbortSignal) =>
  request<Stats>('GET', '/admin/stats', signal ? { signal } : {});
export const listNotifications = (q?: PageQuery, signal?: AbortSignal) =>
  request<Page<NotificationSummary>>('GET', '/admin/notifications', {
    query: pageQuery(q),
    ...(signal && { signal }),
  });
export const getNotification = (id: string, signal?: AbortSignal) =>
  request<NotificationDetail>('GET', `/admin/notifications/${enc(id)}`, signal ? { signal } : {});
export const resendNotification = (id: string) =>
  request<NotificationSummary>('POST', `/admin/notifications/${enc(id)}/resend`, { body: {} });

// ---------------------------------------------------------------------------------------------
// Live events

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
  if (typeof EventSource === 'undefined') return () => {};
  const token = withOrders ? getToken() : null;
  const url = buildUrl('/events/stream', token ? { token } : undefined);
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
