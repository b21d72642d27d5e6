import { EMPTY_ROOT, nodeHash } from './hashes.js';
import { subtreeNodes } from './tree-math.js';

/**
 * Reads one stored node. Called only for complete nodes, i.e. (index+1)·2^level ≤ the
 * size being proven, so a store that persisted every `newNodes` entry from appendLeaf
 * can always answer. It must return the 32-byte hash or throw (a missing node is a
 * broken store, not bad input). Synchronous on purpose: fetch-then-compute stores can
 * prefetch with inclusionNodes/consistencyNodes and answer from a Map.
 */
export type GetNode = (level: number, index: number) => Uint8Array;

/**
 * Merkle hash of the leaves [start, end), a valid subtree range (see LeafRange), from
 * at most one stored node per level.
 */
export function subtreeHash(start: number, end: number, getNode: GetNode): Uint8Array {
  const nodes = subtreeNodes(start, end);
  let hash: Uint8Array | undefined;
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    if (node === undefined) continue;
    const stored = getNode(node.level, node.index);
    hash = hash === undefined ? stored : nodeHash(stored, hash);
  }
  return hash ?? EMPTY_ROOT;
}

/**
 * Root hash of the tree of the first `size` leaves, from O(log size) stored nodes.
 * Works for any past size, which is what signing an old checkpoint again needs.
 */
export function rootAt(size: number, getNode: GetNode): Uint8Array {
  return subtreeHash(0, size, getNode);
}
