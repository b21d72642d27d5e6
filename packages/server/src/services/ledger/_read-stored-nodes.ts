import type { EventStore, NodeRef } from '@declog/core';

/**
 * Reads stored tree nodes in one call; if that fails (a store throws when a node is
 * missing), reads them one by one so that each unreadable node is reported where it is,
 * as the error the store gave.
 */
export async function readStoredNodes(
  store: EventStore,
  refs: readonly NodeRef[],
): Promise<readonly (Uint8Array | Error)[]> {
  try {
    return await store.merkleNodes(refs);
  } catch {
    const nodes: (Uint8Array | Error)[] = [];
    for (const ref of refs) {
      try {
        const [hash] = await store.merkleNodes([ref]);
        nodes.push(hash ?? new Error('no hash returned'));
      } catch (error) {
        nodes.push(error instanceof Error ? error : new Error(String(error)));
      }
    }
    return nodes;
  }
}
