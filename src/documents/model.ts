/**
 * The documents context's rules: what an invoice, a credit note and a packing slip say, built
 * from an order as plain data. An issued document keeps this data as it was on the day it was
 * issued (ADR 0029), so rendering it years later gives the same document whatever became of the
 * order, the catalog or the shop's details since.
 */
import { z } from 'zod';

/** The shop as it appears at the top of its documents. */
export interface ShopDetails {
  legalName: string;
  /** as printed: one line per line */
  address: string;
  /** VAT number, EIN, GST number: whatever the shop's tax authority gave it */
  taxId: string;
  registrationNumber: string;
  contactEmail: string;
  /** the last words on every invoice: payment terms, a thank-you, the bank details */
  invoiceFooter: string;
  /** attach the invoice PDF to the order confirmation e-mail */
  attachInvoiceToConfirmation: boolean;
}

const Seller = z.object({
  legalName: z.string(),
  address: z.string(),
  taxId: z.string(),
  registrationNumber: z.string(),
  contactEmail: z.string(),
  invoiceFooter: z.string(),
});
/** The seller as printed on an issued document (the switch is not part of a document). */
export type Seller = z.infer<typeof Seller>;

const Party = z.object({ name: z.string(), email: z.string(), addressLines: z.array(z.string()) });
export type Party = z.infer<typeof Party>;

const Minor = z.number().int();

const InvoiceLine = z.object({
  sku: z.string(),
  name: z.string(),
  variantTitle: z.string(),
  quantity: z.number().int(),
  unitPrice: Minor,
  discount: Minor,
  taxRateBasisPoints: z.number().int(),
  tax: Minor,
  total: Minor,
});

const InvoiceTaxLine = z.object({
  name: z.string(),
  rateBasisPoints: z.number().int(),
  base: Minor,
  amount: Minor,
});
export type InvoiceTaxLine = z.infer<typeof InvoiceTaxLine>;

/**
 * An invoice as issued; money in minor units of `currency`. A schema, so that what is read back
 * from the database years later is checked to be what was written.
 */
export const InvoiceData = z.object({
  number: z.string(),
  issuedAt: z.iso.datetime(),
  orderId: z.string(),
  orderNumber: z.number().int(),
  orderDate: z.iso.datetime(),
  currency: z.string(),
  /** whether the line prices already include their tax (then tax lines say how much of them is tax) */
  pricesIncludeTax: z.boolean(),
  seller: Seller,
  buyer: Party,
  shipTo: Party,
  lines: z.array(InvoiceLine),
  shipping: z
    .object({ name: z.string(), price: Minor, discount: Minor, tax: Minor, total: Minor })
    .nullable(),
  taxLines: z.array(InvoiceTaxLine),
  totals: z.object({ subtotal: Minor, discount: Minor, shipping: Minor, tax: Minor, total: Minor }),
});
export type InvoiceData = z.infer<typeof InvoiceData>;

/** A credit note as issued: the money a refund gave back, against the invoice it corrects. */
export const CreditNoteData = z.object({
  number: z.string(),
  issuedAt: z.iso.datetime(),
  invoiceNumber: z.string(),
  invoiceIssuedAt: z.iso.datetime(),
  orderId: z.string(),
  orderNumber: z.number().int(),
  currency: z.string(),
  seller: Seller,
  buyer: Party,
  /** refunds are amounts, not lines: the note credits this much of the invoice's total */
  amount: Minor,
});
export type CreditNoteData = z.infer<typeof CreditNoteData>;

/** What a packing slip shows: what goes in the box and where it goes, no prices. */
export interface PackingSlipData {
  orderNumber: number;
  orderDate: string;
  seller: Pick<Seller, 'legalName' | 'address' | 'contactEmail'>;
  shipTo: Party;
  shippingMethod: string | null;
  /** a slip for one parcel of the order: which, where it leaves from, its tracking; null for the whole order */
  parcel: ParcelForDocuments | null;
  lines: Array<{ sku: string; name: string; variantTitle: string; quantity: number }>;
}

/** One shipment of an order, as its packing slip prints it. */
export interface ParcelForDocuments {
  number: number;
  location: string;
  carrier: string;
  trackingNumber: string;
  lines: Array<{ sku: string; name: string; variantTitle: string; quantity: number }>;
}

export type DocumentSeries = 'invoice' | 'credit_note';

const PREFIX: Record<DocumentSeries, string> = { invoice: 'INV', credit_note: 'CN' };

/** INV-2026-000001: the series, the year it was issued in, and its place in that year. */
export function documentNumber(series: DocumentSeries, year: number, sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1)
    throw new RangeError(`Not a document number: ${sequence}.`);
  return `${PREFIX[series]}-${year}-${String(sequence).padStart(6, '0')}`;
}

/** 2000 → "20%", 825 → "8.25%", 0 → "0%". */
export function formatRate(basisPoints: number): string {
  const whole = Math.trunc(basisPoints / 100);
  const cents = basisPoints % 100;
  if (cents === 0) return `${whole}%`;
  return `${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}%`;
}

export interface AddressInput {
  name?: string | undefined;
  street: string;
  city: string;
  state?: string | undefined;
  zip: string;
  country?: string | undefined;
}

/**
 * An address as lines on paper: street; "city, state zip" where there are states, "zip city"
 * elsewhere; country. The name is the party's.
 */
