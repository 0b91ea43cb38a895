import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  checkPlacement,
  depthOf,
  growOptions,
  imageTypeOf,
  slugify,
  withDescendants,
  type Category,
} from './model.ts';

const cat = (id: string, parentId: string | null): Category => ({
  id,
  name: id,
  slug: id,
  parentId,
  position: 0,
});
// a > b > c, and d on its own
const tree = [cat('a', null), cat('b', 'a'), cat('c', 'b'), cat('d', null)];

test('depth, descendants and placement in a tree of at most three levels', () => {
  assert.equal(depthOf(tree, 'a'), 1);
  assert.equal(depthOf(tree, 'c'), 3);
  assert.equal(depthOf(tree, 'x'), undefined);
  assert.deepEqual(withDescendants(tree, 'a').sort(), ['a', 'b', 'c']);
  assert.deepEqual(withDescendants(tree, 'c'), ['c']);
  assert.equal(checkPlacement(tree, undefined, 'b'), null);
  assert.equal(checkPlacement(tree, undefined, 'c'), 'too_deep');
  assert.equal(checkPlacement(tree, undefined, 'x'), 'parent_missing');
  assert.equal(checkPlacement(tree, 'a', 'c'), 'cycle');
  assert.equal(checkPlacement(tree, 'a', 'a'), 'cycle');
  assert.equal(checkPlacement(tree, 'a', 'd'), 'too_deep');
  assert.equal(checkPlacement(tree, 'b', 'd'), null);
  assert.equal(checkPlacement(tree, 'c', null), null);
});

test('property: a tree built only through checkPlacement never goes deeper than three levels', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(30), fc.option(fc.nat(30), { nil: null }), fc.boolean()), { maxLength: 60 }),
      (steps) => {
        const categories: Category[] = [];
        for (const [n, parent, isMove] of steps) {
          const parentId = parent === null ? null : `c${parent}`;
          const id = `c${n}`;
          const existing = categories.find((c) => c.id === id);
          if (isMove && existing) {
            if (checkPlacement(categories, id, parentId) === null) existing.parentId = parentId;
          } else if (!existing && checkPlacement(categories, undefined, parentId) === null) {
            categories.push(cat(id, parentId));
          }
        }
        for (const c of categories) {
          const depth = depthOf(categories, c.id);
          assert.ok(depth !== undefined && depth <= 3, `${c.id} at depth ${depth}`);
        }
      },
    ),
  );
});

test('slugs from names', () => {
  assert.equal(slugify('Coffee & Tea'), 'coffee-tea');
  assert.equal(slugify('  T-shirts  '), 't-shirts');
  assert.equal(slugify('Crème brûlée'), 'creme-brulee');
  assert.equal(slugify('!!!'), '');
});

test('image types by their signatures only', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]);
  assert.equal(imageTypeOf(png), 'png');
  assert.equal(imageTypeOf(Buffer.from([0xff, 0xd8, 0xff, 0xdb])), 'jpeg');
  assert.equal(imageTypeOf(Buffer.from('RIFF\x04\x00\x00\x00WEBPVP8 ', 'latin1')), 'webp');
  assert.equal(imageTypeOf(Buffer.from('RIFF\x04\x00\x00\x00WAVEfmt ', 'latin1')), null);
  assert.equal(imageTypeOf(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')), null);
  assert.equal(imageTypeOf(png.subarray(0, 4)), null);
  assert.equal(imageTypeOf(Buffer.alloc(0)), null);
});

test('a new value grows its option; known values and unknown options leave them as they are', () => {
  const options = [
    { name: 'Size', values: ['S', 'M'] },
    { name: 'Colour', values: ['Red'] },
  ];
  assert.deepEqual(growOptions(options, { Size: 'L', Colour: 'Red' }), [
    { name: 'Size', values: ['S', 'M', 'L'] },
    { name: 'Colour', values: ['Red'] },
  ]);
  assert.deepEqual(growOptions(options, { Size: 'S', Fit: 'Slim' }), options);
});
