/** The tenant every database starts with, acted on unless a request names another. */
export const DEFAULT_TENANT = 'default';

/** Written instead of a tenant for an admin key that acts for all tenants. */
export const ALL_TENANTS = '*';

const TENANT_NAME = /^[a-z0-9](?:[a-z0-9_-]{0,62})$/;

/**
 * Why `name` cannot be a tenant, or null when it can: 1–63 characters of lowercase letters,
 * digits, `-` and `_`, starting with a letter or digit (safe in URLs, headers and log ids).
 */
export function tenantNameProblem(name: string): string | null {
  if (TENANT_NAME.test(name)) return null;
  return 'must be 1-63 characters of a-z, 0-9, "-" and "_", starting with a letter or digit';
}

/** The id of a tenant's decision log in its database. */
export function decisionLogId(tenant: string): string {
  return tenant;
}

/** The id of a tenant's access trail in its database ("/" never occurs in a tenant name). */
export function accessLogId(tenant: string): string {
  return `${tenant}/access`;
}
