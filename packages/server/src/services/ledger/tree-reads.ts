import {
  consistencyNodes,
  consistencyProof,
  inclusionNodes,
  inclusionProof,
  rootAt,
  subtreeNodes,
  type EventStore,
  type GetNode,
  type NodeRef,
} from '@declog/core';

/**
 * Fetches the stored nodes a tree computation needs in one call, then runs it: the pure
 * proof code reads synchronously, stores answer asynchronously.
 */
async function withNodes<T>(
  store: EventStore,
  refs: readonly NodeRef[],
  compute: (getNode: GetNode) => T,
): Promise<T> {
  const hashes = await store.merkleNodes(refs);
  const byRef = new Map<string, Uint8Array>();
  refs.forEach((ref, i) => {
    const hash = hashes[i];
    if (hash) byRef.set(`${ref.level}/${ref.index}`, hash);
  });
  return compute((level, index) => {
    const hash = byRef.get(`${level}/${index}`);
    if (!hash) throw new Error(`node (${level}, ${index}) was not fetched`);
    return hash;
  });
}

/** Root hash of the first `size` entries. */
export function rootOf(store: EventStore, size: number): Promise<Uint8Array> {
  return withNodes(store, subtreeNodes(0, size), (getNode) => rootAt(size, getNode));
}

/** RFC 9162 inclusion proof of entry `seq` in the tree of `size` entries. */
export function proveInclusion(
  store: EventStore,
  seq: number,
  size: number,
): Promise<Uint8Array[]> {
  return withNodes(store, inclusionNodes(seq, size), (getNode) =>
    inclusionProof(seq, size, getNode),
  );
}

/** RFC 9162 consistency proof between the trees of `from` and `to` entries. */
export function proveConsistency(
  store: EventStore,
  from: number,
  to: number,
): Promise<Uint8Array[]> {
  return withNodes(store, consistencyNodes(from, to), (getNode) =>
    consistencyProof(from, to, getNode),
  );
}
