import type { Logger } from 'pino';
import { OrderEventEnvelope } from '../orders/events.ts';
import { PaymentEventEnvelope } from '../payment/events.ts';
import type { AuthUser } from '../platform/auth/model.ts';
import { recordAudit } from '../platform/audit.ts';
import type { Db } from '../platform/db.ts';
import { AppError, notFound, unauthorized } from '../platform/errors.ts';
import { uuidv7 } from '../platform/ids.ts';
import type { Subscriber } from '../platform/outbox.ts';
import { parseEnvelope, type DomainEvent } from '../platform/outbox-event.ts';
import {
  DEMO_SHOP_DETAILS,
  creditNoteData,
  documentNumber,
  invoiceData,
  packingSlipData,
  type Customer,
  type OrderForDocuments,
  type ParcelForDocuments,
  type ShopDetails,
} from './model.ts';
import { renderCreditNote, renderInvoice, renderPackingSlip } from './pdf.ts';
import * as store from './store.ts';

/**
 * What this context reads from others, with the connection it is given: the subscriber runs
 * inside the outbox's dispatch transaction (on PGlite, one session, another connection would wait
 * for it forever).
 */
export interface DocumentSources {
  /** by id, in one read for the whole batch */
  orders(
    db: Db,
    orderIds: readonly string[],
  ): Promise<Map<string, OrderForDocuments & { customerId: string; status: string }>>;
  customers(db: Db, customerIds: readonly string[]): Promise<Map<string, Customer>>;
  /** resolves when `user` may see the order (its owner, or an admin); a 404 otherwise */
  authorize(user: AuthUser, orderId: string): Promise<void>;
  /** resolves when `token` is a valid link to this very order (guest checkout); 401 or 404 otherwise */
  authorizeLink(orderId: string, token: string): Promise<void>;
  /** one shipment of the order as `user` may see it, or undefined */
  parcel(user: AuthUser, orderId: string, shipmentId: string): Promise<ParcelForDocuments | undefined>;
}

export interface DocumentFile {
  filename: string;
  pdf: Buffer;
}

export interface DocumentSummary {
  id: string;
  number: string;
  issuedAt: Date;
  currency: string;
  amount: number;
}

/** Until the admin enters the shop's own details: an invoice still says whose shop this is not. */
const UNSET_SHOP: ShopDetails = {
  legalName: 'Shop details not set',
  address: '',
  taxId: '',
  registrationNumber: '',
  contactEmail: '',
  invoiceFooter: '',
  attachInvoiceToConfirmation: false,
};

const noInvoice = (orderId: string) =>
  new AppError(404, 'not_found', 'This order has no invoice: invoices are issued when an order is paid.', {
    orderId,
  });

/**
 * The documents context: invoices issued when an order is confirmed, credit notes for its
 * refunds, packing slips; the shop details printed on them. Invoices and credit notes are
 * issued by the outbox subscriber, inside the dispatch transaction, so each is issued exactly
 * once; their PDFs are drawn on demand from the data kept when they were issued.
 */
export class DocumentService {
  readonly #db: Db;
  readonly #log: Logger;
  readonly #sources: DocumentSources;

  constructor(db: Db, sources: DocumentSources, log: Logger) {
    this.#db = db;
    this.#sources = sources;
    this.#log = log;
  }

  async shopDetails(db: Db = this.#db): Promise<ShopDetails> {
    return (await store.shopDetails(db)) ?? UNSET_SHOP;
  }

