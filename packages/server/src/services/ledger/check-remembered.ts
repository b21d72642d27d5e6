import { frontierRoot, subtreeNodes, type Frontier, type StoredCheckpoint } from '@declog/core';
import { auditProblem, type AuditProblem } from './audit-problem.js';
import { sameBytes } from './_bytes.js';
import type { VerifiedLog } from './verified-log.js';

export type RememberedProblemCode =
  'key-changed' | 'origin-changed' | 'tree-shrank' | 'history-rewritten' | 'checkpoint-removed';

/**
 * Whether a stored log, rebuilt up to the size an earlier run verified (`frontier`), is still
 * the tree that run remembered, and still holds the checkpoint it verified (checkpoints are
 * never deleted). Catches what the database alone cannot show: entries rewritten together
 * with their stored tree, and the checkpoints that signed them deleted. Null when it is.
 */
export function checkRemembered(
  previous: VerifiedLog,
  frontier: Frontier,
  checkpoints: readonly StoredCheckpoint[],
): AuditProblem<RememberedProblemCode> | null {
  if (!sameBytes(frontierRoot(frontier), previous.rootHash)) {
    const [first, last] = firstChangedSubtree(previous.frontier, frontier);
    return auditProblem(
      'history-rewritten',
      `the entries no longer make the tree of size ${previous.size} verified before: ` +
        `seq ${first}–${last} were rewritten`,
      { seq: first, seqRange: [first, last], checkpointSize: previous.size },
    );
  }
  // Each stored checkpoint of this size was checked against the rebuilt root already.
  if (!checkpoints.some((checkpoint) => checkpoint.size === previous.size)) {
    return auditProblem(
      'checkpoint-removed',
      `the checkpoint of size ${previous.size} verified before is no longer stored`,
      { checkpointSize: previous.size },
    );
  }
  return null;
}

/**
 * The seq range of the first complete subtree (largest first) whose hash differs between two
 * frontiers of one size: where a rewrite lies, as far as a frontier can tell.
 */
function firstChangedSubtree(remembered: Frontier, rebuilt: Frontier): [number, number] {
  const missing = new Uint8Array(0);
  for (const [i, { level, index }] of subtreeNodes(0, remembered.size).entries()) {
    if (!sameBytes(remembered.hashes[i] ?? missing, rebuilt.hashes[i] ?? missing)) {
      const width = 2 ** level;
      return [index * width, (index + 1) * width - 1];
    }
  }
  return [0, remembered.size - 1];
}
