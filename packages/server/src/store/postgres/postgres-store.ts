import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  edgeTiles,
  integrateTiles,
  nodesFromTiles,
  tilesForNodes,
  type Tile,
  type TileRef,
  sequenceBatch,
  storedLeafText,
  unpackSealedRecord,
  type SealingKeys,
  type StoredIdentity,
  type Submitter,
  assertPersonalSubject,
  expandEventText,
  leafHashOfText,
  storedContentDigest,
  sameContent,
  samePrunedContent,
  sealedEntriesProblem,
  type AppendResult,
  type EventStore,
  type LogRow,
  type NodeRef,
  type PreparedEvent,
  type CopiedEntry,
  type Durability,
  type LogEntryType,
  type PrunedRow,
  type SealedEntry,
  type StoredCheckpoint,
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
import { ensureMonthlyPartitions } from './postgres-partitions.js';
import { postgresDecisionQuery } from './postgres-decision-query.js';
import { postgresLogAnalytics } from './postgres-log-analytics.js';
import { asStoreUnavailable } from './store-unavailable.js';
import { csvRow, type CopyValue } from './copy-csv.js';
import { decisionTerms } from './decision-terms.js';
import { withConnection } from './with-connection.js';

/** Partitions kept ready ahead of the clock, shared by every log of a database. */
export interface MonthlyPartitions {
  /** Partitions exist up to this time (ms). */
  readyUntilMs(): number;
  /** Makes partitions ready from the month of `ms` on. */
  ensure(ms: number): Promise<void>;
}

/**
 * A tenant's log in PostgreSQL. Appends from any number of processes are serialised by a row
 * lock on the tenant's `logs` row, taken first in the append's transaction: under it the next
 * seq, the Merkle frontier and the id lookups are all current, and the commit makes the batch
 * durable (synchronous_commit; a `written` append only commits) before the promise resolves.
 * Reads never take that lock.
 */
