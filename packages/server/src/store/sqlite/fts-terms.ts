import type Database from 'better-sqlite3';

const ASCII_TOKEN = /[0-9a-z]+/g;

/**
 * A summary's terms as the log's FTS5 table splits it. Its `unicode61` tokenizer keeps runs
 * of ASCII letters and digits, lower-cased, which is done here for ASCII text; any other text
 * is split by an FTS5 table like the log's (its definition copied), so that what Unicode
 * tables SQLite was built with decides, as it did when the row was written.
 */
export function ftsTerms(db: Database.Database, p: string): (summary: string) => readonly string[] {
  let oracle: ((summary: string) => readonly string[]) | null = null;
  return (summary) => {
    // One byte a character: ASCII only.
    if (Buffer.byteLength(summary, 'utf8') === summary.length) {
      return summary.toLowerCase().match(ASCII_TOKEN) ?? [];
    }
    oracle ??= ftsOracle(db, p);
    return oracle(summary);
  };
}

function ftsOracle(db: Database.Database, p: string): (summary: string) => readonly string[] {
  const definition = db
    .prepare<[string], string>('SELECT sql FROM sqlite_master WHERE name = ?')
    .pluck()
    .get(`${p}decision_text`);
  const args = definition ? /USING\s+fts5\s*\(([\s\S]*)\)\s*$/i.exec(definition)?.[1] : undefined;
  if (args === undefined) throw new Error(`the full-text table ${p}decision_text is not FTS5`);
  db.exec(`CREATE VIRTUAL TABLE temp.declog_audit_terms USING fts5(${args})`);
  db.exec(
    "CREATE VIRTUAL TABLE temp.declog_audit_terms_vocab USING fts5vocab(temp, 'declog_audit_terms', 'instance')",
  );
  const insert = db.prepare<[string]>(
    'INSERT INTO temp.declog_audit_terms (rowid, summary) VALUES (1, ?)',
  );
  const read = db
    .prepare<[], string>('SELECT term FROM temp.declog_audit_terms_vocab ORDER BY offset')
    .pluck();
  const clear = db.prepare(
    "INSERT INTO temp.declog_audit_terms (declog_audit_terms) VALUES ('delete-all')",
  );
  return (summary) => {
    insert.run(summary);
    try {
      return read.all();
    } finally {
      clear.run();
    }
  };
}
