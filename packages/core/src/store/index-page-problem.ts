import type { IndexFacts } from './index-facts.js';
import type {
  IndexElement,
  IndexSetKind,
  StoredDecisionColumns,
  StoredEntryColumns,
  StoredIndexPage,
} from './index-reader.js';

/** What a store must keep for one log position: an entry's facts, or nothing once pruned. */
export interface ExpectedPosition {
  readonly seq: number;
  /** Null for an entry pruned by retention: nothing may be kept for it but its mark. */
  readonly facts: IndexFacts | null;
  /** Its summary's terms as the store splits them (see `IndexReader.textTerms`); [] if none. */
  readonly terms: readonly string[];
}

/** The first position of a range whose stored index disagrees with its leaf, and how. */
export interface IndexProblem {
  readonly seq: number;
  readonly reason: string;
}

const TYPE_NAMES: Readonly<Record<IndexFacts['type'], string>> = {
  decision: 'a decision',
  action: 'an action',
  outcome: 'an outcome',
  annotation: 'an annotation',
  access: 'an access entry',
  security: 'a security entry',
};

const SET_NAMES: Readonly<Record<IndexSetKind, string>> = {
  reason: 'reason row',
  label: 'label row',
  text: 'full-text term',
};

/**
 * The members of a set kind a store must keep for one position; `positioned`: whether its
 * summary's terms carry their positions (see `IndexReader.positionedTerms`).
 */
export function expectedElements(
  position: ExpectedPosition,
  kind: IndexSetKind,
  positioned: boolean,
): IndexElement[] {
  const decision = position.facts?.decision;
  if (!decision) return [];
  const { seq } = position;
  switch (kind) {
    case 'reason':
      return decision.reasonCodes.map((value) => ({ seq, value, position: 0 }));
    case 'label':
      return decision.labels.map((pair) => ({ seq, value: labelValue(pair), position: 0 }));
    case 'text':
      return position.terms.map((value, i) => ({ seq, value, position: positioned ? i : 0 }));
  }
}

/** A label as one value of the `label` set: `["key","value"]`. */
export const labelValue = (pair: readonly [string, string]): string => JSON.stringify(pair);

/**
 * Compares what a store keeps for consecutive positions (`expected`, in seq order) with what
 * their leaves say it must keep: each entry's own columns, a decision's columns, its full-text
 * row and the members of each set kind in `listed`, and nothing at all for a pruned entry.
 * Returns the first position that disagrees (naming the row and column), or null. Sealed
 * records are checked apart (see `sealedRecordProblem`).
 */
export function indexPageProblem(
  expected: readonly ExpectedPosition[],
  stored: StoredIndexPage,
  listed: readonly IndexSetKind[],
  options: {
    /** Whether the store's full-text terms carry positions. */
    readonly positioned?: boolean;
    /** Compare the sets in `listed` and nothing else. */
    readonly setsOnly?: boolean;
  } = {},
): IndexProblem | null {
  const positioned = options.positioned ?? false;
  // Each list comes in seq order, as the positions do: walked alongside them.
  const entries = new Cursor(stored.entries);
  const decisions = new Cursor(stored.decisions);
  const textRows = new Cursor(stored.textRows);
  const sets = listed.map((kind) => ({ kind, bySeq: groupBySeq(stored.elements[kind] ?? []) }));
  for (const position of expected) {
    const { seq } = position;
    entries.move(seq);
    decisions.move(seq);
    textRows.move(seq);
    const problem = options.setsOnly
      ? setProblem(position, sets, positioned)
      : (twice('events', entries) ??
        twice('decisions', decisions) ??
        twice('full-text', textRows) ??
        entryProblem(position, entries.row) ??
        decisionProblem(position, decisions.row) ??
        setProblem(position, sets, positioned) ??
        textRowProblem(position, textRows.row?.terms));
    if (problem != null) return { seq, reason: `seq ${seq}: ${problem}` };
  }
  return null;
}

/**
 * The rows of one seq in a list in seq order, moved along seqs that ascend: `row` is the first
 * of them (undefined if none), `count` how many there are.
 */
class Cursor<R extends { readonly seq: number }> {
  row: R | undefined = undefined;
  count = 0;
  private next = 0;
  constructor(private readonly rows: readonly R[]) {}
  move(seq: number): void {
    const { rows } = this;
    while (this.next < rows.length && (rows[this.next] as R).seq < seq) this.next += 1;
    this.row = undefined;
    this.count = 0;
    while (this.next < rows.length && (rows[this.next] as R).seq === seq) {
      this.row ??= rows[this.next];
      this.count += 1;
      this.next += 1;
    }
  }
}

/** Queries would meet the entry twice (a store whose keys allow it: PostgreSQL's partitions). */
function twice(table: string, rows: Cursor<{ readonly seq: number }>): string | null {
  return rows.count > 1 ? `${rows.count} ${table} rows are kept for it` : null;
}

