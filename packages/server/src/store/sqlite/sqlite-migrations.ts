import type Database from 'better-sqlite3';
import { decisionFacts, expandEventText, outcomeLabelOf, type DecisionEvent } from '@declog/core';
import type { Migration } from '../migration.js';
import { sqliteOutcomeLabelsSql } from './sqlite-log-tables.js';

/** A migration of an SQLite database: its SQL, then (for changes per log) code. */
export interface SqliteMigration extends Migration {
  readonly apply?: (db: Database.Database) => void;
}

export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'event log and decision index',
    sql: `
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        type TEXT NOT NULL,
        decision_id TEXT,
        kind TEXT,
        occurred_ms INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE UNIQUE INDEX events_by_id ON events (id);
      CREATE INDEX events_by_decision ON events (decision_id, type, kind) WHERE decision_id IS NOT NULL;

      CREATE TABLE decisions (
        seq INTEGER PRIMARY KEY,
        model TEXT NOT NULL,
        model_version TEXT NOT NULL,
        occurred_ms INTEGER NOT NULL,
        subject TEXT
      );
      CREATE INDEX decisions_by_time ON decisions (occurred_ms);
      CREATE INDEX decisions_by_model ON decisions (model, occurred_ms);
      CREATE INDEX decisions_by_model_version ON decisions (model, model_version, occurred_ms);
      CREATE INDEX decisions_by_subject ON decisions (subject, occurred_ms) WHERE subject IS NOT NULL;

      CREATE TABLE decision_reasons (
        code TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (code, seq)
      ) WITHOUT ROWID;

      CREATE TABLE decision_labels (
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (key, value, seq)
      ) WITHOUT ROWID;

      CREATE VIRTUAL TABLE decision_text USING fts5 (summary, content = '', contentless_delete = 1);
    `,
  },
  {
    version: 2,
    name: 'merkle log: tree nodes, checkpoints, settings',
    sql: `
      CREATE TABLE merkle_nodes (
        level INTEGER NOT NULL,
        idx INTEGER NOT NULL,
        hash BLOB NOT NULL,
        PRIMARY KEY (level, idx)
      ) WITHOUT ROWID;

      CREATE TABLE checkpoints (
        size INTEGER PRIMARY KEY,
        root BLOB NOT NULL,
        note TEXT NOT NULL,
        issued_at TEXT NOT NULL
      );

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    name: 'governance: log registry, tenants, api keys, tenant settings',
    sql: `
      CREATE TABLE logs (
        log_id TEXT PRIMARY KEY,
        prefix TEXT NOT NULL UNIQUE
      ) WITHOUT ROWID;
      INSERT INTO logs (log_id, prefix) VALUES ('default', '');

      CREATE TABLE tenants (
        name TEXT PRIMARY KEY,
        created_at TEXT NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE api_keys (
        id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        tenant TEXT,
        secret_hash BLOB NOT NULL,
        created_at TEXT NOT NULL,
        revoked_at TEXT
      );

      CREATE TABLE tenant_settings (
        tenant TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (tenant, key)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    name: 'privacy: subject keys, sealed personal data, legal holds',
    sql: `
      CREATE TABLE legal_holds (
        id TEXT PRIMARY KEY,
        tenant TEXT NOT NULL,
        kind TEXT NOT NULL,
        target TEXT NOT NULL,
        reason TEXT NOT NULL,
        placed_at TEXT NOT NULL,
        placed_by TEXT NOT NULL,
        released_at TEXT,
        released_by TEXT
      );
      CREATE INDEX legal_holds_by_tenant ON legal_holds (tenant, kind, target);

      CREATE TABLE subject_keys (
        tenant TEXT NOT NULL,
        subject TEXT NOT NULL,
        wrapped_key TEXT,
        created_at TEXT NOT NULL,
        erased_at TEXT,
        erased_by TEXT,
        PRIMARY KEY (tenant, subject)
      ) WITHOUT ROWID;

      CREATE TABLE personal_data (
        log_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        subject TEXT NOT NULL,
        sealed TEXT,
        shredded_at TEXT,
        shredded_by TEXT,
        PRIMARY KEY (log_id, event_id)
      ) WITHOUT ROWID;
      CREATE INDEX personal_data_by_subject ON personal_data (log_id, subject);
    `,
  },
  {
    version: 5,
    name: 'retention: pruned entries',
    sql: `
      CREATE TABLE pruned_entries (
        log_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        id TEXT NOT NULL,
        type TEXT NOT NULL,
        decision_id TEXT,
        leaf_hash BLOB NOT NULL,
        content_digest BLOB NOT NULL,
        recorded_at TEXT NOT NULL,
        pruned_at TEXT NOT NULL,
        pruned_by TEXT NOT NULL,
        PRIMARY KEY (log_id, seq)
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX pruned_entries_by_id ON pruned_entries (log_id, id);
    `,
  },
  {
    version: 6,
    name: 'personal data found through decisions, not by an index of subjects',
    sql: `
      DROP INDEX personal_data_by_subject;
    `,
  },
  {
    version: 7,
    name: 'leaner log rows: sealed records, pruned marks and the storing key in events; a decision index that follows the log; erasure epochs',
    sql: `
      ALTER TABLE tenants ADD COLUMN erasure_epoch INTEGER NOT NULL DEFAULT 0;
    `,
    apply(db) {
      const logs = db.prepare<[], { log_id: string; prefix: string }>(
        'SELECT log_id, prefix FROM logs',
      );
      for (const { log_id: logId, prefix: p } of logs.all()) {
        db.exec(`
          ALTER TABLE ${p}events ADD COLUMN key_id TEXT;
          ALTER TABLE ${p}events ADD COLUMN subject TEXT;
          ALTER TABLE ${p}events ADD COLUMN sealed BLOB;
          ALTER TABLE ${p}events ADD COLUMN shredded_at TEXT;
          ALTER TABLE ${p}events ADD COLUMN shredded_by TEXT;
          ALTER TABLE ${p}events ADD COLUMN pruned TEXT;
        `);
        db.prepare(
          `UPDATE ${p}events SET subject = pd.subject, sealed = pd.sealed,
                  shredded_at = pd.shredded_at, shredded_by = pd.shredded_by
             FROM personal_data pd WHERE pd.log_id = ? AND pd.event_id = ${p}events.id`,
        ).run(logId);
        db.prepare(
          `INSERT INTO ${p}events (seq, id, type, decision_id, occurred_ms, body, pruned)
           SELECT seq, id, type, decision_id, 0, '',
                  json_object('content_digest', lower(hex(content_digest)),
                              'recorded_at', recorded_at, 'pruned_at', pruned_at,
                              'pruned_by', pruned_by)
             FROM pruned_entries WHERE log_id = ?`,
        ).run(logId);
        // Everything stored so far is in the index already.
        db.exec(`
          INSERT INTO ${p}settings (key, value)
          SELECT 'indexed_size', CAST(coalesce(max(seq) + 1, 0) AS TEXT) FROM ${p}events;
        `);
      }
      db.exec(`
        DROP TABLE personal_data;
        DROP TABLE pruned_entries;
      `);
    },
  },
  {
    version: 8,
    name: 'the Merkle tree stored as tiles',
    sql: '',
    apply(db) {
      const logs = db.prepare<[], { prefix: string }>('SELECT prefix FROM logs');
      for (const { prefix: p } of logs.all()) {
        db.exec(`
          CREATE TABLE ${p}tiles (
            level INTEGER NOT NULL,
            idx INTEGER NOT NULL,
            hashes BLOB NOT NULL,
            PRIMARY KEY (level, idx)
          ) WITHOUT ROWID;
        `);
        // A tile at tile-level L holds the nodes of tree level 8L, 256 to a tile: the stored
        // nodes of those levels, put together in order, are the tiles (nothing is hashed).
        const insert = db.prepare<[number, number, Buffer]>(
          `INSERT INTO ${p}tiles (level, idx, hashes) VALUES (?, ?, ?)`,
        );
        const nodes = db
          .prepare<[number], [number, Buffer]>(
            `SELECT idx, hash FROM ${p}merkle_nodes WHERE level = ? ORDER BY idx`,
          )
          .raw();
        for (let level = 0; ; level += 1) {
          const rows = nodes.all(8 * level);
          if (rows.length === 0) break;
          for (let start = 0; start < rows.length; start += 256) {
            const chunk = rows.slice(start, start + 256);
            insert.run(level, start / 256, Buffer.concat(chunk.map(([, hash]) => hash)));
          }
        }
        db.exec(`DROP TABLE ${p}merkle_nodes`);
      }
    },
  },
  {
    version: 9,
    name: 'a live key name names one principal per tenant',
    // Of live keys sharing a name where both act (the same tenant, or one of all tenants), the
    // oldest keeps it; each later one becomes `NAME#ID` (see docs/governance.md). The index
    // keeps names unique per tenant; addKey also checks keys of all tenants against any tenant.
    sql: `
      CREATE TEMP TABLE renamed_keys AS
        SELECT k.id FROM api_keys k
         WHERE k.revoked_at IS NULL AND EXISTS (
           SELECT 1 FROM api_keys e
            WHERE e.revoked_at IS NULL AND e.name = k.name AND e.rowid < k.rowid
              AND (e.tenant IS k.tenant OR e.tenant IS NULL OR k.tenant IS NULL));
      UPDATE api_keys SET name = name || '#' || id WHERE id IN (SELECT id FROM renamed_keys);
      DROP TABLE renamed_keys;
      CREATE UNIQUE INDEX api_keys_live_names ON api_keys (coalesce(tenant, '*'), name)
        WHERE revoked_at IS NULL;
    `,
  },
  {
    version: 10,
    name: 'personal details of access entries, kept beside the trails',
    // The purpose and personal filter values of an access entry, out of its leaf (which commits
    // to them), so that erasure and retention can delete them; and the subjects each concerns.
    sql: `
      CREATE TABLE access_details (
        tenant TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        details TEXT NOT NULL,
        PRIMARY KEY (tenant, entry_id)
      );
      CREATE INDEX access_details_by_time ON access_details (tenant, recorded_at);
      CREATE TABLE access_subjects (
        tenant TEXT NOT NULL,
        subject TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (tenant, subject, entry_id)
      );
      CREATE INDEX access_subjects_by_time ON access_subjects (tenant, recorded_at);
    `,
  },
  {
    version: 11,
    name: 'the analyses: predicted label, score, confidence and fields present of each decision; outcome labels',
    sql: '',
    apply(db) {
      const logs = db.prepare<[], { prefix: string }>('SELECT prefix FROM logs');
      for (const { prefix: p } of logs.all()) {
        db.exec(`
          ALTER TABLE ${p}decisions ADD COLUMN label TEXT;
          ALTER TABLE ${p}decisions ADD COLUMN score REAL;
          ALTER TABLE ${p}decisions ADD COLUMN confidence REAL;
          ALTER TABLE ${p}decisions ADD COLUMN fields INTEGER;
          ${sqliteOutcomeLabelsSql(p)}
        `);
        backfillAnalytics(db, p);
      }
    },
  },
];

/**
 * Fills the analyses' columns of the decisions indexed so far, and the labels of the outcomes
 * stored up to the index's position, from the stored events: the follower fills them for
 * what lies beyond it.
 */
function backfillAnalytics(db: Database.Database, p: string): void {
  const PAGE = 1000;
  const position = Number(
    db
      .prepare<[], string>(`SELECT value FROM ${p}settings WHERE key = 'indexed_size'`)
      .pluck()
      .get() ?? '0',
  );
  const decisions = db.prepare<[number, number], { seq: number; body: string }>(
    `SELECT d.seq, e.body FROM ${p}decisions d JOIN ${p}events e ON e.seq = d.seq
      WHERE d.seq >= ? ORDER BY d.seq LIMIT ?`,
  );
  const update = db.prepare<[string | null, number | null, number | null, number, number]>(
    `UPDATE ${p}decisions SET label = ?, score = ?, confidence = ?, fields = ? WHERE seq = ?`,
  );
  for (let next = 0; ;) {
    const rows = decisions.all(next, PAGE);
    for (const row of rows) {
      const facts = decisionFacts(JSON.parse(expandEventText(row.body)) as DecisionEvent);
      update.run(facts.label, facts.score, facts.confidence, facts.fields, row.seq);
    }
    if (rows.length < PAGE) break;
    next = (rows.at(-1)?.seq ?? 0) + 1;
  }
  const outcomes = db.prepare<[number, number, number], { seq: number; body: string }>(
    `SELECT seq, body FROM ${p}events
      WHERE seq >= ? AND seq < ? AND type = 'outcome' AND pruned IS NULL ORDER BY seq LIMIT ?`,
  );
  const insert = db.prepare<[number, string]>(
    `INSERT INTO ${p}outcome_labels (seq, label) VALUES (?, ?)`,
  );
  for (let next = 0; ;) {
    const rows = outcomes.all(next, position, PAGE);
    for (const row of rows) {
      const label = outcomeLabelOf(expandEventText(row.body));
      if (label !== null) insert.run(row.seq, label);
    }
    if (rows.length < PAGE) break;
    next = (rows.at(-1)?.seq ?? 0) + 1;
  }
}
