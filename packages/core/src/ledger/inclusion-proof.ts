import type { GetNode } from './subtree-hash.js';
import { subtreeHash } from './subtree-hash.js';
import { inclusionRanges } from './tree-math.js';

/**
 * RFC 9162 §2.1.3.1 inclusion proof for leaf `index` in the tree of `size` leaves,
 * built from O(log size) stored nodes (about 2·log2(size) getNode calls at most).
 * Throws a RangeError unless 0 ≤ index < size: callers validate requests first.
 *
 * @example inclusionProof(5, 8, store.getNode) // three 32-byte hashes
 */
export function inclusionProof(index: number, size: number, getNode: GetNode): Uint8Array[] {
  return inclusionRanges(index, size).map((r) => subtreeHash(r.start, r.end, getNode));
}
