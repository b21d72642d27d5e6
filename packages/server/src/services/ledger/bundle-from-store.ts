import { Buffer } from 'node:buffer';
import type { EventStore, StoredCheckpoint } from '@declog/core';
import { readDecisionChainRows } from '../read-events.js';
import { evidenceBundle } from './evidence-bundle.js';
import { proveInclusion } from './tree-reads.js';

/**
 * The evidence bundle of a decision from the store: its chain, proven against the latest
 * checkpoint. When no checkpoint covers the whole chain yet, `issueCheckpoint` is asked for
 * one (it needs the signing key); without it, or if its checkpoint still falls short, this
 * throws.
 */
export async function bundleFromStore(
  store: EventStore,
  decisionId: string,
  issueCheckpoint?: () => Promise<StoredCheckpoint>,
): Promise<Record<string, unknown>> {
  const chain = await readDecisionChainRows(store, decisionId);
  const rows = [chain.decision, ...chain.linked];
  const needed = Math.max(...rows.map((row) => row.seq)) + 1;
  let checkpoint = await store.latestCheckpoint();
  if ((checkpoint?.size ?? 0) < needed && issueCheckpoint) checkpoint = await issueCheckpoint();
  if (checkpoint === null || checkpoint.size < needed) {
    throw new Error(
      `no signed checkpoint covers seq ${needed - 1} of this decision's chain yet` +
        (checkpoint ? ` (the latest signs ${checkpoint.size} entries)` : ''),
    );
  }
  const size = checkpoint.size;
  const entries = await Promise.all(
    rows.map(async (row) => ({
      seq: row.seq,
      leaf: Buffer.from(row.json, 'utf8'),
      event: JSON.parse(row.json) as unknown,
      inclusionProof: await proveInclusion(store, row.seq, size),
    })),
  );
  return evidenceBundle({
    origin:
      (await store.setting('origin')) ?? checkpoint.note.slice(0, checkpoint.note.indexOf('\n')),
    verifierKey: await store.setting('verifier_key'),
    checkpoint: { note: checkpoint.note, size },
    decisionId,
    entries,
  });
}
