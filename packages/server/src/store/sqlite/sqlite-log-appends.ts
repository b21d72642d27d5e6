import {
  assertPersonalSubject,
  expandEventText,
  leafHashOfText,
  packSealedRecord,
  sameContent,
  samePrunedContent,
  sealedEntriesProblem,
  sequenceBatch,
  storedLeafText,
  type AppendConflict,
  type AppendResult,
  type CopiedEntry,
  type LogAppends,
  type PreparedEvent,
  type SealingKeys,
  type StoredIdentity,
} from '@declog/core';
import { asBuffer } from '../stored-records.js';
import { prunedMarkText, readPrunedMark } from './sqlite-pruned-mark.js';
import type { IndexedDecision, SqliteDecisionIndex } from './sqlite-decision-index.js';
import type { SqliteLogContext } from './sqlite-log-context.js';
import type { SqliteLogTree } from './sqlite-log-tree.js';

/** The operator of the machine: may compare content, and stores no key with its events. */
const OPERATOR = { keyId: null, readsContent: true } as const;

/**
 * Appends of one log. Each is one immediate transaction (so several processes may append to
 * one file): the batch's ids are looked up at once, sequenceBatch (core) places the batch, and
 * the entries, the sealed records, the subject keys made for it and the tree nodes are stored;
 * the decision index follows later (see SqliteDecisionIndex). Committed with `synchronous =
 * FULL`, so an acknowledged batch survives a crash (a `written` one with `NORMAL`: it survives
 * a crash of the process).
 */