export function addressLines(address: AddressInput): string[] {
  const place = address.state
    ? `${address.city}, ${address.state} ${address.zip}`
    : `${address.zip} ${address.city}`;
  return [address.street, place.trim(), address.country ?? ''].filter((line) => line !== '');
}

/** The order as this context reads it from the orders context. */
export interface OrderForDocuments {
  id: string;
  number: number;
  createdAt: Date;
  currency: string;
  total: number;
  shippingAddress: AddressInput;
  lines: Array<{
    sku: string;
    name: string;
    variantTitle: string;
    quantity: number;
    unitPrice: number;
    discount: number;
    taxRateBasisPoints: number;
    tax: number;
    total: number;
  }>;
  taxLines: InvoiceTaxLine[];
  pricing: {
    subtotal: number;
    discount: number;
    tax: number;
    pricesIncludeTax: boolean;
    shipping: { name: string; price: number; discount: number; tax: number; total: number } | null;
  };
}

export interface Customer {
  name: string;
  email: string;
}

function sellerOf(shop: ShopDetails): Seller {
  return {
    legalName: shop.legalName,
    address: shop.address,
    taxId: shop.taxId,
    registrationNumber: shop.registrationNumber,
    contactEmail: shop.contactEmail,
    invoiceFooter: shop.invoiceFooter,
  };
}

/** The name on the label: the address's own, else the customer's. */
function shipToOf(order: OrderForDocuments, customer: Customer): Party {
  return {
    name: order.shippingAddress.name ?? customer.name,
    email: '',
    addressLines: addressLines(order.shippingAddress),
  };
}

/**
 * The invoice of an order, as issued now. Every figure is the order's own, as it was priced at
 * placement (orders/totals.ts): an invoice states what was charged, it does not price again.
 */
export function invoiceData(
  order: OrderForDocuments,
  shop: ShopDetails,
  customer: Customer,
  issue: { number: string; issuedAt: Date },
): InvoiceData {
  const shipping = order.pricing.shipping;
  return {
    number: issue.number,
    issuedAt: issue.issuedAt.toISOString(),
    orderId: order.id,
    orderNumber: order.number,
    orderDate: order.createdAt.toISOString(),
    currency: order.currency,
    pricesIncludeTax: order.pricing.pricesIncludeTax,
    seller: sellerOf(shop),
    buyer: { name: customer.name, email: customer.email, addressLines: addressLines(order.shippingAddress) },
    shipTo: shipToOf(order, customer),
    lines: order.lines.map((line) => ({
      sku: line.sku,
      name: line.name,
      variantTitle: line.variantTitle,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      discount: line.discount,
      taxRateBasisPoints: line.taxRateBasisPoints,
      tax: line.tax,
      total: line.total,
    })),
    shipping: shipping && {
      name: shipping.name,
      price: shipping.price,
      discount: shipping.discount,
      tax: shipping.tax,
      total: shipping.total,
    },
    taxLines: order.taxLines.map((t) => ({ ...t })),
    totals: {
      subtotal: order.pricing.subtotal,
      discount: order.pricing.discount,
      // what shipping costs after its discount, before tax: the tax is its own row (orders/totals.ts)
      shipping: shipping ? shipping.price - shipping.discount : 0,
      tax: order.pricing.tax,
      total: order.total,
    },
  };
}

/** The credit note for a refund of `amount`, against the order's invoice. */
export function creditNoteData(
  invoice: InvoiceData,
  amount: number,
  issue: { number: string; issuedAt: Date },
): CreditNoteData {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new RangeError(`Not a refunded amount: ${amount}.`);
  return {
    number: issue.number,
    issuedAt: issue.issuedAt.toISOString(),
    invoiceNumber: invoice.number,
    invoiceIssuedAt: invoice.issuedAt,
    orderId: invoice.orderId,
    orderNumber: invoice.orderNumber,
    currency: invoice.currency,
    seller: invoice.seller,
    buyer: invoice.buyer,
    amount,
  };
}

/**
 * The packing slip of an order as it is now (it travels with the parcel, so it is never stale):
 * every line of the order, or with `parcel` only what that shipment holds.
 */
export function packingSlipData(
  order: OrderForDocuments,
  shop: ShopDetails,
  customer: Customer,
  parcel: ParcelForDocuments | null = null,
): PackingSlipData {
  return {
    orderNumber: order.number,
    orderDate: order.createdAt.toISOString(),
    seller: { legalName: shop.legalName, address: shop.address, contactEmail: shop.contactEmail },
    shipTo: shipToOf(order, customer),
    shippingMethod: order.pricing.shipping?.name ?? null,
    parcel,
    lines: (parcel?.lines ?? order.lines).map((line) => ({
      sku: line.sku,
      name: line.name,
      variantTitle: line.variantTitle,
      quantity: line.quantity,
    })),
  };
}

/** The shop details a new installation starts with, until the admin enters the shop's own. */
export const DEMO_SHOP_DETAILS: ShopDetails = {
  legalName: 'Orderly Demo Shop Ltd',
  address: '1 Market Street\nSan Francisco, CA 94105\nUnited States',
  taxId: 'US-EIN 12-3456789',
  registrationNumber: 'C1234567',
  contactEmail: 'billing@orderly.example',
  invoiceFooter: 'Thank you for your order. Questions about this invoice: billing@orderly.example.',
  attachInvoiceToConfirmation: false,
};
