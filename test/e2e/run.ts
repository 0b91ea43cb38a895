/**
 * `npm run test:e2e`: builds the web app when needed, then runs every test/e2e/*.e2e.ts file with
 * the node test runner, one file at a time, or `E2E_CONCURRENCY` at once (each starts its own Orderly and its own Chromium).
 * A server per shop of SEEDED_SHOPS seeds the demo data first, side by side; each file's server
 * starts from a copy of its shop's folder.
 * Arguments narrow the files: `npm run test:e2e -- admin live`.
 * Screenshots land in test-results/screenshots/.
 */
import { spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureWebBuilt, ROOT, SCREENSHOTS, SEEDED_SHOPS, seedDemoData, seedKey } from './harness.ts';

const filters = process.argv.slice(2);
const files = readdirSync(join(ROOT, 'test', 'e2e'))
  .filter((f) => f.endsWith('.e2e.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort()
  .map((f) => join('test', 'e2e', f));
if (files.length === 0) {
  console.error(`no browser test file matches ${filters.join(' ')}`);
  process.exit(2);
}

// a full run starts from an empty folder, so no picture is left over from an older run
if (filters.length === 0) rmSync(SCREENSHOTS, { recursive: true, force: true });
ensureWebBuilt();

const started = Date.now();
const seeded: Record<string, string> = Object.fromEntries(
  await Promise.all(SEEDED_SHOPS.map(async (shop) => [seedKey(shop), await seedDemoData(shop)])),
);
const child = spawn(
  process.execPath,
  [
    '--test',
    `--test-concurrency=${process.env['E2E_CONCURRENCY'] ?? '1'}`,
    '--test-reporter=spec',
    '--test-timeout=150000',
    ...files,
  ],
  { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ORDERLY_E2E_SEEDED_DATA: JSON.stringify(seeded) } },
);
child.on('exit', (code, signal) => {
  for (const folder of Object.values(seeded)) rmSync(folder, { recursive: true, force: true });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `\nbrowser tests: ${files.length} file(s) in ${seconds} s; screenshots in ${SCREENSHOTS}\n`,
  );
  process.exit(code ?? (signal ? 1 : 0));
});
