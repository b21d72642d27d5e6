import { appendLeaf, type EventStore, type Frontier, type NewNode } from '@declog/core';
import type { AuditProblem } from './audit-problem.js';
import { compareStoredNode, type NodeProblemCode } from './compare-stored-node.js';
import { readStoredNodes } from './_read-stored-nodes.js';
import { rowLeafHash } from './log-row.js';

/**
 * Narrows down a mismatch already found between `from` and `end`: rebuilds that stretch of
 * the tree from the (already checked) entries and compares every node it completes with the
 * stored one, lowest and earliest first. Null when the stored tree agrees with the entries
 * there, i.e. it was rewritten to match them and only a signed root can tell.
 */
export async function firstNodeMismatch(
  store: EventStore,
  from: Frontier,
  end: number,
  pageSize: number,
): Promise<AuditProblem<NodeProblemCode> | null> {
  let frontier = from;
  while (frontier.size < end) {
    const rows = await store.scan(frontier.size, Math.min(pageSize, end - frontier.size));
    if (rows.length === 0) return null;
    const nodes: NewNode[] = [];
    for (const row of rows) {
      const appended = appendLeaf(frontier, rowLeafHash(row));
      nodes.push(...appended.newNodes);
      frontier = appended.frontier;
    }
    const stored = await readStoredNodes(store, nodes);
    for (const [i, node] of nodes.entries()) {
      const problem = compareStoredNode(node, stored[i]);
      if (problem) return problem;
    }
  }
  return null;
}
