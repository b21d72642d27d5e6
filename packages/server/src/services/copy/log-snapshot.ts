import type { EventStore, StoredCheckpoint } from '@declog/core';

/** The log settings a copy carries over: what checkpoints are signed and verified with. */
export const COPIED_SETTINGS = ['origin', 'verifier_key'] as const;

export type CopiedSetting = (typeof COPIED_SETTINGS)[number];

/** What a copy takes from the source: its size when the copy began, settings, checkpoints. */
export interface LogSnapshot {
  readonly size: number;
  readonly settings: Readonly<Record<CopiedSetting, string | null>>;
  /** Kept checkpoints up to `size`, in size order. */
  readonly checkpoints: readonly StoredCheckpoint[];
}

/**
 * Reads a log's size, settings and checkpoints. Entries appended after this are left for the
 * next copy: checkpoints first, so none read is beyond the size.
 */
export async function logSnapshot(store: EventStore): Promise<LogSnapshot> {
  const checkpoints = await store.checkpoints();
  const size = await store.size();
  return {
    size,
    settings: {
      origin: await store.setting('origin'),
      verifier_key: await store.setting('verifier_key'),
    },
    checkpoints: checkpoints.filter((checkpoint) => checkpoint.size <= size),
  };
}