function entryProblem(position: ExpectedPosition, row: StoredEntryColumns | undefined) {
  const { facts } = position;
  if (facts === null) {
    return row ? 'an events row is kept for it, though the entry was pruned' : null;
  }
  if (!row) return 'its events row is missing';
  return (
    differs('events', 'id', row.id, facts.id, "the event's id is") ??
    differs('events', 'type', row.type, facts.type, 'the event is') ??
    differs('events', 'decision_id', row.decisionId, facts.decisionId, 'the event names') ??
    differs('events', 'kind', row.kind, facts.kind, 'the event says') ??
    differs('events', 'occurred_ms', row.occurredMs, facts.occurredMs, 'the event says') ??
    (row.recordedMs === undefined
      ? null
      : differs('events', 'recorded_at', row.recordedMs, facts.recordedMs, 'the event says')) ??
    (row.outcomeLabel === undefined
      ? null
      : differs('outcome', 'label', row.outcomeLabel, facts.outcomeLabel, 'the event says'))
  );
}

function decisionProblem(position: ExpectedPosition, row: StoredDecisionColumns | undefined) {
  const { facts } = position;
  const decision = facts?.decision;
  if (!facts || !decision) {
    if (!row) return null;
    return facts === null
      ? 'a decisions row is kept for it, though the entry was pruned'
      : `a decisions row is kept for it, though it is ${TYPE_NAMES[facts.type]}`;
  }
  if (!row) return 'its decisions row is missing: queries cannot find the decision';
  return (
    differs('decisions', 'model', row.model, decision.model, 'the event says') ??
    differs(
      'decisions',
      'model_version',
      row.modelVersion,
      decision.modelVersion,
      'the event says',
    ) ??
    differs('decisions', 'occurred_ms', row.occurredMs, facts.occurredMs, 'the event says') ??
    differs('decisions', 'subject', row.subject, decision.subject, 'the event says') ??
    (row.recordedMs === undefined
      ? null
      : differs('decisions', 'recorded_at', row.recordedMs, facts.recordedMs, 'the event says')) ??
    optional('label', row.label, decision.label) ??
    optional('score', row.score, decision.score) ??
    optional('confidence', row.confidence, decision.confidence) ??
    optional('fields', row.fields, decision.fields)
  );
}

/** A column of the analyses, compared when the store read it. */
function optional(
  column: string,
  stored: string | number | null | undefined,
  expected: string | number | null,
): string | null {
  return stored === undefined
    ? null
    : differs('decisions', column, stored, expected, 'the event says');
}

function textRowProblem(position: ExpectedPosition, terms: number | undefined) {
  const { facts } = position;
  if (!facts?.decision) {
    if (terms === undefined) return null;
    return facts === null
      ? 'a full-text row is kept for it, though the entry was pruned'
      : `a full-text row is kept for it, though it is ${TYPE_NAMES[facts.type]}`;
  }
  if (terms === undefined) {
    return 'its full-text row is missing: searches cannot find the decision';
  }
  if (terms !== position.terms.length) {
    return `its full-text row holds ${terms} term(s) but its summary has ${position.terms.length}`;
  }
  return null;
}

function setProblem(
  position: ExpectedPosition,
  sets: readonly { kind: IndexSetKind; bySeq: ReadonlyMap<number, IndexElement[]> }[],
  positioned: boolean,
): string | null {
  for (const { kind, bySeq: stored } of sets) {
    const have = (stored.get(position.seq) ?? []).map(elementKey).sort();
    const want = expectedElements(position, kind, positioned).map(elementKey).sort();
    for (let i = 0; i < Math.max(have.length, want.length); i += 1) {
      const [h, w] = [have[i], want[i]];
      if (h === w) continue;
      const name = SET_NAMES[kind];
      const at = kind === 'text' && positioned;
      // The smaller of the two is the one the other side lacks.
      if (w !== undefined && (h === undefined || w < h)) {
        return `its ${name} ${describeElement(w, at)} is missing`;
      }
      return `an extra ${name} ${describeElement(h as string, at)} is kept for it`;
    }
  }
  return null;
}

const elementKey = (e: IndexElement) => `${e.value}\u0000${e.position}`;

function describeElement(key: string, withPosition: boolean): string {
  const [value, position] = key.split('\u0000');
  return withPosition ? `${JSON.stringify(value)} at ${position}` : JSON.stringify(value);
}

function differs(
  table: string,
  column: string,
  stored: string | number | null,
  expected: string | number | null,
  says: string,
): string | null {
  if (stored === expected) return null;
  return `the ${table} row's ${column} column holds ${show(stored)} but ${says} ${show(expected)}`;
}

const show = (value: string | number | null) =>
  typeof value === 'string' ? JSON.stringify(value) : String(value);

function groupBySeq<R extends { readonly seq: number }>(rows: readonly R[]): Map<number, R[]> {
  const map = new Map<number, R[]>();
  for (const e of rows) {
    const list = map.get(e.seq);
    if (list) list.push(e);
    else map.set(e.seq, [e]);
  }
  return map;
}
