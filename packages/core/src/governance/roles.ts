/** What a key may do: a role grants a fixed set of permissions. */
export const ROLES = ['producer', 'reviewer', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  /** Any authenticated call: the OpenAPI document, the log's verifier key. */
  'read:public',
  /** Append decisions, actions, outcomes and annotations. */
  'write:events',
  /** Append annotations authored by the key's own principal. */
  'write:annotations',
  /** Read decisions, their chains and actions. */
  'read:decisions',
  /** Read log entries, checkpoints and proofs: what a verifier needs. */
  'read:log',
  /** Read the access trail. */
  'read:access-log',
  /** Read the server's security trail (admins of all tenants only). */
  'read:security-log',
  /** Create, list and revoke keys; create tenants. */
  'manage:keys',
  /** Read masking, retention and hold policies. */
  'read:policies',
  /** Set masking, retention and hold policies. */
  'manage:policies',
  /** Erase a subject's personal data. */
  'erase:subjects',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Readonly<Record<Role, readonly Permission[]>> = {
  producer: ['read:public', 'write:events'],
  reviewer: ['read:public', 'write:annotations', 'read:decisions'],
  auditor: ['read:public', 'read:decisions', 'read:log', 'read:access-log', 'read:policies'],
  admin: PERMISSIONS,
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Whether `role` grants `permission`. */
export function roleAllows(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

/** The roles that grant `permission`, for error messages and docs. */
export function rolesAllowing(permission: Permission): readonly Role[] {
  return ROLES.filter((role) => roleAllows(role, permission));
}
