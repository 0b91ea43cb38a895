import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/**
 * The tables as Kysely sees them: a typed mirror of `migrations/`. Each context's `store.ts`
 * touches only its own tables; this file is the one place they are declared.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

type StaffRoleColumn = 'owner' | 'staff' | 'support';

export interface AccountTable {
  id: Generated<string>;
  email: string;
  name: string;
  phone: string | null;
  role: 'customer' | 'admin' | 'guest';
  /** null for a guest, and for a staff member who has not yet taken their invitation */
  password_hash: string | null;
  token_version: Generated<number>;
  /** an admin's role on the staff (migration 0024); null for everyone else */
  staff_role: ColumnType<StaffRoleColumn | null, StaffRoleColumn | null | undefined, StaffRoleColumn | null>;
  /** when a staff member was deactivated: they can no longer sign in */
  deactivated_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AppSecretTable {
  name: string;
  value: string;
  created_at: Timestamp;
}

export interface PasswordResetTable {
  id: Generated<string>;
  account_id: string;
  token_hash: string;
  expires_at: Date | string;
  used_at: Date | string | null;
  created_at: Timestamp;
}

export interface LoginThrottleTable {
  email: string;
  failures: number;
  blocked_until: Date | string | null;
  updated_at: Timestamp;
}

export interface AccountAddressTable {
  id: Generated<string>;
  account_id: string;
  label: string | null;
  recipient: string | null;
  phone: string | null;
  street: string;
  city: string;
  state: string;
  zip: string;
  country: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ProductTable {
  id: Generated<string>;
  sku: string;
  name: string;
  description: Generated<string>;
  price_minor: number;
  currency: string;
  image_url: string | null;
  active: Generated<boolean>;
  category_id: string | null;
  /** the product's images in order; `image_url` is the first one's url */
  images: JSONColumnType<Array<{ url: string; alt: string }>, string | undefined, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CategoryTable {
  id: Generated<string>;
  parent_id: string | null;
  name: string;
  slug: string;
  position: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ProductOptionTable {
  product_id: string;
  position: number;
  name: string;
  values: string[];
}

export interface ProductVariantTable {
  id: Generated<string>;
  product_id: string;
  sku: string;
  /** option name → value, e.g. {"Size": "M", "Colour": "Blue"}; {} for a default variant */
  options: JSONColumnType<Record<string, string>, string | undefined, string>;
  title: Generated<string>;
  price_minor: number;
  weight_grams: Generated<number>;
  tax_category: string | null;
  position: Generated<number>;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface StockLevelTable {
  variant_id: string;
  location_id: string;
  product_id: string;
  on_hand: number;
  reserved: Generated<number>;
  low_stock_threshold: Generated<number>;
  updated_at: Timestamp;
}

export interface StockReservationTable {
  id: Generated<string>;
  order_id: string;
  variant_id: string;
  quantity: number;
  status: 'active' | 'committed' | 'released';
  expires_at: Date | string;
  created_at: Timestamp;
  location_id: string;
  shipped: Generated<number>;
  restocked: Generated<number>;
}

export interface StockLocationTable {
  id: string;
  name: string;
  code: string;
  priority: number;
  active: Generated<boolean>;
  created_at: Timestamp;
}

export interface InventorySettingTable {
  id: Generated<boolean>;
  allocation_rule: Generated<'priority' | 'whole_order'>;
  updated_at: Timestamp;
}

export interface StockTransferTable {
  id: string;
  from_location_id: string;
  to_location_id: string;
  note: string | null;
  actor_id: string;
  created_at: Timestamp;
}

export interface StockTransferLineTable {
  transfer_id: string;
  variant_id: string;
  quantity: number;
}

export interface ShippingAddressJson {
  /** the recipient; orders placed without one are shipped to the customer's name */
  name?: string | undefined;
  phone?: string | undefined;
  street: string;
  city: string;
  /** absent where the country has none */
  state?: string | undefined;
  zip: string;
  /** ISO 3166-1 alpha-2; orders placed before it was asked for are in the US */
  country?: string | undefined;
}

export interface OrdersTable {
  id: string;
  /** the number people quote (#1001), from a sequence at insert */
  number: Generated<number>;
  customer_id: string;
  /** the customer's email when the order was placed */
  customer_email: string;
  status:
    | 'draft'
    | 'pending'
    | 'confirmed'
    | 'partially_shipped'
    | 'shipped'
    | 'partially_delivered'
    | 'delivered'
    | 'cancelled';
  currency: string;
  total_minor: number;
  shipping_address: JSONColumnType<ShippingAddressJson, string, string>;
  payment_status: Generated<
    'pending' | 'requires_action' | 'paid' | 'failed' | 'partially_refunded' | 'refunded'
  >;
  cancellation_reason: string | null;
  tracking_number: string | null;
  carrier: string | null;
  subtotal_minor: number;
  discount_minor: Generated<number>;
  tax_minor: Generated<number>;
  prices_include_tax: Generated<boolean>;
  shipping_method_id: string | null;
  shipping_name: string | null;
  shipping_price_minor: Generated<number>;
  shipping_discount_minor: Generated<number>;
  shipping_tax_rate_basis_points: Generated<number>;
  shipping_tax_minor: Generated<number>;
  shipping_total_minor: Generated<number>;
  discount_code: string | null;
  /** the discount rule the order was priced with (docs/pricing.md), null without a code */
  discount_rule: ColumnType<DiscountRuleJson | null, string | null | undefined, string | null>;
  /** the destination's tax rates when the order was priced, for pricing a change the same way */
  tax_rates: ColumnType<TaxRuleJson[], string | undefined, string>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** until when a pending order waits for its payment link to be paid; null unless a link was sent */
  payment_link_expires_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** A discount rule as an order keeps it (`orders/totals.ts` DiscountRule). */
export type DiscountRuleJson =
  | { kind: 'percentage'; basisPoints: number }
  | { kind: 'fixed'; amountMinor: number }
  | { kind: 'free_shipping' };

/** A tax rate as an order keeps it (`orders/totals.ts` TaxRule). */
export interface TaxRuleJson {
  name: string;
  rateBasisPoints: number;
  category: string | null;
}

export interface OrderTaxLineTable {
  order_id: string;
  name: string;
  rate_basis_points: number;
  base_minor: number;
  amount_minor: number;
}

export interface OrderLineTable {
  id: Generated<string>;
  order_id: string;
  product_id: string;
  variant_id: string;
  name: string;
  variant_title: Generated<string>;
  sku: string;
  discount_minor: Generated<number>;
  tax_rate_basis_points: Generated<number>;
  tax_minor: Generated<number>;
  tax_category: string | null;
  total_minor: number;
  unit_price_minor: number;
  quantity: number;
}

export interface ShipmentTable {
  id: string;
  order_id: string;
  /** 1, 2, … within the order */
  number: number;
  location_id: string;
  carrier: string;
  tracking_number: string;
  tracking_url: string | null;
  status: Generated<'shipped' | 'delivered'>;
  shipped_at: Generated<Date>;
  delivered_at: Date | null;
  created_by: string | null;
  /** the Idempotency-Key it was made with, unique within the order; null without one */
  idempotency_key: string | null;
  /** the SHA-256 of the request made with that key */
  request_hash: string | null;
}

export interface ShipmentLineTable {
  shipment_id: string;
  order_line_id: string;
  variant_id: string;
  quantity: number;
}

export interface OrderHistoryTable {
  id: Generated<number>;
  order_id: string;
  at: Timestamp;
  type: 'status' | 'modification' | 'payment' | 'refund' | 'note';
  status: string | null;
  actor: 'customer' | 'admin' | 'system';
  actor_id: string | null;
  summary: string;
  details: JSONColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface CartItemTable {
  customer_id: string;
  variant_id: string;
  quantity: number;
  price_when_added_minor: number;
  added_at: Timestamp;
}

export interface PaymentTable {
  id: Generated<string>;
  order_id: string;
  provider: string;
  provider_payment_id: string | null;
  idempotency_key: string;
  amount_minor: number;
  currency: string;
  status: 'requires_action' | 'succeeded' | 'failed';
  refunded_minor: Generated<number>;
  failure_code: string | null;
  failure_message: string | null;
  /** how an offline payment was taken; only for the provider `offline` */
  offline_method: 'cash' | 'bank_transfer' | 'card_terminal' | 'other' | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RefundTable {
  id: Generated<string>;
  payment_id: string;
  order_id: string;
  amount_minor: number;
  status: 'pending' | 'succeeded' | 'failed';
  provider_refund_id: string | null;
  idempotency_key: string;
  reason: string | null;
  created_at: Timestamp;
  attempts: Generated<number>;
  /** when the retry job takes a pending refund up next; null: at once */
  next_attempt_at: Timestamp | null;
  last_error: string | null;
  /** why a refund ended `failed`: `refused` by the gateway, or `unavailable` after the last attempt */
  failure_code: string | null;
  updated_at: Timestamp;
}

export interface IdempotencyKeyTable {
  customer_id: string;
  key: string;
  request_hash: string;
  order_id: string | null;
  response_status: number | null;
  response_body: ColumnType<unknown, string | null | undefined, string | null>;
  created_at: Timestamp;
}

export interface OutboxTable {
  sequence: Generated<number>;
  id: Generated<string>;
  type: string;
  context: string;
  aggregate_id: string;
  payload: JSONColumnType<Record<string, unknown>, string, string>;
  occurred_at: Timestamp;
  dispatched_at: Date | null;
  attempts: Generated<number>;
  last_error: string | null;
  /** set once the NATS relay has the broker's ack (migration 0004) */
  published_at: Date | null;
}

export interface SandboxChargeTable {
  idempotency_key: string;
  payment_id: string;
  order_id: string;
  amount_minor: number;
  currency: string;
  status: 'succeeded' | 'failed';
  refunded_minor: Generated<number>;
  created_at: Timestamp;
}

export interface SandboxRefundTable {
  idempotency_key: string;
  refund_id: string;
  payment_id: string;
  amount_minor: number;
}

export interface DiscountCodeTable {
  id: Generated<string>;
  /** upper case: codes are matched case-insensitively */
  code: string;
  kind: 'percentage' | 'fixed' | 'free_shipping';
  basis_points: number | null;
  amount_minor: number | null;
  currency: string;
  minimum_subtotal_minor: number | null;
  starts_at: Date | string | null;
  ends_at: Date | string | null;
  usage_limit: number | null;
  per_customer_limit: number | null;
  /** the uses counted on the row; a code's uses are this plus its `discount_code_use` rows */
  times_used: Generated<number>;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Counter rows for the uses of a code with no limit (ADR 0037), up to sixteen per code. */
export interface DiscountCodeUseTable {
  code_id: string;
  shard: number;
  uses: number;
}

export interface DiscountRedemptionTable {
  id: Generated<string>;
  code_id: string;
  order_id: string;
  customer_id: string;
  status: 'active' | 'released';
  created_at: Timestamp;
  released_at: Date | string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string;
  details: JSONColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface NotificationTable {
  id: string;
  event_id: string;
  order_id: string | null;
  channel: 'email' | 'sms';
  recipient: string;
  template: string;
  subject: string | null;
  body_html: string | null;
  body_text: string;
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  provider: string | null;
  provider_message_id: string | null;
  created_at: Timestamp;
  sent_at: Date | null;
}

export interface WebhookEventTable {
  provider: string;
  event_id: string;
  type: string;
  received_at: Timestamp;
}

export interface ShippingZoneTable {
  id: Generated<string>;
  name: string;
  created_at: Timestamp;
}

export interface ShippingZoneAreaTable {
  zone_id: string;
  country: string;
  /** upper-cased, as the address's `state`; null: the whole country */
  region: string | null;
}

export interface WeightBandJson {
  upToGrams: number;
  priceMinor: number;
}

export interface ShippingMethodTable {
  id: Generated<string>;
  zone_id: string;
  name: string;
  kind: 'flat' | 'free_above' | 'weight_bands';
  /** flat and free_above; null for weight_bands (CHECK rate_columns_match_kind) */
  price_minor: number | null;
  free_above_minor: number | null;
  bands: ColumnType<WeightBandJson[] | null, string | null | undefined, string | null>;
  active: Generated<boolean>;
  position: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TaxRateTable {
  id: Generated<string>;
  zone_id: string;
  /** null: the zone's standard rate */
  category: string | null;
  name: string;
  rate_basis_points: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** The orders context's per-customer figures (migration 0016): paid orders, spent net of refunds. */
export interface CustomerOrderSummaryTable {
  customer_id: string;
  orders_count: number;
  total_spent_minor: number;
  last_order_at: Timestamp;
  updated_at: Timestamp;
}

/** An outgoing webhook's receiver (migration 0023). */
export interface WebhookEndpointTable {
  id: string;
  url: string;
  description: Generated<string>;
  event_types: string[];
  secret: string;
  enabled: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WebhookDeliveryTable {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  event_created_at: Date | string;
  data: JSONColumnType<Record<string, unknown>, string, string>;
  replay_of: string | null;
  status: Generated<'pending' | 'delivered' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: Date | string;
  created_at: Date | string;
  delivered_at: Date | string | null;
}

export interface WebhookAttemptTable {
  id: string;
  delivery_id: string;
  attempt: number;
  started_at: Date | string;
  duration_ms: number;
  outcome: 'delivered' | 'http_error' | 'timeout' | 'network_error' | 'refused';
  status_code: number | null;
  error: string | null;
  response_body: string | null;
}

/** The documents context (migration 0022): the shop's details, one row. */
export interface ShopDetailsTable {
  id: Generated<boolean>;
  legal_name: string;
  address: string;
  tax_id: Generated<string>;
  registration_number: Generated<string>;
  contact_email: Generated<string>;
  invoice_footer: Generated<string>;
  attach_invoice_to_confirmation: Generated<boolean>;
  updated_at: Timestamp;
}

/** The last number given in a document series and year; locked and raised by the issuing transaction. */
export interface DocumentCounterTable {
  series: 'invoice' | 'credit_note';
  year: number;
  last_number: number;
}

/** An issued invoice: `data` is the document as issued (documents/model.ts InvoiceData). */
export interface InvoiceTable {
  id: string;
  order_id: string;
  number: string;
  issued_at: Timestamp;
  currency: string;
  total_minor: number;
  data: JSONColumnType<Record<string, unknown>, string, string>;
}

/** An issued credit note, one per refund: `data` is documents/model.ts CreditNoteData. */
export interface CreditNoteTable {
  id: string;
  invoice_id: string;
  order_id: string;
  refund_id: string;
  number: string;
  issued_at: Timestamp;
  currency: string;
  amount_minor: number;
  data: JSONColumnType<Record<string, unknown>, string, string>;
}

/** The returns context (migration 0021): the shop's return policy, returns and their lines. */
export interface ReturnPolicyTable {
  id: Generated<boolean>;
  window_days: number;
  refund_shipping: boolean;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface ReturnRequestTable {
  id: string;
  order_id: string;
  order_number: number;
  number: number;
  status: Generated<'requested' | 'approved' | 'rejected' | 'received' | 'refunded' | 'closed' | 'cancelled'>;
  reason: 'wrong_size' | 'damaged' | 'not_as_described' | 'changed_mind' | 'other';
  note: string | null;
  rejection_reason: string | null;
  refund_minor: number | null;
  shipping_refund_minor: Generated<number>;
  exchange_charge_minor: Generated<number>;
  exchange_charge_key: string | null;
  replacement_location_id: string | null;
  replacement_carrier: string | null;
  replacement_tracking_number: string | null;
  replacement_tracking_url: string | null;
  replacement_shipped_at: Timestamp | null;
  cancelled_by: 'customer' | 'admin' | null;
  cancellation_reason: string | null;
  cancel_started_at: Timestamp | null;
  requested_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ReturnLineTable {
  return_id: string;
  order_line_id: string;
  variant_id: string;
  name: string;
  variant_title: string;
  sku: string;
  quantity: number;
  disposition: 'restock' | 'write_off' | null;
  location_id: string | null;
  refund_minor: number | null;
  replacement_variant_id: string | null;
  replacement_name: string | null;
  replacement_variant_title: string | null;
  replacement_sku: string | null;
  replacement_unit_price_minor: number | null;
  difference_minor: number | null;
}

/** A dearer exchange's charge, written before the provider is asked (migration 0033, ADR 0041). */
export interface ReturnExchangeChargeTable {
  idempotency_key: string;
  order_id: string;
  digest: string;
  attempt: number;
  amount_minor: number;
  status: Generated<'open' | 'made' | 'refunding' | 'refunded' | 'not_charged' | 'refund_failed'>;
  return_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** An order change's charge, written before the provider is asked (migration 0034, ADR 0043). */
export interface OrderChangeChargeTable {
  idempotency_key: string;
  order_id: string;
  digest: string;
  attempt: number;
  amount_minor: number;
  status: Generated<'open' | 'made' | 'refunding' | 'refunded' | 'not_charged' | 'refund_failed'>;
  holds_stock: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface Database {
  account: AccountTable;
  app_secret: AppSecretTable;
  password_reset: PasswordResetTable;
  login_throttle: LoginThrottleTable;
  account_address: AccountAddressTable;
  category: CategoryTable;
  product: ProductTable;
  product_option: ProductOptionTable;
  product_variant: ProductVariantTable;
  stock_level: StockLevelTable;
  stock_reservation: StockReservationTable;
  stock_location: StockLocationTable;
  inventory_setting: InventorySettingTable;
  stock_transfer: StockTransferTable;
  stock_transfer_line: StockTransferLineTable;
  orders: OrdersTable;
  order_line: OrderLineTable;
  order_tax_line: OrderTaxLineTable;
  order_history: OrderHistoryTable;
  shipment: ShipmentTable;
  shipment_line: ShipmentLineTable;
  customer_order_summary: CustomerOrderSummaryTable;
  cart_item: CartItemTable;
  payment: PaymentTable;
  refund: RefundTable;
  idempotency_key: IdempotencyKeyTable;
  outbox: OutboxTable;
  sandbox_charge: SandboxChargeTable;
  sandbox_refund: SandboxRefundTable;
  audit_log: AuditLogTable;
  notification: NotificationTable;
  webhook_event: WebhookEventTable;
  shipping_zone: ShippingZoneTable;
  shipping_zone_area: ShippingZoneAreaTable;
  shipping_method: ShippingMethodTable;
  tax_rate: TaxRateTable;
  discount_code: DiscountCodeTable;
  discount_code_use: DiscountCodeUseTable;
  discount_redemption: DiscountRedemptionTable;
  webhook_endpoint: WebhookEndpointTable;
  webhook_delivery: WebhookDeliveryTable;
  webhook_attempt: WebhookAttemptTable;
  shop_details: ShopDetailsTable;
  document_counter: DocumentCounterTable;
  invoice: InvoiceTable;
  credit_note: CreditNoteTable;
  return_policy: ReturnPolicyTable;
  return_request: ReturnRequestTable;
  return_line: ReturnLineTable;
  return_exchange_charge: ReturnExchangeChargeTable;
  order_change_charge: OrderChangeChargeTable;
}
