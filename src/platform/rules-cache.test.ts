import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { openDatabase } from './db.ts';
import { RulesCaches } from './rules-cache.ts';

const log = pino({ level: 'silent' });

test('a rules cache reads once for the requests that ask meanwhile, again after a change, and keeps no failed read', async () => {
  const handle = await openDatabase({ dataDir: 'memory://' });
  const caches = new RulesCaches(handle, log, 60_000);
  await caches.start();
  try {
    const zones = caches.cache<string[]>('shipping');
    const methods = caches.cache<number>('shipping');
    const rates = caches.cache<number>('tax');
    let reads = 0;
    const load = async () => [`read ${++reads}`];

    const [first, second] = await Promise.all([zones.get('US', load), zones.get('US', load)]);
    assert.deepEqual([first, second, reads], [['read 1'], ['read 1'], 1]);
    assert.deepEqual(await zones.get('US', load), ['read 1']);
    assert.deepEqual(await zones.get('DE', load), ['read 2'], 'each key is read on its own');

    assert.equal(await methods.get('', async () => 5), 5);
    assert.equal(await rates.get('zone', async () => 19), 19);
    await methods.changed();
    assert.deepEqual(await zones.get('US', load), ['read 3'], 'a change empties every cache of its name');
    assert.equal(await methods.get('', async () => 6), 6);
    assert.equal(await rates.get('zone', async () => 20), 19, 'and no other');

    await assert.rejects(zones.get('FR', () => Promise.reject(new Error('database down'))));
    assert.deepEqual(await zones.get('FR', load), ['read 4'], 'a failed read is read again');
  } finally {
    await caches.stop();
    await handle.close();
  }
});

test('getMany reads only the missing keys, in one read, keeps nothing it did not find, and nothing read across a change', async () => {
  const handle = await openDatabase({ dataDir: 'memory://' });
  const caches = new RulesCaches(handle, log, 60_000);
  try {
    const variants = caches.cache<string>('catalog');
    const asked: string[][] = [];
    const rows = new Map([
      ['a', 'A1'],
      ['b', 'B1'],
    ]);
    const loadMany = async (missing: readonly string[]) => {
      asked.push([...missing]);
      return new Map(missing.flatMap((k) => (rows.has(k) ? [[k, rows.get(k) ?? '']] : [])));
    };

    assert.deepEqual([...(await variants.getMany(['a', 'x'], loadMany))], [['a', 'A1']]);
    assert.deepEqual([...(await variants.getMany(['a', 'b', 'x', 'b'], loadMany))].sort(), [
      ['a', 'A1'],
      ['b', 'B1'],
    ]);
    assert.deepEqual(
      asked,
      [
        ['a', 'x'],
        ['b', 'x'],
      ],
      'a key found is not read again; one not found is',
    );

    rows.set('x', 'X1');
    assert.equal(
      (await variants.getMany(['x'], loadMany)).get('x'),
      'X1',
      'a row made later is found at once',
    );

    variants.clear();
    rows.set('a', 'A2');
    let release = () => {};
    const slow = variants.getMany(['a'], async (missing) => {
      const read = await loadMany(missing);
      await new Promise<void>((resolve) => (release = resolve));
      return read;
    });
    await new Promise((resolve) => setImmediate(resolve));
    rows.set('a', 'A3');
    await variants.changed();
    release();
    assert.equal((await slow).get('a'), 'A2', 'the caller has what it read');
    assert.equal((await variants.getMany(['a'], loadMany)).get('a'), 'A3', 'but it was not kept');
  } finally {
    await caches.stop();
    await handle.close();
  }
});
