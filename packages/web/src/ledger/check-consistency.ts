import { fromBase64 } from './bytes';
import { checkpointSignedBy, parseCheckpointNote, type CheckpointNote } from './checkpoint-note';
import type { VerifierKey } from './verifier-key';
import { verifyConsistency } from './verify-consistency';

export type ConsistencyCheck =
  | { readonly consistent: true; readonly from: number; readonly to: number }
  | { readonly consistent: false; readonly why: string };

/**
 * Whether the log of `latest` extends the one of `earlier` (both signed by the pinned key):
 * the consistency proof the server sends is checked here, with WebCrypto.
 */
export async function checkConsistency(
  earlierText: string,
  latest: CheckpointNote,
  key: VerifierKey,
  proofOf: (from: number, to: number) => Promise<{ readonly hashes: readonly string[] }>,
): Promise<ConsistencyCheck> {
  const fail = (why: string): ConsistencyCheck => ({ consistent: false, why });
  const parsed = parseCheckpointNote(earlierText);
  if (!parsed.ok) return fail(`the saved checkpoint cannot be read: ${parsed.why}`);
  const earlier = parsed.note;
  if (earlier.origin !== latest.origin) {
    return fail(`the saved checkpoint is of another log (${earlier.origin})`);
  }
  if (!(await checkpointSignedBy(earlier, key)))
    return fail('the saved checkpoint is not signed by the pinned key');
  if (!(await checkpointSignedBy(latest, key)))
    return fail('the latest checkpoint is not signed by the pinned key');
  if (earlier.size > latest.size) {
    return fail(
      `the log shrank: the saved checkpoint has ${earlier.size} entries, the latest ${latest.size}`,
    );
  }
  if (earlier.size === 0) return { consistent: true, from: 0, to: latest.size };
  const proof = await proofOf(earlier.size, latest.size);
  const hashes = proof.hashes.map(fromBase64);
  if (hashes.some((hash) => hash === null || hash.length !== 32)) {
    return fail('the consistency proof holds a hash that is not 32 bytes of base64');
  }
  const ok = await verifyConsistency(
    earlier.size,
    latest.size,
    hashes as Uint8Array[],
    earlier.root,
    latest.root,
  );
  return ok
    ? { consistent: true, from: earlier.size, to: latest.size }
    : fail(
        `the log of ${latest.size} entries does not extend the saved one of ${earlier.size}: the proof does not lead to both roots`,
      );
}
