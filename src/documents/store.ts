/** The documents context's SQL: the shop's details, the number counters, invoices and credit notes. */
import type { Db } from '../platform/db.ts';
import { takeLock } from '../platform/locks.ts';
import { CreditNoteData, InvoiceData, type DocumentSeries, type ShopDetails } from './model.ts';

const shopColumns = [
  'legal_name',
  'address',
  'tax_id',
  'registration_number',
  'contact_email',
  'invoice_footer',
  'attach_invoice_to_confirmation',
] as const;

const toShopRow = (details: ShopDetails) => ({
  legal_name: details.legalName,
  address: details.address,
  tax_id: details.taxId,
  registration_number: details.registrationNumber,
  contact_email: details.contactEmail,
  invoice_footer: details.invoiceFooter,
  attach_invoice_to_confirmation: details.attachInvoiceToConfirmation,
});

export async function shopDetails(db: Db): Promise<ShopDetails | undefined> {
  const row = await db.selectFrom('shop_details').select(shopColumns).executeTakeFirst();
  return (
    row && {
      legalName: row.legal_name,
      address: row.address,
      taxId: row.tax_id,
      registrationNumber: row.registration_number,
      contactEmail: row.contact_email,
      invoiceFooter: row.invoice_footer,
      attachInvoiceToConfirmation: row.attach_invoice_to_confirmation,
    }
  );
}

export async function saveShopDetails(db: Db, details: ShopDetails): Promise<void> {
  const row = toShopRow(details);
  await db
    .insertInto('shop_details')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet({ ...row, updated_at: new Date() }))
    .execute();
}

/** Writes the details only where there are none yet; whether it did. */
export async function insertShopDetailsIfMissing(db: Db, details: ShopDetails): Promise<boolean> {
  const inserted = await db
    .insertInto('shop_details')
    .values(toShopRow(details))
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/**
 * The next number of a series in a year, one more than the last. The counter row stays locked
 * until the transaction ends: a concurrent issuer waits for it, and a rollback takes the number
 * back with everything else, so the numbers have no gaps and no duplicates (ADR 0029).
 */
export async function nextNumber(trx: Db, series: DocumentSeries, year: number): Promise<number> {
  return nextNumbers(trx, series, year, 1);
}

/** Takes `count` numbers of the series and year at once; returns the last of them. */
export async function nextNumbers(
  trx: Db,
  series: DocumentSeries,
  year: number,
  count: number,
): Promise<number> {
  takeLock(trx, 'document_number');
  const row = await trx
    .insertInto('document_counter')
    .values({ series, year, last_number: count })
    .onConflict((oc) =>
      oc
        .columns(['series', 'year'])
        .doUpdateSet((eb) => ({ last_number: eb('document_counter.last_number', '+', count) })),
    )
    .returning('last_number')
    .executeTakeFirstOrThrow();
  return row.last_number;
}

export interface InvoiceRow {
  id: string;
  orderId: string;
  number: string;
  issuedAt: Date;
  currency: string;
  total: number;
  data: InvoiceData;
}

export interface CreditNoteRow {
  id: string;
  invoiceId: string;
  orderId: string;
  refundId: string;
  number: string;
  issuedAt: Date;
  currency: string;
  amount: number;
  data: CreditNoteData;
}

/** The numbers of the invoices these orders already have. */
export function invoicesOf(
  db: Db,
  orderIds: readonly string[],
): Promise<Array<{ orderId: string; number: string }>> {
  if (orderIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('invoice')
    .select(['order_id as orderId', 'number'])
    .where('order_id', 'in', [...orderIds])
    .execute();
}

export async function invoiceOf(db: Db, orderId: string): Promise<InvoiceRow | undefined> {
  const row = await db
    .selectFrom('invoice')
    .select(['id', 'order_id', 'number', 'issued_at', 'currency', 'total_minor', 'data'])
    .where('order_id', '=', orderId)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      orderId: row.order_id,
      number: row.number,
      issuedAt: new Date(row.issued_at),
      currency: row.currency,
      total: row.total_minor,
      data: InvoiceData.parse(row.data),
    }
  );
}

export async function insertInvoices(
  trx: Db,
  invoices: ReadonlyArray<Omit<InvoiceRow, 'data'> & { data: InvoiceData }>,
): Promise<void> {
  if (invoices.length === 0) return;
  await trx
    .insertInto('invoice')
    .values(
      invoices.map((invoice) => ({
        id: invoice.id,
        order_id: invoice.orderId,
        number: invoice.number,
        issued_at: invoice.issuedAt,
        currency: invoice.currency,
        total_minor: invoice.total,
        data: JSON.stringify(invoice.data),
      })),
    )
    .execute();
}

const creditNoteColumns = [
  'id',
  'invoice_id',
  'order_id',
  'refund_id',
  'number',
  'issued_at',
  'currency',
  'amount_minor',
  'data',
] as const;

type CreditNoteSelect = {
  id: string;
  invoice_id: string;
  order_id: string;
  refund_id: string;
  number: string;
  issued_at: Date | string;
  currency: string;
  amount_minor: number;
  data: Record<string, unknown>;
};

const toCreditNote = (row: CreditNoteSelect): CreditNoteRow => ({
  id: row.id,
  invoiceId: row.invoice_id,
  orderId: row.order_id,
  refundId: row.refund_id,
  number: row.number,
  issuedAt: new Date(row.issued_at),
  currency: row.currency,
  amount: row.amount_minor,
  data: CreditNoteData.parse(row.data),
});

/** An order's credit notes, oldest first. */
export async function creditNotesOf(db: Db, orderId: string): Promise<CreditNoteRow[]> {
  const rows = await db
    .selectFrom('credit_note')
    .select(creditNoteColumns)
    .where('order_id', '=', orderId)
    .orderBy('issued_at')
    .orderBy('number')
    .execute();
  return rows.map(toCreditNote);
}

export async function creditNote(db: Db, orderId: string, id: string): Promise<CreditNoteRow | undefined> {
  const row = await db
    .selectFrom('credit_note')
    .select(creditNoteColumns)
    .where('order_id', '=', orderId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toCreditNote(row);
}

export async function hasCreditNoteFor(db: Db, refundId: string): Promise<boolean> {
  const row = await db
    .selectFrom('credit_note')
    .select('id')
    .where('refund_id', '=', refundId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertCreditNote(trx: Db, note: CreditNoteRow): Promise<void> {
  await trx
    .insertInto('credit_note')
    .values({
      id: note.id,
      invoice_id: note.invoiceId,
      order_id: note.orderId,
      refund_id: note.refundId,
      number: note.number,
      issued_at: note.issuedAt,
      currency: note.currency,
      amount_minor: note.amount,
      data: JSON.stringify(note.data),
    })
    .execute();
}
