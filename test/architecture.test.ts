import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * Rules of the code's shape that a reader relies on and a compiler does not check: every change
 * of an order's status goes through `src/orders/transition.ts`.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STORE = 'src/orders/store.ts';
const TRANSITION = 'src/orders/transition.ts';
/** the store's one statement that sets `orders.status`, and the only function allowed to */
const STATUS_WRITER = 'updateStatus';

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function parse(path: string): ts.SourceFile {
  return ts.createSourceFile(path, readFileSync(join(ROOT, path), 'utf8'), ts.ScriptTarget.Latest, true);
}

function enclosingFunctionName(node: ts.Node): string | null {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n)) return n.name?.getText() ?? null;
    if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && ts.isVariableDeclaration(n.parent)) {
      return n.parent.name.getText();
    }
  }
  return null;
}

function enclosingFunction(node: ts.Node): ts.Node {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n)) return n;
  }
  return node.getSourceFile();
}

/** An object literal anywhere below `node` with a key `status` (`payment_status` is another key). */
function setsStatus(node: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node) => {
    if (
      (ts.isPropertyAssignment(n) || ts.isShorthandPropertyAssignment(n)) &&
      n.name.getText().replace(/['"]/g, '') === 'status' &&
      ts.isObjectLiteralExpression(n.parent)
    ) {
      found = true;
    }
    if (!found) ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

const RAW_STATUS_UPDATE = /\bupdate\s+orders\b[\s\S]*?\bset\b[\s\S]*?(?<![\w.])status\s*=/i;

/** Where a file writes `orders.status`: Kysely's updateTable('orders') with a status key, or raw SQL. */
function statusWrites(file: ts.SourceFile): Array<{ line: number; fn: string | null }> {
  const writes: Array<{ line: number; fn: string | null }> = [];
  const at = (node: ts.Node) => ({
    line: file.getLineAndCharacterOfPosition(node.getStart()).line + 1,
    fn: enclosingFunctionName(node),
  });
  const visit = (node: ts.Node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'updateTable' &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0]) &&
      /^orders(\s+as\s+\w+)?$/.test(node.arguments[0].text) &&
      setsStatus(enclosingFunction(node))
    ) {
      writes.push(at(node));
    }
    if (
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateExpression(node) ||
      ts.isStringLiteral(node)
    ) {
      if (RAW_STATUS_UPDATE.test(node.getText())) writes.push(at(node));
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return writes;
}

/** Files that name the status writer: import it, or call it through the store's namespace. */
function writerUses(file: ts.SourceFile): number[] {
  const lines: number[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) && node.text === STATUS_WRITER) {
      const parent = node.parent;
      const declaration = ts.isFunctionDeclaration(parent) && parent.name === node;
      if (!declaration) lines.push(file.getLineAndCharacterOfPosition(node.getStart()).line + 1);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return lines;
}

const files = sourceFiles('src').map((path) => ({
  path: relative(ROOT, join(ROOT, path)),
  ast: parse(path),
}));

test("every write of orders.status is the store's one status statement", () => {
  const writes = files.flatMap(({ path, ast }) => statusWrites(ast).map((w) => ({ path, ...w })));
  const stray = writes.filter((w) => !(w.path === STORE && w.fn === STATUS_WRITER));
  assert.deepEqual(stray, [], 'orders.status is changed outside src/orders/transition.ts');
  assert.equal(writes.length, 1, 'the status statement itself was found');
});

test('only transition.ts calls the status statement', () => {
  const callers = files.flatMap(({ path, ast }) => writerUses(ast).map((line) => ({ path, line })));
  assert.deepEqual(
    callers.filter((c) => c.path !== TRANSITION),
    [],
    `${STATUS_WRITER} is used outside ${TRANSITION}`,
  );
  assert.ok(
    callers.some((c) => c.path === TRANSITION),
    'transition.ts calls it',
  );
});

test('the checks see the ways a status can be written', () => {
  const sample = ts.createSourceFile(
    'sample.ts',
    `
    async function a(trx) { await trx.updateTable('orders').set({ status: 'shipped' }).execute(); }
    async function b(trx) { const q = trx.updateTable('orders as o'); await q.set((eb) => ({ status })).execute(); }
    async function c(trx) { await sql\`update orders set version = version + 1, status = \${s} where id = \${id}\`.execute(trx); }
    async function d(trx) { await trx.updateTable('orders').set({ payment_status: 'paid' }).execute(); }
    async function e(trx) { await sql\`update orders set payment_status = 'paid'\`.execute(trx); }
    `,
    ts.ScriptTarget.Latest,
    true,
  );
  assert.deepEqual(
    statusWrites(sample).map((w) => w.fn),
    ['a', 'b', 'c'],
  );
});
