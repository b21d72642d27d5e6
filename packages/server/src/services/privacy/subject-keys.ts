import { pooledRandom } from './pooled-random.js';
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
 * How many unwrapped subject keys a server keeps at hand, most recently used first; a key is
 * kept once it has been needed twice.
 */
export const UNWRAPPED_KEY_CACHE_SIZE = 20_000;

/**
 * Subject keys kept wrapped by the master key in the governance tables (by both keys of a
 * rotation while it adds the new one). Every read looks the record up, so an erasure on any
 * server takes effect on the next read everywhere; what is kept in memory is only the
 * unwrapping of a record, reused while the record still holds the same wrapped bytes (a
 * rotation or an erasure changes them), which spares an AES-GCM open per read.
 */
export function subjectKeys(
  governance: GovernanceStore,
  masterKeys: MasterKeyRing,
  now: () => Date,
  cacheSize = UNWRAPPED_KEY_CACHE_SIZE,
): SubjectKeys {
  const unwrapped = new Map<string, { readonly wrappedKey: string; readonly key: Uint8Array }>();
  // The least recently used id is the first one left in insertion order: every use moves an
  // id to the end. One iterator serves the cache's lifetime and passes each deleted slot once;
  // a fresh `keys()` per eviction would walk every slot deleted since the table was last
  // compacted (thousands in a full cache), which cost more than the unwrapping it spares.
  // Every live id is ahead of it, so it is never exhausted while the map holds one.
  const oldest = unwrapped.keys();
  // Ids missed once lately: a key is kept from its second miss. Kept from its first, every
  // subject read once (most of them, when readers range over many subjects) would add an
  // entry soon evicted, and that churn cost the garbage collector more than the unwrapping
  // it spared (200,000 subjects read at random, a 20,000-key cache: 10% hits).
  const missedOnce = new Set<string>();
  const remember = (id: string, wrappedKey: string, key: Uint8Array) => {
    if (!unwrapped.has(id) && !missedOnce.delete(id)) {
      missedOnce.add(id);
      // Bounded like the cache; forgetting the lot now and then is the cheapest way.
      if (missedOnce.size > cacheSize) missedOnce.clear();
      return;
    }
    unwrapped.delete(id);
    unwrapped.set(id, { wrappedKey, key });
    if (unwrapped.size > cacheSize) unwrapped.delete(oldest.next().value as string);
  };
  const random = pooledRandom();
  const makeKey = (tenant: string, subject: string): MadeKey => {
    const key = generateSubjectKey(random);
    const wrapped = wrapSubjectKey(masterKeys.wrapWith, key, { tenant, subject }, random);
    return { wrappedKey: JSON.stringify(wrapped), key };
  };

  const unwrap = (
    tenant: string,
    subject: string,
    record: {
      readonly wrappedKey: string | null;
      readonly erasedAt: string | null;
      readonly erasedBy: string | null;
    },
  ): SubjectKeyState => {
    const id = `${tenant}\u0000${subject}`;
    if (record.wrappedKey === null) {
      unwrapped.delete(id);
      return {
        ok: false,
        erasure: { erased_at: record.erasedAt ?? '', erased_by: record.erasedBy ?? '' },
      };
    }
    const known = unwrapped.get(id);
    if (known?.wrappedKey === record.wrappedKey) {
      remember(id, known.wrappedKey, known.key);
      return { ok: true, key: known.key };
    }
    const opened = unwrapSubjectKey(masterKeys.openWith, JSON.parse(record.wrappedKey), {
      tenant,
      subject,
    });
    if (!opened.ok) {
      throw new Error(`the key of subject ${subject} does not unwrap: ${opened.reason}`);
    }
    remember(id, record.wrappedKey, opened.subjectKey);
    return { ok: true, key: opened.subjectKey };
  };
  return {
    async keysFor(tenant, subjects) {
      const unique = [...new Set(subjects)];
      const existing = await governance.subjectKeys(tenant, unique);
      const missing = unique.filter((subject) => !existing.has(subject));
      const made = new Map<string, MadeKey>();
      for (const subject of missing) made.set(subject, makeKey(tenant, subject));
      const stored =
        made.size === 0
          ? new Map()
          : await governance.initSubjectKeys(
              tenant,
              [...made].map(([subject, { wrappedKey }]) => ({ subject, wrappedKey })),
              now().toISOString(),
            );
      const states = new Map<string, SubjectKeyState>();
      for (const subject of unique) {
        const record = existing.get(subject) ?? stored.get(subject);
        if (!record) throw new Error(`no key was stored for subject ${subject}`);
        const ours = made.get(subject);
        // Stored as made here, unless another writer's key for the subject came first.
        if (ours && record.wrappedKey === ours.wrappedKey) {
          remember(`${tenant}\u0000${subject}`, ours.wrappedKey, ours.key);
          states.set(subject, { ok: true, key: ours.key });
        } else states.set(subject, unwrap(tenant, subject, record));
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

/** A key made here, and its record as stored. */
interface MadeKey {
  readonly wrappedKey: string;
  readonly key: Uint8Array;
}
