import { verifyConsistency, type Checkpoint } from '@declog/core';
import { auditProblem, type AuditProblem } from './audit-problem.js';
import type { LogReader } from './log-reader.js';
import { parseHashList } from './parse-hash-list.js';
import { sameBytes } from './_bytes.js';
import type { VerifiedLog } from './verified-log.js';

export type ExtendsProblemCode = 'tree-shrank' | 'history-rewritten' | 'malformed-response';

/**
 * Whether a newly verified checkpoint extends the one verified before: never shorter, the
 * same root at the same size, and a consistency proof from the server that checks out
 * against both signed roots. Null when it does.
 */
export async function checkLogExtends(
  reader: LogReader,
  previous: VerifiedLog,
  checkpoint: Checkpoint,
): Promise<AuditProblem<ExtendsProblemCode> | null> {
  const { size } = checkpoint;
  if (size < previous.size) {
    return auditProblem(
      'tree-shrank',
      `the server's checkpoint signs ${size} entries, fewer than the ${previous.size} verified ` +
        'before: the log was truncated or replaced',
      { seq: size, seqRange: [size, previous.size - 1], checkpointSize: size },
    );
  }
  if (previous.size === 0) return null;
  const rewritten = (reason: string) =>
    auditProblem(
      'history-rewritten',
      `${reason}: entries in seq 0–${previous.size - 1}, verified before, were rewritten`,
      { seqRange: [0, previous.size - 1], checkpointSize: size },
    );
  if (size === previous.size) {
    return sameBytes(checkpoint.rootHash, previous.rootHash)
      ? null
      : rewritten(`the server signed another root for the same size ${size}`);
  }
  const answer = (await reader.consistencyProof(previous.size, size)) as Record<string, unknown>;
  const hashes = parseHashList(answer?.['hashes']);
  if (answer?.['from'] !== previous.size || answer['to'] !== size || hashes === undefined) {
    return auditProblem(
      'malformed-response',
      `GET ${reader.paths?.proofs ?? '/v1/log/proof'}/consistency?from=${previous.size}&to=${size}: not a proof between those sizes`,
    );
  }
  const consistent = verifyConsistency(
    previous.size,
    size,
    hashes,
    previous.rootHash,
    checkpoint.rootHash,
  );
  return consistent.ok
    ? null
    : rewritten(`no consistency from size ${previous.size} to ${size} (${consistent.reason})`);
}
