import { isPruned, type EventStore, type LogRow } from '@declog/core';
import type { AuditProblem } from './audit-problem.js';
import { checkStoredRow, type StoredRowProblemCode } from './check-stored-row.js';
import { compareStoredNode, type NodeProblemCode } from './compare-stored-node.js';
import { readStoredNodes } from './_read-stored-nodes.js';

/**
 * The leaf hashes of the stored rows from `position` on, each recomputed and found equal to
 * its stored leaf hash, up to the first row that is not what the log says (then `problem`
 * names it). `rowsRead` is how many rows the store gave.
 */
export interface CheckedRows {
  readonly rowsRead: number;
  readonly leafHashes: readonly Uint8Array[];
  /** How many of the rows checked were pruned marks. */
  readonly pruned: number;
  readonly problem: AuditProblem<StoredRowProblemCode | NodeProblemCode> | null;
}

/** Reads up to `count` stored rows from `position` on and checks them; may run elsewhere. */
export type CheckRows = (position: number, count: number) => Promise<CheckedRows>;

/** Reads rows and their stored leaf hashes from `store` and checks them on the calling thread. */
export function checkRowsOf(store: EventStore): CheckRows {
  return async (position, count) => {
    const rows = await store.scan(position, count);
    const checked = checkRowsHere(rows, position);
    const { leafHashes } = checked;
    const stored = await readStoredNodes(
      store,
      leafHashes.map((_, i) => ({ level: 0, index: position + i })),
    );
    for (const [i, hash] of leafHashes.entries()) {
      const problem = compareStoredNode({ level: 0, index: position + i, hash }, stored[i]);
      if (problem) {
        const pruned = rows.slice(0, i).filter(isPruned).length;
        return { rowsRead: rows.length, leafHashes: leafHashes.slice(0, i), pruned, problem };
      }
    }
    return checked;
  };
}

/** Checks consecutive rows, the first expected at `position`. Pure. */
function checkRowsHere(rows: readonly LogRow[], position: number): CheckedRows {
  const leafHashes: Uint8Array[] = [];
  let pruned = 0;
  for (const row of rows) {
    const checked = checkStoredRow(row, position + leafHashes.length);
    if ('code' in checked) return { rowsRead: rows.length, leafHashes, pruned, problem: checked };
    leafHashes.push(checked.leafHash);
    if (isPruned(row)) pruned += 1;
  }
  return { rowsRead: rows.length, leafHashes, pruned, problem: null };
}
