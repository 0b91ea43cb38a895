import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../platform/errors.ts';
import { requireUser } from '../platform/http.ts';
import { fromMinor } from '../platform/money.ts';
import { Id, IdParams } from '../platform/schemas.ts';
import type { ShopDetails } from './model.ts';
import type { DocumentFile, DocumentService, DocumentSummary } from './service.ts';

const Pdf = z.string().meta({
  description: 'the document as PDF, sent as an attachment named after its number',
  format: 'binary',
  'x-media-type': 'application/pdf',
});

const Line = (max: number) => z.string().trim().max(max);

const ShopDetailsSchema = z
  .object({
    legalName: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .meta({ description: 'the name the shop trades under by law' }),
    address: Line(500).meta({ description: 'the postal address as printed, one line per line (\\n)' }),
    taxId: Line(50).meta({ description: 'VAT number, EIN, GST number; printed on every invoice' }),
    registrationNumber: Line(50).meta({ description: 'company registration number' }),
    contactEmail: z
      .union([z.email().max(254), z.literal('')])
      .meta({ description: 'printed on invoices for questions about them; empty: none' }),
    invoiceFooter: Line(500).meta({
      description: 'the last words on every invoice: payment terms, bank details',
    }),
    attachInvoiceToConfirmation: z
      .boolean()
      .meta({ description: "attach the invoice PDF to the customer's order confirmation e-mail" }),
  })
  .meta({ id: 'ShopDetails' });

// inline rather than a named schema: OpenAPI 3.0 has no way to say "this reference, or null"
const DocumentSummarySchema = z.object({
  id: z.uuid(),
  number: z.string().meta({ example: 'INV-2026-000001' }),
  issuedAt: z.iso.datetime(),
  amount: z.number().meta({ description: "the invoice's total, or the amount a credit note credits" }),
  currency: z.string(),
});

const summaryJson = (d: DocumentSummary): z.infer<typeof DocumentSummarySchema> => ({
  id: d.id,
  number: d.number,
  issuedAt: d.issuedAt.toISOString(),
  amount: fromMinor(d.amount, d.currency),
  currency: d.currency,
});

const adminErrors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody } as const;
const pdfErrors = { ...adminErrors, 404: ErrorBody } as const;

function sendPdf(reply: FastifyReply, file: DocumentFile) {
  return reply
    .type('application/pdf')
    .header('content-disposition', `attachment; filename="${file.filename}"`)
    .header('cache-control', 'private, no-store')
    .send(file.pdf);
}

const shopDetailsJson = (d: ShopDetails): z.infer<typeof ShopDetailsSchema> => ({ ...d });

