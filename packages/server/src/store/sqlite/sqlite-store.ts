import type Database from 'better-sqlite3';
import {
  appendLeaf,
  assertPersonalSubject,
  contentDigest,
  compactEventText,
  decisionFacts,
  expandEventText,
  frontierAt,
  storedContentDigest,
  leafHashOfText,
  sameContent,
  sealedEntriesProblem,
  sealMembers,
  packSealedRecord,
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
  type Event,
  type LogRow,
  type OrphanEntry,
  type PreparedEvent,
  type RetentionCandidate,
  type CopiedEntry,
  type PrunedRow,
} from '@declog/core';
import {
  asBuffer,
  toStoredCheckpoint,
  toPersonalMap,
  toPrunedRow,
  toStoredRow,
  PRUNED_COLUMNS,
  type CheckpointRecord,
  type EventRecord,
  type PersonalRecord,
  type PrunedRecord,
} from '../stored-records.js';
import { rowsWithinBytes } from '../rows-within-bytes.js';
import { decisionQueryPlan, pageWindow } from './decision-query-sql.js';

/**
 * One log of an SQLite database: its tables are the default log's names with `prefix` in
 * front. Every append is one immediate transaction committed with `synchronous = FULL`, so an
 * acknowledged batch survives a crash (a `written` one is committed with `NORMAL`: it survives
 * a crash of the process), and several processes may append to one file. Closing it leaves
 * the connection, which belongs to the database, open.
 */
