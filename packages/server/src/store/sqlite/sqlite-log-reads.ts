import type Database from 'better-sqlite3';
import {
  expandEventText,
  type DecisionChainRows,
  type DecisionPage,
  type LogEntryType,
  type LogReads,
  type LogRow,
  type PrunedRow,
  type StoredPersonal,
  type StoredRow,
} from '@declog/core';
import { rowsWithinBytes } from '../rows-within-bytes.js';
import { decisionQueryPlan, pageWindow } from './decision-query-sql.js';
import type { SqliteLogContext } from './sqlite-log-context.js';
import type { SqliteLogTree } from './sqlite-log-tree.js';
import { readPrunedMark } from './sqlite-pruned-mark.js';

/** An `events` row as reads select it: live (`pruned` null) or a pruned mark. */
interface EntryRecord {
  seq: number;
  type: LogEntryType;
  id: string;
  decision_id: string | null;
  body: string;
  pruned: string | null;
}

const ENTRY = 'seq, type, id, decision_id, body, pruned';

/**
 * Reads of one log. Those that use the decision index call `indexed` first, which brings the
 * index up to the log (see SqliteDecisionIndex), here or on the thread that writes.
 */
export function sqliteLogReads(
  { db, p }: SqliteLogContext,
  tree: Pick<SqliteLogTree, 'nodes' | 'leaf'>,
  indexed: () => void | Promise<void>,
): LogReads {
  const logSize = db
    .prepare<[], number>(`SELECT coalesce(max(seq) + 1, 0) FROM ${p}events`)
    .pluck();
  const bySeq = db.prepare<[number], EntryRecord>(`SELECT ${ENTRY} FROM ${p}events WHERE seq = ?`);
  const liveById = db.prepare<[string], EntryRecord>(
    `SELECT ${ENTRY} FROM ${p}events WHERE id = ? AND pruned IS NULL`,
  );
  const prunedById = db.prepare<[string], EntryRecord>(
    `SELECT ${ENTRY} FROM ${p}events WHERE id = ? AND pruned IS NOT NULL`,
  );
  const decisionById = db.prepare<[string], EntryRecord>(
    `SELECT ${ENTRY} FROM ${p}events WHERE id = ? AND type = 'decision' AND pruned IS NULL`,
  );
  const linkedTo = db.prepare<[string], EntryRecord>(
    `SELECT ${ENTRY} FROM ${p}events WHERE decision_id = ? AND pruned IS NULL
      ORDER BY occurred_ms, seq`,
  );
  const countLinked = db
    .prepare<[string], number>(
      `SELECT count(*) FROM ${p}events WHERE decision_id = ? AND pruned IS NULL`,
    )
    .pluck();
  const personal = db.prepare<
    [string],
    {
      id: string;
      subject: string;
      sealed: string | Uint8Array | null;
      shredded_at: string | null;
      shredded_by: string | null;
    }
  >(
    `SELECT id, subject, sealed, shredded_at, shredded_by FROM ${p}events
      WHERE id IN (SELECT value FROM json_each(?)) AND subject IS NOT NULL`,
  );
  // As arrays: a verifier scans every row, and an object per row from the driver, mapped to
  // another, is most of what a scan costs.
  const scanFrom = db
    .prepare<
      [number, number],
      [number, LogEntryType, string, string, string | null, string | null]
    >(
      `SELECT seq, type, body, id, decision_id, pruned FROM ${p}events
        WHERE seq >= ? ORDER BY seq LIMIT ?`,
    )
    .raw();
  const getSetting = db
    .prepare<[string], string>(`SELECT value FROM ${p}settings WHERE key = ?`)
    .pluck();

  // A page query's SQL depends only on which filters are set: few shapes, each prepared once.
  const candidateStatements = new Map<
    string,
    Database.Statement<unknown[], { seq: number; occurred_ms: number }>
  >();
  const candidateStatement = (sql: string) => {
    let statement = candidateStatements.get(sql);
    if (!statement) {
      statement = db.prepare<unknown[], { seq: number; occurred_ms: number }>(sql);
      if (candidateStatements.size < 256) candidateStatements.set(sql, statement);
    }
    return statement;
  };
  const queryStatements = new Map<string, Database.Statement<unknown[], QueryRow>>();
  const queryStatement = (sql: string) => {
    let statement = queryStatements.get(sql);
    if (!statement) {
      statement = db.prepare<unknown[], QueryRow>(sql);
      if (queryStatements.size < 256) queryStatements.set(sql, statement);
    }
    return statement;
  };

  const live = (r: EntryRecord): StoredRow => ({
    seq: r.seq,
    type: r.type,
    json: expandEventText(r.body),
  });
  const markOf = (r: EntryRecord, leafHash: Uint8Array): PrunedRow => {
    const mark = readPrunedMark(r.pruned as string);
    return {
      seq: r.seq,
      type: r.type,
      pruned: {
        id: r.id,
        decisionId: r.decision_id,
        leafHash,
        contentDigest: new Uint8Array(mark.contentDigest),
        recordedAt: mark.recordedAt,
        prunedAt: mark.prunedAt,
        prunedBy: mark.prunedBy,
      },
    };
  };
  const entry = (r: EntryRecord): LogRow =>
    r.pruned === null ? live(r) : markOf(r, tree.leaf(r.seq));

  return {
    async size() {
      return logSize.get() ?? 0;
    },
    async eventBySeq(seq) {
      const row = bySeq.get(seq);
      return row ? entry(row) : null;
    },
    async eventById(id) {
      const row = liveById.get(id);
      return row ? live(row) : null;
    },
    async prunedById(id) {
      const row = prunedById.get(id);
      return row ? markOf(row, tree.leaf(row.seq)) : null;
    },
    async decisionChain(decisionId): Promise<DecisionChainRows | null> {
      const decision = decisionById.get(decisionId);
      if (!decision) return null;
      return { decision: live(decision), linked: linkedTo.all(decisionId).map(live) };
    },
    async countLinked(decisionId) {
      return countLinked.get(decisionId) ?? 0;
    },
    async queryDecisions(filter, page): Promise<DecisionPage> {
      await indexed();
      const plan = decisionQueryPlan(filter, page, p);
      let window: ReturnType<typeof pageWindow> = null;
      if (plan.candidates) {
        const candidates = candidateStatement(plan.candidates.sql).all(...plan.candidates.params);
        const words = filter.words.length > 0;
        window = pageWindow(candidates, words, words ? (logSize.get() ?? 0) : 0);
        if (!window) return { items: [], next: null };
      }
      const { sql, params } = plan.page(window);
      const { rows: items, more } = rowsWithinBytes(
        queryStatement(sql).iterate(...params),
        page.limit,
        page.maxBytes,
        (row) => row.body.length,
      );
      const last = items.at(-1);
      // Past the last item when the page is full; else past the last decision looked at.
      const next =
        more && last ? { occurredMs: last.occurred_ms, seq: last.seq } : (window?.end ?? null);
      return {
        items: items.map((r) => ({
          seq: r.seq,
          type: r.type,
          json: expandEventText(r.body),
          occurredMs: r.occurred_ms,
        })),
        next,
      };
    },
    async personalData(ids) {
      const found = new Map<string, StoredPersonal>();
      if (ids.length === 0) return found;
      for (const row of personal.iterate(JSON.stringify(ids))) {
        found.set(row.id, {
          subject: row.subject,
          // Packed records stay packed: readers open them in place (see parseSealedRecord).
          sealed: row.sealed,
          shreddedAt: row.shredded_at,
          shreddedBy: row.shredded_by,
        });
      }
      return found;
    },
    async scan(fromSeq, limit, maxBytes) {
      const rows =
        maxBytes === undefined
          ? scanFrom.all(fromSeq, limit)
          : rowsWithinBytes(
              scanFrom.iterate(fromSeq, limit),
              limit,
              maxBytes,
              (row) => row[2].length,
            ).rows;
      const prunedSeqs = rows.filter((r) => r[5] !== null).map((r) => r[0]);
      const leaves =
        prunedSeqs.length === 0
          ? new Map<number, Uint8Array>()
          : new Map(
              tree
                .nodes(prunedSeqs.map((seq) => ({ level: 0, index: seq })))
                .map((hash, i) => [prunedSeqs[i] as number, hash]),
            );
      return rows.map(([seq, type, body, id, decisionId, pruned]): LogRow =>
        pruned === null
          ? { seq, type, json: expandEventText(body) }
          : markOf(
              { seq, type, id, decision_id: decisionId, body, pruned },
              leaves.get(seq) as Uint8Array,
            ),
      );
    },
    async merkleNodes(refs) {
      return tree.nodes(refs);
    },
    async setting(key) {
      return getSetting.get(key) ?? null;
    },
  };
}

type QueryRow = { seq: number; type: LogEntryType; body: string; occurred_ms: number };
