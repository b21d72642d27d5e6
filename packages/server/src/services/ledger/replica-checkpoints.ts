import type { EventStore, StoredCheckpoint } from '@declog/core';
import { DeclogError } from '../../errors.js';
import type { CheckpointSource } from './checkpoint-source.js';

export interface ReplicaCheckpointOptions {
  /** How long a request waits for a checkpoint to arrive before `checkpoint_pending` (ms). */
  readonly waitMs?: number;
  /** The pause between two looks at the replica (ms). */
  readonly pollMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Long enough for the primary's next checkpoint (every 250 ms) to replicate in the usual case. */
export const REPLICA_CHECKPOINT_WAIT_MS = 2000;

/**
 * Checkpoints as a read replica holds them. None is ever signed here: the replica is read-only,
 * and proofs must be against a tree the replica has, so that everything a reader gets (events,
 * nodes, checkpoint) comes from one consistent copy of the log. The primary signs a checkpoint
 * within a second of each append; a request that needs one the replica has not replayed yet
 * waits for it a little, then gets `checkpoint_pending`, which is worth retrying.
 */
export function replicaCheckpoints(
  store: EventStore,
  options: ReplicaCheckpointOptions = {},
): CheckpointSource {
  const waitMs = options.waitMs ?? REPLICA_CHECKPOINT_WAIT_MS;
  const pollMs = options.pollMs ?? 50;
  const sleep =
    options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  const covering = async (size: number): Promise<StoredCheckpoint> => {
    for (let waited = 0; ; waited += pollMs) {
      const latest = await store.latestCheckpoint();
      if (latest && latest.size >= size) return latest;
      // Entries the replica does not have are the caller's to refuse, not to wait for.
      if (latest && (await store.size()) < size) return latest;
      if (waited >= waitMs) {
        const wanted = size > 0 ? `of ${size} entries ` : '';
        const held = latest ? ` (its latest signs ${latest.size})` : '';
        throw new DeclogError(
          'checkpoint_pending',
          `no signed checkpoint ${wanted}has reached this read replica yet${held}; ` +
            'the primary signs one within a second of each write: retry',
        );
      }
      await sleep(pollMs);
    }
  };
  return { latest: () => covering(0), covering };
}
