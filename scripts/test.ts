/**
 * `npm test`: every unit and integration test file (not the fault suites, which restart
 * PostgreSQL: `npm run test:faults`), split into shards that run side by side, each one node
 * test runner process with `--test-isolation=none`. A file still gets a database of its own;
 * what the shard shares is the loaded modules and the compiled PGlite, which a process per file
 * paid for again and again (about half of the suite's CPU time).
 *
 * Arguments: test files narrow the run (`npm test -- test/returns.test.ts`); options go to
 * every shard (`npm test -- --test-name-pattern=refund`). `TEST_SHARDS` sets the number of
 * shards: 3 on PGlite, 2 on PostgreSQL, where three files at their busiest can hold more
 * connections than a default server allows (100).
 */
import { spawn } from 'node:child_process';
import { globSync } from 'node:fs';

const PATTERNS = ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'];
const EXCLUDED = /^test\/faults\//;

const args = process.argv.slice(2);
const options = args.filter((a) => a.startsWith('-'));
const named = args.filter((a) => !a.startsWith('-'));
const files = (named.length > 0 ? named : globSync(PATTERNS).filter((f) => !EXCLUDED.test(f))).sort();

const wanted = Number(process.env['TEST_SHARDS'] ?? (process.env['TEST_DATABASE_URL'] ? 2 : 3));
if (!Number.isInteger(wanted) || wanted < 1) {
  process.stderr.write(
    `TEST_SHARDS must be a whole number of 1 or more, not ${process.env['TEST_SHARDS']}\n`,
  );
  process.exit(2);
}
if (files.length === 0) {
  process.stderr.write(`no test file matches ${named.join(' ')}\n`);
  process.exit(2);
}
const count = Math.min(wanted, files.length);
const shards = Array.from({ length: count }, (_, k) => files.filter((_, i) => i % count === k));

function run(shard: string[], live: boolean): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--test',
        '--test-isolation=none',
        '--test-global-setup=test/global-setup.ts',
        '--test-reporter=spec',
        ...options,
        ...shard,
      ],
      { stdio: ['ignore', live ? 'inherit' : 'pipe', live ? 'inherit' : 'pipe'] },
    );
    let output = '';
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => (output += chunk));
    }
    // 'close', not 'exit': a child can exit before its piped output has all been read
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

process.stdout.write(`${files.length} test files in ${count} shard(s)\n\n`);
// the first shard reports as it goes; the others' reports follow it, so none interleave
const results = await Promise.all(shards.map((shard, k) => run(shard, k === 0)));
for (const [k, result] of results.entries()) {
  if (k > 0) process.stdout.write(`\n--- shard ${k + 1} of ${count}\n${result.output}`);
}
// exitCode, not exit(): stdout to a pipe is written asynchronously, and exit() would cut it off
process.exitCode = results.some((r) => r.code !== 0) ? 1 : 0;
