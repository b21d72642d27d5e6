import { bytesEqual } from './_bytes.js';
import { half, isCount, isHash, isHashList } from './_proof-input.js';
import type { Failure } from './failure.js';
import { failure } from './failure.js';
import { nodeHash } from './hashes.js';
import { inclusionRanges } from './tree-math.js';

/** Why an inclusion proof was rejected. */
export type InclusionFailureCode = 'invalid-input' | 'wrong-proof-length' | 'root-mismatch';

/**
 * Checks an RFC 9162 §2.1.3.2 inclusion proof: that the leaf with hash `leafHash` is
 * at `index` in the tree of `size` leaves whose root is `root`. Every argument is
 * distrusted; nothing here throws.
 *
 * The size is only bound to the root by whoever signed them together (a checkpoint):
 * pass the size and root from the same verified checkpoint.
 */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): { readonly ok: true } | Failure<InclusionFailureCode> {
  if (!isCount(index) || !isCount(size)) {
    return failure('invalid-input', 'index and size must be non-negative safe integers');
  }
  if (index >= size) {
    return failure('invalid-input', `index ${index} is not in a tree of size ${size}`);
  }
  if (!isHash(leafHash) || !isHash(root) || !isHashList(proof)) {
    return failure('invalid-input', 'leaf hash, root and proof elements must be 32-byte hashes');
  }
  const expected = inclusionRanges(index, size).length;
  if (proof.length !== expected) {
    return failure(
      'wrong-proof-length',
      `a proof for index ${index} in size ${size} has ${expected} hashes, got ${proof.length}`,
    );
  }
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return failure('wrong-proof-length', 'proof is longer than the tree is deep');
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      // Skip the levels where this leaf's subtree is the right edge and has no sibling.
      while (fn % 2 === 0 && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return failure('wrong-proof-length', 'proof is shorter than the tree is deep');
  if (!bytesEqual(r, root)) {
    return failure('root-mismatch', 'the proof does not lead to the expected root');
  }
  return { ok: true };
}
