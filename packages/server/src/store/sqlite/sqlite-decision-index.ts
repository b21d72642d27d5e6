import {
  decisionFacts,
  expandEventText,
  outcomeLabelOf,
  type DecisionEvent,
  type DecisionFacts,
} from '@declog/core';
import type { SqliteLogContext } from './sqlite-log-context.js';

/** A decision appended, as its index rows need it. */
export interface IndexedDecision {
  readonly seq: number;
  readonly occurredMs: number;
  readonly facts: DecisionFacts;
}

/**
 * The decision index of one log (decisions by time, model, version and subject; reason codes;
 * labels; summary words), which follows the log rather than being written with each append:
 * it is brought up to the log's size in transactions of its own, many appends at a time, so
 * that its pages (scattered over the index by subject, above all) are written once for
 * thousands of decisions rather than once per batch. Its position is the `indexed_size`
 * setting, moved in the same transaction as its rows; whatever the log holds beyond it (after
 * a crash, or appended by another process) is read back from the stored events. Nothing is
 * lost by its lag: each part of the store that reads the index catches it up first.
 */
export interface SqliteDecisionIndex {
  /**
   * The decisions of an append just committed, which placed entries [from, to): indexed by the
   * next catch-up without reading them back.
   */
  enqueue(from: number, to: number, decisions: readonly IndexedDecision[]): void;
  /** Whether entries wait to be indexed (queued here, or beyond the stored position). */
  behind(): boolean;
  /** Decisions queued since the last catch-up. */
  queued(): number;
  /** Indexes everything the log holds, in one transaction; a no-op when nothing waits. */
  catchUp(): void;
  /** Takes a pruned decision's rows out (inside the caller's transaction). */
  remove(seq: number, facts: DecisionFacts): void;
  /** Takes a pruned outcome's label out (inside the caller's transaction). */
  removeOutcome(seq: number): void;
}

/** Stored decisions read back at a time when the index catches up with what it has not seen. */
const READ_BACK_PAGE = 1000;

