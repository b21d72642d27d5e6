import {
  canonicalJson,
  parseRetentionPolicy,
  type GovernanceStore,
  type RetentionPolicy,
} from '@declog/core';
import { DeclogError } from '../../errors.js';

export const RETENTION_POLICY = 'retention_policy';

/** A tenant's retention policy as set, with when and by whom. */
export interface StoredRetentionPolicy {
  readonly policy: RetentionPolicy;
  readonly updated_at: string;
  readonly updated_by: string;
}

/** The tenant's retention policy, or null when none is set (everything is kept). */
export async function readRetentionPolicy(
  governance: GovernanceStore,
  tenant: string,
): Promise<StoredRetentionPolicy | null> {
  const text = await governance.tenantSetting(tenant, RETENTION_POLICY);
  if (text === null || text === 'null') return null;
  return JSON.parse(text) as StoredRetentionPolicy;
}

/** Sets the tenant's retention policy after checking it; names every bad field of a bad one. */
export async function setRetentionPolicy(
  governance: GovernanceStore,
  tenant: string,
  value: unknown,
  by: string,
  at: string,
): Promise<StoredRetentionPolicy> {
  const result = parseRetentionPolicy(value);
  if (!result.ok) {
    throw new DeclogError('invalid_body', 'invalid retention policy', [...result.issues]);
  }
  const stored: StoredRetentionPolicy = { policy: result.policy, updated_at: at, updated_by: by };
  await governance.putTenantSetting(tenant, RETENTION_POLICY, canonicalJson(stored));
  return stored;
}

/** Removes the policy: nothing is pruned or shredded by age any more. True when there was one. */
export async function removeRetentionPolicy(
  governance: GovernanceStore,
  tenant: string,
): Promise<boolean> {
  const had = (await readRetentionPolicy(governance, tenant)) !== null;
  await governance.putTenantSetting(tenant, RETENTION_POLICY, 'null');
  return had;
}
