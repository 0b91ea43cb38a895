import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ROLE_PERMISSIONS, STAFF_ROLES, holds, leavesNoOwner, permissionsOf } from './permissions.ts';

test('the owner holds every permission; staff and support hold less, and never staff or settings', () => {
  const all = new Set(Object.values(ROLE_PERMISSIONS).flat());
  for (const permission of all) assert.ok(holds('owner', permission), permission);
  for (const role of ['staff', 'support'] as const) {
    assert.equal(holds(role, 'staff'), false, role);
    assert.equal(holds(role, 'settings'), false, role);
    assert.equal(holds(role, 'catalog'), false, role);
  }
  assert.equal(holds('support', 'orders.write'), false);
  assert.equal(holds('support', 'refunds'), true);
  assert.deepEqual(permissionsOf(null), []);
  for (const role of STAFF_ROLES) assert.deepEqual(permissionsOf(role), ROLE_PERMISSIONS[role]);
});

test('the last active owner can be neither demoted nor deactivated', () => {
  assert.equal(leavesNoOwner(['a'], 'a', 'deactivate'), true);
  assert.equal(leavesNoOwner(['a'], 'a', { role: 'staff' }), true);
  assert.equal(leavesNoOwner(['a'], 'a', { role: 'owner' }), false, 'staying owner changes nothing');
  assert.equal(leavesNoOwner(['a', 'b'], 'a', 'deactivate'), false);
  assert.equal(leavesNoOwner(['a'], 'x', 'deactivate'), false, 'someone who is not an owner');
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 4 }),
      fc.constantFrom('a', 'b', 'c', 'd'),
      fc.constantFrom<{ role: 'owner' | 'staff' | 'support' } | 'deactivate'>(
        'deactivate',
        { role: 'owner' },
        { role: 'staff' },
        { role: 'support' },
      ),
      (owners, member, change) => {
        const stillOwner = change !== 'deactivate' && change.role === 'owner';
        const after = owners.filter((o) => o !== member || stillOwner);
        assert.equal(leavesNoOwner(owners, member, change), owners.length > 0 && after.length === 0);
      },
    ),
  );
});
