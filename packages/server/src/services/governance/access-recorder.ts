import { randomBytes } from 'node:crypto';
import {
  canonicalJson,
  prepareAccessEntry,
  splitAccessPersonal,
  type AccessDetailsRecord,
  type AccessEntry,
  type EventStore,
  type GovernanceStore,
} from '@declog/core';

/** Appends access entries to an access trail; resolves once an entry is durable. */
export interface AccessRecorder {
  /**
   * Records an entry. Its personal details (purpose, personal filter values) are kept beside
   * the trail, linked to `subjects`, the data subjects it concerns, so that erasing one of them
   * deletes them; the leaf keeps a commitment to them (see splitAccessPersonal).
   */
  record(entry: AccessEntry, subjects?: readonly string[]): Promise<void>;
}

export interface AccessRecorderDeps {
  readonly now: () => Date;
  readonly newId: () => string;
  /** Where the details are kept: the trail's tenant's governance tables. */
  readonly governance: Pick<GovernanceStore, 'putAccessDetails'>;
  readonly tenant: string;
  /** Salt for each entry's commitment; secure random bytes unless given. */
  readonly random?: (length: number) => Uint8Array;
}

interface Waiting {
  readonly entry: AccessEntry;
  readonly subjects: readonly string[];
  resolve(): void;
  reject(error: unknown): void;
}

const systemRandom = (length: number) => new Uint8Array(randomBytes(length));

/**
 * Group commit: entries that arrive while an append is running wait for the next one, which
 * takes them all. A busy server thus pays one append per round trip to the store, not one per
 * request, and no request is answered before its entry is stored. Entries are stored as
 * `written` (they survive a crash of the server at once, and a power loss from the trail's next
 * checkpoint, within a second): flushing the disk for each would be most of a read's time.
 * Their personal details are stored beside the trail after the append.
 */
export function createAccessRecorder(store: EventStore, deps: AccessRecorderDeps): AccessRecorder {
  let queue: Waiting[] = [];
  let flushing = false;
  const random = deps.random ?? systemRandom;

  const flush = async () => {
    flushing = true;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        const recordedAt = deps.now().toISOString();
        const details: AccessDetailsRecord[] = [];
        const prepared = batch.map((w) => {
          const id = deps.newId();
          const split = splitAccessPersonal(w.entry, random(32));
          if (split.details !== null) {
            details.push({
              tenant: deps.tenant,
              entryId: id,
              recordedAt,
              details: canonicalJson(split.details),
              subjects: w.subjects,
            });
          }
          return prepareAccessEntry(split.entry, id);
        });
        const result = await store.append(prepared, recordedAt, { durability: 'written' });
        if (!result.ok) throw new Error('access entry ids collided; nothing was recorded');
        await deps.governance.putAccessDetails(details);
        for (const waiting of batch) waiting.resolve();
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
    }
    flushing = false;
  };

  return {
    record(entry, subjects = []) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ entry, subjects, resolve, reject });
        if (!flushing) void flush();
      });
    },
  };
}
