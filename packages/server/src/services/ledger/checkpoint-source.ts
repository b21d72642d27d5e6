import type { StoredCheckpoint } from '@declog/core';
import { issueCheckpoint, type CheckpointDeps } from './issue-checkpoint.js';

/**
 * Where the read endpoints get the signed checkpoints they serve and prove against. A server
 * that writes its own store signs what is missing; one that reads a replica only finds what
 * the primary signed (see `replicaCheckpoints`).
 */
export interface CheckpointSource {
  /** The latest checkpoint (a new log's first one included). */
  latest(): Promise<StoredCheckpoint>;
  /**
   * A checkpoint of at least `size` entries, or the latest one when the log holds fewer:
   * the caller then refuses what lies beyond the log.
   */
  covering(size: number): Promise<StoredCheckpoint>;
}

/** Checkpoints of the writable store in `deps`, signed and kept on demand. */
export function issuingCheckpoints(deps: CheckpointDeps): CheckpointSource {
  return {
    async latest() {
      return (await deps.store.latestCheckpoint()) ?? (await issueCheckpoint(deps));
    },
    async covering(size) {
      const latest = await deps.store.latestCheckpoint();
      if (latest && latest.size >= size) return latest;
      return issueCheckpoint(deps);
    },
  };
}
