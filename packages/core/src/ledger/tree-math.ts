// Index arithmetic for RFC 9162 trees, kept apart from hashing so a store can plan
// which nodes to fetch (for example in one query) before anything is hashed.
//
// Numbers, not bigints: sizes are safe integers (< 2^53), and halving or doubling a
// safe integer is exact, so no 32-bit bitwise operators are used anywhere here.

/**
 * A complete perfect subtree: the node at `level` (0 = leaves) and `index` covers
 * leaves [index·2^level, (index+1)·2^level). It exists in a tree of size n exactly
 * when (index+1)·2^level ≤ n, and its hash never changes once it exists.
 */
export interface NodeRef {
  readonly level: number;
  readonly index: number;
}

/**
 * A leaf range [start, end) whose Merkle hash (MTH of those leaves) is one element of
 * a proof. Every range used here is a "valid subtree": start is a multiple of the
 * smallest power of two ≥ end − start, so it is either one complete node or the
 * incomplete right edge of one, composed from O(log n) complete nodes.
 */
export interface LeafRange {
  readonly start: number;
  readonly end: number;
}

/** Largest power of two strictly below n, for n ≥ 2 (the split point k of RFC 9162 §2.1.1). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Whether [start, end) is a valid subtree range as described on {@link LeafRange}. */
export function isValidSubtree(start: number, end: number): boolean {
  if (!isSize(start) || !isSize(end) || start > end) return false;
  if (start === end || start === 0) return true;
  let ceil = 1;
  while (ceil < end - start) ceil *= 2;
  return start % ceil === 0;
}

/**
 * The complete nodes whose hashes, folded right to left with nodeHash, give the hash of
 * the valid subtree [start, end): one node per set bit of end − start, largest first.
 * An empty range has no nodes (its hash is EMPTY_ROOT).
 *
 * @example subtreeNodes(0, 6) // [{level: 2, index: 0}, {level: 1, index: 2}]
 */
export function subtreeNodes(start: number, end: number): NodeRef[] {
  if (!isValidSubtree(start, end)) {
    throw new RangeError(`[${start}, ${end}) is not a valid subtree range`);
  }
  const levels: number[] = [];
  for (let level = 0, rest = end - start; rest > 0; level++, rest = Math.floor(rest / 2)) {
    if (rest % 2 === 1) levels.push(level);
  }
  const nodes: NodeRef[] = [];
  let at = start;
  for (const level of levels.reverse()) {
    const width = 2 ** level;
    nodes.push({ level, index: at / width });
    at += width;
  }
  return nodes;
}

/**
 * The ranges whose hashes form the RFC 9162 §2.1.3.1 inclusion proof of leaf `index` in
 * a tree of `size` leaves, in proof order (the leaf's sibling first, the root's child
 * last). At most one range is incomplete.
 */
export function inclusionRanges(index: number, size: number): LeafRange[] {
  if (!isSize(index) || !isSize(size) || index >= size) {
    throw new RangeError(`no inclusion proof for index ${index} in a tree of size ${size}`);
  }
  const outerFirst: LeafRange[] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const mid = lo + splitPoint(hi - lo);
    if (index < mid) {
      outerFirst.push({ start: mid, end: hi });
      hi = mid;
    } else {
      outerFirst.push({ start: lo, end: mid });
      lo = mid;
    }
  }
  return outerFirst.reverse();
}

/**
 * The ranges whose hashes form the RFC 9162 §2.1.4.1 consistency proof from `size1` to
 * `size2`, in proof order. A proof between equal sizes is empty; a proof from the empty
 * tree is meaningless and refused.
 */
export function consistencyRanges(size1: number, size2: number): LeafRange[] {
  if (!isSize(size1) || !isSize(size2) || size1 < 1 || size1 > size2) {
    throw new RangeError(`no consistency proof from size ${size1} to size ${size2}`);
  }
  const outerFirst: LeafRange[] = [];
  let lo = 0;
  let hi = size2;
  // `startsAtRoot` is RFC 9162's flag b: true while the old tree's root is a node the
  // verifier already knows, so it is left out of the proof.
  let startsAtRoot = true;
  while (size1 !== hi) {
    const mid = lo + splitPoint(hi - lo);
    if (size1 <= mid) {
      outerFirst.push({ start: mid, end: hi });
      hi = mid;
    } else {
      outerFirst.push({ start: lo, end: mid });
      lo = mid;
      startsAtRoot = false;
    }
  }
  if (!startsAtRoot) outerFirst.push({ start: lo, end: hi });
  return outerFirst.reverse();
}

/** Every complete node an inclusion proof reads, for stores that fetch in bulk first. */
export function inclusionNodes(index: number, size: number): NodeRef[] {
  return inclusionRanges(index, size).flatMap((r) => subtreeNodes(r.start, r.end));
}

/** Every complete node a consistency proof reads, for stores that fetch in bulk first. */
export function consistencyNodes(size1: number, size2: number): NodeRef[] {
  return consistencyRanges(size1, size2).flatMap((r) => subtreeNodes(r.start, r.end));
}

function isSize(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}
