/**
 * CSV as RFC 4180 writes it, for exports a spreadsheet opens: fields separated by commas, rows
 * ended by CRLF, a field quoted when it holds a comma, a quote, CR or LF, its quotes doubled.
 *
 * A text cell that a spreadsheet would read as a formula (it starts with = + - @, a tab or a CR)
 * is prefixed with an apostrophe, so a customer who typed `=HYPERLINK(…)` into their address
 * cannot make the admin's spreadsheet run it (OWASP "CSV injection"). Numbers are written as
 * they are: a negative amount is a number, not a formula.
 */
export type CsvCell = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(cells: readonly CsvCell[]): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}