export function postgresLogStore(
  pool: pg.Pool,
  tenant: string,
  partitions: MonthlyPartitions,
): EventStore {
  const ensurePartitions = partitions.ensure;
  /** The stored tiles among `refs` (a missing one is left out). */
  const readTiles = async (db: Queryable, refs: readonly TileRef[]): Promise<Tile[]> => {
    if (refs.length === 0) return [];
    const result = await db.query<{ level: number; idx: string; hashes: Buffer }>(
      `SELECT t.level, t.idx, t.hashes FROM tiles t
        JOIN unnest($2::smallint[], $3::bigint[]) AS r (level, idx)
          ON t.level = r.level AND t.idx = r.idx
        WHERE t.tenant_id = $1`,
      [tenant, refs.map((r) => r.level), refs.map((r) => r.index)],
    );
    return result.rows.map((row) => ({
      level: row.level,
      index: Number(row.idx),
      hashes: new Uint8Array(row.hashes),
    }));
  };
  const nodes = async (db: Queryable, refs: readonly NodeRef[]): Promise<Uint8Array[]> =>
    refs.length === 0 ? [] : nodesFromTiles(refs, await readTiles(db, tilesForNodes(refs)));

  // The partial tiles at the right edge of the tree, cached between appends; another server
  // may have appended meanwhile, so they are read again whenever their size is not the log's.
  let edge: TreeEdge | null = null;
  const edgeOf = async (db: Queryable, size: number): Promise<readonly Tile[]> =>
    edge !== null && edge.size === size ? edge.tiles : readTiles(db, edgeTiles(size));

  /** The log's size, read under its row lock, which the rest of the transaction then holds. */
  const lockLog = async (client: pg.PoolClient): Promise<number> => {
    const locked = await client.query<{ size: number }>(
      'SELECT size FROM logs WHERE tenant_id = $1 FOR UPDATE',
      [tenant],
    );
    const size = locked.rows[0]?.size;
    if (size === undefined) throw new Error(`tenant ${tenant} has no log`);
    return size;
  };

  /**
   * Stores entries that continue the log of `size`, their index rows and tree nodes; a copied
   * pruned entry as its mark.
   */
  const storeEntries = async (
    client: pg.PoolClient,
    size: number,
    entries: readonly CopiedEntry[],
    keyId: string | null = null,
  ): Promise<TreeEdge> => {
    const leafHashes: Uint8Array[] = [];
    const sealed: SealedEntry[] = [];
    const pruned: PrunedRow[] = [];
    for (const entry of entries) {
      if ('pruned' in entry) {
        pruned.push(entry);
        leafHashes.push(entry.pruned.leafHash);
      } else {
        sealed.push(entry);
        leafHashes.push(leafHashOfText(entry.json));
      }
    }
    const integrated = integrateTiles(size, await edgeOf(client, size), leafHashes);
    await insertRows(client, tenant, sealed, keyId);
    if (pruned.length > 0) await insertPrunedMarks(client, tenant, pruned);
    await client.query(
      `INSERT INTO tiles (tenant_id, level, idx, hashes)
        SELECT $1, * FROM unnest($2::smallint[], $3::bigint[], $4::bytea[])
        ON CONFLICT (tenant_id, level, idx) DO UPDATE SET hashes = excluded.hashes`,
      [
        tenant,
        integrated.tiles.map((t) => t.level),
        integrated.tiles.map((t) => t.index),
        integrated.tiles.map((t) => asBuffer(t.hashes)),
      ],
    );
    await client.query('UPDATE logs SET size = $2 WHERE tenant_id = $1', [tenant, integrated.size]);
    return { size: integrated.size, tiles: integrated.edge };
  };

  const appendBatch = async (
    client: pg.PoolClient,
    events: readonly PreparedEvent[],
    recordedAt: string,
    submitter: Submitter,
    sealing: SealingKeys | undefined,
  ): Promise<Transacted<AppendResult>> => {
    const size = await lockLog(client);
    if (sealing && !(await keysInForce(client, sealing, recordedAt))) {
      return { value: { ok: false, staleKeys: true }, commit: false };
    }
    const ids = [...new Set(events.map((e) => e.id))];
    const stored = await client.query<EventRecord & { id: string; key_id: string | null }>(
      'SELECT id, seq, type, body, key_id FROM events WHERE tenant_id = $1 AND id = ANY($2::text[])',
      [tenant, ids],
    );
    const known = new Map<string, StoredIdentity>(
      stored.rows.map((row) => [
        row.id,
        {
          seq: Number(row.seq),
          storedBy: row.key_id,
          same: (event) => sameContent(expandEventText(row.body), event),
        },
      ]),
    );
    // Pruned by retention: only a digest of the content is left to tell a resend by.
    const pruned = await client.query<{
      id: string;
      seq: number;
      content_digest: Buffer;
      key_id: string | null;
    }>(
      `SELECT id, seq, content_digest, key_id FROM pruned_entries
        WHERE tenant_id = $1 AND id = ANY($2::text[])`,
      [tenant, ids],
    );
    for (const row of pruned.rows) {
      known.set(row.id, {
        seq: Number(row.seq),
        storedBy: row.key_id,
        same: (event) => samePrunedContent(row.content_digest, event),
      });
    }
    const placed = sequenceBatch({
      events,
      firstSeq: size,
      recordedAt,
      submitter,
      stored: (id) => known.get(id),
    });
    if (!placed.ok) return { value: { ok: false, conflicts: placed.conflicts }, commit: false };
    if (placed.entries.length === 0)
      return { value: { ok: true, items: placed.items }, commit: true };
    const tree = await storeEntries(
      client,
      size,
      placed.entries.map((entry) => ({
        event: entry.event,
        seq: entry.seq,
        recordedAt,
        json: entry.json,
      })),
      submitter.keyId,
    );
    return { value: { ok: true, items: placed.items }, commit: true, edge: tree };
  };

  /** Whether a batch's sealing keys are those in force; stores the ones made for it. */
  const keysInForce = async (
    client: pg.PoolClient,
    sealing: SealingKeys,
    at: string,
  ): Promise<boolean> => {
    // FOR SHARE: an erasure (which moves the epoch) waits until this append commits.
    const epoch = await client.query<{ epoch: string }>(
      'SELECT erasure_epoch AS epoch FROM tenants WHERE name = $1 FOR SHARE',
      [tenant],
    );
    if (Number(epoch.rows[0]?.epoch ?? 0) !== sealing.epoch) return false;
    if (sealing.created.length === 0) return true;
    // In the order of subjects, as every writer of several keys stores them: two writers
    // storing keys for some of the same new subjects at once wait for each other, never
    // deadlock.
    await client.query(
      `INSERT INTO subject_keys (tenant, subject, wrapped_key, created_at)
        SELECT $1, k.subject, k.wrapped_key, $4
          FROM unnest($2::text[], $3::text[]) AS k (subject, wrapped_key)
         ORDER BY k.subject COLLATE "C"
        ON CONFLICT DO NOTHING`,
      [tenant, sealing.created.map((k) => k.subject), sealing.created.map((k) => k.wrappedKey), at],
    );
    const inForce = await client.query<{ subject: string; wrapped_key: string | null }>(
      'SELECT subject, wrapped_key FROM subject_keys WHERE tenant = $1 AND subject = ANY($2::text[])',
      [tenant, sealing.created.map((k) => k.subject)],
    );
    const stored = new Map(inForce.rows.map((row) => [row.subject, row.wrapped_key]));
    return sealing.created.every((k) => stored.get(k.subject) === k.wrappedKey);
  };

  const appendSealedBatch = async (
    client: pg.PoolClient,
    entries: readonly CopiedEntry[],
  ): Promise<Transacted<void>> => {
    const size = await lockLog(client);
    let problem = sealedEntriesProblem(entries, size);
    if (problem === null) {
      const stored = await client.query<{ id: string; seq: number }>(
        `SELECT id, seq FROM events WHERE tenant_id = $1 AND id = ANY($2::text[])
         UNION ALL
         SELECT id, seq FROM pruned_entries WHERE tenant_id = $1 AND id = ANY($2::text[])
         ORDER BY seq LIMIT 1`,
        [tenant, entries.map((entry) => ('pruned' in entry ? entry.pruned.id : entry.event.id))],
      );
      const first = stored.rows[0];
      if (first) problem = `id ${first.id} is already stored at seq ${first.seq}`;
    }
    if (problem !== null) throw new Error(`cannot append sealed entries: ${problem}`);
    const tree = await storeEntries(client, size, entries);
    return { value: undefined, commit: true, edge: tree };
  };

  const pruneBatch = async (
    client: pg.PoolClient,
    decisions: readonly string[],
    seqs: readonly number[],
    at: string,
    by: string,
  ): Promise<Transacted<number>> => {
    await lockLog(client);
    const doomed = await client.query<{
      seq: number;
      id: string;
      type: string;
      decision_id: string | null;
      body: string;
      key_id: string | null;
    }>(
      `SELECT e.seq, e.id, e.type, e.decision_id, e.body, e.key_id
         FROM events e
        WHERE e.tenant_id = $1
          AND ((e.type = 'decision' AND e.id = ANY($2::text[]))
            OR (e.decision_id = ANY($2::text[]) AND EXISTS (
                  SELECT 1 FROM events d
                   WHERE d.tenant_id = $1 AND d.type = 'decision' AND d.id = e.decision_id))
            OR e.seq = ANY($3::bigint[]))`,
      [tenant, decisions, seqs],
    );
    const rows = doomed.rows;
    if (rows.length === 0) return { value: 0, commit: true };
    const leaves = await nodes(
      client,
      rows.map((r) => ({ level: 0, index: Number(r.seq) })),
    );
    await insertPrunedMarks(
      client,
      tenant,
      rows.map((r, i) => {
        const body = expandEventText(r.body);
        return {
          seq: r.seq,
          type: r.type as LogEntryType,
          pruned: {
            id: r.id,
            decisionId: r.decision_id,
            leafHash: leaves[i] as Uint8Array,
            contentDigest: storedContentDigest(body),
            recordedAt: (JSON.parse(body) as { recorded_at: string }).recorded_at,
            prunedAt: at,
            prunedBy: by,
          },
        };
      }),
      rows.map((r) => r.key_id),
    );
    const doomedSeqs = rows.map((r) => r.seq);
    await client.query('DELETE FROM decisions WHERE tenant_id = $1 AND seq = ANY($2::bigint[])', [
      tenant,
      doomedSeqs,
    ]);
    await client.query('DELETE FROM events WHERE tenant_id = $1 AND seq = ANY($2::bigint[])', [
      tenant,
      doomedSeqs,
    ]);
    await client.query(
      'DELETE FROM personal_data WHERE tenant_id = $1 AND event_id = ANY($2::text[])',
      [tenant, rows.map((r) => r.id)],
    );
    return { value: rows.length, commit: true };
  };

  /**
   * Runs `work` in one transaction on one connection; it commits or rolls back as `work` says,
   * and rolls back if it throws. Only a committed edge is cached: a rolled-back one would
   * be ahead of the log.
   */
  const transaction = async <T>(
    work: (client: pg.PoolClient) => Promise<Transacted<T>>,
    durability: Durability = 'synced',
  ): Promise<T> => {
    return withConnection(pool, async (client) => {
      try {
        await client.query('BEGIN');
        // The commit then returns once PostgreSQL has it, before its WAL reaches the disk.
        if (durability === 'written') await client.query('SET LOCAL synchronous_commit = off');
        const done = await work(client);
        await client.query(done.commit ? 'COMMIT' : 'ROLLBACK');
        if (done.commit && done.edge) edge = done.edge;
        return done.value;
      } catch (error) {
        edge = null;
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  };

  // Copied entries keep their recorded_at, often months old: each month they fall in gets its
  // partitions too (these are the months seen so far), so that retention can drop it whole.
  const monthsReady = new Set<number>();
  const ensurePartitionsOf = async (entries: readonly CopiedEntry[]) => {
    for (const entry of entries) {
      if ('pruned' in entry) continue;
      const at = new Date(entry.recordedAt);
      const month = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1);
      if (Number.isNaN(month) || monthsReady.has(month)) continue;
      try {
        await ensureMonthlyPartitions(pool, month, 1);
      } catch (error) {
        // The DEFAULT partition already holds rows of that month (appended outside the
        // prepared months), so no partition can be cut out for it: the rows join them there.
        if ((error as { code?: unknown }).code !== CHECK_VIOLATION) throw error;
      }
      monthsReady.add(month);
    }
  };

  const query = async <R extends pg.QueryResultRow>(sql: string, params: unknown[]) => {
    try {
      return (await pool.query<R>(sql, params)).rows;
    } catch (error) {
      throw asStoreUnavailable(error);
    }
  };

  const checkpointColumns = 'size, root, note, issued_at';

  return {
    ...postgresLogAnalytics(pool, tenant),
    async append(events, recordedAt, options = {}) {
      const recordedMs = Date.parse(recordedAt);
      try {
        if (recordedMs >= partitions.readyUntilMs() - PARTITION_MARGIN_MS) {
          await ensurePartitions(recordedMs);
        }
        return await transaction(
          (client) =>
            appendBatch(client, events, recordedAt, options.submitter ?? OPERATOR, options.sealing),
          options.durability,
        );
      } catch (error) {
        throw asStoreUnavailable(error);
      }
    },
    async appendSealed(entries) {
      if (entries.length === 0) return;
      try {
        await ensurePartitionsOf(entries);
        await transaction((client) => appendSealedBatch(client, entries));
      } catch (error) {
        throw asStoreUnavailable(error);
      }
    },
    async size() {
      const rows = await query<{ size: number }>('SELECT size FROM logs WHERE tenant_id = $1', [
        tenant,
      ]);
      return rows[0]?.size ?? 0;
    },
    async eventBySeq(seq) {
      const rows = await query<EventRecord>(
        'SELECT seq, type, body FROM events WHERE tenant_id = $1 AND seq = $2',
        [tenant, seq],
      );
      if (rows[0]) return toStoredRow(rows[0]);
      const pruned = await query<PrunedRecord>(
        `SELECT ${PRUNED_COLUMNS} FROM pruned_entries WHERE tenant_id = $1 AND seq = $2`,
        [tenant, seq],
      );
      return pruned[0] ? toPrunedRow(pruned[0]) : null;
    },
    async prunedById(id) {
      const rows = await query<PrunedRecord>(
        `SELECT ${PRUNED_COLUMNS} FROM pruned_entries WHERE tenant_id = $1 AND id = $2`,
        [tenant, id],
      );
      return rows[0] ? toPrunedRow(rows[0]) : null;
    },
    async eventById(id) {
      const rows = await query<EventRecord>(
        'SELECT seq, type, body FROM events WHERE tenant_id = $1 AND id = $2',
        [tenant, id],
      );
      return rows[0] ? toStoredRow(rows[0]) : null;
    },
    async decisionChain(decisionId) {
      // One round trip for the whole chain: the decision and every event linked to it.
      const rows = await query<EventRecord & { linked: boolean }>(
        `SELECT seq, type, body, decision_id IS NOT NULL AS linked FROM events
          WHERE tenant_id = $1 AND ((id = $2 AND type = 'decision') OR decision_id = $2)
          ORDER BY occurred_ms, seq`,
        [tenant, decisionId],
      );
      const decision = rows.find((row) => !row.linked);
      if (!decision) return null;
      return {
        decision: toStoredRow(decision),
        linked: rows.filter((r) => r.linked).map(toStoredRow),
      };
    },
    async countLinked(decisionId) {
      const rows = await query<{ n: number }>(
        'SELECT count(*) AS n FROM events WHERE tenant_id = $1 AND decision_id = $2',
        [tenant, decisionId],
      );
      return rows[0]?.n ?? 0;
    },
    async queryDecisions(filter, page) {
      const { sql, params } = postgresDecisionQuery(tenant, filter, page);
      const rows = await query<EventRecord & { occurred_ms: number; fetched: number }>(sql, params);
      const items = rows.slice(0, page.limit);
      const last = items.at(-1);
      const more =
        page.maxBytes === undefined
          ? rows.length > page.limit
          : Number(rows[0]?.fetched ?? 0) > items.length;
      const next = more && last ? { occurredMs: last.occurred_ms, seq: last.seq } : null;
      return {
        items: items.map((row) => ({ ...toStoredRow(row), occurredMs: row.occurred_ms })),
        next,
      };
    },
    async personalData(ids) {
      if (ids.length === 0) return new Map();
      const rows = await query<PersonalRecord>(
        `SELECT event_id, subject, sealed, shredded_at, shredded_by FROM personal_data
          WHERE tenant_id = $1 AND event_id = ANY($2::text[])`,
        [tenant, ids],
      );
      return toPersonalMap(rows);
    },
    async shredPersonalData(target, at, by) {
      try {
        const result =
          'subject' in target
            ? await pool.query(
                `UPDATE personal_data SET sealed = NULL, shredded_at = $1, shredded_by = $2
                  WHERE tenant_id = $3 AND subject = $4 AND sealed IS NOT NULL`,
                [at, by, tenant, target.subject],
              )
            : await pool.query(
                `UPDATE personal_data SET sealed = NULL, shredded_at = $1, shredded_by = $2
                  WHERE tenant_id = $3 AND event_id = ANY($4::text[]) AND sealed IS NOT NULL`,
                [at, by, tenant, target.ids],
              );
        return result.rowCount ?? 0;
      } catch (error) {
        throw asStoreUnavailable(error);
      }
    },
    async scan(fromSeq, limit, maxBytes): Promise<readonly LogRow[]> {
      // Both sides are read in seq order from their keys and merged.
      const entries = `(SELECT seq, type, body, NULL AS id, NULL AS decision_id,
                 NULL::bytea AS leaf_hash, NULL::bytea AS content_digest, NULL AS recorded_at,
                 NULL AS pruned_at, NULL AS pruned_by
            FROM events WHERE tenant_id = $1 AND seq >= $2 ORDER BY seq LIMIT $3)
         UNION ALL
         (SELECT seq, type, NULL AS body, ${PRUNED_COLUMNS.replace('seq, type, ', '')}
            FROM pruned_entries WHERE tenant_id = $1 AND seq >= $2 ORDER BY seq LIMIT $3)
         ORDER BY seq LIMIT $3`;
      // With a byte budget, only the rows that begin within it leave the database server.
      const rows = await query<ScanRow>(
        maxBytes === undefined
          ? entries
          : `SELECT * FROM (SELECT e.*, coalesce(sum(octet_length(e.body)) OVER (ORDER BY e.seq
                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS bytes_before
               FROM (${entries}) e) w
             WHERE w.bytes_before < $4 ORDER BY w.seq`,
        maxBytes === undefined
          ? [tenant, fromSeq, limit]
          : [tenant, fromSeq, limit, Math.max(1, maxBytes)],
      );
      return rows.map((row) => (row.body === null ? toPrunedRow(row) : toStoredRow(row)));
    },
    async retentionCandidates(fromSeq, beforeSeq, limit) {
      const rows = await query<{
        seq: number;
        id: string;
        model: string;
        subject: string | null;
        newest_seq: number;
        has_personal: boolean;
      }>(
        `SELECT d.seq, e.id, d.model, d.subject,
                greatest(d.seq, (SELECT max(l.seq) FROM events l
                                  WHERE l.tenant_id = $1 AND l.decision_id = e.id)) AS newest_seq,
                EXISTS (SELECT 1 FROM personal_data pd
                         WHERE pd.tenant_id = $1 AND pd.event_id = e.id AND pd.sealed IS NOT NULL)
                  AS has_personal
           FROM decisions d
           JOIN events e ON e.tenant_id = d.tenant_id AND e.seq = d.seq
            AND e.recorded_at = d.recorded_at
          WHERE d.tenant_id = $1 AND d.seq >= $2 AND d.seq < $3
          ORDER BY d.seq LIMIT $4`,
        [tenant, fromSeq, beforeSeq, limit],
      );
      return rows.map((row) => ({
        seq: row.seq,
        id: row.id,
        model: row.model,
        subject: row.subject,
        newestSeq: row.newest_seq,
        hasPersonalData: row.has_personal,
      }));
    },
    async orphans(fromSeq, beforeSeq, limit) {
      const rows = await query<{ seq: number; id: string; decision_id: string }>(
        `SELECT e.seq, e.id, e.decision_id FROM events e
          WHERE e.tenant_id = $1 AND e.seq >= $2 AND e.seq < $3 AND e.decision_id IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM events d
                             WHERE d.tenant_id = $1 AND d.id = e.decision_id AND d.type = 'decision')
          ORDER BY e.seq LIMIT $4`,
        [tenant, fromSeq, beforeSeq, limit],
      );
      return rows.map((row) => ({ seq: row.seq, id: row.id, decisionId: row.decision_id }));
    },
    async prune(target, at, by) {
      try {
        return await transaction((client) =>
          pruneBatch(client, target.decisions, target.seqs, at, by),
        );
      } catch (error) {
        throw asStoreUnavailable(error);
      }
    },
    async merkleNodes(refs) {
      try {
        return await nodes(pool, refs);
      } catch (error) {
        throw asStoreUnavailable(error);
      }
    },
    async addCheckpoint(checkpoint: StoredCheckpoint) {
      const rows = await query<{ size: number }>(
        `INSERT INTO checkpoints (tenant_id, size, root, note, issued_at)
          VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING size`,
        [
          tenant,
          checkpoint.size,
          asBuffer(checkpoint.rootHash),
          checkpoint.note,
          checkpoint.issuedAt,
        ],
      );
      return rows.length === 1;
    },
    async latestCheckpoint() {
      const rows = await query<CheckpointRecord>(
        `SELECT ${checkpointColumns} FROM checkpoints WHERE tenant_id = $1
          ORDER BY size DESC LIMIT 1`,
        [tenant],
      );
      return rows[0] ? toStoredCheckpoint(rows[0]) : null;
    },
    async checkpointAt(size) {
      const rows = await query<CheckpointRecord>(
        `SELECT ${checkpointColumns} FROM checkpoints WHERE tenant_id = $1 AND size = $2`,
        [tenant, size],
      );
      return rows[0] ? toStoredCheckpoint(rows[0]) : null;
    },
    async checkpoints(fromSize = 0) {
      const rows = await query<CheckpointRecord>(
        `SELECT ${checkpointColumns} FROM checkpoints WHERE tenant_id = $1 AND size >= $2
          ORDER BY size`,
        [tenant, fromSize],
      );
      return rows.map(toStoredCheckpoint);
    },
    async setting(key) {
      const rows = await query<{ value: string }>(
        'SELECT value FROM settings WHERE tenant_id = $1 AND key = $2',
        [tenant, key],
      );
      return rows[0]?.value ?? null;
    },
    async initSetting(key, value) {
      await query(
        'INSERT INTO settings (tenant_id, key, value) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [tenant, key, value],
      );
      // A statement of its own: its snapshot sees the value of a concurrent first writer, whose
      // commit the insert above waited for (one statement's snapshot would predate it).
      const rows = await query<{ value: string }>(
        'SELECT value FROM settings WHERE tenant_id = $1 AND key = $2',
        [tenant, key],
      );
      const inForce = rows[0]?.value;
      if (inForce === undefined) throw new Error(`setting ${key} was not kept`);
      return inForce;
    },
    async close() {
      // The pool is the database's; see openPostgresStore.
    },
  };
}

/** SQLSTATE of a partition that rows already in the DEFAULT partition would belong to. */
const CHECK_VIOLATION = '23514';

/** Partitions are topped up when an append comes this close to the end of the last one. */
const PARTITION_MARGIN_MS = 40 * 24 * 3600 * 1000;

type Queryable = Pick<pg.Pool, 'query'>;

/** Streams rows into `table` with `COPY … FROM STDIN`, the fastest bulk path, in the transaction. */
async function copyRows(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly CopyValue[])[],
): Promise<void> {
  if (rows.length === 0) return;
  const sql = `COPY ${table} (${columns.join(', ')}) FROM STDIN (FORMAT csv)`;
  await pipeline(Readable.from([rows.map(csvRow).join('\n')]), client.query(copyFrom(sql)));
}

/** The operator of the machine: may compare content, and stores no key with its events. */
const OPERATOR: Submitter = { keyId: null, readsContent: true };

/** A row of the merged scan: an event (body set) or a pruned mark (body null). */
type ScanRow = (EventRecord & { body: string }) | (PrunedRecord & { body: null });

/** The partial tiles at the right edge of a tree of `size` leaves. */
interface TreeEdge {
  readonly size: number;
  readonly tiles: readonly Tile[];
}

/** What a transaction's work returns: its value, whether to commit, the tree edge it leaves. */
interface Transacted<T> {
  readonly value: T;
  readonly commit: boolean;
  readonly edge?: TreeEdge;
}

/** Inserts pruned marks, one statement for all of them. */
async function insertPrunedMarks(
  client: pg.PoolClient,
  tenant: string,
  marks: readonly PrunedRow[],
  keyIds: readonly (string | null)[] = marks.map(() => null),
): Promise<void> {
  const column = <T>(of: (mark: PrunedRow) => T) => marks.map(of);
  await client.query(
    `INSERT INTO pruned_entries (tenant_id, ${PRUNED_COLUMNS}, key_id)
      SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::bytea[],
                               $7::bytea[], $8::text[], $9::text[], $10::text[], $11::text[])`,
    [
      tenant,
      column((m) => m.seq),
      column((m) => m.type),
      column((m) => m.pruned.id),
      column((m) => m.pruned.decisionId),
      column((m) => asBuffer(m.pruned.leafHash)),
      column((m) => asBuffer(m.pruned.contentDigest)),
      column((m) => m.pruned.recordedAt),
      column((m) => m.pruned.prunedAt),
      column((m) => m.pruned.prunedBy),
      keyIds,
    ],
  );
}

/** Inserts the entries and their index rows; each row keeps its own `recorded_at` partition. */
async function insertRows(
  client: pg.PoolClient,
  tenant: string,
  entries: readonly SealedEntry[],
  keyId: string | null,
): Promise<void> {
  await copyRows(
    client,
    'events',
    [
      'tenant_id',
      'recorded_at',
      'seq',
      'id',
      'type',
      'decision_id',
      'kind',
      'occurred_ms',
      'body',
      'key_id',
      'outcome_label',
    ],
    entries.map(({ event, seq, recordedAt }) => [
      tenant,
      recordedAt,
      seq,
      event.id,
      event.type,
      event.decisionId,
      event.kind,
      event.occurredMs,
      storedLeafText(event, seq, recordedAt),
      keyId,
      event.outcomeLabel ?? null,
    ]),
  );
  await copyRows(
    client,
    'decisions',
    [
      'tenant_id',
      'recorded_at',
      'seq',
      'model',
      'model_version',
      'occurred_ms',
      'subject',
      'terms',
      'label',
      'score',
      'confidence',
      'fields',
    ],
    entries.flatMap(({ event, seq, recordedAt }) => {
      const facts = event.decision;
      if (!facts) return [];
      return [
        [
          tenant,
          recordedAt,
          seq,
          facts.model,
          facts.modelVersion,
          event.occurredMs,
          facts.subject,
          decisionTerms(facts),
          facts.label,
          facts.score,
          facts.confidence,
          facts.fields,
        ],
      ];
    }),
  );
  const personal = entries.flatMap(({ event }) => {
    if (!event.personal) return [];
    assertPersonalSubject(event);
    return [[event, event.personal] as const];
  });
  if (personal.length > 0) {
    await client.query(
      `INSERT INTO personal_data (tenant_id, event_id, subject, sealed)
        SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[])`,
      [
        tenant,
        personal.map(([event]) => event.id),
        personal.map(([, p]) => p.subject),
        // Kept as text here (see unpackSealedRecord).
        personal.map(([, p]) =>
          typeof p.sealed === 'string' ? p.sealed : unpackSealedRecord(p.sealed),
        ),
      ],
    );
  }
  // A copied entry whose sealed record was shredded at its source: kept shredded, by whom and when.
  const shredded = entries.flatMap(({ event, shredded }) =>
    shredded ? [[event.id, shredded] as const] : [],
  );
  if (shredded.length > 0) {
    await client.query(
      `INSERT INTO personal_data (tenant_id, event_id, subject, sealed, shredded_at, shredded_by)
        SELECT $1, e, s, NULL, a, b FROM unnest($2::text[], $3::text[], $4::text[], $5::text[])
            AS t(e, s, a, b)`,
      [
        tenant,
        shredded.map(([id]) => id),
        shredded.map(([, r]) => r.subject),
        shredded.map(([, r]) => r.at),
        shredded.map(([, r]) => r.by),
      ],
    );
  }
}
