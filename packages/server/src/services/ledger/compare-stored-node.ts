import type { NewNode } from '@declog/core';
import { auditProblem, type AuditProblem } from './audit-problem.js';
import { sameBytes } from './_bytes.js';

export type NodeProblemCode = 'edited-entry' | 'tree-node-mismatch' | 'missing-tree-node';

/**
 * Compares a tree node recomputed from the entries with the stored one (or the error the
 * store gave reading it). A leaf hash that differs means the event was edited; an interior
 * node that differs means an entry under it was edited together with its leaf hash, or the
 * node itself was.
 */
export function compareStoredNode(
  node: NewNode,
  stored: Uint8Array | Error | undefined,
): AuditProblem<NodeProblemCode> | null {
  // Every leaf of a log is compared here: the words for a problem are made only for one.
  if (stored instanceof Uint8Array && sameBytes(stored, node.hash)) return null;
  const first = node.index * 2 ** node.level;
  const last = first + 2 ** node.level - 1;
  const seqRange = [first, last] as const;
  const name = `tree node (level ${node.level}, index ${node.index})`;
  if (stored === undefined || stored instanceof Error) {
    return auditProblem(
      'missing-tree-node',
      `the stored ${name} over seq ${first}–${last} cannot be read: ${stored?.message ?? 'missing'}`,
      { seq: first, seqRange },
    );
  }
  if (node.level === 0) {
    return auditProblem(
      'edited-entry',
      `seq ${first}: the event no longer hashes to its stored leaf hash: it was edited after it was logged`,
      { seq: first },
    );
  }
  return auditProblem(
    'tree-node-mismatch',
    `the stored ${name} does not match the entries seq ${first}–${last}: one of them was edited ` +
      'together with its stored leaf hash, or the node itself was altered',
    { seq: first, seqRange },
  );
}
