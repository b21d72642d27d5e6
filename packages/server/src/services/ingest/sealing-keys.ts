import {
  generateSubjectKey,
  unwrapSubjectKey,
  wrapSubjectKey,
  type GovernanceStore,
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
  /** The tenant's keys are out of date (an append found them stale): read them again. */
  invalidate(tenant: string): void;
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
  cacheSize = SEALING_KEY_CACHE_SIZE,
): SealingKeySource {
  const tenants = new Map<string, Promise<TenantKeys>>();
  const random = pooledRandom();

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
          } else if (record.wrappedKey === null) {
            cache.keys.set(subject, {
              ok: false,
              erasure: { erased_at: record.erasedAt ?? '', erased_by: record.erasedBy ?? '' },
            });
          } else {
            const opened = unwrapSubjectKey(masterKeys.openWith, JSON.parse(record.wrappedKey), {
              tenant,
              subject,
            });
            if (!opened.ok) {
              throw new Error(`the key of subject ${subject} does not unwrap: ${opened.reason}`);
            }
            cache.keys.set(subject, { ok: true, key: opened.subjectKey });
          }
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
    invalidate(tenant) {
      tenants.delete(tenant);
    },
  };
}
