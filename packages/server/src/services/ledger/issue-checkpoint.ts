import { signCheckpoint, type EventStore, type StoredCheckpoint } from '@declog/core';
import type { LogIdentity } from './log-identity.js';
import { rootOf } from './tree-reads.js';

export interface CheckpointDeps {
  readonly store: EventStore;
  readonly identity: LogIdentity;
  readonly now: () => Date;
}

/**
 * Signs and keeps a checkpoint of the whole log unless the latest one already covers it.
 * Safe to run from several processes at once: each size is kept once, first signer wins.
 */
export async function issueCheckpoint(deps: CheckpointDeps): Promise<StoredCheckpoint> {
  const { store, identity } = deps;
  const size = await store.size();
  const latest = await store.latestCheckpoint();
  if (latest && latest.size >= size) return latest;
  const rootHash = await rootOf(store, size);
  const note = signCheckpoint({ origin: identity.origin, size, rootHash }, identity.signer);
  await store.addCheckpoint({ size, rootHash, note, issuedAt: deps.now().toISOString() });
  return (await store.latestCheckpoint()) ?? { size, rootHash, note, issuedAt: '' };
}
