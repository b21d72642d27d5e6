import { EMPTY_ROOT, HASH_SIZE, nodeHash } from './hashes.js';
import type { GetNode } from './subtree-hash.js';
import { subtreeNodes } from './tree-math.js';

/**
 * The right edge of a tree of `size` leaves: the hashes of its maximal complete
 * subtrees, one per set bit of `size`, largest (leftmost) first. That is all the state
 * an appender needs; everything else is already stored and never changes.
 */
export interface Frontier {
  readonly size: number;
  readonly hashes: readonly Uint8Array[];
}

/** A node that became complete during an append, to be persisted for later proofs. */
export interface NewNode {
  readonly level: number;
  readonly index: number;
  readonly hash: Uint8Array;
}

/** The frontier of the empty tree. */
export const EMPTY_FRONTIER: Frontier = Object.freeze({ size: 0, hashes: Object.freeze([]) });

/**
 * Appends one leaf hash in O(log n) and returns the new frontier plus every node that
 * became complete: first the leaf itself at {level: 0, index: size}, then each interior
 * node it closed, bottom up. Persisting all of them (keyed by level and index) is
 * exactly what getNode needs; a store that already keeps leaf hashes with its entries
 * may skip the level-0 one.
 */
export function appendLeaf(
  frontier: Frontier,
  leafHash: Uint8Array,
): { readonly frontier: Frontier; readonly newNodes: readonly NewNode[] } {
  if (leafHash.length !== HASH_SIZE) throw new RangeError('a leaf hash is 32 bytes');
  const hashes = frontier.hashes.slice();
  const newNodes: NewNode[] = [{ level: 0, index: frontier.size, hash: leafHash }];
  let hash = leafHash;
  let level = 0;
  let index = frontier.size;
  // A node with an odd index is a right child: its left sibling is the smallest
  // frontier entry, and together they complete their parent.
  while (index % 2 === 1) {
    const left = hashes.pop();
    if (left === undefined) throw new Error(`frontier of size ${frontier.size} is corrupt`);
    hash = nodeHash(left, hash);
    level += 1;
    index = (index - 1) / 2;
    newNodes.push({ level, index, hash });
  }
  hashes.push(hash);
  return { frontier: { size: frontier.size + 1, hashes }, newNodes };
}

/**
 * Appends many leaf hashes at once: the frontier appendLeaf would reach one by one, without
 * the nodes completed on the way, for a verifier that rebuilds a whole tree to check it.
 */
export function appendLeaves(frontier: Frontier, leafHashes: readonly Uint8Array[]): Frontier {
  const hashes = frontier.hashes.slice();
  let size = frontier.size;
  for (const leafHash of leafHashes) {
    if (leafHash.length !== HASH_SIZE) throw new RangeError('a leaf hash is 32 bytes');
    let hash = leafHash;
    // Each trailing one bit of the size is a complete subtree the new leaf closes.
    for (let index = size; index % 2 === 1; index = (index - 1) / 2) {
      const left = hashes.pop();
      if (left === undefined) throw new Error(`frontier of size ${frontier.size} is corrupt`);
      hash = nodeHash(left, hash);
    }
    hashes.push(hash);
    size += 1;
  }
  return { size, hashes };
}

/** Root hash of the tree the frontier describes (RFC 9162 MTH), without any reads. */
export function frontierRoot(frontier: Frontier): Uint8Array {
  let root: Uint8Array | undefined;
  for (let i = frontier.hashes.length - 1; i >= 0; i--) {
    const hash = frontier.hashes[i];
    if (hash === undefined) continue;
    root = root === undefined ? hash : nodeHash(hash, root);
  }
  return root ?? EMPTY_ROOT;
}

/** Rebuilds the frontier of size `size` from stored nodes, e.g. when a server restarts. */
export function frontierAt(size: number, getNode: GetNode): Frontier {
  const hashes = subtreeNodes(0, size).map((node) => getNode(node.level, node.index));
  return { size, hashes };
}
