import type Database from 'better-sqlite3';
import {
  appendLeaf,
  frontierAt,
  leafHashOfText,
  sameContent,
  sealedEntriesProblem,
  sealMembers,
  type Frontier,
  type NodeRef,
  type AppendConflict,
  type AppendedItem,
  type AppendResult,
  type DecisionChainRows,
  type DecisionFilter,
  type DecisionPage,
  type DecisionPageRequest,
  type EventStore,
  type PreparedEvent,
  type SealedEntry,
  type StoredPersonal,
} from '@declog/core';
import {
  asBuffer,
  toStoredCheckpoint,
  toStoredRow,
  type CheckpointRecord,
  type EventRecord,
} from '../stored-records.js';
import { decisionQuerySql } from './decision-query-sql.js';

/**
 * One log of an SQLite database: its tables are the default log's names with `prefix` in
 * front. Every append is one immediate transaction committed with `synchronous = FULL`, so an
 * acknowledged batch survives a crash, and several processes may append to one file. Closing
 * it leaves the connection, which belongs to the database, open.
 */
export function sqliteLogStore(db: Database.Database, prefix: string, logId: string): EventStore {
  const p = prefix;
  // Prepared on first use: a database of an older schema, opened read-only, lacks the table.
  let personalStatements: ReturnType<typeof preparePersonal> | null = null;
  const personal = () => (personalStatements ??= preparePersonal(db));
  const nextSeq = db.prepare<[], { next: number }>(
    `SELECT coalesce(max(seq) + 1, 0) AS next FROM ${p}events`,
  );
  const byId = db.prepare<[string], EventRecord>(
    `SELECT seq, type, body FROM ${p}events WHERE id = ?`,
  );
  const bySeq = db.prepare<[number], EventRecord>(
    `SELECT seq, type, body FROM ${p}events WHERE seq = ?`,
  );
  const insertEvent = db.prepare<
    [number, string, string, string | null, string | null, number, string]
  >(
    `INSERT INTO ${p}events (seq, id, type, decision_id, kind, occurred_ms, body) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertDecision = db.prepare<[number, string, string, number, string | null]>(
    `INSERT INTO ${p}decisions (seq, model, model_version, occurred_ms, subject) VALUES (?, ?, ?, ?, ?)`,
  );
  const insertReason = db.prepare<[string, number]>(
    `INSERT INTO ${p}decision_reasons (code, seq) VALUES (?, ?)`,
  );
  const insertLabel = db.prepare<[string, string, number]>(
    `INSERT INTO ${p}decision_labels (key, value, seq) VALUES (?, ?, ?)`,
  );
  const insertText = db.prepare<[number, string]>(
    `INSERT INTO ${p}decision_text (rowid, summary) VALUES (?, ?)`,
  );
  const decisionById = db.prepare<[string], EventRecord>(
    `SELECT seq, type, body FROM ${p}events WHERE id = ? AND type = 'decision'`,
  );
  const linkedTo = db.prepare<[string], EventRecord>(
    `SELECT seq, type, body FROM ${p}events WHERE decision_id = ? ORDER BY occurred_ms, seq`,
  );
  const countLinked = db.prepare<[string], { n: number }>(
    `SELECT count(*) AS n FROM ${p}events WHERE decision_id = ?`,
  );

  const selectNode = db.prepare<[number, number], { hash: Buffer }>(
    `SELECT hash FROM ${p}merkle_nodes WHERE level = ? AND idx = ?`,
  );
  // Plucked: a verifier reads every leaf hash through here, and one object a row adds up.
  const nodeRange = db
    .prepare<[number, number, number], Buffer>(
      `SELECT hash FROM ${p}merkle_nodes WHERE level = ? AND idx BETWEEN ? AND ? ORDER BY idx`,
    )
    .pluck();
  const nodesInStatements = new Map<
    number,
    Database.Statement<unknown[], { level: number; idx: number; hash: Buffer }>
  >();
  const nodesIn = (count: number) => {
    let statement = nodesInStatements.get(count);
    if (!statement) {
      const pairs = Array.from({ length: count }, () => '(?, ?)').join(', ');
      statement = db.prepare(
        `SELECT level, idx, hash FROM ${p}merkle_nodes WHERE (level, idx) IN (VALUES ${pairs})`,
      );
      nodesInStatements.set(count, statement);
    }
    return statement;
  };
  const insertNode = db.prepare<[number, number, Buffer]>(
    `INSERT INTO ${p}merkle_nodes (level, idx, hash) VALUES (?, ?, ?)`,
  );
  const getNode = (level: number, index: number): Uint8Array => {
    const row = selectNode.get(level, index);
    if (!row) throw new Error(`merkle node (${level}, ${index}) is missing from the store`);
    return row.hash;
  };
  const insertCheckpoint = db.prepare<[number, Buffer, string, string]>(
    `INSERT OR IGNORE INTO ${p}checkpoints (size, root, note, issued_at) VALUES (?, ?, ?, ?)`,
  );
  const latestCheckpoint = db.prepare<[], CheckpointRecord>(
    `SELECT size, root, note, issued_at FROM ${p}checkpoints ORDER BY size DESC LIMIT 1`,
  );
  const checkpointAt = db.prepare<[number], CheckpointRecord>(
    `SELECT size, root, note, issued_at FROM ${p}checkpoints WHERE size = ?`,
  );
  const checkpointsFrom = db.prepare<[number], CheckpointRecord>(
    `SELECT size, root, note, issued_at FROM ${p}checkpoints WHERE size >= ? ORDER BY size`,
  );
  const scanFrom = db.prepare<[number, number], EventRecord>(
    `SELECT seq, type, body FROM ${p}events WHERE seq >= ? ORDER BY seq LIMIT ?`,
  );
  const getSetting = db.prepare<[string], { value: string }>(
    `SELECT value FROM ${p}settings WHERE key = ?`,
  );
  const insertSetting = db.prepare<[string, string]>(
    `INSERT OR IGNORE INTO ${p}settings (key, value) VALUES (?, ?)`,
  );

  // A page query's SQL depends only on which filters are set: few shapes, each prepared once.
  const queryStatements = new Map<string, Database.Statement<unknown[], QueryRow>>();
  const queryStatement = (sql: string) => {
    let statement = queryStatements.get(sql);
    if (!statement) {
      statement = db.prepare<unknown[], QueryRow>(sql);
      if (queryStatements.size < 256) queryStatements.set(sql, statement);
    }
    return statement;
  };

  // The right edge of the Merkle tree, cached between appends; another process may have
  // appended meanwhile, so it is rebuilt from stored nodes when its size is not the log's.
  let frontier: Frontier | null = null;
  let pendingFrontier: Frontier | null = null;
  const frontierOf = (size: number): Frontier =>
    frontier !== null && frontier.size === size ? frontier : frontierAt(size, getNode);

  /** Stores one sealed event, its index rows and the tree nodes it completes. */
  const storeEntry = (tree: Frontier, prepared: PreparedEvent, seq: number, json: string) => {
    const appended = appendLeaf(tree, leafHashOfText(json));
    for (const node of appended.newNodes) {
      insertNode.run(node.level, node.index, asBuffer(node.hash));
    }
    insertEvent.run(
      seq,
      prepared.id,
      prepared.type,
      prepared.decisionId,
      prepared.kind,
      prepared.occurredMs,
      json,
    );
    if (prepared.personal) {
      personal().insert.run(
        logId,
        prepared.id,
        prepared.personal.subject,
        prepared.personal.sealed,
      );
    }
    const facts = prepared.decision;
    if (facts) {
      insertDecision.run(seq, facts.model, facts.modelVersion, prepared.occurredMs, facts.subject);
      for (const code of facts.reasonCodes) insertReason.run(code, seq);
      for (const [key, value] of facts.labels) insertLabel.run(key, value, seq);
      insertText.run(seq, facts.summary);
    }
    return appended.frontier;
  };

  const appendBatch = db.transaction(
    (events: readonly PreparedEvent[], recordedAt: string): AppendResult => {
      let seq = nextSeq.get()?.next ?? 0;
      let tree = frontierOf(seq);
      const items: AppendedItem[] = [];
      const conflicts: AppendConflict[] = [];
      const inBatch = new Map<string, { seq: number; json: string }>();
      events.forEach((prepared, index) => {
        const existing = inBatch.get(prepared.id) ?? rowJson(byId.get(prepared.id));
        if (existing) {
          if (sameContent(existing.json, prepared.members)) {
            items.push({ id: prepared.id, seq: existing.seq, status: 'duplicate' });
          } else conflicts.push({ index, id: prepared.id, seq: existing.seq });
          return;
        }
        if (conflicts.length > 0) return;
        const json = sealMembers(prepared.members, seq, recordedAt);
        tree = storeEntry(tree, prepared, seq, json);
        inBatch.set(prepared.id, { seq, json });
        items.push({ id: prepared.id, seq, status: 'created' });
        seq += 1;
      });
      if (conflicts.length > 0) throw new ConflictRollback(conflicts);
      pendingFrontier = tree;
      return { ok: true, items };
    },
  );

  const storedIdProblem = (entries: readonly SealedEntry[]): string | null => {
    for (const { event } of entries) {
      const row = byId.get(event.id);
      if (row) return `id ${event.id} is already stored at seq ${row.seq}`;
    }
    return null;
  };

  const appendSealedBatch = db.transaction((entries: readonly SealedEntry[]) => {
    const size = nextSeq.get()?.next ?? 0;
    const problem = sealedEntriesProblem(entries, size) ?? storedIdProblem(entries);
    if (problem !== null) throw new Error(`cannot append sealed entries: ${problem}`);
    let tree = frontierOf(size);
    for (const entry of entries) tree = storeEntry(tree, entry.event, entry.seq, entry.json);
    pendingFrontier = tree;
  });

  return {
    async append(events, recordedAt) {
      try {
        const result = appendBatch.immediate(events, recordedAt);
        // Only a committed frontier is cached; a rolled-back one would be ahead of the log.
        frontier = pendingFrontier;
        return result;
      } catch (error) {
        frontier = null;
        if (error instanceof ConflictRollback) return { ok: false, conflicts: error.conflicts };
        throw error;
      }
    },
    async appendSealed(entries) {
      if (entries.length === 0) return;
      try {
        appendSealedBatch.immediate(entries);
        frontier = pendingFrontier;
      } catch (error) {
        frontier = null;
        throw error;
      }
    },
    async size() {
      return nextSeq.get()?.next ?? 0;
    },
    async eventBySeq(seq) {
      const row = bySeq.get(seq);
      return row ? toStoredRow(row) : null;
    },
    async eventById(id) {
      const row = byId.get(id);
      return row ? toStoredRow(row) : null;
    },
    async decisionChain(decisionId): Promise<DecisionChainRows | null> {
      const decision = decisionById.get(decisionId);
      if (!decision) return null;
      return { decision: toStoredRow(decision), linked: linkedTo.all(decisionId).map(toStoredRow) };
    },
    async countLinked(decisionId) {
      return countLinked.get(decisionId)?.n ?? 0;
    },
    async queryDecisions(filter: DecisionFilter, page: DecisionPageRequest): Promise<DecisionPage> {
      const { sql, params } = decisionQuerySql(filter, page, p);
      const rows = queryStatement(sql).all(...params);
      const items = rows.slice(0, page.limit);
      const last = items.at(-1);
      const next =
        rows.length > page.limit && last ? { occurredMs: last.occurred_ms, seq: last.seq } : null;
      return { items: items.map(toStoredRow), next };
    },
    async personalData(ids) {
      const found = new Map<string, StoredPersonal>();
      if (ids.length === 0) return found;
      for (const row of personal().select.all(logId, JSON.stringify(ids))) {
        found.set(row.event_id, {
          subject: row.subject,
          sealed: row.sealed,
          shreddedAt: row.shredded_at,
          shreddedBy: row.shredded_by,
        });
      }
      return found;
    },
    async shredPersonalData(target, at, by) {
      const statements = personal();
      const result =
        'subject' in target
          ? statements.shredSubject.run(at, by, logId, target.subject)
          : statements.shredIds.run(at, by, logId, JSON.stringify(target.ids));
      return result.changes;
    },
    async scan(fromSeq, limit) {
      return scanFrom.all(fromSeq, limit).map(toStoredRow);
    },
    async merkleNodes(refs: readonly NodeRef[]) {
      // Runs of consecutive nodes on one level (a verifier reading leaf hashes) are read with
      // one range scan; scattered nodes (a proof's path) with one query for all of them.
      const hashes: (Uint8Array | undefined)[] = new Array(refs.length);
      const scattered: number[] = [];
      for (let start = 0; start < refs.length;) {
        const first = refs[start] as NodeRef;
        let end = start + 1;
        while (
          end < refs.length &&
          refs[end]?.level === first.level &&
          refs[end]?.index === first.index + (end - start)
        ) {
          end += 1;
        }
        if (end - start === 1) scattered.push(start);
        else {
          const rows = nodeRange.all(first.level, first.index, first.index + (end - start - 1));
          rows.forEach((hash, i) => (hashes[start + i] = hash));
        }
        start = end;
      }
      for (let i = 0; i < scattered.length; i += MAX_NODES_PER_QUERY) {
        const chunk = scattered.slice(i, i + MAX_NODES_PER_QUERY);
        const found = new Map<string, Uint8Array>();
        const params = chunk.flatMap((k) => [refs[k]?.level, refs[k]?.index]);
        for (const row of nodesIn(chunk.length).all(...params)) {
          found.set(`${row.level}/${row.idx}`, row.hash);
        }
        for (const k of chunk) hashes[k] = found.get(`${refs[k]?.level}/${refs[k]?.index}`);
      }
      return hashes.map((hash, i) => {
        if (!hash) {
          throw new Error(
            `merkle node (${refs[i]?.level}, ${refs[i]?.index}) is missing from the store`,
          );
        }
        return hash;
      });
    },
    async addCheckpoint(checkpoint) {
      const result = insertCheckpoint.run(
        checkpoint.size,
        asBuffer(checkpoint.rootHash),
        checkpoint.note,
        checkpoint.issuedAt,
      );
      return result.changes === 1;
    },
    async latestCheckpoint() {
      const row = latestCheckpoint.get();
      return row ? toStoredCheckpoint(row) : null;
    },
    async checkpointAt(size) {
      const row = checkpointAt.get(size);
      return row ? toStoredCheckpoint(row) : null;
    },
    async checkpoints(fromSize = 0) {
      return checkpointsFrom.all(fromSize).map(toStoredCheckpoint);
    },
    async setting(key) {
      return getSetting.get(key)?.value ?? null;
    },
    async initSetting(key, value) {
      insertSetting.run(key, value);
      return getSetting.get(key)?.value ?? value;
    },
    async close() {
      // The connection is the database's; see openSqliteStore.
    },
  };
}

type QueryRow = EventRecord & { occurred_ms: number };

interface PersonalRow {
  event_id: string;
  subject: string;
  sealed: string | null;
  shredded_at: string | null;
  shredded_by: string | null;
}

function preparePersonal(db: Database.Database) {
  return {
    insert: db.prepare<[string, string, string, string]>(
      'INSERT INTO personal_data (log_id, event_id, subject, sealed) VALUES (?, ?, ?, ?)',
    ),
    select: db.prepare<[string, string], PersonalRow>(
      `SELECT event_id, subject, sealed, shredded_at, shredded_by FROM personal_data
        WHERE log_id = ? AND event_id IN (SELECT value FROM json_each(?))`,
    ),
    shredSubject: db.prepare<[string, string, string, string]>(
      `UPDATE personal_data SET sealed = NULL, shredded_at = ?, shredded_by = ?
        WHERE log_id = ? AND subject = ? AND sealed IS NOT NULL`,
    ),
    shredIds: db.prepare<[string, string, string, string]>(
      `UPDATE personal_data SET sealed = NULL, shredded_at = ?, shredded_by = ?
        WHERE log_id = ? AND event_id IN (SELECT value FROM json_each(?)) AND sealed IS NOT NULL`,
    ),
  };
}

/** Scattered tree nodes read by one query, at most (a proof path needs about 2·log2 n). */
const MAX_NODES_PER_QUERY = 128;

function rowJson(row: EventRecord | undefined): { seq: number; json: string } | undefined {
  return row && { seq: row.seq, json: row.body };
}

/** Thrown inside the transaction so that better-sqlite3 rolls it back. */
class ConflictRollback extends Error {
  constructor(readonly conflicts: readonly AppendConflict[]) {
    super('conflicting event ids');
  }
}
