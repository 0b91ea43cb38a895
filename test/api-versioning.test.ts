import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { openApiYaml } from '../scripts/openapi-document.ts';
import { compatibility, formatChange, majorOf, type OpenApiDocument } from '../scripts/openapi-diff.ts';

/**
 * The versioning rules of the contract (docs/api/changelog.md): the document the routes generate
 * is compared with the released baseline of its major version; additive changes are allowed,
 * breaking ones fail unless `info.version` has a new major version (and then a new baseline and
 * a new URL prefix go with it).
 */
const read = async (path: string) => readFile(new URL(`../${path}`, import.meta.url), 'utf8');

describe('API versioning', () => {
  let generated: OpenApiDocument;
  let released: OpenApiDocument;

  before(async () => {
    generated = parse(await openApiYaml()) as OpenApiDocument;
    released = parse(await read('docs/api/released/v1.yaml')) as OpenApiDocument;
  });

  test('the routes make no breaking change to the released v1 contract (docs/api/released/v1.yaml)', (t) => {
    const result = compatibility(released, generated);
    for (const change of result.additive) t.diagnostic(formatChange(change));
    assert.ok(
      result.ok,
      `breaking changes to API ${released.info.version} need a new major version in info.version (src/app.ts API_VERSION), a new URL prefix and a changelog entry:\n  ${result.breaking
        .map(formatChange)
        .join('\n  ')}`,
    );
  });

  test('the major version is the one in the URL: every path is under /api/v{major}/', () => {
    const major = majorOf(generated.info.version);
    const outside = Object.keys(generated.paths).filter((p) => !p.startsWith(`/api/v${major}/`));
    assert.deepEqual(outside, []);
    assert.equal(majorOf(released.info.version), 1, 'the baseline is the released 1.x contract');
  });

  test('the changelog has an entry for the current version', async () => {
    const changelog = await read('docs/api/changelog.md');
    const version = generated.info.version.replaceAll('.', '\\.');
    assert.match(
      changelog,
      new RegExp(`^## ${version}\\b`, 'm'),
      `docs/api/changelog.md has "## ${generated.info.version}"`,
    );
  });
});
