/**
 * The documents as PDF, drawn with pdfkit from their data alone: the same data gives the same
 * document (its creation date is the day it was issued, not the day it was drawn), A4, in
 * pdfkit's built-in Helvetica so no font file has to ship with Orderly.
 */
import PDFDocument from 'pdfkit';
import { formatMoney } from '../platform/money.ts';
import {
  formatRate,
  type CreditNoteData,
  type InvoiceData,
  type PackingSlipData,
  type Party,
} from './model.ts';

const MARGIN = 50;
const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
const INK = '#1f2933';
const MUTED = '#616e7c';
const RULE = '#cbd2d9';
const BAND = '#f0f4f8';
const ACCENT = '#334e68';

const dates = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' });
const formatDate = (iso: string) => dates.format(new Date(iso));

type Doc = InstanceType<typeof PDFDocument>;

interface Column {
  title: string;
  width: number;
  align: 'left' | 'right';
}

function open(title: string, createdAt: string): Doc {
  return new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: { Title: title, Creator: 'Orderly', CreationDate: new Date(createdAt) },
  });
}

function finish(doc: Doc, footer: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // drawn inside the bottom margin, which pdfkit would otherwise take as a reason for a new page
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor(MUTED)
      .text(footer, MARGIN, PAGE_HEIGHT - 40, { width: CONTENT_WIDTH - 60, lineBreak: false })
      .text(`Page ${i + 1} of ${range.count}`, MARGIN, PAGE_HEIGHT - 40, {
        width: CONTENT_WIDTH,
        align: 'right',
      });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

/** The seller's block at the top left, the document's name and numbers at the top right. */
function header(
  doc: Doc,
  seller: { legalName: string; address: string; contactEmail: string },
  sellerLines: string[],
  heading: string,
  facts: Array<[string, string]>,
): void {
  doc
    .font('Helvetica-Bold')
    .fontSize(16)
    .fillColor(INK)
    .text(seller.legalName, MARGIN, MARGIN, { width: 280 });
  doc.font('Helvetica').fontSize(9).fillColor(MUTED);
  for (const line of [...seller.address.split('\n'), seller.contactEmail, ...sellerLines].filter(Boolean)) {
    doc.text(line, { width: 280 });
  }
  const leftBottom = doc.y;
  doc
    .font('Helvetica-Bold')
    .fontSize(22)
    .fillColor(ACCENT)
    .text(heading, MARGIN + 280, MARGIN, { width: CONTENT_WIDTH - 280, align: 'right' });
  doc.moveDown(0.3);
  for (const [label, value] of facts) {
    const y = doc.y;
    doc
      .font('Helvetica')
      .fontSize(9)
      .fillColor(MUTED)
      .text(label, MARGIN + 300, y, { width: 90 });
    doc
      .font('Helvetica-Bold')
      .fillColor(INK)
      .text(value, MARGIN + 390, y, { width: CONTENT_WIDTH - 390, align: 'right' });
  }
  doc.y = Math.max(leftBottom, doc.y) + 18;
  rule(doc);
}

function rule(doc: Doc, color = RULE): void {
  doc
    .moveTo(MARGIN, doc.y)
    .lineTo(MARGIN + CONTENT_WIDTH, doc.y)
    .lineWidth(0.7)
    .strokeColor(color)
    .stroke();
  doc.y += 10;
}

/** Parties side by side: Bill to, Ship to. */
function parties(doc: Doc, blocks: Array<[string, Party]>): void {
  const top = doc.y;
  const width = CONTENT_WIDTH / blocks.length;
  let bottom = top;
  blocks.forEach(([title, party], i) => {
    const x = MARGIN + i * width;
    doc
      .font('Helvetica-Bold')
      .fontSize(8)
      .fillColor(MUTED)
      .text(title.toUpperCase(), x, top, { width: width - 10 });
    doc.moveDown(0.2);
    doc
      .font('Helvetica-Bold')
      .fontSize(10)
      .fillColor(INK)
      .text(party.name, x, doc.y, { width: width - 10 });
    doc.font('Helvetica').fontSize(9);
    for (const line of [...party.addressLines, party.email].filter(Boolean))
      doc.text(line, { width: width - 10 });
    bottom = Math.max(bottom, doc.y);
  });
  doc.y = bottom + 16;
}

function tableHeader(doc: Doc, columns: Column[]): void {
  const y = doc.y;
  doc.rect(MARGIN, y - 4, CONTENT_WIDTH, 18).fill(BAND);
  let x = MARGIN + 4;
  doc.font('Helvetica-Bold').fontSize(8).fillColor(MUTED);
  for (const column of columns) {
    doc.text(column.title.toUpperCase(), x, y + 1, { width: column.width - 8, align: column.align });
    x += column.width;
  }
  doc.y = y + 20;
}

/** Rows of a table, starting a new page (with the header again) when one would not fit. */
function tableRows(doc: Doc, columns: Column[], rows: Array<{ cells: string[]; note?: string }>): void {
  tableHeader(doc, columns);
  for (const row of rows) {
    doc.font('Helvetica').fontSize(9);
    const heights = row.cells.map((cell, i) =>
      doc.heightOfString(cell, { width: (columns[i]?.width ?? 0) - 8 }),
    );
    const noteHeight = row.note
      ? doc.fontSize(8).heightOfString(row.note, { width: (columns[1]?.width ?? 0) - 8 })
      : 0;
    const height = Math.max(...heights) + noteHeight + 8;
    if (doc.y + height > PAGE_HEIGHT - 90) {
      doc.addPage();
      tableHeader(doc, columns);
    }
    const y = doc.y;
    let x = MARGIN + 4;
    row.cells.forEach((cell, i) => {
      const column = columns[i];
      if (!column) return;
      doc
        .font('Helvetica')
        .fontSize(9)
        .fillColor(INK)
        .text(cell, x, y, { width: column.width - 8, align: column.align });
      if (i === 1 && row.note)
        doc
          .fontSize(8)
          .fillColor(MUTED)
          .text(row.note, x, doc.y, { width: column.width - 8 });
      x += column.width;
    });
    doc.y = y + height;
    doc
      .moveTo(MARGIN, doc.y - 4)
      .lineTo(MARGIN + CONTENT_WIDTH, doc.y - 4)
      .lineWidth(0.4)
      .strokeColor(RULE)
      .stroke();
  }
  doc.y += 6;
}

/** Label–amount pairs at the right, the last one (the total) set apart. */
function totals(doc: Doc, rows: Array<[string, string]>, emphasise = true): void {
  if (doc.y + rows.length * 16 + 20 > PAGE_HEIGHT - 90) doc.addPage();
  const x = MARGIN + CONTENT_WIDTH - 240;
  rows.forEach(([label, value], i) => {
    const last = emphasise && i === rows.length - 1;
    const y = doc.y;
    if (last) {
      doc.rect(x, y - 4, 240, 22).fill(BAND);
      doc.font('Helvetica-Bold').fontSize(11);
    } else {
      doc.font('Helvetica').fontSize(9);
    }
    doc.fillColor(last ? INK : MUTED).text(label, x + 6, y + (last ? 1 : 0), { width: 130 });
    doc.fillColor(INK).text(value, x + 130, y + (last ? 1 : 0), { width: 104, align: 'right' });
    doc.y = y + (last ? 24 : 15);
  });
  doc.y += 8;
}

function heading(doc: Doc, text: string): void {
  if (doc.y + 60 > PAGE_HEIGHT - 90) doc.addPage();
  doc.font('Helvetica-Bold').fontSize(10).fillColor(INK).text(text, MARGIN, doc.y);
  doc.moveDown(0.4);
}

function paragraph(doc: Doc, text: string): void {
  if (!text) return;
  doc.font('Helvetica').fontSize(9).fillColor(MUTED).text(text, MARGIN, doc.y, { width: CONTENT_WIDTH });
  doc.moveDown(0.6);
}

function sellerIds(seller: { taxId: string; registrationNumber: string }): string[] {
  return [
    seller.taxId && `Tax ID: ${seller.taxId}`,
    seller.registrationNumber && `Registration no.: ${seller.registrationNumber}`,
  ].filter((line): line is string => Boolean(line));
}

const INVOICE_COLUMNS: Column[] = [
  { title: 'SKU', width: 80, align: 'left' },
  { title: 'Description', width: 135, align: 'left' },
  { title: 'Qty', width: 35, align: 'right' },
  { title: 'Unit price', width: 65, align: 'right' },
  { title: 'Discount', width: 55, align: 'right' },
  { title: 'Tax', width: 60, align: 'right' },
  { title: 'Total', width: CONTENT_WIDTH - 430, align: 'right' },
];

export function renderInvoice(invoice: InvoiceData): Promise<Buffer> {
  const money = (minor: number) => formatMoney(minor, invoice.currency);
  const doc = open(`Invoice ${invoice.number}`, invoice.issuedAt);
  header(doc, invoice.seller, sellerIds(invoice.seller), 'INVOICE', [
    ['Invoice no.', invoice.number],
    ['Issued', formatDate(invoice.issuedAt)],
    ['Order', `#${invoice.orderNumber}`],
    ['Order date', formatDate(invoice.orderDate)],
    ['Currency', invoice.currency],
  ]);
  parties(doc, [
    ['Bill to', invoice.buyer],
    ['Ship to', invoice.shipTo],
  ]);
  const rows = invoice.lines.map((line) => ({
    cells: [
      line.sku,
      line.name,
      String(line.quantity),
      money(line.unitPrice),
      line.discount > 0 ? `-${money(line.discount)}` : '',
      `${money(line.tax)} (${formatRate(line.taxRateBasisPoints)})`,
      money(line.total),
    ],
    ...(line.variantTitle ? { note: line.variantTitle } : {}),
  }));
  if (invoice.shipping) {
    const s = invoice.shipping;
    rows.push({
      cells: [
        '',
        `Shipping: ${s.name}`,
        '1',
        money(s.price),
        s.discount > 0 ? `-${money(s.discount)}` : '',
        money(s.tax),
        money(s.total),
      ],
    });
  }
  tableRows(doc, INVOICE_COLUMNS, rows);
  const t = invoice.totals;
  totals(doc, [
    ['Subtotal', money(t.subtotal)],
    ...(t.discount > 0 ? ([['Discount', `-${money(t.discount)}`]] as Array<[string, string]>) : []),
    ['Shipping', money(t.shipping)],
    [invoice.pricesIncludeTax ? 'Tax included' : 'Tax', money(t.tax)],
    ['Total', money(t.total)],
  ]);
  if (invoice.taxLines.length > 0) {
    heading(doc, invoice.pricesIncludeTax ? 'Tax included, by rate' : 'Tax by rate');
    tableRows(
      doc,
      [
        { title: 'Tax', width: 200, align: 'left' },
        { title: 'Rate', width: 80, align: 'right' },
        { title: 'Taxable amount', width: 115, align: 'right' },
        { title: 'Tax', width: CONTENT_WIDTH - 395, align: 'right' },
      ],
      invoice.taxLines.map((line) => ({
        cells: [line.name, formatRate(line.rateBasisPoints), money(line.base), money(line.amount)],
      })),
    );
  }
  paragraph(doc, invoice.seller.invoiceFooter);
  return finish(doc, `${invoice.seller.legalName} · Invoice ${invoice.number}`);
}

export function renderCreditNote(note: CreditNoteData): Promise<Buffer> {
  const money = (minor: number) => formatMoney(minor, note.currency);
  const doc = open(`Credit note ${note.number}`, note.issuedAt);
  header(doc, note.seller, sellerIds(note.seller), 'CREDIT NOTE', [
    ['Credit note no.', note.number],
    ['Issued', formatDate(note.issuedAt)],
    ['Invoice', note.invoiceNumber],
    ['Invoice date', formatDate(note.invoiceIssuedAt)],
    ['Order', `#${note.orderNumber}`],
  ]);
  parties(doc, [['Credit to', note.buyer]]);
  tableRows(
    doc,
    [
      { title: 'Description', width: CONTENT_WIDTH - 120, align: 'left' },
      { title: 'Amount', width: 120, align: 'right' },
    ],
    [
      {
        cells: [
          `Refund against invoice ${note.invoiceNumber} (order #${note.orderNumber})`,
          money(note.amount),
        ],
      },
    ],
  );
  totals(doc, [['Total credited', money(note.amount)]]);
  paragraph(
    doc,
    `This credit note reduces the amount of invoice ${note.invoiceNumber} by ${money(note.amount)}. The amount has been refunded to the original means of payment.`,
  );
  paragraph(doc, note.seller.invoiceFooter);
  return finish(
    doc,
    `${note.seller.legalName} · Credit note ${note.number} · for invoice ${note.invoiceNumber}`,
  );
}

export function renderPackingSlip(slip: PackingSlipData, printedAt: Date): Promise<Buffer> {
  const what = slip.parcel
    ? `parcel ${slip.parcel.number} of order #${slip.orderNumber}`
    : `order #${slip.orderNumber}`;
  const doc = open(`Packing slip, ${what}`, printedAt.toISOString());
  const parcel: Array<[string, string]> = slip.parcel
    ? [
        ['Parcel', String(slip.parcel.number)],
        ['Ships from', slip.parcel.location],
        ['Tracking', `${slip.parcel.carrier} ${slip.parcel.trackingNumber}`],
      ]
    : [];
  header(doc, slip.seller, [], 'PACKING SLIP', [
    ['Order', `#${slip.orderNumber}`],
    ['Order date', formatDate(slip.orderDate)],
    ...(slip.shippingMethod ? ([['Shipping', slip.shippingMethod]] as Array<[string, string]>) : []),
    ...parcel,
  ]);
  parties(doc, [['Ship to', slip.shipTo]]);
  tableRows(
    doc,
    [
      { title: 'SKU', width: 110, align: 'left' },
      { title: 'Item', width: CONTENT_WIDTH - 110 - 60 - 60, align: 'left' },
      { title: 'Qty', width: 60, align: 'right' },
      { title: 'Packed', width: 60, align: 'right' },
    ],
    slip.lines.map((line) => ({
      cells: [line.sku, line.name, String(line.quantity), '[   ]'],
      ...(line.variantTitle ? { note: line.variantTitle } : {}),
    })),
  );
  const units = slip.lines.reduce((sum, line) => sum + line.quantity, 0);
  totals(doc, [['Units', String(units)]], false);
  return finish(doc, `${slip.seller.legalName} · Packing slip for ${what}`);
}
