import {
  generateSubjectKey,
  unwrapSubjectKey,
  wrapSubjectKey,
  type GovernanceStore,
  type SubjectKeyRecord,
  type MasterKeyRing,
  type SealingKeys,
} from '@declog/core';
import { pooledRandom } from '../privacy/pooled-random.js';
import type { SubjectKeyState } from '../privacy/subject-keys.js';

/** The keys a batch is sealed with, and what its append must check and store of them. */
export interface BatchKeys {
  readonly keys: ReadonlyMap<string, SubjectKeyState>;
  readonly sealing: SealingKeys;
}

/**
 * The subject keys ingest seals with, kept unwrapped per tenant so that sealing a batch reads
 * the database only for subjects not seen before. A cache is trusted only as far as the
 * append checks it: every append carries the tenant's erasure epoch the cache was read at
 * (an erasure anywhere moves it) and the keys made here for new subjects, and fails as stale
 * when either is out of date; the caller then drops the tenant's cache and seals again.
 */
export interface SealingKeySource {
  /** The keys of these subjects: cached, read, or made (then stored by the batch's append). */
  forBatch(tenant: string, subjects: readonly string[]): Promise<BatchKeys>;
  /** The batch's append stored the keys made for it. */
  stored(tenant: string, sealing: SealingKeys): void;
  /**
   * The batch's append found its keys stale: learns what is in force instead, so that the
   * batch can be sealed again. Answers `erased` when the erasure epoch moved (the tenant's
   * cache is dropped); else the keys made for the batch are stored now, each subject's first
   * stored key winning, and `keys` says that sealing again cannot meet another server's key
   * for them.
   */
  settle(tenant: string, sealing: SealingKeys): Promise<'erased' | 'keys'>;
}

/**
 * How many unwrapped subject keys a tenant's cache holds before it starts over: about 40 MB at
 * this size, which holds every subject of the benchmark's 200,000.
 */
export const SEALING_KEY_CACHE_SIZE = 262_144;

interface TenantKeys {
  readonly epoch: number;
  readonly keys: Map<string, SubjectKeyState>;
  /** Keys made here for subjects the database has no record of yet, wrapped. */
  readonly made: Map<string, { readonly key: Uint8Array; readonly wrappedKey: string }>;
}

export function sealingKeySource(
  governance: GovernanceStore,
  masterKeys: MasterKeyRing,
  now: () => Date = () => new Date(),
  cacheSize = SEALING_KEY_CACHE_SIZE,
): SealingKeySource {
  const tenants = new Map<string, Promise<TenantKeys>>();
  const random = pooledRandom();

  /** What a stored record of a subject's key gives to seal with. */
  const stateOf = (tenant: string, record: SubjectKeyRecord): SubjectKeyState => {
    if (record.wrappedKey === null) {
      return {
        ok: false,
        erasure: { erased_at: record.erasedAt ?? '', erased_by: record.erasedBy ?? '' },
      };
    }
    const { subject } = record;
    const opened = unwrapSubjectKey(masterKeys.openWith, JSON.parse(record.wrappedKey), {
      tenant,
      subject,
    });
    if (!opened.ok) {
      throw new Error(`the key of subject ${subject} does not unwrap: ${opened.reason}`);
    }
    return { ok: true, key: opened.subjectKey };
  };

  const tenantKeys = (tenant: string): Promise<TenantKeys> => {
    let keys = tenants.get(tenant);
    if (!keys) {
      keys = governance
        .erasureEpoch(tenant)
        .then((epoch) => ({ epoch, keys: new Map(), made: new Map() }));
      keys.catch(() => tenants.delete(tenant));
      tenants.set(tenant, keys);
    }
    return keys;
  };

  return {
    async forBatch(tenant, subjects) {
      const cache = await tenantKeys(tenant);
      if (cache.keys.size > cacheSize) cache.keys.clear();
      const unknown = subjects.filter((s) => !cache.keys.has(s) && !cache.made.has(s));
      if (unknown.length > 0) {
        const records = await governance.subjectKeys(tenant, [...new Set(unknown)]);
        for (const subject of unknown) {
          if (cache.keys.has(subject) || cache.made.has(subject)) continue;
          const record = records.get(subject);
          if (record === undefined) {
            const key = generateSubjectKey(random);
            const wrapped = wrapSubjectKey(masterKeys.wrapWith, key, { tenant, subject }, random);
            cache.made.set(subject, { key, wrappedKey: JSON.stringify(wrapped) });
          } else cache.keys.set(subject, stateOf(tenant, record));
        }
      }
      const keys = new Map<string, SubjectKeyState>();
      const created: { subject: string; wrappedKey: string }[] = [];
      for (const subject of subjects) {
        if (keys.has(subject)) continue;
        const made = cache.made.get(subject);
        if (made !== undefined) {
          keys.set(subject, { ok: true, key: made.key });
          created.push({ subject, wrappedKey: made.wrappedKey });
        } else keys.set(subject, cache.keys.get(subject) as SubjectKeyState);
      }
      return { keys, sealing: { epoch: cache.epoch, created } };
    },
    stored(tenant, sealing) {
      void tenants.get(tenant)?.then((cache) => {
        if (cache.epoch !== sealing.epoch) return;
        for (const { subject } of sealing.created) {
          const made = cache.made.get(subject);
          if (made === undefined) continue;
          cache.made.delete(subject);
          cache.keys.set(subject, { ok: true, key: made.key });
        }
      });
    },
    async settle(tenant, sealing) {
      const current = tenantKeys(tenant);
      const cache = await current;
      const epoch = await governance.erasureEpoch(tenant);
      if (epoch !== sealing.epoch || cache.epoch !== epoch) {
        // Dropped once: a batch that finds a newer cache already in place seals with it.
        if (cache.epoch !== epoch && tenants.get(tenant) === current) tenants.delete(tenant);
        return 'erased';
      }
      // Another server stored a key first for a subject new to this one. Each key made here is
      // stored now (outside any append, in the order of subjects, as every writer of several
      // keys stores them), and the batch is sealed again with the keys in force.
      const made = sealing.created
        .filter(({ subject }) => cache.made.has(subject))
        .sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
      if (made.length === 0) return 'keys';
      const inForce = await governance.initSubjectKeys(tenant, made, now().toISOString());
      for (const { subject, wrappedKey } of made) {
        const mine = cache.made.get(subject);
        const record = inForce.get(subject);
        if (mine === undefined || record === undefined) continue;
        cache.made.delete(subject);
        cache.keys.set(
          subject,
          record.wrappedKey === wrappedKey ? { ok: true, key: mine.key } : stateOf(tenant, record),
        );
      }
      return 'keys';
    },
  };
}
