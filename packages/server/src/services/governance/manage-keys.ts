import {
  ALL_TENANTS,
  isRole,
  ROLES,
  tenantNameProblem,
  type ApiKeyRecord,
  type GovernanceStore,
} from '@declog/core';
import { DeclogError, type ErrorDetail } from '../../errors.js';
import { apiKeyHash, newApiKey } from './api-key-text.js';
import type { Principal } from './principal.js';

export interface KeyDeps {
  readonly governance: GovernanceStore;
  readonly now: () => Date;
  /** A new key's id and text; random by default. */
  readonly newKey?: () => { readonly id: string; readonly text: string };
}

/** A key as the API shows it: never its secret or hash. */
export interface KeyView {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly tenant: string;
  readonly created_at: string;
  readonly revoked_at: string | null;
}

export function keyView(key: ApiKeyRecord): KeyView {
  return {
    id: key.id,
    name: key.name,
    role: key.role,
    tenant: key.tenant ?? ALL_TENANTS,
    created_at: key.createdAt,
    revoked_at: key.revokedAt,
  };
}

/**
 * `POST /v1/keys` {role, name, tenant?}: a new key for `tenant` (by default the tenant the
 * request acts on; `*` for all tenants, admin keys only). Naming a tenant that does not exist
 * creates it, which only an admin of all tenants may do; a tenant's admin makes keys for its
 * own tenant only. A name another live key acting in the tenant holds is refused
 * (`key_name_taken`): annotations are authored in a key's name, so a name is one principal.
 * The answer holds the key's secret text, this once.
 */
export async function createKey(
  deps: KeyDeps,
  actor: Principal,
  actingTenant: string,
  body: unknown,
): Promise<KeyView & { readonly key: string }> {
  const request = parseKeyRequest(body);
  const tenant = request.tenant ?? actingTenant;
  if (tenant === ALL_TENANTS && request.role !== 'admin') {
    throw invalid('tenant', `"${ALL_TENANTS}" (all tenants) is for admin keys only`);
  }
  if (actor.tenant !== null && tenant !== actor.tenant) {
    throw new DeclogError(
      'forbidden',
      `this key manages tenant ${actor.tenant} only; it cannot make keys for ${tenant === ALL_TENANTS ? 'all tenants' : tenant}`,
    );
  }
  const at = deps.now().toISOString();
  if (tenant !== ALL_TENANTS) await deps.governance.addTenant({ name: tenant, createdAt: at });
  const { id, text } = (deps.newKey ?? newApiKey)();
  const record: ApiKeyRecord = {
    id,
    name: request.name,
    role: request.role,
    tenant: tenant === ALL_TENANTS ? null : tenant,
    secretHash: apiKeyHash(text),
    createdAt: at,
    revokedAt: null,
  };
  const added = await deps.governance.addKey(record);
  if (!added.added) {
    const scope =
      tenant === ALL_TENANTS ? 'of any tenant' : `of tenant ${tenant} or of all tenants`;
    throw new DeclogError(
      'key_name_taken',
      `a live key ${scope} is named ${JSON.stringify(request.name)} already; a name is a principal, so it names one key (revoke the other first)`,
      [{ path: 'name', message: 'is the name of another live key' }],
    );
  }
  const { id: _id, ...view } = keyView(record);
  return { id, key: text, ...view };
}

/** `GET /v1/keys`: the keys this admin manages, revoked ones included, without secrets. */
export async function listKeys(deps: KeyDeps, actor: Principal): Promise<readonly KeyView[]> {
  const keys = await deps.governance.keys(actor.tenant ?? undefined);
  return keys.map(keyView);
}

/** `DELETE /v1/keys/{id}`: revokes a key at once; unknown to this admin is not found. */
export async function revokeKey(deps: KeyDeps, actor: Principal, id: string): Promise<KeyView> {
  const key = await deps.governance.keyById(id);
  if (!key || (actor.tenant !== null && key.tenant !== actor.tenant)) {
    throw new DeclogError('key_not_found', `no API key ${id}`);
  }
  if (key.revokedAt === null) await deps.governance.revokeKey(id, deps.now().toISOString());
  return keyView((await deps.governance.keyById(id)) ?? key);
}

interface KeyRequest {
  readonly role: (typeof ROLES)[number];
  readonly name: string;
  readonly tenant?: string;
}

function parseKeyRequest(body: unknown): KeyRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new DeclogError('invalid_body', 'body must be an object {"role", "name", "tenant"}');
  }
  const { role, name, tenant, ...rest } = body as Record<string, unknown>;
  const details: ErrorDetail[] = Object.keys(rest).map((key) => ({
    path: key,
    message: 'unknown field; use role, name, tenant',
  }));
  if (!isRole(role)) details.push({ path: 'role', message: `must be one of ${ROLES.join(', ')}` });
  if (typeof name !== 'string' || name.trim() === '' || name.length > 128) {
    details.push({ path: 'name', message: 'must be a string of 1-128 characters' });
  }
  if (tenant !== undefined) {
    const problem =
      typeof tenant !== 'string'
        ? 'must be a string'
        : tenant === ALL_TENANTS
          ? null
          : tenantNameProblem(tenant);
    if (problem) details.push({ path: 'tenant', message: `${problem}, or "${ALL_TENANTS}"` });
  }
  if (details.length > 0) throw new DeclogError('invalid_body', 'invalid key request', details);
  return {
    role: role as KeyRequest['role'],
    name: (name as string).trim(),
    ...(tenant !== undefined ? { tenant: tenant as string } : {}),
  };
}

function invalid(path: string, message: string): DeclogError {
  return new DeclogError('invalid_body', `${path} ${message}`, [{ path, message }]);
}
