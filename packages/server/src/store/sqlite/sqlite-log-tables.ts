/**
 * The tables of one log, as the migrations leave them for the default log, with `prefix` in
 * front of every name. A log created later gets them in one go; a migration that changes a
 * log's tables must change every registered log's (see the `logs` table) and this text.
 *
 * `events` holds every position of the log: a live event (its stored text in `body`, the key
 * that stored it, and for a decision that names a subject its sealed personal values), or,
 * once retention pruned it, its mark (`pruned`, `body` empty), so that one unique index of
 * ids answers for both. The decision tables are an index of the log, filled after the append
 * (see decision-index.ts) up to the `indexed_size` setting.
 */
export function sqliteLogTablesSql(prefix: string): string {
  const p = prefix;
  return `
    CREATE TABLE ${p}events (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL,
      type TEXT NOT NULL,
      decision_id TEXT,
      kind TEXT,
      occurred_ms INTEGER NOT NULL,
      body TEXT NOT NULL,
      key_id TEXT,
      subject TEXT,
      sealed BLOB,
      shredded_at TEXT,
      shredded_by TEXT,
      pruned TEXT
    );
    CREATE UNIQUE INDEX ${p}events_by_id ON ${p}events (id);
    CREATE INDEX ${p}events_by_decision ON ${p}events (decision_id, type, kind) WHERE decision_id IS NOT NULL;

    ${sqliteDecisionIndexSql(p)}

    CREATE TABLE ${p}tiles (
      level INTEGER NOT NULL,
      idx INTEGER NOT NULL,
      hashes BLOB NOT NULL,
      PRIMARY KEY (level, idx)
    ) WITHOUT ROWID;

    CREATE TABLE ${p}checkpoints (
      size INTEGER PRIMARY KEY,
      root BLOB NOT NULL,
      note TEXT NOT NULL,
      issued_at TEXT NOT NULL
    );

    CREATE TABLE ${p}settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) WITHOUT ROWID;
  `;
}

/**
 * The decision index of one log: the tables decision-index.ts keeps. The analyses' columns of
 * `decisions` (predicted label, score, confidence, the mask of optional fields present) and
 * `outcome_labels` (an outcome's label, by its seq) were added by migration 9, and are written
 * by the same follower.
 */
export function sqliteDecisionIndexSql(prefix: string): string {
  const p = prefix;
  return `
    CREATE TABLE ${p}decisions (
      seq INTEGER PRIMARY KEY,
      model TEXT NOT NULL,
      model_version TEXT NOT NULL,
      occurred_ms INTEGER NOT NULL,
      subject TEXT,
      label TEXT,
      score REAL,
      confidence REAL,
      fields INTEGER
    );
    CREATE INDEX ${p}decisions_by_time ON ${p}decisions (occurred_ms);
    CREATE INDEX ${p}decisions_by_model ON ${p}decisions (model, occurred_ms);
    CREATE INDEX ${p}decisions_by_model_version ON ${p}decisions (model, model_version, occurred_ms);
    CREATE INDEX ${p}decisions_by_subject ON ${p}decisions (subject, occurred_ms) WHERE subject IS NOT NULL;

    CREATE TABLE ${p}decision_reasons (
      code TEXT NOT NULL,
      seq INTEGER NOT NULL,
      PRIMARY KEY (code, seq)
    ) WITHOUT ROWID;

    CREATE TABLE ${p}decision_labels (
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      seq INTEGER NOT NULL,
      PRIMARY KEY (key, value, seq)
    ) WITHOUT ROWID;

    CREATE VIRTUAL TABLE ${p}decision_text USING fts5 (summary, content = '', contentless_delete = 1);

    ${sqliteOutcomeLabelsSql(p)}
  `;
}

/** The labels of a log's outcomes, by the outcome's seq (an outcome without one has no row). */
export function sqliteOutcomeLabelsSql(prefix: string): string {
  return `
    CREATE TABLE ${prefix}outcome_labels (
      seq INTEGER PRIMARY KEY,
      label TEXT NOT NULL
    );
  `;
}
