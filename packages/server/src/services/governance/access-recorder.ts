import { prepareAccessEntry, type AccessEntry, type EventStore } from '@declog/core';

/** Appends access entries to an access trail; resolves once an entry is durable. */
export interface AccessRecorder {
  record(entry: AccessEntry): Promise<void>;
}

interface Waiting {
  readonly entry: AccessEntry;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Group commit: entries that arrive while an append is running wait for the next one, which
 * takes them all. A busy server thus pays one append per round trip to the store, not one per
 * request, and no request is answered before its entry is stored. Entries are stored as
 * `written` (they survive a crash of the server at once, and a power loss from the trail's next
 * checkpoint, within a second): flushing the disk for each would be most of a read's time.
 */
export function createAccessRecorder(
  store: EventStore,
  deps: { readonly now: () => Date; readonly newId: () => string },
): AccessRecorder {
  let queue: Waiting[] = [];
  let flushing = false;

  const flush = async () => {
    flushing = true;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        const prepared = batch.map((w) => prepareAccessEntry(w.entry, deps.newId()));
        const result = await store.append(prepared, deps.now().toISOString(), {
          durability: 'written',
        });
        if (!result.ok) throw new Error('access entry ids collided; nothing was recorded');
        for (const waiting of batch) waiting.resolve();
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
    }
    flushing = false;
  };

  return {
    record(entry) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ entry, resolve, reject });
        if (!flushing) void flush();
      });
    },
  };
}