/** Invoices, credit notes and packing slips as PDF; the shop details printed on them. */
export const documentRoutes =
  (documents: DocumentService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/admin/shop-details',
      {
        config: { auth: 'admin', permission: 'settings' },
        schema: {
          operationId: 'getShopDetails',
          tags: ['Documents'],
          summary: "The shop's details printed on invoices, credit notes and packing slips (admin)",
          description:
            'The seller on every document issued from now on, and whether the invoice is attached to the order confirmation e-mail. Documents already issued keep the details they were issued with.',
          response: { 200: ShopDetailsSchema, ...adminErrors },
        },
      },
      async () => shopDetailsJson(await documents.shopDetails()),
    );

    app.put(
      '/admin/shop-details',
      {
        config: { auth: 'admin', permission: 'settings' },
        schema: {
          operationId: 'updateShopDetails',
          tags: ['Documents'],
          summary: "Change the shop's details printed on documents (admin)",
          description:
            'Replaces every field. Invoices and credit notes issued before keep the details they were issued with; new ones, and every packing slip, show these.',
          body: ShopDetailsSchema,
          response: { 200: ShopDetailsSchema, ...adminErrors },
        },
      },
      async (request) =>
        shopDetailsJson(await documents.updateShopDetails(request.body, requireUser(request).id)),
    );

    app.get(
      '/admin/orders/:id/documents',
      {
        config: { auth: 'admin', permission: 'orders.read' },
        schema: {
          operationId: 'listOrderDocuments',
          tags: ['Documents'],
          summary: "An order's invoice and credit notes (admin)",
          description:
            'The invoice is null until the order is paid (and for orders paid before invoices were issued); one credit note per refund, oldest first. Each downloads as PDF; the packing slip is always there for an order.',
          params: IdParams,
          response: {
            200: z
              .object({
                invoice: DocumentSummarySchema.nullable(),
                creditNotes: z.array(DocumentSummarySchema),
              })
              .meta({ id: 'OrderDocuments' }),
            ...pdfErrors,
          },
        },
      },
      async (request) => {
        const { invoice, creditNotes } = await documents.documentsOf(request.params.id);
        return { invoice: invoice && summaryJson(invoice), creditNotes: creditNotes.map(summaryJson) };
      },
    );

    app.get(
      '/admin/orders/:id/invoice.pdf',
      {
        config: { auth: 'admin', permission: 'orders.read' },
        schema: {
          operationId: 'downloadOrderInvoice',
          tags: ['Documents'],
          summary: "An order's invoice as PDF (admin)",
          description: '404 when the order has no invoice (not paid yet).',
          params: IdParams,
          response: { 200: Pdf, ...pdfErrors },
        },
      },
      async (request, reply) => sendPdf(reply, await documents.invoicePdf(request.params.id)),
    );

    app.get(
      '/admin/orders/:id/credit-notes/:creditNoteId.pdf',
      {
        config: { auth: 'admin', permission: 'orders.read' },
        schema: {
          operationId: 'downloadCreditNote',
          tags: ['Documents'],
          summary: 'One credit note of an order as PDF (admin)',
          description: 'The ids are in listOrderDocuments. 404 for a credit note of another order.',
          params: z.object({ id: Id, creditNoteId: Id }),
          response: { 200: Pdf, ...pdfErrors },
        },
      },
      async (request, reply) =>
        sendPdf(reply, await documents.creditNotePdf(request.params.id, request.params.creditNoteId)),
    );

    app.get(
      '/admin/orders/:id/packing-slip.pdf',
      {
        config: { auth: 'admin', permission: 'orders.read' },
        schema: {
          operationId: 'downloadPackingSlip',
          tags: ['Documents'],
          summary:
            "An order's packing slip as PDF: lines, quantities and the shipping address, no prices (admin)",
          description: 'Drawn from the order as it is now, so a changed order prints its current lines.',
          params: IdParams,
          response: { 200: Pdf, ...pdfErrors },
        },
      },
      async (request, reply) => sendPdf(reply, await documents.packingSlipPdf(request.params.id)),
    );

    app.get(
      '/admin/orders/:id/shipments/:shipmentId/packing-slip.pdf',
      {
        config: { auth: 'admin', permission: 'orders.read' },
        schema: {
          operationId: 'downloadShipmentPackingSlip',
          tags: ['Documents'],
          summary:
            "One shipment's packing slip as PDF: what that parcel holds, where it leaves from and its tracking, no prices (admin)",
          params: z.object({ id: Id, shipmentId: Id }),
          response: { 200: Pdf, ...pdfErrors },
        },
      },
      async (request, reply) =>
        sendPdf(
          reply,
          await documents.parcelPackingSlipPdf(
            requireUser(request),
            request.params.id,
            request.params.shipmentId,
          ),
        ),
    );

    app.get(
      '/orders/:id/invoice.pdf',
      {
        config: { auth: 'public' },
        schema: {
          operationId: 'downloadMyInvoice',
          tags: ['Documents'],
          summary: 'The invoice of your order as PDF: signed in, or with the order link of a guest order',
          description:
            "The order's owner signed in, or anyone with the `token` of the order's link (guest checkout, getGuestOrder). Another customer's order is a 404; 401 without a sign-in or token, or with a token that is not a valid order link; 404 when the order has no invoice yet.",
          security: [{ bearerAuth: [] }, {}],
          params: IdParams,
          querystring: z.object({
            token: z
              .string()
              .min(1)
              .max(2000)
              .optional()
              .meta({ description: "the order link's token (guests)" }),
          }),
          response: { 200: Pdf, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
        },
      },
      async (request, reply) =>
        sendPdf(
          reply,
          await documents.shopperInvoicePdf(request.user, request.params.id, request.query.token),
        ),
    );
  };
