import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { csvField, csvRow } from './csv.ts';

/** A reader of RFC 4180 written from the grammar, to check what the writer wrote reads back. */
function parse(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        assert.ok(quote >= 0, 'an opened quote is closed');
        field += text.slice(i, quote);
        i = quote + 1;
        if (text[i] !== '"') break;
        field += '"';
        i++;
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r') field += text[i++];
      assert.ok(!field.includes('"') && !field.includes('\n'), `an unquoted field is plain: ${field}`);
    }
    row.push(field);
    if (text[i] === ',') i++;
    else {
      assert.equal(text.slice(i, i + 2), '\r\n', 'a row ends with CRLF');
      i += 2;
      rows.push(row);
      row = [];
    }
  }
  return rows;
}

const guarded = (cell: string) => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell);

test('any row of text reads back as written, formulas defused', () => {
  const text = fc.string({
    unit: fc.constantFrom('a', 'é', ',', '"', '\r', '\n', '=', '+', '-', '@', '\t', ' ', "'"),
  });
  fc.assert(
    fc.property(fc.array(text, { minLength: 1, maxLength: 6 }), (cells) => {
      assert.deepEqual(parse(csvRow(cells)), [cells.map(guarded)]);
    }),
  );
});

test('rows one after another read back as so many rows', () => {
  fc.assert(
    fc.property(fc.array(fc.array(fc.string(), { minLength: 1, maxLength: 4 }), { maxLength: 5 }), (rows) => {
      assert.deepEqual(
        parse(rows.map(csvRow).join('')),
        rows.map((r) => r.map(guarded)),
      );
    }),
  );
});

test('a cell a spreadsheet would run as a formula is prefixed with an apostrophe', () => {
  assert.equal(csvField('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
  assert.equal(csvField('+1 555 0100'), "'+1 555 0100");
  assert.equal(csvField('-2'), "'-2");
  assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvField('\tTab'), "'\tTab");
  assert.equal(csvField('\rCR'), `"'\rCR"`);
  assert.equal(csvField('a=b'), 'a=b');
});

test('numbers are written as numbers, nothing as an empty field', () => {
  assert.equal(csvRow([-5, 0, 12.5, null, undefined, '']), '-5,0,12.5,,,\r\n');
});