export function sqliteDecisionIndex({ db, p }: SqliteLogContext): SqliteDecisionIndex {
  const insertDecision = db.prepare<
    [
      number,
      string,
      string,
      number,
      string | null,
      string | null,
      number | null,
      number | null,
      number,
    ]
  >(
    `INSERT INTO ${p}decisions (seq, model, model_version, occurred_ms, subject, label, score, confidence, fields)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertOutcomeLabel = db.prepare<[number, string]>(
    `INSERT OR REPLACE INTO ${p}outcome_labels (seq, label) VALUES (?, ?)`,
  );
  const deleteOutcomeLabel = db.prepare<[number]>(`DELETE FROM ${p}outcome_labels WHERE seq = ?`);
  const insertReason = db.prepare<[string, number]>(
    `INSERT INTO ${p}decision_reasons (code, seq) VALUES (?, ?)`,
  );
  const insertLabel = db.prepare<[string, string, number]>(
    `INSERT INTO ${p}decision_labels (key, value, seq) VALUES (?, ?, ?)`,
  );
  const insertText = db.prepare<[number, string]>(
    `INSERT INTO ${p}decision_text (rowid, summary) VALUES (?, ?)`,
  );
  const deleteDecision = db.prepare<[number]>(`DELETE FROM ${p}decisions WHERE seq = ?`);
  const deleteReason = db.prepare<[string, number]>(
    `DELETE FROM ${p}decision_reasons WHERE code = ? AND seq = ?`,
  );
  const deleteLabel = db.prepare<[string, string, number]>(
    `DELETE FROM ${p}decision_labels WHERE key = ? AND value = ? AND seq = ?`,
  );
  const deleteText = db.prepare<[number]>(`DELETE FROM ${p}decision_text WHERE rowid = ?`);
  const position = db
    .prepare<[], string>(`SELECT value FROM ${p}settings WHERE key = 'indexed_size'`)
    .pluck();
  const setPosition = db.prepare<[string]>(
    `INSERT INTO ${p}settings (key, value) VALUES ('indexed_size', ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  );
  const logSize = db
    .prepare<[], number>(`SELECT coalesce(max(seq) + 1, 0) FROM ${p}events`)
    .pluck();
  const storedDecisions = db.prepare<[number, number, number], { seq: number; body: string }>(
    `SELECT seq, body FROM ${p}events
      WHERE seq >= ? AND seq < ? AND type = 'decision' AND pruned IS NULL ORDER BY seq LIMIT ?`,
  );
  // Appends queue only their decisions: an outcome's label is read back from its row (the
  // rows just appended, still in the page cache).
  const storedOutcomes = db.prepare<[number, number], { seq: number; body: string }>(
    `SELECT seq, body FROM ${p}events
      WHERE seq >= ? AND seq < ? AND type = 'outcome' AND pruned IS NULL`,
  );

  /** Appends committed here since the last catch-up, in seq order. */
  let queue: { from: number; to: number; decisions: readonly IndexedDecision[] }[] = [];
  let queuedDecisions = 0;

  const insert = (decision: IndexedDecision) => {
    const { seq, facts } = decision;
    insertDecision.run(
      seq,
      facts.model,
      facts.modelVersion,
      decision.occurredMs,
      facts.subject,
      facts.label,
      facts.score,
      facts.confidence,
      facts.fields,
    );
    for (const code of facts.reasonCodes) insertReason.run(code, seq);
    for (const [key, value] of facts.labels) insertLabel.run(key, value, seq);
    insertText.run(seq, facts.summary);
  };

  // Derived rows: a crash that loses this transaction loses its position with it, and the rows
  // are made again from the log. So the commit is not flushed to the disk.
  const writeWithoutFlush = db.prepare('PRAGMA synchronous = NORMAL');
  const flushEveryCommit = db.prepare('PRAGMA synchronous = FULL');

  const catchUpTransaction = db.transaction(() => {
    const from = Number(position.get() ?? '0');
    const to = logSize.get() ?? 0;
    if (from >= to) return;
    // The queue covers what this process appended; the rest (appended by another process, or
    // before a crash) is read back from the stored events.
    let next = from;
    for (const batch of queue) {
      if (batch.to <= next) continue;
      if (batch.from > next) readBack(next, batch.from);
      for (const decision of batch.decisions) if (decision.seq >= next) insert(decision);
      next = batch.to;
    }
    if (next < to) readBack(next, to);
    indexOutcomes(from, to);
    setPosition.run(String(Math.max(next, to)));
  });

  /** Keeps the labels of the outcomes stored in [from, to). */
  const indexOutcomes = (from: number, to: number) => {
    const labels: [number, string][] = [];
    for (const row of storedOutcomes.iterate(from, to)) {
      const label = outcomeLabelOf(expandEventText(row.body));
      if (label !== null) labels.push([row.seq, label]);
    }
    for (const [seq, label] of labels) insertOutcomeLabel.run(seq, label);
  };

  /** Indexes the live decisions stored in [from, to) from their stored text. */
  const readBack = (from: number, to: number) => {
    // A page at a time: the connection cannot insert while a query of it is still stepping.
    for (let next = from; next < to;) {
      const rows = storedDecisions.all(next, to, READ_BACK_PAGE);
      for (const row of rows) {
        const event = JSON.parse(expandEventText(row.body)) as DecisionEvent;
        insert({
          seq: row.seq,
          occurredMs: Date.parse(event.occurred_at),
          facts: decisionFacts(event),
        });
      }
      if (rows.length < READ_BACK_PAGE) break;
      next = (rows.at(-1)?.seq ?? to) + 1;
    }
  };

  return {
    enqueue(from, to, decisions) {
      if (to <= from) return;
      // Ranges without decisions are kept (so they are not read back) but merged.
      const last = queue.at(-1);
      if (decisions.length === 0 && last?.decisions.length === 0 && last.to === from) {
        queue[queue.length - 1] = { from: last.from, to, decisions };
      } else {
        queue.push({ from, to, decisions });
      }
      queuedDecisions += decisions.length;
    },
    behind() {
      return queue.length > 0 || Number(position.get() ?? '0') < (logSize.get() ?? 0);
    },
    queued: () => queuedDecisions,
    catchUp() {
      if (queue.length === 0 && Number(position.get() ?? '0') >= (logSize.get() ?? 0)) return;
      const inTransaction = db.inTransaction;
      if (!inTransaction) writeWithoutFlush.run();
      try {
        if (inTransaction) catchUpTransaction();
        else catchUpTransaction.immediate();
        queue = [];
        queuedDecisions = 0;
      } finally {
        if (!inTransaction) flushEveryCommit.run();
      }
    },
    removeOutcome(seq) {
      deleteOutcomeLabel.run(seq);
    },
    remove(seq, facts) {
      for (const code of facts.reasonCodes) deleteReason.run(code, seq);
      for (const [key, value] of facts.labels) deleteLabel.run(key, value, seq);
      deleteText.run(seq);
      deleteDecision.run(seq);
    },
  };
}
