import { rolesAllowing, type Permission, type Role } from './roles.js';

/** What each permission lets a key do, as the end of "a … key cannot …". */
const DOES: Readonly<Record<Permission, string>> = {
  'read:public': "read the log's verifier key",
  'write:events': 'post events',
  'write:annotations': 'post annotations',
  'read:decisions': 'read decisions and actions',
  'read:log': 'read the log, its checkpoints and proofs',
  'read:access-log': 'read the access trail',
  'read:security-log': 'read the security trail',
  'manage:keys': 'manage keys and tenants',
  'read:policies': 'read policies and holds',
  'manage:policies': 'set policies, place holds or apply retention',
  'erase:subjects': 'erase subjects',
};

const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');

/** `producer`, `producer or admin`, `reviewer, auditor or admin`. */
export function orList(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words.at(-1) ?? ''}`;
}

/**
 * Why a key of `role` is refused what `permission` grants, naming every role that may:
 * `an auditor key cannot post events; producer or admin can`.
 */
export function roleRefusal(role: Role, permission: Permission): string {
  return `${article(role)} ${role} key cannot ${DOES[permission]}; ${orList(rolesAllowing(permission))} can`;
}