export function sqliteLogStore(
  db: Database.Database,
  prefix: string,
  logId: string,
  hooks: { readonly onTextDeleted?: () => void } = {},
): EventStore {
  const p = prefix;
  // Prepared on first use: a database of an older schema, opened read-only, lacks the table.
  let personalStatements: ReturnType<typeof preparePersonal> | null = null;
  const personal = () => (personalStatements ??= preparePersonal(db, p));
  let retentionStatements: ReturnType<typeof prepareRetention> | null = null;
  const retention = () => (retentionStatements ??= prepareRetention(db, p));
  // Pruned entries hold positions too: the log's size counts them (an old read-only
  // database without the table has none).
  const hasPrunedTable =
    db
      .prepare<[], { n: number }>(
        "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'pruned_entries'",
      )
      .get()?.n === 1;
  const logSize: () => number = hasPrunedTable
    ? (() => {
        const statement = db.prepare<[string], { next: number }>(
          `SELECT max(coalesce((SELECT max(seq) FROM ${p}events), -1),
                  coalesce((SELECT max(seq) FROM pruned_entries WHERE log_id = ?), -1)) + 1 AS next`,
        );
        return () => statement.get(logId)?.next ?? 0;
      })()
    : (() => {
        const statement = db.prepare<[], { next: number }>(
          `SELECT coalesce(max(seq) + 1, 0) AS next FROM ${p}events`,
        );
        return () => statement.get()?.next ?? 0;
      })();
  const prunedById = (id: string): PrunedRecord | undefined =>
    hasPrunedTable ? retention().prunedById.get(logId, id) : undefined;
  const prunedFrom = (seq: number): boolean =>
    hasPrunedTable && retention().anyPrunedFrom.get(logId, seq) !== undefined;
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
  // As arrays: a verifier scans every row, and an object per row from the driver, mapped to
  // another, is most of what a scan costs.
  const scanFrom = db
    .prepare<[number, number], [number, EventRecord['type'], string]>(
      `SELECT seq, type, body FROM ${p}events WHERE seq >= ? ORDER BY seq LIMIT ?`,
    )
    .raw();
  const getSetting = db.prepare<[string], { value: string }>(
    `SELECT value FROM ${p}settings WHERE key = ?`,
  );
  const insertSetting = db.prepare<[string, string]>(
    `INSERT OR IGNORE INTO ${p}settings (key, value) VALUES (?, ?)`,
  );

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
      compactEventText(json),
    );
    if (prepared.personal) {
      assertPersonalSubject(prepared);
      personal().insert.run(
        logId,
        prepared.id,
        prepared.personal.subject,
        // As bytes, about 40% smaller than the JSON text readers get back.
        storedSealed(prepared.personal.sealed),
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
      let seq = logSize();
      let tree = frontierOf(seq);
      const items: AppendedItem[] = [];
      const conflicts: AppendConflict[] = [];
      const inBatch = new Map<string, StoredContent>();
      events.forEach((prepared, index) => {
        const existing = inBatch.get(prepared.id) ?? storedContent(prepared.id);
        if (existing) {
          if (existing.same(prepared.members)) {
            items.push({ id: prepared.id, seq: existing.seq, status: 'duplicate' });
          } else conflicts.push({ index, id: prepared.id, seq: existing.seq });
          return;
        }
        if (conflicts.length > 0) return;
        const json = sealMembers(prepared.members, seq, recordedAt);
        tree = storeEntry(tree, prepared, seq, json);
        inBatch.set(prepared.id, { seq, same: (members) => sameContent(json, members) });
        items.push({ id: prepared.id, seq, status: 'created' });
        seq += 1;
      });
      if (conflicts.length > 0) throw new ConflictRollback(conflicts);
      pendingFrontier = tree;
      return { ok: true, items };
    },
  );

  /** The stored event of this id (live or pruned), and how to tell a resend of it. */
  const storedContent = (id: string): StoredContent | undefined => {
    const row = byId.get(id);
    if (row) {
      return { seq: row.seq, same: (members) => sameContent(expandEventText(row.body), members) };
    }
    const pruned = prunedById(id);
    if (!pruned) return undefined;
    return {
      seq: pruned.seq,
      same: (members) => Buffer.from(contentDigest(members)).equals(pruned.content_digest),
    };
  };

  const storedIdProblem = (entries: readonly CopiedEntry[]): string | null => {
    for (const entry of entries) {
      const id = 'pruned' in entry ? entry.pruned.id : entry.event.id;
      const row = storedContent(id);
      if (row) return `id ${id} is already stored at seq ${row.seq}`;
    }
    return null;
  };

  /** Stores a copied pruned entry: its mark, and the tree nodes its leaf hash completes. */
  const storePrunedEntry = (tree: Frontier, entry: PrunedRow) => {
    const appended = appendLeaf(tree, entry.pruned.leafHash);
    for (const node of appended.newNodes) {
      insertNode.run(node.level, node.index, asBuffer(node.hash));
    }
    const { pruned } = entry;
    retention().insertPruned.run(
      logId,
      entry.seq,
      entry.type,
      pruned.id,
      pruned.decisionId,
      asBuffer(pruned.leafHash),
      asBuffer(pruned.contentDigest),
      pruned.recordedAt,
      pruned.prunedAt,
      pruned.prunedBy,
    );
    return appended.frontier;
  };

  /** Deletes an event and everything kept for it, leaving its pruned mark. */
  const pruneRow = (
    row: { seq: number; id: string; decision_id: string | null; type: string; body: string },
    at: string,
    by: string,
  ) => {
    const statements = retention();
    const leaf = selectNode.get(0, row.seq);
    if (!leaf) throw new Error(`merkle node (0, ${row.seq}) is missing from the store`);
    const body = expandEventText(row.body);
    const recordedAt = (JSON.parse(body) as { recorded_at: string }).recorded_at;
    statements.insertPruned.run(
      logId,
      row.seq,
      row.type,
      row.id,
      row.decision_id,
      leaf.hash,
      asBuffer(storedContentDigest(body)),
      recordedAt,
      at,
      by,
    );
    if (row.type === 'decision') {
      const facts = decisionFacts(JSON.parse(body) as Extract<Event, { type: 'decision' }>);
      for (const code of facts.reasonCodes) statements.deleteReason.run(code, row.seq);
      for (const [key, value] of facts.labels) statements.deleteLabel.run(key, value, row.seq);
      statements.deleteText.run(row.seq);
      textDeleted = true;
      statements.deleteDecision.run(row.seq);
    }
    statements.deletePersonal.run(logId, row.id);
    statements.deleteEvent.run(row.seq);
  };

  let textDeleted = false;
  const pruneBatch = db.transaction(
    (decisions: readonly string[], seqs: readonly number[], at: string, by: string): number => {
      const statements = retention();
      let pruned = 0;
      for (const id of decisions) {
        const decision = statements.fullById.get(id);
        if (!decision || decision.type !== 'decision') continue;
        for (const linked of statements.fullLinked.all(id)) {
          pruneRow(linked, at, by);
          pruned += 1;
        }
        pruneRow(decision, at, by);
        pruned += 1;
      }
      for (const seq of seqs) {
        const row = statements.fullBySeq.get(seq);
        if (!row) continue;
        pruneRow(row, at, by);
        pruned += 1;
      }
      return pruned;
    },
  );

  const appendSealedBatch = db.transaction((entries: readonly CopiedEntry[]) => {
    const size = logSize();
    const problem = sealedEntriesProblem(entries, size) ?? storedIdProblem(entries);
    if (problem !== null) throw new Error(`cannot append sealed entries: ${problem}`);
    let tree = frontierOf(size);
    for (const entry of entries) {
      tree =
        'pruned' in entry
          ? storePrunedEntry(tree, entry)
          : storeEntry(tree, entry.event, entry.seq, entry.json);
    }
    pendingFrontier = tree;
  });

  // Prepared once: `db.pragma` prepares (and later finalizes) a statement per call, which an
  // access entry per read would pay twice.
  const writeWithoutFlush = db.prepare('PRAGMA synchronous = NORMAL');
  const flushEveryCommit = db.prepare('PRAGMA synchronous = FULL');

  return {
    async append(events, recordedAt, durability = 'synced') {
      // The connection flushes every commit; a `written` one is left to the operating system
      // and reaches the disk with the next flushed commit (the log's next checkpoint at latest).
      if (durability === 'written') writeWithoutFlush.run();
      try {
        const result = appendBatch.immediate(events, recordedAt);
        // Only a committed frontier is cached; a rolled-back one would be ahead of the log.
        frontier = pendingFrontier;
        return result;
      } catch (error) {
        frontier = null;
        if (error instanceof ConflictRollback) return { ok: false, conflicts: error.conflicts };
        throw error;
      } finally {
        if (durability === 'written') flushEveryCommit.run();
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
      return logSize();
    },
    async eventBySeq(seq) {
      const row = bySeq.get(seq);
      if (row) return toStoredRow(row);
      const pruned = hasPrunedTable ? retention().prunedBySeq.get(logId, seq) : undefined;
      return pruned ? toPrunedRow(pruned) : null;
    },
    async eventById(id) {
      const row = byId.get(id);
      return row ? toStoredRow(row) : null;
    },
    async prunedById(id) {
      const row = prunedById(id);
      return row ? toPrunedRow(row) : null;
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
      const plan = decisionQueryPlan(filter, page, p);
      let window: ReturnType<typeof pageWindow> = null;
      if (plan.candidates) {
        const candidates = candidateStatement(plan.candidates.sql).all(...plan.candidates.params);
        const words = filter.words.length > 0;
        window = pageWindow(candidates, words, words ? logSize() : 0);
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
        items: items.map((row) => ({ ...toStoredRow(row), occurredMs: row.occurred_ms })),
        next,
      };
    },
    async personalData(ids) {
      if (ids.length === 0) return new Map();
      return toPersonalMap(personal().select.all(logId, JSON.stringify(ids)));
    },
    async shredPersonalData(target, at, by) {
      const statements = personal();
      const result =
        'subject' in target
          ? statements.shredSubject.run(at, by, logId, target.subject)
          : statements.shredIds.run(at, by, logId, JSON.stringify(target.ids));
      return result.changes;
    },
    async scan(fromSeq, limit, maxBytes): Promise<readonly LogRow[]> {
      // Most logs have nothing pruned (at least past `fromSeq`): then one plain range scan.
      if (!prunedFrom(fromSeq)) {
        const found =
          maxBytes === undefined
            ? scanFrom.all(fromSeq, limit)
            : rowsWithinBytes(
                scanFrom.iterate(fromSeq, limit),
                limit,
                maxBytes,
                (row) => row[2].length,
              ).rows;
        return found.map(([seq, type, body]): LogRow => ({
          seq,
          type,
          json: expandEventText(body),
        }));
      }
      const statement = retention().scanWithPruned;
      const found =
        maxBytes === undefined
          ? statement.all(fromSeq, logId, fromSeq, limit)
          : rowsWithinBytes(
              statement.iterate(fromSeq, logId, fromSeq, limit),
              limit,
              maxBytes,
              (row) => row.body?.length ?? 0,
            ).rows;
      return found.map((row) => (row.body === null ? toPrunedRow(row) : toStoredRow(row)));
    },
    async retentionCandidates(fromSeq, beforeSeq, limit): Promise<readonly RetentionCandidate[]> {
      return retention()
        .candidates.all(logId, fromSeq, beforeSeq, limit)
        .map((row) => ({
          seq: row.seq,
          id: row.id,
          model: row.model,
          subject: row.subject,
          newestSeq: row.newest_seq,
          hasPersonalData: row.has_personal === 1,
        }));
    },
    async orphans(fromSeq, beforeSeq, limit): Promise<readonly OrphanEntry[]> {
      return retention()
        .orphans.all(fromSeq, beforeSeq, limit)
        .map((row) => ({ seq: row.seq, id: row.id, decisionId: row.decision_id }));
    },
    async prune(target, at, by) {
      textDeleted = false;
      try {
        return pruneBatch.immediate(target.decisions, target.seqs, at, by);
      } finally {
        // Pruning never changes the tree, but the cached frontier is cheap to rebuild.
        frontier = null;
        if (textDeleted) hooks.onTextDeleted?.();
      }
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

/** A sealed record as stored: packed when it packs, else its text. */
function storedSealed(text: string): string | Buffer {
  const packed = packSealedRecord(text);
  return packed === null ? text : asBuffer(packed);
}

function preparePersonal(db: Database.Database, p: string) {
  return {
    insert: db.prepare<[string, string, string, string | Buffer]>(
      'INSERT INTO personal_data (log_id, event_id, subject, sealed) VALUES (?, ?, ?, ?)',
    ),
    select: db.prepare<[string, string], PersonalRecord>(
      `SELECT event_id, subject, sealed, shredded_at, shredded_by FROM personal_data
        WHERE log_id = ? AND event_id IN (SELECT value FROM json_each(?))`,
    ),
    // A subject's records are found through its decisions (a record is only ever made for a
    // decision naming its subject): an index of records by subject would be written at a
    // random place for each decision stored.
    shredSubject: db.prepare<[string, string, string, string]>(
      `UPDATE personal_data SET sealed = NULL, shredded_at = ?, shredded_by = ?
        WHERE log_id = ? AND sealed IS NOT NULL AND event_id IN
              (SELECT e.id FROM ${p}decisions d JOIN ${p}events e ON e.seq = d.seq
                WHERE d.subject = ?)`,
    ),
    shredIds: db.prepare<[string, string, string, string]>(
      `UPDATE personal_data SET sealed = NULL, shredded_at = ?, shredded_by = ?
        WHERE log_id = ? AND event_id IN (SELECT value FROM json_each(?)) AND sealed IS NOT NULL`,
    ),
  };
}

/** Scattered tree nodes read by one query, at most (a proof path needs about 2·log2 n). */
const MAX_NODES_PER_QUERY = 128;

interface StoredContent {
  readonly seq: number;
  /** Whether a resubmitted event, as its canonical members, has this content. */
  readonly same: (members: readonly string[]) => boolean;
}

interface FullEventRow {
  seq: number;
  id: string;
  type: string;
  decision_id: string | null;
  body: string;
}

/** A row of the merged scan: an event (body set) or a pruned mark (body null). */
type ScanRow = (EventRecord & { body: string }) | (PrunedRecord & { body: null });

interface CandidateRow {
  seq: number;
  id: string;
  model: string;
  subject: string | null;
  newest_seq: number;
  has_personal: number;
}

/** What retention reads and writes in one log's tables and the shared pruned/personal ones. */
function prepareRetention(db: Database.Database, p: string) {
  const full = 'seq, id, type, decision_id, body';
  return {
    prunedById: db.prepare<[string, string], PrunedRecord>(
      `SELECT ${PRUNED_COLUMNS} FROM pruned_entries WHERE log_id = ? AND id = ?`,
    ),
    prunedBySeq: db.prepare<[string, number], PrunedRecord>(
      `SELECT ${PRUNED_COLUMNS} FROM pruned_entries WHERE log_id = ? AND seq = ?`,
    ),
    anyPrunedFrom: db.prepare<[string, number], { one: number }>(
      'SELECT 1 AS one FROM pruned_entries WHERE log_id = ? AND seq >= ? LIMIT 1',
    ),
    // Both sides are read in seq order and merged, so a page costs its own rows only.
    scanWithPruned: db.prepare<[number, string, number, number], ScanRow>(
      `SELECT seq, type, body, NULL AS id, NULL AS decision_id, NULL AS leaf_hash,
                NULL AS content_digest, NULL AS recorded_at, NULL AS pruned_at, NULL AS pruned_by
           FROM ${p}events WHERE seq >= ?
         UNION ALL
         SELECT seq, type, NULL AS body, id, decision_id, leaf_hash, content_digest, recorded_at,
                pruned_at, pruned_by
           FROM pruned_entries WHERE log_id = ? AND seq >= ?
         ORDER BY seq LIMIT ?`,
    ),
    candidates: db.prepare<[string, number, number, number], CandidateRow>(
      `SELECT d.seq, e.id, d.model, d.subject,
              max(d.seq, coalesce((SELECT max(l.seq) FROM ${p}events l WHERE l.decision_id = e.id), -1))
                AS newest_seq,
              EXISTS (SELECT 1 FROM personal_data pd
                       WHERE pd.log_id = ? AND pd.event_id = e.id AND pd.sealed IS NOT NULL)
                AS has_personal
         FROM ${p}decisions d JOIN ${p}events e ON e.seq = d.seq
        WHERE d.seq >= ? AND d.seq < ? ORDER BY d.seq LIMIT ?`,
    ),
    orphans: db.prepare<[number, number, number], { seq: number; id: string; decision_id: string }>(
      `SELECT e.seq, e.id, e.decision_id FROM ${p}events e
        WHERE e.seq >= ? AND e.seq < ? AND e.decision_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM ${p}events d WHERE d.id = e.decision_id AND d.type = 'decision')
        ORDER BY e.seq LIMIT ?`,
    ),
    fullById: db.prepare<[string], FullEventRow>(`SELECT ${full} FROM ${p}events WHERE id = ?`),
    fullBySeq: db.prepare<[number], FullEventRow>(`SELECT ${full} FROM ${p}events WHERE seq = ?`),
    fullLinked: db.prepare<[string], FullEventRow>(
      `SELECT ${full} FROM ${p}events WHERE decision_id = ? ORDER BY seq`,
    ),
    insertPruned: db.prepare<
      [string, number, string, string, string | null, Buffer, Buffer, string, string, string]
    >(
      `INSERT INTO pruned_entries (log_id, ${PRUNED_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    deleteEvent: db.prepare<[number]>(`DELETE FROM ${p}events WHERE seq = ?`),
    deleteDecision: db.prepare<[number]>(`DELETE FROM ${p}decisions WHERE seq = ?`),
    deleteReason: db.prepare<[string, number]>(
      `DELETE FROM ${p}decision_reasons WHERE code = ? AND seq = ?`,
    ),
    deleteLabel: db.prepare<[string, string, number]>(
      `DELETE FROM ${p}decision_labels WHERE key = ? AND value = ? AND seq = ?`,
    ),
    deleteText: db.prepare<[number]>(`DELETE FROM ${p}decision_text WHERE rowid = ?`),
    deletePersonal: db.prepare<[string, string]>(
      'DELETE FROM personal_data WHERE log_id = ? AND event_id = ?',
    ),
  };
}

/** Thrown inside the transaction so that better-sqlite3 rolls it back. */
class ConflictRollback extends Error {
  constructor(readonly conflicts: readonly AppendConflict[]) {
    super('conflicting event ids');
  }
}
