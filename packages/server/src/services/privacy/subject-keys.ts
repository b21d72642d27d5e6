import {
  generateSubjectKey,
  unwrapSubjectKey,
  wrapSubjectKey,
  type GovernanceStore,
  type MasterKeyRing,
  type SubjectErasure,
} from '@declog/core';

/** A subject's key, or when and by whom it was destroyed. */
export type SubjectKeyState =
  | { readonly ok: true; readonly key: Uint8Array }
  | { readonly ok: false; readonly erasure: SubjectErasure };

export interface SubjectKeys {
  /**
   * The keys of all these subjects, made for those that have none, with one lookup and one
   * write for the lot (the ingest path: a batch often names hundreds of new subjects).
   */
  keysFor(
    tenant: string,
    subjects: readonly string[],
  ): Promise<ReadonlyMap<string, SubjectKeyState>>;
  /** The keys (or erasures) of those of these subjects that have a record; makes none. */
  existingKeys(
    tenant: string,
    subjects: readonly string[],
  ): Promise<ReadonlyMap<string, SubjectKeyState>>;
}

/**
 * Subject keys kept wrapped by the master key in the governance tables (by both keys of a
 * rotation while it adds the new one). Not cached: an erasure on any server takes effect on
 * the next read everywhere.
 */
export function subjectKeys(
  governance: GovernanceStore,
  masterKeys: MasterKeyRing,
  now: () => Date,
): SubjectKeys {
  const unwrap = (
    tenant: string,
    subject: string,
    record: {
      readonly wrappedKey: string | null;
      readonly erasedAt: string | null;
      readonly erasedBy: string | null;
    },
  ): SubjectKeyState => {
    if (record.wrappedKey === null) {
      return {
        ok: false,
        erasure: { erased_at: record.erasedAt ?? '', erased_by: record.erasedBy ?? '' },
      };
    }
    const opened = unwrapSubjectKey(masterKeys.openWith, JSON.parse(record.wrappedKey), {
      tenant,
      subject,
    });
    if (!opened.ok) {
      throw new Error(`the key of subject ${subject} does not unwrap: ${opened.reason}`);
    }
    return { ok: true, key: opened.subjectKey };
  };
  return {
    async keysFor(tenant, subjects) {
      const unique = [...new Set(subjects)];
      const existing = await governance.subjectKeys(tenant, unique);
      const missing = unique.filter((subject) => !existing.has(subject));
      const made =
        missing.length === 0
          ? new Map()
          : await governance.initSubjectKeys(
              tenant,
              missing.map((subject) => ({
                subject,
                wrappedKey: JSON.stringify(
                  wrapSubjectKey(masterKeys.wrapWith, generateSubjectKey(), { tenant, subject }),
                ),
              })),
              now().toISOString(),
            );
      const states = new Map<string, SubjectKeyState>();
      for (const subject of unique) {
        const record = existing.get(subject) ?? made.get(subject);
        if (!record) throw new Error(`no key was stored for subject ${subject}`);
        states.set(subject, unwrap(tenant, subject, record));
      }
      return states;
    },
    async existingKeys(tenant, subjects) {
      const records = await governance.subjectKeys(tenant, [...new Set(subjects)]);
      const states = new Map<string, SubjectKeyState>();
      for (const [subject, record] of records) states.set(subject, unwrap(tenant, subject, record));
      return states;
    },
  };
}
