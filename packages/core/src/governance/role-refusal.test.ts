import { describe, expect, test } from 'vitest';
import { orList, roleRefusal } from './role-refusal.js';
import { PERMISSIONS, ROLES, rolesAllowing } from './roles.js';

describe('roleRefusal', () => {
  test.each([
    ['auditor', 'write:events', 'an auditor key cannot post events; producer or admin can'],
    [
      'producer',
      'read:decisions',
      'a producer key cannot read decisions and actions; reviewer, auditor or admin can',
    ],
    [
      'reviewer',
      'read:log',
      'a reviewer key cannot read the log, its checkpoints and proofs; auditor or admin can',
    ],
    ['auditor', 'manage:keys', 'an auditor key cannot manage keys and tenants; admin can'],
  ] as const)('%s refused %s', (role, permission, message) => {
    expect(roleRefusal(role, permission)).toBe(message);
  });

  test('names every role that may, for every permission', () => {
    for (const permission of PERMISSIONS) {
      for (const role of ROLES) {
        expect(roleRefusal(role, permission)).toMatch(
          new RegExp(`; ${orList(rolesAllowing(permission))} can$`),
        );
      }
    }
  });

  test('lists words as people write them', () => {
    expect([[], ['a'], ['a', 'b'], ['a', 'b', 'c']].map(orList)).toEqual([
      '',
      'a',
      'a or b',
      'a, b or c',
    ]);
  });
});
