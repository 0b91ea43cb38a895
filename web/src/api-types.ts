/**
 * Request and response shapes of the Orderly REST API (`/api/v1`), as the storefront and the
 * admin dashboard use them. Money is a decimal number plus an ISO 4217 `currency`; timestamps
 * are ISO 8601 strings. A later task will generate these from `docs/api/openapi.yaml`.
 */

// ---------------------------------------------------------------------------------------------
// Errors

/** Every error answer of the API. */
export interface ErrorBody {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

export interface ValidationIssue {
  path: string;
  message: string;
}

export interface StockShortage {
  productId: string;
  requested: number;
  available: number;
}

export interface PriceChange {
  productId: string;
  expected: number;
  current: number;
}

// ---------------------------------------------------------------------------------------------
// Auth

export type Role = 'customer' | 'admin';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  phone: string | null;
}

export interface Session {
  token: string;
  user: User;
}

export interface RegisterRequest {
  email: string;
  password: string;
  name: string;
  phone?: string;
}

export interface LoginRequest {
  email: string;
  password: string;
}

// ---------------------------------------------------------------------------------------------
// Catalog and inventory

export interface Product {
  id: string;
  sku: string;
  name: string;
  description: string;
  price: number;
  currency: string;
  imageUrl: string | null;
  available: number;
  lowStock: boolean;
  active: boolean;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageQuery {
  limit?: number;
  cursor?: string | null;
}

export interface ProductQuery extends PageQuery {
  search?: string;
}

export interface CreateProductRequest {
  sku: string;
  name: string;
  description?: string;
  price: number;
  currency?: string;
  imageUrl?: string | null;
  initialStock?: number;
}

export interface UpdateProductRequest {
  name?: string;
  description?: string;
  price?: number;
  imageUrl?: string | null;
  active?: boolean;
}

export interface StockAdjustment {
  operation: 'set' | 'add';
  quantity: number;
}

export interface StockLevel {
  productId: string;
  onHand: number;
  reserved: number;
  available: number;
  lowStock: boolean;
}

export interface InventoryRow extends StockLevel {
  sku: string;
  name: string;
}

export interface InventoryQuery {
  search?: string;
  lowStock?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Cart and checkout

export type CartWarningCode = 'insufficient_stock' | 'out_of_stock' | 'unavailable';

export interface CartWarning {
  code: CartWarningCode;
  message: string;
  available: number;
}

export interface CartItem {
  productId: string;
  name: string;
  quantity: number;
  price: number;
  currency: string;
  imageUrl: string | null;
  available: number;
  priceChanged: { from: number; to: number } | null;
  warning: CartWarning | null;
}

export interface Cart {
  items: CartItem[];
  subtotal: number;
  currency: string;
}

export interface Address {
  street: string;
  city: string;
  state: string;
  zip: string;
  country?: string | null;
}

export interface PaymentMethod {
  type: 'card';
  token: string;
}

export interface CheckoutRequest {
  shippingAddress: Address;
  paymentMethod: PaymentMethod;
  /** the subtotal the shopper saw; the server answers 409 `price_changed` when it differs */
  expectedTotal?: number;
}

// ---------------------------------------------------------------------------------------------
// Orders

export type OrderStatus = 'pending' | 'confirmed' | 'shipped' | 'delivered' | 'cancelled';
export type PaymentStatus =
  'pending' | 'requires_action' | 'paid' | 'failed' | 'partially_refunded' | 'refunded';
export type OrderActionName = 'modify' | 'cancel' | 'confirm' | 'ship' | 'deliver' | 'refund';
export type Actor = 'customer' | 'admin' | 'system';

export interface ActionAvailability {
  allowed: boolean;
  reason: string | null;
}

export interface OrderLine {
  productId: string;
  name: string;
  quantity: number;
  price: number;
}

export interface Order {
  id: string;
  customerId: string;
  status: OrderStatus;
  items: OrderLine[];
  total: number;
  currency: string;
  shippingAddress: Address;
  payment: {
    status: PaymentStatus;
    amountPaid: number;
    amountRefunded: number;
    /** present while a card authentication (3-D Secure) must be completed */
    clientSecret?: string;
  };
  trackingNumber: string | null;
  carrier: string | null;
  cancellationReason: string | null;
  createdAt: string;
  updatedAt: string;
  actions: Record<OrderActionName, ActionAvailability>;
}

export interface OrderSummary {
  id: string;
  status: OrderStatus;
  total: number;
  currency: string;
  itemCount: number;
  createdAt: string;
}

export type TimelineEntryType = 'status' | 'modification' | 'payment' | 'refund' | 'note';

export interface TimelineEntry {
  at: string;
  type: TimelineEntryType;
  status: string | null;
  actor: Actor;
  summary: string;
}

export interface Timeline {
  items: TimelineEntry[];
}

export interface ModifyOrderRequest {
  items?: { productId: string; quantity: number }[];
  shippingAddress?: Address;
  /** pays the difference when the new total is higher (else 422 `payment_method_required`) */
  paymentMethod?: PaymentMethod;
}

// ---------------------------------------------------------------------------------------------
// Admin

export interface AdminOrderSummary {
  id: string;
  customerId: string;
  customerEmail: string;
  status: OrderStatus;
  total: number;
  currency: string;
  paymentStatus: PaymentStatus;
  createdAt: string;
}

export type AdminOrderSort = 'createdAt' | 'total';

export interface AdminOrderQuery extends PageQuery {
  status?: OrderStatus | '';
  customerId?: string;
  from?: string;
  to?: string;
  q?: string;
  sort?: AdminOrderSort;
  order?: 'asc' | 'desc';
}

export interface ShipRequest {
  trackingNumber: string;
  carrier: string;
}

export interface RefundRequest {
  amount: number;
  reason?: string;
}

export interface StatsBucket {
  orders: number;
  revenue: number;
}

export interface Stats {
  currency: string;
  today: StatsBucket;
  week: StatsBucket;
  successRate: number;
  perDay: { date: string; orders: number; revenue: number }[];
}

export type NotificationStatus = 'pending' | 'sent' | 'failed';

export interface NotificationSummary {
  id: string;
  channel: 'email' | 'sms';
  recipient: string;
  subject: string;
  template: string;
  status: NotificationStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface NotificationDetail extends NotificationSummary {
  html: string | null;
  text: string | null;
}

// ---------------------------------------------------------------------------------------------
// Live events (Server-Sent Events on /api/v1/events/stream)

export interface StockEvent {
  productId: string;
  onHand: number;
  reserved: number;
  available: number;
}

export interface OrderEvent {
  orderId: string;
  /** the new status for status changes; null for other events (payments, refunds, changes) */
  status: OrderStatus | null;
  /** the domain event, e.g. OrderPlaced, OrderShipped, PaymentProcessed, RefundIssued */
  type: string;
}
