import { verifyCheckpoint, type PinnedLog, type StoredCheckpoint } from '@declog/core';
import { auditProblem, type AuditProblem } from './audit-problem.js';
import { encodeBase64 } from './_base64.js';
import { sameBytes } from './_bytes.js';

export type CheckpointProblemCode =
  | 'bad-signature'
  | 'wrong-origin'
  | 'malformed-checkpoint'
  | 'checkpoint-mismatch'
  | 'root-mismatch';

/**
 * Checks a stored checkpoint against the pinned log and the root recomputed from the
 * entries: the note must verify, its size and root must be the stored row's, and the root
 * must be the entries' root at that size. `checkedUpTo` is the size of the last checkpoint
 * that passed: if this one fails on its root, the entries that changed lie after it.
 */
export function checkStoredCheckpoint(
  checkpoint: StoredCheckpoint,
  pinned: PinnedLog,
  recomputedRoot: Uint8Array,
  checkedUpTo: number,
): AuditProblem<CheckpointProblemCode> | null {
  const size = checkpoint.size;
  const where = { checkpointSize: size };
  const verified = verifyCheckpoint(checkpoint.note, pinned);
  if (!verified.ok) {
    const code =
      verified.code === 'wrong-origin'
        ? 'wrong-origin'
        : verified.code === 'malformed-checkpoint'
          ? 'malformed-checkpoint'
          : 'bad-signature';
    return auditProblem(code, `checkpoint of size ${size}: ${verified.reason}`, where);
  }
  const signed = verified.checkpoint;
  if (signed.size !== size || !sameBytes(signed.rootHash, checkpoint.rootHash)) {
    return auditProblem(
      'checkpoint-mismatch',
      `the stored checkpoint row (size ${size}, root ${encodeBase64(checkpoint.rootHash)}) ` +
        `differs from its signed note (size ${signed.size}, root ${encodeBase64(signed.rootHash)})`,
      where,
    );
  }
  if (!sameBytes(signed.rootHash, recomputedRoot)) {
    if (size === 0) {
      return auditProblem('root-mismatch', 'the signed root of the empty tree is wrong', where);
    }
    const seqRange = [checkedUpTo, size - 1] as const;
    return auditProblem(
      'root-mismatch',
      `the signed root of size ${size} is ${encodeBase64(signed.rootHash)} but the entries hash to ` +
        `${encodeBase64(recomputedRoot)}: an entry in seq ${seqRange[0]}–${seqRange[1]} differs from ` +
        `what was signed (the checkpoints before it matched)`,
      { ...where, seq: checkedUpTo, seqRange },
    );
  }
  return null;
}
