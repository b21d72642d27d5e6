// Literal transcriptions of the recursive definitions in RFC 9162 §2.1, over an
// in-memory array of leaf hashes. They cost O(n) per call and exist as an independent
// oracle for the stored-node versions (and for small tools); do not serve from them.
import { EMPTY_ROOT, nodeHash } from './hashes.js';

/** MTH(D[n]) of RFC 9162 §2.1.1, given the leaf hashes. */
export function merkleRoot(leafHashes: readonly Uint8Array[]): Uint8Array {
  const n = leafHashes.length;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return at(leafHashes, 0);
  const k = largestPowerOfTwoBelow(n);
  return nodeHash(merkleRoot(leafHashes.slice(0, k)), merkleRoot(leafHashes.slice(k)));
}

/** PATH(m, D[n]) of RFC 9162 §2.1.3.1. */
export function referenceInclusionProof(
  leafHashes: readonly Uint8Array[],
  index: number,
): Uint8Array[] {
  const n = leafHashes.length;
  if (index < 0 || index >= n) throw new RangeError(`index ${index} outside a tree of size ${n}`);
  if (n === 1) return [];
  const k = largestPowerOfTwoBelow(n);
  return index < k
    ? [...referenceInclusionProof(leafHashes.slice(0, k), index), merkleRoot(leafHashes.slice(k))]
    : [
        ...referenceInclusionProof(leafHashes.slice(k), index - k),
        merkleRoot(leafHashes.slice(0, k)),
      ];
}

/** PROOF(m, D[n]) of RFC 9162 §2.1.4.1, for 1 ≤ size1 ≤ n. */
export function referenceConsistencyProof(
  leafHashes: readonly Uint8Array[],
  size1: number,
): Uint8Array[] {
  if (size1 < 1 || size1 > leafHashes.length) {
    throw new RangeError(`no consistency proof from ${size1} to ${leafHashes.length}`);
  }
  return subproof(size1, leafHashes, true);
}

function subproof(m: number, leaves: readonly Uint8Array[], b: boolean): Uint8Array[] {
  const n = leaves.length;
  if (m === n) return b ? [] : [merkleRoot(leaves)];
  const k = largestPowerOfTwoBelow(n);
  return m <= k
    ? [...subproof(m, leaves.slice(0, k), b), merkleRoot(leaves.slice(k))]
    : [...subproof(m - k, leaves.slice(k), false), merkleRoot(leaves.slice(0, k))];
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function at(hashes: readonly Uint8Array[], i: number): Uint8Array {
  const hash = hashes[i];
  if (hash === undefined) throw new RangeError(`no leaf ${i}`);
  return hash;
}