export function sqliteLogAppends(
  ctx: SqliteLogContext,
  tree: SqliteLogTree,
  index: SqliteDecisionIndex,
): LogAppends {
  const { db, p, tenant } = ctx;
  const logSize = db
    .prepare<[], number>(`SELECT coalesce(max(seq) + 1, 0) FROM ${p}events`)
    .pluck();
  const storedOf = db.prepare<
    [string],
    { id: string; seq: number; key_id: string | null; body: string; pruned: string | null }
  >(
    `SELECT id, seq, key_id, body, pruned FROM ${p}events
      WHERE id IN (SELECT value FROM json_each(?))`,
  );
  const insertEvent = db.prepare<
    [
      number,
      string,
      string,
      string | null,
      string | null,
      number,
      string,
      string | null,
      string | null,
      Buffer | string | null,
    ]
  >(
    `INSERT INTO ${p}events (seq, id, type, decision_id, kind, occurred_ms, body, key_id, subject, sealed)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // A copied entry whose sealed record was shredded at its source: kept shredded, by whom and when.
  const markShredded = db.prepare<[string, string, string, number]>(
    `UPDATE ${p}events SET subject = ?, sealed = NULL, shredded_at = ?, shredded_by = ? WHERE seq = ?`,
  );
  const insertPruned = db.prepare<[number, string, string, string | null, string]>(
    `INSERT INTO ${p}events (seq, id, type, decision_id, occurred_ms, body, pruned)
     VALUES (?, ?, ?, ?, 0, '', ?)`,
  );
  const epochOf = db
    .prepare<[string], number>('SELECT erasure_epoch FROM tenants WHERE name = ?')
    .pluck();
  const insertKey = db.prepare<[string, string, string, string]>(
    `INSERT INTO subject_keys (tenant, subject, wrapped_key, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (tenant, subject) DO NOTHING`,
  );
  const keyOf = db
    .prepare<[string, string], string | null>(
      'SELECT wrapped_key FROM subject_keys WHERE tenant = ? AND subject = ?',
    )
    .pluck();

  /** What the log holds of these ids, live or pruned, for sequenceBatch to weigh. */
  const storedIdentities = (events: readonly PreparedEvent[]) => {
    const found = new Map<string, StoredIdentity>();
    for (const row of storedOf.iterate(JSON.stringify(events.map((e) => e.id)))) {
      const mark = row.pruned === null ? null : readPrunedMark(row.pruned);
      found.set(row.id, {
        seq: row.seq,
        storedBy: row.key_id,
        same:
          mark === null
            ? (event) => sameContent(expandEventText(row.body), event)
            : (event) => samePrunedContent(mark.contentDigest, event),
      });
    }
    return found;
  };

  /** Whether the batch's keys are those in force: stores the new ones; false when stale. */
  const storeKeys = (sealing: SealingKeys, at: string): boolean => {
    if ((epochOf.get(tenant) ?? 0) !== sealing.epoch) return false;
    for (const { subject, wrappedKey } of sealing.created) {
      // Stored already: by an earlier batch sealed under the same key, or, when it differs,
      // by another writer first, and this batch was sealed under a key that is not the one.
      const inserted = insertKey.run(tenant, subject, wrappedKey, at).changes === 1;
      if (!inserted && keyOf.get(tenant, subject) !== wrappedKey) return false;
    }
    return true;
  };

  const storeEntry = (
    event: PreparedEvent,
    seq: number,
    storedText: string,
    keyId: string | null,
  ) => {
    let subject: string | null = null;
    let sealed: Buffer | string | null = null;
    if (event.personal) {
      assertPersonalSubject(event);
      subject = event.personal.subject;
      const record = event.personal.sealed;
      // As bytes, about 40% smaller than the JSON text readers get back (see packSealedRecord).
      const packed = typeof record === 'string' ? packSealedRecord(record) : record;
      sealed = packed === null ? (record as string) : asBuffer(packed);
    }
    insertEvent.run(
      seq,
      event.id,
      event.type,
      event.decisionId,
      event.kind,
      event.occurredMs,
      storedText,
      keyId,
      subject,
      sealed,
    );
  };

  let committedRange: { from: number; to: number; decisions: IndexedDecision[] } | null = null;

  const appendBatch = db.transaction(
    (
      events: readonly PreparedEvent[],
      recordedAt: string,
      submitter: { readonly keyId: string | null; readonly readsContent: boolean },
      sealing: SealingKeys | undefined,
    ): AppendResult => {
      if (sealing && !storeKeys(sealing, recordedAt)) throw new StaleKeys();
      const size = logSize.get() ?? 0;
      const stored = storedIdentities(events);
      const placed = sequenceBatch({
        events,
        firstSeq: size,
        recordedAt,
        submitter,
        stored: (id) => stored.get(id),
      });
      if (!placed.ok) throw new ConflictRollback(placed.conflicts);
      const decisions: IndexedDecision[] = [];
      for (const entry of placed.entries) {
        storeEntry(entry.event, entry.seq, entry.storedText, submitter.keyId);
        const facts = entry.event.decision;
        if (facts) decisions.push({ seq: entry.seq, occurredMs: entry.event.occurredMs, facts });
      }
      tree.append(
        size,
        placed.entries.map((entry) => entry.leafHash),
      );
      committedRange = { from: size, to: size + placed.entries.length, decisions };
      return { ok: true, items: placed.items };
    },
  );

  const appendSealedBatch = db.transaction((entries: readonly CopiedEntry[]) => {
    const size = logSize.get() ?? 0;
    const problem = sealedEntriesProblem(entries, size) ?? storedIdProblem(entries);
    if (problem !== null) throw new Error(`cannot append sealed entries: ${problem}`);
    const decisions: IndexedDecision[] = [];
    const leafHashes: Uint8Array[] = [];
    for (const entry of entries) {
      if ('pruned' in entry) {
        const { pruned } = entry;
        insertPruned.run(
          entry.seq,
          pruned.id,
          entry.type,
          pruned.decisionId,
          prunedMarkText(pruned),
        );
        leafHashes.push(pruned.leafHash);
        continue;
      }
      storeEntry(
        entry.event,
        entry.seq,
        storedLeafText(entry.event, entry.seq, entry.recordedAt),
        null,
      );
      const { shredded } = entry;
      if (shredded) markShredded.run(shredded.subject, shredded.at, shredded.by, entry.seq);
      leafHashes.push(leafHashOfText(entry.json));
      const facts = entry.event.decision;
      if (facts) decisions.push({ seq: entry.seq, occurredMs: entry.event.occurredMs, facts });
    }
    tree.append(size, leafHashes);
    committedRange = { from: size, to: size + entries.length, decisions };
  });

  const storedIdProblem = (entries: readonly CopiedEntry[]): string | null => {
    const ids = entries.map((entry) => ('pruned' in entry ? entry.pruned.id : entry.event.id));
    for (const row of storedOf.iterate(JSON.stringify(ids))) {
      return `id ${row.id} is already stored at seq ${row.seq}`;
    }
    return null;
  };

  /** Runs an append transaction; on commit the tree's edge and the index's queue follow. */
  const committing = <T>(run: () => T): T => {
    committedRange = null;
    try {
      const result = run();
      tree.committed(true);
      if (committedRange !== null) {
        const range: { from: number; to: number; decisions: IndexedDecision[] } = committedRange;
        index.enqueue(range.from, range.to, range.decisions);
      }
      return result;
    } catch (error) {
      tree.committed(false);
      throw error;
    }
  };

  // Prepared once: `db.pragma` prepares (and later finalizes) a statement per call, which an
  // access entry per read would pay twice.
  const writeWithoutFlush = db.prepare('PRAGMA synchronous = NORMAL');
  const flushEveryCommit = db.prepare('PRAGMA synchronous = FULL');

  return {
    async append(events, recordedAt, options = {}) {
      const written = options.durability === 'written';
      // The connection flushes every commit; a `written` one is left to the operating system
      // and reaches the disk with the next flushed commit (the log's next checkpoint at latest).
      if (written) writeWithoutFlush.run();
      try {
        return committing(() =>
          appendBatch.immediate(events, recordedAt, options.submitter ?? OPERATOR, options.sealing),
        );
      } catch (error) {
        if (error instanceof ConflictRollback) return { ok: false, conflicts: error.conflicts };
        if (error instanceof StaleKeys) return { ok: false, staleKeys: true };
        throw error;
      } finally {
        if (written) flushEveryCommit.run();
      }
    },
    async appendSealed(entries) {
      if (entries.length === 0) return;
      committing(() => appendSealedBatch.immediate(entries));
    },
  };
}

/** Thrown inside the transaction so that better-sqlite3 rolls it back. */
class ConflictRollback extends Error {
  constructor(readonly conflicts: readonly AppendConflict[]) {
    super('conflicting event ids');
  }
}

/** Thrown inside the transaction: the batch's sealing keys are not those in force. */
class StaleKeys extends Error {
  constructor() {
    super('the sealing keys are stale');
  }
}
