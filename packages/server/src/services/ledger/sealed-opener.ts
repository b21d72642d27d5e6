import {
  asRecordValue,
  openPersonalData,
  unwrapSubjectKey,
  type GovernanceStore,
  type MasterKeyRing,
} from '@declog/core';
import type { SealedOpener } from './check-index.js';

/** Unwrapped keys kept for the next pages (subjects recur); forgotten all at once beyond it. */
const KEYS_KEPT = 50_000;

/**
 * Opens each sealed record with its subject's key (unwrapped with the master keys) against the
 * commitment of its event's leaf, as a read does: a record altered, or moved from another
 * event (even one of the same subject), does not open. A subject whose key was destroyed has
 * nothing left to open with; one with no key at all, or a key that does not unwrap, cannot
 * have readable records.
 */
export function sealedOpener(
  governance: GovernanceStore,
  tenant: string,
  masterKeys: MasterKeyRing,
): SealedOpener {
  const unwrapped = new Map<string, Uint8Array | 'erased' | string>();
  const keyOf = async (subjects: readonly string[]) => {
    const unknown = subjects.filter((subject) => !unwrapped.has(subject));
    if (unknown.length === 0) return;
    if (unwrapped.size > KEYS_KEPT) unwrapped.clear();
    const records = await governance.subjectKeys(tenant, unknown);
    for (const subject of unknown) {
      const record = records.get(subject);
      if (!record) {
        unwrapped.set(subject, `its subject ${JSON.stringify(subject)} has no key (subject_keys)`);
      } else if (record.wrappedKey === null) unwrapped.set(subject, 'erased');
      else {
        const opened = unwrapKey(masterKeys, record.wrappedKey, tenant, subject);
        unwrapped.set(
          subject,
          opened.ok
            ? opened.subjectKey
            : `its subject's key does not unwrap (${opened.code}) (subject_keys)`,
        );
      }
    }
  };
  return async (pairs) => {
    await keyOf([...new Set(pairs.map((pair) => pair.record.subject))]);
    const problems = new Map<string, string>();
    for (const { facts, record } of pairs) {
      const key = unwrapped.get(record.subject);
      if (typeof key === 'string') {
        if (key !== 'erased') problems.set(facts.id, key);
        continue;
      }
      if (key === undefined || record.content === undefined || facts.personal === null) continue;
      const opened = openPersonalData(
        { id: facts.id, personal: JSON.parse(facts.personal.member) as unknown },
        asRecordValue(record.content),
        key,
      );
      if (!opened.ok) {
        problems.set(
          facts.id,
          `its sealed record does not open against its leaf's commitment (${opened.code}): ` +
            'it was altered, or belongs to another event (personal_data)',
        );
      }
    }
    return problems;
  };
}

function unwrapKey(masterKeys: MasterKeyRing, wrapped: string, tenant: string, subject: string) {
  let record: unknown;
  try {
    record = JSON.parse(wrapped);
  } catch {
    return { ok: false as const, code: 'malformed-wrapped-key' };
  }
  return unwrapSubjectKey(masterKeys.openWith, record, { tenant, subject });
}