  async updateShopDetails(details: ShopDetails, actorId: string): Promise<ShopDetails> {
    await this.#db.transaction().execute(async (trx) => {
      await store.saveShopDetails(trx, details);
      await recordAudit(trx, {
        actorId,
        action: 'shop_details.update',
        targetType: 'shop_details',
        targetId: 'shop',
        details: {
          legalName: details.legalName,
          attachInvoiceToConfirmation: details.attachInvoiceToConfirmation,
        },
      });
    });
    return details;
  }

  /** The demo shop's details, on a database that has none yet; whether it wrote them. */
  seedDemoShopDetails(): Promise<boolean> {
    return store.insertShopDetailsIfMissing(this.#db, DEMO_SHOP_DETAILS);
  }

  // ---------------------------------------------------------------- issuing

  subscriber(): Subscriber {
    return {
      name: 'documents',
      types: ['OrderConfirmed', 'RefundIssued'],
      handle: (events, trx) => this.handle(events, trx),
    };
  }

  /**
   * Issues an invoice for every order the batch confirms and a credit note for every refund, in
   * commit order: the invoices before a credit note are issued first, since it may correct one.
   */
  async handle(events: readonly DomainEvent[], trx: Db): Promise<void> {
    let confirmed: Array<{ orderId: string; issuedAt: Date }> = [];
    for (const event of events) {
      const order = parseEnvelope(OrderEventEnvelope, event);
      if (order?.type === 'OrderConfirmed') {
        confirmed.push({ orderId: order.payload.orderId, issuedAt: new Date(order.payload.timestamp) });
        continue;
      }
      const refunded = parseEnvelope(PaymentEventEnvelope, event);
      if (refunded?.type === 'RefundIssued') {
        await this.issueInvoices(trx, confirmed);
        confirmed = [];
        const { refundId, orderId, amount, timestamp } = refunded.payload;
        await this.issueCreditNote(trx, { refundId, orderId, amount }, new Date(timestamp));
        continue;
      }
      this.#log.error(
        { eventId: event.id, type: event.type },
        'documents: event payload not understood; nothing issued',
      );
    }
    await this.issueInvoices(trx, confirmed);
  }

  /**
   * Issues each order's invoice, numbered in the order given from its own counter in this
   * transaction: a rollback takes the numbers back. An order has one invoice; asking again
   * changes nothing. A few statements whatever the number of orders. Returns the numbers by
   * order id, an invoice issued before included.
   */
  async issueInvoices(
    trx: Db,
    confirmed: ReadonlyArray<{ orderId: string; issuedAt: Date }>,
  ): Promise<Map<string, string>> {
    const numbers = new Map<string, string>();
    if (confirmed.length === 0) return numbers;
    const invoiced = await store.invoicesOf(
      trx,
      confirmed.map((c) => c.orderId),
    );
    for (const invoice of invoiced) numbers.set(invoice.orderId, invoice.number);
    // one invoice per order, at its first confirmation in the batch
    const seen = new Set(numbers.keys());
    const wanted: Array<{ orderId: string; issuedAt: Date }> = [];
    for (const c of confirmed) {
      if (seen.has(c.orderId)) continue;
      seen.add(c.orderId);
      wanted.push(c);
    }
    if (wanted.length === 0) return numbers;
    const orders = await this.#sources.orders(
      trx,
      wanted.map((c) => c.orderId),
    );
    const [customers, shop] = await Promise.all([
      this.#sources.customers(
        trx,
        [...orders.values()].map((o) => o.customerId),
      ),
      this.shopDetails(trx),
    ]);
    const issued = wanted.flatMap(({ orderId, issuedAt }) => {
      const order = orders.get(orderId);
      if (order) return [{ order, issuedAt }];
      this.#log.error({ orderId }, 'documents: order not found; no invoice issued');
      return [];
    });
    // one counter per year: a year's numbers are taken at once, then handed out in order
    const perYear = new Map<number, number>();
    for (const { issuedAt } of issued) {
      const year = issuedAt.getUTCFullYear();
      perYear.set(year, (perYear.get(year) ?? 0) + 1);
    }
    const next = new Map<number, number>();
    for (const [year, count] of perYear) {
      next.set(year, (await store.nextNumbers(trx, 'invoice', year, count)) - count + 1);
    }
    const rows = issued.map(({ order, issuedAt }) => {
      const year = issuedAt.getUTCFullYear();
      const sequence = next.get(year) ?? 1;
      next.set(year, sequence + 1);
      const number = documentNumber('invoice', year, sequence);
      const customer = customers.get(order.customerId) ?? {
        name: order.shippingAddress.name ?? '',
        email: '',
      };
      numbers.set(order.id, number);
      return {
        id: uuidv7(),
        orderId: order.id,
        number,
        issuedAt,
        currency: order.currency,
        total: order.total,
        data: invoiceData(order, shop, customer, { number, issuedAt }),
      };
    });
    await store.insertInvoices(trx, rows);
    if (rows.length > 0) {
      this.#log.info(
        { invoices: rows.length, first: rows[0]?.number, last: rows[rows.length - 1]?.number },
        'documents: invoices issued',
      );
    }
    return numbers;
  }

  /** Issues the credit note of one refund, against the order's invoice; once per refund. */
  async issueCreditNote(
    trx: Db,
    refund: { refundId: string; orderId: string; amount: number },
    issuedAt: Date,
  ): Promise<string | null> {
    if (await store.hasCreditNoteFor(trx, refund.refundId)) return null;
    const invoice = await store.invoiceOf(trx, refund.orderId);
    if (!invoice) {
      // an order confirmed before invoices were issued: there is nothing for a note to correct
      this.#log.warn(
        { orderId: refund.orderId, refundId: refund.refundId },
        'documents: refund of an order without an invoice; no credit note issued',
      );
      return null;
    }
    const year = issuedAt.getUTCFullYear();
    const number = documentNumber('credit_note', year, await store.nextNumber(trx, 'credit_note', year));
    await store.insertCreditNote(trx, {
      id: uuidv7(),
      invoiceId: invoice.id,
      orderId: refund.orderId,
      refundId: refund.refundId,
      number,
      issuedAt,
      currency: invoice.currency,
      amount: refund.amount,
      data: creditNoteData(invoice.data, refund.amount, { number, issuedAt }),
    });
    this.#log.info({ orderId: refund.orderId, creditNote: number }, 'documents: credit note issued');
    return number;
  }

  // ---------------------------------------------------------------- reading

  /** An order's invoice and credit notes, for the admin (permission checked by the route). */
  async documentsOf(
    orderId: string,
  ): Promise<{ invoice: DocumentSummary | null; creditNotes: DocumentSummary[] }> {
    await this.#order(orderId);
    const [invoice, notes] = await Promise.all([
      store.invoiceOf(this.#db, orderId),
      store.creditNotesOf(this.#db, orderId),
    ]);
    return {
      invoice: invoice
        ? {
            id: invoice.id,
            number: invoice.number,
            issuedAt: invoice.issuedAt,
            currency: invoice.currency,
            amount: invoice.total,
          }
        : null,
      creditNotes: notes.map((n) => ({
        id: n.id,
        number: n.number,
        issuedAt: n.issuedAt,
        currency: n.currency,
        amount: n.amount,
      })),
    };
  }

  async invoicePdf(orderId: string): Promise<DocumentFile> {
    const invoice = await store.invoiceOf(this.#db, orderId);
    if (!invoice) throw noInvoice(orderId);
    return { filename: `${invoice.number}.pdf`, pdf: await renderInvoice(invoice.data) };
  }

  /** The shopper's invoice: signed in as the order's owner, or holding the order's link. */
  async shopperInvoicePdf(
    user: AuthUser | null,
    orderId: string,
    token: string | undefined,
  ): Promise<DocumentFile> {
    if (user) await this.#sources.authorize(user, orderId);
    else if (token !== undefined) await this.#sources.authorizeLink(orderId, token);
    else throw unauthorized('Sign in, or open the link from your order e-mail, to download the invoice.');
    return this.invoicePdf(orderId);
  }

  async creditNotePdf(orderId: string, creditNoteId: string): Promise<DocumentFile> {
    const note = await store.creditNote(this.#db, orderId, creditNoteId);
    if (!note) throw notFound('Credit note', creditNoteId);
    return { filename: `${note.number}.pdf`, pdf: await renderCreditNote(note.data) };
  }

  /** The order's packing slip as the order is now (it goes in the box, so it must not be stale). */
  async packingSlipPdf(orderId: string, now = new Date()): Promise<DocumentFile> {
    return this.#packingSlip(orderId, null, now);
  }

  /** The packing slip of one shipment: what that parcel holds, where it leaves from, its tracking. */
  async parcelPackingSlipPdf(
    user: AuthUser,
    orderId: string,
    shipmentId: string,
    now = new Date(),
  ): Promise<DocumentFile> {
    const parcel = await this.#sources.parcel(user, orderId, shipmentId);
    if (!parcel) throw notFound('Shipment', shipmentId);
    return this.#packingSlip(orderId, parcel, now);
  }

  async #packingSlip(orderId: string, parcel: ParcelForDocuments | null, now: Date): Promise<DocumentFile> {
    const order = await this.#order(orderId);
    const [customers, shop] = await Promise.all([
      this.#sources.customers(this.#db, [order.customerId]),
      this.shopDetails(),
    ]);
    const customer = customers.get(order.customerId);
    const slip = packingSlipData(order, shop, customer ?? { name: '', email: '' }, parcel);
    const name = parcel ? `packing-slip-${order.number}-${parcel.number}` : `packing-slip-${order.number}`;
    return { filename: `${name}.pdf`, pdf: await renderPackingSlip(slip, now) };
  }

  /** An order as the admin's routes see it: a draft is no order yet (ADR 0023). */
  async #order(orderId: string) {
    const order = (await this.#sources.orders(this.#db, [orderId])).get(orderId);
    if (!order || order.status === 'draft') throw notFound('Order', orderId);
    return order;
  }

  /** Whether the shop turned on sending the invoice with the confirmation e-mail. */
  async attachesInvoiceToConfirmation(): Promise<boolean> {
    return (await this.shopDetails()).attachInvoiceToConfirmation;
  }

  /**
   * The order's invoice as an e-mail attachment, or null when it has none yet. For the
   * confirmation, when `attachesInvoiceToConfirmation`: the notification sender asks the switch
   * once per round and this per message, outside any transaction.
   */
  async invoiceAttachment(
    orderId: string,
  ): Promise<{ filename: string; content: Buffer; contentType: string } | null> {
    const invoice = await store.invoiceOf(this.#db, orderId);
    if (!invoice) return null;
    return {
      filename: `${invoice.number}.pdf`,
      content: await renderInvoice(invoice.data),
      contentType: 'application/pdf',
    };
  }
}
