import type { Migration } from 'kysely';
import { migration as core } from './0001_core.ts';
import { migration as notifications } from './0002_notifications.ts';
import { migration as stripeWebhooks } from './0003_stripe_webhooks.ts';
import { migration as outboxPublishing } from './0004_outbox_publishing.ts';
import { migration as orderNumber } from './0005_order_number.ts';
import { migration as orderCustomerEmail } from './0006_order_customer_email.ts';
import { migration as accounts } from './0007_accounts.ts';
import { migration as refundRetry } from './0008_refund_retry.ts';
import { migration as orderNumbers } from './0009_order_numbers.ts';
import { migration as orderLinePrices } from './0010_order_line_prices.ts';
import { migration as variants } from './0011_variants.ts';
import { migration as shippingTax } from './0012_shipping_tax.ts';
import { migration as discountCodes } from './0013_discount_codes.ts';
import { migration as guestAccounts } from './0014_guest_accounts.ts';
import { migration as catalogCategoriesImages } from './0015_catalog_categories_images.ts';
import { migration as customerOrderSummary } from './0016_customer_order_summary.ts';
import { migration as draftOrders } from './0017_draft_orders.ts';
import { migration as orderTotals } from './0018_order_totals.ts';
import { migration as stockLocations } from './0019_stock_locations.ts';
import { migration as shipments } from './0020_shipments.ts';
import { migration as returns } from './0021_returns.ts';
import { migration as documents } from './0022_documents.ts';
import { migration as webhooks } from './0023_webhooks.ts';
import { migration as staffRoles } from './0024_staff_roles.ts';
import { migration as adminReadIndexes } from './0025_admin_read_indexes.ts';
import { migration as exchanges } from './0026_exchanges.ts';
import { migration as searchTrigrams } from './0027_search_trigrams.ts';
import { migration as discountUseCounters } from './0029_discount_use_counters.ts';
import { migration as shipmentIdempotency } from './0030_shipment_idempotency.ts';
import { migration as returnCancellation } from './0031_return_cancellation.ts';
import { migration as exchangeChargeIntents } from './0033_exchange_charge_intents.ts';
import { migration as orderChangeChargeIntents } from './0034_order_change_charge_intents.ts';

/** Every migration, in order. A new one is a new numbered file added here. */
export const migrations: Record<string, Migration> = {
  '0001_core': core,
  '0002_notifications': notifications,
  '0003_stripe_webhooks': stripeWebhooks,
  '0004_outbox_publishing': outboxPublishing,
  '0005_order_number': orderNumber,
  '0006_order_customer_email': orderCustomerEmail,
  '0007_accounts': accounts,
  '0008_refund_retry': refundRetry,
  '0009_order_numbers': orderNumbers,
  '0010_order_line_prices': orderLinePrices,
  '0011_variants': variants,
  '0012_shipping_tax': shippingTax,
  '0013_discount_codes': discountCodes,
  '0014_guest_accounts': guestAccounts,
  '0015_catalog_categories_images': catalogCategoriesImages,
  '0016_customer_order_summary': customerOrderSummary,
  '0017_draft_orders': draftOrders,
  '0018_order_totals': orderTotals,
  '0019_stock_locations': stockLocations,
  '0020_shipments': shipments,
  '0021_returns': returns,
  '0022_documents': documents,
  '0023_webhooks': webhooks,
  '0024_staff_roles': staffRoles,
  '0025_admin_read_indexes': adminReadIndexes,
  '0026_exchanges': exchanges,
  '0027_search_trigrams': searchTrigrams,
  '0029_discount_use_counters': discountUseCounters,
  '0030_shipment_idempotency': shipmentIdempotency,
  '0031_return_cancellation': returnCancellation,
  '0033_exchange_charge_intents': exchangeChargeIntents,
  '0034_order_change_charge_intents': orderChangeChargeIntents,
};
