import { addFingerprints, isPruned, type EventStore, type LogRow } from '@declog/core';
import type { AuditProblem } from './audit-problem.js';
import { indexChecker, NO_INDEX_CHECK, type IndexAudit } from './check-index.js';
import { checkStoredRow, type CheckedRow, type StoredRowProblemCode } from './check-stored-row.js';
import { compareStoredNode, type NodeProblemCode } from './compare-stored-node.js';
import { readStoredNodes } from './_read-stored-nodes.js';

/**
 * The leaf hashes of the stored rows from `position` on, each recomputed and found equal to
 * its stored leaf hash, up to the first row that is not what the log says (then `problem`
 * names it). `rowsRead` is how many rows the store gave. With an index audit, what the store
 * keeps beside those rows is checked too (see check-index).
 */
export interface CheckedRows {
  readonly rowsRead: number;
  readonly leafHashes: readonly Uint8Array[];
  /** How many of the rows checked were pruned marks. */
  readonly pruned: number;
  readonly problem: AuditProblem<StoredRowProblemCode | NodeProblemCode> | null;
  /** The first of the rows with a good leaf whose index disagrees with it. */
  readonly indexProblem: AuditProblem<'edited-entry'> | null;
  /** See IndexCheck: fingerprint sums of the sets checked log-wide, by INDEX_SET_KINDS. */
  readonly fingerprints: readonly number[];
  /** Sealed records read beside the rows. */
  readonly sealed: number;
}

/** Reads up to `count` stored rows from `position` on and checks them; may run elsewhere. */
export type CheckRows = (position: number, count: number) => Promise<CheckedRows>;

/**
 * Reads rows and their stored leaf hashes from `store` and checks them on the calling thread,
 * and, with `audit`, what the store keeps beside them.
 */
export function checkRowsOf(store: EventStore, audit?: IndexAudit): CheckRows {
  const checkIndex = audit ? indexChecker(audit) : null;
  const checkPart = async (position: number, count: number): Promise<CheckedRows> => {
    const rows = await store.scan(position, count);
    const checked = await leafChecked(store, rows, position);
    const index =
      checkIndex === null
        ? NO_INDEX_CHECK
        : await checkIndex(rows.slice(0, checked.leafHashes.length), checked.members);
    const { members: _members, ...leaves } = checked;
    return {
      ...leaves,
      indexProblem: index.problem,
      fingerprints: index.fingerprints,
      sealed: index.sealed,
    };
  };
  return async (position, count) => {
    // In parts: what a part reads is dropped before the next one is read, so that what the
    // garbage collector finds alive (and copies) at each collection stays small.
    const parts: { asked: number; checked: CheckedRows }[] = [];
    for (let from = position; from < position + count; from += PART) {
      const asked = Math.min(PART, position + count - from);
      let checked = await checkPart(from, asked);
      // The rows and what is kept beside them are read apart: a retention run between the two
      // reads looks like a disagreement, which a second look no longer sees.
      if (checked.indexProblem) checked = await checkPart(from, asked);
      parts.push({ asked, checked });
      if (checked.problem || checked.indexProblem || checked.rowsRead < asked) break;
    }
    return joinCheckedRows(parts);
  };
}

/** Rows read and checked at a time. */
const PART = 1000;

type LeafChecked = Pick<CheckedRows, 'rowsRead' | 'leafHashes' | 'pruned' | 'problem'> & {
  /** The index members of each row checked (see CheckedRow). */
  readonly members: readonly CheckedRow['members'][];
};

/** The rows' leaves recomputed and compared with the stored leaf hashes. */
async function leafChecked(
  store: EventStore,
  rows: readonly LogRow[],
  position: number,
): Promise<LeafChecked> {
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
      return {
        rowsRead: rows.length,
        leafHashes: leafHashes.slice(0, i),
        pruned,
        problem,
        members: checked.members.slice(0, i),
      };
    }
  }
  return checked;
}

/** Checks consecutive rows, the first expected at `position`. Pure. */
function checkRowsHere(rows: readonly LogRow[], position: number): LeafChecked {
  const leafHashes: Uint8Array[] = [];
  const members: CheckedRow['members'][] = [];
  let pruned = 0;
  for (const row of rows) {
    const checked = checkStoredRow(row, position + leafHashes.length);
    if ('code' in checked) {
      return { rowsRead: rows.length, leafHashes, pruned, problem: checked, members };
    }
    leafHashes.push(checked.leafHash);
    members.push(checked.members);
    if (isPruned(row)) pruned += 1;
  }
  return { rowsRead: rows.length, leafHashes, pruned, problem: null, members };
}

/** Parts of a range checked apart, in order, joined into the range's answer. */
export function joinCheckedRows(
  parts: readonly { readonly asked: number; readonly checked: CheckedRows }[],
): CheckedRows {
  const leafHashes: Uint8Array[] = [];
  let rowsRead = 0;
  let pruned = 0;
  let sealed = 0;
  let fingerprints: readonly number[] = NO_INDEX_CHECK.fingerprints;
  let indexProblem: CheckedRows['indexProblem'] = null;
  for (const { asked, checked: part } of parts) {
    leafHashes.push(...part.leafHashes);
    rowsRead += part.rowsRead;
    pruned += part.pruned;
    sealed += part.sealed;
    fingerprints = fingerprints.map((sum, i) => addFingerprints(sum, part.fingerprints[i] ?? 0));
    indexProblem ??= part.indexProblem;
    const joined = { rowsRead, leafHashes, pruned, indexProblem, fingerprints, sealed };
    if (part.problem) return { ...joined, problem: part.problem };
    // A part that read fewer rows than asked ends the range: a gap follows.
    if (part.rowsRead < asked) break;
  }
  return { rowsRead, leafHashes, pruned, problem: null, indexProblem, fingerprints, sealed };
}
