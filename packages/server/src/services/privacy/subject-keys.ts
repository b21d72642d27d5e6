import { randomBytes } from 'node:crypto';
import {
  generateSubjectKey,
  unwrapSubjectKey,
  wrapSubjectKey,
  type GovernanceStore,
  type MasterKeyRing,
  type RandomBytes,
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
  /**
   * The keys of these subjects, made for those that have none but not stored yet: for a
   * batch whose subjects are known before it is checked, so that sealing it need not wait
   * for this thread. Sealing stores what it used (see {@link KeyOffer}).
   */
  offerKeys(tenant: string, subjects: readonly string[]): Promise<KeyOffer>;
  /** The keys (or erasures) of those of these subjects that have a record; makes none. */
  existingKeys(
    tenant: string,
    subjects: readonly string[],
  ): Promise<ReadonlyMap<string, SubjectKeyState>>;
}

/**
 * Keys offered to seal a batch with. Those made for it are not in the database until
 * `store`, which the batch calls before it is appended and only with the subjects it
 * sealed (a batch with an invalid event leaves no key behind). Every open offer of one
 * server that names a new subject offers the same key, so concurrent batches agree; another
 * writer's key for it may still come first.
 */
export interface KeyOffer {
  readonly keys: ReadonlyMap<string, SubjectKeyState>;
  /**
   * Stores the keys made for these subjects (the others have theirs already). False when
   * another writer stored a subject's key first: what was sealed under the offered key must
   * be sealed again.
   */
  store(subjects: readonly string[]): Promise<boolean>;
  /** Ends the offer, stored or not. */
  release(): void;
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
  // Keys made for open offers and not stored yet, by tenant and subject, with how many offers
  // hold each: an offer stores it, the last one to end forgets it.
  const offered = new Map<string, { made: MadeKey; holders: number }>();
  const makeKey = (tenant: string, subject: string): MadeKey => {
    const pending = offered.get(`${tenant}\u0000${subject}`);
    if (pending) return pending.made;
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
    async offerKeys(tenant, subjects) {
      const unique = [...new Set(subjects)];
      const existing = await governance.subjectKeys(tenant, unique);
      const keys = new Map<string, SubjectKeyState>();
      // The stored keys first: one that does not unwrap fails the offer before it holds any.
      for (const [subject, record] of existing) keys.set(subject, unwrap(tenant, subject, record));
      const made = new Map<string, MadeKey>();
      for (const subject of unique) {
        if (existing.has(subject)) continue;
        const id = `${tenant}\u0000${subject}`;
        const pending = offered.get(id) ?? { made: makeKey(tenant, subject), holders: 0 };
        pending.holders += 1;
        offered.set(id, pending);
        made.set(subject, pending.made);
        keys.set(subject, { ok: true, key: pending.made.key });
      }
      let open = true;
      return {
        keys,
        async store(used) {
          const rows = [...new Set(used)].flatMap((subject) => {
            const ours = made.get(subject);
            return ours ? [{ subject, wrappedKey: ours.wrappedKey }] : [];
          });
          if (rows.length === 0) return true;
          const stored = await governance.initSubjectKeys(tenant, rows, now().toISOString());
          let all = true;
          for (const { subject, wrappedKey } of rows) {
            const ours = made.get(subject) as MadeKey;
            if (stored.get(subject)?.wrappedKey === wrappedKey) {
              remember(`${tenant}\u0000${subject}`, wrappedKey, ours.key);
            } else all = false;
          }
          return all;
        },
        release() {
          if (!open) return;
          open = false;
          for (const subject of made.keys()) {
            const id = `${tenant}\u0000${subject}`;
            const pending = offered.get(id);
            if (!pending) continue;
            pending.holders -= 1;
            if (pending.holders === 0) offered.delete(id);
          }
        },
      };
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

/**
 * Random bytes from the system's generator, drawn 64 KiB at a time: a draw of its own costs
 * microseconds, and a batch makes a key and a nonce for each new subject.
 */
function pooledRandom(poolBytes = 65_536): RandomBytes {
  let pool = Buffer.alloc(0);
  return (size) => {
    if (pool.length < size) pool = randomBytes(Math.max(poolBytes, size));
    const out = new Uint8Array(pool.subarray(0, size));
    // Bytes handed out are not kept: a key must not stay readable in the pool.
    pool.fill(0, 0, size);
    pool = pool.subarray(size);
    return out;
  };
}
