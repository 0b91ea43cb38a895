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
