import {
  INDEX_SET_KINDS,
  indexFacts,
  indexFactsOfMembers,
  indexPageProblem,
  isPruned,
  positionsFingerprint,
  sealedRecordProblem,
  valueHasher,
  type ExpectedPosition,
  type FingerprintKey,
  type IndexFacts,
  type IndexProblem,
  type IndexReader,
  type LogRow,
  type StoredSealedRecord,
} from '@declog/core';
import { auditProblem, type AuditProblem } from './audit-problem.js';

/** How an audit compares what a store keeps beside its log with the leaves. */
export interface IndexAudit {
  readonly reader: IndexReader;
  /** Drawn afresh for each audit (see index-fingerprint in the core). */
  readonly key: FingerprintKey;
  /** Opens sealed records with their subjects' keys, when the auditor holds the master key. */
  readonly openSealed?: SealedOpener;
}

/** A sealed record kept beside an event, with the facts of the event's leaf. */
export interface SealedPair {
  readonly facts: IndexFacts;
  readonly record: StoredSealedRecord;
}

/** What is wrong with each record that does not open against its leaf, by event id. */
export type SealedOpener = (pairs: readonly SealedPair[]) => Promise<ReadonlyMap<string, string>>;

/** What one range of entries showed of their index. */
export interface IndexCheck {
  /** The first entry whose index disagrees with its leaf. */
  readonly problem: AuditProblem<'edited-entry'> | null;
  /**
   * For each set kind (in INDEX_SET_KINDS order) the reader does not list, the fingerprint of
   * the elements the entries' leaves call for (0 for the kinds it lists), to add up log-wide.
   */
  readonly fingerprints: readonly number[];
  /** Sealed records read. */
  readonly sealed: number;
}

/** Nothing checked: what an empty range shows. */
export const NO_INDEX_CHECK: IndexCheck = {
  problem: null,
  fingerprints: INDEX_SET_KINDS.map(() => 0),
  sealed: 0,
};

/** The texts of a leaf's INDEX_MEMBERS, when the leaf check read them; null otherwise. */
export type LeafMembers = readonly (string | undefined)[] | null;

/**
 * Checks consecutive stored rows (whose leaves checked out) against what the store keeps
 * beside them: the facts each leaf calls for (`indexFacts`) against what the reader reads back
 * for their range (`indexPageProblem`), each sealed record (`sealedRecordProblem`, and opened
 * when it can be), and the fingerprints of the sets the reader cannot list by range.
 */
export function indexChecker(
  audit: IndexAudit,
): (rows: readonly LogRow[], members?: readonly LeafMembers[]) => Promise<IndexCheck> {
  const { reader, key } = audit;
  const hash = valueHasher(key.secret);
  const positioned = reader.positionedTerms;
  const terms = keptTerms(reader);
  const fingerprinted = INDEX_SET_KINDS.map((kind) => !reader.listed.includes(kind));
  return async (rows, members) => {
    const first = rows[0];
    if (first === undefined) return NO_INDEX_CHECK;
    const { positions, unreadable } = expectedPositions(rows, terms, members);
    const ids = positions.flatMap((p) => (p.facts ? [p.facts.id] : []));
    const page = await reader.readPage(first.seq, positions.length, ids, {
      sealedContent: audit.openSealed !== undefined,
    });
    const problems: (IndexProblem | null)[] = [
      unreadable,
      indexPageProblem(positions, page, reader.listed, { positioned }),
      await sealedProblem(audit, positions, page.sealed),
    ];
    const problem = problems.reduce<IndexProblem | null>(
      (earliest, found) => (found && (!earliest || found.seq < earliest.seq) ? found : earliest),
      null,
    );
    return {
      problem: problem && auditProblem('edited-entry', problem.reason, { seq: problem.seq }),
      fingerprints: INDEX_SET_KINDS.map((kind, i) =>
        fingerprinted[i]
          ? positionsFingerprint(positions, kind, positioned, key.multiplier, hash)
          : 0,
      ),
      sealed: page.sealed.length,
    };
  };
}

/** Summaries whose terms are kept: most logs repeat few of them, and each is split once. */
const SUMMARIES_KEPT = 20_000;

/**
 * The reader's `textTerms`, each summary's list kept and given again (the same array, which
 * the fingerprints' sums are kept by) while it is among the last ones met.
 */
export function keptTerms(reader: Pick<IndexReader, 'textTerms'>) {
  const kept = new Map<string, readonly string[]>();
  return (summary: string): readonly string[] => {
    let terms = kept.get(summary);
    if (terms === undefined) {
      terms = reader.textTerms(summary);
      if (kept.size >= SUMMARIES_KEPT) kept.clear();
      kept.set(summary, terms);
    }
    return terms;
  };
}

const NO_TERMS: readonly string[] = [];

/** What each row's leaf calls for, up to the first leaf no store could have indexed. */
export function expectedPositions(
  rows: readonly LogRow[],
  textTerms: (summary: string) => readonly string[],
  members?: readonly LeafMembers[],
): { readonly positions: ExpectedPosition[]; readonly unreadable: IndexProblem | null } {
  const positions: ExpectedPosition[] = [];
  for (const [i, row] of rows.entries()) {
    if (isPruned(row)) {
      positions.push({ seq: row.seq, facts: null, terms: [] });
      continue;
    }
    const picked = members?.[i];
    const read = picked ? indexFactsOfMembers(picked) : indexFacts(row.json);
    if (!read.ok) {
      return { positions, unreadable: { seq: row.seq, reason: `seq ${row.seq}: ${read.reason}` } };
    }
    const { facts } = read;
    const terms = facts.decision ? textTerms(facts.decision.summary) : NO_TERMS;
    positions.push({ seq: row.seq, facts, terms });
  }
  return { positions, unreadable: null };
}

/** The first position whose sealed record is not the one its leaf commits to. */
async function sealedProblem(
  audit: IndexAudit,
  positions: readonly ExpectedPosition[],
  stored: readonly StoredSealedRecord[],
): Promise<IndexProblem | null> {
  const records = new Map(stored.map((record) => [record.eventId, record]));
  // A missing record is right only for a subject erased before the event arrived.
  const missing = positions.flatMap(({ facts }) =>
    facts?.personal?.subject != null && !records.has(facts.id) ? [facts.personal.subject] : [],
  );
  const erased = missing.length > 0 ? await audit.reader.erasedSubjects(missing) : new Set();
  const toOpen: SealedPair[] = [];
  for (const { seq, facts } of positions) {
    if (facts === null) continue;
    const record = records.get(facts.id);
    const subject = facts.personal?.subject;
    const why = sealedRecordProblem(facts, record, subject != null && erased.has(subject));
    if (why !== null) return { seq, reason: `seq ${seq}: ${why}` };
    if (record?.kept) toOpen.push({ facts, record });
  }
  if (!audit.openSealed || toOpen.length === 0) return null;
  const unopened = await audit.openSealed(toOpen);
  for (const { facts } of toOpen) {
    const why = unopened.get(facts.id);
    if (why !== undefined) return { seq: facts.seq, reason: `seq ${facts.seq}: ${why}` };
  }
  return null;
}
