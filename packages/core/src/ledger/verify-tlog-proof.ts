import type { Checkpoint } from './checkpoint.js';
import type { Failure } from './failure.js';
import type { TlogProof } from './tlog-proof.js';
import { parseTlogProof } from './tlog-proof.js';
import type { CheckpointVerifyFailureCode, PinnedLog } from './verify-checkpoint.js';
import { verifyCheckpoint } from './verify-checkpoint.js';
import type { InclusionFailureCode } from './verify-inclusion.js';
import { verifyInclusion } from './verify-inclusion.js';

/** Why a tlog-proof was rejected. */
export type TlogProofVerifyFailureCode =
  'malformed-tlog-proof' | CheckpointVerifyFailureCode | InclusionFailureCode;

/**
 * Checks a tlog-proof text offline: the checkpoint is signed by the pinned log key for
 * the pinned origin, and the inclusion proof puts `leafHash` at the stated index of
 * that checkpoint's tree. `extra` is handed back but stays unauthenticated.
 */
export function verifyTlogProof(
  text: string,
  leafHash: Uint8Array,
  pinned: PinnedLog,
):
  | { readonly ok: true; readonly tlogProof: TlogProof; readonly checkpoint: Checkpoint }
  | Failure<TlogProofVerifyFailureCode> {
  const parsed = parseTlogProof(text);
  if (!parsed.ok) return parsed;
  const { tlogProof } = parsed;
  const verified = verifyCheckpoint(tlogProof.checkpoint, pinned);
  if (!verified.ok) return verified;
  const { checkpoint } = verified;
  const included = verifyInclusion(
    leafHash,
    tlogProof.index,
    checkpoint.size,
    tlogProof.proof,
    checkpoint.rootHash,
  );
  if (!included.ok) return included;
  return { ok: true, tlogProof, checkpoint };
}
