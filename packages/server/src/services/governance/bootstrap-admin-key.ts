import type { GovernanceStore } from '@declog/core';
import { adminKeyProblem, apiKeyHash, BOOTSTRAP_KEY_ID, newApiKey } from './api-key-text.js';

export interface BootstrapResult {
  /** The generated admin key, to print once; null when none was generated. */
  readonly generatedKey: string | null;
}

/**
 * Installs the bootstrap admin key (of all tenants, id `admin`): `adminKey` when given (it
 * replaces the stored one, so a restart with a new value rotates it), else a generated one
 * when the database holds no key at all. Never prints or logs a key itself.
 */
export async function bootstrapAdminKey(
  governance: GovernanceStore,
  adminKey: string | undefined,
  now: () => Date,
): Promise<BootstrapResult> {
  if (adminKey !== undefined) {
    const problem = adminKeyProblem(adminKey);
    if (problem) throw new Error(`DECLOG_ADMIN_KEY ${problem}`);
    const existing = await governance.keyById(BOOTSTRAP_KEY_ID);
    await governance.putKey({
      id: BOOTSTRAP_KEY_ID,
      name: existing?.name ?? 'bootstrap admin',
      role: 'admin',
      tenant: null,
      secretHash: apiKeyHash(adminKey),
      createdAt: existing?.createdAt ?? now().toISOString(),
      revokedAt: null,
    });
    return { generatedKey: null };
  }
  if ((await governance.keys()).length > 0) return { generatedKey: null };
  const key = newApiKey(BOOTSTRAP_KEY_ID);
  const added = await governance.addKey({
    id: key.id,
    name: 'bootstrap admin',
    role: 'admin',
    tenant: null,
    secretHash: apiKeyHash(key.text),
    createdAt: now().toISOString(),
    revokedAt: null,
  });
  // The database held no key at all, so no name can be taken.
  if (!added.added)
    throw new Error(`the bootstrap admin key's name is taken by ${added.nameTakenBy}`);
  return { generatedKey: key.text };
}
