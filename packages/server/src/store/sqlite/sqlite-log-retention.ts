import {
  decisionFacts,
  expandEventText,
  storedContentDigest,
  type DecisionEvent,
  type LogRetention,
  type RetentionCandidate,
} from '@declog/core';
import type { SqliteDecisionIndex } from './sqlite-decision-index.js';
import type { SqliteLogContext } from './sqlite-log-context.js';
import { prunedMarkText } from './sqlite-pruned-mark.js';

interface FullEventRow {
  seq: number;
  id: string;
  type: string;
  decision_id: string | null;
  body: string;
}

interface CandidateRow {
  seq: number;
  id: string;
  model: string;
  subject: string | null;
  newest_seq: number;
  has_personal: number;
}

/**
 * Retention's reads and changes of one log. Those that find decisions through the decision
 * index bring it up to the log first; pruning takes an entry's index rows out with it.
 */
export function sqliteLogRetention(
  { db, p }: SqliteLogContext,
  index: SqliteDecisionIndex,
  hooks: { readonly onTextDeleted?: () => void; readonly onPruned?: () => void },
): LogRetention {
  const full = 'seq, id, type, decision_id, body';
  const candidates = db.prepare<[number, number, number], CandidateRow>(
    `SELECT d.seq, e.id, d.model, d.subject,
            max(d.seq, coalesce((SELECT max(l.seq) FROM ${p}events l
                                  WHERE l.decision_id = e.id AND l.pruned IS NULL), -1)) AS newest_seq,
            e.sealed IS NOT NULL AS has_personal
       FROM ${p}decisions d JOIN ${p}events e ON e.seq = d.seq
      WHERE d.seq >= ? AND d.seq < ? ORDER BY d.seq LIMIT ?`,
  );
  const orphans = db.prepare<
    [number, number, number],
    { seq: number; id: string; decision_id: string }
  >(
    `SELECT e.seq, e.id, e.decision_id FROM ${p}events e
      WHERE e.seq >= ? AND e.seq < ? AND e.decision_id IS NOT NULL AND e.pruned IS NULL
        AND NOT EXISTS (SELECT 1 FROM ${p}events d
                         WHERE d.id = e.decision_id AND d.type = 'decision' AND d.pruned IS NULL)
      ORDER BY e.seq LIMIT ?`,
  );
  const fullById = db.prepare<[string], FullEventRow>(
    `SELECT ${full} FROM ${p}events WHERE id = ? AND pruned IS NULL`,
  );
  const fullBySeq = db.prepare<[number], FullEventRow>(
    `SELECT ${full} FROM ${p}events WHERE seq = ? AND pruned IS NULL`,
  );
  const fullLinked = db.prepare<[string], FullEventRow>(
    `SELECT ${full} FROM ${p}events WHERE decision_id = ? AND pruned IS NULL ORDER BY seq`,
  );
  // The row keeps its place, id and type; its content and sealed values go.
  const markPruned = db.prepare<[string, number]>(
    `UPDATE ${p}events SET body = '', pruned = ?, sealed = NULL, subject = NULL,
            shredded_at = NULL, shredded_by = NULL, kind = NULL
      WHERE seq = ?`,
  );
  // A subject's records are found through its decisions in the index.
  const shredSubject = db.prepare<[string, string, string]>(
    `UPDATE ${p}events SET sealed = NULL, shredded_at = ?, shredded_by = ?
      WHERE sealed IS NOT NULL AND seq IN (SELECT seq FROM ${p}decisions WHERE subject = ?)`,
  );
  const shredIds = db.prepare<[string, string, string]>(
    `UPDATE ${p}events SET sealed = NULL, shredded_at = ?, shredded_by = ?
      WHERE id IN (SELECT value FROM json_each(?)) AND sealed IS NOT NULL`,
  );

  let textDeleted = false;
  const pruneRow = (row: FullEventRow, at: string, by: string) => {
    const body = expandEventText(row.body);
    const recordedAt = (JSON.parse(body) as { recorded_at: string }).recorded_at;
    if (row.type === 'decision') {
      index.remove(row.seq, decisionFacts(JSON.parse(body) as DecisionEvent));
      textDeleted = true;
    } else if (row.type === 'outcome') index.removeOutcome(row.seq);
    markPruned.run(
      prunedMarkText({
        contentDigest: storedContentDigest(body),
        recordedAt,
        prunedAt: at,
        prunedBy: by,
      }),
      row.seq,
    );
  };

  const pruneBatch = db.transaction(
    (decisions: readonly string[], seqs: readonly number[], at: string, by: string): number => {
      let pruned = 0;
      for (const id of decisions) {
        const decision = fullById.get(id);
        if (!decision || decision.type !== 'decision') continue;
        for (const linked of fullLinked.all(id)) {
          pruneRow(linked, at, by);
          pruned += 1;
        }
        pruneRow(decision, at, by);
        pruned += 1;
      }
      for (const seq of seqs) {
        const row = fullBySeq.get(seq);
        if (!row) continue;
        pruneRow(row, at, by);
        pruned += 1;
      }
      return pruned;
    },
  );

  return {
    async retentionCandidates(fromSeq, beforeSeq, limit): Promise<readonly RetentionCandidate[]> {
      index.catchUp();
      return candidates.all(fromSeq, beforeSeq, limit).map((row) => ({
        seq: row.seq,
        id: row.id,
        model: row.model,
        subject: row.subject,
        newestSeq: row.newest_seq,
        hasPersonalData: row.has_personal === 1,
      }));
    },
    async orphans(fromSeq, beforeSeq, limit) {
      return orphans
        .all(fromSeq, beforeSeq, limit)
        .map((row) => ({ seq: row.seq, id: row.id, decisionId: row.decision_id }));
    },
    async shredPersonalData(target, at, by) {
      if ('subject' in target) {
        index.catchUp();
        return shredSubject.run(at, by, target.subject).changes;
      }
      return shredIds.run(at, by, JSON.stringify(target.ids)).changes;
    },
    async prune(target, at, by) {
      index.catchUp();
      textDeleted = false;
      try {
        return pruneBatch.immediate(target.decisions, target.seqs, at, by);
      } finally {
        hooks.onPruned?.();
        if (textDeleted) hooks.onTextDeleted?.();
      }
    },
  };
}
