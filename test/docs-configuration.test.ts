import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, test } from 'node:test';
import { z } from 'zod';
import { envSchema } from '../src/config.ts';

/**
 * docs/configuration.md is where an operator looks up a setting, so it must list every variable
 * the configuration schema reads, with the schema's own default, and nothing the schema does not
 * read. The variables come from the schema object itself: a new one fails here until it has a row.
 */
interface Row {
  variable: string;
  defaultCell: string;
}

/** Rows of the page's tables whose first cell is one variable in backticks: `` `PORT` ``. */
function tableRows(markdown: string): Row[] {
  const rows: Row[] = [];
  for (const line of markdown.split('\n')) {
    const cells = line.trim().startsWith('|') ? line.split('|').slice(1, -1) : [];
    const variable = /^\s*`([A-Z][A-Z0-9_]*)`\s*$/.exec(cells[0] ?? '')?.[1];
    if (variable) rows.push({ variable, defaultCell: cells[1] ?? '' });
  }
  return rows;
}

const schemaVariables = Object.keys(envSchema.shape);

describe('docs/configuration.md', () => {
  let rows: Row[];

  before(async () => {
    rows = tableRows(await readFile(new URL('../docs/configuration.md', import.meta.url), 'utf8'));
  });

  test('has a row for every variable of the configuration schema (src/config.ts)', () => {
    const documented = new Set(rows.map((r) => r.variable));
    const missing = schemaVariables.filter((name) => !documented.has(name));
    assert.deepEqual(missing, [], `add a row to docs/configuration.md for: ${missing.join(', ')}`);
  });

  test('has no row for a variable the schema does not read', () => {
    const known = new Set(schemaVariables);
    const stale = rows.map((r) => r.variable).filter((name) => !known.has(name));
    assert.deepEqual(stale, [], `docs/configuration.md lists variables src/config.ts does not read`);
  });

  test("shows the schema's default of every variable that has one", () => {
    const wrong: string[] = [];
    for (const [name, field] of Object.entries(envSchema.shape)) {
      if (!(field instanceof z.ZodDefault)) continue;
      const expected = `\`${String(field.def.defaultValue)}\``;
      const row = rows.find((r) => r.variable === name);
      if (row && !row.defaultCell.includes(expected)) wrong.push(`${name}: ${expected}`);
    }
    assert.deepEqual(wrong, [], 'defaults in docs/configuration.md that differ from src/config.ts');
  });
});
