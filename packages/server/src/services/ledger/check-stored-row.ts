import {
  INDEX_MEMBERS,
  canonicalMemberTexts,
  isPruned,
  leafHashOfText,
  type LogRow,
  type StoredRow,
} from '@declog/core';
import { auditProblem, type AuditProblem } from './audit-problem.js';
import { checkEntry, type EntryFailureCode } from './check-entry.js';

export type StoredRowProblemCode = EntryFailureCode | 'missing-entry';

/** Checked rows keep these members' texts, for the index facts (seq and type come first). */
const NAMED = INDEX_MEMBERS;

/**
 * Recomputes the leaf of the stored row expected at `position` from the stored event and
 * returns its hash, or what is wrong: a gap before it, an event that is not canonical JSON
 * (edited), one that names another seq (moved), or index columns that disagree with it.
 * A pruned entry gives the leaf hash its mark kept: the tree and the signed roots check it.
 */
export function checkStoredRow(
  row: LogRow,
  position: number,
): CheckedRow | AuditProblem<StoredRowProblemCode> {
  if (row.seq !== position) {
    const last = row.seq - 1;
    return auditProblem(
      'missing-entry',
      position === last
        ? `seq ${position} is missing: the next stored entry is seq ${row.seq}`
        : `seq ${position}–${last} are missing: the next stored entry is seq ${row.seq}`,
      { seq: position, seqRange: [position, last] },
    );
  }
  if (isPruned(row)) return { leafHash: row.pruned.leafHash, members: null };
  // A canonical text has one spelling of each value, so its seq and type members can be
  // compared as text. Anything else is parsed and told apart below.
  const members = canonicalMemberTexts(row.json, NAMED);
  const [seq, type] = members ?? [];
  if (seq === String(position) && type === JSON.stringify(row.type)) {
    return { leafHash: leafHashOfText(row.json), members };
  }
  return parsedRowCheck(row, position);
}

/** A row whose leaf checked out: its hash, and (when read on the way) its index members. */
export interface CheckedRow {
  readonly leafHash: Uint8Array;
  /** The texts of the leaf's INDEX_MEMBERS (see canonicalMemberTexts); null if not read. */
  readonly members: readonly (string | undefined)[] | null;
}

/** The same check through the parsed event, which names what is wrong. */
function parsedRowCheck(
  row: StoredRow,
  position: number,
): CheckedRow | AuditProblem<StoredRowProblemCode> {
  let event: unknown;
  try {
    event = JSON.parse(row.json);
  } catch {
    return auditProblem('edited-entry', `seq ${position}: the stored event is not valid JSON`, {
      seq: position,
    });
  }
  const checked = checkEntry({ seq: position, leaf: row.json, event });
  if (!checked.ok) {
    return auditProblem(checked.code, `seq ${position}: ${checked.reason}`, { seq: position });
  }
  const type = (event as { type?: unknown }).type;
  if (type !== row.type) {
    return auditProblem(
      'edited-entry',
      `seq ${position}: the stored type column says ${row.type} but the event is ${JSON.stringify(type)}`,
      { seq: position },
    );
  }
  return { leafHash: checked.leafHash, members: null };
}
