import { DEFAULT_TENANT, type GovernanceStore, type SubjectKeyRecord } from '@declog/core';
import { PSEUDONYM_KEY_SETTING } from '../governance/pseudonym-keys.js';
import { MASKING_POLICY } from '../governance/tenant-policies.js';
import { MASTER_KEY_ID_SETTING, MASTER_KEY_ROTATION_SETTING } from '../privacy/master-key-state.js';
import { RETENTION_POLICY } from '../retention/retention-policies.js';

/** The tenant settings a copy carries: policies, and secrets wrapped by the master key. */
const COPIED_TENANT_SETTINGS = [
  MASTER_KEY_ID_SETTING,
  PSEUDONYM_KEY_SETTING,
  MASKING_POLICY,
  RETENTION_POLICY,
] as const;

const SUBJECT_PAGE = 500;

/** What a governance copy carried over (counts of what the source holds). */
export interface GovernanceCopy {
  readonly tenants: number;
  readonly apiKeys: number;
  readonly settings: number;
  readonly subjectKeys: number;
  readonly erasedSubjects: number;
  readonly holds: number;
}

/**
 * Why the target cannot take the source's governance, or null: its master key is another
 * (the source's subject and pseudonym keys are wrapped by the source's, and re-wrapping them
 * is not done by a copy), or the source is in the middle of a master key rotation. Reads only.
 */
export async function governanceCopyProblem(
  source: GovernanceStore,
  target: GovernanceStore,
): Promise<string | null> {
  for (const { name } of await source.tenants()) {
    if ((await source.tenantSetting(name, MASTER_KEY_ROTATION_SETTING)) !== null) {
      return 'the source is in the middle of a master key rotation: finish it, then copy';
    }
  }
  const ours = await source.tenantSetting(DEFAULT_TENANT, MASTER_KEY_ID_SETTING);
  const theirs = await target.tenantSetting(DEFAULT_TENANT, MASTER_KEY_ID_SETTING);
  if (ours !== null && theirs !== null && ours !== theirs) {
    return (
      `the target's master key is ${theirs}, the source's ${ours}: the subject keys are ` +
      "wrapped by the source's; copy into a database that has no master key yet"
    );
  }
  return null;
}

/**
 * Copies tenants, API keys (by their hashes, revoked ones included), each tenant's policies and
 * wrapped secrets, subject keys as the source wraps them (erased subjects stay erased, with who
 * erased them and when) and legal holds (released ones stay released). What the target holds
 * already is kept: running it again after an interruption carries only what is missing. Serve
 * the copy with the source's master key.
 */
export async function copyGovernance(
  source: GovernanceStore,
  target: GovernanceStore,
): Promise<GovernanceCopy> {
  const tenants = await source.tenants();
  for (const tenant of tenants) await target.addTenant(tenant);
  // The default tenant's settings (the master key's id among them) exist before any server
  // has recorded the tenant itself (a database only `declog ingest --db` has written).
  const names = [
    DEFAULT_TENANT,
    ...tenants.map((tenant) => tenant.name).filter((name) => name !== DEFAULT_TENANT),
  ];

  const apiKeys = await source.keys();
  for (const key of apiKeys) {
    const kept = await target.keyById(key.id);
    // A key revoked on the source since an earlier copy is revoked on the target too.
    if (kept === null || (kept.revokedAt === null && key.revokedAt !== null))
      await target.putKey(key);
  }

  let settings = 0;
  for (const name of names) {
    for (const key of COPIED_TENANT_SETTINGS) {
      const value = await source.tenantSetting(name, key);
      if (value === null) continue;
      settings += 1;
      await target.putTenantSetting(name, key, value);
    }
  }

  let subjectKeys = 0;
  let erasedSubjects = 0;
  let after: { tenant: string; subject: string } | null = null;
  for (;;) {
    const page: readonly SubjectKeyRecord[] = await source.subjectKeyPage(after, SUBJECT_PAGE);
    for (const record of page) {
      if (record.wrappedKey === null) {
        erasedSubjects += 1;
        const kept = await target.subjectKey(record.tenant, record.subject);
        if (kept === null || kept.wrappedKey !== null) {
          await target.eraseSubjectKey(
            record.tenant,
            record.subject,
            record.erasedAt ?? record.createdAt,
            record.erasedBy ?? 'copy',
          );
        }
      } else {
        subjectKeys += 1;
        await target.initSubjectKey(
          record.tenant,
          record.subject,
          record.wrappedKey,
          record.createdAt,
        );
      }
    }
    const last = page.at(-1);
    if (page.length < SUBJECT_PAGE || last === undefined) break;
    after = { tenant: last.tenant, subject: last.subject };
  }

  let holds = 0;
  for (const name of names) {
    const kept = new Set((await target.holds(name)).map((hold) => hold.id));
    for (const hold of await source.holds(name)) {
      holds += 1;
      if (!kept.has(hold.id)) await target.addHold(hold);
      if (hold.releasedAt !== null) {
        await target.releaseHold(name, hold.id, hold.releasedAt, hold.releasedBy ?? 'copy');
      }
    }
  }
  return {
    tenants: tenants.length,
    apiKeys: apiKeys.length,
    settings,
    subjectKeys,
    erasedSubjects,
    holds,
  };
}
