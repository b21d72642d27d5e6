import { bytesEqual } from './_bytes.js';
import { half, isCount, isHash, isHashList } from './_proof-input.js';
import type { Failure } from './failure.js';
import { failure } from './failure.js';
import { nodeHash } from './hashes.js';
import { consistencyRanges } from './tree-math.js';

/** Why a consistency proof was rejected. */
export type ConsistencyFailureCode = 'invalid-input' | 'wrong-proof-length' | 'root-mismatch';

/**
 * Checks an RFC 9162 §2.1.4.2 consistency proof: that the tree of `size1` leaves with
 * root `root1` is a prefix of the tree of `size2` leaves with root `root2`, i.e. the
 * log only appended. Every argument is distrusted; nothing here throws.
 *
 * Refused outright: size1 > size2 (a log never shrinks) and size1 = 0 (every tree
 * extends the empty tree, so such a proof would prove nothing). Equal sizes need an
 * empty proof and equal roots.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): { readonly ok: true } | Failure<ConsistencyFailureCode> {
  if (!isCount(size1) || !isCount(size2)) {
    return failure('invalid-input', 'sizes must be non-negative safe integers');
  }
  if (size1 > size2) {
    return failure('invalid-input', `size ${size2} is smaller than ${size1}: the tree shrank`);
  }
  if (size1 === 0) {
    return failure('invalid-input', 'a consistency proof from the empty tree proves nothing');
  }
  if (!isHash(root1) || !isHash(root2) || !isHashList(proof)) {
    return failure('invalid-input', 'roots and proof elements must be 32-byte hashes');
  }
  const expected = consistencyRanges(size1, size2).length;
  if (proof.length !== expected) {
    return failure(
      'wrong-proof-length',
      `a proof from size ${size1} to ${size2} has ${expected} hashes, got ${proof.length}`,
    );
  }
  if (size1 === size2) {
    return bytesEqual(root1, root2)
      ? { ok: true }
      : failure('root-mismatch', 'two different roots for the same size');
  }
  // When size1 is a power of two the old root is itself a node of the new tree, and
  // RFC 9162 leaves it out of the proof: the verifier supplies it.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = half(fn);
    sn = half(sn);
  }
  const [first, ...rest] = path;
  if (first === undefined) return failure('wrong-proof-length', 'empty proof');
  let fr = first;
  let sr = first;
  for (const c of rest) {
    if (sn === 0) return failure('wrong-proof-length', 'proof is longer than the tree is deep');
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return failure('wrong-proof-length', 'proof is shorter than the tree is deep');
  if (!bytesEqual(fr, root1)) {
    return failure('root-mismatch', `the proof does not lead to the root of size ${size1}`);
  }
  if (!bytesEqual(sr, root2)) {
    return failure('root-mismatch', `the proof does not lead to the root of size ${size2}`);
  }
  return { ok: true };
}

function isPowerOfTwo(n: number): boolean {
  let p = 1;
  while (p < n) p *= 2;
  return p === n;
}
