import {
  generateSubjectKey,
  unwrapSubjectKey,
  wrapSubjectKey,
  type GovernanceStore,
  type MasterKey,
  type SubjectErasure,
} from '@declog/core';

/** A subject's key, or when and by whom it was destroyed. */
export type SubjectKeyState =
  | { readonly ok: true; readonly key: Uint8Array }
  | { readonly ok: false; readonly erasure: SubjectErasure };

export interface SubjectKeys {
  /** The subject's key, made (and wrapped, and stored) on first use unless erased. */
  keyFor(tenant: string, subject: string): Promise<SubjectKeyState>;
  /**
   * The keys of all these subjects, made for those that have none, with one lookup and one
   * write for the lot (the ingest path: a batch often names hundreds of new subjects).
   */
  keysFor(
    tenant: string,
    subjects: readonly string[],
  ): Promise<ReadonlyMap<string, SubjectKeyState>>;
  /** The subject's key if it has one; never makes one. */
  existingKey(tenant: string, subject: string): Promise<SubjectKeyState | null>;
}

/**
 * Subject keys kept wrapped by the master key in the governance tables. Not cached: an
 * erasure on any server takes effect on the next read everywhere.
 */
export function subjectKeys(
  governance: GovernanceStore,
  masterKey: MasterKey,
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
    const opened = unwrapSubjectKey(masterKey, JSON.parse(record.wrappedKey), { tenant, subject });
    if (!opened.ok) {
      throw new Error(`the key of subject ${subject} does not unwrap: ${opened.reason}`);
    }
    return { ok: true, key: opened.subjectKey };
  };
  return {
    async keyFor(tenant, subject) {
      const existing = await governance.subjectKey(tenant, subject);
      if (existing) return unwrap(tenant, subject, existing);
      const wrapped = wrapSubjectKey(masterKey, generateSubjectKey(), { tenant, subject });
      const record = await governance.initSubjectKey(
        tenant,
        subject,
        JSON.stringify(wrapped),
        now().toISOString(),
      );
      return unwrap(tenant, subject, record);
    },
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
                  wrapSubjectKey(masterKey, generateSubjectKey(), { tenant, subject }),
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
    async existingKey(tenant, subject) {
      const existing = await governance.subjectKey(tenant, subject);
      return existing ? unwrap(tenant, subject, existing) : null;
    },
  };
}
