import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReadRouting } from './replica.ts';

const primary = 'primary';
const replica = 'replica';

test('without a replica every read goes to the primary', () => {
  const routing = new ReadRouting<string>(primary, null, 5000);
  routing.wrote('alice');
  assert.equal(routing.for(null), primary);
  assert.equal(routing.for('bob'), primary);
});

test('a person who has just written reads from the primary, everyone else from the replica', () => {
  const routing = new ReadRouting(primary, replica, 60_000);
  assert.equal(routing.for('alice'), replica);
  routing.wrote('alice');
  assert.equal(routing.for('alice'), primary);
  assert.equal(routing.for('bob'), replica);
  assert.equal(routing.for(null), replica);
});

test('once the window has passed the writer reads from the replica again', () => {
  const routing = new ReadRouting(primary, replica, 0);
  routing.wrote('alice');
  assert.equal(routing.for('alice'), replica);
});
