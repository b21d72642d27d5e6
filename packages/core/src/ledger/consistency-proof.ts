import type { GetNode } from './subtree-hash.js';
import { subtreeHash } from './subtree-hash.js';
import { consistencyRanges } from './tree-math.js';

/**
 * RFC 9162 §2.1.4.1 consistency proof that the tree of `size1` leaves is a prefix of
 * the tree of `size2` leaves, built from O(log size2) stored nodes. Empty when the
 * sizes are equal. Throws a RangeError unless 1 ≤ size1 ≤ size2: a proof from the
 * empty tree proves nothing, and callers validate requests first.
 */
export function consistencyProof(size1: number, size2: number, getNode: GetNode): Uint8Array[] {
  return consistencyRanges(size1, size2).map((r) => subtreeHash(r.start, r.end, getNode));
}
